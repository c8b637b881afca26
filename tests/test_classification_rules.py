"""Race classification (bot.domain.classification) called directly: complete and partial
records, penalties, ranks among a championship's cars."""

from __future__ import annotations

import pytest

from bot.domain.classification import RaceClassification, classify_race
from bot.domain.models import Eligibility, Entry, PenaltyType, Result, Session, SessionKind, Status
from bot.errors import ClassificationError
from tests.factories import penalty

# Classes: A, C Am; B Pro; D class unknown. E is a Pro who entered but has no result row.
A = Entry(1, 1, "Alpha", None, None, klass="Am")
B = Entry(2, 2, "Bravo", None, None, klass="Pro")
C = Entry(3, 3, "Charlie", None, None, klass="Am")
D = Entry(4, 4, "Delta", None, None, klass=None)
E = Entry(5, 5, "Echo", None, None, klass="Pro")
AM = Eligibility(klass="Am").membership
PRO = Eligibility(klass="Pro").membership
EVERYONE = Eligibility().membership


def partial(results: list[Result], entries=(A, B, C), pens=(), shared=None) -> RaceClassification:
    session = Session(1, 1, "R1", SessionKind.RACE, complete=False, shared_with=shared)
    return classify_race(session, results, pens, {e.id: e for e in entries})


def complete(results: list[Result], entries=(A, B, C, E), pens=()) -> RaceClassification:
    session = Session(1, 1, "R1", SessionKind.RACE, complete=True)
    return classify_race(session, results, pens, {e.id: e for e in entries})


def at(entry: int, position: int | None, **kw: object) -> Result:
    return Result(1, entry, position=position, **kw)  # type: ignore[arg-type]


def flag(entry: int, place: int | None, laps: int | None = 20, time: int | None = 0, **kw: object):
    t = None if time is None else 1_000_000 + 1000 * (place or 0) + time
    return Result(1, entry, flag_position=place, laps=laps, time_ms=t, **kw)  # type: ignore[arg-type]


# -- partial records -----------------------------------------------------------------------
def test_a_published_order_is_kept_as_published():
    cls = partial([at(2, 2), at(1, 1), at(3, None, status=Status.DNF)])
    assert [(r.entry.id, r.position, r.status) for r in cls.rows] == [
        (1, 1, Status.CLASSIFIED),
        (2, 2, Status.CLASSIFIED),
        (3, None, Status.DNF),
    ]
    assert cls.winner is not None and cls.winner.entry.id == 1
    assert cls.row(3) is not None and cls.row(9) is None


def test_a_disqualification_on_a_partial_record_removes_the_place():
    dsq = penalty(1, 1, 1, PenaltyType.DSQ)
    cls = partial([at(1, 1), at(2, 2)], pens=(dsq,))
    assert [(r.entry.id, r.position, r.status) for r in cls.rows] == [
        (2, 2, Status.CLASSIFIED),
        (1, None, Status.DSQ),
    ]
    assert cls.row(1).penalties == (dsq,) and cls.row(1).active_penalties == (dsq,)  # type: ignore[union-attr]
    # Revoked, it changes nothing.
    revoked = penalty(1, 1, 1, PenaltyType.DSQ, revoked_at="2099-05-01")
    cls = partial([at(1, 1), at(2, 2)], pens=(revoked,))
    assert cls.rows[0].position == 1 and cls.rows[0].active_penalties == ()
    # Another race's penalty is not this race's.
    other = penalty(2, 7, 1, PenaltyType.DSQ)
    assert partial([at(1, 1)], pens=(other,)).rows[0].penalties == ()


def test_placed_cars_come_first_whatever_their_flag_position():
    cls = partial([at(1, None, flag_position=1), at(2, 3, flag_position=2)])
    assert [(r.entry.id, r.position) for r in cls.rows] == [(2, 3), (1, None)]


def test_cars_without_a_place_follow_by_status_then_flag_position():
    cls = partial(
        [
            at(1, None, status=Status.DSQ),
            at(2, None, status=Status.DNF, flag_position=9),
            at(3, None, status=Status.NC),
            at(4, None, flag_position=5),  # status and place unknown
            at(5, None, status=Status.DNF, flag_position=4),
        ],
        entries=(A, B, C, D, E),
    )
    assert [(r.entry.id, r.status) for r in cls.rows] == [
        (4, None),
        (3, Status.NC),
        (5, Status.DNF),
        (2, Status.DNF),
        (1, Status.DSQ),
    ]


