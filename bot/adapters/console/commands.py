"""The local console's subcommands, ``ask`` and ``console``: questions only, never Discord.

The bot is built on an opened app exactly as the runner builds it, with the console's two
differences handed in: announcements go nowhere, and attachments are local files.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator

from bot.adapters.console.ask import (
    ask,
    autocomplete,
    is_error,
    parse_line,
    read_local_file,
    real_name,
    render_json,
    render_text,
)
from bot.adapters.console.errors import text_of
from bot.adapters.console.harness import GUILD_ID as CONSOLE_GUILD_ID
from bot.adapters.console.harness import Harness, User
from bot.adapters.discord.announce import no_announcements
from bot.adapters.discord.bot import ParcFermeBot
from bot.adapters.discord.checks import AdminPolicy
from bot.app import close_within, open_app, print_seeded
from bot.errors import LineError
from bot.i18n import FRENCH_NAMES, lang_of, tr
from bot.settings import Settings


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


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "ask":
        return asyncio.run(_ask(args, settings))
    return asyncio.run(_console(args, settings))


@contextlib.asynccontextmanager
async def offline(settings: Settings) -> AsyncIterator[Harness]:
    """The bot with its tree and cogs, never connected: for ask, console and tests."""
    async with open_app(settings) as app:
        print_seeded(app)
        # The console works on the database file itself: whoever runs it owns the data, so
        # its own (local) server is the home guild. On Discord only the configured one is.
        bot = ParcFermeBot(
            app,
            announcer=no_announcements,
            read_attachment=read_local_file,
            admin_policy=AdminPolicy.of(CONSOLE_GUILD_ID, settings.admin_role_ids),
        )
        harness = Harness(bot)
        await harness.start()
        try:
            yield harness
        finally:
            await close_within(harness.close(), "stopping the console's views")
            await close_within(bot.close(), "closing the bot")


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    user = User(admin=args.admin, locale=args.locale)
    parse_line(args.line)  # a line that cannot be read is refused before the app opens
    async with offline(settings) as harness:
        calls = await ask(harness, args.line, user=user, presses=args.press)
    lang = lang_of(args.locale)
    print(render_json(calls) if args.json else render_text(calls, lang))
    if not calls:
        print(tr(lang, "(the bot sent nothing)"), file=sys.stderr)
        return 1
    return 1 if is_error(calls) else 0


async def _console(args: argparse.Namespace, settings: Settings) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.history import FileHistory

    user = User(admin=args.admin, locale=args.locale)
    lang = lang_of(args.locale)
    async with offline(settings) as harness:
        names = sorted(
            "/" + (FRENCH_NAMES.get(c.name, c.name) if lang == "fr" else c.name)
            for c in harness.client.tree.get_commands()  # type: ignore[attr-defined]
        )

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
                option, current = _focused(harness, text, lang)
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
                print(text_of(exc))
                continue
            print(render_text(calls, lang))


def _focused(harness: Harness, text: str, lang: str) -> tuple[str | None, str]:
    """Which option the cursor is in, and what is typed of it so far."""
    parsed = parse_line(text)
    tree = harness.client.tree  # type: ignore[attr-defined]
    name = real_name(parsed.names[0], [c.name for c in tree.get_commands()], lang)
    command = tree.get_command(name)
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
