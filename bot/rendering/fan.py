"""Fan answers as Discord embeds: standings, races, winners, poles, penalties, drivers.

Pure functions from season views to :class:`Reply`; every embed passes the limits guard.
Unknown is written as unknown; inferred facts are marked; computed tables from an
incomplete record say so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from bot.domain.classification import ClassifiedRow
from bot.domain.models import (
    Certainty,
    Entry,
    Penalty,
    PenaltyType,
    Round,
    Session,
    Status,
)
from bot.domain.standings import Standings, StandingsRow
from bot.i18n import decimal, tr
from bot.i18n import ordinal as _ordinal
from bot.rendering.limits import clip, clip_lines, fit_embed
from bot.services.championship import RaceView, SeasonView, short_circuit

COLOUR = discord.Colour(0xC8102E)  # a racing red
ERROR_COLOUR = discord.Colour(0x99AAB5)
ROWS_PER_PAGE = 20
INFERRED = "ⁱ"  # marks an inferred fact in tables


@dataclass
class Reply:
    """One answer: one or more pages (embeds shown one at a time) and/or plain content."""

    pages: list[discord.Embed] = field(default_factory=list)
    content: str | None = None
    ephemeral: bool = False


def ordinal(n: int, lang: str = "en") -> str:
    return _ordinal(n, lang)


def race_name(rnd: Round, session: Session, lang: str = "en") -> str:
    return tr(lang, "{place} — race {number}", place=short_circuit(rnd), number=session.number)


def label(race: RaceView, lang: str) -> str:
    return race_name(race.round, race.session, lang)


def champ_name(name: str, lang: str) -> str:
    """Championship names from the season's data, in the user's language when known."""
    return tr(lang, name)


def error_reply(message: str, suggestions: Sequence[str] = (), lang: str = "en") -> Reply:
    text = message
    if suggestions:
        names = ", ".join(f"**{clip(s, 80)}**" for s in suggestions[:5])
        text += "\n" + tr(lang, "Did you mean: {names}?", names=names)
    embed = discord.Embed(description=clip(text, 4000), colour=ERROR_COLOUR)
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def season_title(view: SeasonView) -> str:
    return f"{view.season.year} {view.season.series_name}"


def _car(entry: Entry) -> str:
    return f" #{entry.car_number}" if entry.car_number is not None else ""


def _mark(certainty: Certainty, lang: str = "en") -> str:
    return f" ({tr(lang, certainty.value)})" if certainty is not Certainty.CONFIRMED else ""


def _paginate(
    title: str,
    header: str,
    lines: Sequence[str],
    footer: str,
    *,
    fields: Sequence[tuple[str, str]] = (),
    per_page: int = ROWS_PER_PAGE,
    lang: str = "en",
) -> list[discord.Embed]:
    chunks = [list(lines[i : i + per_page]) for i in range(0, len(lines), per_page)] or [[]]
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        body = "\n".join(x for x in (header, clip_lines(chunk, 3500) if chunk else "") if x)
        embed = discord.Embed(title=title, description=body or "—", colour=COLOUR)
        if n == 1:
            for name, value in fields:
                embed.add_field(name=name, value=value or "—", inline=False)
        page_note = (
            " · " + tr(lang, "page {n}/{total}", n=n, total=len(chunks)) if len(chunks) > 1 else ""
        )
        embed.set_footer(text=footer + page_note)
        pages.append(fit_embed(embed))
    return pages


# -- standings -------------------------------------------------------------------------------
def _points(row: StandingsRow) -> str:
    return f"{row.points}" if row.exact else f"≥{row.points}"


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
    where = _after_round(table.after_round, rnd, lang)
    lines = []
    for r in table.rows:
        pos = f"{r.position}{'=' if r.shared else '.'}"
        gap = "—" if r.position == 1 and not r.shared else f"-{r.gap}"
        who = f"**{clip(r.name, 48)}**" + (f" #{r.car_number}" if r.car_number is not None else "")
        wins = " · " + tr(lang, "{n} win(s)", n=r.wins) if r.wins else ""
        ded = " · " + tr(lang, "−{n} pen.", n=r.deductions) if r.deductions else ""
        lines.append(
            f"`{pos:>3}` {who} — "
            + tr(lang, "{points} pts · gap {gap}", points=_points(r), gap=gap)
            + wins
            + ded
        )
    fields: list[tuple[str, str]] = []
    outcomes = view.outcomes(champ.slug) if table.final else []
    if outcomes:
        fields.append((tr(lang, "Official outcome"), _outcome_text(view, champ.slug, lang)))
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
                    + _mark(n.certainty, lang)
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
    return Reply(pages=_paginate(title, header, lines, footer, fields=fields, lang=lang))


TIE_BREAK = "ties: more wins, then more 2nd places, and so on (count-back)"


def _after_round(number: int, rnd: Round | None, lang: str) -> str:
    if rnd is None:
        return tr(lang, "after round {n}", n=number)
    return tr(lang, "after round {n} ({place})", n=number, place=short_circuit(rnd))


def _outcome_text(view: SeasonView, slug: str, lang: str = "en") -> str:
    lines = []
    for o in view.outcomes(slug):
        margin = (
            ", " + tr(lang, "{n} points ahead", n=o.margin_points)
            if o.margin_points is not None
            else ""
        )
        who = tr(lang, "Champion") if o.position == 1 else ordinal(o.position, lang)
        lines.append(
            "**"
            + tr(lang, "{who}: {name}", who=who, name=o.name)
            + f"**{margin}"
            + _mark(o.certainty, lang)
        )
    return "\n".join(lines)


# -- race --------------------------------------------------------------------------------
def penalty_text(p: Penalty, lang: str = "en") -> str:
    kinds = {
        PenaltyType.TIME: f"+{p.value} s",
        PenaltyType.POSITIONS: tr(lang, "drop of {n} place(s)", n=p.value),
        PenaltyType.DSQ: tr(lang, "disqualified"),
        PenaltyType.POINTS: tr(lang, "−{n} championship points", n=p.value),
        PenaltyType.GRID: (
            tr(lang, "grid drop of {n} places", n=p.value)
            if p.value
            else tr(lang, "qualifying times cancelled")
        ),
        PenaltyType.REPRIMAND: tr(lang, "reprimand"),
        PenaltyType.UNSPECIFIED: tr(lang, "penalty (kind not published)"),
    }
    text = kinds[p.type]
    if p.reason:
        text += f", {p.reason[:1].lower()}{p.reason[1:]}"
    if not p.active:
        text = (
            f"~~{text}~~ "
            + tr(lang, "revoked")
            + (f" ({p.revoke_reason})" if p.revoke_reason else "")
        )
    return text


def _row_line(row: ClassifiedRow, race: RaceView, lang: str) -> str:
    e = row.entry
    tags = []
    if e.klass:
        tags.append(e.klass)
    if e.rookie:
        tags.append("R")
    if e.guest:
        tags.append(tr(lang, "guest"))
    tag = f" [{', '.join(tags)}]" if tags else ""
    team = f" · {clip(e.team, 40)}" if e.team else ""
    if row.position is not None:
        pos = f"`{row.position:>2}.`"
    elif row.status and row.status is not Status.CLASSIFIED:
        pos = f"`{row.status.value:>3}`"
    else:
        pos = "` ?.`"
    extra = []
    if row.time_ms is not None and row.position == 1:
        extra.append(_duration(row.time_ms, lang))
    elif row.gap_ms is not None:
        extra.append(f"+{decimal(row.gap_ms / 1000, lang)} s")
    if row.result.series_position and race.session.shared_with:
        extra.append(
            tr(lang, "{place} in the series", place=ordinal(row.result.series_position, lang))
        )
    if row.result.class_position and e.klass:
        extra.append(f"{ordinal(row.result.class_position, lang)} {e.klass}")
    if row.result.rookie_position:
        extra.append(tr(lang, "{place} rookie", place=ordinal(row.result.rookie_position, lang)))
    effect = _effect(row, lang)
    if effect:
        extra.append(effect)
    mark = INFERRED if row.result.certainty is Certainty.INFERRED else ""
    tail = f" — {'; '.join(extra)}" if extra else ""
    return f"{pos} **{clip(e.driver, 40)}**{mark}{_car(e)}{tag}{team}{tail}"


def _effect(row: ClassifiedRow, lang: str = "en") -> str:
    active = [p for p in row.penalties if p.active and p.type is not PenaltyType.GRID]
    if not active:
        return ""
    what = ", ".join(penalty_text(p, lang) for p in active)
    if row.flag_position and row.position and row.flag_position != row.position:
        return tr(
            lang,
            "{flag} at the flag → classified {place}, {what}",
            flag=ordinal(row.flag_position, lang),
            place=ordinal(row.position, lang),
            what=what,
        )
    if row.flag_position and row.position is None:
        where = (
            tr(lang, "not classified")
            if row.status is Status.DSQ
            else tr(lang, "classified position unknown")
        )
        return tr(
            lang,
            "{flag} at the flag → {where}, {what}",
            flag=ordinal(row.flag_position, lang),
            where=where,
            what=what,
        )
    return what


def _duration(ms: int, lang: str = "en") -> str:
    minutes, rest = divmod(ms, 60_000)
    text = f"{minutes}:{rest / 1000:06.3f}"
    return text.replace(".", ",") if lang == "fr" else text


def race_reply(view: SeasonView, race: RaceView, lang: str = "en") -> Reply:
    session, rnd = race.session, race.round
    cls = race.classification
    title = f"{label(race, lang)} · {season_title(view)}"
    date = f"<t:{_ts(session.date)}:D>" if session.date else tr(lang, "date unknown")
    header_bits = [f"**{rnd.circuit}**, {rnd.town} · {date}"]
    if session.shared_with:
        header_bits.append(
            tr(
                lang,
                "Shared race with {series}: positions are on the road.",
                series=session.shared_with,
            )
        )
    if not session.final:
        header_bits.append(tr(lang, "**Provisional** classification."))
    lines = [_row_line(r, race, lang) for r in cls.rows]
    fields: list[tuple[str, str]] = []
    unknown = tr(lang, "unknown")
    pole = view.entries.get(session.pole_entry_id or 0)
    pole_text = unknown
    if pole:
        pole_text = f"{pole.driver}{_car(pole)}"
        if session.pole_time_ms:
            pole_text += f" ({_duration(session.pole_time_ms, lang)})"
        if session.pole_certainty and session.pole_certainty is not Certainty.CONFIRMED:
            pole_text += _mark(session.pole_certainty, lang)
    fl = view.entries.get(session.fastest_lap_entry_id or 0)
    fl_text = f"{fl.driver}{_car(fl)}" if fl else unknown
    if fl and session.fastest_lap_ms:
        fl_text += f" ({_duration(session.fastest_lap_ms, lang)})"
    fields.append((tr(lang, "Pole · fastest lap"), f"{pole_text} · {fl_text}"))
    winners = _class_winners(view, session, lang)
    if winners:
        fields.append((tr(lang, "Class winners"), winners))
    pens = list(race.penalties)
    quali = [
        p
        for s in view.season.sessions
        if s.round_number == rnd.number and s.code == "Q"
        for p in view.penalties_by_session.get(s.id, ())
    ]
    if pens or quali:
        plines = [
            f"• **{view.entries[p.entry_id].driver}**: {penalty_text(p, lang)}"
            + (f" — {p.effect}" if p.effect else "")
            for p in pens
        ]
        plines += [
            f"• **{view.entries[p.entry_id].driver}** ({tr(lang, 'qualifying')}): "
            f"{penalty_text(p, lang)}"
            for p in quali
        ]
        fields.append((tr(lang, "Stewards' decisions"), clip_lines(plines, 1000)))
    if session.note:
        fields.append((tr(lang, "Note"), clip(session.note, 1000)))
    known = sum(1 for r in cls.rows if r.position is not None)
    completeness = (
        tr(lang, "complete classification")
        if cls.complete
        else tr(lang, "partial record: {n} published positions; ? = position unknown", n=known)
    )
    footer = completeness + (
        f" · {INFERRED} " + tr(lang, "inferred") if INFERRED in "".join(lines) else ""
    )
    if session.source:
        footer += " · " + tr(lang, "source: {url}", url=session.source.split(" ; ")[0])
    header = "\n".join(header_bits)
    if not lines:
        header += "\n" + tr(lang, "No result recorded for this race yet.")
    return Reply(pages=_paginate(title, header, lines, footer, fields=fields, lang=lang))


def _class_winners(view: SeasonView, session: Session, lang: str) -> str:
    parts = []
    for champ in view.championships:
        if champ.is_teams or champ.slug == view.championships[0].slug:
            continue
        firsts = [s for s in view.scores(champ.slug, session.id) if s.rank == 1]
        name = (
            view.entries_by_driver(firsts[0].key).driver
            if len(firsts) == 1
            else tr(lang, "unknown")
        )
        shown = champ_name(champ.name, lang)
        parts.append(
            tr(
                lang,
                "{who}: {name}",
                who=shown,
                name=f"**{name}**" if firsts else tr(lang, "unknown"),
            )
        )
    return " · ".join(parts)


def _ts(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp())


# -- winners and poles -------------------------------------------------------------------------
def race_winner(view: SeasonView, race: RaceView, lang: str = "en") -> tuple[str, str | None]:
    """(what to show, the series winner's name or None when unknown)."""
    w = race.classification.winner
    if w is None:
        return tr(lang, "unknown"), None
    if not w.entry.guest:
        return w.entry.driver, w.entry.driver
    first = [s for s in view.scores(view.championships[0].slug, race.session.id) if s.rank == 1]
    series = view.entries_by_driver(first[0].key).driver if first else None
    return tr(
        lang,
        "{winner} (guest) · first in the series: {series}",
        winner=w.entry.driver,
        series=series or tr(lang, "unknown"),
    ), series


def winners_reply(view: SeasonView, slug: str | None, lang: str = "en") -> Reply:
    champ = view.season.championship(slug) if slug else None
    overall = champ is None or champ.slug == view.championships[0].slug
    name = tr(lang, "Overall") if overall or champ is None else champ_name(champ.name, lang)
    lines = []
    tally: Counter[str] = Counter()
    unknown = 0
    for race in view.race_views():
        if overall or champ is None:
            who, series = race_winner(view, race, lang)
            if series:
                tally[series] += 1
            else:
                unknown += 1
        else:
            firsts = [s for s in view.scores(champ.slug, race.session.id) if s.rank == 1]
            who = view.entries_by_driver(firsts[0].key).driver if firsts else tr(lang, "unknown")
            if firsts:
                tally[who] += 1
            else:
                unknown += 1
        lines.append(f"**{label(race, lang)}** — {who}")
    title = tr(lang, "{season} — {name} race winners", season=season_title(view), name=name)
    fields = [(tr(lang, "Tally"), _tally(tally))] if tally else []
    footer = tr(lang, "{n} races", n=len(lines)) + (
        " · " + tr(lang, "winner unknown in {n}", n=unknown) if unknown else ""
    )
    return Reply(pages=_paginate(title, "", lines, footer, fields=fields, lang=lang))


def poles_reply(view: SeasonView, lang: str = "en") -> Reply:
    lines = []
    tally: Counter[str] = Counter()
    for race in view.race_views():
        pole = view.entries.get(race.session.pole_entry_id or 0)
        who = f"{pole.driver}{_car(pole)}" if pole else tr(lang, "unknown")
        if pole:
            tally[pole.driver] += 1
            if race.session.pole_time_ms:
                who += f" ({_duration(race.session.pole_time_ms, lang)})"
        lines.append(f"**{label(race, lang)}** — {who}")
    title = tr(lang, "{season} — pole positions", season=season_title(view))
    fields = [(tr(lang, "Tally"), _tally(tally))] if tally else []
    footer = tr(lang, "{n} races", n=len(lines))
    return Reply(pages=_paginate(title, "", lines, footer, fields=fields, lang=lang))


def _tally(tally: Counter[str]) -> str:
    return clip_lines([f"{name}: {n}" for name, n in tally.most_common()], 1000)


# -- penalties ---------------------------------------------------------------------------------
def penalties_reply(
    view: SeasonView,
    items: Sequence[tuple[RaceView | None, Session, Penalty]],
    scope: str,
    lang: str = "en",
) -> Reply:
    lines = []
    for race, session, p in items:
        where = (
            label(race, lang)
            if race
            else tr(
                lang, "{place} — qualifying", place=short_circuit(view.rounds[session.round_number])
            )
        )
        driver = view.entries[p.entry_id].driver
        effect = f" — {p.effect}" if p.effect else ""
        by = f" ({p.decided_by})" if p.decided_by else ""
        lines.append(
            f"`#{p.id}` **{where}** · **{driver}**: {penalty_text(p, lang)}{effect}{by}"
            + _mark(p.certainty, lang)
        )
    title = tr(lang, "{season} — penalties", season=season_title(view)) + (
        f" · {scope}" if scope else ""
    )
    header = "" if lines else tr(lang, "No penalty recorded.")
    return Reply(
        pages=_paginate(title, header, lines, tr(lang, "newest first"), per_page=10, lang=lang)
    )


# -- driver ------------------------------------------------------------------------------------
def driver_reply(view: SeasonView, entry: Entry, lang: str = "en") -> Reply:
    tags = [
        t
        for t in (
            entry.klass,
            "rookie" if entry.rookie else None,
            "junior" if entry.junior else None,
            tr(lang, "guest") if entry.guest else None,
        )
        if t
    ]
    unknown = tr(lang, "unknown")
    title = f"{entry.driver}{_car(entry)} · {season_title(view)}"
    bits = [
        f"**{tr(lang, 'Team')}:** {entry.team or unknown}",
        f"**{tr(lang, 'Class')}:** {', '.join(tags) or unknown}",
    ]
    if entry.nationality:
        bits.append(f"**{tr(lang, 'Nationality')}:** {entry.nationality}")
    lines = []
    wins = podiums = poles = 0
    for race in view.race_views():
        if not entry.enters(race.round.number):
            continue
        if race.session.pole_entry_id == entry.id:
            poles += 1
        row = race.classification.row(entry.id)
        if row is None:
            lines.append(f"**{label(race, lang)}** — {tr(lang, 'no result recorded')}")
            continue
        place = series_place(row, race.session)
        wins += place == 1
        podiums += place is not None and place <= 3
        if row.position is not None:
            text = ordinal(row.position, lang)
        elif row.status and row.status is not Status.CLASSIFIED:
            text = row.status.value
        else:
            text = tr(lang, "position unknown")
        extra = []
        if row.result.series_position and race.session.shared_with:
            extra.append(
                tr(lang, "{place} in the series", place=ordinal(row.result.series_position, lang))
            )
        if row.result.class_position and entry.klass:
            extra.append(f"{ordinal(row.result.class_position, lang)} {entry.klass}")
        effect = _effect(row, lang)
        if effect:
            extra.append(effect)
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"**{label(race, lang)}** — {text}{tail}")
    champ_lines = []
    for champ in view.championships:
        if champ.is_teams:
            continue
        table = view.standings(champ.slug)
        standing = next((r for r in table.rows if r.key == entry.driver_id), None)
        shown = champ_name(champ.name, lang)
        if standing is not None:
            champ_lines.append(
                tr(
                    lang,
                    "{championship}: {place} on {points} pts",
                    championship=shown,
                    place=ordinal(standing.position, lang),
                    points=_points(standing),
                )
                + ("" if table.complete else " " + tr(lang, "(computed, incomplete record)"))
            )
        for o in view.outcomes(champ.slug):
            if o.name == entry.driver:
                what = tr(lang, "champion") if o.position == 1 else ordinal(o.position, lang)
                champ_lines.append(
                    "**"
                    + tr(lang, "Official: {championship} {what}", championship=shown, what=what)
                    + f"**{_mark(o.certainty, lang)}"
                )
    pens = [p for p in view.season.penalties if p.entry_id == entry.id]
    fields = [
        (
            tr(lang, "Record"),
            tr(
                lang,
                "{wins} wins · {podiums} podiums · {poles} poles (known results)",
                wins=wins,
                podiums=podiums,
                poles=poles,
            ),
        ),
        (tr(lang, "Championships"), "\n".join(champ_lines) or "—"),
    ]
    if pens:
        fields.append(
            (
                tr(lang, "Penalties"),
                clip_lines(
                    [
                        f"• {session_name(view, p.session_id, lang)}: {penalty_text(p, lang)}"
                        for p in pens
                    ],
                    1000,
                ),
            )
        )
    if entry.note:
        fields.append((tr(lang, "Note"), clip(entry.note, 1000)))
    header = "\n".join(bits)
    return Reply(
        pages=_paginate(
            title, header, lines, tr(lang, "results as published"), fields=fields, lang=lang
        )
    )


