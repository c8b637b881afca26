"""The command tree with the one place where errors become short ephemeral answers."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.adapters.discord.reply import send_error
from bot.i18n import UserError, lang_of, tr
from bot.storage.database import DatabaseBusy

log = logging.getLogger(__name__)

GENERIC = "Something went wrong on our side; it has been logged. Please try again."


class Forbidden(app_commands.CheckFailure, UserError):
    """The member may not use this command."""


def user_message(error: BaseException, lang: str = "en") -> tuple[str, tuple[str, ...]] | None:
    """The message a user gets for an expected error; None for an unexpected one."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError):
        return error.message(lang), error.suggestions
    if isinstance(error, DatabaseBusy):
        return tr(lang, "The database is busy with another change: try again in a few seconds."), ()
    if isinstance(error, app_commands.TransformerError):
        return tr(lang, "“{value}” is not a valid value here.", value=str(error.value)[:50]), ()
    if isinstance(error, app_commands.CommandNotFound):
        return tr(lang, "There is no /{name} command. Try /help.", name=error.name[:40]), ()
    if isinstance(error, app_commands.CommandSignatureMismatch):
        return tr(lang, "This command has just changed: please try again in a minute."), ()
    if isinstance(error, app_commands.NoPrivateMessage):
        return tr(lang, "This command only works in a server."), ()
    if isinstance(error, app_commands.CheckFailure):
        return tr(lang, "You are not allowed to use this command."), ()
    return None


class ParcFermeTree(app_commands.CommandTree[discord.Client]):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        lang = lang_of(interaction.locale)
        known = user_message(error, lang)
        command = interaction.command.qualified_name if interaction.command else "?"
        if known is None:
            original = getattr(error, "original", error)
            log.error(
                "command /%s failed for user %s",
                command,
                interaction.user.id,
                exc_info=(type(original), original, original.__traceback__),
            )
            message, suggestions = tr(lang, GENERIC), tuple[str, ...]()
        else:
            message, suggestions = known
            log.info("command /%s refused: %s", command, type(error).__name__)
        if interaction.type is discord.InteractionType.autocomplete:
            return
        try:
            await send_error(interaction, message, suggestions, lang)
        except discord.HTTPException:
            log.warning("could not deliver an error reply for /%s", command)
