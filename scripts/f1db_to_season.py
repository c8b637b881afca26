"""Convert F1DB season data (CC BY 4.0) into a Parc Fermé season folder plus expected tables.

Usage::

    python scripts/f1db_to_season.py F1DB_DATA_DIR OUT_ROOT [YEAR ...]

``F1DB_DATA_DIR`` is the ``src/data`` folder of a checkout of https://github.com/f1db/f1db.
For each year it writes ``OUT_ROOT/f1-YEAR/``: the season files (``season.toml``,
``rounds.csv``, ``sessions.csv``, ``entries.csv``, ``results.csv``, ``fastest_laps.csv``,
``poles.csv``) and ``expected.csv``, the published standings after every round. Only
positions, statuses, laps and times are converted: the points the tests compare are worked
out by the engine from positions and the rules below, never copied from the dataset (which
is read only for the expected tables). Needs PyYAML (``pip install -e '.[convert]'``).
"""

# ruff: noqa: E501  (the season rules are TOML text: a note reads best on one line)
from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

import yaml

LICENCE = (
    "Data from F1DB (https://github.com/f1db/f1db), licensed under Creative Commons "
    "Attribution 4.0 International (https://creativecommons.org/licenses/by/4.0/). "
    "Converted by scripts/f1db_to_season.py; points are not copied but computed by the engine."
)

#: The two championships most seasons have: every result of every car counts for its team.
_DRIVERS = """
[[championships]]
slug = "drivers"
name = "Drivers"
kind = "drivers"
"""
_CONSTRUCTORS = """
[[championships]]
slug = "teams"
name = "Constructors"
kind = "teams"
from = "drivers"
counting_cars = 0
"""
_HALF_POINTS = """
[scoring.reduced]
fraction = "1/2"
below_share = "75%"
"""
_MODERN = """
[scoring]
scale = [25, 18, 15, 12, 10, 8, 6, 4, 2, 1]
"""
_FASTEST_LAP = """fastest_lap_bonus = 1
fastest_lap_top = 10
"""
_COUNTBACK = """tie_break = "countback"
not_running_scores = true
"""

#: F1 1967 and 1969: the same rules (the season in two parts, Formula 2 guests at the German GP).
_SPLIT_SEASON = """
[scoring]
scale = [9, 6, 4, 3, 2, 1]
""" + _COUNTBACK + """countback_places = 6
note = "{year} FIA rules: the best 5 results of the first 6 races and the best 4 of the last 5 count; the Formula 2 cars of the German Grand Prix scored nothing and gave up their places; a constructor scores with its best car only."
""" + _DRIVERS + """best_per_part = [[6, 5], [5, 4]]

[[championships]]
slug = "teams"
name = "Constructors"
kind = "teams"
from = "drivers"
counting_cars = 1
best_per_part = [[6, 5], [5, 4]]
countback_all_cars = true
"""

#: F1 2023 and 2024: sprints on their own scale, whose places are not counted in the count-back.
_SPRINTS = _MODERN + _FASTEST_LAP + _COUNTBACK + """note = "{year} FIA sporting regulations: a point for the fastest lap if its driver finishes in the top 10; a sprint scores 8-7-6-5-4-3-2-1 and, not being a Grand Prix, its places count neither in the count-back nor as wins (the published standings order ties this way: counting them, {differs} tables differ)."

[scoring.kinds.sprint]
scale = [8, 7, 6, 5, 4, 3, 2, 1]
countback = false
""" + _DRIVERS + "bonuses = true\n" + _CONSTRUCTORS

# The rules of each season, as its sporting regulations state them (in season.toml form).
RULES: dict[int, str] = {
    1967: _SPLIT_SEASON.replace("{year}", "1967"),
    1969: _SPLIT_SEASON.replace("{year}", "1969"),
    1988: """
[scoring]
scale = [9, 6, 4, 3, 2, 1]
""" + _COUNTBACK + """countback_places = 6
note = "1988 FIA sporting regulations: the best 11 results of 16 count for the drivers."
""" + _DRIVERS + "best_results = 11\n" + _CONSTRUCTORS
    + """note = "Every result of every car counts (the drivers' dropped scores do not apply)."
""",
    1997: """
[scoring]
scale = [10, 6, 4, 3, 2, 1]
""" + _COUNTBACK + "countback_places = 6\n" + _DRIVERS + """
[[championships.exclusions]]
name = "Michael Schumacher"
from_round = 17
note = "Excluded from the 1997 drivers' championship by the FIA World Council (11 November 1997) after the Jerez collision; his results stand, so nobody moves up in the races."
""" + _CONSTRUCTORS,
    2018: _MODERN + _COUNTBACK + _DRIVERS + _CONSTRUCTORS + """
[[championships.exclusions]]
name = "Sahara Force India"
from_round = 13
note = "Sahara Force India went into administration; its entry was withdrawn before Spa and Racing Point Force India entered from round 13 with no constructors' points."
""",
    2021: _MODERN + _FASTEST_LAP + _COUNTBACK + """note = "2021 FIA sporting regulations: a point for the fastest lap if its driver finishes in the top 10; sprint qualifying scores 3-2-1 and is not a race, so its places count neither in the count-back nor as wins (the published standings order ties this way); half points when less than 75% of the distance is run."

[scoring.kinds.sprint]
scale = [3, 2, 1]
countback = false
""" + _HALF_POINTS + _DRIVERS + "bonuses = true\n" + _CONSTRUCTORS,
    2009: """
[scoring]
scale = [10, 8, 6, 5, 4, 3, 2, 1]
""" + _COUNTBACK + """note = "2009 FIA sporting regulations: every result counts; half points when a race is stopped before 75% of its distance (the Malaysian Grand Prix)."
""" + _HALF_POINTS + _DRIVERS + _CONSTRUCTORS,
    2023: _SPRINTS.replace("{year}", "2023").replace("{differs}", "11 rounds'"),
    2024: _SPRINTS.replace("{year}", "2024").replace("{differs}", "16 rounds'"),
}

