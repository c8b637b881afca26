"""The command tree: options of the wrong type refused, every error answered (errors.py)."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any, cast

import discord
from discord import AppCommandOptionType, app_commands

from bot.adapters import dpy_private
from bot.adapters.discord.errors import BadOption, answer, report
from bot.adapters.discord.inflight import track
from bot.adapters.discord.reply import send_error
from bot.i18n import lang_of

log = logging.getLogger(__name__)

_MAX_SAFE = 2**53


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= _MAX_SAFE


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= _MAX_SAFE
    )


def _is_snowflake(value: object) -> bool:
    return (isinstance(value, str) and value.isdigit() and len(value) <= 20) or _is_int(value)


_TYPE_CHECKS = {
    AppCommandOptionType.string: lambda v: isinstance(v, str),
    AppCommandOptionType.integer: _is_int,
    AppCommandOptionType.number: _is_number,
    AppCommandOptionType.boolean: lambda v: isinstance(v, bool),
    AppCommandOptionType.user: _is_snowflake,
    AppCommandOptionType.channel: _is_snowflake,
    AppCommandOptionType.role: _is_snowflake,
    AppCommandOptionType.mentionable: _is_snowflake,
    AppCommandOptionType.attachment: _is_snowflake,
}


def option_problem(command: object, options: Sequence[Mapping[str, Any]]) -> BadOption | None:
    """The first option whose value does not have the parameter's type, if any."""
    params = {p.display_name: p for p in getattr(command, "parameters", ())}
    for option in options:
        param = params.get(str(option.get("name")))
        if param is None or option.get("focused"):
            continue  # unknown options are ignored; a focused value is what the user typed
        check = _TYPE_CHECKS.get(param.type)
        value = option.get("value")
        if check is not None and not check(value):
            return BadOption(
                "“{value}” is not a valid value for {option}.",
                value=str(value)[:50],
                option=param.display_name,
            )
    return None


class ParcFermeTree(app_commands.CommandTree[discord.Client]):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Refuse, with a clear answer, options whose values have the wrong type."""
        track(interaction)  # an answer in progress, until this task ends
        data: Any = interaction.data or {}
        if (
            interaction.type
            in (discord.InteractionType.application_command, discord.InteractionType.autocomplete)
            and data.get("type", 1) == 1
        ):
            command, options = dpy_private.command_options(self, data)
            problem = option_problem(command, cast(Sequence[Mapping[str, Any]], options))
            if problem is not None:
                raise problem
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        lang = lang_of(interaction.locale)
        command = interaction.command.qualified_name if interaction.command else "?"
        said = answer(error, lang)
        report(error, said.kind, f"command /{command}", interaction.user.id)
        if interaction.type is discord.InteractionType.autocomplete:
            if not interaction.response.is_done():
                try:
                    await interaction.response.autocomplete([])
                except discord.HTTPException:
                    log.warning("could not answer an autocomplete for /%s", command)
            return
        try:
            await send_error(interaction, said.text, said.suggestions, lang)
        except discord.HTTPException:
            log.warning("could not deliver an error reply for /%s", command)
