"""A season's rules in plain words (bot.domain.rules_text), sentence by sentence.

Each rule a season can have is said once, with its own numbers and names: the sentences below
are what ``/season rules`` shows (in English) for these rules.
"""

from __future__ import annotations

from dataclasses import replace

from bot.domain.models import (
    Championship,
    Eligibility,
    Exclusion,
    Others,
    QualifyingRaces,
    RankBasis,
    ScoringRules,
    TieBreak,
)
from bot.domain.rules_text import describe_championship, describe_rules, describe_scoring
from bot.i18n import tr
from tests.factories import make_season


def said(lines: tuple[tuple[str, dict[str, object]], ...]) -> list[str]:
    return [template.format(**values) for template, values in lines]


def test_a_scale_with_every_bonus_a_qualifying_and_a_sprint():
    sprint = ScoringRules((3, 2, 1), pole_bonus=2)
    rules = ScoringRules(
        (25, 18, 15),
        pole_bonus=1,
        fastest_lap_bonus=2,
        fastest_lap_top=10,
        lap_led_bonus=1,
        qualifying_scale=(3, 2, 1),
        kinds=(("sprint", sprint),),
        reduced_fraction=(1, 2),
        reduced_below="75%",
        not_running_scores=False,
    )
    assert said(describe_scoring(rules)) == [
        "Races score 25-18-15 for places 1 to 3.",
        "Pole position: 1 point(s).",
        "Fastest lap: 2 point(s), only if its driver is classified in the top 10.",
        "Leading at least one lap: 1 point(s).",
        "Each race's qualifying scores 3-2-1 for places 1 to 3.",
        "A sprint race scores 3-2-1 for places 1 to 3.",
        "In a sprint race, pole position: 2 point(s).",
        "A race stopped before 75% of its distance scores 1/2 of its points.",
        "A car classified but not running at the flag scores nothing (it keeps its place).",
        "Ties: more wins, then more 2nd places, and so on (count-back).",
    ]


def test_a_qualifying_once_per_round_and_a_fastest_lap_anywhere():
    rules = ScoringRules(
        (10,),
        fastest_lap_bonus=1,
        qualifying_scale=(2,),
        qualifying_races=QualifyingRaces.FIRST,
    )
    assert said(describe_scoring(rules)) == [
        "Races score 10 for places 1 to 1.",
        "Fastest lap: 1 point(s).",
        "Qualifying scores 2 for places 1 to 1, once per round (with the round's first race).",
        "Ties: more wins, then more 2nd places, and so on (count-back).",
    ]


def test_a_kind_of_race_s_own_bonuses_say_which_kind_they_are_for():
    # Said as the feature race's ("Fastest lap: 1 point(s).") they read as every race's.
    sprint = ScoringRules((8, 7), fastest_lap_bonus=1, lap_led_bonus=1)
    top = replace(sprint, fastest_lap_top=8, lap_led_bonus=0)
    rules = ScoringRules((25,), kinds=(("sprint", sprint), ("short", top)))
    assert said(describe_scoring(rules))[1:-1] == [
        "A sprint race scores 8-7 for places 1 to 2.",
        "In a sprint race, fastest lap: 1 point(s).",
        "In a sprint race, leading at least one lap: 1 point(s).",
        "A short race scores 8-7 for places 1 to 2.",
        "In a short race, fastest lap: 1 point(s), only if its driver is classified in the top 8.",
    ]
    fr = [tr("fr", t, **v) for t, v in describe_scoring(rules)]
    sprint = "Dans une course sprint, meilleur tour\u202f: 1 point"
    assert any(line.startswith(sprint) for line in fr)


def test_each_tie_break_in_words():
    rules = ScoringRules(())
    assert said(describe_scoring(replace(rules, countback_places=6)))[1:] == [
        "Ties: more wins, then more 2nd places, and so on down to place 6 (count-back)."
    ]
    assert said(describe_scoring(replace(rules, tie_break=TieBreak.LATEST)))[1:] == [
        "Ties: the better best result, then whoever achieved it most recently."
    ]
    assert said(describe_scoring(rules))[0] == "Races score none for places 1 to 0."


def test_a_drivers_championship_with_every_rule():
    champ = Championship(
        "am",
        "Am",
        rank=RankBasis.CLASS,
        eligible=Eligibility(klass="Am"),
        bonuses=True,
        scale=(10, 8),
        best_results=7,
        drop_worst=2,
        exclusions=(Exclusion("Testdriver 03", 4, "a technical breach"), Exclusion("X", 5)),
    )
    assert said(describe_championship(champ)) == [
        "Am: scored by class position.",
        "Am has its own scale: 10-8.",
        "Guests score nothing; their places are skipped (the next driver takes the points).",
        "Bonus points count here.",
        "Only the best 7 results count; the others are shown as dropped.",
        "The worst 2 results are dropped; they are shown as dropped.",
        "Testdriver 03 is out of this table from round 4 on: a technical breach",
        "X is out of this table from round 5 on: excluded",
    ]


def test_guests_who_keep_their_places_and_championships_open_to_guests():
    block = Championship("drivers", "Drivers", others=Others.BLOCK)
    assert said(describe_championship(block)) == [
        "Drivers: scored by overall position.",
        "Guests score nothing and keep their places (nobody moves up).",
    ]
    for guest in (None, True):
        open_champ = Championship("open", "Open", eligible=Eligibility(guest=guest))
        assert said(describe_championship(open_champ)) == ["Open: scored by overall position."]
    rookie = Championship("r", "Rookie", rank=RankBasis.ROOKIE, eligible=Eligibility(guest=None))
    junior = Championship("j", "Junior", rank=RankBasis.JUNIOR, eligible=Eligibility(guest=None))
    assert said(describe_championship(rookie)) == ["Rookie: scored by position among rookies."]
    assert said(describe_championship(junior)) == ["Junior: scored by position among juniors."]


def test_teams_tables_in_words():
    best = Championship("teams", "Teams", kind="teams", points_from="drivers", counting_cars=3)
    every = replace(best, counting_cars=0, nominated=("Alpha", "Bravo"))
    assert said(describe_championship(best)) == [
        "Teams: the best 3 car(s) of each team score in every race.",
        "A team keeps its points when a car changes driver.",
    ]
    assert said(describe_championship(every)) == [
        "Teams: every car of each team scores.",
        "Only nominated drivers score for their team: Alpha, Bravo.",
        "A team keeps its points when a car changes driver.",
    ]


def test_a_season_s_rules_are_its_scoring_then_each_championship():
    season = make_season()
    got = said(describe_rules(season))
    assert got[: len(describe_scoring(season.scoring))] == said(describe_scoring(season.scoring))
    rest = [line for c in season.championships for line in said(describe_championship(c))]
    assert got[len(describe_scoring(season.scoring)) :] == rest
