"""The championship engine on fictional, complete seasons."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.classification import classify_race
from bot.domain.models import PenaltyType, Status
from bot.domain.standings import score_race
from bot.errors import ClassificationError
from tests.factories import make_season, penalty, set_results, with_penalties
from tests.helpers import classified, standings_of

# One race, 4 cars: A 1st (1000 s), B 2nd (+2 s), C 3rd (+6 s), D 4th (+20 s).
ROWS = [(1, 1, 1_000_000), (2, 2, 1_002_000), (3, 3, 1_006_000), (4, 4, 1_020_000)]


def one_race(*penalties):
    season = make_season(rounds=1, races_per_round=1, entries=4, pole_bonus=0, fastest_lap_bonus=0)
    season = set_results(season, 1, ROWS)
    return with_penalties(season, *penalties)


def order(season, session_id=1):
    return [r.entry.id for r in classified(season)[session_id].rows if r.position]


def test_road_order_without_penalties():
    assert order(one_race()) == [1, 2, 3, 4]


def test_time_penalty_resorts_by_total_time():
    # +5 s on the winner: 1005 s, behind B (1002) and ahead of C (1006).
    season = one_race(penalty(1, 1, 1, PenaltyType.TIME, 5))
    assert order(season) == [2, 1, 3, 4]
    row = classified(season)[1].row(1)
    assert row is not None and row.time_ms == 1_005_000 and row.gap_ms == 3_000


def test_time_penalty_that_moves_nothing():
    season = one_race(penalty(1, 1, 3, PenaltyType.TIME, 5))
    assert order(season) == [1, 2, 3, 4]


def test_position_penalty_drops_n_places_and_clamps():
    assert order(one_race(penalty(1, 1, 1, PenaltyType.POSITIONS, 2))) == [2, 3, 1, 4]
    assert order(one_race(penalty(1, 1, 2, PenaltyType.POSITIONS, 10))) == [1, 3, 4, 2]


def test_dsq_goes_to_the_end_with_its_status():
    season = one_race(penalty(1, 1, 1, PenaltyType.DSQ))
    cls = classified(season)[1]
    assert [r.entry.id for r in cls.rows] == [2, 3, 4, 1]
    assert cls.rows[-1].status is Status.DSQ and cls.rows[-1].position is None


def test_several_penalties_in_one_race():
    season = one_race(
        penalty(1, 1, 1, PenaltyType.TIME, 10),  # A -> 1010 s: behind C
        penalty(2, 1, 2, PenaltyType.POSITIONS, 1),  # B drops one place
        penalty(3, 1, 4, PenaltyType.DSQ),
    )
    # After time: B, C, A. Then B drops one: C, B, A. D disqualified.
    assert order(season) == [3, 2, 1]


def test_reprimand_and_grid_penalties_do_not_move_anyone():
    season = one_race(
        penalty(1, 1, 1, PenaltyType.REPRIMAND), penalty(2, 1, 2, PenaltyType.GRID, 3)
    )
    assert order(season) == [1, 2, 3, 4]


def test_revoking_restores_exactly():
    base = one_race()
    pen = penalty(1, 1, 1, PenaltyType.TIME, 5)
    penalised = with_penalties(base, pen)
    revoked = replace(penalised, penalties=(replace(pen, revoked_at="2099-01-01"),))
    before = classified(base)[1]
    after = classified(revoked)[1]
    assert [(r.entry.id, r.position, r.time_ms, r.gap_ms) for r in before.rows] == [
        (r.entry.id, r.position, r.time_ms, r.gap_ms) for r in after.rows
    ]
    assert standings_of(base, "drivers").rows == standings_of(revoked, "drivers").rows


def test_time_penalty_without_times_is_refused():
    season = one_race()
    season = replace(season, results=tuple(replace(r, time_ms=None) for r in season.results))
    with pytest.raises(ClassificationError):
        classify_race(
            season.sessions[0],
            season.results,
            [penalty(1, 1, 1, PenaltyType.TIME, 5)],
            {e.id: e for e in season.entries},
        )


def test_points_scale_and_bonuses():
    season = make_season(rounds=1, races_per_round=1, entries=4)
    season = set_results(season, 1, ROWS)
    season = replace(
        season, sessions=(replace(season.sessions[0], pole_entry_id=3, fastest_lap_entry_id=3),)
    )
    table = {r.key: r.points for r in standings_of(season, "drivers").rows}
    assert table == {1: 25, 2: 20, 3: 17 + 2, 4: 14}


def test_class_standings_score_class_positions():
    # Entries cycle classes: 1 Pro, 2 Pro-Am, 3 Am, 4 Pro, 5 Pro-Am, 6 Am.
    season = make_season(rounds=1, races_per_round=1, entries=6, pole_bonus=0, fastest_lap_bonus=0)
    season = set_results(
        season,
        1,
        [(6, 1, 1000), (5, 2, 2000), (3, 3, 3000), (2, 4, 4000), (1, 5, 5000), (4, 6, 6000)],
    )
    assert {r.key: r.points for r in standings_of(season, "am").rows} == {6: 25, 3: 20}
    assert {r.key: r.points for r in standings_of(season, "pro-am").rows} == {5: 25, 2: 20}


def test_guests_are_skipped_and_the_next_eligible_takes_the_points():
    season = make_season(
        rounds=1, races_per_round=1, entries=4, guests=1, pole_bonus=0, fastest_lap_bonus=0
    )
    season = set_results(season, 1, [(4, 1, 1000), (1, 2, 2000), (2, 3, 3000), (3, 4, 4000)])
    table = {r.key: r.points for r in standings_of(season, "drivers").rows}
    assert table == {1: 25, 2: 20, 3: 17}  # the guest (4) won on the road, scores nothing


def test_tie_broken_by_countback_and_shared_only_on_exact_equality():
    season = make_season(rounds=1, races_per_round=2, entries=3, pole_bonus=0, fastest_lap_bonus=0)
    # Race 1: 1, 2, 3. Race 2: 2, 1, 3 -> 1 and 2 both have 45 points and one win each.
    season = set_results(season, 1, [(1, 1, 1000), (2, 2, 2000), (3, 3, 3000)])
    season = set_results(season, 2, [(2, 1, 1000), (1, 2, 2000), (3, 3, 3000)])
    rows = standings_of(season, "drivers").rows
    assert [(r.key, r.position, r.points, r.shared) for r in rows[:2]] == [
        (1, 1, 45, True),
        (2, 1, 45, True),
    ]
    # Points equal and count-back equal too: 1 is 1st then 3rd (25 + 17), 3 is 3rd then 1st.
    season = make_season(rounds=1, races_per_round=2, entries=3, pole_bonus=0, fastest_lap_bonus=0)
    season = set_results(season, 1, [(1, 1, 1000), (2, 2, 2000), (3, 3, 3000)])
    season = set_results(season, 2, [(3, 1, 1000), (2, 2, 2000), (1, 3, 3000)])
    rows = standings_of(season, "drivers").rows
    # 1: 42 (a win, a 3rd); 3: 42 (a win, a 3rd); 2: 40 (two 2nds).
    assert [(r.key, r.position, r.shared) for r in rows] == [
        (1, 1, True),
        (3, 1, True),
        (2, 3, False),
    ]


def test_countback_decides_when_points_are_equal():
    season = make_season(rounds=1, races_per_round=2, entries=6, pole_bonus=0, fastest_lap_bonus=0)
    # Race 1: 1, 2, 3, 4, 5, 6. Race 2: 3, 4, 2, 5, 1, 6.
    season = set_results(season, 1, [(e, e, e * 1000) for e in range(1, 7)])
    season = set_results(
        season,
        2,
        [(3, 1, 1000), (4, 2, 2000), (2, 3, 3000), (5, 4, 4000), (1, 5, 5000), (6, 6, 6000)],
    )
    rows = standings_of(season, "drivers").rows
    # 3: 17 + 25 = 42; 1: 25 + 12 = 37 (a win); 2: 20 + 17 = 37 (no win); 4: 34; 5: 26; 6: 20.
    assert [(r.key, r.points, r.position, r.shared) for r in rows] == [
        (3, 42, 1, False),
        (1, 37, 2, False),  # ahead of 2 on count-back: one win against none
        (2, 37, 3, False),
        (4, 34, 4, False),
        (5, 26, 5, False),
        (6, 20, 6, False),
    ]


def test_team_standings_count_the_best_two_cars():
    season = make_season(rounds=1, races_per_round=1, entries=6, pole_bonus=0, fastest_lap_bonus=0)
    # Teams: (1,2) (3,4) (5,6). Order: 1, 3, 2, 5, 4, 6.
    season = set_results(
        season, 1, [(1, 1, 1), (3, 2, 2), (2, 3, 3), (5, 4, 4), (4, 5, 5), (6, 6, 6)]
    )
    rows = standings_of(season, "teams").rows
    assert [(r.name, r.points) for r in rows] == [
        ("Fictional Team 01", 25 + 17),
        ("Fictional Team 02", 20 + 12),
        ("Fictional Team 03", 14 + 10),
    ]


def test_standings_after_round_n():
    season = make_season(rounds=3, races_per_round=2, entries=6)
    after1 = standings_of(season, "drivers", 1)
    full = standings_of(season, "drivers")
    assert after1.after_round == 1 and after1.races_counted == 2 and not after1.final
    assert full.races_counted == 6 and full.final
    total1 = sum(r.points for r in after1.rows)
    assert total1 == 2 * (sum((25, 20, 17, 14, 12, 10)) + 2)  # + pole and fastest lap


def test_points_deduction():
    season = one_race(penalty(1, 1, 1, PenaltyType.POINTS, 10))
    rows = {r.key: r for r in standings_of(season, "drivers").rows}
    assert rows[1].points == 15 and rows[1].deductions == 10
    assert order(season) == [1, 2, 3, 4]  # the race order is untouched


def test_junior_standings():
    season = make_season(rounds=1, races_per_round=1, entries=16, pole_bonus=0, fastest_lap_bonus=0)
    rows = standings_of(season, "junior").rows
    assert sorted(r.key for r in rows) == [8, 16]
    assert sorted(r.points for r in rows) == [20, 25]


# -- properties --------------------------------------------------------------------------
penalty_lists = st.lists(
    st.tuples(
        st.integers(1, 8),
        st.sampled_from(
            [PenaltyType.TIME, PenaltyType.POSITIONS, PenaltyType.DSQ, PenaltyType.REPRIMAND]
        ),
        st.integers(1, 60),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10_000), pens=penalty_lists)
def test_classification_is_a_permutation_of_the_starters(seed, pens):
    season = make_season(rounds=1, races_per_round=1, entries=8, seed=seed)
    season = with_penalties(
        season, *(penalty(i, 1, e, t, v) for i, (e, t, v) in enumerate(pens, start=1))
    )
    cls = classified(season)[1]
    assert sorted(r.entry.id for r in cls.rows) == list(range(1, 9))
    positions = [r.position for r in cls.rows if r.position is not None]
    assert positions == list(range(1, len(positions) + 1))


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10_000), pens=penalty_lists)
def test_revoking_every_penalty_gives_the_road_order(seed, pens):
    season = make_season(rounds=1, races_per_round=1, entries=8, seed=seed)
    revoked = [
        replace(penalty(i, 1, e, t, v), revoked_at="x", revoke_reason="appeal")
        for i, (e, t, v) in enumerate(pens, start=1)
    ]
    cls = classified(with_penalties(season, *revoked))[1]
    road = sorted((r for r in season.results if r.session_id == 1), key=lambda r: r.flag_position)
    assert [r.entry.id for r in cls.rows] == [r.entry_id for r in road]


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10_000), guests=st.integers(0, 3), pens=penalty_lists)
def test_each_scored_position_pays_the_scale_once_per_championship(seed, guests, pens):
    season = make_season(
        rounds=1,
        races_per_round=1,
        entries=12,
        seed=seed,
        guests=guests,
        pole_bonus=0,
        fastest_lap_bonus=0,
    )
    season = with_penalties(
        season, *(penalty(i, 1, e, t, v) for i, (e, t, v) in enumerate(pens, start=1))
    )
    race = classified(season)[1]
    for champ in season.championships:
        if champ.is_teams:
            continue
        scores = score_race(season.scoring, champ, race)
        ranks = sorted(s.rank for s in scores if s.rank is not None)
        assert ranks == list(range(1, len(ranks) + 1))  # each rank exactly once
        assert sum(s.points for s in scores) == sum(season.scoring.points_for(r) for r in ranks)
