"""The composition root: ``parcferme`` (and ``python -m bot``) and its subcommands.

It reads the settings and configures logging, once, then hands over: ``db`` commands here,
``run`` and ``sync`` to the Discord runner, ``ask`` and ``console`` to the local console.
Those open the app (:func:`bot.app.open_app`: the database, then the services) and close it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.adapters.console.errors import fail
from bot.errors import StorageError
from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.repository import summarise

log = logging.getLogger("bot")


def _err(message: str) -> int:
    print(f"parcferme: {message}", file=sys.stderr)
    return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parcferme", description="Parc Fermé: championship results on Discord."
    )
    parser.add_argument("--db", type=Path, help="database file (default: from settings)")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database maintenance")
    dbsub = db.add_subparsers(dest="db_command", required=True)
    dbsub.add_parser("migrate", help="create the database or bring its schema up to date")
    dbsub.add_parser("seed", help="load season folders not yet in the database")
    dbsub.add_parser("check", help="integrity check and a summary of what the database holds")
    dbsub.add_parser("backup", help="an online backup into the backup folder (rotated)")
    restore = dbsub.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("backup", type=Path, help="a backup file made by `db backup`")

    from bot.adapters.console import commands as console_commands
    from bot.adapters.discord import runner

    console_commands.add_subcommands(sub)
    runner.add_subcommands(sub)
    return parser


def configure_logging(command: str, level: str) -> None:
    """Logging for the whole process, set up once: one handler on the root logger."""
    if command in ("run", "sync"):
        import discord

        # discord.py's own format (its records are most of a running bot's log)
        discord.utils.setup_logging(level=getattr(logging, level.upper(), logging.INFO))
        return
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if command in ("ask", "console"):
        # discord.py warns at start that voice is unavailable: noise on a terminal
        logging.getLogger("discord").setLevel(logging.ERROR)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except Exception as exc:  # pydantic's ValidationError: name the setting, not the value
        return _err(f"bad setting: {str(exc).splitlines()[0]}")
    if args.db is not None:
        settings.database_path = args.db
    configure_logging(args.command, settings.log_level)
    try:
        if args.command == "db":
            return asyncio.run(_db(args, settings))
        if args.command in ("run", "sync"):
            from bot.adapters.discord import runner

            return runner.main(args, settings)
        from bot.adapters.console import commands as console_commands

        return console_commands.run(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # (an OSError: before the policy's catch-all)
        return _reader_went_away()
    except Exception as exc:  # answered as the policy says (bot.errors)
        return fail(exc)


def _reader_went_away() -> int:
    """The output's reader closed early (``parcferme ask … | head``): stop quietly, as the
    shell's own tools do. Later writes, and Python's flush at exit, go nowhere instead of
    raising again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141  # 128 + SIGPIPE, what a shell reports for a pipe closed under a writer


async def _db(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import seeding

    if args.db_command == "restore":
        return await _restore(args.backup, settings)
    if args.db_command == "check":
        return await _check_file(settings.database_path)
    async with await Database.open(settings.database_path) as db:
        if args.db_command == "migrate":
            print(f"{settings.database_path}: schema version {await db.user_version()}")
        elif args.db_command == "seed":
            for report in await seeding.seed(db, settings.seasons_dir):
                detail = f" ({report.detail})" if report.detail else ""
                print(f"{report.season}: {report.action}{detail}")
        elif args.db_command == "backup":
            path = await seeding.backup(db, settings.backup_dir, settings.backups_kept)
            print(f"backup written: {path}")
    return 0


async def _check_file(path: Path) -> int:
    """``db check``: reports on any file, damaged or read-only ones included; never migrates."""
    if not await asyncio.to_thread(path.is_file):
        return _err(f"no database at {path}: `parcferme db migrate` creates one")
    try:
        db = await Database.open(path, migrate=False)
    except StorageError as exc:
        print("integrity: FAILED")
        print(f"  {exc}")
        return 1
    async with db:
        try:
            return await _check(db)
        except StorageError as exc:
            print(f"  {exc}")
            return 1


async def _check(db: Database) -> int:
    problems = await db.integrity_check()
    print(f"integrity: {'ok' if not problems else 'FAILED'}")
    for p in problems:
        print(f"  {p}")
    print(f"schema version: {await db.user_version()}")
    summaries = await summarise(db)
    if not summaries:
        print("no season yet: run `parcferme db seed`")
    for s in summaries:
        print(
            f"{s.ref.name} [{s.ref.series_slug} {s.ref.year}, {s.ref.status}]\n"
            f"  rounds {s.rounds}, races {s.races} ({s.races_complete} with a complete "
            f"classification, {s.races - s.races_complete} partial)\n"
            f"  entries {s.entries} ({s.guests} guests)\n"
            f"  results {s.results} ({s.results_positioned} with a classified position)\n"
            f"  penalties {s.penalties} ({s.penalties_revoked} revoked)\n"
            f"  poles known {s.poles_known}/{s.races}, fastest laps known "
            f"{s.fastest_laps_known}/{s.races}, published outcomes {s.outcomes}"
        )
    return 1 if problems else 0


async def _restore(backup: Path, settings: Settings) -> int:
    from bot.storage.files import restore_file

    done = await asyncio.to_thread(
        restore_file, backup, settings.database_path, settings.backup_dir
    )
    kept = f"; the database it replaced is kept as {done.kept}" if done.kept else ""
    print(
        f"restored {settings.database_path} from {backup.name} (schema {done.schema}){kept}; "
        "restart the bot to use it"
    )
    return 0
