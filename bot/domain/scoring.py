"""Points of one race for one championship: the race's kind, bonuses and who ranks.

A known zero and an unknown are different things: a car whose rank the record cannot settle
scores *unknown* points (``exact`` False), never a silent zero.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from bot.domain.bonuses import (
    lap_led_points,
    qualifying_points,
    qualifying_ranks,
    qualifying_scores,
)
from bot.domain.classification import ClassifiedRow, RaceClassification
from bot.domain.models import (
    Championship,
    Entry,
    Others,
    RankBasis,
    Result,
    ScoringRules,
    Status,
)


def as_points(value: float) -> float:
    """A points value as shown: a whole number is an ``int``, half points a ``float``.

    Points are whole numbers unless a race was reduced; a reduced fraction (1/2, 1/3 ...) is
    applied exactly and the sums are rounded to 6 places, far below any published decimal.
    """
    if isinstance(value, int):
        return value
    value = round(value, 6)
    return int(value) if value.is_integer() else value


@dataclass(frozen=True, slots=True)
class RaceScore:
    session_id: int
    key: int  # driver id (drivers' championships) or team id (teams)
    rank: int | None  # rank in this championship's order for the race
    points: float  # known points (race + known bonuses); an int unless points were reduced
    exact: bool  # False: part of the points is unknown
    took_part: bool | None  # None: the record does not say
    entry_id: int | None = None  # the car (entry) that scored, when a driver's score


def published_rank(result: Result | None, basis: RankBasis) -> int | None:
    if result is None:
        return None
    if basis is RankBasis.OVERALL:
        return result.series_position
    if basis is RankBasis.CLASS:
        return result.class_position
    if basis is RankBasis.ROOKIE:
        return result.rookie_position
    return None


def _everyone(entry: Entry) -> bool | None:
    return True


def score_race(
    rules: ScoringRules, championship: Championship, classification: RaceClassification
) -> list[RaceScore]:
    """Points of every car the championship admits, for one race (drivers' championships).

    The race's kind picks its scale and bonuses (a sprint scores on its own scale); a reduced
    race scores the rules' fraction of its scale; cars the championship does not admit either
    give up their places (``skip``) or keep them (``block``).
    """
    session = classification.session
    kind_rules = rules.for_kind(session.scoring)
    scale = championship.scale if championship.scale is not None else kind_rules.scale
    fraction = (
        Fraction(*rules.reduced_fraction) if session.reduced and rules.reduced_fraction else None
    )
    member = championship.eligible.membership
    ranked = member if championship.others is Others.SKIP else _everyone
    scores: list[RaceScore] = []
    swept = _sweep_ranks(classification, ranked) if classification.complete else None
    extras = _Extras.of(rules, championship, classification, ranked)
    for entry in classification.field:
        if member(entry) is not True:
            continue
        row = classification.row(entry.id)
        exact = True
        took_part: bool | None = True
        rank: int | None = None
        points: float = 0
        if row is None:
            # A complete record lists every starter: absent means absent.
            took_part = False if classification.complete else None
            exact = classification.complete
        elif row.status is None or row.status is Status.CLASSIFIED:
            published = published_rank(row.result, championship.rank)
            if swept is not None and published is None:
                rank = swept.get(entry.id)
            else:
                rank = classification.rank(entry.id, ranked, published)
            if rank is None:
                exact = False
            elif row.result.running is False and not rules.not_running_scores:
                points = 0  # classified, not running at the flag: keeps its place, no points
            elif 1 <= rank <= len(scale):
                points = scale[rank - 1] if fraction is None else float(scale[rank - 1] * fraction)
        if championship.bonuses:
            fastest = session.fastest_lap_entry_id
            for holder, bonus, top in (
                (session.pole_entry_id, kind_rules.pole_bonus, None),
                (fastest, kind_rules.fastest_lap_bonus, kind_rules.fastest_lap_top),
            ):
                if not bonus:
                    continue
                if holder is None:
                    exact = False
                elif holder == entry.id:
                    earned = _bonus_earned(row, top)
                    if earned is None:
                        exact = False
                    elif earned:
                        points += bonus
        extra = extras.points(entry.id, row)
        if extra is None:
            exact = False
        else:
            points += extra
        scores.append(
            RaceScore(
                session.id, entry.driver_id, rank, as_points(points), exact, took_part, entry.id
            )
        )
    return scores


@dataclass(frozen=True, slots=True)
class _Extras:
    """The qualifying points and the lap-led bonus of one race, for one championship."""

    qualifying: tuple[int, ...] = ()
    ranks: Mapping[int, int] = field(default_factory=dict)
    settled: bool = True
    lap_led: int = 0

    @classmethod
    def of(
        cls,
        rules: ScoringRules,
        championship: Championship,
        classification: RaceClassification,
        ranked: Callable[[Entry], bool | None],
    ) -> _Extras:
        if not championship.bonuses:
            return cls()
        lap_led = rules.for_kind(classification.session.scoring).lap_led_bonus
        if not qualifying_scores(rules, classification.session):
            return cls(lap_led=lap_led)
        scale = rules.qualifying_scale
        ranks, settled = qualifying_ranks(classification, ranked, len(scale))
        return cls(scale, ranks, settled, lap_led)

    def points(self, entry_id: int, row: ClassifiedRow | None) -> int | None:
        """The car's extra points; None when part of them is unknown."""
        total = 0
        if self.qualifying:
            got = qualifying_points(self.qualifying, entry_id, self.ranks, self.settled)
            if got is None:
                return None
            total += got
        if self.lap_led:
            led = lap_led_points(self.lap_led, row)
            if led is None:
                return None
            total += led
        return total


def _bonus_earned(row: ClassifiedRow | None, top: int | None) -> bool | None:
    """A bonus with a top-N condition needs a classified finish in the top N."""
    if top is None:
        return True
    if row is None or (row.status is not None and row.status is not Status.CLASSIFIED):
        return False
    if row.position is None:
        return None
    return row.position <= top


def _sweep_ranks(
    classification: RaceClassification, member: Callable[[Entry], bool | None]
) -> dict[int, int] | None:
    """Ranks of a complete classification in one pass (None if a membership is unknown)."""
    ranks: dict[int, int] = {}
    count = 0
    for row in classification.rows:
        if row.position is None:
            continue
        is_member = member(row.entry)
        if is_member is None:
            return None
        if is_member:
            count += 1
            ranks[row.entry.id] = count
    return ranks
