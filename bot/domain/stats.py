"""Championship statistics from classified races: records, head to head, winners, points left.

Everything a fan answer counts is counted here, over plain domain data, so that a change to
what counts as a win (the series' own place in a shared race) or to a tie-break is made in one
place and tested without Discord. Renderers only format these dataclasses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.domain.classification import ClassifiedRow, RaceClassification
from bot.domain.models import Certainty, Championship, Entry, Penalty, ScoringRules, Session
from bot.domain.standings import RaceScore, Standings, StandingsRow
from bot.domain.title import available_in, max_per_race

#: A race as the statistics see it: the session and its classification.
Race = tuple[Session, RaceClassification]


@dataclass(frozen=True, slots=True)
class Record:
    """A driver's known wins, podiums and poles (the series' own places in shared races)."""

    wins: int = 0
    podiums: int = 0
    poles: int = 0
    inferred: bool = False  # a counted place is only inferred


@dataclass(frozen=True, slots=True)
class HeadToHead:
    """Two drivers over the races they both have a known place (or grid) in."""

    races_both: int  # races where both have a published position
    finished_ahead: tuple[int, int]
    grids_both: int  # races where both grid slots are known
    started_ahead: tuple[int, int]
    records: tuple[Record, Record]
    penalties: tuple[int, int]  # active penalties
    inferred: bool = False  # a place or grid slot counted is only inferred


@dataclass(frozen=True, slots=True)
class ClassWinner:
    """The first of one championship in one race; ``keys`` holds every car ranked first."""

    championship: Championship
    keys: tuple[int, ...]

    @property
    def key(self) -> int | None:
        """The winner when the record names exactly one, else None (unknown)."""
        return self.keys[0] if len(self.keys) == 1 else None


@dataclass(frozen=True, slots=True)
class PointsLeft:
    races: int
    per_race: int  # a win plus every bonus the championship counts
    total: int


def series_place(row: ClassifiedRow | None, session: Session) -> int | None:
    """The place that counts for wins and podiums (the series' own in a shared race)."""
    if row is None:
        return None
    if session.shared_with:
        return row.result.series_position
    return row.position


def poles_recorded(sessions: Iterable[Session]) -> bool:
    """Whether the record knows any pole of these races: with none, a count of 0 poles would
    be a guess (a season whose source gives no qualifying)."""
    return any(s.pole_entry_id is not None for s in sessions)


def counts_as_win(rules: ScoringRules, session: Session) -> bool:
    """Whether a race's places count as wins, podiums and poles: not a sprint's where the
    season says its places count neither in the count-back nor as wins (F1 since 2021)."""
    return rules.for_kind(session.scoring).in_countback


def driver_record(entry: Entry, races: Iterable[Race], rules: ScoringRules | None = None) -> Record:
    """Known wins, podiums and poles of one entry over the races it entered; with the season's
    ``rules``, a kind of race whose places do not count as wins (F1's sprints) is left out,
    its pole too."""
    wins = podiums = poles = 0
    inferred = False
    for session, cls in races:
        if not entry.enters(session.round_number):
            continue
        if rules is not None and not counts_as_win(rules, session):
            continue
        if session.pole_entry_id == entry.id:
            poles += 1
        row = cls.row(entry.id)
        place = series_place(row, session)
        if place == 1:
            wins += 1
        if place is not None and place <= 3:
            podiums += 1
            inferred = inferred or _inferred(row)
    return Record(wins, podiums, poles, inferred)


def _inferred(*rows: ClassifiedRow | None) -> bool:
    return any(r is not None and r.result.certainty is Certainty.INFERRED for r in rows)


def active_penalties(entry_id: int, penalties: Iterable[Penalty]) -> int:
    return sum(1 for p in penalties if p.active and p.entry_id == entry_id)


def head_to_head(
    a: Entry,
    b: Entry,
    races: Sequence[Race],
    penalties: Sequence[Penalty],
    rules: ScoringRules | None = None,
) -> HeadToHead:
    ahead = [0, 0]
    started = [0, 0]
    both_races = both_grids = 0
    inferred = False
    for _session, cls in races:
        ra, rb = cls.row(a.id), cls.row(b.id)
        if ra and rb and ra.position and rb.position:
            both_races += 1
            ahead[0 if ra.position < rb.position else 1] += 1
            inferred = inferred or _inferred(ra, rb)
        if ra and rb and ra.result.grid and rb.result.grid:
            both_grids += 1
            started[0 if ra.result.grid < rb.result.grid else 1] += 1
            inferred = inferred or _inferred(ra, rb)
    return HeadToHead(
        races_both=both_races,
        finished_ahead=(ahead[0], ahead[1]),
        grids_both=both_grids,
        started_ahead=(started[0], started[1]),
        records=(driver_record(a, races, rules), driver_record(b, races, rules)),
        penalties=(active_penalties(a.id, penalties), active_penalties(b.id, penalties)),
        inferred=inferred,
    )


def firsts(scores: Iterable[RaceScore]) -> tuple[int, ...]:
    """Every key ranked first in one championship's scores of one race."""
    return tuple(s.key for s in scores if s.rank == 1)


def class_winners(
    championships: Sequence[Championship], scores: Mapping[str, Sequence[RaceScore]]
) -> list[ClassWinner]:
    """The first of each class championship (not the overall one, not teams) in one race.

    ``scores`` maps a championship slug to that championship's scores for the race.
    """
    overall = championships[0].slug if championships else None
    return [
        ClassWinner(champ, firsts(scores.get(champ.slug, ())))
        for champ in championships
        if not champ.is_teams and champ.slug != overall
    ]


def tally(names: Iterable[str]) -> list[tuple[str, int]]:
    """How many times each name occurs, most first (ties in first-seen order)."""
    return Counter(names).most_common()


def points_available(
    rules: ScoringRules,
    bonuses: bool,
    races_left: int,
    kinds: Sequence[str | None] | None = None,
    qualifying: Sequence[bool] | None = None,
) -> PointsLeft:
    """``kinds``: each race's scoring kind (a sprint scores less), when known;
    ``qualifying``: whether each carries the qualifying points."""
    per_race = max_per_race(rules, bonuses)
    if kinds is None:
        return PointsLeft(races_left, per_race, per_race * races_left)
    return PointsLeft(races_left, per_race, available_in(rules, bonuses, kinds, qualifying))


def standing_of(table: Standings, key: int) -> StandingsRow | None:
    return next((r for r in table.rows if r.key == key), None)
