"""Every error type the bot raises on purpose, and the policy that says how each is answered.

This module imports nothing from the bot at load time, so every layer (domain, storage,
services, rendering, adapters) can raise these errors. The policy, in three kinds:

* **A user's mistake** (:class:`UserError` and its kinds :class:`NotFound`, :class:`Invalid`,
  :class:`Conflict`; :class:`InputProblem` for a file or line that cannot be read): answered
  with what is wrong and what to do instead, in the user's language, with close names to try
  where there are some. Logged at INFO at most: nothing is wrong with the bot.
* **An operator's problem** (:class:`OperatorError`: the database is busy, read-only, locked,
  full or damaged, a backup or restore failed, a season file is wrong): answered with a clear
  "try again" or "tell the bot's operator" and what the operator must fix, never a path to a
  secret. Logged as a WARNING, once, without a traceback.
* **A bug** (any other exception): a generic answer ("something went wrong on our side"), the
  traceback only in the log (ERROR).

Each surface turns errors into answers in one place: Discord (the command tree's ``on_error``
and the Confirm view) in :mod:`bot.adapters.discord.errors`, the command line and console in
:mod:`bot.adapters.console.errors`.
Control signals that are not errors (a preview overtaken by another change) stay beside the
code that raises and catches them.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any


class Kind(enum.Enum):
    """Which of the policy's three kinds an error is."""

    USER = "user"
    OPERATOR = "operator"
    BUG = "bug"


def kind_of(error: BaseException) -> Kind:
    """The policy's kind for ``error`` (anything not raised on purpose is a bug)."""
    if isinstance(error, UserError | InputProblem):
        return Kind.USER
    if isinstance(error, OperatorError):
        return Kind.OPERATOR
    return Kind.BUG


# -- a user's mistake ------------------------------------------------------------------------
class UserError(Exception):
    """An error whose message a user sees, in their language, with "did you mean" names.

    ``template`` is the English text with ``{placeholders}``; :meth:`message` translates it.
    """

    def __init__(self, template: str, /, suggestions: tuple[str, ...] = (), **params: Any) -> None:
        self.template = template
        self.params = params
        self.suggestions = suggestions
        super().__init__(template.format(**params) if params else template)

    def message(self, lang: str) -> str:
        from bot.i18n import tr  # i18n sits above this module (it holds the French texts)

        params = {
            k: (v.message(lang) if isinstance(v, UserError) else v) for k, v in self.params.items()
        }
        return tr(lang, self.template, **params)


class NotFound(UserError, LookupError):
    """Something the user named does not exist; ``suggestions`` are close names."""


class Invalid(UserError, ValueError):
    """The input is understood but not acceptable (e.g. race 3 of a two-race round)."""


class Conflict(UserError):
    """The change cannot be made as things stand (e.g. something later depends on it)."""


class InputProblem(ValueError):
    """A file or a line the user gave cannot be read; the (English) message names what and
    why. Adapters show it as it is or wrap it in an :class:`Invalid`."""


class ExportProblem(InputProblem):
    """A value or a table of a timing export that cannot be read."""


class CsvProblem(InputProblem):
    """A results file that cannot be imported: every problem found, one a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class LineError(InputProblem):
    """A console command line that cannot be read (e.g. unbalanced quotes)."""


class ClassificationError(ValueError):
    """The record cannot be classified as asked (e.g. a time penalty without times); the
    service that plans a change turns it into an :class:`Invalid`."""


# -- an operator's problem -------------------------------------------------------------------
class OperatorError(Exception):
    """Something the bot's operator must know or fix; the message says what, for them."""


class StorageError(OperatorError):
    """A storage problem with a message fit for an operator (never a raw traceback)."""


class DatabaseTooNew(StorageError):
    """The database was written by a newer version of the bot."""


class DatabaseBusy(StorageError):
    """Another process holds the write lock: the caller should say "try again"."""


class DatabaseUnavailable(StorageError):
    """The database cannot be written (read-only, full disk, damaged): says which."""


class BackupFailed(StorageError):
    """A backup could not be written (it was removed; what needed it was refused)."""


class RestoreRefused(StorageError):
    """The file cannot replace the database; the message says why and nothing was changed."""


class SeasonFileError(OperatorError, ValueError):
    """A season folder's file is wrong; the message gives ``file:line`` and the problem."""

    def __init__(self, file: Path | str, line: int | None, problem: str) -> None:
        self.file = Path(file)
        self.line = line
        self.problem = problem
        where = f"{self.file.name}:{line}" if line else self.file.name
        super().__init__(f"{where}: {problem}")
