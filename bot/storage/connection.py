"""The bot's SQLite connections: how one is opened, and the handle a transaction gets.

Every connection runs in aiosqlite's worker thread, made a daemon so that an SQLite call stuck
in it never keeps the process alive. :class:`Transaction` is what a writer (inside
:meth:`~bot.storage.database.Database.transaction`) or a read snapshot may do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite

if TYPE_CHECKING:
    from bot.storage.database import Database


async def connect(path: Path | str, *, uri: bool = False) -> aiosqlite.Connection:
    conn = aiosqlite.connect(path, isolation_level=None, uri=uri)
    # A daemon worker thread: an SQLite call stuck in it must never keep the process alive
    # after it has closed (aiosqlite starts the thread when the connection is awaited).
    thread = getattr(conn, "_thread", None)
    if thread is not None:
        thread.daemon = True
    return await conn


class Transaction:
    """What a writer may do inside :meth:`Database.transaction`."""

    def __init__(self, conn: aiosqlite.Connection, db: Database | None = None) -> None:
        self._conn = conn
        self.db = db

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
