"""SQL of admin changes: penalties, results, entries, session status, audit.

Every function takes the open :class:`Transaction` of the change, so a change and its audit row
commit together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.domain.models import Entry, Penalty, Result
from bot.storage.database import Database, Transaction
from bot.storage.repository import insert_penalty, insert_results

#: What an audited change can touch (a stored target is ``kind:id``, several space-separated).
TARGET_KINDS = frozenset(
    ("penalty", "session", "entry", "driver", "round", "session-code", "pole", "fastest-lap",
     "season", "audit")
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Target:
    """One thing an audited change touches: ``Target("penalty", 12)``, stored ``penalty:12``.

    Two changes with a target in common cannot be undone out of order."""

    kind: str
    id: int | str  # a number, or a name ("driver:anna berg") or a pair ("round:3:2")

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


def targets_text(targets: Iterable[Target]) -> str:
    return " ".join(str(t) for t in targets)


def parse_targets(text: str) -> tuple[Target, ...]:
    """The stored form back into targets. A driver's name may hold spaces: a word that does
    not start with a known kind belongs to the target before it."""
    out: list[Target] = []
    for word in text.split():
        kind, sep, rest = word.partition(":")
        if sep and kind in TARGET_KINDS:
            out.append(Target(kind, int(rest) if rest.isascii() and rest.isdigit() else rest))
        elif out:
            out[-1] = Target(out[-1].kind, f"{out[-1].id} {word}")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: str
    actor_id: int | None
    actor_name: str
    action: str
    season_id: int | None
    targets: tuple[Target, ...]
    before: Any
    after: Any
    undone_by: int | None


# -- penalties -------------------------------------------------------------------------------
async def revoke_penalty(
    tx: Transaction, penalty_id: int, at: str | None, by: str | None, reason: str | None
) -> None:
    await tx.execute(
        "UPDATE penalty SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?",
        (at, by, reason, penalty_id),
    )


async def next_penalty_id(tx: Transaction) -> int:
    row = await tx.fetchone("SELECT coalesce(max(id), 0) + 1 FROM penalty")
    return int(row[0]) if row else 1


async def season_of_penalty(db: Database | Transaction, penalty_id: int) -> int | None:
    row = await db.fetchone(
        "SELECT r.season_id FROM penalty p JOIN session s ON s.id = p.session_id "
        "JOIN round r ON r.id = s.round_id WHERE p.id = ?",
        (penalty_id,),
    )
    return int(row[0]) if row else None


async def delete_penalty(tx: Transaction, penalty_id: int) -> None:
    await tx.execute("DELETE FROM penalty WHERE id = ?", (penalty_id,))


async def restore_penalty(tx: Transaction, p: Penalty) -> None:
    """Insert a penalty with its own id (a new admin penalty, or the undo of a removal)."""
    await insert_penalty(tx, p, p.session_id, p.entry_id, penalty_id=p.id)


# -- results ---------------------------------------------------------------------------------
async def replace_results(
    tx: Transaction, session_id: int, results: Sequence[Result], complete: bool
) -> None:
    await tx.execute("DELETE FROM result WHERE session_id = ?", (session_id,))
    await insert_results(tx, [replace(r, session_id=session_id) for r in results])
    await tx.execute("UPDATE session SET complete = ? WHERE id = ?", (int(complete), session_id))


async def set_session_final(tx: Transaction, session_id: int, final: bool) -> None:
    await tx.execute("UPDATE session SET final = ? WHERE id = ?", (int(final), session_id))


async def set_session_reduced(tx: Transaction, session_id: int, reduced: bool) -> None:
    """Flag a race as stopped early: it scores the season's reduced-points fraction."""
    await tx.execute("UPDATE session SET reduced = ? WHERE id = ?", (int(reduced), session_id))


async def set_session_fastest_lap(
    tx: Transaction, session_id: int, entry_id: int | None, lap_ms: int | None
) -> None:
    await tx.execute(
        "UPDATE session SET fastest_lap_entry_id = ?, fastest_lap_ms = ? WHERE id = ?",
        (entry_id, lap_ms, session_id),
    )


