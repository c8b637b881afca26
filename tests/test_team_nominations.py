"""Nominated drivers that change during the season (a team cup: Porsche Carrera Cup, DTM).

A fictional season of four rounds, one race each, three teams of three cars; every nominated
car of a team scores (counting_cars = 0). Season-long list: Testdriver 01, 02 (Fictional Team
01), 04, 05 (Team 02), 07, 08 (Team 03). Car 2 of Team 01 changes driver after round 2
(Testdriver 02 out, Testdriver 10 in); from round 3, Team 01 nominates Testdriver 01 and 10.
From round 4, Team 02 nominates Testdriver 05 and 06 (Testdriver 04 no longer scores for it).
Testdriver 03 is never nominated: the drivers' table has him, the teams' table never does.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain.models import Championship, Entry, Season
from bot.domain.nominations import Nomination, is_nominated, team_nomination
from bot.domain.rules_text import describe_championship, describe_rules
from bot.domain.standings import _scores_for_team, compute_standings_series
from bot.errors import SeasonFileError
from bot.i18n import tr
from bot.rendering.season import rules_reply
from bot.storage import repository
from bot.storage.database import Database
from bot.storage.seasonfiles import load_season_folder
from tests.factories import SCALE, make_entries, make_season, with_orders
from tests.helpers import classified, service_with_season, standings_of

T1, T2, T3 = "Fictional Team 01", "Fictional Team 02", "Fictional Team 03"
NOMINATED = tuple(f"Testdriver {i:02d}" for i in (1, 2, 4, 5, 7, 8))
NOMINATIONS = (
    Nomination(T1, 3, ("Testdriver 01", "Testdriver 10"), "Testdriver 02 injured"),
    Nomination(T2, 4, ("Testdriver 05", "Testdriver 06")),
)
# Finishing orders (entry ids; entry 10 is Testdriver 10 in car 2 from round 3).
ORDERS = (
    (3, 1, 4, 2, 6, 5, 7, 9, 8),
    (6, 2, 3, 1, 5, 4, 8, 7, 9),
    (10, 3, 1, 4, 6, 5, 9, 7, 8),
    (4, 6, 3, 10, 1, 5, 7, 8, 9),
)
# SCALE: 25, 20, 17, 14, 12, 10, 9, 8, 7. Per round, what each team's nominated cars score:
# R1: T1 01 (20) + 02 (14); T2 04 (17) + 05 (10); T3 07 (9) + 08 (7)  -- 03's 25 for nobody
# R2: T1 02 (20) + 01 (14); T2 05 (12) + 04 (10); T3 08 (9) + 07 (8)  -- 06's 25 for nobody
# R3: T1 10 (25) + 01 (17); T2 04 (14) + 05 (10); T3 07 (8) + 08 (7)  -- 03's 20 for nobody
# R4: T1 10 (14) + 01 (12); T2 06 (20) + 05 (10); T3 07 (9) + 08 (8)  -- 04's 25 for nobody
AFTER = {
    1: {T1: 34, T2: 27, T3: 16},
    2: {T1: 68, T2: 49, T3: 33},
    3: {T1: 110, T2: 73, T3: 48},
    4: {T1: 136, T2: 103, T3: 65},
}


def _entries() -> tuple[Entry, ...]:
    nine = make_entries(9, team_size=3)
    out = [replace(e, rounds=frozenset({1, 2})) if e.id == 2 else e for e in nine]
    replacement = replace(nine[1], id=10, driver_id=10, driver="Testdriver 10")
    return (*out, replace(replacement, rounds=frozenset({3, 4})))


def _season(
    nominated: tuple[str, ...] = NOMINATED, nominations: tuple[Nomination, ...] = NOMINATIONS
) -> Season:
    season = make_season(rounds=4, races_per_round=1, entries=9, pole_bonus=0, fastest_lap_bonus=0)
    champs = tuple(
        replace(c, counting_cars=0, nominated=nominated, nominations=nominations)
        if c.is_teams
        else c
        for c in season.championships
    )
    return with_orders(replace(season, entries=_entries(), championships=champs), ORDERS)


def _points(season: Season, slug: str, after_round: int) -> dict[str, float]:
    return {r.name: r.points for r in standings_of(season, slug, after_round).rows}


def test_the_teams_table_after_each_round_follows_the_nominations() -> None:
    season = _season()
    for rnd, expected in AFTER.items():
        assert _points(season, "teams", rnd) == expected, rnd
    teams = season.championship("teams")
    assert teams is not None
    series = compute_standings_series(season, teams, classified(season))
    assert {rnd: {r.name: r.points for r in series[rnd].rows} for rnd in AFTER} == AFTER
    assert [r.name for r in series[4].rows] == [T1, T2, T3]


def test_a_team_keeps_the_points_of_a_driver_it_no_longer_nominates() -> None:
    season = _season()
    drivers = _points(season, "drivers", 4)
    # Testdriver 02 scored 14 + 20 for Team 01 before leaving: still in its total after
    # round 4, with Testdriver 01's four races and Testdriver 10's two.
    assert drivers["Testdriver 02"] == 34
    assert AFTER[4][T1] == 34 + drivers["Testdriver 01"] + drivers["Testdriver 10"]
    # Team 02 keeps Testdriver 04's points of rounds 1-3, not his win of round 4.
    assert AFTER[4][T2] == (17 + 10 + 14) + drivers["Testdriver 05"] + 20


def test_a_new_nominee_scores_for_the_team_from_the_stated_round_only() -> None:
    season = _season()
    # Testdriver 06 won round 2 (25) and was 5th in round 3 (12): not for Team 02.
    assert _points(season, "drivers", 3)["Testdriver 06"] == 12 + 25 + 12
    assert _points(season, "teams", 3)[T2] - _points(season, "teams", 2)[T2] == 14 + 10
    assert _points(season, "teams", 4)[T2] - _points(season, "teams", 3)[T2] == 20 + 10
    # The same nomination from round 3 moves Testdriver 06's 12 of round 3 to Team 02, and
    # Testdriver 04's 14 out of it.
    earlier = (NOMINATIONS[0], replace(NOMINATIONS[1], from_round=3))
    assert _points(_season(nominations=earlier), "teams", 3)[T2] == AFTER[3][T2] - 14 + 12


def test_a_car_never_nominated_scores_for_no_team_but_stays_in_the_drivers_table() -> None:
    season = _season()
    drivers = _points(season, "drivers", 4)
    assert drivers["Testdriver 03"] == 25 + 17 + 20 + 17
    assert standings_of(season, "drivers", 4).rows[0].name == "Testdriver 03"
    # Nominate him from round 1 instead of Testdriver 02: Team 01 takes his points instead.
    swap = (*tuple(n for n in NOMINATED if n != "Testdriver 02"), "Testdriver 03")
    assert _points(_season(swap), "teams", 2)[T1] == 20 + 25 + 14 + 17


def test_without_any_nomination_every_car_scores_and_a_team_with_none_yet_scores_nothing():
    every = _season((), ())
    assert _points(every, "teams", 1) == {T1: 25 + 20 + 14, T2: 17 + 12 + 10, T3: 9 + 8 + 7}
    # Nominations only (no season-long list): a team scores from its first nomination on.
    only = _season((), NOMINATIONS)
    assert _points(only, "teams", 2) == {}
    assert _points(only, "teams", 3) == {T1: 25 + 17}
    assert _points(only, "teams", 4) == {T1: 25 + 17 + 14 + 12, T2: 20 + 10}


def test_the_nomination_in_force_is_the_team_s_latest_so_far() -> None:
    later = Nomination(T1, 4, ("Testdriver 03",))
    nominations = (later, *NOMINATIONS)
    assert team_nomination(nominations, T1, 2) is None
    assert team_nomination(nominations, T1, 3) == NOMINATIONS[0]
    assert team_nomination(nominations, "fictional team 01", 4) == later
    assert team_nomination(nominations, T3, 4) is None
    assert is_nominated((), (), T3, "Anyone", 1)
    assert not is_nominated(NOMINATED, nominations, T1, "Testdriver 02", 3)
    assert is_nominated(NOMINATED, nominations, T1, "TESTDRIVER 02", 2)
    assert is_nominated(NOMINATED, nominations, T1, "testdriver 10", 3)
    assert not is_nominated(NOMINATED, nominations, T1, "Testdriver 10", 4)
    assert is_nominated((), nominations, T1, "Testdriver 03", 4)
    assert not is_nominated((), nominations, T3, "Testdriver 07", 4)


def test_a_car_without_a_team_id_or_team_name_scores_for_no_team() -> None:
    teams = _season().championship("teams")
    assert teams is not None
    car = _entries()[0]  # Testdriver 01, nominated from round 1
    assert _scores_for_team(car, teams, 1)
    assert not _scores_for_team(replace(car, team_id=None), teams, 1)
    assert not _scores_for_team(replace(car, team=None), teams, 1)
    assert not _scores_for_team(replace(car, guest=True), teams, 1)


# -- the rules in words ----------------------------------------------------------------------
def _teams(**kw: object) -> Championship:
    return Championship("teams", "Teams", kind="teams", points_from="drivers", **kw)  # type: ignore[arg-type]


def test_the_nominations_in_plain_words_in_english_and_french() -> None:
    three = Nomination(T3, 2, ("Testdriver 07", "Testdriver 08", "Testdriver 09"))
    one = Nomination(T3, 4, ("Testdriver 09",))
    teams = _teams(
        counting_cars=0,
        nominated=NOMINATED,
        nominations=(*NOMINATIONS, one, three),
        max_nominated=3,
    )
    lines = [tr("en", t, **p) for t, p in describe_championship(teams)]
    assert lines[1:7] == [
        "Only nominated drivers score for their team: " + ", ".join(NOMINATED) + ".",
        "From round 2, Fictional Team 03's nominated drivers are Testdriver 07, Testdriver 08 "
        "and Testdriver 09.",
        "From round 3, Fictional Team 01's nominated drivers are Testdriver 01 and Testdriver 10.",
        "From round 4, Fictional Team 02's nominated drivers are Testdriver 05 and Testdriver 06.",
        "From round 4, Fictional Team 03's nominated driver is Testdriver 09.",
        "A team nominates at most 3 drivers at a time.",
    ]
    french = [tr("fr", t, **p) for t, p in describe_championship(teams)]
    assert french[3] == (
        "À partir de la manche 3, les pilotes désignés de Fictional Team 01 sont Testdriver 01 "
        "et Testdriver 10."
    )
    assert french[6] == "Une équipe désigne au plus 3 pilotes à la fois."
    template, values = describe_championship(replace(teams, max_nominated=1))[6]
    assert tr("fr", template, **values) == "Une équipe désigne au plus 1 pilote à la fois."
    untranslated = [
        t for t, p in describe_championship(teams) if tr("fr", t, **p) == tr("en", t, **p)
    ]
    assert untranslated == []


def test_nominations_without_a_season_long_list_say_a_team_scores_from_its_first() -> None:
    lines = describe_championship(_teams(nominations=NOMINATIONS))
    first = "Only nominated drivers score for their team; a team scores nothing before its first "
    assert [t for t, _ in lines if t.startswith("Only nominated")] == [first + "nomination."]
    assert tr("fr", lines[1][0]).startswith("Seuls les pilotes désignés marquent")
    plain = describe_championship(_teams())
    assert not any("nominat" in t for t, _ in plain)
    assert describe_rules(_season())  # the whole season's rules still read


# -- stated in season.toml, refused with its line, kept in the database ----------------------
TEAMS_TOML = """
[[championships]]
slug = "teams"
name = "Teams"
kind = "teams"
from = "drivers"
counting_cars = 0
nominated = [{nominated}]
{extra}
[[championships.nominations]]
team = "Fictional Team 01"
from_round = 3
drivers = ["Testdriver 01", "Testdriver 10"]
note = "Testdriver 02 injured"

