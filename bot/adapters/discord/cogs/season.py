"""Season admin slash commands: /season, /round, /session, /pole, /fastest-lap.

The same lock and preview as the other admin commands: the championship admins' check
(:mod:`bot.adapters.discord.checks`) and the admin cog's Confirm/Cancel preview.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.checks import AdminGroup, check_championship_admin
from bot.adapters.discord.cogs.admin import AdminCog, actor_of
from bot.adapters.discord.confirm import PREVIEW_TIMEOUT_S, ConfirmView
from bot.adapters.discord.reply import NO_MENTIONS, send_reply
from bot.errors import ExportProblem, Invalid
from bot.i18n import lang_of
from bot.rendering import season as render
from bot.services import circuits
from bot.services.championship import SeasonView
from bot.services.season_admin import SeasonAdmin
from bot.services.session_admin import SessionAdmin
from bot.services.timing_export import MAX_LAP_MS, duration_ms

STATES = [app_commands.Choice(name=s, value=s) for s in ("provisional", "final")]


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
        self.seasons = seasons
        self.sessions = sessions
        self.lookup = admin_cog.lookup
        self.off_loop = admin_cog.admin.off_loop  # planning in a worker thread

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await check_championship_admin(interaction)

    async def _working(self, season: str | None) -> SeasonView:
        """The season named, else the newest one (a new season has no round yet)."""
        if season:
            return await self.lookup.season(season)
        return await self.lookup.service.newest()

    async def _season_ac(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.admin_cog.completions.season_autocomplete(interaction, current)

    async def _race_ac(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.admin_cog.completions.race_autocomplete(interaction, current)

    async def _driver_ac(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.admin_cog.completions.driver_autocomplete(interaction, current)

    async def _round_ac(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        try:
            view = await self.lookup.service.newest()
        except LookupError:
            return []
        index = self.lookup.index(view)
        return [
            app_commands.Choice(name=n.label[:100], value=n.label[:100])
            for n in index.rounds.choices(current)[:25]
        ]

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
    @app_commands.autocomplete(from_season=_season_ac)
    async def season_create(
        self,
        interaction: discord.Interaction,
        series: str,
        year: app_commands.Range[int, 1950, 2200],
        name: str | None = None,
        from_season: str | None = None,
    ) -> None:
        """Create a season: rules, championships and circuits copied (previewed)."""
        source: SeasonView | str | None = None
        if from_season:
            templates = self.seasons.templates()
            source = (
                from_season.strip()
                if from_season.strip() in templates
                else await self.lookup.season(from_season)
            )
        new = await self.seasons.plan_create(series, year, name, source)
        actor = actor_of(interaction)
        lang = lang_of(interaction.locale)

        async def run(confirm: ConfirmView):  # type: ignore[no-untyped-def]
            return await self.seasons.apply_create(new, actor, confirm.token)

        view = ConfirmView(interaction.user.id, run, self.admin_cog._announce, lang)
        reply = render.create_preview(new, int(PREVIEW_TIMEOUT_S), lang)
        await interaction.response.send_message(
            embed=reply.pages[0], view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        view.origin = interaction

    @season.command(name="rules")
    @app_commands.describe(season="which season (default: the newest)")
    @app_commands.autocomplete(season=_season_ac)
    async def season_rules(
        self, interaction: discord.Interaction, season: str | None = None
    ) -> None:
        """The scoring in force: points, bonuses, championships."""
        view = await self._working(season)
        await send_reply(interaction, render.rules_reply(view, lang_of(interaction.locale)))

    @season.command(name="status")
    @app_commands.describe(
        state="set provisional or final (leave empty to see where the season stands)",
        season="which season (default: the newest)",
    )
    @app_commands.choices(state=STATES)
    @app_commands.autocomplete(season=_season_ac)
    async def season_status(
        self,
        interaction: discord.Interaction,
        state: app_commands.Choice[str] | None = None,
        season: str | None = None,
    ) -> None:
        """Where a season stands, or mark it provisional or final (previewed)."""
        view = await self._working(season)
        if state is None:
            await send_reply(interaction, render.status_reply(view, lang_of(interaction.locale)))
            return
        plan = await self.off_loop(self.seasons.plan_season_status, view, state.value)
        await self.admin_cog._preview(interaction, plan)

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
    @app_commands.autocomplete(season=_season_ac)
    async def round_add(
        self,
        interaction: discord.Interaction,
        circuit: str,
        start_date: str,
        end_date: str | None = None,
        number: app_commands.Range[int, 1, 40] | None = None,
        races: app_commands.Range[int, 1, 9] = 2,
        timezone: str | None = None,
        season: str | None = None,
    ) -> None:
        """Add a round to the calendar, with its qualifying and races (previewed)."""
        view = await self._working(season)
        start = circuits.parse_date(start_date)
        end = circuits.parse_date(end_date) if end_date else None
        plan = await self.seasons.plan_round_add(view, circuit, start, end, number, races, timezone)
        await self.admin_cog._preview(interaction, plan)

    @round.command(name="edit")
    @app_commands.describe(
        round="which round",
        start_date="new first day, YYYY-MM-DD",
        end_date="new last day",
        state="scheduled, postponed or cancelled",
        note="shown in /calendar",
    )
    @app_commands.choices(
        state=[
            app_commands.Choice(name=s, value=s) for s in ("scheduled", "postponed", "cancelled")
        ]
    )
    @app_commands.autocomplete(round=_round_ac)
    async def round_edit(
        self,
        interaction: discord.Interaction,
        round: str,
        start_date: str | None = None,
        end_date: str | None = None,
        state: app_commands.Choice[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Move a round, postpone it or put it back on (previewed)."""
        view = await self.lookup.service.newest()
        rnd = self.lookup.index(view).round(round)
        plan = await self.off_loop(
            self.seasons.plan_round_edit,
            view,
            rnd,
            circuits.parse_date(start_date) if start_date else None,
            circuits.parse_date(end_date) if end_date else None,
            state.value if state else None,
            note,
        )
        await self.admin_cog._preview(interaction, plan)

    @round.command(name="cancel")
    @app_commands.describe(round="which round", reason="why (shown in /calendar)")
    @app_commands.autocomplete(round=_round_ac)
    async def round_cancel(
        self, interaction: discord.Interaction, round: str, reason: str | None = None
    ) -> None:
        """Cancel a round: it stays in /calendar, marked cancelled (previewed)."""
        view = await self.lookup.service.newest()
        rnd = self.lookup.index(view).round(round)
        plan = await self.off_loop(
            self.seasons.plan_round_edit, view, rnd, None, None, "cancelled", reason
        )
        await self.admin_cog._preview(interaction, plan)

    # -- /session ------------------------------------------------------------------------------
    @session.command(name="add")
    @app_commands.describe(
        round="which round",
        session="Q (qualifying) or R1, R2 …",
        date="the day, YYYY-MM-DD",
        start_time="local time at the circuit, HH:MM",
    )
    @app_commands.autocomplete(round=_round_ac, session=_session_ac)
    async def session_add(
        self,
        interaction: discord.Interaction,
        round: str,
        session: str,
        date: str,
        start_time: str | None = None,
    ) -> None:
        """Add a session or set its day and local start time (previewed)."""
        view = await self.lookup.service.newest()
        rnd = self.lookup.index(view).round(round)
        day = circuits.parse_date(date)
        plan = await self.off_loop(
            self.seasons.plan_session_set, view, rnd, session, day, start_time
        )
        await self.admin_cog._preview(interaction, plan)

    # -- /pole and /fastest-lap ----------------------------------------------------------------
    async def _bonus(
        self,
        interaction: discord.Interaction,
        kind: str,
        race: str,
        driver: str,
        time: str | None,
    ) -> None:
        view = self.lookup.service.latest()
        index = self.lookup.index(view)
        race_view = index.race(race)
        entry = index.driver(driver)
        lap_ms = None
        if time:
            try:
                lap_ms = duration_ms(time, "time", MAX_LAP_MS)
            except ExportProblem as exc:
                raise Invalid("{problem}", problem=str(exc)) from None
        plan = await self.off_loop(self.sessions.plan_bonus, view, race_view, kind, entry, lap_ms)
        await self.admin_cog._preview(interaction, plan)

    @pole.command(name="set")
    @app_commands.describe(race="which race", driver="who took pole", time="the pole lap, 1:43.768")
    @app_commands.autocomplete(race=_race_ac, driver=_driver_ac)
    async def pole_set(
        self, interaction: discord.Interaction, race: str, driver: str, time: str | None = None
    ) -> None:
        """Record a race's pole (moves the pole bonus; previewed)."""
        await self._bonus(interaction, "pole", race, driver, time)

    @fastest.command(name="set")
    @app_commands.describe(race="which race", driver="who set it", time="the lap, 1:27.512")
    @app_commands.autocomplete(race=_race_ac, driver=_driver_ac)
    async def fastest_set(
        self, interaction: discord.Interaction, race: str, driver: str, time: str | None = None
    ) -> None:
        """Record a race's fastest lap (moves the bonus; previewed)."""
        await self._bonus(interaction, "fastest-lap", race, driver, time)