def session_name(view: SeasonView, session_id: int, lang: str = "en") -> str:
    """ "Monza — race 1", or "Monza — qualifying"."""
    session = view.sessions[session_id]
    rnd = view.rounds[session.round_number]
    if session.number:
        return race_name(rnd, session, lang)
    return tr(lang, "{place} — qualifying", place=short_circuit(rnd))


# -- calendar ----------------------------------------------------------------------------------
def calendar_reply(view: SeasonView, lang: str = "en") -> Reply:
    lines = []
    for rnd in view.season.rounds:
        when = (
            f"<t:{_ts(rnd.start_date)}:D> – <t:{_ts(rnd.end_date)}:D>"
            if rnd.start_date and rnd.end_date
            else tr(lang, "dates unknown")
        )
        winners = []
        for s in view.races_of_round(rnd.number):
            race = view.race(rnd.number, s.number)
            if race is not None:
                winners.append(f"R{s.number}: {race_winner(view, race, lang)[0]}")
        lines.append(
            f"**{rnd.number}. {rnd.circuit}** ({rnd.town}, {rnd.country}) · {when}\n"
            f"　{' · '.join(winners) or tr(lang, 'no race yet')}"
        )
    title = tr(lang, "{season} — calendar", season=season_title(view))
    return Reply(
        pages=_paginate(
            title, "", lines, tr(lang, "{n} rounds", n=len(lines)), per_page=10, lang=lang
        )
    )


