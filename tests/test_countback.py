"""Count-back, the tie-break: equal points go to more wins, then more 2nd places, and so on.

Each case is built so that the name order (the last resort of the sort) would give the
other answer: the driver count-back favours always has the later name (a higher number).
"""

from __future__ import annotations

from bot.domain.models import Season
from bot.domain.standings import TIE_BREAK_RULE, Standings, StandingsRow
from bot.domain.title import title_outlook
from tests.factories import finish, raced
from tests.helpers import standings_of

FIELD = 16  # 15 places pay points (25, 20, 17, 14, 12, 10, 9, 8, ... 1); the 16th none


def season_of(*orders: list[int], field: int = FIELD) -> Season:
    return raced(*orders, entries=field)


def drivers(season: Season, after_round: int | None = None) -> Standings:
    return standings_of(season, "drivers", after_round)


def by_key(table: Standings) -> dict[int, StandingsRow]:
    return {r.key: r for r in table.rows}


def test_more_points_beat_more_wins():
    # 3: three 2nd places (60). 1: two wins (50). Points first, count-back only on a tie.
    season = season_of(
        finish({1: 1, 3: 2}, FIELD), finish({1: 1, 3: 2}, FIELD), finish({3: 2}, FIELD, [1])
    )
    rows = by_key(drivers(season))
    assert (rows[3].points, rows[1].points) == (60, 50)
    assert rows[3].position < rows[1].position
    assert (rows[3].wins, rows[1].wins) == (0, 2)


def test_first_difference_at_second_places():
    # 5: 2nd, 2nd, absent = 40. 2: 3rd, 13th, 2nd = 17 + 3 + 20 = 40.
    # No wins either; 5 has two 2nd places against one: 5 is ahead, although 2 has more
    # places lower down (a 3rd and a 13th) and the earlier name.
    season = season_of(
        finish({5: 2, 2: 3}, FIELD),
        finish({5: 2, 2: 13}, FIELD),
        finish({2: 2}, FIELD, absent=[5]),
    )
    rows = by_key(drivers(season))
    a, b = rows[5], rows[2]
    assert a.points == b.points == 40
    assert (a.wins, b.wins) == (0, 0)
    assert a.position == b.position - 1
    assert not a.shared and not b.shared
    assert (a.countback[1], b.countback[1]) == (2, 1)


def test_first_difference_at_second_places_with_a_win_each():
    # As above, and each also won a race: wins are equal (1 each), the 2nd places decide.
    season = season_of(
        finish({5: 2, 2: 3}, FIELD),
        finish({5: 2, 2: 13}, FIELD),
        finish({2: 2}, FIELD, absent=[5]),
        finish({5: 1}, FIELD, absent=[2]),
        finish({2: 1}, FIELD, absent=[5]),
    )
    rows = by_key(drivers(season))
    a, b = rows[5], rows[2]
    assert a.points == b.points == 65 and a.wins == b.wins == 1
    assert a.position == b.position - 1


def test_first_difference_at_fifth_places():
    # 6: 1st, 5th, 5th = 49. 3: 1st, 6th, 14th, 5th = 25 + 10 + 2 + 12 = 49.
    # Equal wins, no 2nd, 3rd or 4th places: two 5th places beat one.
    season = season_of(
        finish({6: 1}, FIELD, absent=[3]),
        finish({3: 1}, FIELD, absent=[6]),
        finish({6: 5, 3: 6}, FIELD),
        finish({6: 5, 3: 14}, FIELD),
        finish({3: 5}, FIELD, absent=[6]),
    )
    rows = by_key(drivers(season))
    a, b = rows[6], rows[3]
    assert a.points == b.points == 49
    assert a.countback[:4] == b.countback[:4]
    assert (a.countback[4], b.countback[4]) == (2, 1)
    assert a.position == b.position - 1
    assert not a.shared and not b.shared


