"""The database: one writer connection and one reader connection per process (WAL).

Every write runs in ``BEGIN IMMEDIATE`` under an asyncio lock on the writer connection, so a
change and its audit row commit together or not at all. Reads run on their own read-only
connection (as datasette does): they never see a transaction that is still open, and a write
that is rolled back is never seen at all. Backups use a connection of their own. Nothing
waits forever: the locks and the backup have deadlines.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import DatabaseBusy, DatabaseTooNew, DatabaseUnavailable, StorageError
from bot.storage import schema
from bot.storage.connection import Transaction, connect

__all__ = [  # what the other modules use (Transaction is defined in bot.storage.connection)
    "BACKUP_TIMEOUT_S",
    "BUSY_TIMEOUT_MS",
    "CLOSE_TIMEOUT_S",
    "LOCK_TIMEOUT_S",
    "Database",
    "Transaction",
    "explain",
]

log = logging.getLogger(__name__)

# Long enough to ride out another writer's short transaction, short enough that a caller
# hears "busy" quickly and can try again (a Confirm tries again for CONFIRM_WAIT_S).
BUSY_TIMEOUT_MS = 1_500
LOCK_TIMEOUT_S = 15.0  # the longest anyone waits for this process's write lock
BACKUP_TIMEOUT_S = 30.0  # a backup that cannot finish in this time is abandoned and removed
CLOSE_TIMEOUT_S = 5.0


def explain(exc: BaseException, path: Path) -> str:
    """What an SQLite error means for the operator, in one sentence (no traceback)."""
    text = str(exc).lower()
    name = path.name
    if "readonly" in text or "read-only" in text:
        return (
            f"{name} is read-only (the file, or its folder, which SQLite's WAL needs to "
            "write to): answers are still served, but nothing can be changed."
        )
    if "disk is full" in text or "no space left" in text:
        return f"the disk holding {name} is full: free some space, then try again."
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return (
            f"{name} is damaged ({exc}): run `parcferme db check`, and restore a backup "
            "with `parcferme db restore`."
        )
    if "unable to open" in text:
        return (
            f"{name} cannot be opened: check that the file and its folder can be read and written."
        )
    if "locked" in text or "busy" in text:
        return "the database is busy with another writer"
    return f"{name}: {exc}"


class Database:
    def __init__(self, path: Path, conn: aiosqlite.Connection) -> None:
        self.path = path
        self._conn = conn  # the writer
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._snapshot_lock = asyncio.Lock()
        self._data_version: int | None = None
        # Bumped each time a commit by another process is seen (PRAGMA data_version on the
        # writer connection, which our own commits leave alone): views built before are stale.
        self.foreign_generation = 0
        self.read_only: str | None = None  # why nothing can be written, when that is so

    @classmethod
    async def open(cls, path: Path | str, *, migrate: bool = True) -> Database:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"cannot create the folder {path.parent}: {exc.strerror}"
            ) from None
        try:
            conn = await connect(path)
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(explain(exc, path)) from None
        conn.row_factory = aiosqlite.Row
        db = cls(path, conn)
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA foreign_keys = ON")
            try:
                await conn.execute("PRAGMA journal_mode = WAL")
                await conn.execute("PRAGMA synchronous = NORMAL")
                await conn.execute("BEGIN IMMEDIATE")  # can this process write at all?
                await conn.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    pass  # another writer right now: writable, just busy
                elif (
                    "readonly" in str(exc)
                    or "read-only" in str(exc)
                    or "unable to open" in str(exc)
                ):
                    db.read_only = explain(exc, path)
                    log.warning("%s", db.read_only)
                else:
                    raise
            await db._open_reader()
            await db.check_version()
            if migrate and db.read_only is None:
                await db.migrate()
            if db.read_only is None:
                db._data_version = await db._writer_data_version()
        except sqlite3.DatabaseError as exc:
            await db.close()
            raise DatabaseUnavailable(explain(exc, path)) from None
        except BaseException:
            await db.close()
            raise
        return db

    async def _open_reader(self) -> None:
        # A read-only WAL database whose folder SQLite cannot write its shared-memory file
        # in can only be read as immutable (no other writer can change it either).
        targets = [f"file:{self.path}"]
        if self.read_only is not None:
            targets = [f"file:{self.path}?mode=ro", f"file:{self.path}?immutable=1"]
        for n, target in enumerate(targets):
            reader = await connect(target, uri=True)
            reader.row_factory = aiosqlite.Row
            try:
                await reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                await reader.execute("PRAGMA foreign_keys = ON")
                await reader.execute("PRAGMA query_only = 1")
                await reader.execute("SELECT count(*) FROM sqlite_master")
            except sqlite3.OperationalError:
                await reader.close()
                if n == len(targets) - 1:
                    raise
                continue
            self._reader = reader
            return

    async def close(self) -> None:
        for conn in (self._reader, self._conn):
            if conn is None:
                continue
            try:
                await asyncio.wait_for(conn.close(), CLOSE_TIMEOUT_S)
            except (TimeoutError, sqlite3.Error, ValueError):
                log.warning("a database connection did not close cleanly")
        self._reader = None

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- schema -----------------------------------------------------------------------------
    async def user_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def check_version(self) -> None:
        current, known = await self.user_version(), schema.schema_version()
        if current > known:
            raise DatabaseTooNew(
                f"{self.path.name} is at schema version {current}, but this Parc Fermé only "
                f"knows up to {known}: upgrade Parc Fermé, or use a backup made by this version."
            )

    async def migrate(self) -> list[str]:
        """Apply every migration above ``PRAGMA user_version``, each in its own transaction."""
        applied: list[str] = []
        async with self._locked():
            for number, name, sql in schema.migrations():
                row = await (await self._conn.execute("PRAGMA user_version")).fetchone()
                if row is not None and number <= int(row[0]):
                    continue
                # A migration that rebuilds a table says so on its first line: foreign keys
                # are off meanwhile (SQLite's way), and every reference is checked at the end.
                rebuild = sql.lstrip().startswith("-- rebuild")
                if rebuild:
                    await self._conn.execute("PRAGMA foreign_keys = OFF")
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in schema.split_sql(sql):
                        await self._conn.execute(statement)
                    if rebuild and await self.fetchall("PRAGMA foreign_key_check"):
                        raise StorageError(f"{name} would leave broken references")
                    await self._conn.execute(f"PRAGMA user_version = {number}")
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._rollback()
                    raise
                finally:
                    if rebuild:
                        await self._conn.execute("PRAGMA foreign_keys = ON")
                log.info("applied migration %s", name)
                applied.append(name)
        return applied

    # -- reads (the reader connection: committed data only) ---------------------------------
    @property
    def _read(self) -> aiosqlite.Connection:
        return self._reader if self._reader is not None else self._conn

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            async with self._read.execute(sql, tuple(params)) as cur:
                return list(await cur.fetchall())
        except sqlite3.OperationalError as exc:
            raise self._unavailable(exc) from None
        except sqlite3.DatabaseError as exc:
            raise DatabaseUnavailable(explain(exc, self.path)) from None

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        try:
            async with self._read.execute(sql, tuple(params)) as cur:
                return await cur.fetchone()
        except sqlite3.OperationalError as exc:
            raise self._unavailable(exc) from None
        except sqlite3.DatabaseError as exc:
            raise DatabaseUnavailable(explain(exc, self.path)) from None

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Transaction]:
        """A read transaction on the reader: several queries that see one committed state."""
        try:
            await asyncio.wait_for(self._snapshot_lock.acquire(), LOCK_TIMEOUT_S)
        except TimeoutError:
            raise DatabaseBusy("the database is busy: try again in a few seconds") from None
        try:
            try:
                await self._read.execute("BEGIN")
            except sqlite3.DatabaseError as exc:
                raise self._unavailable(exc) from None
            try:
                yield Transaction(self._read, self)
            finally:
                try:
                    await self._read.execute("COMMIT")
                except sqlite3.Error:
                    log.debug("ending a read snapshot failed")
        finally:
            self._snapshot_lock.release()

    # -- the single writer ------------------------------------------------------------------
    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        try:
            await asyncio.wait_for(self._write_lock.acquire(), LOCK_TIMEOUT_S)
        except TimeoutError:
            raise DatabaseBusy("the database is busy with another change") from None
        try:
            yield
        finally:
            self._write_lock.release()

    async def _rollback(self) -> None:
        try:
            await self._conn.execute("ROLLBACK")
        except (sqlite3.Error, ValueError):
            # SQLite may already have rolled back (a full disk, an I/O error).
            log.debug("rollback: no transaction was open any more")

    def _unavailable(self, exc: sqlite3.Error) -> StorageError:
        if "locked" in str(exc) or "busy" in str(exc):
            return DatabaseBusy("the database is busy with another writer")
        return DatabaseUnavailable(explain(exc, self.path))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """The single writer: ``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any error."""
        if self.read_only is not None:
            raise DatabaseUnavailable(self.read_only)
        async with self._locked():
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as exc:
                raise self._unavailable(exc) from None
            tx = Transaction(self._conn, self)
            try:
                # Holding the write lock, no other process can commit: a data_version that
                # moved since we last looked means someone else wrote before us.
                version = await self._writer_data_version()
                if self._data_version is not None and version != self._data_version:
                    self.foreign_generation += 1
                    log.info("another process changed the database")
                self._data_version = version
                yield tx
            except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
                await self._rollback()
                raise  # a bug or a constraint: the caller's to explain
            except sqlite3.DatabaseError as exc:
                await self._rollback()
                raise self._unavailable(exc) from None
            except BaseException:
                await self._rollback()
                raise
            else:
                try:
                    await self._conn.execute("COMMIT")
                except sqlite3.DatabaseError as exc:
                    await self._rollback()
                    raise self._unavailable(exc) from None

    async def _writer_data_version(self) -> int:
        async with self._conn.execute("PRAGMA data_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def check_foreign_changes(self) -> int:
        """Look (cheaply, without waiting) whether another process committed since we last
        looked; returns :attr:`foreign_generation`. While our own writer is busy this says
        nothing new: that writer looks itself when its transaction begins."""
        if self._write_lock.locked() or self.read_only is not None:
            return self.foreign_generation
        async with self._locked():
            try:
                version = await self._writer_data_version()
            except sqlite3.Error:
                return self.foreign_generation
            if self._data_version is not None and version != self._data_version:
                self.foreign_generation += 1
                log.info("another process changed the database")
            self._data_version = version
        return self.foreign_generation

    async def integrity_check(self) -> list[str]:
        try:
            rows = await self.fetchall("PRAGMA integrity_check")
            fk = await self.fetchall("PRAGMA foreign_key_check")
        except StorageError as exc:
            return [str(exc)]
        problems = [str(r[0]) for r in rows if str(r[0]) != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in fk]
        return problems

    async def backup_to(self, target: Path, *, within: float = BACKUP_TIMEOUT_S) -> None:
        """SQLite's online backup into ``target``: a consistent copy while the bot runs.

        It reads through a connection of its own (never the writer's, whose transaction may
        be open), in a worker thread, with a deadline; it writes beside ``target`` and renames
        when complete, so a failed backup (a full disk, the deadline) leaves nothing behind.
        """
        from bot.storage.files import backup_file

        await asyncio.to_thread(backup_file, self.path, target, within)
