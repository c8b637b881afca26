"""A race or qualifying classification from a timing export (``/result import``), line by line.

The table is read by :mod:`bot.services.timing_export` (comma, semicolon or tab separated;
``POS``/``Pos.``/``Position``, ``No``/``#``/``Car``, ``Driver``/``Name``, ``Laps``,
``Total Time``/``Time``, ``Gap``/``Diff``, ``Best Lap``/``Best``, ``Grid``, ``Class``,
``Status`` …). ``position`` is 1, 2, 3 … or a status (DNF, DNS, DSQ, NC); a status column
overrides it. Who is the car number, else the driver's name. Every problem is collected and
raised together as :class:`CsvProblem`, each naming its line; the values are checked against
each other (a car ahead cannot have fewer laps, nor a longer time on the same laps).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.models import Entry, Result, Status
from bot.errors import CsvProblem, ExportProblem
from bot.services.lookup import SeasonIndex
from bot.services.timing_export import (
    MAX_CAR,
    MAX_GRID,
    MAX_LAP_MS,
    MAX_LAPS,
    MAX_RACE_MS,
    STATUSES,
    Table,
    decode,
    duration_ms,
    fold,
    read_table,
    whole_number,
)

MAX_BYTES = 200_000
MAX_ROWS = 200
_LAPS_DOWN = re.compile(r"^\+?\s*(\d{1,4})\s*(?:l|lap|laps|lp|lps|tour|tours|t)$", re.I)
_NO_VALUE = ("", "-", "—", "–")


@dataclass(frozen=True, slots=True)
class ImportedRow:
    line: int
    entry: Entry
    position: int | None
    status: Status
    laps: int | None
    time_ms: int | None
    gap_ms: int | None
    laps_down: int | None
    best_lap_ms: int | None
    grid: int | None
    led: bool | None = None  # led at least one lap (a "laps led" count says it too)


@dataclass(frozen=True, slots=True)
class Classification:
    """What a file gave: the results, whether complete, and how the file was read."""

    results: list[Result]
    complete: bool
    read_as: str  # "semicolon-separated; POS → position, …"
    notes: tuple[str, ...]  # things shown, not trusted (a class that disagrees …)
    fastest: tuple[int, int] | None  # (entry id, ms) of the best lap in the file
    order: tuple[int, ...]  # entry ids of the classified cars, in order


def entries_named(index: SeasonIndex, round_number: int) -> Callable[[str, str], Entry | str]:
    """``resolve`` for :func:`parse_classification`: one round's entries by car number or by
    driver name."""
    entries = [e for e in index.view.season.entries if e.enters(round_number)]

    def resolve(kind: str, value: str) -> Entry | str:
        if kind == "car":
            if not value.isdigit():
                return f"car {value[:20]!r} is not a number"
            found = [e for e in entries if e.car_number == int(value)]
            if len(found) != 1:
                return (
                    f"no car #{value} entered in this round"
                    if not found
                    else (f"car #{value} is more than one entry: use the driver column")
                )
            return found[0]
        try:
            return index.driver(value, round_number)
        except LookupError as exc:
            return str(exc)

    return resolve


def parse_classification(
    data: bytes, session_id: int, resolve: Callable[[str, str], Entry | str]
) -> Classification:
    """The classification in the file. ``resolve(kind, value)`` returns the entry for a car
    number (kind "car") or a driver name (kind "driver"), or a message saying why not."""
    if len(data) > MAX_BYTES:
        raise CsvProblem([f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,}"])
    try:
        table = read_table(decode(data), MAX_ROWS)
    except ExportProblem as exc:
        raise CsvProblem([str(exc)]) from None
    problems: list[str] = []
    seen_as = f" (read as {table.describe()})"
    if not table.has("position"):
        problems.append("line 1: the header needs a 'position' column" + seen_as)
    if not table.has("car") and not table.has("driver"):
        problems.append("line 1: the header needs a 'car' or a 'driver' column" + seen_as)
    if problems:
        raise CsvProblem(problems)
    rows, notes = _rows(table, resolve, problems)
    classified = sorted((r for r in rows if r.position is not None), key=lambda r: r.position or 0)
    _check_order(classified, problems)
    if problems:
        raise CsvProblem(problems)
    results, complete = _to_results(session_id, classified, [r for r in rows if r.position is None])
    timed = [(r.best_lap_ms, r.line, r.entry.id) for r in rows if r.best_lap_ms is not None]
    fastest = (min(timed)[2], min(timed)[0]) if timed else None
    return Classification(
        results,
        complete,
        table.describe(),
        tuple(notes),
        fastest,
        tuple(r.entry.id for r in classified),
    )


def _rows(
    table: Table, resolve: Callable[[str, str], Entry | str], problems: list[str]
) -> tuple[list[ImportedRow], list[str]]:
    rows: list[ImportedRow] = []
    notes: list[str] = []
    seen: dict[int, int] = {}
    for line, row in table.rows:
        try:
            entry = _who(row, resolve)
            if entry.id in seen:
                raise ExportProblem(f"{entry.driver} is already on line {seen[entry.id]}")
            seen[entry.id] = line
            position, status = _place(row)
            laps = whole_number(row.get("laps", ""), "laps", 0, MAX_LAPS)
            grid = whole_number(row.get("grid", ""), "grid", 1, MAX_GRID)
            time_ms, gap_ms, laps_down = _time_and_gap(row)
            best = row.get("best_lap", "")
            best_ms = None if best in _NO_VALUE else duration_ms(best, "best lap", MAX_LAP_MS)
            led = _led(row.get("led", ""))
        except ExportProblem as exc:
            problems.append(f"line {line}: {exc}")
            continue
        klass = row.get("class", "")
        if klass and entry.klass and fold(klass) != fold(entry.klass):
            notes.append(
                f"line {line}: the file says class {klass[:20]!r} for {entry.driver}; the entry "
                f"list says {entry.klass} (kept; /entry edit changes it)"
            )
        elif klass and entry.klass is None:
            notes.append(
                f"line {line}: the file says class {klass[:20]!r} for {entry.driver}; the entry "
                "list has none (not used; /entry edit sets it)"
            )
        rows.append(
            ImportedRow(
                line, entry, position, status, laps, time_ms, gap_ms, laps_down, best_ms, grid, led
            )
        )
    return rows, notes


def _who(row: dict[str, str], resolve: Callable[[str, str], Entry | str]) -> Entry:
    car = row.get("car", "")
    if car:
        whole_number(car, "car number", 0, MAX_CAR)
        found = resolve("car", str(int(car)))
    elif row.get("driver"):
        found = resolve("driver", row["driver"])
    else:
        raise ExportProblem("no car number or driver")
    if isinstance(found, str):
        raise ExportProblem(found)
    return found


_YES = frozenset({"yes", "y", "true", "x", "oui", "o"})
_NO = frozenset({"no", "n", "false", "non"})


def _led(text: str) -> bool | None:
    """Whether the car led a lap: yes/no, or a count of laps led; empty: unknown."""
    value = fold(text)
    if value in _NO_VALUE or not value:
        return None
    if value in _YES or value in _NO:
        return value in _YES
    laps = whole_number(value, "laps led", 0, MAX_LAPS)
    return None if laps is None else laps > 0


def _place(row: dict[str, str]) -> tuple[int | None, Status]:
    pos_text = row.get("position", "")
    status_text = fold(row.get("status", ""))
    if status_text not in STATUSES:
        raise ExportProblem(
            f"status must be DNF, DNS, DSQ, NC or empty (got {row['status'][:20]!r})"
        )
    status = Status(STATUSES[status_text])
    if status is not Status.CLASSIFIED:
        return None, status  # a status column wins over a position some exports still give
    if fold(pos_text) in STATUSES and fold(pos_text):
        named = Status(STATUSES[fold(pos_text)])
        if named is not Status.CLASSIFIED:
            return None, named
    try:
        position = whole_number(pos_text, "position", 1, MAX_ROWS)
    except ExportProblem:
        position = None
    if position is None:
        raise ExportProblem(
            f"position must be 1, 2, 3 … or DNF, DNS, DSQ, NC (got {pos_text[:20]!r})"
        )
    return position, Status.CLASSIFIED


def _time_and_gap(row: dict[str, str]) -> tuple[int | None, int | None, int | None]:
    """Total time, gap to the winner, laps down. Exports often put the gap in the time
    column for every car but the winner ("+1.234", "+1 Lap")."""
    time_text = row.get("time", "")
    gap_text = row.get("gap", "")
    if time_text.startswith("+") or _LAPS_DOWN.match(time_text):
        time_text, gap_text = "", gap_text or time_text
    time_ms = None if time_text in _NO_VALUE else duration_ms(time_text, "time", MAX_RACE_MS)
    if gap_text in _NO_VALUE:
        return time_ms, None, None
    m = _LAPS_DOWN.match(gap_text)
    if m:
        return time_ms, None, int(m.group(1))
    return time_ms, duration_ms(gap_text, "gap", MAX_RACE_MS), None


def _check_order(classified: list[ImportedRow], problems: list[str]) -> None:
    got = [r.position for r in classified]
    expected = list(range(1, len(classified) + 1))
    if got != expected:
        dupes = sorted({p for p in got if got.count(p) > 1 and p is not None})
        if dupes:
            problems.append(
                f"position {dupes[0]} appears more than once"
                if len(dupes) == 1
                else f"positions {', '.join(map(str, dupes))} appear more than once"
            )
        else:
            missing = sorted(set(expected) - set(got))
            problems.append(
                "classified positions must run 1, 2, 3 … without gaps"
                + (f" (missing {', '.join(map(str, missing[:5]))})" if missing else "")
            )
        return
    if not classified:
        problems.append("no classified car (a position 1 is needed)")
        return
    leader = classified[0]
    if leader.gap_ms or leader.laps_down:
        problems.append(f"line {leader.line}: the winner has a gap to himself")
    for ahead, car in itertools.pairwise(classified):
        a_laps, c_laps = _laps(ahead, leader), _laps(car, leader)
        if a_laps is not None and c_laps is not None and c_laps > a_laps:
            problems.append(
                f"line {car.line}: P{car.position} has {c_laps} laps, more than P{ahead.position} "
                f"({a_laps}): the order and the laps disagree"
            )
            continue
        if a_laps is not None and a_laps != c_laps:
            continue
        a_time, c_time = _elapsed(ahead, leader), _elapsed(car, leader)
        if a_time is not None and c_time is not None and c_time < a_time:
            problems.append(
                f"line {car.line}: P{car.position} is faster than P{ahead.position} on the same "
                "laps: the order and the times disagree"
            )


def _laps(r: ImportedRow, leader: ImportedRow) -> int | None:
    if r.laps is not None:
        return r.laps
    if r.laps_down is not None and leader.laps is not None:
        return leader.laps - r.laps_down
    return None


def _elapsed(r: ImportedRow, leader: ImportedRow) -> int | None:
    if r.time_ms is not None:
        return r.time_ms
    if r is leader:
        return 0 if leader.time_ms is None else leader.time_ms
    if r.gap_ms is not None:
        return (leader.time_ms or 0) + r.gap_ms
    return None


def _to_results(
    session_id: int, classified: list[ImportedRow], others: list[ImportedRow]
) -> tuple[list[Result], bool]:
    winner = classified[0]
    leader_laps = winner.laps
    leader_time = winner.time_ms
    results: list[Result] = []
    complete_times = leader_laps is not None and leader_time is not None
    for r in classified:
        laps, time_ms = r.laps, r.time_ms
        if laps is None and r.laps_down is not None and leader_laps is not None:
            laps = leader_laps - r.laps_down
        if time_ms is None and r.gap_ms is not None and leader_time is not None:
            time_ms = leader_time + r.gap_ms
        if laps is None and leader_laps is not None and time_ms is not None:
            laps = leader_laps
        if laps is not None and laps < 0:
            laps = None
        if laps is None or (time_ms is None and laps == leader_laps):
            complete_times = False
        results.append(
            Result(
                session_id=session_id,
                entry_id=r.entry.id,
                flag_position=r.position,
                status=Status.CLASSIFIED,
                laps=laps,
                time_ms=time_ms,
                grid=r.grid,
                best_lap_ms=r.best_lap_ms,
                led_lap=r.led,
                note="imported",
            )
        )
    results.extend(
        Result(
            session_id=session_id,
            entry_id=r.entry.id,
            status=r.status,
            laps=r.laps,
            grid=r.grid,
            best_lap_ms=r.best_lap_ms,
            led_lap=r.led,
            note="imported",
        )
        for r in others
    )
    return results, complete_times
