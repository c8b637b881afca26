"""The application's core, opened and closed in one place: the database, then the services.

Every way of running Parc Fermé (the Discord runner, the console, the tests, the benchmark)
gets its :class:`App` from :func:`open_app`; none opens the database or builds a service
itself. What differs between them (how they talk to Discord) is wired around it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass

from bot.services import season_undo, seeding
from bot.services.admin import AdminService
from bot.services.championship import ChampionshipService
from bot.services.lookup import Lookup
from bot.services.season_admin import SeasonAdmin
from bot.services.session_admin import SessionAdmin
from bot.settings import Settings
from bot.storage.database import Database


@dataclass(frozen=True, slots=True)
class App:
    settings: Settings
    db: Database
    service: ChampionshipService
    lookup: Lookup
    admin: AdminService
    seasons: SeasonAdmin  # running a season: rounds, sessions, its status
    sessions: SessionAdmin  # a weekend's sessions: qualifying, poles, fastest laps
    seeded: tuple[seeding.SeedReport, ...]  # what opening it seeded (a new database)


@contextlib.asynccontextmanager
async def open_app(settings: Settings) -> AsyncIterator[App]:
    """Open (create, migrate, seed if new) the database, load the services; close on exit."""
    db, reports = await seeding.open_ready(settings.database_path, settings.seasons_dir)
    try:
        service = ChampionshipService(db)
        await service.load()
        admin = AdminService(service)
        seasons = SeasonAdmin(admin, settings.seasons_dir.parent)
        sessions = SessionAdmin(admin)
        season_undo.register(seasons, sessions)  # how the season changes are undone
        yield App(
            settings=settings,
            db=db,
            service=service,
            lookup=Lookup(service),
            admin=admin,
            seasons=seasons,
            sessions=sessions,
            seeded=tuple(reports),
        )
    finally:
        await db.close()


def print_seeded(app: App) -> None:
    """Say on stderr what opening the app created (a new database, seeded)."""
    for report in app.seeded:
        print(
            f"parcferme: created {app.settings.database_path} and {report.action} {report.season}",
            file=sys.stderr,
        )
