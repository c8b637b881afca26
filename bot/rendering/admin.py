"""Admin answers: previews (before → after), confirmations, audit log, announcements."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

import discord

from bot.domain.classification import RaceClassification
from bot.domain.models import Certainty, Entry, Penalty
from bot.i18n import Phrase, labelled, number, tr
from bot.rendering.fan import (
    COLOUR,
    INFERRED,
    Reply,
    champ_name,
    label,
    ordinal,
    penalty_text,
    season_title,
)
from bot.rendering.fan.common import points
from bot.rendering.limits import clip, clip_lines, fit_embed
from bot.services.admin import Applied, Plan
from bot.services.championship import SeasonView
from bot.storage.changes import AuditRow

PREVIEW_COLOUR = discord.Colour(0xF1C40F)
DONE_COLOUR = discord.Colour(0x2ECC71)


def _class_rank(cls: RaceClassification, entry: Entry) -> int | None:
    if not entry.klass:
        return None
    klass = entry.klass
    return cls.rank(entry.id, lambda e: None if e.klass is None else e.klass == klass)


def _place(cls: RaceClassification, entry: Entry, lang: str) -> str:
    row = cls.row(entry.id)
    if row is None:
        return "—"
    if row.position is not None:
        text = ordinal(row.position, lang)
    elif row.status is not None and row.status.value != "classified":
        text = row.status.value
    else:
        text = "?"
    if row.result.certainty is Certainty.INFERRED:
        text += INFERRED
    rank = _class_rank(cls, entry) if row.position is not None else None
    if rank is not None:
        text += f" ({entry.klass} {ordinal(rank, lang)})"
    return text


def removed_rows(plan: Plan, lang: str = "en") -> list[str]:
    """Every car the change takes out of its race, published results marked."""
    if plan.race is None:
        return []
    session = plan.race.session
    before = plan.base.classifications.get(session.id)
    after = plan.candidate.classifications.get(session.id)
    if before is None or after is None:
        return []
    published = {
        r.entry_id for r in plan.base.season.results if r.session_id == session.id and r.source
    }
    return [
        tr(
            lang,
            "{driver}: {place} → removed{published}",
            driver=row.entry.driver,
            place=_place(before, row.entry, lang),
            published=" " + tr(lang, "(a published result)") if row.entry.id in published else "",
        )
        for row in before.rows
        if after.row(row.entry.id) is None
    ]


_MARKDOWN = re.compile(r"([\\*_~`|>\[\]()<#])")


def escape_markdown(text: str) -> str:
    """Admin-typed text shown as typed: no bold, links, masks or headings in a public post."""
    return _MARKDOWN.sub(r"\\\1", text)


def _escaped(phrase: Phrase) -> Phrase:
    params: dict[str, object] = {
        k: _escaped(v) if isinstance(v, Phrase) else escape_markdown(v) if isinstance(v, str) else v
        for k, v in phrase.params.items()
    }
    out = copy.copy(phrase)
    out.params = params
    return out


def race_changes(plan: Plan, lang: str = "en") -> list[str]:
    if plan.race is None:
        return []
    session = plan.race.session
    before = plan.base.classifications.get(session.id)
    after = plan.candidate.classifications.get(session.id)
    if before is None or after is None:
        return []
    lines = []
    for row in after.rows:
        old, new = _place(before, row.entry, lang), _place(after, row.entry, lang)
        if old != new:
            lines.append(labelled(lang, row.entry.driver, f"{old} → {new}"))
    return lines


def standings_changes(plan: Plan, limit: int = 6, lang: str = "en") -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for champ in plan.candidate.championships:
        if plan.base.season.championship(champ.slug) is None:
            continue
        old = {r.key: r for r in plan.base.standings(champ.slug).rows}
        table = plan.candidate.standings(champ.slug)
        new = table.rows
        lines = []
        for r in new:
            o = old.get(r.key)
            if not table.complete:
                # Lower bounds are not ranks: "≥101 → ≥91 pts", no positions.
                if o is not None and (o.points, o.exact) != (r.points, r.exact):
                    change = tr(lang, "{old} → {new} pts", old=points(o, lang), new=points(r, lang))
                    lines.append(labelled(lang, r.name, change))
                elif o is None and r.points:
                    added = tr(lang, "new, {points} pts", points=points(r, lang))
                    lines.append(labelled(lang, r.name, added))
                continue
            if o is None:
                if r.points:
                    lines.append(
                        tr(
                            lang,
                            "{name}: new, {place} ({points} pts)",
                            name=r.name,
                            place=ordinal(r.position, lang),
                            points=number(r.points, lang),
                        )
                    )
                continue
            if (o.position, o.points) != (r.position, r.points):
                moved = f"{ordinal(o.position, lang)} → {ordinal(r.position, lang)} " + tr(
                    lang,
                    "({old} → {new} pts)",
                    old=number(o.points, lang),
                    new=number(r.points, lang),
                )
                lines.append(labelled(lang, r.name, moved))
        kept = {r.key for r in new}
        for o in plan.base.standings(champ.slug).rows:  # rows the change removes (an undo)
            if o.key not in kept and o.points:
                lines.append(tr(lang, "{name}: {old} pts → none", name=o.name, old=points(o, lang)))
        if lines:
            extra = len(lines) - limit
            more = [tr(lang, "… and {n} more", n=extra)] if extra > 0 else []
            out.append((champ_name(champ.name, lang), lines[:limit] + more))
    return out


def race_points_changes(plan: Plan, lang: str = "en") -> list[tuple[str, list[str]]]:
    """The race's points before → after, per drivers' championship, when the race is beyond
    the table a preview compares (a qualifying imported before its round has a result: its
    points count from now, in the tables after that round)."""
    race = plan.race
    if race is None or race.session.round_number <= plan.candidate.last_run_round:
        return []
    out: list[tuple[str, list[str]]] = []
    for champ in plan.candidate.championships:
        if champ.is_teams or plan.base.season.championship(champ.slug) is None:
            continue
        old = {s.key: s.points for s in plan.base.scores(champ.slug, race.session.id)}
        now = plan.candidate.scores(champ.slug, race.session.id)
        lines = [
            labelled(
                lang,
                plan.candidate.entries[s.entry_id].driver,
                tr(
                    lang,
                    "{old} → {new} pts",
                    old=number(old.get(s.key, 0), lang),
                    new=number(s.points, lang),
                ),
            )
            for s in sorted(now, key=lambda s: -s.points)  # most points first
            if s.entry_id is not None and s.points != old.get(s.key, 0)
        ]
        if lines:
            name = tr(
                lang,
                "{race}, {championship}: points known before → after",
                race=label(race, lang),
                championship=champ_name(champ.name, lang),
            )
            out.append((name, lines))
    return out


def preview_reply(plan: Plan, expires_s: int, lang: str = "en") -> Reply:
    view = plan.candidate
    embed = discord.Embed(
        title=clip(tr(lang, "Preview — {summary}", summary=plan.summary.message(lang)), 256),
        description=tr(lang, "{season} · nothing has changed yet.", season=season_title(view)),
        colour=PREVIEW_COLOUR,
    )
    race_lines = race_changes(plan, lang)
    if plan.notes:
        embed.add_field(
            name=tr(lang, "File read as"), value=clip_lines(list(plan.notes), 1000), inline=False
        )
    if plan.race is not None:
        embed.add_field(
            name=tr(lang, "{race}: before → after", race=label(plan.race, lang)),
            value=clip_lines(race_lines, 1000) if race_lines else tr(lang, "no position changes"),
            inline=False,
        )
    removed = removed_rows(plan, lang)
    for start in range(0, len(removed), 12):  # every removed row, never clipped away
        embed.add_field(
            name=tr(lang, "Removed from the race ({n})", n=len(removed)),
            value=clip_lines(removed[start : start + 12], 1000),
            inline=False,
        )
    moved = standings_changes(plan, lang=lang)
    for name, lines in moved[:8]:
        embed.add_field(
            name=tr(lang, "{championship} standings", championship=name),
            value=clip_lines(lines, 1000),
            inline=False,
        )
    if not moved:
        embed.add_field(
            name=tr(lang, "Standings"), value=tr(lang, "no standings table moves"), inline=False
        )
    for name, lines in race_points_changes(plan, lang)[:4]:
        embed.add_field(name=clip(name, 256), value=clip_lines(lines, 1000), inline=False)
    last = view.season.last_round
    if moved and plan.from_round < last:
        embed.add_field(
            name=tr(lang, "Also"),
            value=tr(
                lang,
                "the tables after rounds {first}–{last} move with it (/standings "
                "after_round shows them)",
                first=plan.from_round,
                last=last,
            ),
            inline=False,
        )
    embed.set_footer(
        text=tr(lang, "Confirm applies it; Cancel drops it; expires in {n} min.", n=expires_s // 60)
    )
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def applied_reply(applied: Applied, lang: str = "en") -> Reply:
    undo = (
        ""
        if applied.plan.action.startswith("undo") or applied.plan.action == "season.create"
        else " " + tr(lang, "`/undo {id}` reverts it.", id=applied.audit_id)
    )
    embed = discord.Embed(
        title=clip(tr(lang, "Done — {summary}", summary=applied.plan.summary.message(lang)), 256),
        description=tr(lang, "Audit #{id}.", id=applied.audit_id) + undo,
        colour=DONE_COLOUR,
    )
    if "penalty_id" in applied.info:
        embed.add_field(
            name=tr(lang, "Penalty"), value=f"#{applied.info['penalty_id']}", inline=True
        )
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def notice(text: str) -> Reply:
    return Reply(
        pages=[fit_embed(discord.Embed(description=clip(text, 4000), colour=COLOUR))],
        ephemeral=True,
    )


def announcement(applied: Applied, lang: str = "en") -> discord.Embed | None:
    """The public "stewards' decision" / "results updated" embed, or None for other changes."""
    plan = applied.plan
    view = applied.view
    if plan.action.startswith("penalty"):
        title = tr(lang, "Stewards' decision")
    elif plan.action.startswith(
        ("result", "undo.result", "qualifying", "pole", "fastest-lap", "undo.qualifying")
    ):
        title = tr(lang, "Results updated")
    elif plan.action.startswith("undo.penalty"):
        title = tr(lang, "Stewards' decision withdrawn")
    else:
        return None
    embed = discord.Embed(
        title=title, description=clip(_escaped(plan.summary).message(lang), 1000), colour=COLOUR
    )
    moved = race_changes(plan, lang)
    if moved:
        embed.add_field(
            name=tr(lang, "Classification"), value=clip_lines(moved, 1000), inline=False
        )
    embed.set_footer(text=season_title(view))
    return fit_embed(embed)


def penalty_list_reply(
    view: SeasonView, items: Sequence[tuple[str, Penalty]], lang: str = "en"
) -> Reply:
    lines = []
    for where, p in items:
        driver = view.entries[p.entry_id].driver
        who = " — " + tr(lang, "decided by {who}", who=p.decided_by) if p.decided_by else ""
        when = " " + tr(lang, "on {date}", date=p.decided_at[:10]) if p.decided_at else ""
        revoked = (
            " — "
            + tr(lang, "revoked by {who}", who=p.revoked_by or tr(lang, "unknown"))
            + (" " + tr(lang, "on {date}", date=p.revoked_at[:10]) if p.revoked_at else "")
            if not p.active
            else ""
        )
        lines.append(
            f"`#{p.id}` {where} · **{driver}**: {penalty_text(p, lang)}{who}{when}{revoked}"
        )
    embed = discord.Embed(
        title=tr(lang, "{season} — penalties (admin)", season=season_title(view)),
        description=clip_lines(lines, 4000) if lines else tr(lang, "No penalty recorded."),
        colour=COLOUR,
    )
    embed.set_footer(text=tr(lang, "including revoked ones · /penalty revoke <id> <reason>"))
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def audit_reply(rows: Sequence[AuditRow], lang: str = "en") -> Reply:
    lines = []
    for r in rows:
        undone = " — " + tr(lang, "undone by #{id}", id=r.undone_by) if r.undone_by else ""
        summary = _audit_summary(r)
        lines.append(
            f"`#{r.id}` {r.at[:16].replace('T', ' ')} · {r.actor_name or '?'} · "
            f"**{r.action}** {summary}{undone}"
        )
    embed = discord.Embed(
        title=tr(lang, "Audit log"),
        description=clip_lines(lines, 4000) if lines else tr(lang, "No change recorded yet."),
        colour=COLOUR,
    )
    embed.set_footer(text=tr(lang, "newest first · /undo <id> reverts one change"))
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def _audit_summary(r: AuditRow) -> str:
    def short(value: object) -> str:
        if value is None:
            return "—"
        if isinstance(value, dict):
            keys = (
                "type",
                "value",
                "reason",
                "revoke_reason",
                "final",
                "driver",
                "class",
                "car_number",
                "team",
                "complete",
                "penalty_id",
                "entry_id",
                "undoes",
            )
            parts = [f"{k}={value[k]}" for k in keys if k in value and value[k] is not None]
            if "results" in value:
                parts.append(f"{len(value['results'])} results")
            return ", ".join(parts) or "…"
        return str(value)

    return clip(f"({short(r.before)} → {short(r.after)})", 300)
