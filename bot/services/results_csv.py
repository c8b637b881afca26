"""Reading a race classification from a CSV file (``/result import``), with line numbers.

Columns (header row required, any order, case-insensitive):

* ``position`` — 1, 2, 3 … for classified cars, or a status: DNF, DNS, DSQ, NC
* ``car`` (car number) or ``driver`` (name) — who
* ``laps`` — laps completed
* ``time`` — total race time (``M:SS.mmm`` or ``H:MM:SS.mmm``), or
* ``gap`` — to the winner (``+1.234``), or ``+1 lap`` / ``+2 laps`` for lapped cars
* ``best_lap`` (optional), ``grid`` (optional)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.models import Entry, Result, Status
from bot.storage.seasonfiles import parse_duration_ms

MAX_BYTES = 200_000
MAX_ROWS = 200
_LAPS_DOWN = re.compile(r"^\+?\s*(\d+)\s*(?:l|lap|laps|tour|tours)$", re.I)


class CsvProblem(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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


def parse_classification(
    data: bytes, session_id: int, resolve: Callable[[str, str], Entry | str]
) -> tuple[list[Result], bool]:
    """Results for the session, and whether they make a complete classification.

    ``resolve(kind, value)`` returns the entry for a car number (kind "car") or a driver name
    (kind "driver"), or a message saying why not. Every problem is collected and raised
    together as :class:`CsvProblem`, each naming its line.
    """
    if len(data) > MAX_BYTES:
        raise CsvProblem([f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,}"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvProblem(["the file is not UTF-8 text (save it as CSV UTF-8)"]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    problems: list[str] = []
    if "position" not in header:
        problems.append("line 1: the header needs a 'position' column")
    if "car" not in header and "driver" not in header:
        problems.append("line 1: the header needs a 'car' or a 'driver' column")
    if problems:
        raise CsvProblem(problems)
    rows: list[ImportedRow] = []
    seen: dict[int, int] = {}
    for raw in reader:
        line = reader.line_num
        if len(rows) >= MAX_ROWS:
            problems.append(f"line {line}: more than {MAX_ROWS} rows")
            break
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        who_kind = "car" if row.get("car") else "driver"
        who = row.get(who_kind, "")
        if not who:
            problems.append(f"line {line}: no car number or driver")
            continue
        found = resolve(who_kind, who)
        if isinstance(found, str):
            problems.append(f"line {line}: {found}")
            continue
        if found.id in seen:
            problems.append(f"line {line}: {found.driver} is already on line {seen[found.id]}")
            continue
        seen[found.id] = line
        pos_text = row.get("position", "").upper()
        position: int | None = None
        status = Status.CLASSIFIED
        if pos_text.isdigit() and int(pos_text) > 0:
            position = int(pos_text)
        elif pos_text in ("DNF", "DNS", "DSQ", "NC"):
            status = Status(pos_text)
        else:
            problems.append(
                f"line {line}: position must be 1, 2, 3 … or DNF, DNS, DSQ, NC (got "
                f"{pos_text[:20]!r})"
            )
            continue
        try:
            laps = _int(row.get("laps", ""), "laps", 0)
            grid = _int(row.get("grid", ""), "grid", 1)
            time_ms = parse_duration_ms(row["time"]) if row.get("time") else None
            best = parse_duration_ms(row["best_lap"]) if row.get("best_lap") else None
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        gap = row.get("gap", "")
        gap_ms: int | None = None
        laps_down: int | None = None
        if gap:
            m = _LAPS_DOWN.match(gap)
            if m:
                laps_down = int(m.group(1))
            else:
                try:
                    gap_ms = parse_duration_ms(gap)
                except ValueError as exc:
                    problems.append(f"line {line}: gap: {exc}")
                    continue
        rows.append(
            ImportedRow(line, found, position, status, laps, time_ms, gap_ms, laps_down, best, grid)
        )
    classified = sorted((r for r in rows if r.position is not None), key=lambda r: r.position or 0)
    expected = list(range(1, len(classified) + 1))
    got = [r.position for r in classified]
    if got != expected:
        dupes = sorted({p for p in got if got.count(p) > 1 and p is not None})
        if dupes:
            problems.append(f"positions {', '.join(map(str, dupes))} appear more than once")
        else:
            missing = sorted(set(expected) - set(got))
            problems.append(
                "classified positions must run 1, 2, 3 … without gaps"
                + (f" (missing {', '.join(map(str, missing[:5]))})" if missing else "")
            )
    if not classified:
        problems.append("no classified car (a position 1 is needed)")
    if problems:
        raise CsvProblem(problems)
    return _to_results(session_id, classified, [r for r in rows if r.position is None])


def _int(text: str, name: str, minimum: int) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) < minimum:
        raise ValueError(f"{name} must be a whole number ≥ {minimum}, got {text[:20]!r}")
    return int(text)


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
            note="imported",
        )
        for r in others
    )
    return results, complete_times
