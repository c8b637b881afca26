"""Points beyond the finishing order, one rule at a time (bot.domain.bonuses via score_race):
a qualifying that scores (its top N, or a pole point; per race or once per round), a point
for leading a lap, and a teams' table scored by nominated drivers only.

Each rule states what it gives, what it does not give, and when the record cannot say.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain.classification import RaceClassification, classify_race
from bot.domain.models import (
    Championship,
    Eligibility,
    Entry,
    Others,
    QualifyingRaces,
    Result,
    ScoringRules,
    Session,
    SessionKind,
)
from bot.domain.rules_text import describe_championship, describe_scoring
from bot.domain.standings import RaceScore, score_race
from bot.domain.title import available_in, max_per_race
from bot.errors import SeasonFileError
from bot.i18n import tr
from bot.storage import repository
from bot.storage.database import Database
from bot.storage.seasonfiles import load_season_folder
from tests.factories import make_season, with_orders
from tests.helpers import standings_of
from tests.replay import DATA

QUALI = ScoringRules((10, 6, 4), qualifying_scale=(3, 2, 1))
POLE_POINT = ScoringRules((10, 6, 4), qualifying_scale=(1,))
LED = ScoringRules((10, 6, 4), lap_led_bonus=1)
DRIVERS = Championship("drivers", "Drivers", bonuses=True)
NO_BONUS = Championship("drivers", "Drivers")
BLOCKING = Championship("drivers", "Drivers", bonuses=True, others=Others.BLOCK)

A = Entry(1, 10, "Alpha", 1, "Team 1")
B = Entry(2, 20, "Bravo", 1, "Team 1")
C = Entry(3, 30, "Charlie", 2, "Team 2")
D = Entry(4, 40, "Delta", 2, "Team 2")
G = Entry(5, 50, "Guest", 3, "Team 3", guest=True)
U = Entry(6, 60, "Unknown", 3, "Team 3", guest=None)  # guest or not: the record does not say
ENTRIES = {e.id: e for e in (A, B, C, D, G, U)}


def race(number: int = 1, **kw: object) -> Session:
    return Session(7, 1, f"R{number}", SessionKind.RACE, complete=True, **kw)  # type: ignore[arg-type]


def done(entry_id: int, place: int, **kw: object) -> Result:
    """A finisher of a complete race; ``qualified``/``led_lap`` as given."""
    return Result(7, entry_id, flag_position=place, laps=20, time_ms=1_000_000 + place, **kw)  # type: ignore[arg-type]


def classify(session: Session, results: list[Result]) -> RaceClassification:
    return classify_race(session, results, (), ENTRIES)


def points(rules: ScoringRules, champ: Championship, cls: RaceClassification) -> dict[int, float]:
    """Points of the cars that took part (the others are absent from a complete record)."""
    return {s.key: s.points for s in score_race(rules, champ, cls) if s.took_part}


def scores(
    rules: ScoringRules, champ: Championship, cls: RaceClassification
) -> dict[int, RaceScore]:
    return {s.key: s for s in score_race(rules, champ, cls)}


# -- a qualifying that scores ----------------------------------------------------------------
def test_qualifying_top_three_score_on_top_of_the_race() -> None:
    # Race: A 1st, B 2nd, C 3rd, D 4th. Qualifying: D 1st, C 2nd, B 3rd, A 4th.
    cls = classify(
        race(),
        [done(1, 1, qualified=4), done(2, 2, qualified=3), done(3, 3, qualified=2),
         done(4, 4, qualified=1)],
    )  # fmt: skip
    assert points(QUALI, DRIVERS, cls) == {10: 10, 20: 6 + 1, 30: 4 + 2, 40: 0 + 3}
    assert all(s.exact for s in score_race(QUALI, DRIVERS, cls))


def test_qualifying_points_are_bonuses_a_championship_may_not_count() -> None:
    cls = classify(race(), [done(1, 1, qualified=2), done(2, 2, qualified=1)])
    assert points(QUALI, NO_BONUS, cls) == {10: 10, 20: 6}


def test_a_guest_on_pole_gives_the_pole_points_to_the_next_car_where_guests_are_skipped() -> None:
    cls = classify(
        race(), [done(5, 1, qualified=1), done(1, 2, qualified=2), done(2, 3, qualified=3)]
    )
    assert points(QUALI, DRIVERS, cls) == {10: 10 + 3, 20: 6 + 2}
    # Where guests keep their places, the guest's pole points go to nobody.
    assert points(QUALI, BLOCKING, cls) == {10: 6 + 2, 20: 4 + 1}


def test_a_pole_point_needs_only_the_pole() -> None:
    # No qualifying order in the record, only the pole (Bravo): Bravo 1, everyone else 0.
    cls = classify(race(pole_entry_id=2), [done(1, 1), done(2, 2), done(3, 3)])
    got = scores(POLE_POINT, DRIVERS, cls)
    assert {k: s.points for k, s in got.items()} == {10: 10, 20: 6 + 1, 30: 4, 40: 0}
    assert all(s.exact for s in got.values())


def test_a_top_three_with_only_the_pole_known_leaves_the_others_unknown() -> None:
    cls = classify(race(pole_entry_id=2), [done(1, 1), done(2, 2), done(3, 3)])
    got = scores(QUALI, DRIVERS, cls)
    assert (got[20].points, got[20].exact) == (6 + 3, True)
    assert (got[10].points, got[10].exact) == (10, False)  # 10 known, 2nd/3rd unknown
    assert (got[30].points, got[30].exact) == (4, False)


def test_a_gap_in_the_qualifying_order_stops_what_is_known() -> None:
    # 1st and 3rd known, 2nd not: the 3rd could be 2nd among the scorers.
    cls = classify(race(), [done(1, 1, qualified=1), done(2, 2), done(3, 3, qualified=3)])
    got = scores(QUALI, DRIVERS, cls)
    assert (got[10].points, got[10].exact) == (10 + 3, True)
    assert not got[20].exact and not got[30].exact


def test_a_car_of_unknown_standing_ahead_leaves_the_ranks_behind_it_unknown() -> None:
    # The car whose guest status is unknown qualified 1st but finished behind Alpha: Alpha's
    # race points are known (10), his qualifying points are not.
    cls = classify(race(), [done(1, 1, qualified=2), done(6, 2, qualified=1)])
    got = scores(QUALI, DRIVERS, cls)
    assert (got[10].points, got[10].exact) == (10, False)


def test_the_qualifying_order_wins_over_a_pole_that_contradicts_it() -> None:
    # Pole Bravo, but the order says Alpha 1st, Bravo 2nd: the order is used.
    cls = classify(
        race(pole_entry_id=2), [done(1, 1, qualified=1), done(2, 2, qualified=2), done(3, 3)]
    )
    got = scores(QUALI, DRIVERS, cls)
    assert (got[10].points, got[20].points, got[30].exact) == (10 + 3, 6 + 2, False)
    # A pole sitter whose place is given as 2nd with nobody 1st: nothing is settled.
    cls = classify(race(pole_entry_id=1), [done(1, 1, qualified=2), done(2, 2, qualified=3)])
    assert not any(s.exact for s in score_race(QUALI, DRIVERS, cls))


def test_the_pole_fills_the_first_place_of_a_partial_order() -> None:
    # Pole Charlie; Alpha 2nd and Bravo 3rd in qualifying: Charlie is 1st.
    cls = classify(
        race(pole_entry_id=3), [done(1, 1, qualified=2), done(2, 2, qualified=3), done(3, 3)]
    )
    assert points(QUALI, DRIVERS, cls) == {10: 10 + 2, 20: 6 + 1, 30: 4 + 3}


def test_a_pole_sitter_who_did_not_start_keeps_his_qualifying_points() -> None:
    cls = classify(race(pole_entry_id=4), [done(1, 1, qualified=2), done(2, 2, qualified=3)])
    got = scores(QUALI, DRIVERS, cls)
    assert (got[40].points, got[40].exact, got[40].took_part) == (3, True, False)
    assert (got[10].points, got[20].points) == (10 + 2, 6 + 1)


def test_a_field_smaller_than_the_scale_is_settled_when_everyone_is_placed() -> None:
    cls = classify(race(), [done(1, 1, qualified=2), done(2, 2, qualified=1)])
    got = scores(QUALI, DRIVERS, cls)
    assert {k: (s.points, s.exact) for k, s in got.items()} == {
        10: (12, True),
        20: (9, True),
        30: (0, True),
        40: (0, True),
    }


def test_one_qualifying_per_round_scores_with_the_first_race_only() -> None:
    once = replace(QUALI, qualifying_races=QualifyingRaces.FIRST)
    results = [done(1, 1, qualified=1), done(2, 2, qualified=2)]
    assert points(once, DRIVERS, classify(race(1), results)) == {10: 13, 20: 8}
    assert points(once, DRIVERS, classify(race(2), results)) == {10: 10, 20: 6}
    assert points(QUALI, DRIVERS, classify(race(2), results)) == {10: 13, 20: 8}


def test_points_left_count_the_qualifying_once_per_round_where_the_rules_say_so() -> None:
    once = replace(QUALI, qualifying_races=QualifyingRaces.FIRST)
    assert max_per_race(QUALI, True) == 10 + 3
    assert max_per_race(QUALI, False) == 10
    kinds = [None, None]
    assert available_in(QUALI, True, kinds) == 2 * 13
    assert available_in(once, True, kinds, [True, False]) == 13 + 10
    assert available_in(once, False, kinds, [True, False]) == 20


def test_the_qualifying_rule_in_plain_words() -> None:
    every = [t.format(**p) for t, p in describe_scoring(QUALI)]
    assert "Each race's qualifying scores 3-2-1 for places 1 to 3." in every
    once = replace(POLE_POINT, qualifying_races=QualifyingRaces.FIRST)
    text = [t.format(**p) for t, p in describe_scoring(once)]
    assert (
        "Qualifying scores 1 for places 1 to 1, once per round (with the round's first race)."
        in text
    )
    assert not any("qualifying" in t.lower() for t, _ in describe_scoring(ScoringRules((3,))))


# -- a point for leading a lap ---------------------------------------------------------------
def test_leading_a_lap_scores_its_bonus() -> None:
    cls = classify(
        race(), [done(1, 1, led_lap=True), done(2, 2, led_lap=True), done(3, 3, led_lap=False)]
    )
    assert points(LED, DRIVERS, cls) == {10: 11, 20: 7, 30: 4}
    assert points(LED, NO_BONUS, cls) == {10: 10, 20: 6, 30: 4}


def test_an_unknown_lap_led_leaves_the_points_unknown_not_zero() -> None:
    cls = classify(race(), [done(1, 1, led_lap=True), done(2, 2)])
    got = scores(LED, DRIVERS, cls)
    assert (got[10].points, got[10].exact) == (11, True)
    assert (got[20].points, got[20].exact) == (6, False)
    # A car absent from a complete record led nothing.
    absent = scores(LED, DRIVERS, classify(race(), [done(1, 1, led_lap=True)]))
    assert (absent[30].points, absent[30].exact) == (0, True)


def test_a_sprint_has_no_lap_led_bonus_unless_its_rules_give_one() -> None:
    rules = replace(LED, kinds=(("sprint", ScoringRules((3, 2, 1))),))
    cls = classify(race(scoring="sprint"), [done(1, 1, led_lap=True), done(2, 2, led_lap=False)])
    assert points(rules, DRIVERS, cls) == {10: 3, 20: 2}
    assert rules.top_points("sprint") == 3 and rules.top_points(None) == 11


def test_the_lap_led_rule_in_plain_words() -> None:
    assert ("Leading at least one lap: {points} point(s).", {"points": 1}) in describe_scoring(LED)


# -- teams scored by nominated drivers -------------------------------------------------------
def _nominated_season(nominated: tuple[str, ...]):
    season = make_season(rounds=1, races_per_round=1, entries=6, pole_bonus=0, fastest_lap_bonus=0)
    champs = tuple(
        replace(c, counting_cars=0, nominated=nominated) if c.is_teams else c
        for c in season.championships
    )
    return with_orders(replace(season, championships=champs), [[1, 2, 3, 4, 5, 6]])


def test_only_nominated_drivers_score_for_their_team() -> None:
    every = standings_of(_nominated_season(()), "teams")
    season = _nominated_season(())
    names = {e.id: e.driver for e in season.entries}
    teams = {e.id: e.team for e in season.entries}
    first_team = teams[1]
    mates = [i for i in names if teams[i] == first_team]
    assert len(mates) >= 2
    # Nominate every driver but the team's best finisher: the team loses that car's points.
    others = tuple(names[i] for i in names if i != mates[0])
    nominated = standings_of(_nominated_season(others), "teams")
    before = {r.name: r.points for r in every.rows}
    after = {r.name: r.points for r in nominated.rows}
    drivers = {r.key: r.points for r in standings_of(season, "drivers").rows}
    lost = drivers[next(e.driver_id for e in season.entries if e.id == mates[0])]
    assert before[first_team] - after.get(first_team, 0) == lost > 0
    assert {n: p for n, p in before.items() if n != first_team} == {
        n: p for n, p in after.items() if n != first_team
    }
    # Names match whatever their case.
    upper = standings_of(_nominated_season(tuple(n.upper() for n in others)), "teams")
    assert {r.name: r.points for r in upper.rows} == after


def test_the_nominated_rule_in_plain_words() -> None:
    teams = Championship("teams", "Teams", kind="teams", points_from="drivers", nominated=("A B",))
    assert (
        "Only nominated drivers score for their team: {names}.",
        {"names": "A B"},
    ) in describe_championship(teams)
    assert not any("nominated" in t for t, _ in describe_championship(replace(teams, nominated=())))


def test_eligibility_is_untouched_by_the_new_rules() -> None:
    # A guest never scores qualifying or lap-led points for itself.
    cls = classify(race(), [done(5, 1, qualified=1, led_lap=True), done(1, 2, qualified=2)])
    assert 50 not in points(replace(QUALI, lap_led_bonus=1), DRIVERS, cls)
    assert Eligibility().admits(G) is False


# -- stated in season.toml and results.csv, refused with file:line, kept in the database ----
def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "f1-2021"
    shutil.copytree(DATA / "f1-2021", folder)
    return folder


def _with_rules(folder: Path, scoring: str = "", teams: str = "") -> str:
    toml = folder / "season.toml"
    text = toml.read_text().replace("fastest_lap_top = 10\n", "fastest_lap_top = 10\n" + scoring)
    text = text.replace("counting_cars = 0\n", "counting_cars = 0\n" + teams)
    toml.write_text(text)
    return text


def _line(text: str, start: str) -> int:
    return next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith(start))


def test_the_new_rules_load_from_season_toml_and_results_csv(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    # A qualifying table must come after the [scoring] keys: append it at the end of the rules.
    text = _with_rules(
        folder,
        "lap_led_bonus = 1\n",
        'nominated = ["Lewis Hamilton", "max verstappen"]\n',
    )
    toml = folder / "season.toml"
    toml.write_text(text + '\n[scoring.qualifying]\nscale = [3, 2, 1]\nraces = "first"\n')
    results = folder / "results.csv"
    lines = results.read_text().splitlines()
    lines[0] += ",led,qualified"
    lines[1] += ",yes,2"  # Hamilton won Bahrain from 2nd on the grid
    lines[2:] = [line + ",," for line in lines[2:]]
    results.write_text("\n".join(lines) + "\n")
    season = load_season_folder(folder).season
    assert season.scoring.lap_led_bonus == 1
    assert season.scoring.qualifying_scale == (3, 2, 1)
    assert season.scoring.qualifying_races is QualifyingRaces.FIRST
    teams = season.championship("teams")
    assert teams is not None and teams.nominated == ("Lewis Hamilton", "max verstappen")
    first = next(r for r in season.results if r.session_id == season.races[0].id)
    assert (first.led_lap, first.qualified) == (True, 2)


def test_a_qualifying_table_without_its_scale_or_with_bad_races_is_refused(tmp_path: Path):
    folder = _copy(tmp_path)
    toml = folder / "season.toml"
    base = toml.read_text()
    toml.write_text(base + '\n[scoring.qualifying]\nraces = "first"\n')
    with pytest.raises(SeasonFileError, match=r"season.toml:\d+: scoring.qualifying.scale is"):
        load_season_folder(folder)
    text = base + '\n[scoring.qualifying]\nscale = [1]\nraces = "sometimes"\n'
    toml.write_text(text)
    with pytest.raises(
        SeasonFileError, match=rf"season.toml:{_line(text, 'races')}: scoring.qualifying.races"
    ):
        load_season_folder(folder)
    text = base + "\n[scoring.qualifying]\nscale = [0]\n"
    toml.write_text(text)
    with pytest.raises(SeasonFileError, match="must give points to pole"):
        load_season_folder(folder)
    text = base.replace("fastest_lap_top = 10\n", "fastest_lap_top = 10\nlap_led_bonus = -1\n")
    toml.write_text(text)
    with pytest.raises(
        SeasonFileError, match=rf"season.toml:{_line(text, 'lap_led_bonus')}: scoring.lap_led"
    ):
        load_season_folder(folder)


def test_nominated_drivers_are_checked(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = _with_rules(folder, teams='nominated = ["Nobody At All"]\n')
    with pytest.raises(
        SeasonFileError,
        match=rf"season.toml:{_line(text, 'nominated')}: championship teams: nominated driver "
        r"'Nobody At All' is not in entries.csv",
    ):
        load_season_folder(folder)
    toml = folder / "season.toml"
    text = toml.read_text().replace('nominated = ["Nobody At All"]\n', 'nominated = "Lewis"\n')
    toml.write_text(text)
    with pytest.raises(SeasonFileError, match="nominated must be a list of driver names"):
        load_season_folder(folder)
    text = text.replace('nominated = "Lewis"\n', "").replace(
        "bonuses = true\n", 'bonuses = true\nnominated = ["Lewis Hamilton"]\n'
    )
    toml.write_text(text)
    with pytest.raises(
        SeasonFileError,
        match=rf"season.toml:{_line(text, 'nominated')}: championship drivers: only a teams",
    ):
        load_season_folder(folder)


async def test_the_new_rules_and_facts_round_trip_through_the_database(
    db_path: Path, tmp_path: Path
) -> None:
    folder = _copy(tmp_path)
    text = _with_rules(folder, "lap_led_bonus = 2\n", 'nominated = ["Lewis Hamilton"]\n')
    (folder / "season.toml").write_text(text + "\n[scoring.qualifying]\nscale = [1]\n")
    results = folder / "results.csv"
    lines = results.read_text().splitlines()
    lines[0] += ",led,qualified"
    lines[1] += ",yes,2"
    lines[2] += ",no,"
    lines[3:] = [line + ",," for line in lines[3:]]
    results.write_text("\n".join(lines) + "\n")
    season = load_season_folder(folder).season
    async with await Database.open(db_path) as db:
        async with db.transaction() as tx:
            season_id = await repository.insert_season(tx, season, "f1-2021")
        stored = await repository.load_season(db, season_id)
    assert stored.scoring == season.scoring
    assert stored.championships == season.championships
    facts = sorted((r.led_lap, r.qualified) for r in stored.results if r.led_lap is not None)
    assert facts == [(False, None), (True, 2)]


def test_every_new_rule_sentence_has_its_french() -> None:
    once = replace(QUALI, qualifying_races=QualifyingRaces.FIRST, lap_led_bonus=1)
    teams = Championship("teams", "Teams", kind="teams", points_from="drivers", nominated=("X",))
    lines = [
        *describe_scoring(QUALI),
        *describe_scoring(once),
        *describe_championship(teams),
    ]
    untranslated = [t for t, p in lines if tr("fr", t, **p) == tr("en", t, **p)]
    assert untranslated == []
    template, values = describe_scoring(once)[2]
    assert tr("fr", template, **values).startswith("Les qualifications rapportent 3-2-1")


# -- best results per part of the season (F1 1967: best 5 of the first 6, best 4 of the last 5)
def _split_season(parts: tuple[tuple[int, int], ...]):
    season = make_season(rounds=4, races_per_round=1, entries=4, pole_bonus=0, fastest_lap_bonus=0)
    champs = tuple(
        replace(c, best_per_part=parts) if c.slug == "drivers" else c for c in season.championships
    )
    # Entry 1: 1st, 2nd | 3rd, 1st. Entry 2: 2nd, 1st | 1st, 2nd.
    orders = [[1, 2, 3, 4], [2, 1, 3, 4], [2, 3, 1, 4], [1, 2, 3, 4]]
    return with_orders(replace(season, championships=champs), orders)


def test_each_part_of_the_season_counts_its_own_best_results() -> None:
    season = _split_season(((2, 1), (2, 1)))
    rows = {r.key: r for r in standings_of(season, "drivers").rows}
    one = next(e.driver_id for e in season.entries if e.id == 1)
    two = next(e.driver_id for e in season.entries if e.id == 2)
    # Best of races 1-2 and best of races 3-4: 25 + 25 each; a single best-2-of-4 would
    # also give 50, so the dropped results say which rule ran.
    assert (rows[one].points, [p for _, p in rows[one].dropped]) == (50, [20, 17])
    assert (rows[two].points, [p for _, p in rows[two].dropped]) == (50, [20, 20])
    # Part 0 keeps 1 of 2, part 1 keeps both: entry 1 drops only his 2nd of the first part.
    season = _split_season(((2, 1), (2, 2)))
    rows = {r.key: r for r in standings_of(season, "drivers").rows}
    assert (rows[one].points, [p for _, p in rows[one].dropped]) == (25 + 17 + 25, [20])


def test_a_part_not_yet_run_in_full_drops_only_beyond_its_count() -> None:
    season = _split_season(((2, 1), (2, 1)))
    one = next(e.driver_id for e in season.entries if e.id == 1)
    after_three = {r.key: r for r in standings_of(season, "drivers", 3).rows}
    # Races 1-2: best 1 (25); race 3 alone in its part: counted (17).
    assert (after_three[one].points, [p for _, p in after_three[one].dropped]) == (42, [20])


def test_the_parts_of_a_season() -> None:
    champ = Championship("d", "D", best_per_part=((2, 1), (3, 2)))
    assert champ.parts_of((11, 12, 13, 14, 15, 16)) == {11: 0, 12: 0, 13: 1, 14: 1, 15: 1}
    assert champ.part_keeps() == {0: 1, 1: 2}
    lines = [t.format(**p) for t, p in describe_championship(champ)]
    assert "Races 1 to 2: only the best 1 results count." in lines
    assert "Races 3 to 5: only the best 2 results count." in lines


def test_best_per_part_is_checked(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "season.toml"
    base = toml.read_text()
    text = base.replace("bonuses = true\n", "bonuses = true\nbest_per_part = [[6, 7]]\n")
    toml.write_text(text)
    with pytest.raises(
        SeasonFileError, match=rf"season.toml:{_line(text, 'best_per_part')}: championship drivers"
    ):
        load_season_folder(folder)
    text = base.replace("bonuses = true\n", "bonuses = true\nbest_per_part = [[6, 5]]\n")
    toml.write_text(text)
    with pytest.raises(SeasonFileError, match="best_per_part covers 6 races, but the season has"):
        load_season_folder(folder)
    text = base.replace(
        "bonuses = true\n", "bonuses = true\nbest_results = 3\nbest_per_part = [[25, 5]]\n"
    )
    toml.write_text(text)
    with pytest.raises(SeasonFileError, match="best_per_part replaces best_results"):
        load_season_folder(folder)


def test_countback_all_cars_is_a_teams_rule(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = _with_rules(folder, teams="countback_all_cars = true\n")
    teams = load_season_folder(folder).season.championship("teams")
    assert teams is not None and teams.countback_all_cars
    text = text.replace("bonuses = true\n", "bonuses = true\ncountback_all_cars = true\n", 1)
    (folder / "season.toml").write_text(text)
    with pytest.raises(
        SeasonFileError,
        match=rf"season.toml:{_line(text, 'countback_all_cars')}: championship drivers: "
        "countback_all_cars is a teams championship's rule",
    ):
        load_season_folder(folder)


def test_the_split_season_and_all_cars_rules_in_plain_words_and_french() -> None:
    teams = Championship(
        "teams",
        "Teams",
        kind="teams",
        points_from="drivers",
        countback_all_cars=True,
        best_per_part=((6, 5), (5, 4)),
    )
    lines = describe_championship(teams)
    said = [t.format(**p) for t, p in lines]
    assert "Ties between teams: the places of all their cars count, scoring or not." in said
    assert "Races 7 to 11: only the best 4 results count." in said
    assert [t for t, p in lines if tr("fr", t, **p) == tr("en", t, **p)] == []
