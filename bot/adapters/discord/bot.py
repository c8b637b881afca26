"""The Bot subclass: wires cogs to services. Owns nothing; the CLI opens and closes."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from discord.ext import commands

from bot.adapters.discord.checks import AdminPolicy
from bot.adapters.discord.cogs.admin import AdminCog
from bot.adapters.discord.cogs.fan import FanCog
from bot.adapters.discord.cogs.season import SeasonCog
from bot.adapters.discord.translator import ParcFermeTranslator
from bot.adapters.discord.tree import ParcFermeTree
from bot.services import season_undo
from bot.services.admin import AdminService
from bot.services.championship import ChampionshipService
from bot.services.lookup import Lookup
from bot.services.season_admin import SeasonAdmin
from bot.services.session_admin import SessionAdmin
from bot.settings import Settings

log = logging.getLogger(__name__)

WATCH_EVERY_S = 1.0  # how often another process's writes are looked for (one PRAGMA)


class ParcFermeBot(commands.Bot):
    def __init__(
        self,
        service: ChampionshipService,
        settings: Settings,
        *,
        online: bool = True,
        admin_policy: AdminPolicy | None = None,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=ParcFermeTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.service = service
        self.settings = settings
        self.lookup = Lookup(service)
        self.admin = AdminService(service)
        self.online = online  # False: the local console, which never talks to Discord
        # Who may write: the home guild's admins (none without a home guild).
        self.admin_policy = admin_policy or AdminPolicy.of(
            settings.home_guild_id, settings.admin_role_ids
        )
        self._watcher: asyncio.Task[None] | None = None
        self.sync_home_at_start = True  # `parcferme sync` turns it off: it syncs itself

    async def setup_hook(self) -> None:
        await self.tree.set_translator(ParcFermeTranslator())
        await self.add_cog(FanCog(self.lookup))
        # In the tree everywhere, so a stray use gets a clear refusal (checks.py); published
        # only to the home guild (here and by `parcferme sync`), never globally.
        admin_cog = AdminCog(self.lookup, self.admin, self.settings, self, online=self.online)
        await self.add_cog(admin_cog)
        seasons = SeasonAdmin(self.admin, self.settings.seasons_dir.parent)
        sessions = SessionAdmin(self.admin)
        season_undo.register(seasons, sessions)
        await self.add_cog(SeasonCog(admin_cog, seasons, sessions))
        self._watcher = asyncio.create_task(self._watch(), name="season-watcher")
        guild_id = self.settings.home_guild_id
        if guild_id is not None and self.online and self.sync_home_at_start:
            # Only the home guild, and only at start (never in on_ready, which repeats).
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException as exc:
                # A wrong id or a bot not invited there must not stop the bot answering.
                log.warning(
                    "could not sync the commands to the home guild (HTTP %s): check "
                    "PARCFERME_HOME_GUILD_ID and that the bot was invited with "
                    "applications.commands",
                    exc.status,
                )
            else:
                log.info("synced %d commands to the home guild", len(synced))

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