def test_rank_in_a_class_from_the_places_ahead():
    # 1 A (Am), 2 B (Pro), 3 C (Am): C is the 2nd Am, B the 1st Pro.
    cls = partial([at(1, 1), at(2, 2), at(3, 3)])
    assert (cls.rank(3, AM), cls.rank(1, AM), cls.rank(2, PRO)) == (2, 1, 1)
    assert cls.rank(2, AM) is None  # not an Am
    assert cls.rank(9, AM) is None  # not in the race
    assert cls.rank(3, AM, published=5) == 5  # a published rank is taken as given
    assert cls.rank(2, AM, published=5) is None  # ... for a member only


def test_a_car_out_of_the_race_or_without_a_place_has_no_rank():
    cls = partial([at(1, 1), at(3, None, status=Status.DNF), at(2, None)])
    assert cls.rank(3, AM) is None and cls.rank(3, AM, published=2) is None
    assert cls.rank(2, PRO) is None


def test_an_unknown_class_ahead_leaves_the_rank_unknown():
    cls = partial([at(4, 1), at(3, 2)], entries=(A, B, C, D))
    assert cls.rank(3, AM) is None
    assert cls.rank(4, EVERYONE) == 1 and cls.rank(3, EVERYONE) == 2


def test_unknown_places_ahead_held_only_by_non_members():
    # C is 3rd; places 1 and 2 unpublished. The cars without a place are B and E (Pro):
    # whoever holds them, C is the 1st Am.
    cls = partial([at(3, 3), at(1, None, status=Status.DNF), at(2, None)], entries=(A, B, C, E))
    assert cls.rank(3, AM) == 1


def test_unknown_places_ahead_held_only_by_members():
    # E (Pro) is 4th, A 1st; places 2 and 3 unpublished.
    f = Entry(6, 6, "Foxtrot", None, None, klass="Pro")
    # Without a place: B (Pro) and C (Am). Either may be ahead of E: unknown.
    cls = partial([at(1, 1), at(5, 4), at(2, None), at(3, None)], entries=(A, B, C, E))
    assert cls.rank(5, PRO) is None
    # Only B (Pro) without a place, for two places: the record is short of a car: unknown.
    cls = partial([at(1, 1), at(5, 4), at(2, None)], entries=(A, B, E))
    assert cls.rank(5, PRO) is None
    # B and F (both Pro) without a place, for places 2 and 3: E is the 3rd Pro.
    cls = partial([at(1, 1), at(5, 4), at(2, None), at(6, None)], entries=(A, B, E, f))
    assert cls.rank(5, PRO) == 3
    # The same in a race shared with another series: its cars may hold those places.
    cls = partial(
        [at(1, 1), at(5, 4), at(2, None), at(6, None)], entries=(A, B, E, f), shared="cup"
    )
    assert cls.rank(5, PRO) is None


def test_a_shared_race_can_hide_cars_of_the_other_series():
    # C is 3rd; places 1 and 2 unpublished and nobody of ours without a place. In a shared
    # race, other series' cars held them: C is the 1st Am (and the 1st of ours).
    cls = partial([at(3, 3)], entries=(C,), shared="other cup")
    assert cls.shared and cls.rank(3, AM) == 1 and cls.rank(3, EVERYONE) == 1
    # B (Pro) without a place could be one of them: C is still the 1st Am.
    cls = partial([at(3, 3), at(2, None)], entries=(B, C), shared="other cup")
    assert cls.rank(3, AM) == 1
    # A (Am) without a place may be ahead, or not: unknown.
    cls = partial([at(3, 3), at(1, None)], entries=(A, C), shared="other cup")
    assert cls.rank(3, AM) is None
    # Not shared, and nobody could hold places 1 and 2: the record cannot say.
    cls = partial([at(3, 3)], entries=(C,))
    assert not cls.shared and cls.rank(3, AM) is None


def test_an_unplaced_car_of_unknown_class_leaves_the_rank_unknown():
    cls = partial([at(3, 2), at(4, None)], entries=(A, C, D))
    # A has no result at all, D no place: either might be 1st.
    assert cls.rank(3, AM) is None


# -- complete records --------------------------------------------------------------------
def test_a_complete_race_is_classified_by_laps_then_time_after_time_penalties():
    pen = penalty(1, 1, 1, PenaltyType.TIME, 3)
    cls = complete([flag(1, 1), flag(2, 2), flag(3, 3, laps=19, time=None)], pens=(pen,))
    rows = {r.entry.id: r for r in cls.rows}
    # 1: 1,001,000 + 3 s = 1,004,000, behind 2 (1,002,000). 3 a lap down, without a time.
    assert [r.entry.id for r in cls.rows] == [2, 1, 3]
    assert (rows[1].time_ms, rows[1].gap_ms, rows[1].position) == (1_004_000, 2_000, 2)
    assert (rows[2].time_ms, rows[2].gap_ms) == (1_002_000, 0)
    assert (rows[3].time_ms, rows[3].gap_ms, rows[3].laps) == (None, None, 19)