# -- help --------------------------------------------------------------------------------------
HELP = (
    (
        "/standings [championship] [season] [after_round]",
        "Standings: drivers, pro-am, am, rookie, teams. `/standings rookie`, "
        "`/standings drivers after_round:5`",
    ),
    (
        "/race <circuit> [number] [season]",
        "A race's classification with penalties and their effect. `/race monza 1`, "
        "`/race le castellet 2`, `/race le mans`",
    ),
    ("/winners [class] [season]", "Every race winner with a tally. `/winners pro-am`"),
    ("/poles [season]", "Every pole position with a tally."),
    (
        "/penalties [driver] [race] [season]",
        "Stewards' decisions, newest first. `/penalties paque`, `/penalties race:monza 2`",
    ),
    ("/driver <name> [season]", "A driver's season. `/driver boullery`, `/driver 98`"),
    ("/calendar [season]", "Rounds, dates and winners."),
    (
        "/title [championship] [season] [after_round]",
        "Who can still win, and what it takes. `/title after_round:5`",
    ),
    ("/chart [championship] [season] [drivers]", "The points race by race, as a picture."),
    ("/compare <first> <second> [season]", "Head to head. `/compare boccolacci ghiretti`"),
    ("/next [season]", "The next round with a countdown."),
)


def help_reply(lang: str = "en") -> Reply:
    embed = discord.Embed(
        title=tr(lang, "Parc Fermé — commands"),
        description=tr(
            lang,
            "Names are forgiving: case, accents, part of a name and other names of a circuit "
            "all work (Le Castellet = Paul Ricard, Spielberg = Red Bull Ring). The season "
            "defaults to the latest.",
        ),
        colour=COLOUR,
    )
    for name, text in HELP:
        embed.add_field(name=name, value=tr(lang, text), inline=False)
    embed.set_footer(text=tr(lang, "Unknown facts are shown as unknown; inferred ones are marked."))
    return Reply(pages=[fit_embed(embed)])


