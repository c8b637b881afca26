"""Season, round, race, driver and championship options: typed, autocompleted, resolved once.

Each option is a discord.py transformer (the model: discord.py's
``examples/app_commands/transformers.py``): the command receives the season's own object (a
``SeasonView``, ``Round``, ``RaceView``, ``Entry`` or ``Championship``), and a name that
matches nothing, or several things, is answered by the errors module's ``NotFound`` or
``Invalid`` with close names to try. The same transformer gives the option its autocomplete.

Every option of one interaction, and the command itself (:func:`season_of`), work on the
same season view: the one the ``season`` option names, else the latest season (fans) or the
newest one (admins building a season, ``newest=True``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.domain.models import Championship, Entry, Round
from bot.services.championship import RaceView, SeasonView
from bot.services.lookup import MAX_CHOICES, Lookup, Named, SeasonIndex
from bot.services.session_admin import qualifying_target

log = logging.getLogger(__name__)

AnyChoice = app_commands.Choice[int | float | str]
_VIEW = "parcferme.season-view"


def lookup_of(interaction: discord.Interaction) -> Lookup:
    """The bot's name lookup (every client that carries these commands has one)."""
    lookup = getattr(interaction.client, "lookup", None)
    if not isinstance(lookup, Lookup):
        raise TypeError("the client carries no Lookup")
    return lookup


async def season_of(interaction: discord.Interaction, *, newest: bool = False) -> SeasonView:
    """The season this interaction is about, resolved once: its ``season`` option's, else the
    latest season (or the newest one with ``newest``)."""
    view = interaction.extras.get(_VIEW)
    if isinstance(view, SeasonView):
        return view
    lookup = lookup_of(interaction)
    text = getattr(interaction.namespace, "season", None)
    if isinstance(text, str) and text.strip():
        view = await lookup.season(text)
    elif newest:
        view = await lookup.service.newest()
    else:
        view = lookup.service.latest()
    interaction.extras[_VIEW] = view
    return view


def choices(items: Sequence[Named]) -> list[AnyChoice]:
    return [
        app_commands.Choice(name=n.label[:100], value=n.value[:100]) for n in items[:MAX_CHOICES]
    ]


def fixed(*values: str) -> list[app_commands.Choice[str]]:
    """Choices for an option with a fixed set of values, each shown as it is (an enum's
    members give their values)."""
    return [app_commands.Choice(name=str(v), value=str(v)) for v in values]


class SeasonOption(app_commands.Transformer):
    """A season, by year or name."""

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> SeasonView:
        if getattr(interaction.namespace, "season", None) == value:
            return await season_of(interaction)
        return await lookup_of(interaction).season(str(value))

    async def autocomplete(
        self, interaction: discord.Interaction, value: int | float | str, /
    ) -> list[AnyChoice]:
        try:
            found = lookup_of(interaction).season_choices(str(value))
            return choices([Named(n.label, n.label, n.keys) for n in found])
        except Exception:  # an autocomplete answers, whatever happens
            log.exception("season autocomplete failed")
            return []


class _InSeason(app_commands.Transformer):
    """An option resolved in the interaction's season (:func:`season_of`)."""

    def __init__(self, *, newest: bool = False) -> None:
        self.newest = newest

    async def index(self, interaction: discord.Interaction) -> SeasonIndex:
        view = await season_of(interaction, newest=self.newest)
        return lookup_of(interaction).index(view)

    #: The autocomplete's choices for what is typed so far.
    pick: Callable[[SeasonIndex, str], list[Named]]

    async def autocomplete(
        self, interaction: discord.Interaction, value: int | float | str, /
    ) -> list[AnyChoice]:
        try:
            try:
                index = await self.index(interaction)
            except LookupError:  # a season not (yet) typed right: suggest from the latest
                lookup = lookup_of(interaction)
                index = lookup.index(lookup.service.latest())
            return choices(self.pick(index, str(value)))
        except Exception:  # an autocomplete answers, whatever happens
            log.exception("%s autocomplete failed", type(self).__name__)
            return []


