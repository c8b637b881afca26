"""SQL of the season-running changes: seasons, rounds, sessions, poles, qualifying, entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.domain.models import Round, Session
from bot.storage import rows
from bot.storage.database import Database, Transaction


# -- seasons ---------------------------------------------------------------------------------
async def series_id(tx: Transaction, slug: str, name: str) -> int:
    row = await tx.fetchone("SELECT id FROM series WHERE slug = ?", (slug,))
    if row:
        return int(row[0])
    return await tx.execute("INSERT INTO series (slug, name) VALUES (?, ?)", (slug, name))


async def season_exists(tx: Transaction, series: int, year: int) -> bool:
    row = await tx.fetchone("SELECT 1 FROM season WHERE series_id = ? AND year = ?", (series, year))
    return row is not None


async def insert_empty_season(
    tx: Transaction, series: int, year: int, name: str, rules_json: str, source: str
) -> int:
    """A season with its rules and championships (copied as stored) and nothing else."""
    return await tx.execute(
        "INSERT INTO season (series_id, year, name, status, rules_json, notes_json, source) "
        "VALUES (?, ?, ?, 'provisional', ?, '{}', ?)",
        (series, year, name, rules_json, source),
    )


async def rules_json(db: Database | Transaction, season_id: int) -> str | None:
    row = await db.fetchone("SELECT rules_json FROM season WHERE id = ?", (season_id,))
    return str(row[0]) if row else None


async def delete_season(tx: Transaction, season_id: int) -> None:
    await tx.execute("DELETE FROM season WHERE id = ?", (season_id,))


async def set_season_status(tx: Transaction, season_id: int, status: str) -> None:
    await tx.execute("UPDATE season SET status = ? WHERE id = ?", (status, season_id))


async def series_rounds(db: Database, series_slug: str) -> list[Any]:
    """Every round the series has run, newest season first (circuits and their aliases)."""
    return await db.fetchall(
        "SELECT r.slug, r.circuit, r.town, r.country, r.aliases, r.timezone FROM round r "
        "JOIN season s ON s.id = r.season_id JOIN series x ON x.id = s.series_id "
        "WHERE x.slug = ? ORDER BY s.year DESC, r.number",
        (series_slug,),
    )


# -- rounds and sessions ---------------------------------------------------------------------
def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


async def insert_round(tx: Transaction, season_id: int, r: Round) -> int:
    return await tx.execute(
        "INSERT INTO round (season_id, number, slug, circuit, town, country, start_date, "
        "end_date, aliases, note, source, status, timezone) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            season_id,
            r.number,
            r.slug,
            r.circuit,
            r.town,
            r.country,
            _iso(r.start_date),
            _iso(r.end_date),
            ";".join(r.aliases),
            r.note,
            r.source,
            r.status,
            r.timezone,
        ),
    )


async def update_round(tx: Transaction, round_id: int, r: Round) -> None:
    await tx.execute(
        "UPDATE round SET start_date = ?, end_date = ?, status = ?, note = ? WHERE id = ?",
        (_iso(r.start_date), _iso(r.end_date), r.status, r.note, round_id),
    )


async def delete_round(tx: Transaction, round_id: int) -> None:
    await tx.execute("DELETE FROM round WHERE id = ?", (round_id,))


async def round_id(tx: Transaction, season_id: int, number: int) -> int:
    row = await tx.fetchone(
        "SELECT id FROM round WHERE season_id = ? AND number = ?", (season_id, number)
    )
    if row is None:
        raise LookupError(f"round {number} is gone")
    return int(row[0])


async def insert_session(tx: Transaction, round_row: int, s: Session) -> int:
    return await tx.execute(
        "INSERT INTO session (round_id, code, date, start_time, final, complete) "
        "VALUES (?, ?, ?, ?, 0, 0)",
        (round_row, s.code, _iso(s.date), s.start_time),
    )


async def restore_session(tx: Transaction, round_row: int, s: Session) -> int:
    """A session a cancelled round removed, put back as it was (an undo): every column."""
    ids = {i: i for i in (s.pole_entry_id, s.fastest_lap_entry_id) if i}
    values = rows.session_values(s, round_row, ids)
    return await tx.execute(rows.insert_sql("session", rows.SESSION_COLUMNS), values)


async def update_session_time(tx: Transaction, session_id: int, s: Session) -> None:
    await tx.execute(
        "UPDATE session SET date = ?, start_time = ? WHERE id = ?",
        (_iso(s.date), s.start_time, session_id),
    )


async def delete_session(tx: Transaction, session_id: int) -> None:
    await tx.execute("DELETE FROM session WHERE id = ?", (session_id,))


async def set_pole(
    tx: Transaction,
    session_id: int,
    entry_id: int | None,
    time_ms: int | None,
    certainty: str | None = "confirmed",
) -> None:
    """A race's pole; ``certainty`` how sure it is (an admin's pole is confirmed; an undo
    puts back the certainty the pole had)."""
    await tx.execute(
        "UPDATE session SET pole_entry_id = ?, pole_time_ms = ?, pole_certainty = ? WHERE id = ?",
        (entry_id, time_ms, certainty if entry_id else None, session_id),
    )


async def set_fastest_lap(
    tx: Transaction, session_id: int, entry_id: int | None, lap_ms: int | None
) -> None:
    await tx.execute(
        "UPDATE session SET fastest_lap_entry_id = ?, fastest_lap_ms = ? WHERE id = ?",
        (entry_id, lap_ms, session_id),
    )


# -- qualifying (the classification that sets a race's grid) ----------------------------------
async def replace_qualifying(
    tx: Transaction, race_session_id: int, rows: Sequence[tuple[int, int | None, str, int | None]]
) -> None:
    await tx.execute("DELETE FROM qualifying_result WHERE race_session_id = ?", (race_session_id,))
    await tx.executemany(
        "INSERT INTO qualifying_result (race_session_id, entry_id, position, status, "
        "best_lap_ms) VALUES (?, ?, ?, ?, ?)",
        [(race_session_id, *row) for row in rows],
    )


async def set_grid(tx: Transaction, race_session_id: int, grid: dict[int, int | None]) -> None:
    await tx.executemany(
        "UPDATE result SET grid = ? WHERE session_id = ? AND entry_id = ?",
        [(g, race_session_id, entry_id) for entry_id, g in grid.items()],
    )


# -- entries ---------------------------------------------------------------------------------
async def set_entry_rounds(tx: Transaction, entry_id: int, rounds: frozenset[int] | None) -> None:
    await tx.execute(
        "UPDATE entry SET rounds = ? WHERE id = ?",
        (";".join(str(n) for n in sorted(rounds)) if rounds is not None else None, entry_id),
    )