# -- title -------------------------------------------------------------------------------------
def render_condition(parts: Sequence[tuple[str, dict[str, object]]], lang: str) -> str:
    texts = []
    for template, params in parts:
        values = {
            k: (ordinal(v, lang) if k in ("place", "need") and isinstance(v, int) else v)
            for k, v in params.items()
        }
        texts.append(tr(lang, template, **values))
    text = "; ".join(t for t in texts if not t.startswith("("))
    tail = " ".join(t for t in texts if t.startswith("("))
    text = text[:1].upper() + text[1:]
    if tail:
        text += " " + tail
    return text if text.endswith(".") else text + "."


def title_reply(view: SeasonView, slug: str, after_round: int | None, lang: str = "en") -> Reply:
    from bot.domain.title import published_gap_outlook, title_outlook

    champ = view.season.championship(slug)
    assert champ is not None
    table = view.standings(slug, after_round)
    upto = table.after_round
    left = view.races_after(upto)
    rules = view.season.scoring
    where = _after_round(upto, view.rounds.get(upto), lang)
    title = tr(
        lang,
        "{season} — {championship} title, {where}",
        season=season_title(view),
        championship=champ_name(champ.name, lang),
        where=where,
    )
    lines: list[str] = []
    fields: list[tuple[str, str]] = []
    per_race = rules.scale[0] + (
        (rules.pole_bonus + rules.fastest_lap_bonus) if champ.bonuses else 0
    )
    lines.append(
        tr(
            lang,
            "**{n} race(s) left**, up to **{per}** points each ({total} in all)",
            n=len(left),
            per=per_race,
            total=len(left) * per_race,
        )
        + (" — " + tr(lang, "scale inferred") if rules.certainty is not Certainty.CONFIRMED else "")
    )
    if table.complete:
        out = title_outlook(table, rules, champ.bonuses, len(left))
        for c in out.contenders:
            how = " " + tr(lang, "(only on count-back)") if c.by_countback else ""
            lines.append(
                "• "
                + tr(
                    lang,
                    "**{name}**: {points} pts, best case {best}",
                    name=c.name,
                    points=c.points,
                    best=c.best,
                )
                + how
            )
        if out.eliminated:
            fields.append(
                (
                    tr(lang, "Out of it"),
                    clip_lines(
                        [
                            tr(
                                lang,
                                "{name} ({points} pts, best case {best})",
                                name=c.name,
                                points=c.points,
                                best=c.best,
                            )
                            for c in out.eliminated
                        ],
                        1000,
                    ),
                )
            )
        if out.conditions:
            fields.append(
                (
                    tr(lang, "What it takes"),
                    clip_lines([render_condition(parts, lang) for parts in out.conditions], 1000),
                )
            )
    else:
        notes = [n for n in view.standings_notes(slug, upto) if n.gap_points is not None]
        note = next((n for n in notes if n.after_session is None), notes[-1] if notes else None)
        lines.append(
            tr(
                lang,
                "The record is incomplete: the computed totals are lower bounds, "
                "so nobody can be ruled in or out from them.",
            )
        )
        if note and note.leader and note.rival and note.gap_points is not None:
            lines.append(
                tr(lang, "Published: {text}", text=note.text) + _mark(note.certainty, lang) + "."
            )
            conditions = published_gap_outlook(
                note.leader, note.rival, note.gap_points, rules, champ.bonuses, len(left)
            )
            fields.append(
                (
                    tr(lang, "What it took"),
                    clip_lines([render_condition([c], lang) for c in conditions], 1000),
                )
            )
            fields.append(
                (
                    tr(lang, "Everyone else"),
                    tr(
                        lang,
                        "Unknown: the record has no totals for the other drivers at this point.",
                    ),
                )
            )
        else:
            lines.append(
                tr(
                    lang,
                    "No published standings give the gaps at this point, so the "
                    "title maths cannot be done honestly.",
                )
            )
    if view.season.status == "final" and left and view.outcomes(slug):
        fields.append((tr(lang, "What happened"), _outcome_text(view, slug, lang)))
    footer = tr(lang, TIE_BREAK) + ("" if table.complete else " · " + tr(lang, "incomplete record"))
    return Reply(pages=_paginate(title, "\n".join(lines), [], footer, fields=fields, lang=lang))


