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
from bot.rendering.limits import clip, clip_lines, fit_embed
from bot.services.championship import RaceView, SeasonView, race_label, short_circuit

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


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def error_reply(message: str, suggestions: Sequence[str] = ()) -> Reply:
    text = message
    if suggestions:
        text += "\nDid you mean: " + ", ".join(f"**{clip(s, 80)}**" for s in suggestions[:5]) + "?"
    embed = discord.Embed(description=clip(text, 4000), colour=ERROR_COLOUR)
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def season_title(view: SeasonView) -> str:
    return f"{view.season.year} {view.season.series_name}"


def _car(entry: Entry) -> str:
    return f" #{entry.car_number}" if entry.car_number is not None else ""


def _mark(certainty: Certainty) -> str:
    return f" ({certainty.value})" if certainty is not Certainty.CONFIRMED else ""


def _paginate(
    title: str,
    header: str,
    lines: Sequence[str],
    footer: str,
    *,
    fields: Sequence[tuple[str, str]] = (),
    per_page: int = ROWS_PER_PAGE,
) -> list[discord.Embed]:
    chunks = [list(lines[i : i + per_page]) for i in range(0, len(lines), per_page)] or [[]]
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        body = "\n".join(x for x in (header, clip_lines(chunk, 3500) if chunk else "") if x)
        embed = discord.Embed(title=title, description=body or "—", colour=COLOUR)
        if n == 1:
            for name, value in fields:
                embed.add_field(name=name, value=value or "—", inline=False)
        page_note = f" · page {n}/{len(chunks)}" if len(chunks) > 1 else ""
        embed.set_footer(text=footer + page_note)
        pages.append(fit_embed(embed))
    return pages


# -- standings -------------------------------------------------------------------------------
def _points(row: StandingsRow) -> str:
    return f"{row.points}" if row.exact else f"≥{row.points}"


def standings_reply(view: SeasonView, table: Standings) -> Reply:
    champ = table.championship
    rnd = view.rounds.get(table.after_round)
    if table.final:
        state = "final"
    elif view.season.status == "final":
        state = "as it stood then"
    else:
        state = "provisional"
    title = f"{season_title(view)} — {champ.name} standings"
    where = f"after round {table.after_round}" + (f" ({short_circuit(rnd)})" if rnd else "")
    lines = []
    for r in table.rows:
        pos = f"{r.position}{'=' if r.shared else '.'}"
        gap = "—" if r.position == 1 and not r.shared else f"-{r.gap}"
        who = f"**{clip(r.name, 48)}**" + (f" #{r.car_number}" if r.car_number is not None else "")
        wins = f" · {r.wins} win{'s' if r.wins != 1 else ''}" if r.wins else ""
        ded = f" · −{r.deductions} pen." if r.deductions else ""
        lines.append(f"`{pos:>3}` {who} — {_points(r)} pts · gap {gap}{wins}{ded}")
    fields: list[tuple[str, str]] = []
    outcomes = view.outcomes(champ.slug) if table.final else []
    if outcomes:
        fields.append(("Official outcome", _outcome_text(view, champ.slug)))
    notes = view.standings_notes(champ.slug, table.after_round)
    if notes:
        fields.append(
            (
                "Published at this point",
                "\n".join(
                    f"• {n.text}"
                    + (f" (after {n.after_session})" if n.after_session else "")
                    + _mark(n.certainty)
                    for n in notes
                ),
            )
        )
    if not table.complete:
        fields.append(
            (
                "Computed from an incomplete record",
                f"{table.races_complete} of {table.races_counted} races have a complete "
                f"classification; {table.unknown_results} results or bonuses are unknown, so "
                "totals are lower bounds (≥) and the order may differ from the official one."
                + (" Use the official outcome above." if outcomes else ""),
            )
        )
    scale_note = (
        f"points scale {view.season.scoring.certainty.value}"
        if view.season.scoring.certainty is not Certainty.CONFIRMED
        else ""
    )
    footer = " · ".join(
        x
        for x in (
            f"{where}, {state}",
            f"{table.tie_break}",
            "complete record" if table.complete else "incomplete record",
            scale_note,
        )
        if x
    )
    header = "" if lines else "No results recorded yet."
    return Reply(pages=_paginate(title, header, lines, footer, fields=fields))


