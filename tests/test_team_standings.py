"""The teams' table: each race, a team scores the points of its best N regular cars.

Guests never score for a team; a team's count-back uses the places of the cars it counted.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.models import Championship, Eligibility, Season, TieBreak
from bot.domain.standings import Standings, compute_standings, score_race
from tests.factories import make_entries, make_season, with_orders
from tests.helpers import classified, standings_of

FIELD = 12  # teams of three: 01 = cars 1-3, 02 = 4-6, 03 = 7-9, 04 = 10-12


def season_of(
    *orders: list[int], guests: int = 0, counting_cars: int = 2, team_size: int = 3
) -> Season:
    season = make_season(
        rounds=len(orders), races_per_round=1, entries=FIELD, pole_bonus=0, fastest_lap_bonus=0
    )
    entries = make_entries(FIELD, guests=guests, team_size=team_size)
    champs = tuple(
        replace(c, counting_cars=counting_cars) if c.is_teams else c for c in season.championships
    )
    return with_orders(replace(season, entries=entries, championships=champs), orders)


def table(season: Season, slug: str = "teams", after_round: int | None = None) -> Standings:
    return standings_of(season, slug, after_round)


def points(t: Standings) -> dict[str, int]:
    return {r.name: r.points for r in t.rows}


def test_three_cars_the_best_two_count():
    # Order 1, 4, 2, 5, 3, 6, 7 ...: team 01 has 1st, 3rd and 5th; team 02 2nd, 4th, 6th.
    season = season_of([1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12])
    t = table(season)
    assert points(t) == {
        "Fictional Team 01": 25 + 17,
        "Fictional Team 02": 20 + 14,
        "Fictional Team 03": 9 + 8,  # 7th and 8th; 9 (9th) not counted
        "Fictional Team 04": 6 + 5,
    }
    assert [r.name for r in t.rows] == sorted(points(t), key=lambda n: -points(t)[n])
    assert t.rows[0].wins == 1 and t.rows[1].wins == 0


def test_the_best_two_by_points_not_by_entry_order():
    # Team 01's cars finish 12th (car 1), 2nd (car 2) and 1st (car 3): 20 + 25, not 4 + 20.
    season = season_of([3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1])
    assert points(table(season))["Fictional Team 01"] == 45


@pytest.mark.parametrize("counting_cars", [3, 0])  # three, or every car (0)
def test_counting_three_cars_or_every_car(counting_cars: int):
    season = season_of([1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], counting_cars=counting_cars)
    assert points(table(season)) == {
        "Fictional Team 01": 25 + 17 + 12,
        "Fictional Team 02": 20 + 14 + 10,
        "Fictional Team 03": 9 + 8 + 7,
        "Fictional Team 04": 6 + 5 + 4,
    }


def test_counting_one_car():
    season = season_of([1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], counting_cars=1)
    assert points(table(season))["Fictional Team 01"] == 25


def test_a_guest_scores_nothing_for_its_team_and_takes_no_car_slot():
    # Car 12 is a guest in team 04. It wins on the road: the drivers' championship gives the
    # points to the next cars, and team 04 counts its two regular cars only (10 and 11).
    season = season_of([12, 10, 1, 11, 4, 2, 5, 3, 6, 7, 8, 9], guests=1)
    drivers = {r.key: r.points for r in table(season, "drivers").rows}
    assert 12 not in drivers and drivers[10] == 25 and drivers[1] == 20 and drivers[11] == 17
    t = points(table(season))
    assert t["Fictional Team 04"] == 25 + 17
    assert t["Fictional Team 01"] == 20 + 12  # cars 1 (2nd of the points) and 2 (5th)


def test_guests_do_not_score_for_teams_even_where_the_drivers_table_admits_them():
    # An "open" drivers' championship that scores guests too, and a teams' table built on it.
    season = season_of([12, 10, 1, 11, 4, 2, 5, 3, 6, 7, 8, 9], guests=1)
    open_champ = Championship("open", "Open", eligible=Eligibility(guest=None))
    teams = Championship("open-teams", "Open teams", kind="teams", points_from="open")
    season = replace(season, championships=(*season.championships, open_champ, teams))
    drivers = {r.key: r.points for r in table(season, "open").rows}
    assert drivers[12] == 25 and drivers[10] == 20  # the guest scores in its own table
    t = points(table(season, "open-teams"))
    assert t["Fictional Team 04"] == 20 + 14  # 10 (2nd) and 11 (4th); never the guest's 25


def test_a_team_of_guests_only_is_not_in_the_table():
    # Cars 10, 11 and 12 are guests: team 04 does not appear.
    season = season_of([10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9], guests=3)
    t = table(season)
    assert "Fictional Team 04" not in points(t)
    assert points(t)["Fictional Team 01"] == 25 + 20


def test_a_driver_entered_as_a_guest_for_another_team_scores_for_his_own_team():
    # Driver 1 races for team 01 all season; at round 2 he also has a guest entry with team
    # 04 (a one-off). His points count for team 01 only.
    season = season_of(
        [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12]
    )
    one_off = replace(season.entries[0], id=99, team_id=4, team="Fictional Team 04", guest=True)
    season = replace(season, entries=(*season.entries, one_off))
    t = points(table(season))
    assert t["Fictional Team 01"] == 2 * (25 + 17)
    assert t["Fictional Team 04"] == 2 * (6 + 5)


def test_team_count_back_uses_the_counted_cars_only():
    # Race 1: 1, 4, 2, 5; race 2: 4, 1, 5, 2. Both times the third cars are 5th (car 3, team
    # 01) and 6th (car 6, team 02), uncounted. The counted cars have the same places (a 1st,
    # a 2nd, a 3rd, a 4th each): the uncounted 5th place does not break the tie.
    season = season_of(
        [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], [4, 1, 5, 2, 3, 6, 7, 8, 9, 10, 11, 12]
    )
    t = table(season)
    top = {r.name: r for r in t.rows[:2]}
    assert set(top) == {"Fictional Team 01", "Fictional Team 02"}
    a, b = top["Fictional Team 01"], top["Fictional Team 02"]
    assert a.points == b.points == 25 + 17 + 20 + 14
    assert a.position == b.position == 1 and a.shared and b.shared
    assert t.rows[2].position == 3


def test_team_count_back_breaks_a_tie_by_places():
    # Race 1: team 02 1st and 5th (25 + 12 = 37), team 01 2nd and 3rd (20 + 17 = 37).
    # Equal points; team 02 has a win: ahead, although team 01 comes first by name.
    season = season_of([4, 1, 2, 7, 5, 10, 3, 6, 8, 9, 11, 12])
    t = table(season)
    assert [(r.name, r.points, r.position) for r in t.rows[:2]] == [
        ("Fictional Team 02", 37, 1),
        ("Fictional Team 01", 37, 2),
    ]


def test_teams_after_a_round_and_over_several_races():
    season = season_of(
        [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], [4, 5, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12]
    )
    after1 = points(table(season, after_round=1))
    full = points(table(season))
    assert after1["Fictional Team 01"] == 42 and after1["Fictional Team 02"] == 34
    assert full["Fictional Team 01"] == 42 + 17 + 14 and full["Fictional Team 02"] == 34 + 45
    t = table(season)
    assert t.races_counted == 2 and t.complete and t.unknown_results == 0
    assert all(r.exact and r.unknown_races == 0 for r in t.rows)
    assert t.rows[0].gap == 0 and t.rows[1].gap == t.rows[0].points - t.rows[1].points


def test_a_teams_table_without_a_drivers_table_to_count_is_refused():
    season = season_of([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    orphan = Championship("teams", "Teams", kind="teams", points_from="nowhere")
    with pytest.raises(ValueError, match="no source"):
        compute_standings(season, orphan, classified(season))
    orphan = Championship("teams", "Teams", kind="teams")
    with pytest.raises(ValueError, match="no source"):
        compute_standings(season, orphan, classified(season))


def test_a_regular_driver_s_guest_entry_scores_for_no_team():
    # Driver 1 drives for team 01; at round 2 he races a one-off guest car (entry 99, team
    # 04) instead. An "open" table scores that guest car; neither team counts it.
    season = season_of(
        [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], [99, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12]
    )
    one_off = replace(season.entries[0], id=99, team_id=4, team="Fictional Team 04", guest=True)
    open_champ = Championship("open", "Open", eligible=Eligibility(guest=None))
    teams = Championship("open-teams", "Open teams", kind="teams", points_from="open")
    season = replace(
        season,
        entries=(*season.entries, one_off),
        championships=(*season.championships, open_champ, teams),
    )
    drivers = {r.key: r.points for r in table(season, "open").rows}
    assert drivers[1] == 25 + 25  # the driver's own table counts both of his races
    t = points(table(season, "open-teams"))
    assert t["Fictional Team 01"] == (25 + 17) + (17 + 12)  # round 2: cars 2 (3rd), 3 (5th)
    assert t["Fictional Team 04"] == (6 + 5) + (6 + 5)  # cars 10, 11: never the guest's 25


def test_scores_without_their_car_count_for_the_driver_s_regular_team():
    # Scores handed in without an entry id (only the driver) go to the driver's regular team:
    # the table is the one the cars give. A guest driver's score goes nowhere.
    season = season_of([12, 1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11], guests=1)
    open_champ = Championship("open", "Open", eligible=Eligibility(guest=None))
    teams = Championship("open-teams", "Open teams", kind="teams", points_from="open")
    season = replace(season, championships=(*season.championships, open_champ, teams))
    races = classified(season)
    by_car = {("open", sid): score_race(season.scoring, open_champ, c) for sid, c in races.items()}
    by_driver = {k: [replace(s, entry_id=None) for s in v] for k, v in by_car.items()}
    expected = {
        "Fictional Team 01": 20 + 14,
        "Fictional Team 02": 17 + 12,
        "Fictional Team 03": 8 + 7,
        "Fictional Team 04": 5 + 4,  # cars 10 and 11; the guest (12) won
    }
    for scores in (by_car, by_driver):
        t = compute_standings(season, teams, races, race_scores=scores)
        assert points(t) == expected


def test_a_team_s_dropped_result_is_its_worst_race():
    # Team 01: 25 + 17 in race 1, 9 + 8 in race 2 (session 2), 20 + 14 in race 3.
    season = season_of(
        [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12],
        [4, 5, 6, 7, 8, 10, 1, 2, 3, 9, 11, 12],
        [4, 1, 5, 2, 3, 6, 7, 8, 9, 10, 11, 12],
    )
    champs = tuple(replace(c, drop_worst=1) if c.is_teams else c for c in season.championships)
    t = {r.name: r for r in table(replace(season, championships=champs)).rows}
    team01 = t["Fictional Team 01"]
    assert team01.dropped == ((2, 9 + 8),)
    assert team01.points == 25 + 17 + 20 + 14


def test_team_tie_broken_by_the_latest_best_result():
    # Team 01: 1st and 3rd, then 2nd and 4th (76). Team 02: 2nd and 4th, then 1st and 3rd
    # (76). Both best results are wins; team 02's came last: team 02 is ahead.
    season = season_of(
        [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], [4, 1, 5, 2, 3, 6, 7, 8, 9, 10, 11, 12]
    )
    season = replace(season, scoring=replace(season.scoring, tie_break=TieBreak.LATEST))
    t = table(season)
    assert [(r.name, r.points, r.position) for r in t.rows[:2]] == [
        ("Fictional Team 02", 76, 1),
        ("Fictional Team 01", 76, 2),
    ]


def test_team_count_back_can_take_every_car_where_the_rules_say_so():
    # The same races as above: the counted cars tie place for place; with every car's places
    # (F1 1969's constructors' tables), team 01's uncounted 5th places beat team 02's 6ths.
    season = season_of(
        [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], [4, 1, 5, 2, 3, 6, 7, 8, 9, 10, 11, 12]
    )
    champs = tuple(
        replace(c, countback_all_cars=True) if c.is_teams else c for c in season.championships
    )
    t = table(replace(season, championships=champs))
    assert [(r.name, r.position, r.shared) for r in t.rows[:2]] == [
        ("Fictional Team 01", 1, False),
        ("Fictional Team 02", 2, False),
    ]
    assert t.rows[0].points == t.rows[1].points


def test_a_team_s_unknown_results_add_up_race_by_race():
    # In each of two races one car's points are only a lower bound: its team's total is too,
    # and the table counts both unknown results.
    season = season_of(
        [1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], [4, 1, 5, 2, 3, 6, 7, 8, 9, 10, 11, 12]
    )
    drivers = season.championship("drivers")
    teams = season.championship("teams")
    assert drivers is not None and teams is not None
    races = classified(season)
    scores = {
        ("drivers", sid): [
            replace(s, exact=False) if s.entry_id == sid else s
            for s in score_race(season.scoring, drivers, c)
        ]
        for sid, c in races.items()
    }
    t = compute_standings(season, teams, races, race_scores=scores)
    assert t.unknown_results == 2 and not t.complete
    rows = {r.name: r for r in t.rows}
    assert (rows["Fictional Team 01"].exact, rows["Fictional Team 01"].unknown_races) == (False, 2)
    assert rows["Fictional Team 02"].exact and rows["Fictional Team 02"].unknown_races == 0


def test_two_teams_unknown_in_one_race_are_two_unknown_results():
    season = season_of([1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12])
    drivers = season.championship("drivers")
    teams = season.championship("teams")
    assert drivers is not None and teams is not None
    races = classified(season)
    scores = {
        ("drivers", sid): [
            replace(s, exact=False) if s.entry_id in (1, 4) else s
            for s in score_race(season.scoring, drivers, c)
        ]
        for sid, c in races.items()
    }
    assert compute_standings(season, teams, races, race_scores=scores).unknown_results == 2