[[championships.nominations]]
from_round = 4
team = "Fictional Team 02"
drivers = ["Testdriver 05", "Testdriver 06"]
"""


def _write(folder: Path, *, extra: str = "", more: str = "") -> str:
    """The fictional season as a season folder; returns its season.toml."""
    folder.mkdir(exist_ok=True)
    season = _season()
    names = {e.id: e.driver for e in season.entries}
    text = (
        '[series]\nslug = "fict"\nname = "Fictional Cup"\n\n'
        '[season]\nyear = 2099\nname = "2099 Fictional Cup"\nstatus = "final"\n\n'
        f"[scoring]\nscale = [{', '.join(str(p) for p in SCALE)}]\n\n"
        '[[championships]]\nslug = "drivers"\nname = "Drivers"\nkind = "drivers"\n'
        + TEAMS_TOML.format(nominated=", ".join(f'"{n}"' for n in NOMINATED), extra=extra)
        + more
    )
    (folder / "season.toml").write_text(text)
    (folder / "rounds.csv").write_text(
        "round,slug,circuit,town,country,start_date,end_date,source\n"
        + "".join(f"{r},r{r},Circuit {r},,,2099-0{r}-01,2099-0{r}-01,\n" for r in range(1, 5))
    )
    (folder / "sessions.csv").write_text(
        "round,session,date,status,classification,scoring,reduced,source\n"
        + "".join(f"{r},R1,2099-0{r}-01,final,complete,,,\n" for r in range(1, 5))
    )
    (folder / "entries.csv").write_text(
        "car_number,driver,team,class,guest,rounds,note,source\n"
        + "".join(
            f"{e.car_number},{e.driver},{e.team},,,{';'.join(map(str, sorted(e.rounds or ())))},,\n"
            for e in season.entries
        )
    )
    (folder / "poles.csv").write_text("round,session,driver,time\n")
    (folder / "results.csv").write_text(
        "round,session,driver,position,flag_position,status,laps,time,running,source\n"
        + "".join(
            f"{r},R1,{names[e]},{p},{p},classified,20,1:00:{p:02d}.000,,\n"
            for r, order in enumerate(ORDERS, start=1)
            for p, e in enumerate(order, start=1)
        )
    )
    return text


def test_the_nominations_load_from_season_toml_and_score_the_same(tmp_path: Path) -> None:
    _write(tmp_path / "fict")
    season = load_season_folder(tmp_path / "fict").season
    teams = season.championship("teams")
    assert teams is not None
    assert (teams.nominated, teams.nominations, teams.max_nominated) == (
        NOMINATED,
        NOMINATIONS,
        None,
    )
    for rnd, expected in AFTER.items():
        assert _points(season, "teams", rnd) == expected, rnd


async def test_the_nominations_round_trip_through_the_database(
    db_path: Path, tmp_path: Path
) -> None:
    _write(tmp_path / "fict", extra="max_nominated = 2\n")
    season = load_season_folder(tmp_path / "fict").season
    async with await Database.open(db_path) as db:
        async with db.transaction() as tx:
            season_id = await repository.insert_season(tx, season, "fict")
        stored = await repository.load_season(db, season_id)
    assert stored.championships == season.championships
    teams = stored.championship("teams")
    assert teams is not None and teams.max_nominated == 2 and teams.nominations == NOMINATIONS
    assert _points(stored, "teams", 4) == AFTER[4]


async def test_season_rules_says_who_each_team_nominates_from_which_round(tmp_path: Path) -> None:
    _write(tmp_path / "fict")
    season = load_season_folder(tmp_path / "fict").season
    async with service_with_season(tmp_path / "fict.db", season) as (service, season_id):
        view = await service.get(season_id)
        english = rules_reply(view, "en").pages[0].description or ""
        french = rules_reply(view, "fr").pages[0].description or ""
    assert (
        "From round 3, Fictional Team 01's nominated drivers are Testdriver 01 and Testdriver "
        "10.\nFrom round 4, Fictional Team 02's nominated drivers are Testdriver 05 and "
        "Testdriver 06."
    ) in english
    assert (
        "À partir de la manche 4, les pilotes désignés de Fictional Team 02 sont Testdriver 05 "
        "et Testdriver 06."
    ) in french


def _line(text: str, start: str, nth: int = 0) -> int:
    return [i for i, t in enumerate(text.splitlines(), 1) if t.startswith(start)][nth]


def _refused(folder: Path, text: str, problem: str) -> None:
    (folder / "season.toml").write_text(text)
    with pytest.raises(SeasonFileError, match=problem):
        load_season_folder(folder)


def test_a_wrong_nomination_is_refused_with_its_season_toml_line(tmp_path: Path) -> None:
    folder = tmp_path / "fict"
    text = _write(folder)
    nomination = 'drivers = ["Testdriver 05", "Testdriver 06"]'
    cases = [
        # an unknown driver
        (
            nomination,
            'drivers = ["Testdriver 05", "Nobody Atall"]',
            "drivers",
            1,
            r"championship teams: Fictional Team 02's nomination from round 4: driver "
            r"'Nobody Atall' is not in entries.csv",
        ),
        # a driver of another team
        (
            nomination,
            'drivers = ["Testdriver 05", "Testdriver 07"]',
            "drivers",
            1,
            r"Testdriver 07 does not drive for Fictional Team 02 from that round on",
        ),
        # a driver who left the team before the nomination
        (
            '["Testdriver 01", "Testdriver 10"]',
            '["Testdriver 01", "Testdriver 02"]',
            "drivers",
            0,
            r"Testdriver 02 does not drive for Fictional Team 01 from that round on",
        ),
        # a round beyond the season
        (
            "from_round = 4",
            "from_round = 5",
            "from_round",
            1,
            r"Fictional Team 02's nomination from round 5: the season has 4 rounds",
        ),
        # the same team twice from the same round
        (
            'team = "Fictional Team 02"',
            'team = "fictional team 01"',
            "from_round",
            1,
            None,
        ),
        # an unknown team
        (
            'team = "Fictional Team 02"',
            'team = "Fictional Team 99"',
            "team",
            1,
            r"team 'Fictional Team 99' is not in entries.csv",
        ),
        # no round
        ("from_round = 4\n", "", "[[championships.nominations]]", 1, r"needs a from_round"),
        # not a list of names
        (nomination, 'drivers = "Testdriver 05"', "drivers", 1, r"drivers must be a list"),
        # a name twice
        (
            nomination,
            'drivers = ["Testdriver 05", "testdriver  05"]',
            "drivers",
            1,
            r"'testdriver 05' is named twice",
        ),
    ]
    for old, new, key, nth, expected in cases:
        changed = text.replace(old, new)
        assert changed != text, old
        problem = expected
        if problem is None:  # same team, same round: the second says so
            changed = changed.replace("from_round = 4", "from_round = 3")
            problem = r"fictional team 01 is nominated twice from round 3"
        line = _line(changed, key, nth)
        _refused(folder, changed, rf"season.toml:{line}: .*{problem}")


def test_contradicting_or_too_many_nominations_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "fict"
    text = _write(folder)
    # From round 1, Team 01's own nomination contradicts the season-long list.
    changed = text.replace("from_round = 3", "from_round = 1")
    _refused(
        folder,
        changed,
        rf"season.toml:{_line(changed, 'from_round = 1')}: championship teams: Fictional Team "
        r"01's nomination from round 1: nominated already names Testdriver 01",
    )
    # max_nominated: a nomination with more drivers, or the list giving a team more.
    changed = text.replace("counting_cars = 0\n", "counting_cars = 0\nmax_nominated = 1\n")
    _refused(
        folder,
        changed,
        rf"season.toml:{_line(changed, 'drivers')}: .*Fictional Team 01 nominates 2 drivers "
        r"from round 3, but max_nominated is 1",
    )
    changed = _write(folder, extra="max_nominated = 2\n").replace(
        '"Testdriver 01", "Testdriver 02", ', '"Testdriver 01", "Testdriver 02", "Testdriver 03", '
    )
    _refused(
        folder,
        changed,
        rf"season.toml:{_line(changed, 'nominated')}: championship teams: nominated names 3 "
        r"drivers of Fictional Team 01 at round 1 \(Testdriver 01, Testdriver 02, Testdriver "
        r"03\), but max_nominated is 2",
    )
    for bad in ("0", "true", '"two"'):
        changed = _write(folder, extra=f"max_nominated = {bad}\n")
        _refused(
            folder,
            changed,
            rf"season.toml:{_line(changed, 'max_nominated')}: championship teams: max_nominated",
        )
    # Only a teams championship nominates.
    changed = _write(folder, more='\n[[championships.nominations]]\nteam = "X"\n')
    changed = changed.replace('kind = "drivers"\n', 'kind = "drivers"\nmax_nominated = 2\n')
    _refused(folder, changed, r"championship drivers: max_nominated is a teams championship")
    changed = text.replace(
        'kind = "drivers"\n',
        'kind = "drivers"\n\n[[championships.nominations]]\nteam = "X"\nfrom_round = 1\n'
        'drivers = ["Testdriver 01"]\n',
    )
    _refused(
        folder,
        changed,
        rf"season.toml:{_line(changed, '[[championships.nominations]]')}: championship drivers: "
        "only a teams championship nominates drivers",
    )