def _outcome_text(view: SeasonView, slug: str) -> str:
    lines = []
    for o in view.outcomes(slug):
        margin = f", {o.margin_points} points ahead" if o.margin_points is not None else ""
        label = "Champion" if o.position == 1 else ordinal(o.position)
        lines.append(f"**{label}: {o.name}**{margin}{_mark(o.certainty)}")
    return "\n".join(lines)


# -- race --------------------------------------------------------------------------------
def penalty_text(p: Penalty) -> str:
    kinds = {
        PenaltyType.TIME: f"+{p.value} s",
        PenaltyType.POSITIONS: f"drop of {p.value} place{'s' if p.value != 1 else ''}",
        PenaltyType.DSQ: "disqualified",
        PenaltyType.POINTS: f"−{p.value} championship points",
        PenaltyType.GRID: (
            f"grid drop of {p.value} places" if p.value else "qualifying times cancelled"
        ),
        PenaltyType.REPRIMAND: "reprimand",
        PenaltyType.UNSPECIFIED: "penalty (kind not published)",
    }
    text = kinds[p.type]
    if p.reason:
        text += f", {p.reason[:1].lower()}{p.reason[1:]}"
    if not p.active:
        text = f"~~{text}~~ revoked" + (f" ({p.revoke_reason})" if p.revoke_reason else "")
    return text


def _row_line(row: ClassifiedRow, view: SeasonView, race: RaceView) -> str:
    e = row.entry
    tags = []
    if e.klass:
        tags.append(e.klass)
    if e.rookie:
        tags.append("R")
    if e.guest:
        tags.append("guest")
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
        extra.append(_duration(row.time_ms))
    elif row.gap_ms is not None:
        extra.append(f"+{row.gap_ms / 1000:.3f} s")
    published = []
    if row.result.series_position and race.session.shared_with:
        published.append(f"{ordinal(row.result.series_position)} in the series")
    if row.result.class_position and e.klass:
        published.append(f"{ordinal(row.result.class_position)} {e.klass}")
    if row.result.rookie_position:
        published.append(f"{ordinal(row.result.rookie_position)} rookie")
    extra += published
    effect = _effect(row)
    if effect:
        extra.append(effect)
    mark = INFERRED if row.result.certainty is Certainty.INFERRED else ""
    tail = f" — {'; '.join(extra)}" if extra else ""
    return f"{pos} **{clip(e.driver, 40)}**{mark}{_car(e)}{tag}{team}{tail}"


def _effect(row: ClassifiedRow) -> str:
    active = [p for p in row.penalties if p.active and p.type is not PenaltyType.GRID]
    if not active:
        return ""
    what = ", ".join(penalty_text(p) for p in active)
    if row.flag_position and row.position and row.flag_position != row.position:
        return (
            f"{ordinal(row.flag_position)} at the flag → classified {ordinal(row.position)}, {what}"
        )
    if row.flag_position and row.position is None:
        where = "not classified" if row.status is Status.DSQ else "classified position unknown"
        return f"{ordinal(row.flag_position)} at the flag → {where}, {what}"
    return what


def _duration(ms: int) -> str:
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest / 1000:06.3f}"


