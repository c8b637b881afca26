"""What every fan answer shares: the Reply type, colours, marks, names, pagination.

Pure formatting helpers; every embed passes the limits guard (:func:`fit_embed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from bot.domain.models import Certainty, Championship, Entry, Penalty, PenaltyType, Round, Session
from bot.domain.published import ClassRecord, class_records
from bot.domain.standings import StandingsRow
from bot.domain.stats import counts_as_win
from bot.i18n import labelled, number, tr, trn
from bot.i18n import ordinal as _ordinal
from bot.rendering.limits import clip, clip_lines, fit_embed
from bot.services.championship import RaceView, SeasonView, short_circuit

COLOUR = discord.Colour(0xC8102E)  # a racing red
ERROR_COLOUR = discord.Colour(0x99AAB5)
ROWS_PER_PAGE = 20
INFERRED = "ⁱ"  # marks an inferred fact in tables
TIE_BREAK = "ties: more wins, then more 2nd places, and so on (count-back)"
TIE_BREAK_TO = "ties: more wins, then more 2nd places, and so on down to {place} (count-back)"
TIE_BREAK_LATEST = "ties: the better best result, then whoever achieved it most recently"


@dataclass
class Reply:
    """One answer: one or more pages (embeds shown one at a time) and/or plain content."""

    pages: list[discord.Embed] = field(default_factory=list)
    content: str | None = None
    ephemeral: bool = False


def ordinal(n: int, lang: str = "en") -> str:
    return _ordinal(n, lang)


def race_name(rnd: Round, session: Session, lang: str = "en") -> str:
    """ "Monza — race 1", or "Spa — race 1 (sprint)" for a kind of race with its own rules."""
    place = short_circuit(rnd)
    if session.scoring:
        return tr(
            lang,
            "{place} — race {number} ({kind})",
            place=place,
            number=session.number,
            kind=session.scoring,
        )
    return tr(lang, "{place} — race {number}", place=place, number=session.number)


def label(race: RaceView, lang: str) -> str:
    return race_name(race.round, race.session, lang)


def session_name(view: SeasonView, session_id: int, lang: str = "en") -> str:
    """ "Monza — race 1", or "Monza — qualifying"."""
    session = view.sessions[session_id]
    rnd = view.rounds[session.round_number]
    if session.number:
        return race_name(rnd, session, lang)
    return tr(lang, "{place} — qualifying", place=short_circuit(rnd))


def class_records_of(view: SeasonView, entry: Entry) -> list[ClassRecord]:
    """An entry's known class wins and podiums, over the races whose places count as wins."""
    counted = [s for s in view.races if counts_as_win(view.season.scoring, s)]
    scores = {c.slug: [view.scores(c.slug, s.id) for s in counted] for c in view.championships}
    return class_records(entry, view.championships, scores)


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


def car(entry: Entry) -> str:
    return f" #{entry.car_number}" if entry.car_number is not None else ""


def mark(certainty: Certainty, lang: str = "en") -> str:
    return f" ({tr(lang, certainty.value)})" if certainty is not Certainty.CONFIRMED else ""


def points(row: StandingsRow, lang: str = "en") -> str:
    """A row's points, "≥" when they are a lower bound; "12,5" in French."""
    shown = number(row.points, lang)
    return shown if row.exact else f"≥{shown}"


def ts(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp())


def duration(ms: int, lang: str = "en") -> str:
    minutes, rest = divmod(ms, 60_000)
    text = f"{minutes}:{rest / 1000:06.3f}"
    return text.replace(".", ",") if lang == "fr" else text


def after_round(number: int, rnd: Round | None, lang: str) -> str:
    if rnd is None:
        return tr(lang, "after round {n}", n=number)
    return tr(lang, "after round {n} ({place})", n=number, place=short_circuit(rnd))


def tie_break_text(view: SeasonView, lang: str) -> str:
    """The tie-break rule, said to be unpublished when the season's rules were inferred."""
    rules = view.season.scoring
    if rules.tie_break == "latest":
        text = tr(lang, TIE_BREAK_LATEST)
    elif rules.countback_places:
        text = tr(lang, TIE_BREAK_TO, place=_ordinal(rules.countback_places, lang))
    else:
        text = tr(lang, TIE_BREAK)
    for name, kind in rules.kinds:
        if not kind.in_countback:
            text += " " + tr(lang, "({kind} places not counted in ties or wins)", kind=name)
    if view.season.scoring.certainty is not Certainty.CONFIRMED:
        text += " " + tr(lang, "(rule not published)")
    return text