def _rounds(index: SeasonIndex, current: str) -> list[Named]:
    return [Named(n.label, n.keys[0], n.keys) for n in index.rounds.choices(current)]


def _races(index: SeasonIndex, current: str) -> list[Named]:
    return [Named(n.label, n.label, n.keys) for n in index.races.choices(current)]


def _drivers(index: SeasonIndex, current: str) -> list[Named]:
    return [Named(n.label, n.label.split(" #")[0], n.keys) for n in index.drivers.choices(current)]


def _championships(index: SeasonIndex, current: str) -> list[Named]:
    return index.championships.choices(current)


class RoundOption(_InSeason):
    """A round, by circuit, town, country or slug."""

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Round:
        return (await self.index(interaction)).round(str(value))

    pick = staticmethod(_rounds)


class RaceAtCircuit(_InSeason):
    """A race named by its circuit ("monza 2", or "monza" with the ``number`` option)."""

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> RaceView:
        number = getattr(interaction.namespace, "number", None)
        return (await self.index(interaction)).race(str(value), number)

    pick = staticmethod(_rounds)


class RaceOption(_InSeason):
    """A race: "monza 1", "le castellet 2", "Monza — race 1"."""

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> RaceView:
        return (await self.index(interaction)).race(str(value))

    pick = staticmethod(_races)


@dataclass(frozen=True, slots=True)
class ImportTarget:
    """Where a timing file goes: a race's classification, or (``qualifying``) its grid."""

    race: RaceView
    qualifying: bool


class ImportTargetOption(_InSeason):
    """A race ("monza 1") or the qualifying that sets its grid ("monza q1")."""

    pick = staticmethod(_races)

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> ImportTarget:
        index = await self.index(interaction)
        qualifying = qualifying_target(index, str(value))
        if qualifying is not None:
            return ImportTarget(qualifying, True)
        return ImportTarget(index.race(str(value)), False)


class DriverOption(_InSeason):
    """A driver, by name, family name or car number: their (first) entry of the season."""

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Entry:
        return (await self.index(interaction)).driver(str(value))

    pick = staticmethod(_drivers)


class DriverListOption(_InSeason):
    """Up to ``limit`` drivers separated by commas."""

    def __init__(self, *, limit: int) -> None:
        super().__init__()
        self.limit = limit

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> list[Entry]:
        index = await self.index(interaction)
        names = [n for n in str(value).split(",") if n.strip()][: self.limit]
        return [index.driver(n) for n in names]

    def pick(self, index: SeasonIndex, current: str) -> list[Named]:
        """The names typed so far, then choices for the one being typed."""
        done, _, typing = current.rpartition(",")
        prefix = f"{done}, " if done.strip() else ""
        return [
            Named((prefix + n.value)[:100], (prefix + n.value)[:100], n.keys)
            for n in _drivers(index, typing)
        ]


class ChampionshipOption(_InSeason):
    """A championship of the season: drivers, a class, rookie, teams …"""

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Championship:
        return (await self.index(interaction)).championship(str(value))

    pick = staticmethod(_championships)


# The options as commands declare them (``season: Season | None = None``).
Season = app_commands.Transform[SeasonView, SeasonOption]
Circuit = app_commands.Transform[RaceView, RaceAtCircuit]
Race = app_commands.Transform[RaceView, RaceOption]
Driver = app_commands.Transform[Entry, DriverOption]
Champ = app_commands.Transform[Championship, ChampionshipOption]


class SourceOption(SeasonOption):
    """A season to copy the rules from, or a template's name (kept as it is)."""

    async def transform(  # type: ignore[override]
        self, interaction: discord.Interaction, value: Any, /
    ) -> SeasonView | str:
        text = str(value).strip()
        seasons = getattr(getattr(interaction.client, "app", None), "seasons", None)
        if seasons is not None and text in seasons.templates():
            return text
        return await lookup_of(interaction).season(text)
