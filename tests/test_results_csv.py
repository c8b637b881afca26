"""Timing exports as timing systems write them, and the bad input that must get a clear answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.console.ask import ask
from bot.adapters.console.harness import Harness
from bot.domain.models import Entry, Status
from bot.errors import CsvProblem, ExportProblem
from bot.services.results_csv import parse_classification
from bot.services.timing_export import race_time_ms
from tests.helpers import outcome, text_of
from tests.test_admin import ADMIN, env, press, view

__all__ = ["env"]

ENTRIES = [
    Entry(id=i, driver_id=i, driver=f"Testdriver {i:02d}", team_id=None, team=None,
          car_number=i, klass="Pro" if i % 2 else "Am")
    for i in range(1, 7)
]  # fmt: skip


def resolve(kind: str, value: str) -> Entry | str:
    if kind == "car":
        found = [e for e in ENTRIES if e.car_number == int(value)]
    else:
        found = [e for e in ENTRIES if e.driver.casefold() == value.casefold()]
    return found[0] if found else f"no {kind} {value!r}"


def parse(text: str, encoding: str = "utf-8"):
    return parse_classification(text.encode(encoding), 9, resolve)


def problems(text: str) -> str:
    with pytest.raises(CsvProblem) as info:
        parse(text)
    return "\n".join(info.value.problems)


SEMICOLON = (
    "\ufeffPOS;No.;Driver;Class;Laps;Total Time;Gap;Best Lap\r\n"
    "1;3;Testdriver 03;PRO;20;30:12,345;;1:26,900\r\n"
    "2;1;Testdriver 01;PRO;20;30:13,000;+0,655;1:26,512\r\n"
    "3;2;Testdriver 02;Am;19;;+1 Lap;1:27,000\r\n"
    "4;4;Testdriver 04;Pro;18;;+2 Laps;1:28,000\r\n"
    "5;5;Testdriver 05;PRO;3;;;1:29,000\r\n"
    "DNS;6;Testdriver 06;Am;;;;\r\n"
)


def test_semicolon_export_with_bom_crlf_and_decimal_commas():
    read = parse(SEMICOLON)
    assert read.read_as.startswith("semicolon-separated; POS → position, No. → car")
    assert "Total Time → time" in read.read_as and "Best Lap → best_lap" in read.read_as
    assert read.order == (3, 1, 2, 4, 5)
    by_entry = {r.entry_id: r for r in read.results}
    assert by_entry[3].time_ms == 1_812_345 and by_entry[1].time_ms == 1_813_000
    assert by_entry[2].laps == 19 and by_entry[6].status is Status.DNS
    assert read.fastest == (1, 86_512)
    # Testdriver 04 is "Pro" in the file but "Am" in the entry list: shown, not trusted.
    assert any("Testdriver 04" in n and "entry list says Am" in n for n in read.notes)
    assert not any("Testdriver 03" in n for n in read.notes)  # "PRO" is "Pro"


def test_tab_export_with_hash_car_and_status_column():
    text = (
        "Pos.\t#\tName\tLaps\tTime\tDiff\tBest\tStatus\n"
        "1\t2\tTestdriver 02\t20\t30:00.000\t\t1:27.1\t\n"
        "2\t1\tTestdriver 01\t20\t\t+1.5\t1:27.0\tClassified\n"
        "3\t3\tTestdriver 03\t12\t\t\t1:28.0\tRET\n"
    )
    read = parse(text)
    assert read.read_as.startswith("tab-separated; Pos. → position, # → car, Name → driver")
    statuses = {r.entry_id: r.status for r in read.results}
    assert statuses[3] is Status.DNF and read.order == (2, 1)
    assert read.fastest == (1, 87_000)


def test_comma_export_with_gaps_in_the_time_column():
    text = "Position,Car,Driver,Laps,Time\n1,5,,20,30:00.000\n2,6,,20,+2.000\n3,4,,19,+1 Lap\n"
    read = parse(text)
    assert read.complete and [r.time_ms for r in read.results[:2]] == [1_800_000, 1_802_000]


def test_a_semicolon_file_read_as_commas_says_which_separator_it_saw():
    # Only one recognisable header in either reading: the answer says what it saw.
    text = "Rang;Nummer;Pilot\n1;1;A\n"
    assert "read as" in problems(text) and "separated" in problems(text)


@pytest.mark.parametrize(
    "value",
    ["99:99.999", "1:60.000", "1:75:00.000", "0:00.000", "0.000", "30:00:00.000", "1:2:3:4"],
)
def test_times_out_of_range_are_refused(value: str):
    with pytest.raises(ExportProblem):
        race_time_ms(value)
    assert "line 2" in problems(f"position,car,laps,time\n1,1,20,{value}\n")


def test_times_that_are_fine():
    assert race_time_ms("46:33.408") == 2_793_408
    assert race_time_ms("1:02:03.5") == 3_723_500
    assert race_time_ms("59.1") == 59_100


def test_laps_and_times_must_agree_with_the_order():
    text = "position,car,laps,time\n1,1,5,10:00.000\n2,2,20,30:00.000\n3,3,20,30:01.000\n"
    assert "line 3: P2 has 20 laps, more than P1 (5)" in problems(text)
    text = "position,car,laps,time\n1,1,20,30:05.000\n2,2,20,30:00.000\n"
    assert "line 3: P2 is faster than P1 on the same laps" in problems(text)
    text = "position,car,laps,time,gap\n1,1,20,30:00.000,\n2,2,20,,+3.0\n3,3,20,,+1.0\n"
    assert "line 4: P3 is faster than P2" in problems(text)


@pytest.mark.parametrize(
    ("column", "value"),
    [("laps", "9" * 20), ("grid", "9" * 20), ("grid", "0"), ("best_lap", "0:00.000")],
)
def test_values_the_database_would_refuse_are_refused_before_the_preview(column, value):
    text = f"position,car,{column}\n1,1,{value}\n"
    assert "line 2:" in problems(text)


def test_unicode_digits_are_not_numbers():
    assert "line 2: position must be" in problems("position,car\n²,1\n")
    assert "line 2: car number must be a whole number" in problems("position,car\n1,¹\n")


def test_a_huge_field_is_refused_with_its_line():
    text = "position,car,driver\n1,1,Testdriver 01\n2,2," + "x" * 150_000 + "\n"
    assert "line 3: a cell far longer than 200 characters" in problems(text)
    quoted = 'position,car,driver\n1,1,"' + "y" * 150_000 + '"\n'
    assert "line 2" in problems(quoted)


def test_utf16_export_from_a_spreadsheet():
    read = parse("Pos\tNo\n1\t1\n2\t2\n", "utf-16")
    assert read.order == (1, 2)


async def test_result_set_refuses_a_zero_or_impossible_time(env: Harness):
    for value in ("0:00.000", "99:99.999"):
        calls = await ask(
            env, f"/result set race:alpha 1 driver:Testdriver 01 time:{value}", user=ADMIN
        )
        data = calls[0].body["data"]
        assert data["flags"] & 64 and "not a time" in text_of(data)
        assert "went wrong" not in text_of(data)


async def test_import_preview_shows_how_the_file_was_read_and_confirms(env: Harness, tmp_path):
    path = tmp_path / "export.csv"
    lines = ["POS;No;Driver;Laps;Total Time;Gap;Best Lap;Class"]
    for i, car in enumerate((6, 5, 4, 3, 2, 1), start=1):
        gap = "" if i == 1 else f"+{i}.000"
        time = "30:00.000" if i == 1 else ""
        lines.append(f"{i};{car};;20;{time};{gap};1:2{i}.500;Pro-Am")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    calls = await ask(env, f"/result import race:alpha 2 file:{path}", user=ADMIN)
    text = text_of(calls[0].body["data"])
    assert "File read as" in text and "semicolon-separated; POS → position" in text
    assert "the file says class 'Pro-Am'" in text
    done = await press(env, calls, "Confirm", ADMIN)
    assert "Done" in text_of(outcome(done))  # Confirm answers at once, then edits
    race = view(env).race(1, 2).classification
    assert [r.entry.car_number for r in race.rows if r.position] == [6, 5, 4, 3, 2, 1]


async def test_import_of_bad_values_answers_and_changes_nothing(env: Harness, tmp_path: Path):
    for body in ("1,1,99999999999999999999\n", "²,1,20\n", "1,¹,20\n"):
        path = tmp_path / "bad.csv"
        path.write_text("position,car,laps\n" + body, encoding="utf-8")
        calls = await ask(env, f"/result import race:alpha 2 file:{path}", user=ADMIN)
        text = text_of(calls[0].body["data"])
        assert "not imported" in text and "went wrong" not in text, body


def test_a_led_column_says_who_led_a_lap():
    # yes/no, or a count of laps led; empty: unknown (a lap-led bonus then stays unknown).
    got = parse(
        "pos,car,laps,time,laps led\n1,1,20,30:00.000,12\n2,2,20,30:01.000,0\n"
        "3,3,20,30:02.000,\nDNF,4,5,,yes\n"
    )
    led = {r.entry_id: r.led_lap for r in got.results}
    assert led == {1: True, 2: False, 3: None, 4: True}
    assert "laps led → led" in got.read_as
    assert "laps led must be a whole number" in problems(
        "pos,car,laps,time,led\n1,1,20,30:00.000,maybe\n"
    )
