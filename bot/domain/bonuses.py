"""Points a race gives beyond its finishing order: a qualifying that scores, a lap led.

Each function answers one car's points for one race and whether they are known; an unknown
part is ``None``, never a silent zero. ``score_race`` adds them to the race's points.

The qualifying order of a race is read from its results' ``qualified`` places (a season
file's results.csv) or, when none has one, from the qualifying an admin imported for that
race (``/result import "monza q1"``: the whole qualifying, every car that took part listed).
Its points go with the race whose grid it sets ("every") or, once per round, with the
round's first race, fed by the qualifying that sets race 1's grid ("first"); a qualifying
imported for a race that carries none scores nothing. They count from the moment that
qualifying is imported, before the race is run: the race is then under way in the
standings, its qualifying points known and its finishing points not yet (a lower bound
until its results come).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.domain.classification import ClassifiedRow, RaceClassification
from bot.domain.models import Entry, QualifyingRaces, ScoringRules, Session, Status

Membership = Callable[[Entry], bool | None]


def qualifying_scores(rules: ScoringRules, session: Session) -> bool:
    """Whether this race carries qualifying points (every race, or the first of its round)."""
    if not rules.qualifying_scale:
        return False
    if rules.qualifying_races is QualifyingRaces.FIRST:
        return session.number == 1
    return True


def qualifying_order(classification: RaceClassification) -> dict[int, int]:
    """Qualifying position of each car whose position is known (entry id -> position).

    The results' recorded places, else the imported qualifying. The pole sitter is first
    even when the record gives only the pole.
    """
    order = _recorded(classification) or _imported(classification)
    pole = classification.session.pole_entry_id
    if pole is not None and pole not in order and 1 not in order.values():
        order[pole] = 1
    return order


def _recorded(classification: RaceClassification) -> dict[int, int]:
    return {
        row.entry.id: row.result.qualified
        for row in classification.rows
        if row.result.qualified is not None
    }


def _imported(classification: RaceClassification) -> dict[int, int]:
    return {q.entry_id: q.position for q in classification.qualifying if q.position is not None}


def _whole(classification: RaceClassification, order: dict[int, int]) -> bool:
    """Whether every car that could rank is in ``order``: every row of the race recorded, or
    an imported qualifying whose every car has a place (a car without one could be any)."""
    if _recorded(classification) or not classification.qualifying:
        return len(order) == len(classification.rows)
    return all(
        q.position is not None or q.status is not Status.CLASSIFIED
        for q in classification.qualifying
    )


def qualifying_ranks(
    classification: RaceClassification, ranked: Membership, places: int
) -> tuple[dict[int, int], bool]:
    """Ranks among the cars ``ranked`` admits, and whether the top ``places`` are settled.

    Settled: the positions from 1 are known without a gap until ``places`` admitted cars
    are placed (or every car that could rank has a position); a car left out then scores 0.
    A car of unknown membership ahead stops the ranking: what follows is unknown.
    """
    order = qualifying_order(classification)
    ranks: dict[int, int] = {}
    count = 0
    expected = 1
    settled = False
    by_entry = {entry.id: entry for entry in classification.field}
    for entry_id, position in sorted(order.items(), key=lambda kv: kv[1]):
        if position != expected:
            break
        expected += 1
        entry = by_entry.get(entry_id)
        verdict = None if entry is None else ranked(entry)
        if verdict is None:
            return ranks, False
        if verdict:
            count += 1
            ranks[entry_id] = count
        if count >= places:
            settled = True
            break
    else:
        settled = _whole(classification, order) and expected - 1 == len(order)
    return ranks, settled


def qualifying_points(
    scale: tuple[int, ...], entry_id: int, ranks: Mapping[int, int], settled: bool
) -> int | None:
    """One car's qualifying points: its rank's points, 0 outside a settled top, else unknown."""
    rank = ranks.get(entry_id)  # ranks stop at the scale's last place
    if rank is not None:
        return scale[rank - 1]
    return 0 if settled else None


def lap_led_points(bonus: int, row: ClassifiedRow | None) -> int | None:
    """The bonus for leading at least one lap; None when the record does not say."""
    if row is None:
        return 0  # did not take part: led nothing
    led = row.result.led_lap
    if led is None:
        return None
    return bonus if led else 0
