"""The /standings answer: a championship's table after a round, with what was published."""

from __future__ import annotations

from bot.domain.models import Certainty
from bot.domain.standings import Standings
from bot.i18n import tr
from bot.rendering.fan.common import (
    TIE_BREAK,
    Reply,
    after_round,
    champ_name,
    mark,
    outcome_text,
    paginate,
    points,
    season_title,
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
    lines = []
    for r in table.rows:
        pos = f"{r.position}{'=' if r.shared else '.'}"
        gap = "—" if r.position == 1 and not r.shared else f"-{r.gap}"
        who = f"**{clip(r.name, 48)}**" + (f" #{r.car_number}" if r.car_number is not None else "")
        wins = " · " + tr(lang, "{n} win(s)", n=r.wins) if r.wins else ""
        ded = " · " + tr(lang, "−{n} pen.", n=r.deductions) if r.deductions else ""
        lines.append(
            f"`{pos:>3}` {who} — "
            + tr(lang, "{points} pts · gap {gap}", points=points(r), gap=gap)
            + wins
            + ded
        )
    fields: list[tuple[str, str]] = []
    outcomes = view.outcomes(champ.slug) if table.final else []
    if outcomes:
        fields.append((tr(lang, "Official outcome"), outcome_text(view, champ.slug, lang)))
    notes = view.standings_notes(champ.slug, table.after_round)
    if notes:
        fields.append(
            (
                tr(lang, "Published at this point"),
                "\n".join(
                    f"• {n.text}"
                    + (
                        " (" + tr(lang, "after {session}", session=n.after_session) + ")"
                        if n.after_session
                        else ""
                    )
                    + mark(n.certainty, lang)
                    for n in notes
                ),
            )
        )
    if not table.complete:
        fields.append(
            (
                tr(lang, "Computed from an incomplete record"),
                tr(
                    lang,
                    "{complete} of {counted} races have a complete classification; {unknown} "
                    "results or bonuses are unknown, so totals are lower bounds (≥) and the order "
                    "may differ from the official one.",
                    complete=table.races_complete,
                    counted=table.races_counted,
                    unknown=table.unknown_results,
                )
                + (" " + tr(lang, "Use the official outcome above.") if outcomes else ""),
            )
        )
    scale_note = (
        tr(lang, "points scale inferred")
        if view.season.scoring.certainty is not Certainty.CONFIRMED
        else ""
    )
    footer = " · ".join(
        x
        for x in (
            f"{where}, {state}",
            tr(lang, TIE_BREAK),
            tr(lang, "complete record") if table.complete else tr(lang, "incomplete record"),
            scale_note,
        )
        if x
    )
    header = "" if lines else tr(lang, "No results recorded yet.")
    return Reply(pages=paginate(title, header, lines, footer, fields=fields, lang=lang))
