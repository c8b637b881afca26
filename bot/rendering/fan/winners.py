"""The /winners and /poles answers: every race's winner or pole sitter, with a tally."""

from __future__ import annotations

from bot.domain.classification import ClassifiedRow
from bot.domain.models import Certainty
from bot.domain.stats import counts_as_win, firsts, tally
from bot.i18n import tr, trn
from bot.rendering.fan.common import (
    INFERRED,
    Reply,
    car,
    champ_name,
    duration,
    label,
    paginate,
    season_title,
    tally_text,
)
from bot.services.championship import RaceView, SeasonView


def race_winner(view: SeasonView, race: RaceView, lang: str = "en") -> tuple[str, str | None]:
    """(what to show, the series winner's name or None when unknown)."""
    w = race.classification.winner
    if w is None:
        # A race with no result at all has not been run yet (a season under way).
        return tr(lang, "unknown" if race.classification.rows else "to come"), None
    if not w.entry.guest:
        return w.entry.driver + _mark(w), w.entry.driver
    first = firsts(view.scores(view.championships[0].slug, race.session.id))
    entry = view.entries_by_driver(first[0]) if first else None
    series = entry.driver if entry else None
    shown = (series + _mark(race.classification.row(entry.id))) if entry and series else None
    return tr(
        lang,
        "{winner} (guest) · first in the series: {series}",
        winner=w.entry.driver + _mark(w),
        series=shown or tr(lang, "unknown"),
    ), series


def _mark(row: ClassifiedRow | None) -> str:
    inferred = row is not None and row.result.certainty is Certainty.INFERRED
    return INFERRED if inferred else ""


def winners_reply(view: SeasonView, slug: str | None, lang: str = "en") -> Reply:
    champ = view.season.championship(slug) if slug else None
    overall = champ is None or champ.slug == view.championships[0].slug
    name = tr(lang, "Overall") if overall or champ is None else champ_name(champ.name, lang)
    lines = []
    known: list[str] = []
    left_out: set[str] = set()  # kinds of race whose wins are not wins (F1's sprints)
    unknown = 0
    for race in view.race_views():
        counted = counts_as_win(view.season.scoring, race.session)
        if not counted:
            left_out.add(race.session.scoring or "")
        if overall or champ is None:
            who, series = race_winner(view, race, lang)
            if series:
                if counted:
                    known.append(series)
            elif race.classification.rows:  # a race not run yet is not an unknown winner
                unknown += 1
        else:
            first = firsts(view.scores(champ.slug, race.session.id))
            who = view.entries_by_driver(first[0]).driver if first else tr(lang, "unknown")
            if first and counted:
                known.append(who)
                who += _mark(race.classification.row(view.entries_by_driver(first[0]).id))
            elif race.classification.rows and race.classification.complete:
                who = tr(lang, "none classified")  # nobody of the class was classified
            elif race.classification.rows:
                unknown += 1
            else:
                who = tr(lang, "to come")
        lines.append(f"**{label(race, lang)}** — {who}")
    title = tr(lang, "{season} — {name} race winners", season=season_title(view), name=name)
    fields = [(_tally_name(left_out, lang), tally_text(tally(known), lang))] if known else []
    footer = trn(lang, "{n} race", "{n} races", len(lines)) + (
        " · " + tr(lang, "winner unknown in {n}", n=unknown) if unknown else ""
    )
    if any(INFERRED in line for line in lines):
        footer += f" · {INFERRED} " + tr(lang, "inferred")
    return Reply(pages=paginate(title, "", lines, footer, fields=fields, lang=lang))


def _tally_name(left_out: set[str], lang: str) -> str:
    if not left_out:
        return tr(lang, "Tally")
    return tr(lang, "Tally (not counting {kinds} races)", kinds=", ".join(sorted(left_out)))


def poles_reply(view: SeasonView, lang: str = "en") -> Reply:
    lines = []
    sitters: list[str] = []
    left_out: set[str] = set()
    for race in view.race_views():
        pole = view.entries.get(race.session.pole_entry_id or 0)
        pending = not race.classification.rows  # not run yet: no qualifying either
        who = f"{pole.driver}{car(pole)}" if pole else tr(lang, "to come" if pending else "unknown")
        if not counts_as_win(view.season.scoring, race.session):
            left_out.add(race.session.scoring or "")
        elif pole:
            sitters.append(pole.driver)
        if pole:
            if race.session.pole_certainty is Certainty.INFERRED:
                who += INFERRED
            if race.session.pole_time_ms:
                who += f" ({duration(race.session.pole_time_ms, lang)})"
        lines.append(f"**{label(race, lang)}** — {who}")
    title = tr(lang, "{season} — pole positions", season=season_title(view))
    fields = [(_tally_name(left_out, lang), tally_text(tally(sitters), lang))] if sitters else []
    footer = trn(lang, "{n} race", "{n} races", len(lines))
    if any(INFERRED in line for line in lines):
        footer += f" · {INFERRED} " + tr(lang, "inferred")
    return Reply(pages=paginate(title, "", lines, footer, fields=fields, lang=lang))
