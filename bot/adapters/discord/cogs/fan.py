"""The public slash commands. Thin: parse options, ask a service, render, respond once."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import logging
from collections.abc import Callable

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.options import (
    Champ,
    Circuit,
    Driver,
    DriverListOption,
    Race,
    Season,
    season_of,
)
from bot.adapters.discord.reply import NO_MENTIONS, send_reply
from bot.domain.models import Championship, Entry
from bot.errors import Invalid
from bot.i18n import lang_of, tr, trn
from bot.rendering import chart
from bot.rendering import fan as render
from bot.services.championship import SeasonView
from bot.services.lookup import Lookup
from bot.services.season_create import no_result_yet

log = logging.getLogger(__name__)

SEASON = "e.g. 2023 (default: the latest season)"
Drivers = app_commands.Transform[list[Entry], DriverListOption(limit=6)]


def _lang(interaction: discord.Interaction) -> str:
    return lang_of(interaction.locale)


def memo(
    view: SeasonView, key: tuple[object, ...], build: Callable[[], render.Reply]
) -> render.Reply:
    """An answer worked out once per season view: a change makes a new view, and new answers."""
    reply = view.memo.get(key)
    if not isinstance(reply, render.Reply):
        reply = build()
        view.memo[key] = reply
    return reply


def _check_round(view: SeasonView, after_round: int | None) -> None:
    if after_round is not None and not 1 <= after_round <= view.season.last_round:
        raise Invalid(
            "{year} has {rounds} rounds: after_round must be 1 to {rounds}.",
            year=view.season.year,
            rounds=view.season.last_round,
        )


@functools.lru_cache(maxsize=4)
def _help(lang: str) -> render.Reply:
    return render.help_reply(lang)


class FanCog(commands.Cog):
    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    async def _view(
        self, interaction: discord.Interaction, season: SeasonView | None
    ) -> SeasonView:
        """The season picked, else the latest (resolved once with the other options)."""
        return season or await season_of(interaction)

    async def _table(
        self,
        interaction: discord.Interaction,
        season: SeasonView | None,
        championship: Championship | None,
        after_round: int | None = None,
        *,
        not_teams: Invalid | None = None,
    ) -> tuple[SeasonView, Championship]:
        """The season and championship of a table (drivers by default), refused with
        ``not_teams`` for a teams' championship, and when nothing has a result yet."""
        view = await self._view(interaction, season)
        champ = championship or view.season.championships[0]
        if not_teams is not None and champ.is_teams:
            raise not_teams
        _check_round(view, after_round)
        empty = no_result_yet(view, self.lookup.service.seasons)
        if empty is not None:
            raise empty
        return view, champ

    # -- commands ------------------------------------------------------------------------------
    @app_commands.command(name="standings")
    @app_commands.describe(
        championship="drivers, pro-am, am, rookie, teams … (default: drivers)",
        season=SEASON,
        after_round="standings as they were after this round",
    )
    async def standings(
        self,
        interaction: discord.Interaction,
        championship: Champ | None = None,
        season: Season | None = None,
        after_round: app_commands.Range[int, 0, 99] | None = None,
    ) -> None:
        """Championship standings, overall or per class, after any round."""
        view, champ = await self._table(interaction, season, championship, after_round)
        lang = _lang(interaction)
        await send_reply(
            interaction,
            memo(
                view,
                ("standings", champ.slug, after_round, lang),
                lambda: render.standings_reply(view, view.standings(champ.slug, after_round), lang),
            ),
        )

    @app_commands.command(name="race")
    @app_commands.describe(
        circuit="where: Monza, Le Castellet, Spielberg …",
        number="which race of the round (1 or 2; not needed for a one-race round)",
        season=SEASON,
    )
    async def race(
        self,
        interaction: discord.Interaction,
        circuit: Circuit,
        number: app_commands.Range[int, 1, 9] | None = None,
        season: Season | None = None,
    ) -> None:
        """A race's classification, penalties, pole and class winners."""
        view, race = await self._view(interaction, season), circuit
        lang = _lang(interaction)
        key = ("race", race.session.id, lang)
        await send_reply(interaction, memo(view, key, lambda: render.race_reply(view, race, lang)))

    @app_commands.command(name="winners")
    @app_commands.describe(
        championship="overall (default), pro-am, am, rookie …",
        season=SEASON,
    )
    @app_commands.rename(championship="class")
    async def winners(
        self,
        interaction: discord.Interaction,
        championship: Champ | None = None,
        season: Season | None = None,
    ) -> None:
        """The winner of every race, overall or per class, with a tally."""
        view, champ = await self._view(interaction, season), championship
        if champ is not None and champ.is_teams:
            raise Invalid("Races are won by drivers: pick overall, a class or rookie.")
        lang = _lang(interaction)
        slug = champ.slug if champ else None
        await send_reply(
            interaction,
            memo(view, ("winners", slug, lang), lambda: render.winners_reply(view, slug, lang)),
        )

    @app_commands.command(name="poles")
    @app_commands.describe(season=SEASON)
    async def poles(self, interaction: discord.Interaction, season: Season | None = None) -> None:
        """Pole position of every race, with a tally."""
        view = await self._view(interaction, season)
        lang = _lang(interaction)
        await send_reply(
            interaction, memo(view, ("poles", lang), lambda: render.poles_reply(view, lang))
        )

    @app_commands.command(name="penalties")
    @app_commands.describe(
        driver="only this driver's penalties",
        race="only this race, e.g. monza 2",
        season=SEASON,
    )
    async def penalties(
        self,
        interaction: discord.Interaction,
        driver: Driver | None = None,
        race: Race | None = None,
        season: Season | None = None,
    ) -> None:
        """Stewards' decisions, newest first, with reason and effect."""
        view, entry, rv = await self._view(interaction, season), driver, race
        lang = _lang(interaction)

        def build() -> render.Reply:
            items = view.penalties()
            scope: list[str] = []
            if entry is not None:
                items = [
                    t for t in items if view.entries[t[2].entry_id].driver_id == entry.driver_id
                ]
                scope.append(entry.driver)
            if rv is not None:
                items = [t for t in items if t[1].id == rv.session.id]
                scope.append(render.label(rv, lang))
            return render.penalties_reply(view, items, " · ".join(scope), lang)

        key = ("penalties", entry.driver_id if entry else None, rv.session.id if rv else None, lang)
        await send_reply(interaction, memo(view, key, build))

    @app_commands.command(name="driver")
    @app_commands.describe(name="a driver (first or last name, car number)", season="e.g. 2023")
    async def driver(
        self, interaction: discord.Interaction, name: Driver, season: Season | None = None
    ) -> None:
        """A driver's season: team, class, results, wins, poles, penalties, standings."""
        view, entry = await self._view(interaction, season), name
        lang = _lang(interaction)
        await send_reply(
            interaction,
            memo(view, ("driver", entry.id, lang), lambda: render.driver_reply(view, entry, lang)),
        )

    @app_commands.command(name="calendar")
    @app_commands.describe(season=SEASON)
    async def calendar(
        self, interaction: discord.Interaction, season: Season | None = None
    ) -> None:
        """The rounds of a season with their dates and winners."""
        view = await self._view(interaction, season)
        lang = _lang(interaction)
        await send_reply(
            interaction, memo(view, ("calendar", lang), lambda: render.calendar_reply(view, lang))
        )

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """What each command does, with examples."""
        await send_reply(interaction, _help(_lang(interaction)))

    @app_commands.command(name="title")
    @app_commands.describe(
        championship="drivers (default), pro-am, am, rookie …",
        season=SEASON,
        after_round='as it stood after this round ("going into the finale")',
    )
    async def title(
        self,
        interaction: discord.Interaction,
        championship: Champ | None = None,
        season: Season | None = None,
        after_round: app_commands.Range[int, 0, 99] | None = None,
    ) -> None:
        """Who can still win the title, and what each contender needs."""
        view, champ = await self._table(
            interaction,
            season,
            championship,
            after_round,
            not_teams=Invalid("Title scenarios are for drivers' championships."),
        )
        lang = _lang(interaction)
        await send_reply(
            interaction,
            memo(
                view,
                ("title", champ.slug, after_round, lang),
                lambda: render.title_reply(view, champ.slug, after_round, lang),
            ),
        )

    @app_commands.command(name="compare")
    @app_commands.describe(first="a driver", second="another driver", season="e.g. 2023")
    async def compare(
        self,
        interaction: discord.Interaction,
        first: Driver,
        second: Driver,
        season: Season | None = None,
    ) -> None:
        """Head to head: finishes and starts ahead, wins, poles, points, penalties."""
        view, a, b = await self._view(interaction, season), first, second
        if a.driver_id == b.driver_id:
            raise Invalid("Pick two different drivers.")
        lang = _lang(interaction)
        await send_reply(
            interaction,
            memo(
                view, ("compare", a.id, b.id, lang), lambda: render.compare_reply(view, a, b, lang)
            ),
        )

    @app_commands.command(name="next")
    @app_commands.describe(season="e.g. 2024 (default: the latest season)")
    async def next_round(
        self, interaction: discord.Interaction, season: Season | None = None
    ) -> None:
        """The next round with a countdown, or where to find the last results."""
        view = await self._view(interaction, season)
        await send_reply(
            interaction, render.next_reply(view, dt.datetime.now(dt.UTC).date(), _lang(interaction))
        )

    @app_commands.command(name="chart")
    @app_commands.describe(
        championship="drivers (default), pro-am, am, rookie …",
        season="e.g. 2023",
        drivers="up to 6 drivers, separated by commas (default: the top 5)",
    )
    async def chart(
        self,
        interaction: discord.Interaction,
        championship: Champ | None = None,
        season: Season | None = None,
        drivers: Drivers | None = None,
    ) -> None:
        """The points progression race by race, as a picture."""
        view, champ = await self._table(
            interaction,
            season,
            championship,
            not_teams=Invalid("Charts are for drivers' championships."),
        )
        if drivers:
            ids = [e.driver_id for e in drivers]
        else:
            ids = [r.key for r in view.standings(champ.slug).rows[:5]]
        lang = _lang(interaction)
        _, series = view.progression(champ.slug, ids)
        labels = [render.race_name(view.rounds[s.round_number], s, lang) for s in view.races]
        title = tr(
            lang,
            "{season} — {championship} points",
            season=render.season_title(view),
            championship=render.champ_name(champ.name, lang),
        )
        incomplete = any(not exact for _, _, exact in series)
        if incomplete:
            title += " " + tr(lang, "(lower bounds, not positions)")
        await interaction.response.defer(thinking=True)
        try:
            png = await asyncio.to_thread(
                chart.render_png,
                title,
                labels,
                [chart.Series(n, tuple(p), exact) for n, p, exact in series],
            )
        except Exception:
            log.exception("chart rendering failed")
            fallback = render.chart_fallback(title, labels, series, lang)
            await send_reply(interaction, fallback)
            return
        alt = tr(
            lang,
            "Line chart of {championship} points after each race for {drivers}",
            championship=render.champ_name(champ.name, lang),
            drivers=", ".join(n for n, _, _ in series),
        )
        if incomplete:
            alt += " " + tr(lang, "(lower bounds, not positions)")
        embed = discord.Embed(title=title, colour=render.COLOUR)
        embed.set_image(url="attachment://chart.png")
        embed.set_footer(
            text=tr(
                lang,
                "dashed: lower bounds from an incomplete record, not positions: "
                "where two lines cross says nothing about who was ahead",
            )
            if incomplete
            else trn(lang, "{n} race", "{n} races", len(labels))
        )
        await interaction.followup.send(
            embed=embed,
            file=discord.File(io.BytesIO(png), "chart.png", description=alt[:1000]),
            allowed_mentions=NO_MENTIONS,
        )
