"""Issue 14 end to end: the real ``parcferme run`` against the local Discord stand-in.

Two Confirms at the same moment (one an import with its backup); Confirms while another
process holds the write lock; an admin of a second server; what ``sync --global`` publishes;
and, in the long profile (``--e2e-long``), the soak: 4 admins and 50 fans of mixed traffic
with failures injected into the bot's transactions (``--soak-seconds``, default 600).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord import confirm
from tests.fakediscord import INTERACTION_DEADLINE_S, FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.driver import (
    Driver,
    answer_data,
    answered_once_in_time,
    final_data,
    message_text,
)
from tests.fakediscord.process import FAKE_TOKEN, bot_env, run_to_end
from tests.fakediscord.server import InteractionRecord
from tests.helpers import hold_write_lock
from tests.test_e2e_admin import ADMIN, FAN, _check_database, _running, admin_db

__all__ = ["admin_db"]

ADMINS = [
    p.Member(1_300_000_000_000_009_100 + n, f"steward{n}", permissions=p.MANAGE_GUILD)
    for n in range(4)
]
DRIVERS = [f"Testdriver 0{i}" for i in range(1, 9)]
RACES = ["alpha 1", "alpha 2", "bravo 1", "bravo 2", "charlie 1", "charlie 2"]


async def _confirmed(driver: Driver, who: p.Member, preview: InteractionRecord) -> str:
    record = await driver.press(who, preview, "Confirm")
    await driver.wait_followup(record)
    return message_text(final_data(record))


async def test_two_confirms_at_the_same_moment_with_an_imports_backup(
    admin_db: Path, tmp_path: Path, definitions: list[dict[str, Any]]
) -> None:
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        async for driver in _running(
            fake, admin_db, tmp_path, definitions, announce_channel_id=str(p.ANNOUNCE_CHANNEL_ID)
        ):
            csv = "position,car,laps,time,gap\n" + "\n".join(
                f"{i},{9 - i},20,{'30:00.000' if i == 1 else ''},{'' if i == 1 else f'+{i}.5'}"
                for i in range(1, 9)
            )
            attachment = fake.add_attachment("r.csv", csv.encode())
            imported = await driver.command(
                ADMINS[1],
                "result import",
                {"race": "bravo 2", "file": attachment["id"]},
                resolved={"attachments": {attachment["id"]: attachment}},
            )
            penalty = await driver.command(
                ADMIN,
                "penalty add",
                {
                    "driver": "Testdriver 03",
                    "race": "alpha 1",
                    "type": "points",
                    "reason": "x",
                    "value": 3,
                },
            )
            await asyncio.sleep(driver.reaction_s)
            driver.reaction_s = 0.0
            presses = await asyncio.gather(
                driver.press(ADMINS[1], imported, "Confirm"),
                driver.press(ADMIN, penalty, "Confirm"),
            )
            for record in presses:
                await driver.wait_followup(record)
                assert "Done" in message_text(final_data(record))
            assert answered_once_in_time(presses, INTERACTION_DEADLINE_S) == []
            audit = await driver.command(ADMIN, "audit")  # the database still answers
            assert "Audit log" in message_text(answer_data(audit))
            older = await driver.command(FAN, "standings", {"season": "2023"})
            assert answered_once_in_time([audit, older], INTERACTION_DEADLINE_S) == []
            assert await _announced(fake, 2)  # both
            code, took = await driver.process.terminate()
            assert code == 0 and took < 10
    assert list((tmp_path / "backups").glob("*before-import.db"))
    assert _check_database(admin_db) == []


async def _announced(fake: FakeDiscord, count: int, within: float = 10.0) -> bool:
    """The answer and the announcement go out side by side: wait for the announcements."""
    for _ in range(int(within * 10)):
        if len([e for e in fake.calls("channel-post") if e.ok]) >= count:
            return True
        await asyncio.sleep(0.1)
    return False


async def test_confirms_while_another_process_holds_the_lock(
    admin_db: Path, tmp_path: Path, definitions: list[dict[str, Any]]
) -> None:
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        async for driver in _running(
            fake, admin_db, tmp_path, definitions, announce_channel_id=str(p.ANNOUNCE_CHANNEL_ID)
        ):
            previews = [
                await driver.command(
                    who,
                    "penalty add",
                    {
                        "driver": DRIVERS[n],
                        "race": "alpha 2",
                        "type": "reprimand",
                        "reason": f"held {n}",
                    },
                )
                for n, who in enumerate(ADMINS[:3])
            ]
            await asyncio.sleep(driver.reaction_s)
            driver.reaction_s = 0.0
            started = threading.Event()
            holder = asyncio.ensure_future(
                asyncio.to_thread(hold_write_lock, admin_db, 4.0, started)
            )
            await asyncio.to_thread(started.wait, 5)
            presses = await asyncio.gather(
                *(
                    driver.press(who, pr, "Confirm")
                    for who, pr in zip(ADMINS, previews, strict=False)
                )
            )
            # Each answered at once, although the lock is held for 4 s.
            assert answered_once_in_time(presses, INTERACTION_DEADLINE_S) == []
            await holder
            for record in presses:
                await driver.wait_followup(record)
                assert "Done" in message_text(final_data(record)), message_text(final_data(record))
            assert await _announced(fake, 3)
    con = sqlite3.connect(admin_db)
    assert {r for (r,) in con.execute("SELECT reason FROM penalty WHERE reason LIKE 'held %'")} == {
        "held 0",
        "held 1",
        "held 2",
    }
    con.close()


async def test_two_admins_undo_the_same_change_at_the_same_moment(
    admin_db: Path, tmp_path: Path, definitions: list[dict[str, Any]]
) -> None:
    options = {"driver": "Testdriver 04", "race": "alpha 2", "type": "reprimand", "reason": "u"}
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        async for driver in _running(fake, admin_db, tmp_path, definitions):
            added = await _confirmed(
                driver, ADMIN, await driver.command(ADMIN, "penalty add", options)
            )
            found = re.search(r"Audit #(\d+)", added)
            assert found is not None, added
            audit_id = int(found.group(1))
            previews = [await driver.command(who, "undo", {"id": audit_id}) for who in ADMINS[:2]]
            await asyncio.sleep(driver.reaction_s)
            driver.reaction_s = 0.0
            presses = await asyncio.gather(
                *(
                    driver.press(who, pr, "Confirm")
                    for who, pr in zip(ADMINS, previews, strict=False)
                )
            )
            assert answered_once_in_time(presses, INTERACTION_DEADLINE_S) == []
            texts = []
            for record in presses:
                await driver.wait_followup(record)
                texts.append(message_text(final_data(record)))
            assert sorted("Done" in t for t in texts) == [False, True], texts
            assert any(f"#{audit_id} was already undone" in t for t in texts), texts
    con = sqlite3.connect(admin_db)
    undos = con.execute("SELECT id FROM audit_log WHERE action = 'undo.penalty.add'").fetchall()
    (undone_by,) = con.execute(
        "SELECT undone_by FROM audit_log WHERE id = ?", (audit_id,)
    ).fetchone()
    left = con.execute("SELECT count(*) FROM penalty WHERE reason = 'u'").fetchone()[0]
    con.close()
    assert len(undos) == 1 and undone_by == undos[0][0] and left == 0


async def test_an_admin_of_a_second_server_is_refused(
    admin_db: Path, tmp_path: Path, definitions: list[dict[str, Any]]
) -> None:
    before = sqlite3.connect(admin_db).execute("SELECT count(*) FROM audit_log").fetchone()
    other_guild = p.GUILD_ID + 77
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        async for driver in _running(fake, admin_db, tmp_path, definitions):
            owner = p.admin(1_300_000_000_000_009_300, "other-server-owner")
            records = []
            for path, options in (
                (
                    "penalty add",
                    {"driver": "Testdriver 02", "race": "alpha 1", "type": "dsq", "reason": "x"},
                ),
                ("entry add", {"driver": "Someone Else"}),
                ("audit", {}),
            ):
                data = p.command_data(driver.definitions, path, options)
                payload = p.interaction(p.APPLICATION_COMMAND, data, owner)
                payload["guild_id"] = str(other_guild)
                payload["guild"] = {"id": str(other_guild), "locale": "en-US", "features": []}
                payload["authorizing_integration_owners"] = {"0": str(other_guild)}
                record = await driver.send(payload)
                text = message_text(answer_data(record))
                assert "championship's own server" in text and "Preview" not in text, text
                records.append(record)
            assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
            assert driver.process.log().count("refused /") >= 3
    after = sqlite3.connect(admin_db).execute("SELECT count(*) FROM audit_log").fetchone()
    assert before == after


@pytest.mark.parametrize("home", [None, p.GUILD_ID])
async def test_sync_global_publishes_fan_commands_only(
    admin_db: Path, tmp_path: Path, definitions: list[dict[str, Any]], home: int | None
) -> None:
    admin_names = {d["name"] for d in definitions if d.get("default_member_permissions")}
    assert {"penalty", "result", "entry", "audit", "undo"} <= admin_names
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        settings = {"home_guild_id": str(home)} if home else {}
        env = bot_env(fake, admin_db, **settings)
        process = await run_to_end(["sync", "--global"], env, tmp_path / "sync.log", tmp_path)
        assert process.returncode == 0, process.log()
        published = {c["name"] for c in fake.commands[None]}
        assert published and not (published & admin_names)
        if home is None:
            assert "PARCFERME_HOME_GUILD_ID" in process.log()
            assert set(fake.commands) == {None}
        else:
            assert {c["name"] for c in fake.commands[home]} == admin_names
        assert process.problems_in_log() == []


# -- the soak (long profile) -------------------------------------------------------------------
FAN_MIX: list[tuple[str, dict[str, Any]]] = [
    ("standings", {}),
    ("standings", {"championship": "teams"}),
    ("standings", {"season": "2023"}),
    ("race", {"circuit": "alpha", "number": 1}),
    ("race", {"circuit": "bravo", "number": 2}),
    ("race", {"circuit": "monza", "number": 1, "season": "2023"}),
    ("penalties", {}),
    ("winners", {}),
    ("poles", {}),
    ("driver", {"name": "Testdriver 03"}),
    ("calendar", {}),
    ("title", {}),
]

INJECT = (
    "CREATE TRIGGER soak_injected_failure BEFORE INSERT ON audit_log "
    "WHEN abs(random()) % 5 = 0 BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
)
# Each admin keeps at most this many of its own penalties: past it, it undoes its latest
# change (and it undoes one now and then anyway), so the season's size goes up and down
# within a band instead of growing for the whole run (what the fans' answers hold, page
# buttons included, grows with it: a growing season is not a leak).
OWN_PENALTIES_KEPT = 12
SAMPLE_S = 5.0


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Change:
    """One applied change of one admin, kept until undone (undone last in, first out)."""

    kind: str  # "add" | "revoke"
    penalty: str  # the penalty's reason (unique): how it is found in the database
    audit_id: int


@dataclass
class Soak:
    driver: Driver
    db: Path
    stop_at: float
    rng: random.Random
    records: list[InteractionRecord] = field(default_factory=list)
    # What the database must hold at the end, by penalty reason: "active", "revoked by
    # <revoke reason>" or "absent" (an add undone, or one that failed or was cancelled).
    expected: dict[str, str] = field(default_factory=dict)
    audited_adds: set[str] = field(default_factory=set)  # every add applied, undone or not
    failed_revokes: set[str] = field(default_factory=set)  # revoke reasons never applied
    stacks: dict[int, list[Change]] = field(default_factory=dict)
    rss: list[tuple[float, int, int]] = field(default_factory=list)  # (s, RSS KiB, penalties)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("add", "revoke", "undo", "injected", "busy", "asked again", "cancelled", "refused"),
            0,
        )
    )

    def going(self) -> bool:
        return time.monotonic() < self.stop_at

    async def fan(self, member: p.Member) -> None:
        while self.going():
            name, options = self.rng.choice(FAN_MIX)
            record = await self.driver.command(member, name, options)
            self.records.append(record)
            if (record.response or {}).get("type") == 5:
                await self.driver.wait_followup(record)
            await asyncio.sleep(self.rng.uniform(0.5, 3.0))

    async def admin(self, member: p.Member, n: int) -> None:
        """Admin ``n`` penalises its own drivers in its own races (two admins never touch the
        same thing, so its undos, last in first out, are never refused as overtaken)."""
        stack = self.stacks.setdefault(n, [])
        k = 0
        while self.going():
            k += 1
            reason = f"soak {n}-{k}"
            adds = [c for c in stack if c.kind == "add"]
            revoked = {c.penalty for c in stack if c.kind == "revoke"}
            active = [c.penalty for c in adds if c.penalty not in revoked]
            if stack and (len(adds) >= OWN_PENALTIES_KEPT or self.rng.random() < 0.15):
                await self.undo(member, stack)
            elif active and self.rng.random() < 0.2:
                await self.revoke(member, stack, self.rng.choice(active), reason)
            else:
                await self.add(member, stack, n, reason)
            await asyncio.sleep(self.rng.uniform(0.2, 1.5))

    async def add(self, member: p.Member, stack: list[Change], n: int, reason: str) -> None:
        kind = self.rng.choice(["points", "reprimand"])
        value = {"value": self.rng.randint(1, 9)} if kind == "points" else {}
        options = {
            "driver": self.rng.choice(DRIVERS[2 * n : 2 * n + 2]),
            "race": self.rng.choice(RACES[n::4]),
            "type": kind,
            "reason": reason,
            **value,
        }
        self.expected[reason] = "absent"
        audit_id = await self.confirmed(member, "penalty add", options)
        if audit_id:
            self.counts["add"] += 1
            self.expected[reason] = "active"
            self.audited_adds.add(reason)
            stack.append(Change("add", reason, audit_id))

    async def revoke(
        self, member: p.Member, stack: list[Change], penalty: str, reason: str
    ) -> None:
        target = await _penalty_id(self.db, penalty)
        audit_id = await self.confirmed(member, "penalty revoke", {"id": target, "reason": reason})
        if audit_id:
            self.counts["revoke"] += 1
            self.expected[penalty] = f"revoked by {reason}"
            stack.append(Change("revoke", penalty, audit_id))
        else:
            self.failed_revokes.add(reason)

    async def undo(self, member: p.Member, stack: list[Change]) -> None:
        change = stack[-1]
        if await self.confirmed(member, "undo", {"id": change.audit_id}):
            self.counts["undo"] += 1
            stack.pop()
            self.expected[change.penalty] = "absent" if change.kind == "add" else "active"

    async def confirmed(self, member: p.Member, command: str, options: dict[str, Any]) -> int:
        """Preview, then Confirm (or now and then Cancel): the audit id once applied, else 0."""
        driver = self.driver
        preview = await driver.command(member, command, options)
        self.records.append(preview)
        if "Preview" not in message_text(answer_data(preview)):
            self.counts["refused"] += 1
            return 0
        if self.rng.random() < 0.1:
            self.records.append(await driver.press(member, preview, "Cancel"))
            self.counts["cancelled"] += 1
            return 0
        press = await driver.press(member, preview, "Confirm")
        self.records.append(press)
        await driver.wait_followup(press)
        outcome = message_text(final_data(press))
        while "changed since your preview" in outcome:
            self.counts["asked again"] += 1
            press = await driver.press(member, press, "Confirm")
            self.records.append(press)
            await driver.wait_followup(press)
            outcome = message_text(final_data(press))
        if "Done" in outcome:
            audit = re.search(r"Audit #(\d+)", outcome)
            assert audit, outcome
            return int(audit.group(1))
        if "busy" in outcome:
            self.counts["busy"] += 1
        else:
            assert "Not applied" in outcome and "injected" not in outcome, outcome
            self.counts["injected"] += 1
        return 0

    async def sample(self, pid: int, started: float) -> None:
        while self.going():
            size = await asyncio.to_thread(_penalty_count, self.db)
            self.rss.append((time.monotonic() - started, _rss_kib(pid), size))
            await asyncio.sleep(SAMPLE_S)


def _memory_report(driver: Driver, since: int) -> list[str]:
    """Ask the bot for its memory report (SIGUSR1) and return the lines it logged."""
    os.kill(driver.process.pid, signal.SIGUSR1)
    for _ in range(50):
        lines = [line for line in driver.process.log().splitlines() if "memory:" in line]
        if len(lines) > since:
            time.sleep(0.2)  # the report's lines are written together
            lines = [line for line in driver.process.log().splitlines() if "memory:" in line]
            return [line.split("memory: ", 1)[1] for line in lines[since:]]
        time.sleep(0.1)
    return []


async def test_soak_admins_and_fans_with_injected_failures(
    admin_db: Path,
    tmp_path: Path,
    definitions: list[dict[str, Any]],
    request: pytest.FixtureRequest,
) -> None:
    if not request.config.getoption("--e2e-long"):
        pytest.skip("the soak runs in the long profile (--e2e-long)")
    seconds = float(request.config.getoption("--soak-seconds"))
    con = sqlite3.connect(admin_db)
    con.execute(INJECT)  # about one transaction in five fails half way, inside the bot
    con.commit()
    con.close()
    # Warm: once the oldest previews and page buttons can have expired (discord.py keeps a
    # view until its timeout) and the season's size is in its band, what is kept alive has
    # reached its steady state; in a short run, a third of the way.
    warm_s = (
        confirm.PREVIEW_TIMEOUT_S + 30 if seconds >= 2 * confirm.PREVIEW_TIMEOUT_S else seconds / 3
    )
    async with FakeDiscord(token=FAKE_TOKEN) as fake:
        async for driver in _running(fake, admin_db, tmp_path, definitions):
            started = time.monotonic()
            soak = Soak(driver, admin_db, started + seconds, random.Random(14))
            fans = [p.Member(1_300_000_000_000_010_000 + i, f"fan{i}") for i in range(50)]

            warm_report, *_ = await asyncio.gather(
                _report_when_warm(driver, warm_s),
                soak.sample(driver.process.pid, started),
                *(soak.fan(m) for m in fans),
                *(soak.admin(m, n) for n, m in enumerate(ADMINS)),
            )
            end_rss = _rss_kib(driver.process.pid)
            end_report = await asyncio.to_thread(_memory_report, driver, len(warm_report))
    problems = answered_once_in_time(soak.records, INTERACTION_DEADLINE_S)
    warm = next((s for s in soak.rss if s[0] >= warm_s), soak.rss[-1])
    after = [s for s in soak.rss if s[0] >= warm_s]
    print(_figures(soak, seconds, warm, after, end_rss))
    print("memory after warm-up:", *warm_report[:8], sep="\n  ")
    print("memory at the end, against after warm-up:", *end_report[:10], sep="\n  ")
    print(
        "RSS (MB) / penalties every minute:",
        " ".join(f"{s[0]:.0f}s:{s[1] / 1024:.1f}/{s[2]}" for s in soak.rss[:: int(60 // SAMPLE_S)]),
    )
    assert problems == [], problems[:10]
    _check_soak_database(admin_db, soak)
    assert abs(end_rss - warm[1]) <= 0.10 * warm[1], (warm, end_rss)  # last: the figures first


async def _report_when_warm(driver: Driver, warm_s: float) -> list[str]:
    await asyncio.sleep(warm_s)
    return await asyncio.to_thread(_memory_report, driver, 0)


def _figures(
    soak: Soak, seconds: float, warm: tuple[float, int, int], after: list[tuple[float, int, int]],
    end_rss: int,
) -> str:  # fmt: skip
    latencies = [r.latency for r in soak.records if r.latency is not None]
    c = soak.counts
    after = after or [warm]
    return (
        f"\nsoak {seconds:.0f} s: {len(soak.records)} interactions; changes applied: "
        f"{c['add']} adds, {c['revoke']} revokes, {c['undo']} undos; {c['injected']} failed by "
        f"injection, {c['busy']} busy, {c['asked again']} asked again, {c['cancelled']} "
        f"cancelled, {c['refused']} refused at preview; penalties in the season "
        f"{min(s[2] for s in soak.rss)}–{max(s[2] for s in soak.rss)} (after warm-up "
        f"{min(s[2] for s in after)}–{max(s[2] for s in after)}); RSS "
        f"{soak.rss[0][1] / 1024:.1f} MB at start, {warm[1] / 1024:.1f} MB after warm-up "
        f"({warm[0]:.0f} s), {end_rss / 1024:.1f} MB at end (highest after warm-up "
        f"{max(s[1] for s in after) / 1024:.1f} MB); slowest answer {max(latencies):.3f} s"
    )


def _check_soak_database(path: Path, soak: Soak) -> None:
    """Every change fully there or fully absent, and the file sound."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT reason, revoke_reason FROM penalty WHERE reason LIKE 'soak %'")
        held = {
            reason: "active" if revoke is None else f"revoked by {revoke}"
            for reason, revoke in rows.fetchall()
        }
        audited = {
            r
            for (r,) in con.execute(
                "SELECT json_extract(after_json, '$.reason') FROM audit_log "
                "WHERE action = 'penalty.add'"
            )
        }
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    wrong = {
        reason: (state, held.get(reason, "absent"))
        for reason, state in soak.expected.items()
        if held.get(reason, "absent") != state
    }
    assert wrong == {}, list(wrong.items())[:10]
    assert set(held) <= set(soak.expected)  # nothing the admins were not told was done
    assert soak.audited_adds <= audited  # every applied add has its audit row
    assert not ({v.removeprefix("revoked by ") for v in held.values()} & soak.failed_revokes)


def _penalty_count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM penalty").fetchone()[0])
    finally:
        con.close()


async def _penalty_id(path: Path, reason: str) -> int:
    def read() -> int:
        con = sqlite3.connect(path)
        try:
            row = con.execute("SELECT id FROM penalty WHERE reason = ?", (reason,)).fetchone()
            return int(row[0]) if row else 1
        finally:
            con.close()

    return await asyncio.to_thread(read)
