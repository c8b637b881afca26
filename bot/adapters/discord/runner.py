"""The Discord runner: ``parcferme run`` and ``parcferme sync``, the only code that connects.

It builds the bot on an opened :class:`~bot.app.App` with what Discord needs (announcements to
a channel, attachments read from Discord), logs in, publishes commands where asked, runs until
SIGINT/SIGTERM and then lets the answers in progress finish before the connection closes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys

import discord

from bot.adapters import dpy_private
from bot.adapters.discord.announce import ChannelAnnouncer, read_from_discord
from bot.adapters.discord.bot import ParcFermeBot
from bot.adapters.memtrace import MemoryReport
from bot.app import App, open_app, print_seeded
from bot.settings import Settings

log = logging.getLogger("bot")

SHUTDOWN_GRACE_S = 5.0  # on SIGTERM, how long answers in progress may take to finish

NO_TOKEN = (
    "parcferme: no Discord token: set PARCFERME_DISCORD_TOKEN in .env (see .env.example), "
    'or try the bot without Discord: parcferme ask "/standings rookie"'
)


def add_subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("run", help="run the bot on Discord (needs PARCFERME_DISCORD_TOKEN)")
    s = sub.add_parser("sync", help="publish the slash commands to Discord")
    where = s.add_mutually_exclusive_group(required=True)
    where.add_argument("--guild", type=int, metavar="ID", help="one server (instant)")
    where.add_argument(
        "--global",
        dest="everywhere",
        action="store_true",
        help="every server (may take up to an hour to show); fan commands only",
    )


def main(args: argparse.Namespace, settings: Settings) -> int:
    token = settings.token
    if token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    if settings.api_base_url:  # a stand-in of Discord (the end-to-end tests)
        dpy_private.point_at(settings.api_base_url)
    if args.command == "run":
        return asyncio.run(_run(settings, token))
    return asyncio.run(_sync(args, settings, token))


def discord_bot(app: App) -> ParcFermeBot:
    return ParcFermeBot(
        app,
        announcer=ChannelAnnouncer(app.settings.announce_channel_id),
        read_attachment=read_from_discord,
    )


async def _run(settings: Settings, token: str) -> int:
    async with open_app(settings) as app:
        print_seeded(app)
        bot = discord_bot(app)
        # What start-up loaded lives as long as the process: keep the garbage collector from
        # walking it again and again (fewer pauses in the middle of an answer).
        gc.collect()
        gc.freeze()
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        with contextlib.suppress(NotImplementedError, AttributeError):  # (no SIGUSR1: Windows)
            loop.add_signal_handler(signal.SIGUSR1, MemoryReport().report)

        async def start() -> None:
            await bot.login(token)  # runs setup_hook: the cogs are loaded
            await sync_home(bot)
            if settings.api_base_url:
                # discord.py always opens wss://gateway.discord.gg; a stand-in says where its
                # gateway is, as Discord does.
                _, url, _ = await bot.http.get_bot_gateway()
                dpy_private.use_gateway(url)
            await bot.connect()

        async with bot:
            runner = asyncio.create_task(start(), name="parcferme-bot")
            waiter = asyncio.create_task(stop.wait(), name="parcferme-stop")
            done, _ = await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
            if runner in done and runner.exception() is not None:
                waiter.cancel()
                exc = runner.exception()
                if isinstance(exc, discord.LoginFailure):
                    print("parcferme: Discord refused the token (check .env)", file=sys.stderr)
                    return 2
                log.error("the bot stopped: %s", type(exc).__name__)
                return 1
            log.info("shutting down")
            waiter.cancel()
            # Take no new interactions, then let the answers in progress (commands, button
            # presses, page-button removal) finish before the HTTP session closes under them.
            runner.cancel()
            await asyncio.wait({runner})
            answering = await bot.in_flight.drain(SHUTDOWN_GRACE_S)
            if answering:
                log.info("let %d answers in progress finish", answering)
        log.info("closed the Discord connection and the database")
    return 0


async def sync_home(bot: ParcFermeBot) -> None:
    """At start, every command to the home guild (``PARCFERME_HOME_GUILD_ID``) if set: only
    there, and only at start (never in on_ready, which repeats)."""
    guild_id = bot.settings.home_guild_id
    if guild_id is None:
        return
    guild = discord.Object(id=guild_id)
    bot.tree.copy_global_to(guild=guild)
    try:
        synced = await bot.tree.sync(guild=guild)
    except discord.HTTPException as exc:
        # A wrong id or a bot not invited there must not stop the bot answering.
        log.warning(
            "could not sync the commands to the home guild (HTTP %s): check "
            "PARCFERME_HOME_GUILD_ID and that the bot was invited with applications.commands",
            exc.status,
        )
    else:
        log.info("synced %d commands to the home guild", len(synced))


async def _sync(args: argparse.Namespace, settings: Settings, token: str) -> int:
    """Publish the commands: fan commands wherever asked; admin commands only ever to the
    home guild (``PARCFERME_HOME_GUILD_ID``), never globally."""
    async with open_app(settings) as app:
        print_seeded(app)
        bot = discord_bot(app)
        async with bot:
            await bot.login(token)  # runs setup_hook: the cogs are loaded
            return await _publish(bot, args)


async def _publish(bot: ParcFermeBot, args: argparse.Namespace) -> int:
    """Fan commands wherever asked; admin commands to the home guild only."""
    home = bot.admin_policy.home_guild_id
    # Admin commands are those Discord hides from members (default_permissions).
    admin_names = {c.name for c in bot.tree.get_commands() if c.default_permissions is not None}
    note = ""
    if args.guild:
        guild = discord.Object(id=args.guild)
        bot.tree.copy_global_to(guild=guild)
        if args.guild != home:
            for name in admin_names:
                bot.tree.remove_command(name, guild=guild)
        synced = await bot.tree.sync(guild=guild)
        where = f"server {args.guild}"
        if args.guild != home:
            note = _admin_note(home)
    else:
        admin = [c for c in bot.tree.get_commands() if c.name in admin_names]
        for name in admin_names:  # in the tree, never published globally
            bot.tree.remove_command(name)
        synced = await bot.tree.sync()
        where = "every server (global; may take up to an hour to show); fan commands only"
        note = _admin_note(None)
        if home is not None:
            guild = discord.Object(id=home)
            for command in admin:
                bot.tree.add_command(command, guild=guild)
            admin_synced = await bot.tree.sync(guild=guild)
            note = f"synced {len(admin_synced)} admin commands to the home guild {home} alone"
    print(f"synced {len(synced)} commands to {where}")
    if note:
        print(f"parcferme: {note}", file=sys.stderr)
    return 0


def _admin_note(home: int | None) -> str:
    if home is None:
        return (
            "admin commands were not published: set PARCFERME_HOME_GUILD_ID to the "
            "championship's server id, then `parcferme sync --guild <that id>`"
        )
    return f"admin commands were not published there: they belong to the home guild {home}"
