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
