"""Season admin slash commands: /season, /round, /session, /pole, /fastest-lap.

The same lock and preview as the other admin commands: the championship admins' check
(:mod:`bot.adapters.discord.checks`) and the admin cog's previews (:mod:`preview`).
"""

from __future__ import annotations

from collections.abc import Awaitable

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.checks import AdminGroup, check_championship_admin
from bot.adapters.discord.cogs.admin import AdminCog
from bot.adapters.discord.confirm import PREVIEW_TIMEOUT_S, ConfirmView
from bot.adapters.discord.options import (
    Driver,
    Race,
    RoundOption,
    Season,
    SourceOption,
    fixed,
    season_of,
)
from bot.adapters.discord.preview import actor_of
from bot.adapters.discord.reply import send_reply
from bot.domain.models import Entry, Round
from bot.i18n import lang_of
from bot.rendering import season as render
from bot.services import circuits
from bot.services.admin import Applied, Plan
from bot.services.championship import RaceView, SeasonView
from bot.services.lookup import entry_in, race_in, round_in
from bot.services.season_admin import SeasonAdmin
from bot.services.session_admin import SessionAdmin
from bot.services.timing_export import MAX_LAP_MS, duration_ms

NewestRound = app_commands.Transform[Round, RoundOption(newest=True)]  # in the season being built
Source = app_commands.Transform[SeasonView | str, SourceOption]
STATES = fixed("provisional", "final")


def _group(name: str, description: str) -> app_commands.Group:
    return AdminGroup(name=name, description=description)