# -- entries ---------------------------------------------------------------------------------
async def driver_id_for(tx: Transaction, name: str) -> int:
    row = await tx.fetchone("SELECT id FROM driver WHERE name = ?", (name,))
    if row:
        return int(row[0])
    return await tx.execute("INSERT INTO driver (name) VALUES (?)", (name,))


async def team_id_for(tx: Transaction, name: str | None) -> int | None:
    if not name:
        return None
    row = await tx.fetchone("SELECT id FROM team WHERE name = ?", (name,))
    if row:
        return int(row[0])
    return await tx.execute("INSERT INTO team (name) VALUES (?)", (name,))


async def insert_entry(tx: Transaction, season_id: int, e: Entry) -> int:
    driver_id = await driver_id_for(tx, e.driver)
    team_id = await team_id_for(tx, e.team)
    return await tx.execute(
        "INSERT INTO entry (season_id, driver_id, team_id, car_number, class, rookie, junior, "
        "guest, note, source, rounds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            season_id,
            driver_id,
            team_id,
            e.car_number,
            e.klass,
            e.rookie,
            e.junior,
            int(e.guest),
            e.note,
            e.source,
            ";".join(str(n) for n in sorted(e.rounds)) if e.rounds is not None else None,
        ),
    )


async def update_entry(tx: Transaction, e: Entry) -> None:
    team_id = await team_id_for(tx, e.team)
    await tx.execute(
        "UPDATE entry SET team_id = ?, car_number = ?, class = ?, rookie = ?, junior = ?, "
        "guest = ? WHERE id = ?",
        (team_id, e.car_number, e.klass, e.rookie, e.junior, int(e.guest), e.id),
    )


async def delete_entry(tx: Transaction, entry_id: int) -> None:
    await tx.execute("DELETE FROM entry WHERE id = ?", (entry_id,))


# -- audit -----------------------------------------------------------------------------------
async def insert_audit(
    tx: Transaction,
    *,
    actor_id: int | None,
    actor_name: str,
    action: str,
    season_id: int | None,
    targets: Iterable[Target],
    before: Any,
    after: Any,
) -> int:
    return await tx.execute(
        "INSERT INTO audit_log (actor_id, actor_name, action, season_id, target, before_json, "
        "after_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            actor_id,
            actor_name,
            action,
            season_id,
            targets_text(targets),
            json.dumps(before, ensure_ascii=False),
            json.dumps(after, ensure_ascii=False),
        ),
    )


async def mark_undone(tx: Transaction, audit_id: int, by_audit_id: int) -> bool:
    """Record that ``by_audit_id`` undid ``audit_id``; False (nothing written) when the row
    was already undone, or is not there."""
    marked = await tx.fetchone(
        "UPDATE audit_log SET undone_by = ? WHERE id = ? AND undone_by IS NULL RETURNING id",
        (by_audit_id, audit_id),
    )
    return marked is not None


def _audit(row: Any) -> AuditRow:
    return AuditRow(
        id=row["id"],
        at=row["at"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        action=row["action"],
        season_id=row["season_id"],
        targets=parse_targets(row["target"]),
        before=json.loads(row["before_json"]) if row["before_json"] else None,
        after=json.loads(row["after_json"]) if row["after_json"] else None,
        undone_by=row["undone_by"],
    )


async def list_audit(db: Database | Transaction, limit: int) -> list[AuditRow]:
    rows = await db.fetchall("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
    return [_audit(r) for r in rows]


async def get_audit(db: Database | Transaction, audit_id: int) -> AuditRow | None:
    row = await db.fetchone("SELECT * FROM audit_log WHERE id = ?", (audit_id,))
    return _audit(row) if row else None


async def later_audit(db: Database | Transaction, audit_id: int) -> list[AuditRow]:
    rows = await db.fetchall(
        "SELECT * FROM audit_log WHERE id > ? AND undone_by IS NULL ORDER BY id", (audit_id,)
    )
    return [_audit(r) for r in rows]
