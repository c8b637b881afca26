"""Console subcommands: ``ask``, ``console``, ``run``, ``sync``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import AsyncIterator

import discord
import yarl

from bot.adapters.console.ask import (
    LineError,
    ask,
    autocomplete,
    is_error,
    parse_line,
    render_json,
    render_text,
)
from bot.adapters.console.harness import GUILD_ID as CONSOLE_GUILD_ID
from bot.adapters.console.harness import Harness, User
from bot.adapters.discord.bot import ParcFermeBot
from bot.adapters.discord.checks import AdminPolicy
from bot.services import seeding
from bot.services.championship import ChampionshipService
from bot.settings import Settings

log = logging.getLogger("bot")

SHUTDOWN_GRACE_S = 5.0  # on SIGTERM, how long answers in progress may take to finish

NO_TOKEN = (
    "parcferme: no Discord token: set PARCFERME_DISCORD_TOKEN in .env (see .env.example), "
    'or try the bot without Discord: parcferme ask "/standings rookie"'
)


def add_subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ask", help='answer one command as the bot would: ask "/race monza 1"')
    p.add_argument("line", help='a slash command line, e.g. "/standings rookie"')
    p.add_argument("--json", action="store_true", help="print the JSON the bot sent to Discord")
    p.add_argument("--locale", default="en-US", help="the user's Discord locale (en-US, fr …)")
    p.add_argument("--admin", action="store_true", help="act as a member with administrator rights")
    p.add_argument(
        "--press",
        action="append",
        default=[],
        metavar="LABEL",
        help="then press the button with this label on the latest reply (repeatable)",
    )
    c = sub.add_parser("console", help="an interactive prompt answering as the bot would")
    c.add_argument("--locale", default="en-US")
    c.add_argument("--admin", action="store_true")
    sub.add_parser("run", help="run the bot on Discord (needs PARCFERME_DISCORD_TOKEN)")
    s = sub.add_parser("sync", help="publish the slash commands to Discord")
    where = s.add_mutually_exclusive_group(required=True)
    where.add_argument("--guild", type=int, metavar="ID", help="one server (instant)")
    where.add_argument(
        "--global",
        dest="everywhere",
        action="store_true",
        help="every server (may take up to an hour to show)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "ask":
        return asyncio.run(_ask(args, settings))
    if args.command == "console":
        return asyncio.run(_console(args, settings))
    if args.command in ("run", "sync"):
        if settings.token is None:
            print(NO_TOKEN, file=sys.stderr)
            return 2
        logging.getLogger().handlers.clear()  # one handler, discord.py's, not two copies
        discord.utils.setup_logging(level=getattr(logging, settings.log_level.upper(), 20))
        if settings.api_base_url:
            discord.http.Route.BASE = settings.api_base_url.rstrip("/")
        if args.command == "run":
            return asyncio.run(_run(settings))
        return asyncio.run(_sync(args, settings))
    print(f"parcferme: unknown command {args.command!r}", file=sys.stderr)
    return 2


@contextlib.asynccontextmanager
async def _bot(settings: Settings, *, online: bool = True) -> AsyncIterator[ParcFermeBot]:
    db, reports = await seeding.open_ready(settings.database_path, settings.seasons_dir)
    try:
        for report in reports:
            print(
                f"parcferme: created {settings.database_path} and {report.action} {report.season}",
                file=sys.stderr,
            )
        service = ChampionshipService(db)
        await service.load()
        # The console works on the database file itself: whoever runs it owns the data, so
        # its own (local) server is the home guild. On Discord only the configured one is.
        policy = None if online else AdminPolicy.of(CONSOLE_GUILD_ID, settings.admin_role_ids)
        bot = ParcFermeBot(service, settings, online=online, admin_policy=policy)
        # What is loaded now lives as long as the process: keep the garbage collector from
        # walking it again and again (fewer pauses in the middle of an answer).
        gc.collect()
        gc.freeze()
        yield bot
    finally:
        await db.close()


@contextlib.asynccontextmanager
async def offline(settings: Settings) -> AsyncIterator[Harness]:
    """The bot with its tree and cogs, never connected: for ask, console and tests."""
    logging.getLogger("discord").setLevel(logging.ERROR)  # no voice warnings on a terminal
    async with _bot(settings, online=False) as bot:
        harness = Harness(bot)
        await harness.start()
        try:
            yield harness
        finally:
            await harness.close()
            await bot.close()


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    user = User(admin=args.admin, locale=args.locale)
    try:
        parse_line(args.line)
    except LineError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    async with offline(settings) as harness:
        try:
            calls = await ask(harness, args.line, user=user, presses=args.press)
        except LineError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    print(render_json(calls) if args.json else render_text(calls))
    if not calls:
        print("(the bot sent nothing)", file=sys.stderr)
        return 1
    return 1 if is_error(calls) else 0


async def _console(args: argparse.Namespace, settings: Settings) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.history import FileHistory

    user = User(admin=args.admin, locale=args.locale)
    async with offline(settings) as harness:
        names = sorted(f"/{c.name}" for c in harness.client.tree.get_commands())  # type: ignore[attr-defined]

        class BotCompleter(Completer):
            def get_completions(self, document, complete_event):  # type: ignore[no-untyped-def]
                return iter(())

            async def get_completions_async(self, document, complete_event):  # type: ignore[no-untyped-def]
                text = document.text_before_cursor
                if " " not in text:
                    for n in names:
                        if n.startswith(text):
                            yield Completion(n, start_position=-len(text))
                    return
                option, current = _focused(harness, text)
                if option is None:
                    return
                line = text[: len(text) - len(current)] + f"{option}:{current}"
                try:
                    choices = await autocomplete(harness, line, option, user=user)
                except LineError:
                    return
                for value in choices:
                    shown = f'"{value}"' if " " in value else value
                    yield Completion(shown, start_position=-len(current))

        history = settings.database_path.parent / ".console_history"
        session: PromptSession[str] = PromptSession(
            history=FileHistory(str(history)), completer=BotCompleter()
        )
        print("Parc Fermé console: type a command such as /standings rookie (Ctrl-D to quit).")
        while True:
            try:
                line = await session.prompt_async("parcferme> ")
            except (EOFError, KeyboardInterrupt):
                return 0
            if not line.strip():
                continue
            try:
                calls = await ask(harness, line, user=user)
            except LineError as exc:
                print(exc)
                continue
            print(render_text(calls))


def _focused(harness: Harness, text: str) -> tuple[str | None, str]:
    """Which option the cursor is in, and what is typed of it so far."""
    parsed = parse_line(text)
    command = harness.client.tree.get_command(parsed.names[0])  # type: ignore[attr-defined]
    if command is None or not hasattr(command, "parameters"):
        return None, ""
    current = "" if text.endswith(" ") else text.rsplit(" ", 1)[-1]
    if ":" in current:
        name, value = current.split(":", 1)
        return name, value
    used = len(parsed.positional) - (0 if text.endswith(" ") else 1) + len(parsed.named)
    params = [p for p in command.parameters if p.autocomplete]
    if 0 <= used < len(command.parameters) and command.parameters[used] in params:
        return command.parameters[used].display_name, current
    return None, current


async def _run(settings: Settings) -> int:
    token = settings.token
    assert token is not None
    async with _bot(settings) as bot:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)

        async def start() -> None:
            await bot.login(token)
            if settings.api_base_url:
                # discord.py's Client always opens wss://gateway.discord.gg; a stand-in at
                # PARCFERME_API_BASE_URL says where its gateway is, as Discord does.
                _, url, _ = await bot.http.get_bot_gateway()
                discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
            await bot.connect()

        async with bot:
            runner = asyncio.create_task(start(), name="parcferme-bot")
            waiter = asyncio.create_task(stop.wait(), name="parcferme-stop")
            done, _ = await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
            if runner in done and runner.exception() is not None:
                exc = runner.exception()
                if isinstance(exc, discord.LoginFailure):
                    print("parcferme: Discord refused the token (check .env)", file=sys.stderr)
                    return 2
                log.error("the bot stopped: %s", type(exc).__name__)
                return 1
            log.info("shutting down")
            waiter.cancel()
            # Take no new interactions, and let the answers in progress (commands, button
            # presses, page-button removal; discord.py 2.7's task names) finish before the
            # HTTP session closes under them.
            runner.cancel()
            await asyncio.wait({runner})
            answering = [
                t
                for t in asyncio.all_tasks()
                if t.get_name().startswith(
                    ("CommandTree-invoker", "discord-ui-view-dispatch", "discord-ui-view-timeout")
                )
            ]
            if answering:
                log.info("finishing %d answers in progress", len(answering))
                await asyncio.wait(answering, timeout=SHUTDOWN_GRACE_S)
        log.info("closed the Discord connection and the database")
    return 0


async def _sync(args: argparse.Namespace, settings: Settings) -> int:
    """Publish the commands: fan commands wherever asked; admin commands only ever to the
    home guild (``PARCFERME_HOME_GUILD_ID``), never globally."""
    token = settings.token
    assert token is not None
    async with _bot(settings) as bot, bot:
        bot.sync_home_at_start = False  # this command says itself what goes where
        await bot.login(token)  # runs setup_hook: the cogs are loaded
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