def drop_rule_text(champ: Championship, lang: str) -> str:
    """The dropped-scores rule of a championship, for a footer ("" when every result counts)."""
    if champ.best_results:
        return trn(lang, "best {n} result counts", "best {n} results count", champ.best_results)
    if champ.drop_worst:
        return trn(lang, "worst {n} result dropped", "worst {n} results dropped", champ.drop_worst)
    first, said = 1, []
    for races, best in champ.best_per_part:
        last = first + races - 1
        said.append(tr(lang, "best {n} of races {first}-{last}", n=best, first=first, last=last))
        first = last + 1
    return tr(lang, "{parts} count", parts=" + ".join(said)) if said else ""


def dropped_text(row: StandingsRow, lang: str) -> str:
    """A row's dropped scores, bracketed ("dropped [6] [6]"); dropped zeros are not shown."""
    lost = [p for _, p in row.dropped if p]
    if not lost:
        return ""
    return tr(lang, "dropped {scores}", scores=" ".join(f"[{number(p, lang)}]" for p in lost))


def rules_note(view: SeasonView, champ: Championship, lang: str) -> str:
    """What of a championship's scoring no source states: the scale, a class's own rules."""
    if view.season.scoring.certainty is Certainty.CONFIRMED:
        return ""
    if view.championships and champ.slug == view.championships[0].slug:
        return tr(lang, "points scale inferred")
    return tr(
        lang,
        "points scale inferred; {championship} scoring rule not published",
        championship=champ_name(champ.name, lang),
    )


_UNCONFIRMED_OUTCOME = {
    (False, frozenset({Certainty.DERIVED})): "Outcome (partly derived)",
    (False, frozenset({Certainty.INFERRED})): "Outcome (partly inferred)",
    (True, frozenset({Certainty.DERIVED})): "Outcome (derived)",
    (True, frozenset({Certainty.INFERRED})): "Outcome (inferred)",
}


def outcome_heading(certainties: Sequence[Certainty], lang: str = "en") -> str:
    """The heading over outcome lines: "Official outcome" only when every line was published;
    otherwise it says how much of it is derived or inferred (each line carries its mark)."""
    unconfirmed = [c for c in certainties if c is not Certainty.CONFIRMED]
    if not unconfirmed:
        return tr(lang, "Official outcome")
    key = (len(unconfirmed) == len(certainties), frozenset(unconfirmed))
    return tr(lang, _UNCONFIRMED_OUTCOME.get(key, "Outcome (not all of it confirmed)"))


def outcome_text(view: SeasonView, slug: str, lang: str = "en") -> str:
    lines = []
    for o in view.outcomes(slug):
        margin = (
            ", " + trn(lang, "{n} point ahead", "{n} points ahead", o.margin_points)
            if o.margin_points is not None
            else ""
        )
        who = tr(lang, "Champion") if o.position == 1 else ordinal(o.position, lang)
        lines.append(
            "**"
            + tr(lang, "{who}: {name}", who=who, name=o.name)
            + f"**{margin}"
            + mark(o.certainty, lang)
            + (f" — *{clip(o.note, 200)}*" if o.note else "")
        )
    return "\n".join(lines)


def penalty_text(p: Penalty, lang: str = "en") -> str:
    n = p.value or 0
    kinds = {
        PenaltyType.TIME: f"+{p.value} s",
        PenaltyType.POSITIONS: trn(lang, "drop of {n} place", "drop of {n} places", n),
        PenaltyType.DSQ: tr(lang, "disqualified"),
        PenaltyType.POINTS: trn(lang, "−{n} championship point", "−{n} championship points", n),
        PenaltyType.GRID: (
            trn(lang, "grid drop of {n} place", "grid drop of {n} places", n)
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


def tally_text(counts: Sequence[tuple[str, int]], lang: str = "en") -> str:
    return clip_lines([labelled(lang, name, n) for name, n in counts], 1000)


def paginate(
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
