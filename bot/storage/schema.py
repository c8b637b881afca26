"""The schema: the numbered SQL migrations bundled in ``bot/storage/migrations``, in order.

:meth:`bot.storage.database.Database.migrate` applies those above the database's ``PRAGMA
user_version``, each in its own transaction; a restore's check builds the tables a version
should have from the same files (:mod:`bot.storage.files`).
"""

from __future__ import annotations

import sqlite3
from importlib import resources

from bot.errors import StorageError


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


def split_sql(script: str) -> list[str]:
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
