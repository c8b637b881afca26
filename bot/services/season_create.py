"""Creating a season from Discord: its rules and championships copied from an earlier season
of the series or a template in ``data/templates/``; and the fans' answer for a season with no
result yet. A new season has no view to compare yet, so it is applied here under the admin
service's lock, with its audit row, instead of through :meth:`AdminService.apply`."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.domain.models import Season
from bot.errors import Conflict, Invalid
from bot.i18n import Phrase
from bot.services import circuits
from bot.services.admin import Actor, AdminService, Applied, Plan, clean_text
from bot.services.admin.calendar import SeasonCreate
from bot.services.championship import ChampionshipService, SeasonView
from bot.services.lookup import fold
from bot.storage import changes, season_changes
from bot.storage.changes import Target


@dataclass(frozen=True, slots=True)
class NewSeason:
    """A season to create: where its rules come from, and what they are."""

    series_slug: str
    series_name: str
    year: int
    name: str
    rules_json: str
    from_label: str  # "2023 Porsche Carrera Cup France" or "template one-make-cup"
    source: Season | None = None  # the season copied (its rules in plain words), if any
    not_copied: tuple[tuple[str, str], ...] = ()  # (championship, what) naming the old season


#: What a championship of an earlier season names (its drivers and teams): not copied.
NAMED = ("nominated", "nominations", "exclusions")


def without_names(rules_json: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """An earlier season's rules less what names its drivers and teams (nominated drivers,
    nominations, exclusions), and what was left out: (championship name, key)."""
    rules = json.loads(rules_json)
    left: list[tuple[str, str]] = []
    for champ in rules.get("championships", []):
        for key in NAMED:
            if champ.get(key):
                left.append((str(champ.get("name", champ.get("slug", ""))), key))
                champ[key] = []
    return json.dumps(rules), tuple(left)


def _copied(source: Season) -> Season:
    """The source season as the new one will be (its rules in words for the preview)."""
    champs = tuple(
        replace(c, nominated=(), nominations=(), exclusions=()) for c in source.championships
    )
    return replace(source, championships=champs)


def describe_rules(rules_json: str) -> list[str]:
    """A template's scoring in short lines (a season's own is :mod:`bot.domain.rules_text`)."""
    rules = json.loads(rules_json)
    sc = rules["scoring"]
    scale = "-".join(str(p) for p in sc["scale"])
    lines = [f"Points for places 1 to {len(sc['scale'])}: {scale}"]
    bonus = []
    if sc.get("pole_bonus"):
        bonus.append(f"pole +{sc['pole_bonus']}")
    if sc.get("fastest_lap_bonus"):
        bonus.append(f"fastest lap +{sc['fastest_lap_bonus']}")
    lines.append("Bonuses: " + (", ".join(bonus) if bonus else "none"))
    lines.append(f"Ties: {sc.get('tie_break', 'countback')}")
    for c in rules["championships"]:
        who = c["rank"] if c["kind"] == "drivers" else f"best {c['counting_cars']} cars"
        extra = " with bonuses" if c.get("bonuses") else ""
        lines.append(f"{c['name']}: {c['kind']}, ranked {who}{extra}")
    return lines


class SeasonCreation:
    """The season-creating half of :class:`~bot.services.season_admin.SeasonAdmin`."""

    admin: AdminService
    service: ChampionshipService
    data_dir: Path

    def templates(self) -> dict[str, Path]:
        folder = self.data_dir / "templates"
        return {p.stem: p for p in sorted(folder.glob("*.json"))} if folder.exists() else {}

    async def plan_create(
        self, series: str, year: int, name: str | None, source: SeasonView | str | None
    ) -> NewSeason:
        series_text = clean_text(series, "team name", 60)
        refs = self.service.seasons
        existing = next(
            (r for r in refs if fold(series_text) in (fold(r.series_slug), fold(r.series_name))),
            None,
        )
        slug = existing.series_slug if existing else circuits.slugify(series_text)
        series_name = existing.series_name if existing else series_text
        if not slug:
            raise Invalid("Give the series a name with letters or digits.")
        if not 1950 <= year <= 2200:
            raise Invalid("{year} is not a season year.", year=year)
        if any(r.series_slug == slug and r.year == year for r in refs):
            raise Invalid("{series} already has a {year} season.", series=series_name, year=year)
        title = clean_text(name or f"{year} {series_name}", "team name", 80)
        if any(fold(r.name) == fold(title) for r in refs):
            raise Invalid("A season is already called {name}.", name=title)
        if isinstance(source, SeasonView):
            rules = await season_changes.rules_json(self.service.db, source.season.id)
            assert rules is not None
            label = source.season.name
        else:
            templates = self.templates()
            if source is None:
                same = [r for r in refs if r.series_slug == slug]
                if same:
                    newest = max(same, key=lambda r: r.year)
                    rules = await season_changes.rules_json(self.service.db, newest.id)
                    assert rules is not None
                    source_view = await self.service.get(newest.id)
                    rules, left = without_names(rules)
                    return NewSeason(
                        slug,
                        series_name,
                        year,
                        title,
                        rules,
                        newest.name,
                        _copied(source_view.season),
                        left,
                    )
                source = next(iter(templates), None)
            if source not in templates:
                raise Invalid(
                    "Say which season or template to copy the rules from: {choices}.",
                    choices=", ".join([*templates, *(r.name for r in refs)][:10]),
                )
            rules = templates[source].read_text(encoding="utf-8")
            label = f"template {source}"
        rules, left = without_names(rules)
        copied = _copied(source.season) if isinstance(source, SeasonView) else None
        return NewSeason(slug, series_name, year, title, rules, label, copied, left)

    async def apply_create(self, new: NewSeason, actor: Actor, token: str) -> Applied:
        async with self.admin._lock:
            done = self.admin._applied_tokens.get(token)
            if done is not None:
                return await self.admin._replay(done)
            async with self.service.db.transaction() as tx:
                series = await season_changes.series_id(tx, new.series_slug, new.series_name)
                # Asked of the file under the write lock: another process may have created it
                # since this process last read the list of seasons.
                if await season_changes.season_exists(tx, series, new.year):
                    raise Conflict("That season was created meanwhile.")
                season_id = await season_changes.insert_empty_season(
                    tx, series, new.year, new.name, new.rules_json, f"created from {new.from_label}"
                )
                audit_id = await changes.insert_audit(
                    tx,
                    actor_id=actor.id,
                    actor_name=actor.name,
                    action="season.create",
                    season_id=season_id,
                    targets=(Target("season", season_id),),
                    before=None,
                    after={"season_id": season_id, "name": new.name, "from": new.from_label},
                )
            view = await self.service.reload(season_id)
            summary = Phrase("create {season}", season=new.name)
            plan = Plan(SeasonCreate("season.create"), summary, view, view)
            applied = Applied(audit_id, plan, view, {})
            self.admin._remember(token, applied)  # no season view kept
            return applied


def no_result_yet(view: SeasonView, refs: list[Any]) -> Invalid | None:
    """A clear answer for the standings of a season that has no result yet."""
    if any(view.classifications[s.id].rows for s in view.races):
        return None
    earlier = [r for r in refs if r.year < view.season.year and r.rounds]
    same = [r for r in earlier if r.series_slug == view.season.series_slug] or earlier
    if not same:
        return Invalid("{season} has no result yet.", season=view.season.name)
    previous = max(same, key=lambda r: (r.year, r.id))
    return Invalid(
        "{season} has no result yet. The last final table is {previous}'s: "
        "/standings season:{previous}",
        season=view.season.name,
        previous=previous.name,
    )
