"""Use cases around the database file itself: open it ready to serve, seed, check, back up."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.services.championship import SeasonView
from bot.storage import repository
from bot.storage.database import Database
from bot.storage.seasonfiles import LoadedSeason, load_season_folder, season_folders

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SeedReport:
    season: str
    action: str  # "seeded" | "unchanged" | "kept"
    detail: str = ""


def _rotate(backup_dir: Path, stem: str, keep: int) -> None:
    backups = sorted(backup_dir.glob(f"{stem}-*.db"))
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)


def load_all(seasons_dir: Path) -> list[LoadedSeason]:
    """Parse and validate every season folder (raises SeasonFileError on the first problem)."""
    return [load_season_folder(folder) for folder in season_folders(seasons_dir)]


async def seed(db: Database, seasons_dir: Path) -> list[SeedReport]:
    """Insert every season not yet in the database. Seeding twice changes nothing."""
    reports: list[SeedReport] = []
    for loaded in load_all(seasons_dir):
        season = loaded.season
        async with db.transaction() as tx:
            existing = await repository.find_season(tx, season.series_slug, season.year)
            if existing is None:
                season_id = await repository.insert_season(tx, season, loaded.content_hash)
                # The engine must be able to classify what was stored (else: rolled back).
                SeasonView(await repository.load_season(tx, season_id))
                reports.append(SeedReport(season.name, "seeded"))
                continue
        if existing.content_hash == loaded.content_hash:
            reports.append(SeedReport(season.name, "unchanged"))
        else:
            reports.append(
                SeedReport(
                    season.name,
                    "kept",
                    f"the files in {loaded.folder.name}/ changed since seeding; the database "
                    "copy (and any admin changes in it) is kept as it is",
                )
            )
    return reports


async def open_ready(db_path: Path, seasons_dir: Path) -> tuple[Database, list[SeedReport]]:
    """Open the database, migrating it, and seed it when it holds no season yet."""
    db = await Database.open(db_path)
    reports: list[SeedReport] = []
    try:
        if not await repository.list_seasons(db):
            reports = await seed(db, seasons_dir)
    except BaseException:
        await db.close()
        raise
    return db, reports


async def backup(db: Database, backup_dir: Path, keep: int, label: str = "manual") -> Path:
    """An online backup into ``backup_dir``; only the newest ``keep`` backups are kept."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{db.path.stem}-{stamp}-{label}.db"
    await db.backup_to(target)
    await asyncio.to_thread(_rotate, backup_dir, db.path.stem, keep)
    log.info("backup written to %s", target.name)
    return target
