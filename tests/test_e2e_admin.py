"""Admin end to end: the real ``parcferme run`` process against the local Discord stand-in.

Scenario 1 (admin part): a penalty previewed and confirmed, its revoke, a results import
with an attachment. Scenario 3: SIGKILL during a stream of admin writes, 50 times by
default (``--e2e-long``: 200); after each, the database passes ``integrity_check``, every
change is whole or absent, and the audit log matches the data. Scenario 6 (admin part):
members without rights, in every way, are refused and nothing is written.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.services import seeding
from bot.storage import repository
from tests.factories import make_season
from tests.fakediscord import INTERACTION_DEADLINE_S, FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.driver import (
    Driver,
    answer_data,
    answered_once_in_time,
    final_data,
    is_ephemeral,
    message_text,
)
from tests.fakediscord.process import FAKE_TOKEN, SEASONS_DIR, bot_env, bot_process, wait_ready

ADMIN = p.Member(
    1_300_000_000_000_009_001, "steward", permissions=p.MANAGE_GUILD | p.MEMBER_PERMISSIONS
)
FAN = p.Member(1_300_000_000_000_009_002, "fan")


async def _fictional_db(path: Path) -> None:
    """The seeded 2023 season plus a complete fictional one (the latest: admin target)."""
    db, _ = await seeding.open_ready(path, SEASONS_DIR)
    try:
        async with db.transaction() as tx:
            await repository.insert_season(
                tx, make_season(rounds=3, races_per_round=2, entries=8, seed=5), "fixture"
            )
    finally:
        await db.close()


@pytest.fixture
async def admin_db(tmp_path: Path) -> Path:
    path = tmp_path / "admin.db"
    await _fictional_db(path)
    return path


async def _running(
    fake: FakeDiscord, db: Path, tmp_path: Path, definitions: list[dict[str, Any]], **settings: str
) -> AsyncIterator[Driver]:
    env = bot_env(fake, db, **{"home_guild_id": str(p.GUILD_ID), **settings})
    async with bot_process(["run"], env, tmp_path / "bot.log", tmp_path) as process:
        await wait_ready(fake, process)
        yield Driver(fake, process, p.definitions_by_name(definitions))


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: con.execute(f'SELECT * FROM "{n}" ORDER BY 1, 2').fetchall() for n in names}
    finally:
        con.close()


async def test_admin_session_penalty_revoke_and_import(
    admin_db: Path, tmp_path: Path, definitions: list[dict[str, Any]]
) -> None:
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        async for driver in _running(
            fake, admin_db, tmp_path, definitions, announce_channel_id=str(p.ANNOUNCE_CHANNEL_ID)
        ):
            records = []
            before = await driver.command(FAN, "standings")
            preview = await driver.command(
                ADMIN,
                "penalty add",
                {
                    "driver": "Testdriver 01",
                    "race": "alpha 1",
                    "type": "time",
                    "reason": "causing a collision @everyone",
                    "value": 5,
                },
            )
            assert is_ephemeral(preview) and "Preview" in message_text(answer_data(preview))
            confirm = await driver.press(ADMIN, preview, "Confirm")
            await driver.wait_followup(confirm)  # acknowledged at once; then the outcome
            assert "Done" in message_text(final_data(confirm))
            records += [before, preview, confirm]
            after = await driver.command(FAN, "standings")
            assert message_text(answer_data(after)) != message_text(answer_data(before))
            # The announcement went out without mentions.
            posts = [e for e in fake.calls() if "/channels/" in e.path and e.ok]
            assert posts and all(
                (e.body or {}).get("allowed_mentions", {}).get("parse") == [] for e in posts
            )
            con = sqlite3.connect(admin_db)
            pid = con.execute("SELECT max(id) FROM penalty").fetchone()[0]
            con.close()
            revoke = await driver.command(
                ADMIN, "penalty revoke", {"id": pid, "reason": "appeal upheld"}
            )
            revoked = await driver.press(ADMIN, revoke, "Confirm")
            await driver.wait_followup(revoked)
            records += [revoke, revoked]
            restored = await driver.command(FAN, "standings")
            assert message_text(answer_data(restored)) == message_text(answer_data(before))
            csv = "position,car,laps,time,gap\n" + "\n".join(
                f"{i},{9 - i},20,{'30:00.000' if i == 1 else ''},{'' if i == 1 else f'+{i}.5'}"
                for i in range(1, 9)
            )
            attachment = fake.add_attachment("r.csv", csv.encode())
            imported = await driver.command(
                ADMIN,
                "result import",
                {"race": "bravo 2", "file": attachment["id"]},
                resolved={"attachments": {attachment["id"]: attachment}},
            )
            assert "import 8 results" in message_text(answer_data(imported))
            done = await driver.press(ADMIN, imported, "Confirm")
            await driver.wait_followup(done)
            records += [imported, done]
            race = await driver.command(FAN, "race", {"circuit": "bravo", "number": 2})
            winner_line = next(
                line for line in message_text(answer_data(race)).splitlines() if " 1.`" in line
            )
            assert "Testdriver 08" in winner_line
            records.append(race)
            assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
            assert fake.bad_requests() == []
            assert list((tmp_path / "backups").glob("*before-import.db"))


@pytest.mark.parametrize(
    ("who", "in_guild", "settings"),
    [
        (p.Member(1_300_000_000_000_009_010, "no-role"), True, {}),
        (
            p.Member(1_300_000_000_000_009_011, "forged-role", roles=(424242,)),
            True,
            {"admin_role_ids": str(p.ADMIN_ROLE_ID)},
        ),
        (ADMIN, False, {}),  # a DM
        (ADMIN, True, {"home_guild_id": "1150000000000000999"}),  # not the championship's
    ],
)
async def test_admin_commands_refused_without_rights(
    admin_db: Path,
    tmp_path: Path,
    definitions: list[dict[str, Any]],
    who: p.Member,
    in_guild: bool,
    settings: dict[str, str],
) -> None:
    before = _dump(admin_db)
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        async for driver in _running(fake, admin_db, tmp_path, definitions, **settings):
            records = []
            for path, options in (
                (
                    "penalty add",
                    {"driver": "Testdriver 02", "race": "alpha 1", "type": "dsq", "reason": "x"},
                ),
                ("penalty revoke", {"id": 1, "reason": "x"}),
                ("result status", {"race": "alpha 1", "state": "provisional"}),
                ("entry add", {"driver": "Someone Else"}),
                ("audit", {}),
                ("undo", {"id": 1}),
            ):
                data = p.command_data(driver.definitions, path, options)
                record = await driver.send(
                    p.interaction(p.APPLICATION_COMMAND, data, who, in_guild=in_guild)
                )
                assert is_ephemeral(record), path
                text = message_text(answer_data(record))
                assert "Preview" not in text and "Audit log" not in text, text
                records.append(record)
            assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
            log = driver.process.log()
            assert log.count("refused /") >= 6 or not in_guild
            assert FAKE_TOKEN not in log
    assert _dump(admin_db) == before


# -- scenario 3: crash safety ------------------------------------------------------------------
def _check_database(path: Path) -> list[str]:
    """After a kill: sound file, every change whole, the audit log matching the data."""
    problems: list[str] = []
    con = sqlite3.connect(path)
    try:
        if (ok := con.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            problems.append(f"integrity_check: {ok}")
        if fk := con.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign keys: {fk[:3]}")
        audited = {
            json.loads(after)["penalty_id"]
            for (after,) in con.execute(
                "SELECT after_json FROM audit_log WHERE action = 'penalty.add'"
            )
        }
        penalties = {
            pid
            for (pid,) in con.execute("SELECT p.id FROM penalty p WHERE p.decided_by = 'steward'")
        }
        if audited != penalties:
            problems.append(f"audit {sorted(audited)} != penalties {sorted(penalties)}")
    finally:
        con.close()
    return problems


async def test_sigkill_during_admin_writes_loses_nothing_whole(
    admin_db: Path,
    tmp_path: Path,
    definitions: list[dict[str, Any]],
    request: pytest.FixtureRequest,
) -> None:
    kills = 200 if request.config.getoption("--e2e-long") else 50
    rng = random.Random(20231008)
    drivers_ = [f"Testdriver 0{i}" for i in range(1, 9)]
    races = ["alpha 1", "alpha 2", "bravo 1", "bravo 2", "charlie 1", "charlie 2"]
    applied_total = 0
    for n in range(kills):
        async with FakeDiscord(token=FAKE_TOKEN) as fake:
            env = bot_env(fake, admin_db, home_guild_id=str(p.GUILD_ID))
            async with bot_process(["run"], env, tmp_path / f"bot-{n}.log", tmp_path) as process:
                await wait_ready(fake, process)
                driver = Driver(fake, process, p.definitions_by_name(definitions), reaction_s=0.05)
                previews = [
                    await driver.command(
                        ADMIN,
                        "penalty add",
                        {
                            "driver": rng.choice(drivers_),
                            "race": rng.choice(races),
                            "type": "points",
                            "reason": f"kill test {n}",
                            "value": rng.randint(1, 9),
                        },
                    )
                    for _ in range(3)
                ]
                presses = [
                    asyncio.ensure_future(driver.press(ADMIN, pr, "Confirm", wait=False))
                    for pr in previews
                ]
                await asyncio.sleep(rng.uniform(0.0, 0.25))
                await process.kill()  # SIGKILL, wherever the writes are
                for task in presses:
                    task.cancel()
        problems = _check_database(admin_db)
        assert problems == [], f"after kill {n + 1}: {problems}"
        con = sqlite3.connect(admin_db)
        applied_total = con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'penalty.add'"
        ).fetchone()[0]
        con.close()
    print(
        f"\ne2e crash safety: {kills} SIGKILLs survived; {applied_total} confirmed penalties "
        "whole, none half-written; integrity_check ok after each"
    )