def race_reply(view: SeasonView, race: RaceView) -> Reply:
    session, rnd = race.session, race.round
    cls = race.classification
    title = f"{race.label} · {season_title(view)}"
    date = f"<t:{_ts(session.date)}:D>" if session.date else "date unknown"
    header_bits = [f"**{rnd.circuit}**, {rnd.town} · {date}"]
    if session.shared_with:
        header_bits.append(f"Shared race with {session.shared_with}: positions are on the road.")
    if not session.final:
        header_bits.append("**Provisional** classification.")
    lines = [_row_line(r, view, race) for r in cls.rows]
    fields: list[tuple[str, str]] = []
    pole = view.entries.get(session.pole_entry_id or 0)
    pole_text = "unknown"
    if pole:
        pole_text = f"{pole.driver}{_car(pole)}"
        if session.pole_time_ms:
            pole_text += f" ({_duration(session.pole_time_ms)})"
        if session.pole_certainty and session.pole_certainty is not Certainty.CONFIRMED:
            pole_text += _mark(session.pole_certainty)
    fl = view.entries.get(session.fastest_lap_entry_id or 0)
    fl_text = f"{fl.driver}{_car(fl)}" if fl else "unknown"
    if fl and session.fastest_lap_ms:
        fl_text += f" ({_duration(session.fastest_lap_ms)})"
    fields.append(("Pole · fastest lap", f"{pole_text} · {fl_text}"))
    winners = _class_winners(view, session)
    if winners:
        fields.append(("Class winners", winners))
    pens = list(race.penalties)
    quali = [
        p
        for s in view.season.sessions
        if s.round_number == rnd.number and s.code == "Q"
        for p in view.penalties_by_session.get(s.id, ())
    ]
    if pens or quali:
        plines = [
            f"• **{view.entries[p.entry_id].driver}**: {penalty_text(p)}"
            + (f" — {p.effect}" if p.effect else "")
            for p in pens
        ]
        plines += [
            f"• **{view.entries[p.entry_id].driver}** (qualifying): {penalty_text(p)}"
            for p in quali
        ]
        fields.append(("Stewards' decisions", clip_lines(plines, 1000)))
    if session.note:
        fields.append(("Note", clip(session.note, 1000)))
    known = sum(1 for r in cls.rows if r.position is not None)
    completeness = (
        "complete classification"
        if cls.complete
        else f"partial record: {known} published positions; ? = position unknown"
    )
    footer = completeness + (f" · {INFERRED} inferred" if INFERRED in "".join(lines) else "")
    if session.source:
        footer += f" · source: {session.source.split(' ; ')[0]}"
    header = "\n".join(header_bits)
    if not lines:
        header += "\nNo result recorded for this race yet."
    return Reply(pages=_paginate(title, header, lines, footer, fields=fields))


def _class_winners(view: SeasonView, session: Session) -> str:
    parts = []
    for champ in view.championships:
        if champ.is_teams or champ.slug == view.championships[0].slug:
            continue
        firsts = [s for s in view.scores(champ.slug, session.id) if s.rank == 1]
        name = view.entries_by_driver(firsts[0].key).driver if len(firsts) == 1 else "unknown"
        parts.append(f"{champ.name}: **{name}**" if firsts else f"{champ.name}: unknown")
    return " · ".join(parts)


def _ts(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp())


# -- winners and poles -------------------------------------------------------------------------
def race_winner(view: SeasonView, race: RaceView) -> tuple[str, str | None]:
    """(what to show, the series winner's name or None when unknown)."""
    w = race.classification.winner
    if w is None:
        return "unknown", None
    if not w.entry.guest:
        return w.entry.driver, w.entry.driver
    first = [s for s in view.scores(view.championships[0].slug, race.session.id) if s.rank == 1]
    series = view.entries_by_driver(first[0].key).driver if first else None
    return f"{w.entry.driver} (guest) · first in the series: {series or 'unknown'}", series


def winners_reply(view: SeasonView, slug: str | None) -> Reply:
    champ = view.season.championship(slug) if slug else None
    name = champ.name if champ and champ.slug != view.championships[0].slug else "Overall"
    lines = []
    tally: Counter[str] = Counter()
    for race in view.race_views():
        if champ is None or champ.slug == view.championships[0].slug:
            who, series = race_winner(view, race)
            if series:
                tally[series] += 1
        else:
            firsts = [s for s in view.scores(champ.slug, race.session.id) if s.rank == 1]
            who = view.entries_by_driver(firsts[0].key).driver if firsts else "unknown"
            if firsts:
                tally[who] += 1
        lines.append(f"**{race.label}** — {who}")
    title = f"{season_title(view)} — {name} race winners"
    fields = [("Tally", _tally(tally))] if tally else []
    unknown = sum(1 for line in lines if line.endswith("unknown"))
    footer = f"{len(lines)} races" + (f" · winner unknown in {unknown}" if unknown else "")
    return Reply(pages=_paginate(title, "", lines, footer, fields=fields))