# -- compare -----------------------------------------------------------------------------------
def compare_reply(view: SeasonView, a: Entry, b: Entry, lang: str = "en") -> Reply:
    ahead = {a.id: 0, b.id: 0}
    quali = {a.id: 0, b.id: 0}
    both_races = both_grids = 0
    tally = {a.id: Counter[str](), b.id: Counter[str]()}
    for race in view.race_views():
        ra, rb = race.classification.row(a.id), race.classification.row(b.id)
        for e, row in ((a, ra), (b, rb)):
            place = series_place(row, race.session)
            if place == 1:
                tally[e.id]["wins"] += 1
            if place and place <= 3:
                tally[e.id]["podiums"] += 1
            if race.session.pole_entry_id == e.id:
                tally[e.id]["poles"] += 1
        if ra and rb and ra.position and rb.position:
            both_races += 1
            ahead[a.id if ra.position < rb.position else b.id] += 1
        if ra and rb and ra.result.grid and rb.result.grid:
            both_grids += 1
            quali[a.id if ra.result.grid < rb.result.grid else b.id] += 1
    pens = Counter(p.entry_id for p in view.season.penalties if p.active)
    drivers = view.standings(view.championships[0].slug)
    pts = {r.key: r for r in drivers.rows}

    def line(text: str, x: object, y: object) -> str:
        return f"**{text}**: {x} – {y}"

    pa, pb = pts.get(a.driver_id), pts.get(b.driver_id)
    lines = [
        line(
            tr(lang, "Finished ahead ({n} races with both placed)", n=both_races),
            ahead[a.id],
            ahead[b.id],
        ),
        line(tr(lang, "Started ahead ({n} known grids)", n=both_grids), quali[a.id], quali[b.id]),
        line(tr(lang, "Wins"), tally[a.id]["wins"], tally[b.id]["wins"]),
        line(tr(lang, "Podiums"), tally[a.id]["podiums"], tally[b.id]["podiums"]),
        line(tr(lang, "Poles"), tally[a.id]["poles"], tally[b.id]["poles"]),
        line(tr(lang, "Points"), _points(pa) if pa else "—", _points(pb) if pb else "—"),
        line(tr(lang, "Penalties"), pens[a.id], pens[b.id]),
    ]
    title = tr(lang, "{a} vs {b}", a=a.driver, b=b.driver) + f" · {season_title(view)}"
    footer = tr(lang, "known results only") + (
        "" if drivers.complete else " · " + tr(lang, "incomplete record (≥)")
    )
    return Reply(pages=_paginate(title, "\n".join(lines), [], footer, lang=lang))


