"""Fixtures every test module can use: database files, a seeded database, the service, the bot
behind the console harness, and the command definitions the bot would sync. Plain helpers
(reading replies, calling the engine) are in ``tests/helpers.py``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.console.commands import offline
from bot.adapters.console.harness import Harness
from bot.services import seeding
from bot.services.championship import ChampionshipService
from bot.storage.database import Database
from tests.helpers import SEASONS_DIR, settings_for


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
async def seeded_db(db_path: Path) -> AsyncIterator[Database]:
    db, _ = await seeding.open_ready(db_path, SEASONS_DIR)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
async def service(seeded_db: Database) -> ChampionshipService:
    svc = ChampionshipService(seeded_db)
    await svc.load()
    return svc


@pytest.fixture
async def harness(db_path: Path) -> AsyncIterator[Harness]:
    """The bot on a fresh seeded database, behind the console harness."""
    async with offline(settings_for(db_path)) as h:
        yield h


@pytest.fixture(scope="session")
def definitions(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The command definitions the bot would sync (what Discord's clients build from)."""

    async def read() -> list[dict[str, Any]]:
        path = tmp_path_factory.mktemp("definitions") / "defs.db"
        async with offline(settings_for(path)) as h:
            tree = h.client.tree  # type: ignore[attr-defined]
            return [c.to_dict(tree) for c in tree.get_commands()]

    return asyncio.run(read())


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("e2e", "end-to-end tests against the local Discord stand-in")
    group.addoption(
        "--e2e-long",
        action="store_true",
        default=False,
        help="tests/test_e2e.py long profile: 100,000 fuzzed interactions and a 10x longer "
        "scripted fan session (the default profile runs 10,000 and one session per fan)",
    )
    group.addoption(
        "--soak-seconds",
        type=float,
        default=600.0,
        help="tests/test_e2e_reliability.py soak (long profile only): how long 4 admins and "
        "50 fans keep going (default 600 s)",
    )
