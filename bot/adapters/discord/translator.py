"""Command names, descriptions, options and choices in French for French Discord clients."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n import FRENCH, FRENCH_NAMES

NAME_LOCATIONS = {
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
    app_commands.TranslationContextLocation.parameter_name,
}


class ParcFermeTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is not discord.Locale.french:
            return None
        if context.location in NAME_LOCATIONS:
            return FRENCH_NAMES.get(string.message)
        return FRENCH.get(string.message)