#: Races stopped early whose points were reduced (the flag the admin sets on a race).
REDUCED: dict[tuple[int, int], bool] = {(2021, 12): True, (2009, 2): True}

#: Cars that ran in a class not eligible for points (guests), by car number: (year, round) ->
#: (numbers, why). The German Grands Prix of 1967 and 1969 ran a Formula 2 class alongside
#: (cars 20 and up), as the races' reports state; F1DB gives no class, so it is kept here.
GUESTS: dict[tuple[int, int], tuple[frozenset[int], str]] = {
    (1967, 7): (frozenset(range(20, 30)), "Formula 2 class of the German Grand Prix"),
    (1969, 7): (frozenset(range(20, 32)), "Formula 2 class of the German Grand Prix"),
}

#: A constructor that changed identity mid-season: (year, constructor) -> [(last round, name)].
IDENTITIES: dict[tuple[int, str], list[tuple[int, str]]] = {
    (2018, "force-india"): [(12, "Sahara Force India"), (99, "Racing Point Force India")],
}

NOT_STARTED = {"DNQ", "DNPQ", "DNS"}
STATUS = {"DNF": "DNF", "DSQ": "DSQ", "EX": "DSQ", "NC": "NC"}


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class Names:
    def __init__(self, data: Path) -> None:
        self.data = data
        self._cache: dict[tuple[str, str], str] = {}

    def name(self, kind: str, ident: str) -> str:
        key = (kind, ident)
        if key not in self._cache:
            self._cache[key] = str(_load(self.data / kind / f"{ident}.yml")["name"])
        return self._cache[key]


def _team(
    year: int, rnd: int, row: dict[str, Any], names: Names, engines: dict[str, set[str]]
) -> str:
    cid = row["constructorId"]
    for last, name in IDENTITIES.get((year, cid), []):
        if rnd <= last:
            return name
    name = names.name("constructors", cid)
    if len(engines.get(cid, ())) > 1:
        name += "-" + names.name("engine-manufacturers", row["engineManufacturerId"])
    return name