def poles_reply(view: SeasonView) -> Reply:
    lines = []
    tally: Counter[str] = Counter()
    for race in view.race_views():
        pole = view.entries.get(race.session.pole_entry_id or 0)
        who = f"{pole.driver}{_car(pole)}" if pole else "unknown"
        if pole:
            tally[pole.driver] += 1
            if race.session.pole_time_ms:
                who += f" ({_duration(race.session.pole_time_ms)})"
        lines.append(f"**{race.label}** — {who}")
    title = f"{season_title(view)} — pole positions"
    fields = [("Tally", _tally(tally))] if tally else []
    return Reply(pages=_paginate(title, "", lines, f"{len(lines)} races", fields=fields))


def _tally(tally: Counter[str]) -> str:
    return clip_lines([f"{name}: {n}" for name, n in tally.most_common()], 1000)


# -- penalties ---------------------------------------------------------------------------------
def penalties_reply(
    view: SeasonView, items: Sequence[tuple[RaceView | None, Session, Penalty]], scope: str
) -> Reply:
    lines = []
    for race, session, p in items:
        where = (
            race.label
            if race
            else f"{short_circuit(view.rounds[session.round_number])} — qualifying"
        )
        driver = view.entries[p.entry_id].driver
        effect = f" — {p.effect}" if p.effect else ""
        by = f" ({p.decided_by})" if p.decided_by else ""
        lines.append(
            f"`#{p.id}` **{where}** · **{driver}**: {penalty_text(p)}{effect}{by}"
            + _mark(p.certainty)
        )
    title = f"{season_title(view)} — penalties" + (f" · {scope}" if scope else "")
    header = "" if lines else "No penalty recorded."
    return Reply(pages=_paginate(title, header, lines, "newest first", per_page=10))


# -- driver ------------------------------------------------------------------------------------
def driver_reply(view: SeasonView, entry: Entry) -> Reply:
    tags = [
        t
        for t in (
            entry.klass,
            "rookie" if entry.rookie else None,
            "junior" if entry.junior else None,
            "guest" if entry.guest else None,
        )
        if t
    ]
    title = f"{entry.driver}{_car(entry)} · {season_title(view)}"
    bits = [f"**Team:** {entry.team or 'unknown'}", f"**Class:** {', '.join(tags) or 'unknown'}"]
    if entry.nationality:
        bits.append(f"**Nationality:** {entry.nationality}")
    lines = []
    wins = podiums = poles = 0
    for race in view.race_views():
        if not entry.enters(race.round.number):
            continue
        if race.session.pole_entry_id == entry.id:
            poles += 1
        row = race.classification.row(entry.id)
        if row is None:
            lines.append(f"**{race.label}** — no result recorded")
            continue
        if row.position is not None:
            text = ordinal(row.position)
            wins += row.position == 1 and not race.session.shared_with
            podiums += row.position <= 3 and not race.session.shared_with
        elif row.status and row.status is not Status.CLASSIFIED:
            text = row.status.value
        else:
            text = "position unknown"
        extra = []
        if row.result.series_position and race.session.shared_with:
            extra.append(f"{ordinal(row.result.series_position)} in the series")
            wins += row.result.series_position == 1
            podiums += row.result.series_position <= 3
        if row.result.class_position and entry.klass:
            extra.append(f"{ordinal(row.result.class_position)} {entry.klass}")
        effect = _effect(row)
        if effect:
            extra.append(effect)
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"**{race.label}** — {text}{tail}")
    champ_lines = []
    for champ in view.championships:
        if champ.is_teams:
            continue
        table = view.standings(champ.slug)
        standing = next((r for r in table.rows if r.key == entry.driver_id), None)
        if standing is not None:
            champ_lines.append(
                f"{champ.name}: {ordinal(standing.position)} on {_points(standing)} pts"
                + ("" if table.complete else " (computed, incomplete record)")
            )
        for o in view.outcomes(champ.slug):
            if o.name == entry.driver:
                label = "champion" if o.position == 1 else ordinal(o.position)
                champ_lines.append(f"**Official: {champ.name} {label}**{_mark(o.certainty)}")
    pens = [p for p in view.season.penalties if p.entry_id == entry.id]
    fields = [
        ("Record", f"{wins} wins · {podiums} podiums · {poles} poles (known results)"),
        ("Championships", "\n".join(champ_lines) or "—"),
    ]
    if pens:
        fields.append(
            (
                "Penalties",
                clip_lines(
                    [f"• {_session_name(view, p)}: {penalty_text(p)}" for p in pens],
                    1000,
                ),
            )
        )
    if entry.note:
        fields.append(("Note", clip(entry.note, 1000)))
    header = "\n".join(bits)
    return Reply(pages=_paginate(title, header, lines, "results as published", fields=fields))


