"""How an error becomes an answer on Discord: the one mapping (policy in :mod:`bot.errors`).

The command tree's ``on_error`` and the Confirm view both call :func:`answer` for the text and
:func:`report` for the log, so an error reads the same wherever it surfaces.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from discord import app_commands

from bot.errors import DatabaseBusy, Kind, UserError, kind_of
from bot.i18n import tr

log = logging.getLogger(__name__)

GENERIC = "Something went wrong on our side; it has been logged. Please try again."
BUSY = "The database is busy with another change: try again in a few seconds."


class Forbidden(app_commands.CheckFailure, UserError):
    """The member may not use this command."""


class BadOption(app_commands.AppCommandError, UserError):
    """An option's value is not of the option's type (Discord's clients never send these;
    a tampered or broken client might)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the user is told, and which of the policy's kinds the error was."""

    text: str
    suggestions: tuple[str, ...]
    kind: Kind


def unwrap(error: BaseException) -> BaseException:
    """The error a command or a transformer raised, out of discord.py's wrappers."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    cause = error.__cause__
    # What an option's transformer raised ("unknown race", a busy database, a bug) is answered
    # as itself, not as discord.py's "not a valid value".
    if isinstance(error, app_commands.TransformerError) and cause is not None:
        return cause
    return error


def answer(error: BaseException, lang: str = "en") -> Answer:
    """The answer to ``error`` in ``lang``."""
    error = unwrap(error)
    if isinstance(error, UserError):
        return Answer(error.message(lang), error.suggestions, Kind.USER)
    if isinstance(error, DatabaseBusy):
        return Answer(tr(lang, BUSY), (), Kind.OPERATOR)
    if kind_of(error) is not Kind.BUG:  # read-only, full disk, damaged: says which
        return Answer(str(error), (), kind_of(error))
    text = _discord_refusal(error, lang)
    if text is not None:
        return Answer(text, (), Kind.USER)
    return Answer(tr(lang, GENERIC), (), Kind.BUG)


def _discord_refusal(error: BaseException, lang: str) -> str | None:
    """discord.py's own refusals: a value of the wrong type, a command gone, a check."""
    if isinstance(error, app_commands.TransformerError):
        return tr(lang, "“{value}” is not a valid value here.", value=str(error.value)[:50])
    if isinstance(error, app_commands.CommandNotFound):
        return tr(lang, "There is no /{name} command. Try /help.", name=error.name[:40])
    if isinstance(error, app_commands.CommandSignatureMismatch):
        return tr(lang, "This command has just changed: please try again in a minute.")
    if isinstance(error, app_commands.NoPrivateMessage):
        return tr(lang, "This command only works in a server.")
    if isinstance(error, app_commands.CheckFailure):
        return tr(lang, "You are not allowed to use this command.")
    return None


def report(error: BaseException, kind: Kind, what: str, user_id: int) -> None:
    """Log ``error`` as the policy says: INFO for a user's mistake, a WARNING without a
    traceback for an operator's problem, the traceback (ERROR) for a bug."""
    error = unwrap(error)
    if kind is Kind.USER:
        log.info("%s refused for user %s: %s", what, user_id, type(error).__name__)
    elif kind is Kind.OPERATOR:
        log.warning("%s not done for user %s: %s", what, user_id, error)
    else:
        log.error(
            "%s failed for user %s",
            what,
            user_id,
            exc_info=(type(error), error, error.__traceback__),
        )
