"""Every SQL statement of the championship data: seeding, loading, summaries.

Parameterised only. Functions take a :class:`Database` (reads) or a :class:`Transaction`
(writes) and return plain domain objects.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from bot.domain.models import (
    Certainty,
    Championship,
    Eligibility,
    Entry,
    Outcome,
    Penalty,
    PenaltyType,
    RankBasis,
    Result,
    Round,
    ScoringRules,
    Season,
    SeasonFact,
    Session,
    SessionKind,
    StandingsNote,
    Status,
)
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
def _rules_json(season: Season) -> str:
    return json.dumps(
        {
            "scoring": {**asdict(season.scoring), "scale": list(season.scoring.scale)},
            "championships": [
                {
                    **asdict(c),
                    "eligible": asdict(c.eligible),
                    "aliases": list(c.aliases),
                }
                for c in season.championships
            ],
        },
        ensure_ascii=False,
    )


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
            _rules_json(season),
            json.dumps(dict(season.notes), ensure_ascii=False),
            content_hash,
            season.source,
        ),
    )
    round_ids: dict[int, int] = {}
    for r in season.rounds:
        round_ids[r.number] = await tx.execute(
            "INSERT INTO round (season_id, number, slug, circuit, town, country, start_date, "
            "end_date, aliases, note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            ),
        )
    entry_ids: dict[int, int] = {}
    for e in season.entries:
        driver_id = await _upsert_named(tx, "driver", e.driver, e.nationality)
        team_id = await _upsert_named(tx, "team", e.team) if e.team else None
        entry_ids[e.id] = await tx.execute(
            "INSERT INTO entry (season_id, driver_id, team_id, car_number, class, rookie, "
            "junior, guest, rounds, certainty, note, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                season_id,
                driver_id,
                team_id,
                e.car_number,
                e.klass,
                e.rookie,
                e.junior,
                int(e.guest),
                ";".join(str(n) for n in sorted(e.rounds)) if e.rounds is not None else None,
                e.certainty.value,
                e.note,
                e.source,
            ),
        )
    session_ids: dict[int, int] = {}
    for s in season.sessions:
        session_ids[s.id] = await tx.execute(
            "INSERT INTO session (round_id, code, date, start_time, final, complete, "
            "shared_with, pole_entry_id, pole_time_ms, pole_certainty, fastest_lap_entry_id, "
            "fastest_lap_ms, note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                round_ids[s.round_number],
                s.code,
                _iso(s.date),
                s.start_time,
                int(s.final),
                int(s.complete),
                s.shared_with,
                entry_ids.get(s.pole_entry_id or 0),
                s.pole_time_ms,
                s.pole_certainty.value if s.pole_certainty else None,
                entry_ids.get(s.fastest_lap_entry_id or 0),
                s.fastest_lap_ms,
                s.note,
                s.source,
            ),
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
        "INSERT INTO outcome (season_id, championship, position, name, margin_points, "
        "certainty, note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                season_id,
                o.championship,
                o.position,
                o.name,
                o.margin_points,
                o.certainty.value,
                o.note,
                o.source,
            )
            for o in season.outcomes
        ],
    )
    await tx.executemany(
        "INSERT INTO standings_note (season_id, championship, after_round, after_session, "
        "text, certainty, source, leader, rival, gap_points) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                season_id,
                n.championship,
                n.after_round,
                n.after_session,
                n.text,
                n.certainty.value,
                n.source,
                n.leader,
                n.rival,
                n.gap_points,
            )
            for n in season.standings_notes
        ],
    )
    await tx.executemany(
        "INSERT INTO season_fact (season_id, driver, what, count, championship, text, "
        "certainty, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                season_id,
                f.driver,
                f.what,
                f.count,
                f.championship,
                f.text,
                f.certainty.value,
                f.source,
            )
            for f in season.facts
        ],
    )
    return season_id


async def insert_results(tx: Transaction, results: Iterable[Result]) -> None:
    await tx.executemany(
        "INSERT INTO result (session_id, entry_id, position, flag_position, status, laps, "
        "time_ms, gap_ms, grid, best_lap_ms, class_position, rookie_position, series_position, "
        "certainty, note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.session_id,
                r.entry_id,
                r.position,
                r.flag_position,
                r.status.value if r.status else None,
                r.laps,
                r.time_ms,
                r.gap_ms,
                r.grid,
                r.best_lap_ms,
                r.class_position,
                r.rookie_position,
                r.series_position,
                r.certainty.value,
                r.note,
                r.source,
            )
            for r in results
        ],
    )


async def insert_penalty(
    tx: Transaction, p: Penalty, session_id: int, entry_id: int, *, penalty_id: int | None = None
) -> int:
    """Insert a penalty; ``penalty_id`` keeps a given id (an admin change, an undo)."""
    return await tx.execute(
        "INSERT INTO penalty (id, session_id, entry_id, type, value, reason, effect, decided_at, "
        "decided_by, revoked_at, revoked_by, revoke_reason, certainty, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            penalty_id,
            session_id,
            entry_id,
            p.type.value,
            p.value,
            p.reason,
            p.effect,
            p.decided_at,
            p.decided_by,
            p.revoked_at,
            p.revoked_by,
            p.revoke_reason,
            p.certainty.value,
            p.source,
        ),
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


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


# -- loading ---------------------------------------------------------------------------------
async def load_season(db: Database | Transaction, season_id: int) -> Season:
    head = await db.fetchone(
        "SELECT s.id, r.slug, r.name, s.year, s.name, s.status, s.rules_json, s.notes_json, "
        "s.source FROM season s JOIN series r ON r.id = s.series_id WHERE s.id = ?",
        (season_id,),
    )
    if head is None:
        raise LookupError(f"no season with id {season_id}")
    rules = json.loads(head[6])
    sc = rules["scoring"]
    scoring = ScoringRules(
        scale=tuple(sc["scale"]),
        pole_bonus=sc["pole_bonus"],
        fastest_lap_bonus=sc["fastest_lap_bonus"],
        certainty=Certainty(sc["certainty"]),
        note=sc["note"],
        tie_break=sc["tie_break"],
    )
    championships = tuple(
        Championship(
            slug=c["slug"],
            name=c["name"],
            kind=c["kind"],
            rank=RankBasis(c["rank"]),
            eligible=Eligibility(**c["eligible"]),
            bonuses=c["bonuses"],
            points_from=c["points_from"],
            counting_cars=c["counting_cars"],
            aliases=tuple(c["aliases"]),
            note=c["note"],
        )
        for c in rules["championships"]
    )
    rounds = tuple(
        Round(
            id=r["id"],
            number=r["number"],
            slug=r["slug"],
            circuit=r["circuit"],
            town=r["town"],
            country=r["country"],
            start_date=_date(r["start_date"]),
            end_date=_date(r["end_date"]),
            aliases=tuple(a for a in r["aliases"].split(";") if a),
            note=r["note"],
            source=r["source"],
            status=r["status"],
            timezone=r["timezone"],
        )
        for r in await db.fetchall(
            "SELECT * FROM round WHERE season_id = ? ORDER BY number", (season_id,)
        )
    )
    sessions = tuple(
        Session(
            id=s["id"],
            round_number=s["number"],
            code=s["code"],
            kind=SessionKind.QUALIFYING if s["code"] == "Q" else SessionKind.RACE,
            date=_date(s["date"]),
            final=bool(s["final"]),
            complete=bool(s["complete"]),
            pole_entry_id=s["pole_entry_id"],
            pole_time_ms=s["pole_time_ms"],
            pole_certainty=Certainty(s["pole_certainty"]) if s["pole_certainty"] else None,
            fastest_lap_entry_id=s["fastest_lap_entry_id"],
            fastest_lap_ms=s["fastest_lap_ms"],
            start_time=s["start_time"],
            shared_with=s["shared_with"],
            note=s["note"],
            source=s["source"],
        )
        for s in await db.fetchall(
            "SELECT s.*, r.number FROM session s JOIN round r ON r.id = s.round_id "
            "WHERE r.season_id = ? ORDER BY r.number, s.code",
            (season_id,),
        )
    )
    entries = tuple(
        Entry(
            id=e["id"],
            driver_id=e["driver_id"],
            driver=e["driver"],
            team_id=e["team_id"],
            team=e["team"],
            car_number=e["car_number"],
            nationality=e["nationality"],
            klass=e["class"],
            rookie=_bool(e["rookie"]),
            junior=_bool(e["junior"]),
            guest=bool(e["guest"]),
            rounds=frozenset(int(x) for x in e["rounds"].split(";")) if e["rounds"] else None,
            certainty=Certainty(e["certainty"]),
            note=e["note"],
            source=e["source"],
        )
        for e in await db.fetchall(
            "SELECT e.*, d.name AS driver, d.nationality, t.name AS team FROM entry e "
            "JOIN driver d ON d.id = e.driver_id LEFT JOIN team t ON t.id = e.team_id "
            "WHERE e.season_id = ? ORDER BY e.id",
            (season_id,),
        )
    )
    results = tuple(
        Result(
            session_id=r["session_id"],
            entry_id=r["entry_id"],
            position=r["position"],
            flag_position=r["flag_position"],
            status=Status(r["status"]) if r["status"] else None,
            laps=r["laps"],
            time_ms=r["time_ms"],
            gap_ms=r["gap_ms"],
            grid=r["grid"],
            best_lap_ms=r["best_lap_ms"],
            class_position=r["class_position"],
            rookie_position=r["rookie_position"],
            series_position=r["series_position"],
            certainty=Certainty(r["certainty"]),
            note=r["note"],
            source=r["source"],
        )
        for r in await db.fetchall(
            "SELECT x.* FROM result x JOIN session s ON s.id = x.session_id "
            "JOIN round r ON r.id = s.round_id WHERE r.season_id = ? ORDER BY x.id",
            (season_id,),
        )
    )
    penalties = tuple(
        _penalty(p)
        for p in await db.fetchall(
            "SELECT p.* FROM penalty p JOIN session s ON s.id = p.session_id "
            "JOIN round r ON r.id = s.round_id WHERE r.season_id = ? ORDER BY p.id",
            (season_id,),
        )
    )
    outcomes = tuple(
        Outcome(
            championship=o["championship"],
            position=o["position"],
            name=o["name"],
            margin_points=o["margin_points"],
            certainty=Certainty(o["certainty"]),
            note=o["note"],
            source=o["source"],
        )
        for o in await db.fetchall(
            "SELECT * FROM outcome WHERE season_id = ? ORDER BY championship, position",
            (season_id,),
        )
    )
    notes = tuple(
        StandingsNote(
            championship=n["championship"],
            after_round=n["after_round"],
            after_session=n["after_session"],
            text=n["text"],
            certainty=Certainty(n["certainty"]),
            source=n["source"],
            leader=n["leader"],
            rival=n["rival"],
            gap_points=n["gap_points"],
        )
        for n in await db.fetchall(
            "SELECT * FROM standings_note WHERE season_id = ? ORDER BY after_round, id",
            (season_id,),
        )
    )
    facts = tuple(
        SeasonFact(
            driver=f["driver"],
            what=f["what"],
            count=f["count"],
            championship=f["championship"],
            text=f["text"],
            certainty=Certainty(f["certainty"]),
            source=f["source"],
        )
        for f in await db.fetchall(
            "SELECT * FROM season_fact WHERE season_id = ? ORDER BY id", (season_id,)
        )
    )
    return Season(
        id=head[0],
        series_slug=head[1],
        series_name=head[2],
        year=head[3],
        name=head[4],
        status=head[5],
        scoring=scoring,
        championships=championships,
        rounds=rounds,
        sessions=sessions,
        entries=entries,
        results=results,
        penalties=penalties,
        outcomes=outcomes,
        standings_notes=notes,
        notes=tuple(json.loads(head[7]).items()),
        source=head[8],
        facts=facts,
    )


def _penalty(p: sqlite3.Row) -> Penalty:
    return Penalty(
        id=p["id"],
        session_id=p["session_id"],
        entry_id=p["entry_id"],
        type=PenaltyType(p["type"]),
        value=p["value"],
        reason=p["reason"],
        effect=p["effect"],
        decided_at=p["decided_at"],
        decided_by=p["decided_by"],
        revoked_at=p["revoked_at"],
        revoked_by=p["revoked_by"],
        revoke_reason=p["revoke_reason"],
        certainty=Certainty(p["certainty"]),
        source=p["source"],
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
