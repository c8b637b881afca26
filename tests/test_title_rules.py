"""Title maths (bot.domain.title) called directly, on hand-computed cases: who is still in
it, and what each contender needs."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.models import ScoringRules
from bot.domain.title import (
    Contender,
    TitleOutlook,
    max_per_race,
    published_gap_outlook,
    title_outlook,
)
from tests.factories import standings_row, standings_table

SHORT = ScoringRules((10, 6, 4))  # three paying places, so the 4th is "outside the points"
SHORT_BONUS = ScoringRules((10, 6, 4), pole_bonus=1, fastest_lap_bonus=2)
FIVE = ScoringRules((10, 8, 6, 4, 2))

MORE_RACES = (
    "{leader} stays ahead of {rival} unless {rival} outscores him by more than {gap} "
    "point(s) over the last {races} races (by exactly {gap}: count-back decides)."
)
AHEAD = "{leader} is champion if he finishes ahead of {rival}"
OR_BETTER = "{leader} is champion if he finishes {place} or better, whatever {rival} does"
IN_THE_POINTS = "{leader} is champion if he finishes in the points, whatever {rival} does"
MUST_WIN = "if {leader} is {place}, {rival} must win"
MUST_FINISH = "if {leader} is {place}, {rival} must finish {need} or better"
OUT_MUST_WIN = "if {leader} is outside the points, {rival} must win"
OUT_MUST_FINISH = "if {leader} is outside the points, {rival} must finish {need} or better"
BONUS_CLAUSE = "(counting pole and fastest lap for {rival})"
EVERY_BONUS = "(counting every bonus point for {rival})"
OUT_ANYWHERE = "if {leader} is outside the points, {rival} is champion wherever he finishes"
ANYWHERE = "if {leader} is {place}, {rival} is champion wherever he finishes"


def name(key: int) -> str:
    return f"Testdriver {key:02d}"


def pair(leader: int = 1, rival: int = 2) -> dict[str, object]:
    return {"leader": name(leader), "rival": name(rival)}


def test_points_a_race_can_still_pay():
    assert max_per_race(SHORT, False) == 10
    assert max_per_race(SHORT, True) == 10
    assert max_per_race(SHORT_BONUS, True) == 13
    assert max_per_race(SHORT_BONUS, False) == 10
    assert max_per_race(ScoringRules(()), False) == 0
    assert max_per_race(ScoringRules((), pole_bonus=1, fastest_lap_bonus=2), True) == 3


def test_an_empty_table_has_no_leader_and_no_conditions():
    assert title_outlook(standings_table(), SHORT_BONUS, True, 2) == TitleOutlook(
        races_left=2,
        max_per_race=13,
        max_available=26,
        leader=None,
        contenders=(),
        eliminated=(),
        clinched=False,
        conditions=(),
    )


def test_two_races_left_everyone_sorted_into_in_or_out():
    # 13 a race (10 + pole 1 + fastest lap 2), 26 in all. Leader 1: 50 with three wins.
    # 2 (30) can pass him; 3 (24, two wins) can only tie, then has four wins to three: in,
    # on count-back; 4 (24, one win) ties with three wins, equal: out; 5 (20) cannot reach.
    table = standings_table(
        standings_row(1, 50, {1: 3}),
        standings_row(2, 30, {1: 1}),
        standings_row(3, 24, {1: 2}),
        standings_row(4, 24, {1: 1}),
        standings_row(5, 20),
    )
    out = title_outlook(table, SHORT_BONUS, True, 2)
    assert out == TitleOutlook(
        races_left=2,
        max_per_race=13,
        max_available=26,
        leader=Contender(1, name(1), 50, 76, 0, True),
        contenders=(
            Contender(1, name(1), 50, 76, 0, True),
            Contender(2, name(2), 30, 56, 20, True, False),
            Contender(3, name(3), 24, 50, 26, True, True),
        ),
        eliminated=(
            Contender(4, name(4), 24, 50, 26, False, False),
            Contender(5, name(5), 20, 46, 30, False, False),
        ),
        clinched=False,
        conditions=(
            ((MORE_RACES, {**pair(1, 2), "gap": 20, "races": 2}),),
            ((MORE_RACES, {**pair(1, 3), "gap": 26, "races": 2}),),
        ),
    )


def test_the_count_back_of_a_tie_counts_every_place_below_the_wins():
    # One race left, 10 at most. Leader 1: 30, a win and nothing else. Rival 2: 20 with a
    # 3rd place: a win brings him level, a win and a 3rd against a win: ahead.
    table = standings_table(standings_row(1, 30, {1: 1}), standings_row(2, 20, {3: 1}))
    out = title_outlook(table, SHORT, False, 1)
    assert [(c.key, c.alive, c.by_countback) for c in out.contenders] == [
        (1, True, False),
        (2, True, True),
    ]
    # A rival with no count-back places at all (a table from a partial record) ties 1 to 1.
    bare = replace(standings_row(2, 20), countback=())
    out = title_outlook(standings_table(standings_row(1, 30, {1: 1}), bare), SHORT, False, 1)
    assert out.clinched and out.eliminated == (Contender(2, name(2), 20, 30, 10, False, False),)


def test_after_the_last_race_the_leader_is_champion():
    table = standings_table(
        standings_row(1, 50, {1: 3}), standings_row(2, 50, {1: 2}), standings_row(3, 40)
    )
    out = title_outlook(table, SHORT, False, 0)
    assert out.max_available == 0 and out.clinched
    assert out.contenders == (Contender(1, name(1), 50, 50, 0, True),)
    assert out.eliminated == (
        Contender(2, name(2), 50, 50, 0, False, True),  # level on points, behind on count-back
        Contender(3, name(3), 40, 40, 10, False, False),
    )
    assert out.conditions == ((("{leader} is champion.", {"leader": name(1)}),),)


def test_a_clinch_with_races_to_spare():
    table = standings_table(standings_row(1, 50, {1: 3}), standings_row(2, 29))
    out = title_outlook(table, SHORT, False, 2)
    assert out.clinched and [c.key for c in out.eliminated] == [2]
    assert out.conditions == (
        (
            (
                "{leader} is champion with {races} race(s) to spare: nobody can catch him "
                "any more.",
                {"leader": name(1), "races": 2},
            ),
        ),
    )


def test_last_race_whoever_finishes_ahead():
    # 20 against 19, 10-6-4: ahead of the rival is enough, behind him is not.
    table = standings_table(standings_row(1, 20, {1: 1}), standings_row(2, 19, {1: 1}))
    assert title_outlook(table, SHORT, False, 1).conditions == (((AHEAD, pair()),),)


def test_last_race_safe_in_the_top_three_else_the_rival_must_win():
    # 20 against 11: on 24 or more (3rd or better) the leader is out of reach (21 at most);
    # outside the points he stays on 20 and only a win (21) beats him.
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 11, {1: 1}))
    assert title_outlook(table, SHORT, False, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 3}),
            (OUT_MUST_WIN, {**pair(), "place": 4, "need": 1}),
        ),
    )


def test_last_race_what_the_rival_needs_for_each_finish_of_the_leader():
    # 20 against 16. Leader 2nd: 26, the rival's win only ties and loses the count-back
    # (the leader has two wins and a 2nd to two wins). Leader 3rd: 24, the rival must win
    # (26). Outside the points: 20; the rival's 2nd (22) is enough, his 3rd (20) ties and
    # loses the count-back (a win and a 3rd against two wins).
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 16, {1: 1}))
    assert title_outlook(table, SHORT, False, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 2}),
            (MUST_WIN, {**pair(), "place": 3, "need": 1}),
            (OUT_MUST_FINISH, {**pair(), "place": 4, "need": 2}),
        ),
    )


def test_last_race_safe_anywhere_in_the_count_back():
    # 20 against 10: the rival can only tie (a win), and has a win and a 4th place then; the
    # leader has two wins and, outside the points (4th), a 4th too: he keeps it on count-back.
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 10, {1: 1, 4: 1}))
    out = title_outlook(table, SHORT, False, 1)
    assert [c.key for c in out.contenders] == [1, 2] and out.contenders[1].by_countback
    assert out.conditions == (((IN_THE_POINTS, {**pair(), "place": 4}),),)


def test_last_race_at_most_four_clauses():
    # 10-8-6-4-2, 20 against 16, no count-back places: 2nd or better is safe; 3rd: the rival
    # must win; 4th: 2nd or better; 5th: 3rd or better; (6th: 4th or better, not said).
    table = standings_table(standings_row(1, 20), standings_row(2, 16))
    assert title_outlook(table, FIVE, False, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 2}),
            (MUST_WIN, {**pair(), "place": 3, "need": 1}),
            (MUST_FINISH, {**pair(), "place": 4, "need": 2}),
            (MUST_FINISH, {**pair(), "place": 5, "need": 3}),
        ),
    )


def test_last_race_the_rival_takes_the_bonuses():
    # 20 against 11 with up to 3 bonus points: the rival reaches 24. Leader 3rd: 24, level;
    # the leader's two wins and a 3rd beat the rival's two wins. Outside the points the
    # rival must win.
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 11, {1: 1}))
    assert title_outlook(table, SHORT_BONUS, True, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 3}),
            (OUT_MUST_WIN, {**pair(), "place": 4, "need": 1}),
            (BONUS_CLAUSE, pair()),
        ),
    )
    # The same rules for a championship without bonuses: 21 at most, the same answer
    # without the clause.
    assert title_outlook(table, SHORT_BONUS, False, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 3}),
            (OUT_MUST_WIN, {**pair(), "place": 4, "need": 1}),
        ),
    )


def test_last_race_a_bonus_point_changes_what_the_rival_needs():
    # 20 against 15 with 3 bonus points: the rival reaches 28. Leader 1st (30): safe.
    # 2nd (26): the rival must win (28). 3rd (24): the rival's 2nd (24) ties and loses the
    # count-back (a win and a 2nd against two wins): he must win. Outside the points (20):
    # a 3rd (22) is enough.
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 15, {1: 1}))
    assert title_outlook(table, SHORT_BONUS, True, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 1}),
            (MUST_WIN, {**pair(), "place": 2, "need": 1}),
            (MUST_WIN, {**pair(), "place": 3, "need": 1}),
            (OUT_MUST_FINISH, {**pair(), "place": 4, "need": 3}),
            (BONUS_CLAUSE, pair()),
        ),
    )


def test_a_published_gap_larger_than_the_points_left_settles_it():
    names = {"leader": "A", "rival": "B", "gap": 27, "races": 2, "available": 26}
    assert published_gap_outlook("A", "B", 27, SHORT_BONUS, True, 2) == (
        (
            "{leader} is champion over {rival}: a {gap}-point lead with {available} points left.",
            names,
        ),
    )


def test_a_published_gap_equal_to_the_points_left_leaves_the_count_back():
    names = {"leader": "A", "rival": "B", "gap": 26, "races": 2, "available": 26}
    assert published_gap_outlook("A", "B", 26, SHORT_BONUS, True, 2) == (
        (
            "{leader} stays ahead of {rival} unless {rival} outscores him by more than {gap} "
            "point(s) over the last {races} race(s) (by exactly {gap}: count-back, which the "
            "record cannot settle).",
            names,
        ),
        ("Up to {available} points were still available to each of them.", names),
    )
    # Without bonuses the same gap is more than the 20 points left.
    assert len(published_gap_outlook("A", "B", 26, SHORT_BONUS, False, 2)) == 1


def test_last_race_the_leader_s_own_win_counts_in_a_tie():
    # Pole worth 4: a rival 2nd with the bonuses (10) ties a leader who wins (10). The
    # leader then has three wins to the rival's two: he keeps the title.
    rules = ScoringRules((10, 6, 4), pole_bonus=4)
    table = standings_table(standings_row(1, 30, {1: 2, 2: 1}), standings_row(2, 30, {1: 2, 3: 2}))
    assert title_outlook(table, rules, True, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 1}),
            (MUST_FINISH, {**pair(), "place": 2, "need": 3}),
            (MUST_FINISH, {**pair(), "place": 3, "need": 2}),
            # Both outside the points: the rival's pole (34 against 30) is enough.
            (OUT_ANYWHERE, {**pair(), "place": 4, "need": 4}),
            (BONUS_CLAUSE, pair()),
        ),
    )


def test_last_race_safe_second_then_finish_ahead():
    # 10-9-2, 20 against 18: 2nd is safe (29 against 28); 3rd, the rival must be 2nd; outside
    # the points (20), his 3rd (20) ties and his 3rd place beats the leader's 4th.
    table = standings_table(standings_row(1, 20), standings_row(2, 18))
    assert title_outlook(table, ScoringRules((10, 9, 2)), False, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 2}),
            (MUST_FINISH, {**pair(), "place": 3, "need": 2}),
            (OUT_MUST_FINISH, {**pair(), "place": 4, "need": 3}),
        ),
    )


def test_last_race_not_even_a_win_is_safe():
    # Pole worth 5: the rival's 2nd with it (31) beats the leader's win (30).
    rules = ScoringRules((10, 6, 4), pole_bonus=5)
    table = standings_table(standings_row(1, 20, {1: 1}), standings_row(2, 20, {2: 3}))
    conditions = title_outlook(table, rules, True, 1).conditions
    assert conditions[0][0] == (MUST_FINISH, {**pair(), "place": 1, "need": 2})
    assert all(template != OR_BETTER for template, _ in conditions[0])


def test_after_the_last_race_equal_in_everything_is_not_enough():
    table = standings_table(standings_row(1, 50, {1: 3}), standings_row(2, 50, {1: 3}))
    out = title_outlook(table, SHORT, False, 0)
    assert out.eliminated == (Contender(2, name(2), 50, 50, 0, False, True),)


def test_the_races_left_may_pay_differently():
    rules = replace(SHORT_BONUS, kinds=(("sprint", ScoringRules((6, 4, 2), pole_bonus=1)),))
    table = standings_table(standings_row(1, 30, {1: 3}), standings_row(2, 25, {1: 2}))
    # A sprint (6 + 1) then a feature race (10 + 1 + 2): 20 points left with bonuses.
    out = title_outlook(table, rules, True, 2, kinds=["sprint", None])
    assert out.max_available == 20
    assert title_outlook(table, rules, False, 2, kinds=["sprint", None]).max_available == 16
    # One sprint left: its scale decides the conditions.
    last = title_outlook(table, rules, False, 1, kinds=["sprint"])
    plain = title_outlook(table, ScoringRules((6, 4, 2)), False, 1)
    assert last.max_available == 6 and last.conditions == plain.conditions
    assert last.conditions != title_outlook(table, SHORT, False, 1).conditions


def test_with_dropped_scores_only_best_cases_are_said():
    table = standings_table(standings_row(1, 30, {1: 3}), standings_row(2, 25, {1: 2}))
    for champ in (
        replace(table.championship, best_results=8),
        replace(table.championship, drop_worst=1),
    ):
        out = title_outlook(replace(table, championship=champ), SHORT, False, 1)
        assert [c.key for c in out.contenders] == [1, 2] and out.conditions == ()
    assert title_outlook(table, SHORT, False, 1).conditions != ()


def test_last_race_the_rival_s_new_place_adds_to_the_ones_he_has():
    # 20 against 16, each with a win and a 3rd. Leader outside the points (20), rival 3rd
    # (20): level; the rival then has two 3rd places to one: he takes it.
    table = standings_table(standings_row(1, 20, {1: 1, 3: 1}), standings_row(2, 16, {1: 1, 3: 1}))
    assert title_outlook(table, SHORT, False, 1).conditions == (
        (
            (OR_BETTER, {**pair(), "place": 1}),
            (MUST_WIN, {**pair(), "place": 2, "need": 1}),
            (MUST_WIN, {**pair(), "place": 3, "need": 1}),
            (OUT_MUST_FINISH, {**pair(), "place": 4, "need": 3}),
        ),
    )


def test_last_race_ahead_of_the_rival_keeps_the_bonus_clause():
    # 20 against 17 with a 2-point fastest lap: ahead of the rival is enough (the rival's
    # place one better plus the bonuses falls short or ties and loses the count-back), and the
    # answer still says it counted the bonuses for the rival (it dropped the clause).
    rules = ScoringRules((10, 6, 4), fastest_lap_bonus=2)
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 17, {1: 1}))
    out = title_outlook(table, rules, True, 1)
    assert out.conditions == (((AHEAD, pair()), (BONUS_CLAUSE, pair())),)
    assert title_outlook(table, rules, False, 1).conditions != out.conditions


def test_last_race_both_outside_the_points():
    # 20 against 19, pole worth 2: the leader outside the points stays on 20; the rival
    # outside the points too takes the pole (21): he is champion wherever he finishes.
    rules = ScoringRules((10, 6, 4), pole_bonus=2)
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 19, {1: 1}))
    conditions = title_outlook(table, rules, True, 1).conditions[0]
    assert (OUT_ANYWHERE, {**pair(), "place": 4, "need": 4}) in conditions
    # Without the bonus the rival outside the points (19) cannot pass him (20).
    plain = title_outlook(table, rules, False, 1).conditions[0]
    assert all(t != OUT_ANYWHERE for t, _ in plain)


def test_last_race_a_fastest_lap_from_the_top_n_only():
    # The fastest lap pays 5 only from the top 3: outside the points the rival cannot take it.
    rules = ScoringRules((10, 6, 4), fastest_lap_bonus=5, fastest_lap_top=3)
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 16, {1: 1}))
    conditions = title_outlook(table, rules, True, 1).conditions[0]
    assert all(t not in (OUT_ANYWHERE, ANYWHERE) for t, _ in conditions)
    anywhere = replace(rules, fastest_lap_top=None)  # 16 + 5 outside the points beats 20
    assert (OUT_ANYWHERE, {**pair(), "place": 4, "need": 4}) in (
        title_outlook(table, anywhere, True, 1).conditions[0]
    )


def test_last_race_counts_the_qualifying_and_lap_led_points_it_carries():
    # 20 against 17, a lap led worth 1 and a qualifying worth 3 for pole: outside the points
    # the rival on 17 + 4 = 21 passes the leader (20): wherever he finishes.
    rules = ScoringRules((10, 6, 4), lap_led_bonus=1, qualifying_scale=(3, 2, 1))
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 17, {1: 1}))
    conditions = title_outlook(table, rules, True, 1, kinds=[None]).conditions[0]
    assert (OUT_ANYWHERE, {**pair(), "place": 4, "need": 4}) in conditions
    assert conditions[-1] == (EVERY_BONUS, pair())
    # The last race carries no qualifying (one per round, taken by the round's first race):
    # 17 + 1 = 18 outside the points is not enough.
    without = title_outlook(table, rules, True, 1, kinds=[None], qualifying=[False])
    assert all(t != OUT_ANYWHERE for t, _ in without.conditions[0])
    assert without.max_available == 10 + 1


def test_a_tie_is_settled_by_the_season_s_own_count_back_depth():
    # One race left; the rival can only tie (a win). Then both have two wins and no 2nd;
    # the rival has five 3rd places. Counting every place he would be ahead; a season whose
    # count-back stops at 2nd place leaves them level, and a level tie does not beat the
    # leader (the table would share the place).
    table = standings_table(standings_row(1, 30, {1: 2}), standings_row(2, 20, {1: 1, 3: 5}))
    everything = title_outlook(table, SHORT, False, 1)
    assert [(c.key, c.alive, c.by_countback) for c in everything.contenders] == [
        (1, True, False),
        (2, True, True),
    ]
    to_second = title_outlook(table, replace(SHORT, countback_places=2), False, 1)
    assert to_second.clinched and [c.key for c in to_second.eliminated] == [2]


def test_under_the_latest_best_result_a_tie_goes_to_the_most_recent_win():
    # 30 against 20, one race left, no count-back places below the wins apart. By count-back
    # a win only ties the rival on wins too (and the leader keeps it); under the latest best
    # result the rival's win in the last race is the most recent best result: he is in it.
    table = standings_table(standings_row(1, 30, {1: 2}), standings_row(2, 20, {1: 1}))
    countback = title_outlook(table, SHORT, False, 1)
    assert countback.clinched
    latest = title_outlook(table, replace(SHORT, tie_break="latest"), False, 1)
    assert [(c.key, c.alive) for c in latest.contenders] == [(1, True), (2, True)]
    # Last race: 3rd or better (every paying place) keeps the leader ahead on points;
    # outside them the rival must win (level on 30, his win the latest).
    assert latest.conditions == (
        (
            (OR_BETTER, {**pair(), "place": 3}),
            (OUT_MUST_WIN, {**pair(), "place": 4, "need": 1}),
        ),
    )
