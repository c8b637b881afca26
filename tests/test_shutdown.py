"""Shutting down never waits forever: a close step that hangs is given up on (a CI run of the
full suite once hung in a fixture's teardown, inside the console's close steps)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot import app as app_module
from bot.adapters.console.commands import offline
from bot.adapters.discord.bot import ParcFermeBot
from tests.helpers import settings_for


async def test_a_close_step_that_never_finishes_does_not_hang_the_shutdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    async def stuck_close(self: ParcFermeBot) -> None:
        await asyncio.Event().wait()  # never set

    monkeypatch.setattr(app_module, "CLOSE_STEP_S", 0.5)
    monkeypatch.setattr(ParcFermeBot, "close", stuck_close)
    started = time.monotonic()
    async with offline(settings_for(tmp_path / "t.db")):
        pass
    assert time.monotonic() - started < 60  # it returned at all (it waited forever before)
    assert "closing the bot did not finish" in caplog.text


async def test_a_close_step_that_fails_is_logged_and_the_rest_still_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    async def failing_close(self: ParcFermeBot) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ParcFermeBot, "close", failing_close)
    async with offline(settings_for(tmp_path / "t.db")) as harness:
        db = harness.client.service.db  # type: ignore[attr-defined]
    assert "closing the bot failed while shutting down: boom" in caplog.text
    with pytest.raises(Exception):  # noqa: B017 - the connection is closed, whatever it raises
        await db.fetchone("SELECT 1")