def test_a_lapped_car_has_no_gap_in_time():
    cls = complete([flag(1, 1), flag(2, 2, laps=19)])
    assert [(r.entry.id, r.gap_ms) for r in cls.rows] == [(1, 0), (2, None)]


def test_cars_out_of_the_race_follow_by_status_then_laps_then_flag():
    cls = complete(
        [
            flag(1, 1),
            flag(2, None, laps=5, status=Status.DNF),
            flag(3, None, laps=12, status=Status.DNF),
            flag(5, None, laps=0, status=Status.DNS),
        ]
    )
    assert [(r.entry.id, r.position, r.status) for r in cls.rows] == [
        (1, 1, Status.CLASSIFIED),
        (3, None, Status.DNF),
        (2, None, Status.DNF),
        (5, None, Status.DNS),
    ]
    assert all(r.time_ms is None and r.gap_ms is None for r in cls.rows[1:])


def test_position_drops_apply_in_the_order_decided_and_skip_cars_out():
    drop_1 = penalty(2, 1, 1, PenaltyType.POSITIONS, 1)
    drop_2 = penalty(1, 1, 2, PenaltyType.POSITIONS, 1)
    results = [flag(1, 1), flag(2, 2), flag(3, 3), flag(5, 4)]
    # Penalty 1 first: 2 drops behind 3 (1, 3, 2, 5); then 1 drops behind 3 (3, 1, 2, 5).
    assert [r.entry.id for r in complete(results, pens=(drop_1, drop_2)).rows] == [3, 1, 2, 5]
    zero = penalty(3, 1, 1, PenaltyType.POSITIONS, 0)
    none = penalty(4, 1, 1, PenaltyType.POSITIONS, None)
    assert [r.entry.id for r in complete(results, pens=(zero, none)).rows] == [1, 2, 3, 5]
    out = [flag(1, 1), flag(2, None, status=Status.DNF)]
    dropped_out = penalty(5, 1, 2, PenaltyType.POSITIONS, 3)
    assert [r.position for r in complete(out, pens=(dropped_out,)).rows] == [1, None]


def test_a_disqualified_winner_leaves_the_lead_to_the_next_car():
    dsq = penalty(1, 1, 1, PenaltyType.DSQ)
    cls = complete([flag(1, 1), flag(2, 2), flag(3, 3)], pens=(dsq,))
    assert [(r.entry.id, r.position, r.gap_ms) for r in cls.rows] == [
        (2, 1, 0),
        (3, 2, 1000),
        (1, None, None),
    ]
    assert cls.rows[-1].status is Status.DSQ and cls.rows[-1].penalties == (dsq,)


def test_an_unusable_complete_record_is_refused():
    with pytest.raises(ClassificationError, match="flag position"):
        complete([flag(1, 1), flag(2, None)])
    pen = penalty(1, 1, 1, PenaltyType.TIME, 3)
    with pytest.raises(
        ClassificationError, match=r"^a time penalty needs laps for every finisher and a time$"
    ):
        complete([flag(1, 1), flag(2, 2, laps=None)], pens=(pen,))
    with pytest.raises(ClassificationError, match="time penalty"):
        complete([flag(1, 1, time=None), flag(2, 2)], pens=(pen,))
    # A penalised car's time is needed; another car without laps is refused too.
    other = penalty(2, 1, 2, PenaltyType.TIME, 3)
    with pytest.raises(ClassificationError):
        complete([flag(1, 1, laps=None), flag(2, 2)], pens=(other,))


def test_the_field_is_the_entries_of_the_round():
    one_off = Entry(6, 6, "Foxtrot", None, None, klass="Am", rounds=frozenset({2}))
    cls = complete([flag(1, 1)], entries=(A, one_off))
    assert [e.id for e in cls.field] == [1]
    assert not cls.shared and cls.complete


def test_a_partial_record_keeps_each_car_s_laps_time_and_gap():
    cls = partial([at(1, 1, laps=20, time_ms=1_800_000), at(2, 2, laps=20, gap_ms=1_500)])
    assert [(r.laps, r.time_ms, r.gap_ms) for r in cls.rows] == [
        (20, 1_800_000, None),
        (20, None, 1_500),
    ]


def test_an_unplaced_car_of_unknown_status_comes_before_the_cars_out_of_the_race():
    cls = partial([at(1, None, status=Status.NC, flag_position=3), at(2, None, flag_position=9)])
    assert [r.entry.id for r in cls.rows] == [2, 1]


