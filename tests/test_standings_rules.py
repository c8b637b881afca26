"""The drivers' table beyond points and count-back: dropped results, deductions, the "latest
best result" tie-break, a count-back cut at place N, exclusions, and what each row carries.

Where a tie is decided, the driver the rule favours has the later name, so the name order (the
sort's last resort) would give the other answer.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.models import Exclusion, PenaltyType, Season, TieBreak
from bot.domain.standings import (
    RaceScore,
    Standings,
    StandingsRow,
    compute_standings,
    compute_standings_series,
)
from tests.factories import finish, penalty, raced, with_penalties
from tests.helpers import classified, standings_of


def season_of(*orders: list[int], entries: int = 4, scale: tuple[int, ...] | None = None) -> Season:
    return raced(*orders, entries=entries, scale=scale)


def with_drivers_rule(season: Season, **rule: object) -> Season:
    champs = tuple(
        replace(c, **rule) if c.slug == "drivers" else c  # type: ignore[arg-type]
        for c in season.championships
    )
    return replace(season, championships=champs)


def latest(season: Season) -> Season:
    return replace(season, scoring=replace(season.scoring, tie_break=TieBreak.LATEST))


def rows(table: Standings) -> dict[int, StandingsRow]:
    return {r.key: r for r in table.rows}


# -- dropped results --------------------------------------------------------------------------
# Race 1: 1, 2, 3, 4. Race 2: 2, 3, 4, 1. Race 3: 2, 1, 3, 4 (session ids 1, 2, 3).
# Driver 1: 25, 14, 20. Driver 2: 20, 25, 25. Driver 3: 17, 20, 17. Driver 4: 14, 17, 14.
DROPS = ([1, 2, 3, 4], [2, 3, 4, 1], [2, 1, 3, 4])


def test_dropping_the_worst_result_drops_the_lowest_score_not_the_earliest():
    table = standings_of(with_drivers_rule(season_of(*DROPS), drop_worst=1), "drivers")
    got = rows(table)
    assert (got[1].points, got[1].dropped) == (45, ((2, 14),))  # race 2's 14, not race 1's 25
    assert (got[2].points, got[2].dropped) == (50, ((1, 20),))
    # Of two equal lowest scores, the earlier one is dropped.
    assert (got[3].points, got[3].dropped) == (37, ((1, 17),))
    assert (got[4].points, got[4].dropped) == (31, ((1, 14),))
    assert [r.key for r in table.rows] == [2, 1, 3, 4]
    assert [r.gap for r in table.rows] == [0, 5, 13, 19]


def test_the_best_n_results_count_the_same_way():
    table = standings_of(with_drivers_rule(season_of(*DROPS), best_results=2), "drivers")
    assert {k: (r.points, r.dropped) for k, r in rows(table).items()} == {
        1: (45, ((2, 14),)),
        2: (50, ((1, 20),)),
        3: (37, ((1, 17),)),
        4: (31, ((1, 14),)),
    }


def test_a_points_deduction_still_counts_when_a_result_is_dropped():
    season = with_drivers_rule(season_of(*DROPS), drop_worst=1)
    season = with_penalties(season, penalty(1, 3, 1, PenaltyType.POINTS, 5))
    got = rows(standings_of(season, "drivers"))
    assert (got[1].points, got[1].deductions, got[1].dropped) == (40, 5, ((2, 14),))


# -- deductions -------------------------------------------------------------------------------
def test_two_deductions_for_one_driver_add_up():
    season = with_penalties(
        season_of(*DROPS),
        penalty(1, 1, 1, PenaltyType.POINTS, 5),
        penalty(2, 3, 1, PenaltyType.POINTS, 3),
    )
    got = rows(standings_of(season, "drivers"))
    assert (got[1].points, got[1].deductions) == (25 + 14 + 20 - 8, 8)


def test_a_deduction_another_championship_does_not_admit_leaves_the_next_one_counted():
    # Entry 1 is Pro, entry 3 Am: the Am table ignores 1's deduction and still takes 3's.
    season = with_penalties(
        season_of(*DROPS),
        penalty(1, 1, 1, PenaltyType.POINTS, 5),
        penalty(2, 1, 3, PenaltyType.POINTS, 2),
    )
    am = rows(standings_of(season, "am"))
    assert am[3].deductions == 2
    assert 1 not in am


def test_a_deduction_in_a_race_the_driver_did_not_start_still_counts_and_shows_him():
    # Entry 4 is entered for round 1 only; a deduction is booked on round 2's race.
    season = season_of([1, 2, 3, 4], [1, 2, 3])
    one_round = replace(season.entries[3], rounds=frozenset({1}))
    season = replace(season, entries=(*season.entries[:3], one_round))
    season = with_penalties(season, penalty(1, 2, 4, PenaltyType.POINTS, 10))
    got = rows(standings_of(season, "drivers"))
    assert (got[4].name, got[4].points, got[4].deductions) == ("Testdriver 04", 14 - 10, 10)


def test_equal_places_and_different_points_are_not_a_shared_place():
    # 1 and 2 swap the first two places; 1 loses 5 points: 2 is ahead, nobody shares.
    season = with_penalties(
        season_of([1, 2, 3, 4], [2, 1, 3, 4]), penalty(1, 2, 1, PenaltyType.POINTS, 5)
    )
    table = standings_of(season, "drivers")
    got = rows(table)
    assert got[1].countback == got[2].countback
    assert (got[2].position, got[1].position) == (1, 2)
    assert not any(r.shared for r in table.rows)


# -- the "latest best result" tie-break -------------------------------------------------------
def test_latest_the_best_result_achieved_again_later_counts_from_its_last_time():
    # Scale 3-2-1. Driver 2: 1st, out, 1st = 6. Driver 1: 3rd, 1st, 2nd = 6. Both best 1st:
    # driver 2 achieved it last (race 3), driver 1 in race 2.
    season = latest(season_of([2, 3, 1, 4], [1, 3, 4, 2], [2, 1, 3, 4], scale=(3, 2, 1)))
    table = standings_of(season, "drivers")
    got = rows(table)
    assert got[1].points == got[2].points == 6
    assert (got[2].position, got[1].position) == (1, 2)
    assert got[2].best_rank == got[1].best_rank == 1


def test_latest_a_better_best_result_wins_even_when_both_came_in_the_same_race():
    # Scale 3-2-1, five cars. Driver 2: out, out, 2nd = 2. Driver 1: 3rd, out, 3rd = 2.
    # Both achieved their best in race 3: 2's 2nd place beats 1's 3rd; they do not share.
    season = latest(
        season_of([3, 4, 1, 2, 5], [3, 4, 5, 1, 2], [3, 2, 1, 4, 5], entries=5, scale=(3, 2, 1))
    )
    table = standings_of(season, "drivers")
    got = rows(table)
    assert got[1].points == got[2].points == 2
    assert (got[2].best_rank, got[1].best_rank) == (2, 3)
    assert (got[2].position, got[1].position) == (3, 4)  # 4 is 2nd on 4 points
    assert not got[1].shared and not got[2].shared


def test_latest_drivers_without_a_finish_are_told_apart_by_points():
    # Drivers 3 and 4 never start; 4 loses 2 points. Neither has a best result: points decide.
    season = with_penalties(
        latest(season_of([1, 2], [2, 1])), penalty(1, 1, 4, PenaltyType.POINTS, 2)
    )
    got = rows(standings_of(season, "drivers"))
    assert (got[3].points, got[4].points) == (0, -2)
    assert got[3].best_rank is None and got[4].best_rank is None
    assert (got[3].position, got[4].position) == (3, 4)
    assert not got[3].shared and not got[4].shared


@pytest.mark.parametrize("field", [41, 43])
def test_latest_any_finish_even_the_last_beats_no_finish(field: int):
    # A big field on a 15-place scale: driver 40 finishes last (40th of 41, 42nd of 43),
    # driver 39 does not start. Both have no points; a last place is still a best result,
    # and no finish is none. (With 43 cars the 42nd place was put behind no finish.)
    order = [*range(1, 39), *range(41, field + 1), 40]
    season = latest(season_of(order, entries=field))
    got = rows(standings_of(season, "drivers"))
    assert got[40].points == got[39].points == 0
    assert got[40].best_rank == field - 1 and got[39].best_rank is None
    assert got[40].position < got[39].position


# -- count-back cut at place N ----------------------------------------------------------------
def test_a_count_back_cut_at_6th_place_ignores_a_7th_place():
    # 16 cars, 15 scoring. Driver 2: 7th (9). Driver 1: 8th (8), then 15th (1).
    orders = (finish({2: 7, 1: 8}, 16), finish({1: 15}, 16, absent=[2]))
    season = season_of(*orders, entries=16)
    full = rows(standings_of(season, "drivers"))
    assert full[1].points == full[2].points == 9
    assert full[2].position == full[1].position - 1  # every place counts: 2's 7th decides
    cut = replace(season, scoring=replace(season.scoring, countback_places=6))
    table = standings_of(cut, "drivers")
    got = rows(table)
    assert got[1].position == got[2].position and got[1].shared and got[2].shared
    assert "to 6th" in table.tie_break


def test_the_count_back_looks_down_to_40th_place():
    # A 40-car field: drivers 39 and 40 score nothing; 40 is 39th, 39 is 40th.
    season = season_of([*range(1, 39), 40, 39], entries=40)
    got = rows(standings_of(season, "drivers"))
    assert got[39].points == got[40].points == 0
    assert got[40].position == got[39].position - 1


# -- exclusion --------------------------------------------------------------------------------
def test_an_excluded_driver_leaves_the_table_from_his_round_on_with_his_points():
    season = season_of([2, 1, 3, 4], [2, 1, 3, 4], [2, 1, 3, 4])
    season = with_drivers_rule(
        season, exclusions=(Exclusion("TESTDRIVER 02", 2, "dangerous driving"),)
    )
    champ = season.championship("drivers")
    assert champ is not None
    series = compute_standings_series(season, champ, classified(season))
    after1 = series[1]
    assert [r.key for r in after1.rows] == [2, 1, 3, 4] and after1.excluded == ()
    for rnd in (2, 3):
        table = series[rnd]
        assert [(r.key, r.position, r.gap) for r in table.rows] == [
            (1, 1, 0),
            (3, 2, 3 * rnd),
            (4, 3, 6 * rnd),
        ]
        assert [(r.key, r.position, r.points) for r in table.excluded] == [(2, 0, 25 * rnd)]
        assert not table.excluded[0].shared


# -- what a row carries -----------------------------------------------------------------------
def test_a_row_names_the_driver_his_car_and_team_and_his_best_result():
    season = season_of([3, 1, 2, 4], [1, 3, 2, 4])
    got = rows(standings_of(season, "drivers"))
    assert (got[3].name, got[3].car_number, got[3].team) == (
        "Testdriver 03",
        3,
        "Fictional Team 02",
    )
    assert (got[3].best_rank, got[2].best_rank, got[4].best_rank) == (1, 3, 4)
    assert (got[3].wins, got[2].wins) == (1, 0)


def test_every_unknown_race_is_counted_and_the_total_is_a_lower_bound():
    # The drivers' table counts bonuses; nobody knows who set the fastest lap in either race.
    season = season_of([1, 2, 3, 4], [1, 2, 3, 4])
    season = replace(season, scoring=replace(season.scoring, fastest_lap_bonus=1))
    season = replace(
        season, sessions=tuple(replace(s, fastest_lap_entry_id=None) for s in season.sessions)
    )
    table = standings_of(season, "drivers")
    for row in table.rows:
        assert row.exact is False and row.unknown_races == 2
    assert table.unknown_results == 8 and not table.complete


# -- which races a table counts ---------------------------------------------------------------
def test_a_race_without_a_classification_yet_is_not_counted():
    season = season_of(*DROPS)
    champ = season.championship("drivers")
    assert champ is not None
    first = {sid: c for sid, c in classified(season).items() if sid == 1}
    series = compute_standings_series(season, champ, first)
    assert series[3].races_counted == 1 and series[3].races == (1,)
    assert rows(series[3])[1].points == 25
    assert compute_standings_series(season, champ, first, rounds=()) == {}


def test_a_score_for_a_driver_the_entry_list_does_not_name_still_counts_as_unknown_name():
    season = season_of([1, 2, 3, 4])
    champ = season.championship("drivers")
    assert champ is not None
    races = classified(season)
    scores = {("drivers", 1): [RaceScore(1, 99, 1, 25, True, True)]}
    table = compute_standings(season, champ, races, race_scores=scores)
    assert [(r.key, r.name, r.car_number, r.team, r.points) for r in table.rows] == [
        (99, "?", None, None, 25)
    ]


def test_a_deduction_for_a_driver_with_no_race_yet_shows_him_below_zero():
    # Entry 4 is entered for round 2 only; a deduction is booked on round 1's race.
    season = season_of([1, 2, 3], [1, 2, 3, 4])
    late = replace(season.entries[3], rounds=frozenset({2}))
    season = replace(season, entries=(*season.entries[:3], late))
    season = with_penalties(season, penalty(1, 1, 4, PenaltyType.POINTS, 10))
    table = standings_of(season, "drivers", 1)
    assert [(r.key, r.name, r.points) for r in table.rows][-1] == (4, "Testdriver 04", -10)