def _time(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if text and text[0].isdigit() else ""


def convert(data: Path, year: int, out: Path) -> None:
    names = Names(data)
    season_dir = data / "seasons" / str(year)
    race_dirs = sorted(p for p in (season_dir / "races").iterdir() if p.is_dir())
    engines: dict[str, set[str]] = {}
    for rd in race_dirs:
        for row in _load(rd / "race-results.yml") or []:
            engines.setdefault(row["constructorId"], set()).add(row["engineManufacturerId"])
    folder = out / f"f1-{year}"
    folder.mkdir(parents=True, exist_ok=True)
    source = f"https://github.com/f1db/f1db/tree/main/src/data/seasons/{year}"
    (folder / "season.toml").write_text(
        f'[series]\nslug = "f1"\nname = "Formula One World Championship"\n\n'
        f'[season]\nyear = {year}\nname = "{year} Formula One World Championship"\n'
        f'status = "final"\nsource = "{source}"\n' + RULES[year],
        encoding="utf-8",
    )
    rounds: list[list[Any]] = []
    sessions: list[list[Any]] = []
    results: list[list[Any]] = []
    fastest: list[list[Any]] = []
    expected: list[list[Any]] = []
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    driver_team: dict[tuple[str, int], str] = {}
    for rd in race_dirs:
        race = _load(rd / "race.yml")
        rnd = int(race["round"])
        gp = names.name("grands-prix", race["grandPrixId"])
        rounds.append([rnd, race["grandPrixId"], gp, "", "", race["date"], race["date"], source])
        kinds = (
            [("sprint", "sprint-race-results.yml")]
            if (rd / "sprint-race-results.yml").exists()
            else []
        )
        kinds.append(("", "race-results.yml"))
        for number, (kind, fname) in enumerate(kinds, start=1):
            code = f"R{number}"
            reduced = "yes" if REDUCED.get((year, rnd)) and not kind else ""
            sessions.append([rnd, code, race["date"], "final", "complete", kind, reduced, source])
            for row in _load(rd / fname) or []:
                pos = str(row["position"])
                if pos in NOT_STARTED or (pos == "EX" and not row.get("laps")):
                    continue
                driver = names.name("drivers", row["driverId"])
                team = _team(year, rnd, row, names, engines)
                driver_team[(row["driverId"], rnd)] = team
                numbers, why = GUESTS.get((year, rnd), (frozenset(), ""))
                guest = why if row.get("driverNumber") in numbers else ""
                entry = entries.setdefault(
                    (driver, team, guest), {"rounds": set(), "numbers": set()}
                )
                entry["rounds"].add(rnd)
                entry["numbers"].add(row.get("driverNumber"))
                numeric = pos.isdigit()
                results.append(
                    [
                        rnd,
                        code,
                        driver,
                        pos if numeric else "",
                        pos if numeric else "",
                        "classified" if numeric else STATUS[pos],
                        row.get("laps") if row.get("laps") is not None else "",
                        _time(row.get("time")),
                        "no" if numeric and row.get("reasonRetired") else "",
                        source,
                    ]
                )
        fl = rd / "fastest-laps.yml"
        if fl.exists():
            first = next(r for r in _load(fl) if str(r["position"]) == "1")
            fastest.append(
                [rnd, f"R{len(kinds)}", names.name("drivers", first["driverId"]), first["time"]]
            )
        for champ, fname in (
            ("drivers", "driver-standings.yml"),
            ("teams", "constructor-standings.yml"),
        ):
            for row in _load(rd / fname) or []:
                if champ == "drivers":
                    name = names.name("drivers", row["driverId"])
                else:
                    name = _expected_team(year, rnd, row, names, engines)
                expected.append([champ, rnd, row["position"], name, row.get("points") or 0])
    _write(
        folder / "rounds.csv",
        ["round", "slug", "circuit", "town", "country", "start_date", "end_date", "source"],
        rounds,
    )
    _write(
        folder / "sessions.csv",
        ["round", "session", "date", "status", "classification", "scoring", "reduced", "source"],
        sessions,
    )
    entry_rows = []
    all_rounds = {r[0] for r in rounds}
    for (driver, team, guest), info in entries.items():
        entered = info["rounds"]
        entry_rows.append(
            [
                _number(info["numbers"]),
                driver,
                team,
                "",
                "yes" if guest else "",
                "" if entered == all_rounds else ";".join(str(n) for n in sorted(entered)),
                guest,
                source,
            ]
        )
    _write(
        folder / "entries.csv",
        ["car_number", "driver", "team", "class", "guest", "rounds", "note", "source"],
        entry_rows,
    )
    _write(
        folder / "results.csv",
        [
            "round",
            "session",
            "driver",
            "position",
            "flag_position",
            "status",
            "laps",
            "time",
            "running",
            "source",
        ],
        results,
    )
    _write(folder / "fastest_laps.csv", ["round", "session", "driver", "time"], fastest)
    _write(folder / "poles.csv", ["round", "session", "driver", "time"], [])
    _write(
        folder / "expected.csv", ["championship", "round", "position", "name", "points"], expected
    )
    (folder / "SOURCE.md").write_text(
        f"# {year} Formula One World Championship\n\n{LICENCE}\n\nSource: {source}\n\n"
        "`expected.csv` holds the published drivers' and constructors' standings after every "
        "round (F1DB), which the replay test compares with what the engine computes.\n"
        + "".join(
            f"\nRound {rnd}: cars {min(numbers)}-{max(numbers)} ran in the {why} (guests, "
            "no points; `guest = yes` in entries.csv). F1DB gives no class: this comes from "
            "the race's reports and is kept in the converter's GUESTS table.\n"
            for (y, rnd), (numbers, why) in GUESTS.items()
            if y == year
        ),
        encoding="utf-8",
    )


def _number(numbers: set[Any]) -> Any:
    """The entry's car number; none when it changed from race to race (as in the 1960s)."""
    return next(iter(numbers)) if len(numbers) == 1 and None not in numbers else ""


def _expected_team(
    year: int, rnd: int, row: dict[str, Any], names: Names, engines: dict[str, set[str]]
) -> str:
    if str(row["position"]) == "EX":
        # The withdrawn identity: the first one the season had.
        return IDENTITIES[(year, row["constructorId"])][0][1]
    return _team(year, rnd, row, names, engines)


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    data, out = Path(argv[0]), Path(argv[1])
    years = [int(y) for y in argv[2:]] or sorted(RULES)
    for year in years:
        convert(data, year, out)
        print(f"f1-{year} written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