def test_equal_points_and_places_share_the_position_and_the_next_one_is_skipped():
    # 4: 1st, 3rd = 42. 2: 3rd, 1st = 42. 3: 2nd, 2nd, 14th = 42 (no win).
    # 4 and 2 are equal in points and in every place: they share; 3 comes two places later.
    season = season_of(
        finish({4: 1, 3: 2, 2: 3}, FIELD),
        finish({2: 1, 3: 2, 4: 3}, FIELD),
        finish({3: 14}, FIELD, absent=[2, 4]),
    )
    table = drivers(season)
    rows = by_key(table)
    assert rows[4].points == rows[2].points == rows[3].points == 42
    assert rows[4].position == rows[2].position
    assert rows[4].shared and rows[2].shared
    assert rows[3].position == rows[4].position + 2 and not rows[3].shared
    # Nobody else shares anything here.
    assert [r.key for r in table.rows if r.shared] in ([2, 4], [4, 2])


def test_the_table_is_in_order_of_points_then_count_back():
    season = season_of(
        finish({4: 1, 3: 2, 2: 3}, FIELD),
        finish({2: 1, 3: 2, 4: 3}, FIELD),
        finish({3: 14}, FIELD, absent=[2, 4]),
    )
    table = drivers(season)
    keys = [(-r.points, tuple(-c for c in r.countback)) for r in table.rows]
    assert keys == sorted(keys)
    positions = [r.position for r in table.rows]
    assert positions[0] == 1 and positions == sorted(positions)
    leader = table.rows[0].points
    assert all(r.gap == leader - r.points for r in table.rows)
    assert table.tie_break == TIE_BREAK_RULE


def test_count_back_reaches_past_the_points():
    # 3: 16th (no points) and 15th (1 point); 2: 15th, then absent. Equal on points and on
    # every place down to the 15th: 3's 16th place, which paid nothing, still counts.
    season = season_of(finish({3: 16, 2: 15}, FIELD), finish({3: 15}, FIELD, absent=[2]))
    rows = by_key(drivers(season))
    assert rows[3].points == rows[2].points == 1
    assert rows[3].position < rows[2].position


def test_standings_after_a_round_use_the_places_up_to_that_round():
    # After round 3 the 2nd places decide for 5 (above); after round 2, 5 leads on points.
    season = season_of(
        finish({5: 2, 2: 3}, FIELD),
        finish({5: 2, 2: 13}, FIELD),
        finish({2: 2}, FIELD, absent=[5]),
    )
    after2 = by_key(drivers(season, 2))
    assert (after2[5].points, after2[2].points) == (40, 20)
    full = by_key(drivers(season))
    assert full[5].position < full[2].position


def test_the_title_maths_use_the_same_count_back():
    # A 4-car field, three rounds run, one left, no bonuses (25 points at most).
    # Leader 4: 1st, 3rd, 3rd = 59. Rival 3: 2nd, 4th, absent = 34: a win brings him to 59
    # with a win, a 2nd and a 4th against a win and two 3rd places: ahead at 2nd places.
    season = season_of([4, 3], [1, 2, 4, 3], [2, 1, 4], [1, 2, 3, 4], field=4)
    table = drivers(season, 3)
    assert [(r.key, r.points) for r in table.rows] == [(4, 59), (1, 45), (2, 45), (3, 34)]
    out = title_outlook(table, season.scoring, False, 1)
    alive = {c.key: c for c in out.contenders}
    assert set(alive) == {4, 1, 2, 3}
    assert alive[3].by_countback and alive[3].best == 59
    assert not alive[1].by_countback and alive[1].best == 70


def test_the_title_maths_equal_in_everything_is_not_enough():
    # Leader 4: 1st, 2nd, 3rd = 62. Rival 3: 2nd, 3rd = 37: a win brings him to 62 with
    # exactly the leader's places. Equal in everything does not take a title off its holder.
    season = season_of([4, 3], [2, 4, 3], [1, 2, 4], [1, 2, 3, 4], field=4)
    table = drivers(season, 3)
    assert [(r.key, r.points) for r in table.rows] == [(4, 62), (2, 45), (3, 37), (1, 25)]
    out = title_outlook(table, season.scoring, False, 1)
    assert 3 not in {c.key for c in out.contenders}
    assert 3 in {c.key for c in out.eliminated}
