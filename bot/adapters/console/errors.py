"""How an error becomes an answer on the command line (policy in :mod:`bot.errors`).

``parcferme ask``, ``console``, ``db …`` and start-up all end here; what a command itself
raises is answered by the command tree, as on Discord (:mod:`bot.adapters.discord.errors`).
"""

from __future__ import annotations

import logging
import sys

from bot.errors import Kind, UserError, kind_of

log = logging.getLogger(__name__)

REFUSED = 2  # exit code: a user's mistake or an operator's problem, said in one line
FAILED = 1  # exit code: a bug, its traceback logged


def text_of(error: BaseException) -> str | None:
    """The one line an error raised on purpose is answered with; None for a bug."""
    if isinstance(error, UserError):
        return error.message("en")
    return None if kind_of(error) is Kind.BUG else str(error)


def fail(error: BaseException) -> int:
    """Say ``error`` on stderr as the policy says; the exit code."""
    text = text_of(error)
    if text is not None:
        print(f"parcferme: {text}", file=sys.stderr)
        return REFUSED
    log.error("parcferme failed", exc_info=(type(error), error, error.__traceback__))
    print("parcferme: something went wrong; the traceback is in the log above", file=sys.stderr)
    return FAILED
