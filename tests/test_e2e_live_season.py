"""A whole new season run from Discord, end to end: the real ``parcferme run`` process against
the local Discord stand-in, on a database that holds only the 2023 record.

The fictional 2031 Vortex Trophy of ``tests/live_season_scenario.py`` is built with admin
commands only — season, calendar with a cancelled round, 20 entries and a guest, three rounds
of qualifying and race imports in three export dialects (uploaded as attachments), a pole and
a fastest lap set by hand, penalties and a revoke, final status — and after every round each
championship's /standings equals the hand-computed table. Every interaction is answered once
within Discord's 3 s.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from bot.services import seeding
from tests.fakediscord import INTERACTION_DEADLINE_S, FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.driver import (
    Driver,
    InteractionRecord,
    answer_data,
    answered_once_in_time,
    final_data,
    message_text,
)
from tests.fakediscord.process import FAKE_TOKEN, bot_env, bot_process
from tests.helpers import SEASONS_DIR
from tests.live_season_scenario import EXPECTED, Step, steps_round, steps_setup
from tests.test_e2e import wait_ready

ADMIN = p.Member(
    1_300_000_000_000_009_101, "press-officer", permissions=p.MANAGE_GUILD | p.MEMBER_PERMISSIONS
)
FAN = p.Member(1_300_000_000_000_009_102, "fan")
ROW = re.compile(r"^`?\s*\d+[.=]`?\s+\**(.+?)\**(?:\s+#\d+)?\s+—\s+(≥?)(-?\d+) pts", re.M)


def table(text: str) -> dict[str, int]:
    rows = ROW.findall(text)
    assert all(not bound for _, bound, _ in rows), text  # every total is exact
    return {name: int(points) for name, _, points in rows}


async def _run(
    driver: Driver, fake: FakeDiscord, db: Path, steps: list[Step], records: list[InteractionRecord]
) -> None:
    for step in steps:
        options: dict[str, Any] = {}
        resolved = None
        for name, value in step.options.items():
            options[name] = value
            if value == "LAST":
                con = sqlite3.connect(db)
                options[name] = con.execute("SELECT max(id) FROM penalty").fetchone()[0]
                con.close()
        if step.file is not None:
            attachment = fake.add_attachment(*step.file)
            options["file"] = attachment["id"]
            resolved = {"attachments": {attachment["id"]: attachment}}
        preview = await driver.command(ADMIN, step.command, options, resolved=resolved)
        text = message_text(answer_data(preview))
        assert "Preview" in text and step.expect in text, (step.command, text)
        done = await driver.press(ADMIN, preview, "Confirm")
        if not answer_data(done):  # a deferred Confirm answers in a follow-up
            await driver.wait_followup(done)
        assert "Done" in message_text(final_data(done) or answer_data(done)), step.command
        records += [preview, done]


async def _fan(driver: Driver, command: str, options: dict[str, Any] | None = None) -> str:
    record = await driver.command(FAN, command, options or {})
    return message_text(answer_data(record))


async def test_a_season_run_from_discord(tmp_path: Path, definitions: list[dict[str, Any]]):
    db = tmp_path / "live.db"
    handle, _ = await seeding.open_ready(db, SEASONS_DIR)  # the 2023 record only
    await handle.close()
    records: list[InteractionRecord] = []
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        env = bot_env(fake, db, home_guild_id=str(p.GUILD_ID))
        async with bot_process(["run"], env, tmp_path / "bot.log", tmp_path) as process:
            await wait_ready(fake, process)
            driver = Driver(fake, process, p.definitions_by_name(definitions))
            await _run(driver, fake, db, steps_setup(), records)
            answer = await _fan(driver, "standings")
            assert "2031 Vortex Trophy has no result yet" in answer, answer
            calendar = await _fan(driver, "calendar")
            assert "2031 Vortex Trophy" in calendar and "CANCELLED" in calendar
            for number in (1, 2, 3):
                await _run(driver, fake, db, steps_round(number), records)
                for champ, expected in EXPECTED[number].items():
                    text = await _fan(driver, "standings", {"championship": champ})
                    assert table(text) == expected, (number, champ, text)
            poles = await _fan(driver, "poles")
            assert "Vortex Driver 05 #5 (2:15.000)" in poles
            await _run(driver, fake, db, [Step("season status", {"state": "final"})], records)
            assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
            assert fake.bad_requests() == []
