"""The qualifying order behind qualifying points (bot.domain.bonuses), called directly: the
recorded places, an imported qualifying, the pole when only the pole is known, and when the
top is settled.

tests/test_rules_bonuses.py holds the points these give through score_race.
"""

from __future__ import annotations

from bot.domain.bonuses import (
    qualifying_order,
    qualifying_points,
    qualifying_ranks,
    qualifying_scores,
)
from bot.domain.classification import RaceClassification, classify_race
from bot.domain.models import (
    Eligibility,
    Entry,
    QualifyingPlace,
    QualifyingRaces,
    Result,
    ScoringRules,
    Session,
    SessionKind,
    Status,
)

A = Entry(1, 10, "Alpha", 1, "Team 1", klass="Am")
B = Entry(2, 20, "Bravo", 1, "Team 1", klass="Pro")
C = Entry(3, 30, "Charlie", 2, "Team 2", klass=None)  # class unknown
ENTRIES = {e.id: e for e in (A, B, C)}
EVERYONE = Eligibility().membership
AM = Eligibility(klass="Am").membership


def race(
    results: list[Result], pole: int | None = None, imported: tuple[QualifyingPlace, ...] = ()
) -> RaceClassification:
    session = Session(7, 1, "R1", SessionKind.RACE, complete=True, pole_entry_id=pole)
    return classify_race(session, results, (), ENTRIES, imported)


def place(
    entry_id: int, position: int | None, status: Status = Status.CLASSIFIED
) -> QualifyingPlace:
    return QualifyingPlace(7, entry_id, position, status)


def done(entry_id: int, place: int, qualified: int | None = None) -> Result:
    return Result(
        7, entry_id, flag_position=place, laps=20, time_ms=1_000 + place, qualified=qualified
    )


def test_the_recorded_qualifying_places_are_the_order():
    cls = race([done(1, 1, 2), done(2, 2, 1), done(3, 3)])
    assert qualifying_order(cls) == {1: 2, 2: 1}


def test_only_the_pole_known_puts_the_pole_sitter_first():
    assert qualifying_order(race([done(1, 1), done(2, 2, 2)], pole=1)) == {2: 2, 1: 1}
    assert qualifying_order(race([done(1, 1), done(2, 2)], pole=2)) == {2: 1}


def test_the_pole_never_overrides_a_recorded_place():
    # B is recorded 1st in qualifying: the pole (A, say from a session the record lacks) adds
    # nothing; A recorded 2nd stays 2nd.
    assert qualifying_order(race([done(1, 1), done(2, 2, 1)], pole=1)) == {2: 1}
    assert qualifying_order(race([done(1, 1, 2), done(2, 2, 1)], pole=1)) == {1: 2, 2: 1}


def test_no_pole_and_no_places_is_no_order():
    assert qualifying_order(race([done(1, 1), done(2, 2)])) == {}


def test_ranks_are_settled_once_the_top_n_is_known_without_a_gap():
    cls = race([done(1, 1, 2), done(2, 2, 1), done(3, 3, 3)])
    assert qualifying_ranks(cls, EVERYONE, 2) == ({2: 1, 1: 2}, True)
    gap = race([done(1, 1, 1), done(2, 2, 3), done(3, 3)])
    assert qualifying_ranks(gap, EVERYONE, 2) == ({1: 1}, False)


def test_a_car_of_unknown_membership_ahead_leaves_the_ranks_unsettled():
    cls = race([done(3, 1, 1), done(1, 2, 2), done(2, 3, 3)])
    assert qualifying_ranks(cls, AM, 1) == ({}, False)


def test_a_pole_sitter_outside_the_field_leaves_the_ranks_unsettled():
    cls = race([done(1, 1), done(2, 2)], pole=99)
    assert qualifying_ranks(cls, EVERYONE, 1) == ({}, False)


def test_a_rank_s_points_and_a_car_outside_the_ranks():
    assert qualifying_points((3, 2, 1), 1, {1: 3}, True) == 1
    assert qualifying_points((3, 2, 1), 1, {}, True) == 0
    assert qualifying_points((3, 2, 1), 1, {}, False) is None


def test_an_imported_qualifying_is_the_order_when_no_result_records_one():
    imported = (place(2, 1), place(1, 2), place(3, None, Status.DNS))
    assert qualifying_order(race([done(1, 1), done(2, 2)], imported=imported)) == {2: 1, 1: 2}
    # Before the race: no result at all, the imported order alone.
    assert qualifying_order(race([], imported=imported)) == {2: 1, 1: 2}
    # Another race's qualifying is not this race's.
    other = (QualifyingPlace(8, 1, 1),)
    assert qualifying_order(race([done(1, 1), done(2, 2)], imported=other)) == {}


def test_recorded_places_win_over_an_imported_qualifying():
    imported = (place(2, 1), place(1, 2))
    assert qualifying_order(race([done(1, 1, 1), done(2, 2)], imported=imported)) == {1: 1}


def test_an_imported_qualifying_settles_the_top_when_every_car_has_a_place_or_is_out():
    # Charlie did not start qualifying: the two placed cars are the whole order.
    imported = (place(2, 1), place(1, 2), place(3, None, Status.DNS))
    assert qualifying_ranks(race([], imported=imported), EVERYONE, 3) == ({2: 1, 1: 2}, True)
    # A car with no place and no status saying why could be anywhere behind: unsettled.
    unplaced = (place(2, 1), place(1, 2), place(3, None))
    assert qualifying_ranks(race([], imported=unplaced), EVERYONE, 3) == ({2: 1, 1: 2}, False)
    # Without an import, the race's rows decide (Alpha recorded 1st, Bravo not placed).
    assert qualifying_ranks(race([done(1, 1, 1), done(2, 2)]), EVERYONE, 3) == ({1: 1}, False)
    # With both, the recorded places are the order and the rows decide, not the import.
    both = race([done(1, 1, 1), done(2, 2)], imported=(place(2, 1), place(1, 2)))
    assert qualifying_ranks(both, EVERYONE, 3) == ({1: 1}, False)


def test_a_race_carries_qualifying_points_only_where_the_rules_give_some():
    first, second = Session(7, 1, "R1", SessionKind.RACE), Session(8, 1, "R2", SessionKind.RACE)
    assert qualifying_scores(ScoringRules((10, 6)), first) is False  # no qualifying scale
    every = ScoringRules((10, 6), qualifying_scale=(1,))
    assert qualifying_scores(every, first) and qualifying_scores(every, second)
    once = ScoringRules((10, 6), qualifying_scale=(1,), qualifying_races=QualifyingRaces.FIRST)
    assert qualifying_scores(once, first) and not qualifying_scores(once, second)
