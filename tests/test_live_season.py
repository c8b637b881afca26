"""A new season run from Discord through the real command tree: the fictional scenario of
``tests/live_season_scenario.py`` step by step, the standings after every round against the
hand-computed tables, and what fans see (calendar, poles, a season with no result yet)."""

from __future__ import annotations

import re
import shlex
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.console.ask import ask, find_button
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import Call, Harness, User, interaction_payload
from tests.helpers import settings_for, text_of
from tests.live_season_scenario import EXPECTED, Step, steps_round, steps_setup

ADMIN = User(id=1_300_000_000_000_000_300, name="press-officer", admin=True)
FAN = User(id=1_300_000_000_000_000_301, name="fan")
ROW = re.compile(r"^`?\s*\d+[.=]`?\s+\**(.+?)\**(?:\s+#\d+)?\s+—\s+(≥?)(-?\d+) pts", re.M)


def table(text: str) -> dict[str, int]:
    rows = ROW.findall(text)
    assert all(not bound for _, bound, _ in rows), text  # every total is exact
    return {name: int(points) for name, _, points in rows}


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Harness]:
    async with offline(settings_for(tmp_path / "live.db")) as h:
        yield h


async def _press(harness: Harness, calls: list[Call], label: str) -> list[Call]:
    button = find_button(calls, harness, label)
    assert button is not None, f"no {label} button in {text_of(calls[-1].body.get('data', {}))}"
    data = {"custom_id": button["custom_id"], "component_type": 2}
    return await harness.dispatch(interaction_payload(3, data, ADMIN, message=button["message"]))


def _line(step: Step, tmp: Path, last_penalty: int) -> str:
    parts = [f"/{step.command}"]
    for name, value in step.options.items():
        given = last_penalty if value == "LAST" else value
        text = str(given).lower() if isinstance(given, bool) else str(given)
        parts.append(shlex.quote(f"{name}:{text}"))
    if step.file is not None:
        path = tmp / step.file[0]
        path.write_bytes(step.file[1])
        parts.append(f"file:{path}")
    return " ".join(parts)


async def run(harness: Harness, steps: list[Step], tmp: Path) -> None:
    for step in steps:
        last = max((p.id for p in harness.client.service.latest().season.penalties), default=0)  # type: ignore[attr-defined]
        calls = await ask(harness, _line(step, tmp, last), user=ADMIN)
        preview = text_of(calls[0].body["data"])
        assert "Preview" in preview, (step.command, preview)
        assert step.expect in preview, (step.command, preview)
        done = await _press(harness, calls, "Confirm")
        assert "Done" in text_of(done[0].body["data"]), (
            step.command,
            text_of(done[0].body["data"]),
        )


async def fan(harness: Harness, line: str) -> str:
    return text_of((await ask(harness, line, user=FAN))[0].body["data"])


async def test_a_season_from_nothing(live: Harness, tmp_path: Path) -> None:
    await run(live, steps_setup(), tmp_path)
    answer = await fan(live, "/standings")
    assert "2031 Vortex Trophy has no result yet" in answer and "2023" in answer
    calendar = await fan(live, "/calendar")
    assert "CANCELLED" in calendar and "circuit resurfacing" in calendar
    assert "<t:1933765500:f>" in calendar  # 15:05 in Monza (CEST) is 13:05 UTC
    for number in (1, 2, 3):
        await run(live, steps_round(number), tmp_path)
        for champ, expected in EXPECTED[number].items():
            text = await fan(live, f"/standings championship:{champ}")
            got = table(text)
            assert got == expected, (number, champ, got)
    poles = await fan(live, "/poles")
    assert "**Spa — race 1** — Vortex Driver 03 #3 (2:10.100)" in poles  # from the file
    assert "**Spa — race 2** — Vortex Driver 05 #5 (2:15.000)" in poles  # set by hand
    calls = await ask(live, "/season status state:final", user=ADMIN)
    await _press(live, calls, "Confirm")
    assert "final" in text_of((await ask(live, "/season status", user=ADMIN))[0].body["data"])
