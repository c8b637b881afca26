"""Title maths with bonuses (bot.domain.title) on hand-made tables: which bonuses the rival is
counted for in the last race, a tie decided at the leader's own place, and what is left.

tests/test_title_rules.py holds the rest of the title maths.
"""

from __future__ import annotations

import pytest

from bot.domain.models import ScoringRules
from bot.domain.title import available_in, rival_bonus, title_outlook
from tests.factories import standings_row, standings_table

NAMES = {"leader": "Testdriver 01", "rival": "Testdriver 02"}
MUST_FINISH = "if {leader} is {place}, {rival} must finish {need} or better"
POLE_AND_FASTEST = "(counting pole and fastest lap for {rival})"
EVERY_BONUS = "(counting every bonus point for {rival})"


def last_race(rules: ScoringRules, leader: dict[int, int], rival: dict[int, int], gap: int):
    """The conditions for Testdriver 01 over 02, one race left, bonuses counted."""
    points = sum(rules.points_for(place) * n for place, n in rival.items())
    table = standings_table(standings_row(1, points + gap, leader), standings_row(2, points, rival))
    (conditions,) = title_outlook(table, rules, True, 1).conditions
    return conditions


def test_a_tie_decided_at_the_leader_s_own_place_counts_his_new_place_once():
    # Scale 10-6-4-3-2-1, the rival takes pole (1) and fastest lap (2). Leader 19 points: two
    # 2nd places, a 4th, two 5ths. Rival 18: three 2nd places. If the leader is 2nd (25), the
    # rival 3rd reaches 25 too: 2nd places equal (3 each), and the rival's 3rd place decides.
    rules = ScoringRules((10, 6, 4, 3, 2, 1), pole_bonus=1, fastest_lap_bonus=2)
    conditions = last_race(rules, {2: 2, 4: 1, 5: 2}, {2: 3}, 1)
    assert (MUST_FINISH, {**NAMES, "place": 2, "need": 3}) in conditions
    assert conditions[-1] == (POLE_AND_FASTEST, NAMES)


def test_a_fastest_lap_only_for_the_winner_is_still_a_bonus_the_rival_can_take():
    rules = ScoringRules((10, 6, 4), fastest_lap_bonus=1, fastest_lap_top=1)
    assert last_race(rules, {1: 2}, {2: 2}, 8)[-1] == (POLE_AND_FASTEST, NAMES)


@pytest.mark.parametrize(
    "rules",
    [
        ScoringRules((10, 6, 4), lap_led_bonus=1),
        ScoringRules((10, 6, 4), qualifying_scale=(3, 2, 1)),
    ],
    ids=["lap led", "qualifying"],
)
def test_a_lap_led_or_qualifying_points_are_said_as_every_bonus(rules: ScoringRules):
    assert last_race(rules, {1: 2}, {2: 2}, 8)[-1] == (EVERY_BONUS, NAMES)


def test_the_bonus_a_rival_can_add_finishing_a_place():
    rules = ScoringRules(
        (10, 6, 4), pole_bonus=1, fastest_lap_bonus=2, fastest_lap_top=2, lap_led_bonus=4
    )
    assert [rival_bonus(rules, True, place, 3) for place in (1, 2, 3)] == [10, 10, 8]
    assert rival_bonus(rules, False, 1, 3) == 0


def test_points_left_need_a_kind_for_each_race_carrying_qualifying_points():
    rules = ScoringRules((10, 6, 4), qualifying_scale=(3,))
    assert available_in(rules, True, [None, None], [True, False]) == 13 + 10
    with pytest.raises(ValueError):
        available_in(rules, True, [None, None], [True])
