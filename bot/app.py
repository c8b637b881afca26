"""The application's core, opened and closed in one place: the database, then the services.

Every way of running Parc Fermé (the Discord runner, the console, the tests, the benchmark)
gets its :class:`App` from :func:`open_app`; none opens the database or builds a service
itself. What differs between them (how they talk to Discord) is wired around it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass

from bot.services import seeding
from bot.services.admin import AdminService
from bot.services.championship import ChampionshipService
from bot.services.lookup import Lookup
from bot.services.season_admin import SeasonAdmin
from bot.services.session_admin import SessionAdmin
from bot.settings import Settings
from bot.storage.database import Database

log = logging.getLogger(__name__)

# How long one step of a shutdown may take before it is given up on (and said so in the log).
CLOSE_STEP_S = 15.0


async def close_within(step: Awaitable[object], what: str) -> None:
    """Run one shutdown step, but never wait forever for it: after :data:`CLOSE_STEP_S` it is
    cancelled and left behind (``asyncio.wait`` does not wait for the cancellation to finish,
    unlike ``wait_for``), so a stuck step cannot keep the process or a test run alive."""
    seconds = CLOSE_STEP_S
    task = asyncio.ensure_future(step)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        log.warning("%s did not finish within %.0f s; shutting down without it", what, seconds)
        return
    if not task.cancelled() and task.exception() is not None:
        log.warning("%s failed while shutting down: %s", what, task.exception())


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
        await close_within(db.close(), "closing the database")


def print_seeded(app: App) -> None:
    """Say on stderr what opening the app created (a new database, seeded)."""
    for report in app.seeded:
        print(
            f"parcferme: created {app.settings.database_path} and {report.action} {report.season}",
            file=sys.stderr,
        )
