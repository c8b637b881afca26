"""The error policy (bot/errors.py): each kind answered and logged as it says, the same way by
the command tree, the Confirm view and the command line."""

from __future__ import annotations

import inspect
import logging
from pathlib import Path

import pytest

from bot import errors
from bot.adapters.console.ask import ask
from bot.adapters.console.harness import Harness
from bot.cli import main
from bot.errors import DatabaseUnavailable, Kind, NotFound, kind_of
from tests.helpers import outcome, text_of
from tests.test_admin import ADMIN, FAN, dump, env, press  # noqa: F401  (env is a fixture)

PENALTY = '/penalty add driver:"Testdriver 05" race:"alpha 2" type:reprimand reason:"late"'


def test_every_error_type_raised_on_purpose_is_a_user_mistake_or_an_operator_problem():
    kinds = {
        name: kind_of(cls.__new__(cls))
        for name, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == errors.__name__
    }
    # A classification error is turned into an Invalid by the service that plans a change:
    # one that reaches an adapter is a bug.
    assert kinds.pop("ClassificationError") is Kind.BUG
    assert kinds["NotFound"] is kinds["LineError"] is kinds["CsvProblem"] is Kind.USER
    assert kinds["DatabaseBusy"] is kinds["SeasonFileError"] is Kind.OPERATOR
    assert Kind.BUG not in kinds.values()


def _failing(harness: Harness, monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    service = harness.client.service  # type: ignore[attr-defined]

    def latest() -> None:
        raise error

    monkeypatch.setattr(service, "latest", latest)


def _logged(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("bot") and r.levelno == level]


async def test_an_operator_problem_is_answered_plainly_and_logged_as_a_warning(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    _failing(harness, monkeypatch, DatabaseUnavailable("test.db is damaged: tell the operator"))
    calls = await ask(harness, "/calendar", user=FAN)
    data = calls[0].body["data"]
    assert data["flags"] & 64 and "test.db is damaged: tell the operator" in text_of(data)
    warnings = _logged(caplog, logging.WARNING)
    assert len(warnings) == 1 and "damaged" in warnings[0].getMessage()
    assert warnings[0].exc_info is None and not _logged(caplog, logging.ERROR)


async def test_a_bug_gets_the_generic_answer_and_its_traceback_only_in_the_log(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    _failing(harness, monkeypatch, KeyError("secret-internal-name"))
    calls = await ask(harness, "/calendar", user=FAN)
    text = text_of(calls[0].body["data"])
    assert "Something went wrong on our side" in text and "secret-internal-name" not in text
    (logged,) = _logged(caplog, logging.ERROR)
    assert logged.exc_info is not None and logged.exc_info[0] is KeyError


async def test_a_user_mistake_is_logged_at_info_at_most(
    harness: Harness, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    calls = await ask(harness, "/driver name:nobody-of-that-name", user=FAN)
    assert calls and "nobody-of-that-name" in text_of(calls[0].body["data"])
    assert all(r.levelno <= logging.INFO for r in caplog.records if r.name.startswith("bot"))


async def test_confirm_answers_an_error_as_the_tree_does(
    env: Harness,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
):
    # A user's mistake found only at Confirm (here: the driver is gone) reads as the tree
    # would say it, after "Not applied"; it was a generic "something went wrong" before.
    gone = NotFound("No driver matches “{name}”.", name="Testdriver 05")
    preview = await ask(env, PENALTY, user=ADMIN)
    before = dump(env)

    async def apply(*args: object, **kwargs: object) -> None:
        raise gone

    monkeypatch.setattr(env.client.admin, "apply", apply)  # type: ignore[attr-defined]
    done = await press(env, preview, "Confirm", ADMIN)
    said = text_of(outcome(done)).strip()
    assert said == f"Not applied: {gone.message('en')}"
    assert dump(env) == before and not _logged(caplog, logging.ERROR)

    # A bug at Confirm: the generic answer, the traceback in the log.
    preview = await ask(env, PENALTY, user=ADMIN)

    async def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("internal")

    monkeypatch.setattr(env.client.admin, "apply", broken)  # type: ignore[attr-defined]
    done = await press(env, preview, "Confirm", ADMIN)
    said = text_of(outcome(done)).strip()
    assert said.startswith("Not applied: something went wrong") and "internal" not in said
    (logged,) = _logged(caplog, logging.ERROR)
    assert logged.exc_info is not None and logged.exc_info[0] is ZeroDivisionError


def test_the_command_line_says_a_refusal_in_one_line_and_logs_a_bugs_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setenv("PARCFERME_DATABASE_PATH", str(tmp_path / "x.db"))
    assert main(["ask", "standings"]) == 2  # a line that is not a command
    err = capsys.readouterr().err
    assert err.startswith("parcferme: A command starts with /") and "Traceback" not in err

    from bot.adapters.console import commands

    def broken(*args: object) -> int:
        raise ZeroDivisionError("internal")

    monkeypatch.setattr(commands, "run", broken)
    assert main(["ask", "/help"]) == 1
    err = capsys.readouterr().err
    assert "something went wrong" in err and "Traceback" not in err and "internal" not in err
    (logged,) = _logged(caplog, logging.ERROR)
    assert logged.exc_info is not None and logged.exc_info[0] is ZeroDivisionError


async def test_an_unreadable_value_is_a_user_mistake_said_as_it_is(
    env: Harness,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    before = dump(env)
    calls = await ask(
        env, '/result set race:"alpha 2" driver:"Testdriver 05" time:"soon"', user=ADMIN
    )
    data = calls[0].body["data"]
    assert data["flags"] & 64 and "soon" in text_of(data) and "went wrong" not in text_of(data)
    assert dump(env) == before
    assert all(r.levelno <= logging.INFO for r in caplog.records if r.name.startswith("bot"))


@pytest.mark.parametrize(
    ("error", "said", "level"),
    [
        (DatabaseUnavailable("test.db is damaged"), "test.db is damaged", logging.WARNING),
        (KeyError("internal"), "Something went wrong on our side", logging.ERROR),
    ],
)
async def test_what_an_option_raises_is_answered_as_itself(
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    said: str,
    level: int,
):
    # The season option loads the season it names: a damaged database is an operator's
    # problem and a bug is a bug, not "“2023” is not a valid value here".
    service = harness.client.service  # type: ignore[attr-defined]

    async def get(season_id: int) -> None:
        raise error

    monkeypatch.setattr(service, "get", get)
    calls = await ask(harness, "/calendar season:2023", user=FAN)
    text = text_of(calls[0].body["data"])
    assert said in text and "not a valid value" not in text and "internal" not in text
    (logged,) = _logged(caplog, level)
    assert (logged.exc_info is None) is (level == logging.WARNING)