def _session_name(view: SeasonView, p: Penalty) -> str:
    session = view.sessions[p.session_id]
    rnd = view.rounds[session.round_number]
    return race_label(rnd, session) if session.number else f"{short_circuit(rnd)} qualifying"


# -- calendar ----------------------------------------------------------------------------------
def calendar_reply(view: SeasonView) -> Reply:
    lines = []
    for rnd in view.season.rounds:
        when = (
            f"<t:{_ts(rnd.start_date)}:D> – <t:{_ts(rnd.end_date)}:D>"
            if rnd.start_date and rnd.end_date
            else "dates unknown"
        )
        winners = []
        for s in view.races_of_round(rnd.number):
            race = view.race(rnd.number, s.number)
            if race is not None:
                winners.append(f"R{s.number}: {race_winner(view, race)[0]}")
        lines.append(
            f"**{rnd.number}. {rnd.circuit}** ({rnd.town}, {rnd.country}) · {when}\n"
            f"　{' · '.join(winners) or 'no race yet'}"
        )
    title = f"{season_title(view)} — calendar"
    return Reply(pages=_paginate(title, "", lines, f"{len(lines)} rounds", per_page=10))


def round_label(rnd: Round) -> str:
    return f"{rnd.number}. {short_circuit(rnd)}"


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
)


def help_reply() -> Reply:
    embed = discord.Embed(
        title="Parc Fermé — commands",
        description=(
            "Names are forgiving: case, accents, part of a name and other names of a circuit "
            "all work (Le Castellet = Paul Ricard, Spielberg = Red Bull Ring). The season "
            "defaults to the latest."
        ),
        colour=COLOUR,
    )
    for name, text in HELP:
        embed.add_field(name=name, value=text, inline=False)
    embed.set_footer(text="Unknown facts are shown as unknown; inferred ones are marked.")
    return Reply(pages=[fit_embed(embed)])


# -- title -------------------------------------------------------------------------------------
def title_reply(view: SeasonView, slug: str, after_round: int | None) -> Reply:
    from bot.domain.title import published_gap_outlook, title_outlook

    champ = view.season.championship(slug)
    assert champ is not None
    table = view.standings(slug, after_round)
    upto = table.after_round
    left = view.races_after(upto)
    rules = view.season.scoring
    rnd = view.rounds.get(upto)
    where = f"after round {upto}" + (f" ({short_circuit(rnd)})" if rnd else "")
    title = f"{season_title(view)} — {champ.name} title, {where}"
    lines: list[str] = []
    fields: list[tuple[str, str]] = []
    per_race = rules.scale[0] + (
        (rules.pole_bonus + rules.fastest_lap_bonus) if champ.bonuses else 0
    )
    lines.append(
        f"**{len(left)} race{'s' if len(left) != 1 else ''} left**, up to **{per_race}** points "
        f"each ({len(left) * per_race} in all)"
        + (" — scale inferred" if rules.certainty is not Certainty.CONFIRMED else "")
    )
    if table.complete:
        out = title_outlook(table, rules, champ.bonuses, len(left))
        for c in out.contenders:
            how = " (only on count-back)" if c.by_countback else ""
            lines.append(f"• **{c.name}**: {c.points} pts, best case {c.best}{how}")
        if out.eliminated:
            fields.append(
                (
                    "Out of it",
                    clip_lines(
                        [f"{c.name} ({c.points} pts, best case {c.best})" for c in out.eliminated],
                        1000,
                    ),
                )
            )
        if out.conditions:
            fields.append(("What it takes", clip_lines(list(out.conditions), 1000)))
    else:
        notes = [n for n in view.standings_notes(slug, upto) if n.gap_points is not None]
        note = next((n for n in notes if n.after_session is None), notes[-1] if notes else None)
        lines.append(
            "The record is incomplete: the computed totals are lower bounds, so nobody can be "
            "ruled in or out from them."
        )
        if note and note.leader and note.rival and note.gap_points is not None:
            lines.append(f"Published: {note.text}{_mark(note.certainty)}.")
            conditions = published_gap_outlook(
                note.leader, note.rival, note.gap_points, rules, champ.bonuses, len(left)
            )
            fields.append(("What it took", clip_lines(list(conditions), 1000)))
            fields.append(
                (
                    "Everyone else",
                    "Unknown: the record has no totals for the other drivers at this point.",
                )
            )
        else:
            lines.append(
                "No published standings give the gaps at this point, so the title "
                "maths cannot be done honestly."
            )
    if view.season.status == "final" and left and view.outcomes(slug):
        fields.append(("What happened", _outcome_text(view, slug)))
    footer = f"{TIE_BREAK}" + ("" if table.complete else " · incomplete record")
    return Reply(pages=_paginate(title, "\n".join(lines), [], footer, fields=fields))


