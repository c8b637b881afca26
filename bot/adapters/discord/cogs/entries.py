"""Entry admin slash commands: /entry add, withdraw and edit, in the season being built.

The same lock and preview as the other admin commands (:mod:`checks`, :mod:`preview`); the
driver is named in the newest season, where entries are made before its first round.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.checks import AdminGroup
from bot.adapters.discord.cogs.admin import AdminCog
from bot.adapters.discord.options import DriverOption, fixed, season_of
from bot.domain.models import Entry
from bot.services.admin import Plan
from bot.services.championship import SeasonView
from bot.services.lookup import entry_in
from bot.services.session_admin import parse_rounds

NewestDriver = app_commands.Transform[Entry, DriverOption(newest=True)]
CLASSES = fixed("Pro", "Pro-Am", "Am")


class EntryCog(commands.Cog):
    entry = AdminGroup(
        name="entry",
        description="Entries: drivers, teams, car numbers, classes (admins)",
    )

    def __init__(self, admin_cog: AdminCog) -> None:
        self.lookup = admin_cog.lookup
        self.admin = admin_cog.admin
        self.sessions = admin_cog.sessions
        self.previews = admin_cog.previews  # the same previews and Confirm as every admin change

    @entry.command(name="add")
    @app_commands.describe(
        driver="full name",
        team="team name",
        klass="Pro, Pro-Am or Am",
        car_number="0-999",
        rookie="a rookie",
        junior="a junior",
        guest="a guest (scores nothing)",
        rounds="rounds entered: all (default), 3, or 1,2,5, or 3-6",
    )
    @app_commands.rename(klass="class")
    @app_commands.choices(klass=CLASSES)
    async def entry_add(
        self,
        interaction: discord.Interaction,
        driver: str,
        team: str | None = None,
        klass: app_commands.Choice[str] | None = None,
        car_number: app_commands.Range[int, 0, 999] | None = None,
        rookie: bool | None = None,
        junior: bool | None = None,
        guest: bool = False,
        rounds: str | None = None,
    ) -> None:
        """Enter a driver in the latest season (previewed)."""
        view = await season_of(interaction, newest=True)
        season_id = view.season.id
        new = Entry(
            id=0,
            driver_id=0,
            driver=driver,
            team_id=None,
            team=team,
            car_number=car_number,
            klass=klass.value if klass else None,
            rookie=rookie,
            junior=junior,
            guest=guest,
            rounds=parse_rounds(rounds or "", view),
        )

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            return await self.admin.off_loop(self.admin.plan_entry_add, view, new)

        await self.previews.show(interaction, planner)

    @entry.command(name="withdraw")
    @app_commands.describe(
        driver="who", from_round="the first round missed (default: the next one without results)"
    )
    async def entry_withdraw(
        self,
        interaction: discord.Interaction,
        driver: NewestDriver,
        from_round: app_commands.Range[int, 1, 99] | None = None,
    ) -> None:
        """Withdraw a driver from the rest of the season; results so far stay (previewed)."""
        view = await season_of(interaction, newest=True)

        def plan(now: SeasonView) -> Awaitable[Plan]:
            return self.admin.off_loop(
                self.sessions.plan_withdraw, now, entry_in(now, driver), from_round
            )

        await self.previews.show(interaction, self.previews.on_season(view.season.id, plan))

    @entry.command(name="edit")
    @app_commands.describe(
        driver="who",
        team="new team",
        klass="new class",
        car_number="new number",
        rookie="rookie?",
        junior="junior?",
        guest="guest?",
    )
    @app_commands.rename(klass="class")
    @app_commands.choices(klass=CLASSES)
    async def entry_edit(
        self,
        interaction: discord.Interaction,
        driver: NewestDriver,
        team: str | None = None,
        klass: app_commands.Choice[str] | None = None,
        car_number: app_commands.Range[int, 0, 999] | None = None,
        rookie: bool | None = None,
        junior: bool | None = None,
        guest: bool | None = None,
    ) -> None:
        """Change an entry: team, class, number, rookie/junior/guest (previewed)."""
        season_id = (await season_of(interaction, newest=True)).season.id

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            old = entry_in(view, driver)
            new = replace(
                old,
                team=team if team is not None else old.team,
                klass=klass.value if klass else old.klass,
                car_number=car_number if car_number is not None else old.car_number,
                rookie=rookie if rookie is not None else old.rookie,
                junior=junior if junior is not None else old.junior,
                guest=guest if guest is not None else old.guest,
            )
            return await self.admin.off_loop(self.admin.plan_entry_edit, view, old, new)

        await self.previews.show(interaction, planner)
