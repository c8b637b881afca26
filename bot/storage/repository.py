"""Every SQL statement of the championship data: seeding, loading, summaries.

Parameterised only. Functions take a :class:`Database` (reads) or a :class:`Transaction`
(writes) and return plain domain objects.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.domain.models import (
    Penalty,
    Result,
    Season,
)
from bot.storage import rows
from bot.storage.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class SeasonRef:
    id: int
    series_slug: str
    series_name: str
    year: int
    name: str
    status: str
    content_hash: str | None
    rounds: int = 0  # rounds on its calendar


# -- seeding ---------------------------------------------------------------------------------
async def find_season(db: Database | Transaction, series_slug: str, year: int) -> SeasonRef | None:
    row = await db.fetchone(
        "SELECT s.id, r.slug, r.name, s.year, s.name, s.status, s.content_hash "
        "FROM season s JOIN series r ON r.id = s.series_id WHERE r.slug = ? AND s.year = ?",
        (series_slug, year),
    )
    return _season_ref(row) if row else None


def _season_ref(row: sqlite3.Row) -> SeasonRef:
    return SeasonRef(
        id=row[0],
        series_slug=row[1],
        series_name=row[2],
        year=row[3],
        name=row[4],
        status=row[5],
        content_hash=row[6],
        rounds=row[7] if len(row) > 7 else 0,
    )


async def list_seasons(db: Database) -> list[SeasonRef]:
    rows = await db.fetchall(
        "SELECT s.id, r.slug, r.name, s.year, s.name, s.status, s.content_hash, "
        "(SELECT count(*) FROM round WHERE season_id = s.id) "
        "FROM season s JOIN series r ON r.id = s.series_id ORDER BY s.year, r.slug"
    )
    return [_season_ref(r) for r in rows]


async def insert_season(tx: Transaction, season: Season, content_hash: str) -> int:
    """Insert a whole season (provisional ids from the loader are mapped to new rows)."""
    series = await tx.fetchone("SELECT id FROM series WHERE slug = ?", (season.series_slug,))
    series_id = (
        series[0]
        if series
        else await tx.execute(
            "INSERT INTO series (slug, name) VALUES (?, ?)",
            (season.series_slug, season.series_name),
        )
    )
    season_id = await tx.execute(
        "INSERT INTO season (series_id, year, name, status, rules_json, notes_json, "
        "content_hash, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            series_id,
            season.year,
            season.name,
            season.status,
            rows.rules_json(season),
            json.dumps(dict(season.notes), ensure_ascii=False),
            content_hash,
            season.source,
        ),
    )
    round_ids: dict[int, int] = {}
    for r in season.rounds:
        round_ids[r.number] = await tx.execute(
            rows.insert_sql("round", rows.ROUND_COLUMNS), rows.round_values(r, season_id)
        )
    entry_ids: dict[int, int] = {}
    for e in season.entries:
        driver_id = await _upsert_named(tx, "driver", e.driver, e.nationality)
        team_id = await _upsert_named(tx, "team", e.team) if e.team else None
        entry_ids[e.id] = await tx.execute(
            rows.insert_sql("entry", rows.ENTRY_COLUMNS),
            rows.entry_values(e, season_id, driver_id, team_id),
        )
    session_ids: dict[int, int] = {}
    for s in season.sessions:
        session_ids[s.id] = await tx.execute(
            rows.insert_sql("session", rows.SESSION_COLUMNS),
            rows.session_values(s, round_ids[s.round_number], entry_ids),
        )
    await insert_results(
        tx,
        [
            replace(r, session_id=session_ids[r.session_id], entry_id=entry_ids[r.entry_id])
            for r in season.results
        ],
    )
    for p in season.penalties:
        await insert_penalty(tx, p, session_ids[p.session_id], entry_ids[p.entry_id])
    await tx.executemany(
        rows.insert_sql("qualifying_result", rows.QUALIFYING_COLUMNS),
        [
            rows.qualifying_values(
                replace(q, session_id=session_ids[q.session_id], entry_id=entry_ids[q.entry_id])
            )
            for q in season.qualifying
        ],
    )
    await tx.executemany(
        rows.insert_sql("outcome", rows.OUTCOME_COLUMNS),
        [rows.outcome_values(o, season_id) for o in season.outcomes],
    )
    await tx.executemany(
        rows.insert_sql("standings_note", rows.NOTE_COLUMNS),
        [rows.note_values(n, season_id) for n in season.standings_notes],
    )
    await tx.executemany(
        rows.insert_sql("season_fact", rows.FACT_COLUMNS),
        [rows.fact_values(f, season_id) for f in season.facts],
    )
    return season_id


async def insert_results(tx: Transaction, results: Iterable[Result]) -> None:
    await tx.executemany(
        rows.insert_sql("result", rows.RESULT_COLUMNS), [rows.result_values(r) for r in results]
    )


async def insert_penalty(
    tx: Transaction, p: Penalty, session_id: int, entry_id: int, *, penalty_id: int | None = None
) -> int:
    """Insert a penalty; ``penalty_id`` keeps a given id (an admin change, an undo)."""
    return await tx.execute(
        rows.insert_sql("penalty", rows.PENALTY_COLUMNS),
        rows.penalty_values(p, session_id, entry_id, penalty_id),
    )


async def _upsert_named(
    tx: Transaction, table: str, name: str, nationality: str | None = None
) -> int:
    if table == "driver":
        row = await tx.fetchone("SELECT id, nationality FROM driver WHERE name = ?", (name,))
        if row:
            if nationality and not row[1]:
                await tx.execute(
                    "UPDATE driver SET nationality = ? WHERE id = ?", (nationality, row[0])
                )
            return int(row[0])
        return await tx.execute(
            "INSERT INTO driver (name, nationality) VALUES (?, ?)", (name, nationality)
        )
    row = await tx.fetchone("SELECT id FROM team WHERE name = ?", (name,))
    if row:
        return int(row[0])
    return await tx.execute("INSERT INTO team (name) VALUES (?)", (name,))


# -- loading ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SeasonRows:
    """A season's rows as read, not yet models: reading needs the database, turning them into
    models does not (so that part can run in a worker thread, off the event loop)."""

    head: sqlite3.Row
    rounds: list[sqlite3.Row]
    sessions: list[sqlite3.Row]
    entries: list[sqlite3.Row]
    results: list[sqlite3.Row]
    penalties: list[sqlite3.Row]
    outcomes: list[sqlite3.Row]
    notes: list[sqlite3.Row]
    facts: list[sqlite3.Row]
    qualifying: list[sqlite3.Row]


async def load_season(db: Database | Transaction, season_id: int) -> Season:
    return season_from_rows(await read_season(db, season_id))


async def read_season(db: Database | Transaction, season_id: int) -> SeasonRows:
    head = await db.fetchone(
        "SELECT s.id, r.slug, r.name, s.year, s.name, s.status, s.rules_json, s.notes_json, "
        "s.source FROM season s JOIN series r ON r.id = s.series_id WHERE s.id = ?",
        (season_id,),
    )
    if head is None:
        raise LookupError(f"no season with id {season_id}")
    in_season = (season_id,)
    return SeasonRows(
        head=head,
        rounds=await db.fetchall(
            "SELECT * FROM round WHERE season_id = ? ORDER BY number", in_season
        ),
        sessions=await db.fetchall(
            "SELECT s.*, r.number FROM session s JOIN round r ON r.id = s.round_id "
            "WHERE r.season_id = ? ORDER BY r.number, s.code",
            in_season,
        ),
        entries=await db.fetchall(
            "SELECT e.*, d.name AS driver, d.nationality, t.name AS team FROM entry e "
            "JOIN driver d ON d.id = e.driver_id LEFT JOIN team t ON t.id = e.team_id "
            "WHERE e.season_id = ? ORDER BY e.id",
            in_season,
        ),
        results=await db.fetchall(
            "SELECT x.* FROM result x JOIN session s ON s.id = x.session_id "
            "JOIN round r ON r.id = s.round_id WHERE r.season_id = ? ORDER BY x.id",
            in_season,
        ),
        penalties=await db.fetchall(
            "SELECT p.* FROM penalty p JOIN session s ON s.id = p.session_id "
            "JOIN round r ON r.id = s.round_id WHERE r.season_id = ? ORDER BY p.id",
            in_season,
        ),
        outcomes=await db.fetchall(
            "SELECT * FROM outcome WHERE season_id = ? ORDER BY championship, position",
            in_season,
        ),
        notes=await db.fetchall(
            "SELECT * FROM standings_note WHERE season_id = ? ORDER BY after_round, id",
            in_season,
        ),
        facts=await db.fetchall(
            "SELECT * FROM season_fact WHERE season_id = ? ORDER BY id", in_season
        ),
        qualifying=await db.fetchall(  # in QualifyingPlace.order_key order
            "SELECT q.* FROM qualifying_result q JOIN session s ON s.id = q.race_session_id "
            "JOIN round r ON r.id = s.round_id WHERE r.season_id = ? "
            "ORDER BY q.race_session_id, q.position IS NULL, q.position, q.entry_id",
            in_season,
        ),
    )


def season_from_rows(read: SeasonRows) -> Season:
    """The season's models from its rows (pure: no database, safe in a worker thread)."""
    head = read.head
    scoring, championships = rows.rules_from_json(head[6])
    return Season(
        id=head[0],
        series_slug=head[1],
        series_name=head[2],
        year=head[3],
        name=head[4],
        status=head[5],
        scoring=scoring,
        championships=championships,
        rounds=tuple(rows.round_from(r) for r in read.rounds),
        sessions=tuple(rows.session_from(s) for s in read.sessions),
        entries=tuple(rows.entry_from(e) for e in read.entries),
        results=tuple(rows.result_from(r) for r in read.results),
        penalties=tuple(rows.penalty_from(p) for p in read.penalties),
        outcomes=tuple(rows.outcome_from(o) for o in read.outcomes),
        standings_notes=tuple(rows.note_from(n) for n in read.notes),
        facts=tuple(rows.fact_from(f) for f in read.facts),
        qualifying=tuple(rows.qualifying_from(q) for q in read.qualifying),
        notes=tuple(json.loads(head[7]).items()),
        source=head[8],
    )