def series_place(row: ClassifiedRow | None, session: Session) -> int | None:
    """The place that counts for wins and podiums (the series' own in a shared race)."""
    if row is None:
        return None
    if session.shared_with:
        return row.result.series_position
    return row.position


# -- next --------------------------------------------------------------------------------------
def next_reply(view: SeasonView, today: dt.date, lang: str = "en") -> Reply:
    upcoming = [r for r in view.season.rounds if r.start_date and r.start_date >= today]
    title = tr(lang, "{season} — next round", season=season_title(view))
    if upcoming:
        rnd = upcoming[0]
        assert rnd.start_date is not None
        text = (
            tr(
                lang,
                "**Round {n}: {circuit}** ({town}, {country})",
                n=rnd.number,
                circuit=rnd.circuit,
                town=rnd.town,
                country=rnd.country,
            )
            + "\n"
            + tr(
                lang,
                "{date} · starts {countdown}",
                date=f"<t:{_ts(rnd.start_date)}:D>",
                countdown=f"<t:{_ts(rnd.start_date)}:R>",
            )
        )
        return Reply(
            pages=_paginate(
                title, text, [], tr(lang, "{n} rounds to go", n=len(upcoming)), lang=lang
            )
        )
    last = view.races[-1] if view.races else None
    if last is None:
        return Reply(pages=_paginate(title, tr(lang, "No round is scheduled."), [], "", lang=lang))
    race = view.race(last.round_number, last.number)
    assert race is not None
    when = " " + tr(lang, "on {date}", date=f"<t:{_ts(last.date)}:D>") if last.date else ""
    text = tr(
        lang,
        "The {year} season is over. The last race was **{race}**{when}: see "
        "`{command}` and `/standings`.",
        year=view.season.year,
        race=label(race, lang),
        when=when,
        command=f"/race {race.round.slug.replace('-', ' ')} {last.number}",
    )
    return Reply(pages=_paginate(title, text, [], tr(lang, "season finished"), lang=lang))


def chart_fallback(
    title: str, races: list[str], series: list[tuple[str, list[int]]], lang: str = "en"
) -> Reply:
    lines = [f"**{name}**: " + " → ".join(str(p) for p in pts[-6:]) for name, pts in series]
    return Reply(
        pages=_paginate(
            title,
            tr(lang, "The chart could not be drawn; the last totals:"),
            lines,
            tr(lang, "{n} races", n=len(races)),
            lang=lang,
        )
    )
