"""The model's own rules (bot.domain.models): who enters a round, who is eligible, what a
place pays."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.domain.models import (
    Championship,
    Eligibility,
    Entry,
    Penalty,
    PenaltyType,
    Round,
    ScoringRules,
    Session,
    SessionKind,
)
from tests.factories import make_season

ENTRY = Entry(1, 1, "Testdriver 01", 1, "Fictional Team 01", klass="Am", rookie=True)


def test_an_entry_enters_the_rounds_it_is_entered_for():
    assert ENTRY.enters(1) and ENTRY.enters(99)  # no rounds given: the whole season
    one_off = replace(ENTRY, rounds=frozenset({3, 5}))
    assert [r for r in range(1, 7) if one_off.enters(r)] == [3, 5]
    assert not replace(ENTRY, rounds=frozenset()).enters(1)


def test_a_session_number_and_its_place_in_the_season():
    race = Session(1, 4, "R2", SessionKind.RACE)
    assert race.number == 2 and race.order_key == (4, 2)
    qualifying = Session(2, 4, "Q", SessionKind.QUALIFYING)
    assert qualifying.number == 0 and qualifying.order_key == (4, 0)
    assert Session(3, 4, "R12", SessionKind.RACE).number == 12


def test_a_penalty_is_active_until_revoked():
    p = Penalty(1, 1, 1, PenaltyType.TIME, 5)
    assert p.active
    assert not replace(p, revoked_at="2099-05-01 10:00").active
    assert not replace(p, revoke_reason="appeal upheld").active


def test_membership_known_true_known_false_or_unknown():
    am = Eligibility(klass="Am")
    assert am.membership(ENTRY) is True and am.admits(ENTRY)
    assert am.membership(replace(ENTRY, klass="Pro")) is False
    assert am.membership(replace(ENTRY, klass=None)) is None
    assert not am.admits(replace(ENTRY, klass=None))  # unknown does not qualify
    assert not am.admits(replace(ENTRY, klass="Pro"))


def test_every_condition_must_hold_and_one_known_miss_settles_it():
    rookie_am = Eligibility(klass="Am", rookie=True)
    assert rookie_am.membership(ENTRY) is True
    assert rookie_am.membership(replace(ENTRY, rookie=False)) is False
    # Class unknown, but known not a rookie: out, whatever the class.
    assert rookie_am.membership(replace(ENTRY, klass=None, rookie=False)) is False
    assert rookie_am.membership(replace(ENTRY, klass="Pro", rookie=None)) is False
    # Class known, rookie unknown: unknown.
    assert rookie_am.membership(replace(ENTRY, rookie=None)) is None
    junior = Eligibility(junior=True)
    assert junior.membership(replace(ENTRY, junior=True)) is True
    assert junior.membership(replace(ENTRY, junior=False)) is False
    assert junior.membership(ENTRY) is None  # junior not stated


def test_guests_are_out_unless_the_championship_takes_everyone():
    guest = replace(ENTRY, guest=True)
    assert Eligibility().membership(guest) is False
    assert Eligibility().membership(ENTRY) is True
    everyone = Eligibility(guest=None)
    assert everyone.membership(guest) is True and everyone.membership(ENTRY) is True
    assert Eligibility(guest=True).membership(guest) is True
    assert Eligibility(guest=True).membership(ENTRY) is False


def test_what_each_place_pays():
    rules = ScoringRules((10, 6, 4))
    assert [rules.points_for(r) for r in (1, 2, 3, 4, 0, -1)] == [10, 6, 4, 0, 0, 0]
    assert ScoringRules(()).points_for(1) == 0


def test_a_teams_championship():
    assert Championship("teams", "Teams", kind="teams").is_teams
    assert not Championship("drivers", "Drivers").is_teams


def test_a_season_s_races_in_order_its_notes_and_its_championships():
    season = make_season(rounds=2, races_per_round=2)
    shuffled = replace(
        season,
        sessions=(
            *reversed(season.sessions),
            Session(99, 1, "Q", SessionKind.QUALIFYING),
        ),
        notes=(("junior", "Juniors are under 21."), ("junior", "a second note"), ("x", "y")),
    )
    assert [s.order_key for s in shuffled.races] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert shuffled.note("junior") == "Juniors are under 21."
    assert shuffled.note("x") == "y" and shuffled.note("nothing") is None
    assert shuffled.championship("rookie") is season.championships[3]
    assert shuffled.championship("nope") is None
    assert season.last_round == 2
    assert replace(season, rounds=()).last_round == 0
    late = Round(9, 7, "late", "Late", "Late", "Nowhere", dt.date(2099, 9, 1), None)
    assert replace(season, rounds=(late, *season.rounds)).last_round == 7


def test_the_rules_of_a_kind_of_race_and_of_a_kind_the_season_does_not_define():
    sprint = ScoringRules((3, 2, 1), pole_bonus=2)
    rules = ScoringRules((10, 6, 4), pole_bonus=1, fastest_lap_bonus=1, kinds=(("sprint", sprint),))
    assert rules.for_kind("sprint") is sprint
    assert rules.for_kind(None) is rules
    assert rules.for_kind("endurance") is rules  # not defined: the feature race's rules


def test_the_most_one_car_can_take_in_one_race():
    sprint = ScoringRules((3, 2, 1), pole_bonus=2)
    rules = ScoringRules((10, 6, 4), pole_bonus=1, fastest_lap_bonus=1, kinds=(("sprint", sprint),))
    assert rules.top_points() == 10 + 1 + 1  # bonuses count unless said otherwise
    assert rules.top_points(bonuses=False) == 10
    assert rules.top_points("sprint") == 3 + 2
    assert ScoringRules((), pole_bonus=1).top_points() == 1  # no scale: the bonus only
    assert ScoringRules(()).top_points() == 0


def test_how_many_results_count():
    best = Championship("d", "D", best_results=3)
    assert [best.counted_results(n) for n in (2, 3, 4, 10)] == [None, None, 3, 3]
    drop = Championship("d", "D", drop_worst=2)
    assert [drop.counted_results(n) for n in (1, 2, 3, 10)] == [None, None, 1, 8]
    assert Championship("d", "D").counted_results(10) is None


def test_the_most_one_car_can_take_counts_the_qualifying_points_with_the_bonuses():
    rules = ScoringRules((10, 6), pole_bonus=1, fastest_lap_bonus=2, qualifying_scale=(3, 2))
    assert rules.top_points() == 10 + 1 + 2 + 3
    assert rules.top_points(qualifying=False) == 10 + 1 + 2
