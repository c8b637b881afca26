"""The /standings answer: a championship's table after a round, with what was published."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.models import Certainty, Championship, StandingsNote
from bot.domain.published import known_points, latest_notes
from bot.domain.standings import Standings
from bot.i18n import number, tr, trn
from bot.rendering.fan.common import (
    Reply,
    after_round,
    champ_name,
    drop_rule_text,
    dropped_text,
    mark,
    outcome_heading,
    outcome_text,
    paginate,
    points,
    rules_note,
    season_title,
    tie_break_text,
)
from bot.rendering.limits import clip
from bot.services.championship import SeasonView


def standings_reply(view: SeasonView, table: Standings, lang: str = "en") -> Reply:
    champ = table.championship
    rnd = view.rounds.get(table.after_round)
    if table.final:
        state = tr(lang, "final")
    elif view.season.status == "final":
        state = tr(lang, "as it stood then")
    else:
        state = tr(lang, "provisional")
    title = tr(
        lang,
        "{season} — {championship} standings",
        season=season_title(view),
        championship=champ_name(champ.name, lang),
    )
    where = after_round(table.after_round, rnd, lang)
    of_round = view.races_of_round(table.after_round)
    run = sum(1 for s in of_round if s.id in table.races)
    if 0 < run < len(of_round):  # a round under way: the races run so far are counted
        where += ", " + tr(lang, "race {n} of {total}", n=run, total=len(of_round))
    if not table.complete:
        return _published_first(view, table, title, f"{where}, {state}", lang)
    lines = []
    for r in table.rows:
        pos = f"{r.position}{'=' if r.shared else '.'}"
        gap = "—" if r.position == 1 and not r.shared else f"-{number(r.gap, lang)}"
        who = f"**{clip(r.name, 48)}**" + (f" #{r.car_number}" if r.car_number is not None else "")
        wins = " · " + trn(lang, "{n} win", "{n} wins", r.wins) if r.wins else ""
        ded = " · " + tr(lang, "−{n} pen.", n=r.deductions) if r.deductions else ""
        dropped = dropped_text(r, lang)
        lines.append(
            f"`{pos:>3}` {who} — "
            + tr(lang, "{points} pts · gap {gap}", points=points(r, lang), gap=gap)
            + wins
            + ded
            + (f" · {dropped}" if dropped else "")
        )
    fields: list[tuple[str, str]] = []
    outcomes = view.outcomes(champ.slug) if table.final else []
    if outcomes:
        heading = outcome_heading([o.certainty for o in outcomes], lang)
        fields.append((heading, outcome_text(view, champ.slug, lang)))
    notes = view.standings_notes(champ.slug, table.after_round)
    if notes:
        fields.append((tr(lang, "Published at this point"), _notes_text(notes, lang)))
    footer = " · ".join(
        x
        for x in (
            f"{where}, {state}",
            drop_rule_text(champ, lang),
            tie_break_text(view, lang),
            tr(lang, "complete record"),
            rules_note(view, champ, lang),
        )
        if x
    )
    header = "" if lines else tr(lang, "No results recorded yet.")
    return Reply(pages=paginate(title, header, lines, footer, fields=fields, lang=lang))


def _notes_text(notes: Sequence[StandingsNote], lang: str) -> str:
    return "\n".join(
        f"• {n.text}"
        + (
            " (" + tr(lang, "after {session}", session=n.after_session) + ")"
            if n.after_session
            else ""
        )
        + mark(n.certainty, lang)
        for n in notes
    )


def _assumed_team_rule(view: SeasonView, champ: Championship, lang: str) -> str:
    """What a teams' figure assumes when the team rule was never published ("" otherwise):
    under another rule the figure would not be a lower bound of anything."""
    if not champ.is_teams or view.season.scoring.certainty is Certainty.CONFIRMED:
        return ""
    if not champ.counting_cars:
        return tr(lang, "if all its cars score")
    return trn(
        lang,
        "if its best car of each race scores",
        "if its best {n} cars of each race score",
        champ.counting_cars,
    )


def _published_first(view: SeasonView, table: Standings, title: str, when: str, lang: str) -> Reply:
    """An incomplete record: what was published first, then "at least" totals, unranked."""
    champ = table.championship
    parts: list[str] = []
    outcomes = view.outcomes(champ.slug) if table.final else []
    if outcomes:
        heading = outcome_heading([o.certainty for o in outcomes], lang)
        parts.append(f"__{heading}__\n" + outcome_text(view, champ.slug, lang))
    last, notes = latest_notes(view.season.standings_notes, champ.slug, table.after_round)
    if notes and last is not None:
        heading = tr(
            lang,
            "Published standings facts, {where}",
            where=after_round(last, view.rounds.get(last), lang),
        )
        parts.append(f"__{heading}__\n" + _notes_text(notes, lang))
    if not parts:
        parts.append(tr(lang, "No standings were published for this point of the season."))
    known = known_points(table)
    assumed = _assumed_team_rule(view, champ, lang)
    parts.append(
        f"__{tr(lang, 'Points known from published results')}__\n"
        + tr(
            lang,
            "Lower bounds from an incomplete record, listed by name: not a ranking.",
        )
        + (
            " " + tr(lang, "The team rule was never published: each figure says what it assumes.")
            if assumed
            else ""
        )
    )
    lines = [
        f"• **{clip(k.name, 48)}**"
        + (f" #{k.car_number}" if k.car_number is not None else "")
        + " — "
        + (
            trn(lang, "{n} pt", "{n} pts", k.points, n=number(k.points, lang))
            if k.exact
            else trn(
                lang, "at least {n} pt", "at least {n} pts", k.points, n=number(k.points, lang)
            )
        )
        + (f" {assumed}" if assumed else "")
        for k in known.rows
    ]
    if known.others:
        lines.append(
            trn(
                lang,
                "{n} other: no scoring result published",
                "{n} others: no scoring result published",
                known.others,
            )
        )
    fields = [
        (
            tr(lang, "Why “at least”"),
            tr(
                lang,
                "Complete classification for {complete} of {counted} races; unknown results "
                "or bonuses: {unknown}. A total counts only the known points.",
                complete=table.races_complete,
                counted=table.races_counted,
                unknown=table.unknown_results,
            ),
        )
    ]
    footer = " · ".join(
        x
        for x in (
            when,
            drop_rule_text(champ, lang),
            tie_break_text(view, lang),
            tr(lang, "incomplete record"),
            rules_note(view, champ, lang),
        )
        if x
    )
    header = "\n\n".join(parts)
    return Reply(pages=paginate(title, header, lines, footer, fields=fields, lang=lang))