TIE_BREAK = "ties: more wins, then more 2nd places … (count-back)"


# -- compare -----------------------------------------------------------------------------------
def compare_reply(view: SeasonView, a: Entry, b: Entry) -> Reply:
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

    def line(label: str, x: object, y: object) -> str:
        return f"**{label}**: {x} – {y}"

    pa, pb = pts.get(a.driver_id), pts.get(b.driver_id)
    lines = [
        line(f"Finished ahead ({both_races} races with both placed)", ahead[a.id], ahead[b.id]),
        line(f"Started ahead ({both_grids} known grids)", quali[a.id], quali[b.id]),
        line("Wins", tally[a.id]["wins"], tally[b.id]["wins"]),
        line("Podiums", tally[a.id]["podiums"], tally[b.id]["podiums"]),
        line("Poles", tally[a.id]["poles"], tally[b.id]["poles"]),
        line("Points", _points(pa) if pa else "—", _points(pb) if pb else "—"),
        line("Penalties", pens[a.id], pens[b.id]),
    ]
    title = f"{a.driver} vs {b.driver} · {season_title(view)}"
    footer = "known results only" + ("" if drivers.complete else " · incomplete record (≥)")
    return Reply(pages=_paginate(title, "\n".join(lines), [], footer))


def series_place(row: ClassifiedRow | None, session: Session) -> int | None:
    """The place that counts for wins and podiums (the series' own in a shared race)."""
    if row is None:
        return None
    if session.shared_with:
        return row.result.series_position
    return row.position


# -- next --------------------------------------------------------------------------------------
def next_reply(view: SeasonView, today: dt.date) -> Reply:
    upcoming = [r for r in view.season.rounds if r.start_date and r.start_date >= today]
    title = f"{season_title(view)} — next round"
    if upcoming:
        rnd = upcoming[0]
        assert rnd.start_date is not None
        text = (
            f"**Round {rnd.number}: {rnd.circuit}** ({rnd.town}, {rnd.country})\n"
            f"<t:{_ts(rnd.start_date)}:D> · starts <t:{_ts(rnd.start_date)}:R>"
        )
        return Reply(pages=_paginate(title, text, [], f"{len(upcoming)} rounds to go"))
    last = view.races[-1] if view.races else None
    if last is None:
        return Reply(pages=_paginate(title, "No round is scheduled.", [], ""))
    race = view.race(last.round_number, last.number)
    assert race is not None
    when = f" on <t:{_ts(last.date)}:D>" if last.date else ""
    text = (
        f"The {view.season.year} season is over. The last race was **{race.label}**{when}: "
        f"see `/race {race.round.slug.replace('-', ' ')} {last.number}` and `/standings`."
    )
    return Reply(pages=_paginate(title, text, [], "season finished"))


def chart_fallback(title: str, races: list[str], series: list[tuple[str, list[int]]]) -> Reply:
    lines = [f"**{name}**: " + " → ".join(str(p) for p in pts[-6:]) for name, pts in series]
    return Reply(
        pages=_paginate(
            title, "The chart could not be drawn; the last totals:", lines, f"{len(races)} races"
        )
    )
