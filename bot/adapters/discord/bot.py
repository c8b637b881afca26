"""The Bot subclass: wires the cogs to an opened app's services. Owns nothing: whoever
builds it (the Discord runner, the console) opened the app and closes it."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from discord.ext import commands

from bot.adapters.discord.announce import Announcer
from bot.adapters.discord.checks import AdminPolicy
from bot.adapters.discord.cogs.admin import AdminCog, AttachmentReader
from bot.adapters.discord.cogs.entries import EntryCog
from bot.adapters.discord.cogs.fan import FanCog
from bot.adapters.discord.cogs.season import SeasonCog
from bot.adapters.discord.inflight import InFlight
from bot.adapters.discord.translator import ParcFermeTranslator
from bot.adapters.discord.tree import ParcFermeTree
from bot.app import App

log = logging.getLogger(__name__)

WATCH_EVERY_S = 1.0  # how often another process's writes are looked for (one PRAGMA)


class ParcFermeBot(commands.Bot):
    def __init__(
        self,
        app: App,
        *,
        announcer: Announcer,
        read_attachment: AttachmentReader,
        admin_policy: AdminPolicy | None = None,
    ) -> None:
        """``announcer`` and ``read_attachment``: what differs between Discord (the runner)
        and the local console, handed in rather than asked for."""
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=ParcFermeTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.app = app
        self.service = app.service
        self.settings = app.settings
        self.lookup = app.lookup
        self.admin = app.admin
        self.announcer = announcer
        self.read_attachment = read_attachment
        # Who may write: the home guild's admins (none without a home guild).
        self.admin_policy = admin_policy or AdminPolicy.of(
            app.settings.home_guild_id, app.settings.admin_role_ids
        )
        self.in_flight = InFlight()  # the answers in progress (a shutdown waits for them)
        self._watcher: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        await self.tree.set_translator(ParcFermeTranslator())
        await self.add_cog(FanCog(self.lookup))
        # In the tree everywhere, so a stray use gets a clear refusal (checks.py); published
        # only to the home guild (by the runner and `parcferme sync`), never globally.
        admin_cog = AdminCog(
            self.lookup,
            self.admin,
            self.app.sessions,
            self.settings,
            self,
            announcer=self.announcer,
            read_attachment=self.read_attachment,
        )
        await self.add_cog(admin_cog)
        await self.add_cog(EntryCog(admin_cog))
        await self.add_cog(SeasonCog(admin_cog, self.app.seasons, self.app.sessions))
        self._watcher = asyncio.create_task(self._watch(), name="season-watcher")

    async def _watch(self) -> None:
        """Serve other processes' writes within seconds: reload the views they made stale."""
        while True:
            await asyncio.sleep(WATCH_EVERY_S)
            try:
                if await self.service.refresh_if_stale():
                    log.info("reloaded the season views after another process's write")
            except Exception as exc:  # keep watching: a busy or damaged file may recover
                log.warning("could not look for other processes' writes (%s)", exc)

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        await super().close()

    async def on_ready(self) -> None:
        log.info("logged in as %s (%s)", self.user, self.user.id if self.user else "?")
