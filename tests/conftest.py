from __future__ import annotations

from pathlib import Path

import pytest

from bot.services import seeding
from bot.services.championship import ChampionshipService
from bot.settings import DEFAULT_DATA_DIR
from bot.storage.database import Database

SEASONS_DIR = DEFAULT_DATA_DIR / "seasons"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
async def seeded_db(db_path: Path):
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


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("e2e", "end-to-end tests against the local Discord stand-in")
    group.addoption(
        "--e2e-long",
        action="store_true",
        default=False,
        help="tests/test_e2e.py long profile: 100,000 fuzzed interactions and a 10x longer "
        "scripted fan session (the default profile runs 10,000 and one session per fan)",
    )
