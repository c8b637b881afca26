"""A fictional series' season built from nothing with admin commands, and its expected tables.

The 2031 Vortex Trophy (made up): 20 cars (#1-8 Pro, #9-14 Pro-Am, #15-20 Am; rookies #3, #7,
#12, #18; ten teams of two cars: A = #1-2, B = #3-4 …), a guest (#77) for round 2 only, four
rounds of which the fourth is cancelled. Each round: qualifying and race imports in its own
export dialect (round 1: our comma CSV; round 2: a semicolon export with a BOM, Windows line
ends and decimal commas; round 3: a tab-separated export with a status column), a pole and a
fastest lap set by hand, penalties and a revoke.

The expected tables below were worked out by hand from the scale (25-20-17-14-12-10-9-8-7-6-
5-4-3-2-1, pole +1 and fastest lap +1 in the drivers' table only, guests score nothing and
are skipped in the ranking, teams add their best two cars' drivers' points per race), race by
race, from the final orders noted at each step — not by the bot's engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CLASSES = {c: "Pro" if c <= 8 else "Pro-Am" if c <= 14 else "Am" for c in range(1, 21)}
ROOKIES = {3, 7, 12, 18}


def driver(car: int) -> str:
    return "Guest Star" if car == 77 else f"Vortex Driver {car:02d}"


@dataclass
class Step:
    command: str
    options: dict[str, Any] = field(default_factory=dict)
    file: tuple[str, bytes] | None = None  # (name, content) for the "file" option
    confirm: bool = True
    expect: str = ""  # a text the preview must hold


def _comma_race(order: list[int], fastest: int, dnf: dict[int, int] | None = None) -> bytes:
    lines = ["position,car,laps,time,gap,best_lap"]
    for i, car in enumerate(order, start=1):
        best = "1:29.900" if car == fastest else f"1:30.{500 + i:03d}"
        time, gap = ("30:00.000", "") if i == 1 else ("", f"+{i - 1}.000")
        lines.append(f"{i},{car},20,{time},{gap},{best}")
    for car, laps in (dnf or {}).items():
        lines.append(f"DNF,{car},{laps},,,1:31.000")
    return ("\n".join(lines) + "\n").encode()


def _comma_qualifying(order: list[int]) -> bytes:
    lines = ["position,car,best_lap"]
    lines += [f"{i},{car},1:45.{100 + i:03d}" for i, car in enumerate(order, start=1)]
    return ("\n".join(lines) + "\n").encode()


def _semicolon(rows: list[str], header: str) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8-sig")


def _spa_qualifying() -> bytes:
    order = [3, 1, 2, *range(4, 21), 77]
    rows = [
        f"{i};{car};{driver(car)};{CLASSES.get(car, 'Pro')};2:1{i // 10},{i % 10}00"
        for i, car in enumerate(order, start=1)
    ]
    return _semicolon(rows, "POS;No.;Driver;Class;Best Lap")


def _spa_race_1() -> bytes:
    # 3 wins; guest 77 2nd (+1.0); 1 3rd (+2.0); 2 4th (+4.0); 4 (+8.0); then +1 s each.
    order = [3, 77, 1, 2, *range(4, 21)]
    gaps = {3: None, 77: 1, 1: 2, 2: 4}
    rows = []
    for i, car in enumerate(order, start=1):
        gap = gaps.get(car, 8 + (car - 4))
        time = "30:00,000" if gap is None else ""
        best = "2:17,900" if car == 77 else f"2:18,{100 + i:03d}"
        rows.append(
            f"{i};{car};{driver(car)};{CLASSES.get(car, 'Pro')};18;{time};"
            f"{'' if gap is None else f'+{gap},000'};{best}"
        )
    return _semicolon(rows, "POS;No.;Driver;Class;Laps;Total Time;Gap;Best Lap")


def _spa_race_2() -> bytes:
    order = [*range(5, 21), 1, 2, 3, 4]
    rows = [
        f"{i};{car};{driver(car)};{CLASSES[car]};18;{'30:00,000' if i == 1 else ''};"
        f"{'' if i == 1 else f'+{i - 1},000'}"
        for i, car in enumerate(order, start=1)
    ]
    rows.append(f"DNS;77;{driver(77)};Pro;0;;")
    return _semicolon(rows, "POS;No.;Driver;Class;Laps;Total Time;Gap")


def _tab(rows: list[str], header: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _zandvoort_qualifying(order: list[int]) -> bytes:
    rows = [f"{i}\t{car}\t{driver(car)}\t1:31.{100 + i:03d}" for i, car in enumerate(order, 1)]
    return _tab(rows, "Pos.\t#\tName\tBest")


def _zandvoort_race(order: list[int], fastest: int, lapped: tuple[int, ...] = ()) -> bytes:
    rows = []
    for i, car in enumerate(order, start=1):
        diff = "+1 Lap" if car in lapped else ("" if i == 1 else f"+{i - 1}.000")
        laps = 24 if car in lapped else 25
        best = "1:33.900" if car == fastest else f"1:34.{100 + i:03d}"
        time = "40:00.000" if i == 1 else ""
        rows.append(f"{i}\t{car}\t{driver(car)}\t{laps}\t{time}\t{diff}\t{best}\tClassified")
    return _tab(rows, "Pos.\t#\tName\tLaps\tTime\tDiff\tBest\tStatus")


def steps_setup() -> list[Step]:
    steps = [
        Step(
            "season create",
            {"series": "Vortex Trophy", "year": 2031, "from_season": "one-make-cup"},
            expect="Points for places 1 to 15: 25-20-17-14-12-10-9-8-7-6-5-4-3-2-1",
        ),
        Step(
            "round add", {"circuit": "monza", "start_date": "2031-04-12", "end_date": "2031-04-13"}
        ),
        Step("round add", {"circuit": "spa", "start_date": "2031-05-10", "end_date": "2031-05-11"}),
        Step(
            "round add",
            {"circuit": "zandvoort", "start_date": "2031-06-07", "end_date": "2031-06-08"},
        ),
        Step(
            "round add", {"circuit": "nogaro", "start_date": "2031-07-05", "end_date": "2031-07-06"}
        ),
        Step("round cancel", {"round": "nogaro", "reason": "circuit resurfacing"}),
        Step(
            "session add",
            {"round": "monza", "session": "Q", "date": "2031-04-12", "start_time": "10:00"},
        ),
        Step(
            "session add",
            {"round": "monza", "session": "R1", "date": "2031-04-12", "start_time": "15:05"},
        ),
        Step(
            "session add",
            {"round": "monza", "session": "R2", "date": "2031-04-13", "start_time": "11:30"},
        ),
    ]
    for car in range(1, 21):
        options: dict[str, Any] = {
            "driver": driver(car),
            "team": f"Vortex Team {'ABCDEFGHIJ'[(car - 1) // 2]}",
            "class": CLASSES[car],
            "car_number": car,
            "rookie": car in ROOKIES,
        }
        steps.append(Step("entry add", options))
    steps.append(
        Step(
            "entry add",
            {"driver": driver(77), "class": "Pro", "car_number": 77, "guest": True, "rounds": "2"},
        )
    )
    return steps


def steps_round(number: int) -> list[Step]:
    if number == 1:
        # Final orders — race 1: 1, 2 … 19 (20 out); pole 2, fastest lap 5.
        # Race 2: 2, 1, 4, 3 … 20, 19 (pairs swapped); pole 1, fastest lap 9.
        race2 = [c + 1 if c % 2 else c - 1 for c in range(1, 21)]
        return [
            Step(
                "result import",
                {"race": "monza q1"},
                ("q1.csv", _comma_qualifying([2, 1, *range(3, 21)])),
                expect="pole Vortex Driver 02",
            ),
            Step(
                "result import",
                {"race": "monza 1"},
                ("r1.csv", _comma_race(list(range(1, 20)), 5, {20: 5})),
                expect="import 20 results",
            ),
            Step(
                "result import",
                {"race": "monza q2"},
                ("q2.csv", _comma_qualifying(list(range(1, 21)))),
            ),
            Step("result import", {"race": "monza 2"}, ("r2.csv", _comma_race(race2, 9))),
        ]
    if number == 2:
        # Race 1: 3, 77 (guest), 2, 1, 4, 5 … 20 after #1's 5 s (drivers' ranks skip 77); pole
        # 3 (qualifying), fastest lap 77 (a guest: no bonus to anyone).
        # Race 2: 5, 7, 8, 6, 9 … 20, 1, 2, 3, 4 after #6 drops two places; #7's
        # disqualification is revoked; pole 5 and fastest lap 20 set by hand.
        return [
            Step(
                "result import",
                {"race": "spa q1"},
                ("q.csv", _spa_qualifying()),
                expect="semicolon-separated",
            ),
            Step(
                "result import",
                {"race": "spa 1"},
                ("r1.csv", _spa_race_1()),
                expect="best-lap column: Guest Star 2:17.900 (a guest: no bonus",
            ),
            Step(
                "penalty add",
                {
                    "driver": driver(1),
                    "race": "spa 1",
                    "type": "time",
                    "reason": "track limits",
                    "value": 5,
                },
            ),
            Step("result import", {"race": "spa 2"}, ("r2.csv", _spa_race_2())),
            Step("pole set", {"race": "spa 2", "driver": driver(5), "time": "2:15.000"}),
            Step("fastest-lap set", {"race": "spa 2", "driver": driver(20), "time": "2:17.500"}),
            Step(
                "penalty add",
                {
                    "driver": driver(6),
                    "race": "spa 2",
                    "type": "positions",
                    "reason": "forcing a car off",
                    "value": 2,
                },
            ),
            Step(
                "penalty add",
                {"driver": driver(7), "race": "spa 2", "type": "dsq", "reason": "ride height"},
            ),
            Step("penalty revoke", {"id": "LAST", "reason": "re-measured: legal"}),
        ]
    # Round 3 — race 1: 4, 3, 2, 1, 5 … 20 (19 and 20 a lap down); pole 4, fastest lap 4.
    # Race 2: 1 … 20; pole 1, fastest lap 1; #1 loses 10 points.
    return [
        Step(
            "result import",
            {"race": "zandvoort q1"},
            ("q1.tsv", _zandvoort_qualifying([4, 3, 2, 1, *range(5, 21)])),
            expect="tab-separated",
        ),
        Step(
            "result import",
            {"race": "zandvoort 1"},
            ("r1.tsv", _zandvoort_race([4, 3, 2, 1, *range(5, 21)], 4, (19, 20))),
        ),
        Step(
            "result import",
            {"race": "zandvoort q2"},
            ("q2.tsv", _zandvoort_qualifying(list(range(1, 21)))),
        ),
        Step(
            "result import",
            {"race": "zandvoort 2"},
            ("r2.tsv", _zandvoort_race(list(range(1, 21)), 1)),
        ),
        Step(
            "penalty add",
            {
                "driver": driver(1),
                "race": "zandvoort 2",
                "type": "points",
                "reason": "unsportsmanlike conduct",
                "value": 10,
            },
        ),
    ]


_D = "Vortex Driver "
EXPECTED: dict[int, dict[str, dict[str, int]]] = {
    1: {
        "drivers": {
            f"{_D}{k}": v
            for k, v in {
                "01": 46,
                "02": 46,
                "03": 31,
                "04": 31,
                "05": 23,
                "06": 22,
                "07": 17,
                "08": 17,
                "09": 14,
                "10": 13,
                "11": 9,
                "12": 9,
                "13": 5,
                "14": 5,
                "15": 1,
                "16": 1,
                "17": 0,
                "18": 0,
                "19": 0,
                "20": 0,
            }.items()
        },
        "pro-am": {
            f"{_D}{k}": v
            for k, v in {"09": 45, "10": 45, "11": 31, "12": 31, "13": 22, "14": 22}.items()
        },
        "am": {
            f"{_D}{k}": v
            for k, v in {"15": 45, "16": 45, "17": 31, "18": 31, "19": 22, "20": 12}.items()
        },
        "rookie": {f"{_D}{k}": v for k, v in {"03": 50, "07": 40, "12": 34, "18": 28}.items()},
        "teams": {
            f"Vortex Team {k}": v
            for k, v in {
                "A": 92,
                "B": 62,
                "C": 45,
                "D": 34,
                "E": 27,
                "F": 18,
                "G": 10,
                "H": 2,
                "I": 0,
                "J": 0,
            }.items()
        },
    },
    2: {
        "drivers": {
            f"{_D}{k}": v
            for k, v in {
                "02": 66,
                "01": 63,
                "05": 61,
                "03": 57,
                "06": 46,
                "07": 46,
                "04": 45,
                "08": 42,
                "09": 33,
                "10": 29,
                "11": 23,
                "12": 21,
                "13": 15,
                "14": 13,
                "15": 7,
                "16": 5,
                "17": 3,
                "18": 2,
                "19": 1,
                "20": 1,
            }.items()
        },
        "pro-am": {
            f"{_D}{k}": v
            for k, v in {"09": 95, "10": 85, "11": 65, "12": 59, "13": 46, "14": 42}.items()
        },
        "am": {
            f"{_D}{k}": v
            for k, v in {"15": 95, "16": 85, "17": 65, "18": 59, "19": 46, "20": 32}.items()
        },
        "rookie": {f"{_D}{k}": v for k, v in {"03": 89, "07": 85, "12": 71, "18": 59}.items()},
        "teams": {
            f"Vortex Team {k}": v
            for k, v in {
                "A": 129,
                "C": 107,
                "B": 102,
                "D": 88,
                "E": 62,
                "F": 44,
                "G": 28,
                "H": 12,
                "I": 5,
                "J": 2,
            }.items()
        },
    },
    3: {
        "drivers": {
            f"{_D}{k}": v
            for k, v in {
                "02": 103,
                "01": 94,
                "03": 94,
                "04": 86,
                "05": 85,
                "06": 66,
                "07": 64,
                "08": 58,
                "09": 47,
                "10": 41,
                "11": 33,
                "12": 29,
                "13": 21,
                "14": 17,
                "15": 9,
                "16": 5,
                "17": 3,
                "18": 2,
                "19": 1,
                "20": 1,
            }.items()
        },
        "pro-am": {
            f"{_D}{k}": v
            for k, v in {"09": 145, "10": 125, "11": 99, "12": 87, "13": 70, "14": 62}.items()
        },
        "am": {
            f"{_D}{k}": v
            for k, v in {"15": 145, "16": 125, "17": 99, "18": 87, "19": 70, "20": 52}.items()
        },
        "rookie": {f"{_D}{k}": v for k, v in {"03": 139, "07": 125, "12": 105, "18": 87}.items()},
        "teams": {
            f"Vortex Team {k}": v
            for k, v in {
                "A": 207,
                "B": 180,
                "C": 151,
                "D": 122,
                "E": 88,
                "F": 62,
                "G": 38,
                "H": 14,
                "I": 5,
                "J": 2,
            }.items()
        },
    },
}