class SeasonCog(commands.Cog):
    season = _group("season", "Seasons: create one, its scoring, its state (admins)")
    round = _group("round", "The calendar: add, edit or cancel a round (admins)")
    session = _group("session", "Sessions of a round and their local start times (admins)")
    pole = _group("pole", "Pole positions without a timing file (admins)")
    fastest = _group("fastest-lap", "Fastest laps without a timing file (admins)")

    def __init__(self, admin_cog: AdminCog, seasons: SeasonAdmin, sessions: SessionAdmin) -> None:
        self.admin_cog = admin_cog
        self.previews = admin_cog.previews  # the same previews and Confirm as every admin change
        self.seasons = seasons
        self.sessions = sessions
        self.off_loop = admin_cog.admin.off_loop  # planning in a worker thread

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await check_championship_admin(interaction)

    async def _working(
        self, interaction: discord.Interaction, season: SeasonView | None
    ) -> SeasonView:
        """The season named, else the newest one (a new season has no round yet)."""
        return season or await season_of(interaction, newest=True)

    async def _session_ac(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        codes = ["Q", *(f"R{n}" for n in range(1, 10))]
        typed = current.strip().upper()
        return [app_commands.Choice(name=c, value=c) for c in codes if c.startswith(typed)][:25]

    # -- /season -------------------------------------------------------------------------------
    @season.command(name="create")
    @app_commands.describe(
        series="the series, e.g. Porsche Carrera Cup France (a new name starts a new series)",
        year="the season's year",
        name="its full name (default: year and series)",
        from_season="copy rules and championships from this season or template",
    )
    async def season_create(
        self,
        interaction: discord.Interaction,
        series: str,
        year: app_commands.Range[int, 1950, 2200],
        name: str | None = None,
        from_season: Source | None = None,
    ) -> None:
        """Create a season: rules, championships and circuits copied (previewed)."""
        new = await self.seasons.plan_create(series, year, name, from_season)
        actor = actor_of(interaction)
        lang = lang_of(interaction.locale)

        async def run(confirm: ConfirmView) -> Applied:
            return await self.seasons.apply_create(new, actor, confirm.token)

        reply = render.create_preview(new, int(PREVIEW_TIMEOUT_S), lang)
        await self.previews.ask(interaction, self.previews.view(interaction, run), reply)

    @season.command(name="rules")
    @app_commands.describe(season="which season (default: the newest)")
    async def season_rules(
        self, interaction: discord.Interaction, season: Season | None = None
    ) -> None:
        """The scoring in force: points, bonuses, championships."""
        view = await self._working(interaction, season)
        await send_reply(interaction, render.rules_reply(view, lang_of(interaction.locale)))

    @season.command(name="status")
    @app_commands.describe(
        state="set provisional or final (leave empty to see where the season stands)",
        season="which season (default: the newest)",
    )
    @app_commands.choices(state=STATES)
    async def season_status(
        self,
        interaction: discord.Interaction,
        state: app_commands.Choice[str] | None = None,
        season: Season | None = None,
    ) -> None:
        """Where a season stands, or mark it provisional or final (previewed)."""
        view = await self._working(interaction, season)
        if state is None:
            await send_reply(interaction, render.status_reply(view, lang_of(interaction.locale)))
            return
        status = state.value

        def plan(now: SeasonView) -> Awaitable[Plan]:
            return self.off_loop(self.seasons.plan_season_status, now, status)

        await self.previews.show(interaction, self.previews.on_season(view.season.id, plan))

    # -- /round --------------------------------------------------------------------------------
    @round.command(name="add")
    @app_commands.describe(
        circuit="where (known circuits fill in town, country and time zone)",
        start_date="first day, YYYY-MM-DD",
        end_date="last day (default: the first)",
        number="round number (default: the next)",
        races="how many races (default 2)",
        timezone="the circuit's time zone if it is new, e.g. Europe/Paris",
        season="which season (default: the newest)",
    )
    async def round_add(
        self,
        interaction: discord.Interaction,
        circuit: str,
        start_date: str,
        end_date: str | None = None,
        number: app_commands.Range[int, 1, 40] | None = None,
        races: app_commands.Range[int, 1, 9] = 2,
        timezone: str | None = None,
        season: Season | None = None,
    ) -> None:
        """Add a round to the calendar, with its qualifying and races (previewed)."""
        view = await self._working(interaction, season)
        start = circuits.parse_date(start_date)
        end = circuits.parse_date(end_date) if end_date else None

        def plan(now: SeasonView) -> Awaitable[Plan]:
            return self.seasons.plan_round_add(now, circuit, start, end, number, races, timezone)

        await self.previews.show(interaction, self.previews.on_season(view.season.id, plan))

    @round.command(name="edit")
    @app_commands.describe(
        round="which round",
        start_date="new first day, YYYY-MM-DD",
        end_date="new last day",
        state="scheduled, postponed or cancelled",
        note="shown in /calendar",
    )
    @app_commands.choices(state=fixed("scheduled", "postponed", "cancelled"))
    async def round_edit(
        self,
        interaction: discord.Interaction,
        round: NewestRound,
        start_date: str | None = None,
        end_date: str | None = None,
        state: app_commands.Choice[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Move a round, postpone it or put it back on (previewed)."""
        view = await season_of(interaction, newest=True)
        start = circuits.parse_date(start_date) if start_date else None
        end = circuits.parse_date(end_date) if end_date else None
        status = state.value if state else None

        def plan(now: SeasonView) -> Awaitable[Plan]:
            return self.off_loop(
                self.seasons.plan_round_edit, now, round_in(now, round), start, end, status, note
            )

        await self.previews.show(interaction, self.previews.on_season(view.season.id, plan))

    @round.command(name="cancel")
    @app_commands.describe(round="which round", reason="why (shown in /calendar)")
    async def round_cancel(
        self, interaction: discord.Interaction, round: NewestRound, reason: str | None = None
    ) -> None:
        """Cancel a round: it stays in /calendar, marked cancelled (previewed)."""
        view = await season_of(interaction, newest=True)

        def plan(now: SeasonView) -> Awaitable[Plan]:
            return self.off_loop(
                self.seasons.plan_round_edit, now, round_in(now, round), None, None, "cancelled",
                reason,
            )  # fmt: skip

        await self.previews.show(interaction, self.previews.on_season(view.season.id, plan))

    # -- /session ------------------------------------------------------------------------------
    @session.command(name="add")
    @app_commands.describe(
        round="which round",
        session="Q (qualifying) or R1, R2 …",
        date="the day, YYYY-MM-DD",
        start_time="local time at the circuit, HH:MM",
    )
    @app_commands.autocomplete(session=_session_ac)
    async def session_add(
        self,
        interaction: discord.Interaction,
        round: NewestRound,
        session: str,
        date: str,
        start_time: str | None = None,
    ) -> None:
        """Add a session or set its day and local start time (previewed)."""
        view = await season_of(interaction, newest=True)
        day = circuits.parse_date(date)

        def plan(now: SeasonView) -> Awaitable[Plan]:
            return self.off_loop(
                self.seasons.plan_session_set, now, round_in(now, round), session, day, start_time
            )

        await self.previews.show(interaction, self.previews.on_season(view.season.id, plan))

    # -- /pole and /fastest-lap ----------------------------------------------------------------
    async def _bonus(
        self,
        interaction: discord.Interaction,
        kind: str,
        race: RaceView,
        driver: Entry,
        time: str | None,
    ) -> None:
        view = await season_of(interaction)
        lap_ms = duration_ms(time, "time", MAX_LAP_MS) if time else None  # or says why not

        def plan(now: SeasonView) -> Awaitable[Plan]:
            return self.off_loop(
                self.sessions.plan_bonus, now, race_in(now, race), kind, entry_in(now, driver),
                lap_ms,
            )  # fmt: skip

        await self.previews.show(interaction, self.previews.on_season(view.season.id, plan))

    @pole.command(name="set")
    @app_commands.describe(race="which race", driver="who took pole", time="the pole lap, 1:43.768")
    async def pole_set(
        self, interaction: discord.Interaction, race: Race, driver: Driver, time: str | None = None
    ) -> None:
        """Record a race's pole (moves the pole bonus; previewed)."""
        await self._bonus(interaction, "pole", race, driver, time)

    @fastest.command(name="set")
    @app_commands.describe(race="which race", driver="who set it", time="the lap, 1:27.512")
    async def fastest_set(
        self, interaction: discord.Interaction, race: Race, driver: Driver, time: str | None = None
    ) -> None:
        """Record a race's fastest lap (moves the bonus; previewed)."""
        await self._bonus(interaction, "fastest-lap", race, driver, time)
