"""The database file itself: online backups and restores, each written beside and renamed.

Neither ever leaves a half-written file in place of a good one: a backup is written to a
``.partial`` file and renamed when complete and checked; a restore checks that the file is
a Parc Fermé database of a schema this version knows, copies it beside the live database,
checks the copy, keeps the database it replaces as a backup, and only then renames.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from bot.errors import BackupFailed, RestoreRefused
from bot.storage.database import BACKUP_TIMEOUT_S, BUSY_TIMEOUT_MS, explain
from bot.storage.schema import migrations, schema_version, split_sql


def backup_file(source: Path, target: Path, within: float = BACKUP_TIMEOUT_S) -> None:
    """Copy the database ``source`` into ``target`` through a read-only connection of its
    own (blocking: run it in a thread). Gives up after ``within`` seconds; a failed backup
    leaves no file."""
    partial = target.with_name(target.name + ".partial")
    deadline = time.monotonic() + within

    def progress(status: int, remaining: int, total: int) -> None:
        if time.monotonic() > deadline:
            raise BackupFailed(f"the backup did not finish within {within:.0f} s")

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dest = sqlite3.connect(partial)
            try:
                src.backup(dest, pages=-1, progress=progress, sleep=0.05)
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                ok = dest.execute("PRAGMA quick_check").fetchone()
                if not ok or ok[0] != "ok":
                    raise BackupFailed(f"the copy fails its check: {ok[0] if ok else '?'}")
            finally:
                dest.close()
        finally:
            src.close()
        partial.replace(target)
    except BackupFailed:
        _remove(partial)
        raise
    except (sqlite3.Error, OSError) as exc:
        _remove(partial)
        raise BackupFailed(f"the backup failed: {explain(exc, target)}") from None


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _tables(con: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: tuple(r[1] for r in con.execute(f'PRAGMA table_info("{n}")')) for n in names}


def expected_tables(version: int) -> dict[str, tuple[str, ...]]:
    """The tables (and their columns) of a Parc Fermé database at schema ``version``."""
    con = sqlite3.connect(":memory:")
    try:
        for number, _, sql in migrations():
            if number > version:
                break
            for statement in split_sql(sql):
                con.execute(statement)
        return _tables(con)
    finally:
        con.close()


def check_parcferme_file(path: Path) -> int:
    """Raise :class:`RestoreRefused` unless ``path`` is a sound Parc Fermé database this
    version can open; returns its schema version."""
    name = path.name
    if not path.is_file():
        raise RestoreRefused(f"no backup file at {path}")
    with path.open("rb") as f:
        header = f.read(16)
    if header != b"SQLite format 3\x00":
        raise RestoreRefused(f"{name} is not an SQLite database (nothing was changed)")
    try:
        # immutable: read as it is, creating nothing beside it (no -wal, no -shm)
        con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            check = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            if check != ["ok"]:
                raise RestoreRefused(
                    f"{name} is damaged ({check[0]}): nothing was changed; pick another backup"
                )
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            tables = _tables(con)
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(
            f"{name} cannot be read as a database ({exc}): nothing was changed"
        ) from None
    known = schema_version()
    if version > known:
        raise RestoreRefused(
            f"{name} was written by a newer Parc Fermé (schema {version}, this one knows up "
            f"to {known}): nothing was changed"
        )
    if version < 1 or tables != expected_tables(version):
        raise RestoreRefused(
            f"{name} is an SQLite database but not a Parc Fermé one (its tables are not "
            "those of any Parc Fermé version): nothing was changed"
        )
    return version


@dataclass(frozen=True, slots=True)
class Restored:
    schema: int
    kept: Path | None  # where the database it replaced was kept (None: there was none)


def restore_file(source: Path, target: Path, backup_dir: Path) -> Restored:
    """Put the backup ``source`` in place of the database ``target`` (blocking; the bot must
    be stopped). Every failure leaves ``target`` as it was."""
    version = check_parcferme_file(source)
    partial = target.with_name(target.name + ".restore-partial")
    kept: Path | None = None
    try:
        backup_file(source, partial)  # a consistent copy beside the target, checked
        check_parcferme_file(partial)
        if target.exists():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            kept = backup_dir / f"{target.stem}-{stamp}-before-restore.db"
            if _quiesce(target):
                backup_file(target, kept)
            else:  # damaged: keep its bytes as they are (and its WAL, if any)
                for suffix in ("", "-wal"):
                    if Path(f"{target}{suffix}").exists():
                        _copy(Path(f"{target}{suffix}"), Path(f"{kept}{suffix}"))
        partial.replace(target)  # atomic on one file system
    except BackupFailed as exc:
        raise RestoreRefused(f"{exc}: nothing was changed") from None
    except OSError as exc:
        raise RestoreRefused(f"{explain(exc, target)} (nothing was changed)") from None
    finally:
        for leftover in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{leftover}").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)  # empty: checkpointed by _quiesce
    return Restored(version, kept)


def _copy(source: Path, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, partial)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupFailed(
            f"could not keep a copy of {source.name}: {explain(exc, target)}"
        ) from None


def _quiesce(target: Path) -> bool:
    """Fold the live database's WAL into it, refusing when another process has it open (a
    WAL left beside the restored file would be replayed onto it). False: it is damaged."""
    try:
        con = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            busy, _, _ = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            mode = con.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            busy, mode = 1, "wal"
        else:
            return False  # damaged: what a restore is for
    if busy or str(mode).lower() == "wal":
        raise RestoreRefused(
            f"{target.name} is in use by another process (is the bot running?): stop it, then "
            "restore; nothing was changed"
        )
    return True