# -- summaries -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SeasonSummary:
    ref: SeasonRef
    rounds: int
    races: int
    races_complete: int
    entries: int
    guests: int
    results: int
    results_positioned: int
    penalties: int
    penalties_revoked: int
    poles_known: int
    fastest_laps_known: int
    outcomes: int


async def summarise(db: Database) -> list[SeasonSummary]:
    out: list[SeasonSummary] = []
    for ref in await list_seasons(db):
        row = await db.fetchone(
            """
            SELECT
              (SELECT count(*) FROM round WHERE season_id = ?1),
              (SELECT count(*) FROM session x JOIN round r ON r.id = x.round_id
                 WHERE r.season_id = ?1 AND x.code <> 'Q'),
              (SELECT count(*) FROM session x JOIN round r ON r.id = x.round_id
                 WHERE r.season_id = ?1 AND x.code <> 'Q' AND x.complete = 1),
              (SELECT count(*) FROM entry WHERE season_id = ?1),
              (SELECT count(*) FROM entry WHERE season_id = ?1 AND guest = 1),
              (SELECT count(*) FROM result x JOIN session y ON y.id = x.session_id
                 JOIN round r ON r.id = y.round_id WHERE r.season_id = ?1),
              (SELECT count(*) FROM result x JOIN session y ON y.id = x.session_id
                 JOIN round r ON r.id = y.round_id WHERE r.season_id = ?1
                 AND x.position IS NOT NULL),
              (SELECT count(*) FROM penalty x JOIN session y ON y.id = x.session_id
                 JOIN round r ON r.id = y.round_id WHERE r.season_id = ?1),
              (SELECT count(*) FROM penalty x JOIN session y ON y.id = x.session_id
                 JOIN round r ON r.id = y.round_id WHERE r.season_id = ?1
                 AND (x.revoked_at IS NOT NULL OR x.revoke_reason IS NOT NULL)),
              (SELECT count(*) FROM session x JOIN round r ON r.id = x.round_id
                 WHERE r.season_id = ?1 AND x.pole_entry_id IS NOT NULL),
              (SELECT count(*) FROM session x JOIN round r ON r.id = x.round_id
                 WHERE r.season_id = ?1 AND x.fastest_lap_entry_id IS NOT NULL),
              (SELECT count(*) FROM outcome WHERE season_id = ?1)
            """,
            (ref.id,),
        )
        assert row is not None
        out.append(SeasonSummary(ref, *(int(v) for v in row)))
    return out