def test_finishers_are_in_flag_order_whatever_order_the_results_come_in():
    assert [r.entry.id for r in complete([flag(3, 3), flag(1, 1), flag(2, 2)]).rows] == [1, 2, 3]


def test_a_time_penalty_of_unstated_length_moves_nobody():
    pen = penalty(1, 1, 1, PenaltyType.TIME, None)
    cls = complete([flag(1, 1, time=900), flag(2, 2)], pens=(pen,))
    assert [(r.entry.id, r.time_ms) for r in cls.rows] == [(1, 1_001_900), (2, 1_002_000)]


def test_after_a_time_penalty_laps_count_before_time():
    # 3 is a lap down: it took the flag sooner (less total time) but stays behind.
    pen = penalty(1, 1, 2, PenaltyType.TIME, 5)
    cls = complete([flag(1, 1), flag(2, 2), flag(3, 3, laps=19, time=-10_000)], pens=(pen,))
    assert [r.entry.id for r in cls.rows] == [1, 2, 3]


def test_after_a_time_penalty_one_millisecond_decides():
    # 1 finished first; with 5 s added it is 1 ms behind 2.
    pen = penalty(1, 1, 1, PenaltyType.TIME, 5)
    cls = complete([flag(1, 1), flag(2, 2, time=3_999)], pens=(pen,))
    assert [(r.entry.id, r.time_ms) for r in cls.rows] == [(2, 1_005_999), (1, 1_006_000)]


def test_after_a_time_penalty_a_lapped_car_without_a_time_stays_behind_the_one_ahead_of_it():
    pen = penalty(1, 1, 1, PenaltyType.TIME, 5)
    results = [flag(1, 1), flag(2, 2), flag(3, 3, laps=19), flag(5, 4, laps=19, time=None)]
    assert [r.entry.id for r in complete(results, pens=(pen,)).rows] == [2, 1, 3, 5]


def test_the_winner_s_own_time_penalty_counts_in_everyone_s_gap():
    pen = penalty(1, 1, 1, PenaltyType.TIME, 2)
    cls = complete([flag(1, 1), flag(2, 2, time=4_000)], pens=(pen,))
    # 1: 1,001,000 + 2 s = 1,003,000; 2: 1,006,000, 3 s behind.
    assert [(r.entry.id, r.gap_ms) for r in cls.rows] == [(1, 0), (2, 3_000)]


def test_a_complete_race_nobody_finished():
    cls = complete(
        [flag(1, None, laps=3, status=Status.DNF), flag(2, None, laps=0, status=Status.DNS)]
    )
    assert [(r.entry.id, r.position, r.status) for r in cls.rows] == [
        (1, None, Status.DNF),
        (2, None, Status.DNS),
    ]
    assert cls.winner is None


def test_every_row_carries_the_car_s_result_laps_and_penalties_revoked_ones_too():
    warned = penalty(1, 1, 1, PenaltyType.REPRIMAND)
    revoked = penalty(2, 1, 1, PenaltyType.TIME, 5, revoked_at="2099-01-01")
    out = flag(3, None, laps=7, status=Status.DNF)
    cls = complete([flag(1, 1), flag(2, 2), out], pens=(warned, revoked))
    rows = {r.entry.id: r for r in cls.rows}
    assert rows[1].penalties == (warned, revoked) and rows[1].active_penalties == (warned,)
    assert rows[2].penalties == ()
    assert (rows[3].result, rows[3].laps, rows[3].penalties) == (out, 7, ())


def test_cars_out_with_the_same_status_and_laps_follow_their_flag_order():
    # Unknown laps are not a lap: the car with unknown laps is not put ahead of one that did
    # none (they stay in the record's order).
    results = [
        flag(1, 1),
        flag(5, 4, laps=2, status=Status.NC),
        flag(3, 3, laps=2, status=Status.NC),
        flag(6, None, laps=0, status=Status.DNF),
        flag(2, None, laps=None, status=Status.DNF),
    ]
    entries = (A, B, C, E, Entry(6, 6, "Foxtrot", None, None))
    cls = complete(results, entries=entries)
    assert [r.entry.id for r in cls.rows] == [1, 3, 5, 6, 2]


def test_a_retirement_after_one_lap_comes_before_one_with_none():
    results = [
        flag(1, 1),
        flag(6, None, laps=0, status=Status.DNF),
        flag(2, None, laps=1, status=Status.DNF),
    ]
    cls = complete(results, entries=(A, B, C, E, Entry(6, 6, "Foxtrot", None, None)))
    assert [r.entry.id for r in cls.rows] == [1, 2, 6]
