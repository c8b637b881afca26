"""One aiosqlite connection per process: WAL, foreign keys, a single writer.

Readers never block (WAL); every write runs in ``BEGIN IMMEDIATE`` under an asyncio lock, so a
change and its audit row commit together or not at all.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

# Long enough to ride out another writer's short transaction, short enough that an admin's
# button press is still answered within Discord's 3 s when the database stays locked.
BUSY_TIMEOUT_MS = 1_500


class StorageError(Exception):
    """A storage problem with a message fit for an operator (never a raw traceback)."""


class DatabaseTooNew(StorageError):
    pass


class DatabaseBusy(StorageError):
    """Another process holds the write lock: the caller should say "try again"."""


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) for every bundled migration, in order."""
    found: list[tuple[int, str, str]] = []
    folder = resources.files("bot.storage") / "migrations"
    for item in folder.iterdir():
        name = item.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, item.read_text(encoding="utf-8")))
    found.sort()
    for expected, (number, name, _) in enumerate(found, start=1):
        if number != expected:
            raise StorageError(f"migration numbering has a gap at {name}")
    return found


def schema_version() -> int:
    return len(migrations())


class Database:
    def __init__(self, path: Path, conn: aiosqlite.Connection) -> None:
        self.path = path
        self._conn = conn
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str, *, migrate: bool = True) -> Database:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        db = cls(path, conn)
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await db.check_version()
            if migrate:
                await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self._conn.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- schema -----------------------------------------------------------------------------
    async def user_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def check_version(self) -> None:
        current, known = await self.user_version(), schema_version()
        if current > known:
            raise DatabaseTooNew(
                f"{self.path.name} is at schema version {current}, but this Parc Fermé only "
                f"knows up to {known}: upgrade Parc Fermé, or use a backup made by this version."
            )

    async def migrate(self) -> list[str]:
        """Apply every migration above ``PRAGMA user_version``, each in its own transaction."""
        applied: list[str] = []
        async with self._write_lock:
            for number, name, sql in migrations():
                if number <= await self.user_version():
                    continue
                # A migration that rebuilds a table says so on its first line: foreign keys
                # are off meanwhile (SQLite's way), and every reference is checked at the end.
                rebuild = sql.lstrip().startswith("-- rebuild")
                if rebuild:
                    await self._conn.execute("PRAGMA foreign_keys = OFF")
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _split_sql(sql):
                        await self._conn.execute(statement)
                    if rebuild and await self.fetchall("PRAGMA foreign_key_check"):
                        raise StorageError(f"{name} would leave broken references")
                    await self._conn.execute(f"PRAGMA user_version = {number}")
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                finally:
                    if rebuild:
                        await self._conn.execute("PRAGMA foreign_keys = ON")
                log.info("applied migration %s", name)
                applied.append(name)
        return applied

    # -- queries ----------------------------------------------------------------------------
    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """The single writer: ``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any error."""
        async with self._write_lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise DatabaseBusy("the database is busy with another writer") from exc
                raise
            try:
                yield Transaction(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                try:
                    await self._conn.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    await self._conn.execute("ROLLBACK")
                    raise DatabaseBusy("the database is busy with another writer") from exc

    async def integrity_check(self) -> list[str]:
        rows = await self.fetchall("PRAGMA integrity_check")
        fk = await self.fetchall("PRAGMA foreign_key_check")
        problems = [str(r[0]) for r in rows if str(r[0]) != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in fk]
        return problems

    async def backup_to(self, target: Path) -> None:
        """SQLite's online backup into ``target`` (a consistent copy while the bot runs)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(target)
        try:
            await self._conn.backup(dest)
        finally:
            dest.close()


class Transaction:
    """What a writer may do inside :meth:`Database.transaction`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; returns ``lastrowid`` (inserts) or 0."""
        async with self._conn.execute(sql, tuple(params)) as cur:
            return cur.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        await self._conn.executemany(sql, [tuple(r) for r in rows])

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in script.splitlines():
        if line.strip().startswith("--") and not buffer:
            continue
        buffer.append(line)
        candidate = "\n".join(buffer).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest:
        statements.append(rest)
    return statements
