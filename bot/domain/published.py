"""What an incomplete record can honestly say: known totals as lower bounds, published facts.

A lower bound is not a rank and a difference of lower bounds is not a gap. This module keeps
the two apart: :func:`known_points` lists the drivers with a known scoring result and their
"at least" totals (an order by that number is not the championship order), while the
published facts (outcomes, standings notes, season counts) are what answers lead with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.domain.models import Championship, Entry, Outcome, SeasonFact, StandingsNote
from bot.domain.standings import RaceScore, Standings
from bot.domain.stats import Record


@dataclass(frozen=True, slots=True)
class KnownTotal:
    key: int
    name: str
    car_number: int | None
    points: float
    exact: bool  # every race of theirs is known: the total itself, not a lower bound


@dataclass(frozen=True, slots=True)
class KnownPoints:
    """Points known from published results; ``rows`` most first, which is not a ranking."""

    rows: tuple[KnownTotal, ...]
    others: int  # drivers with no known scoring result


@dataclass(frozen=True, slots=True)
class ClassRecord:
    """A driver's known wins and podiums in one class championship (rookie, Pro-Am …)."""

    championship: Championship
    record: Record


@dataclass(frozen=True, slots=True)
class Count:
    """A count shown to a fan: the known one, raised to a published season count if higher."""

    value: int
    at_least: bool  # the record may hold more than this
    published: SeasonFact | None = None


def known_points(table: Standings) -> KnownPoints:
    rows = [
        KnownTotal(r.key, r.name, r.car_number, r.points, r.exact)
        for r in table.rows
        if r.points > 0 or r.exact
    ]
    # By name (a driver by surname), never by these numbers: an order by a lower bound would
    # read as a ranking.
    teams = table.championship.is_teams
    rows.sort(key=lambda r: (_sort_name(r.name, teams), r.name))
    return KnownPoints(tuple(rows), len(table.rows) - len(rows))


def _sort_name(name: str, teams: bool) -> str:
    """A team by its whole name; a driver by surname (the last word)."""
    words = name.split()
    return (name if teams or not words else words[-1]).casefold()


def latest_notes(
    notes: Iterable[StandingsNote], championship: str, after_round: int
) -> tuple[int | None, list[StandingsNote]]:
    """The latest published standings facts of a championship up to ``after_round``."""
    mine = [n for n in notes if n.championship == championship and n.after_round <= after_round]
    if not mine:
        return None, []
    last = max(n.after_round for n in mine)
    return last, [n for n in mine if n.after_round == last]


def outcome_of(outcomes: Iterable[Outcome], championship: str, name: str) -> Outcome | None:
    return next((o for o in outcomes if o.championship == championship and o.name == name), None)


def class_records(
    entry: Entry,
    championships: Sequence[Championship],
    scores: Mapping[str, Sequence[Sequence[RaceScore]]],
) -> list[ClassRecord]:
    """Known wins and podiums in every class championship (not the overall one, not teams)
    the entry belongs to; ``scores`` maps a slug to that championship's scores, race by race."""
    overall = championships[0].slug if championships else None
    out = []
    for champ in championships:
        if champ.is_teams or champ.slug == overall or not champ.eligible.admits(entry):
            continue
        wins = podiums = 0
        for race in scores.get(champ.slug, ()):
            rank = next((s.rank for s in race if s.key == entry.driver_id), None)
            if rank is not None:
                wins += rank == 1
                podiums += rank <= 3
        out.append(ClassRecord(champ, Record(wins, podiums, 0)))
    return out


def season_count(
    known: int,
    complete: bool,
    facts: Iterable[SeasonFact],
    name: str,
    what: str,
    championship: str | None = None,
) -> Count:
    """A driver's count of ``what`` ("wins", "podiums"), never below a published season count.

    ``complete``: the known count comes from a complete record (then it is the count).
    """
    fact = next(
        (
            f
            for f in facts
            if f.driver == name and f.what == what and f.championship == championship
        ),
        None,
    )
    if fact is not None and fact.count >= known:
        # The record cannot say which races: "at least" until the known races add up to it.
        return Count(fact.count, fact.count > known, fact)
    return Count(known, not complete, None)
