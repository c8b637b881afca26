"""Admin commands through the real CommandTree, on a fictional complete season."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.console.ask import ask
from bot.adapters.console.harness import Harness, User, interaction_payload
from bot.adapters.discord import confirm
from bot.adapters.discord.announce import ChannelAnnouncer
from bot.storage import changes
from tests.factories import make_season, set_results
from tests.helpers import assert_valid, bot_with_season, outcome, press, text_of

ADMIN = User(id=1_300_000_000_000_000_100, name="steward", admin=True)
OTHER_ADMIN = User(id=1_300_000_000_000_000_101, name="other-steward", admin=True)
FAN = User(id=1_300_000_000_000_000_200, name="fan")
ROLE = 1_400_000_000_000_000_001

# Race 1 of the fictional season: 1 wins by 2 s from 2, then 3 (+6 s), 4, 5, 6.
RACE1 = [
    (1, 1, 1_800_000),
    (2, 2, 1_802_000),
    (3, 3, 1_806_000),
    (4, 4, 1_820_000),
    (5, 5, 1_830_000),
    (6, 6, 1_840_000),
]


def fict_season():
    season = make_season(rounds=3, races_per_round=2, entries=6, seed=3)
    return set_results(season, 1, RACE1)


@pytest.fixture
async def env(tmp_path: Path):
    async with bot_with_season(tmp_path, fict_season(), ROLE) as h:
        yield h


def dump(harness: Harness) -> dict[str, list[tuple[Any, ...]]]:
    path = harness.client.service.db.path  # type: ignore[attr-defined]
    con = sqlite3.connect(path)
    try:
        out = {}
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
        ):
            out[name] = con.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2').fetchall()
        return out
    finally:
        con.close()


def view(harness: Harness):
    return harness.client.service.latest()  # type: ignore[attr-defined]


def standings_snapshot(harness: Harness):
    v = view(harness)
    return {
        (c.slug, r): v.standings(c.slug, r).rows
        for c in v.championships
        for r in range(1, v.season.last_round + 1)
    }


def order(harness: Harness, round_number: int = 1, number: int = 1) -> list[str]:
    race = view(harness).race(round_number, number)
    return [r.entry.driver for r in race.classification.rows if r.position]


async def test_time_penalty_preview_confirm_and_every_effect(env: Harness):
    before_tables = standings_snapshot(env)
    before_db = dump(env)
    calls = await ask(
        env,
        "/penalty add driver:Testdriver 01 race:alpha 1 type:time "
        'reason:"causing a collision" value:5',
        user=ADMIN,
    )
    assert_valid(calls)
    preview = calls[0].body["data"]
    assert preview["flags"] & 64
    text = text_of(preview)
    # 1st at 1800 s + 5 s = 1805 s: behind 2 (1802), ahead of 3 (1806).
    assert "Testdriver 01: 1st (Pro 1st) → 2nd (Pro 1st)" in text
    assert "Testdriver 02: 2nd (Pro-Am 1st) → 1st (Pro-Am 1st)" in text
    assert "Drivers standings" in text and "Teams standings" not in text  # same team: no move
    assert dump(env) == before_db  # a preview writes nothing
    done = await press(env, calls, "Confirm", ADMIN)
    assert done[0].body["type"] == 6  # acknowledged at once, then the outcome
    assert "Done" in text_of(outcome(done))
    assert order(env)[:3] == ["Testdriver 02", "Testdriver 01", "Testdriver 03"]
    row = next(
        r for r in view(env).race(1, 1).classification.rows if r.entry.driver == "Testdriver 01"
    )
    assert row.time_ms == 1_805_000 and row.gap_ms == 3_000
    after_tables = standings_snapshot(env)
    drivers = {r.name: r.points for r in after_tables[("drivers", 3)]}
    old = {r.name: r.points for r in before_tables[("drivers", 3)]}
    assert drivers["Testdriver 01"] == old["Testdriver 01"] - 5  # 25 -> 20
    assert drivers["Testdriver 02"] == old["Testdriver 02"] + 5  # 20 -> 25
    for rnd in (1, 2, 3):  # every "after round N" table from round 1 on moves
        assert after_tables[("drivers", rnd)] != before_tables[("drivers", rnd)]
    # The race text tells the effect.
    race_text = text_of((await ask(env, "/race alpha 1", user=FAN))[0].body["data"])
    assert "1st at the flag → classified 2nd, +5 s, causing a collision" in race_text
    audit = await changes.list_audit(env.client.service.db, 5)  # type: ignore[attr-defined]
    assert audit[0].action == "penalty.add" and audit[0].actor_name == "steward"
    # Revoke restores every table exactly.
    pid = audit[0].after["penalty_id"]
    calls = await ask(env, f'/penalty revoke {pid} "appeal upheld"', user=ADMIN)
    assert "Testdriver 01: 2nd (Pro 1st) → 1st (Pro 1st)" in text_of(calls[0].body["data"])
    await press(env, calls, "Confirm", ADMIN)
    assert standings_snapshot(env) == before_tables
    assert order(env)[:2] == ["Testdriver 01", "Testdriver 02"]
    listed = text_of((await ask(env, "/penalty list", user=ADMIN))[0].body["data"])
    assert f"#{pid}" in listed and "revoked by steward" in listed


async def test_positions_dsq_and_points_penalties(env: Harness):
    calls = await ask(
        env,
        "/penalty add driver:Testdriver 02 race:alpha 1 type:positions "
        'reason:"track limits" value:2',
        user=ADMIN,
    )
    await press(env, calls, "Confirm", ADMIN)
    assert order(env)[:4] == ["Testdriver 01", "Testdriver 03", "Testdriver 04", "Testdriver 02"]
    calls = await ask(
        env,
        '/penalty add driver:Testdriver 01 race:alpha 1 type:dsq reason:"technical infringement"',
        user=ADMIN,
    )
    await press(env, calls, "Confirm", ADMIN)
    race = view(env).race(1, 1).classification
    assert race.rows[-1].entry.driver == "Testdriver 01" and race.rows[-1].status.value == "DSQ"
    before = {r.name: r.points for r in view(env).standings("drivers").rows}
    calls = await ask(
        env,
        "/penalty add driver:Testdriver 03 race:alpha 2 type:points "
        'reason:"unsporting behaviour" value:7',
        user=ADMIN,
    )
    await press(env, calls, "Confirm", ADMIN)
    after = {r.name: r.points for r in view(env).standings("drivers").rows}
    assert after["Testdriver 03"] == before["Testdriver 03"] - 7
    # Points deductions do not touch the team table (their scoring is by race results).
    assert "Teams" not in text_of(calls[0].body["data"])


async def test_double_confirm_applies_once_and_other_users_cannot_confirm(env: Harness):
    calls = await ask(
        env,
        '/penalty add driver:Testdriver 05 race:alpha 2 type:reprimand reason:"unsafe release"',
        user=ADMIN,
    )
    other = await press(env, calls, "Confirm", OTHER_ADMIN)
    assert other[0].body["data"]["flags"] & 64
    assert "Only the admin who asked" in other[0].body["data"]["content"]
    fan = await press(env, calls, "Confirm", FAN)
    assert fan[0].body["data"]["flags"] & 64
    start = len(env.adapter.calls)
    await asyncio.gather(press(env, calls, "Confirm", ADMIN), press(env, calls, "Confirm", ADMIN))
    answers = [c for c in env.adapter.calls[start:] if c.path.endswith("/callback")]
    assert len(answers) == 2  # each click is answered once
    texts = [text_of(c.body.get("data") or {}) for c in answers]
    assert sum("Done" in text_of(c.body) for c in env.adapter.calls[start:] if c.method == "PATCH")
    assert sum(c.body["type"] == 6 for c in answers) == 1
    assert sum("nothing more was done" in t for t in texts) == 1
    reprimands = [p for p in view(env).season.penalties if p.reason == "unsafe release"]
    assert len(reprimands) == 1


async def test_cancel_and_expiry_change_nothing(env: Harness, monkeypatch):
    before = dump(env)
    calls = await ask(
        env,
        '/penalty add driver:Testdriver 05 race:alpha 2 type:time reason:"x" value:10',
        user=ADMIN,
    )
    cancelled = await press(env, calls, "Cancel", ADMIN)
    assert "Cancelled" in text_of(cancelled[0].body["data"])
    assert dump(env) == before
    monkeypatch.setattr(confirm, "PREVIEW_TIMEOUT_S", 0.05)
    await ask(
        env,
        '/penalty add driver:Testdriver 05 race:alpha 2 type:time reason:"x" value:10',
        user=ADMIN,
    )
    for _ in range(100):
        await asyncio.sleep(0.02)
        edits = [c for c in env.adapter.calls if c.method == "PATCH"]
        if edits:
            break
    assert edits and "expired" in text_of(edits[-1].body) and edits[-1].body["components"] == []
    assert dump(env) == before


@pytest.mark.parametrize(
    ("user", "line"),
    [
        (FAN, "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x value:5"),
        (FAN, "/penalty revoke 1 reason:x"),
        (FAN, "/result status race:alpha 1 state:provisional"),
        (FAN, "/entry add driver:Some Body"),
        (FAN, "/audit"),
        (FAN, "/undo 1"),
        (FAN, "/penalty list"),
    ],
)
async def test_members_without_rights_are_refused_and_nothing_is_written(
    env: Harness, user: User, line: str, caplog
):
    before = dump(env)
    calls = await ask(env, line, user=user)
    assert_valid(calls)
    data = calls[0].body["data"]
    assert data["flags"] & 64 and "Only the championship's admins" in text_of(data)
    assert dump(env) == before
    assert any("refused" in r.getMessage() for r in caplog.records)


async def test_admin_role_is_enough_and_removing_it_refuses(env: Harness):
    with_role = User(id=1_300_000_000_000_000_300, name="press-officer", roles=(ROLE,))
    calls = await ask(env, "/audit", user=with_role)
    assert "Audit log" in text_of(calls[0].body["data"])
    without = replace(with_role, roles=())
    calls = await ask(env, "/audit", user=without)
    assert "Only the championship's admins" in text_of(calls[0].body["data"])


async def test_dm_is_refused(env: Harness):
    from bot.adapters.console.ask import build_command_data, parse_line

    data = build_command_data(env.client.tree, parse_line("/audit"))
    payload = interaction_payload(2, data, ADMIN)
    for key in ("guild_id", "member"):
        payload.pop(key)
    payload["user"] = {
        "id": str(ADMIN.id),
        "username": "steward",
        "discriminator": "0",
        "avatar": None,
        "global_name": None,
    }
    payload["channel"] = {"id": payload["channel_id"], "type": 1}
    payload["context"] = 1
    calls = await env.dispatch(payload)
    assert calls and calls[0].body["data"]["flags"] & 64
    assert "server" in text_of(calls[0].body["data"])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/penalty add driver:Nobody race:alpha 1 type:time reason:x value:5", "No driver"),
        ("/penalty add driver:Testdriver 01 race:zulu 1 type:time reason:x value:5", "No circuit"),
        (
            "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x value:0",
            "out of range",
        ),
        (
            "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x value:99999",
            "out of range",
        ),
        ("/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x", "needs a value"),
        (
            "/penalty add driver:Testdriver 01 race:alpha 1 type:dsq reason:x value:3",
            "takes no value",
        ),
        (
            "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:"
            + "x" * 5000
            + " value:5",
            "keep it under",
        ),
        ("/penalty add driver:Testdriver 01 race:alpha 1 type:warp reason:x", "not a valid"),
        ("/penalty revoke 999999 reason:x", "no penalty #999999"),
        ("/undo 424242", "no audit entry"),
    ],
)
async def test_bad_admin_input_gets_a_clear_answer(env: Harness, line: str, expected: str):
    before = dump(env)
    calls = await ask(env, line, user=ADMIN)
    assert_valid(calls)
    data = calls[0].body["data"]
    assert data["flags"] & 64
    assert expected.lower() in text_of(data).lower()
    assert dump(env) == before


async def test_driver_not_in_that_race(env: Harness):
    # Take a driver's result out of race 2 by importing a classification without them.
    v = view(env)
    rows = [r for r in v.season.results if r.session_id == v.race(1, 2).session.id]
    csv = "position,car,laps,time\n" + "\n".join(
        f"{i},{v.entries[r.entry_id].car_number},20,{30 + i}:00.000"
        for i, r in enumerate(rows[:-1], start=1)
    )
    path = Path(env.client.service.db.path).with_name("r2.csv")  # type: ignore[attr-defined]
    path.write_text(csv, encoding="utf-8")
    calls = await ask(env, f"/result import race:alpha 2 file:{path}", user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    missing = v.entries[rows[-1].entry_id].driver
    calls = await ask(
        env, f"/penalty add driver:{missing} race:alpha 2 type:time reason:x value:5", user=ADMIN
    )
    assert "has no result in Alpha — race 2" in text_of(calls[0].body["data"])


async def test_sql_looking_text_and_mentions_are_just_text(env: Harness):
    reason = "'); DROP TABLE penalty; -- @everyone <@&123> <@456>"
    calls = await ask(
        env,
        f'/penalty add driver:Testdriver 04 race:alpha 1 type:reprimand reason:"{reason}"',
        user=ADMIN,
    )
    assert_valid(calls)
    done = await press(env, calls, "Confirm", ADMIN)
    assert_valid(done)
    stored = [p for p in view(env).season.penalties if p.reason == reason]
    assert len(stored) == 1
    listed = await ask(env, "/penalties", user=FAN)
    assert_valid(listed)  # sent with no mentions allowed
    con = sqlite3.connect(env.client.service.db.path)  # type: ignore[attr-defined]
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


async def test_announcement_has_no_mentions(env: Harness):
    sent: list[dict[str, Any]] = []

    class Channel:
        async def send(self, **kwargs: Any) -> None:
            sent.append(kwargs)

    cog = env.client.get_cog("AdminCog")
    cog.announcer = ChannelAnnouncer(42)  # what the Discord runner gives the bot
    cog.client.get_partial_messageable = lambda _id: Channel()  # type: ignore[method-assign]
    calls = await ask(
        env,
        '/penalty add driver:Testdriver 04 race:alpha 1 type:time reason:"@everyone look" value:3',
        user=ADMIN,
    )
    await press(env, calls, "Confirm", ADMIN)
    assert len(sent) == 1
    assert sent[0]["allowed_mentions"].to_dict() == {"parse": []}
    assert sent[0]["embed"].title == "Stewards' decision"


async def test_injected_failure_leaves_the_database_unchanged(env: Harness, monkeypatch):
    before = dump(env)
    before_view = view(env)

    async def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(changes, "insert_audit", boom)  # after the penalty row is written
    calls = await ask(
        env, "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x value:5", user=ADMIN
    )
    done = await press(env, calls, "Confirm", ADMIN)
    assert "nothing was changed" in text_of(outcome(done))
    assert "disk on fire" not in text_of(outcome(done))
    assert dump(env) == before
    assert view(env) is before_view


async def test_time_penalty_on_a_race_without_times(env: Harness):
    path = Path(env.client.service.db.path).with_name("notimes.csv")  # type: ignore[attr-defined]
    path.write_text("position,car\n1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n", encoding="utf-8")
    calls = await ask(env, f"/result import race:bravo 1 file:{path}", user=ADMIN)
    assert "no times" in text_of(calls[0].body["data"])
    await press(env, calls, "Confirm", ADMIN)
    calls = await ask(
        env, "/penalty add driver:Testdriver 01 race:bravo 1 type:time reason:x value:5", user=ADMIN
    )
    assert "has no times: use positions" in text_of(calls[0].body["data"])
    calls = await ask(
        env,
        "/penalty add driver:Testdriver 01 race:bravo 1 type:positions reason:x value:1",
        user=ADMIN,
    )
    await press(env, calls, "Confirm", ADMIN)
    assert order(env, 2, 1)[:2] == ["Testdriver 02", "Testdriver 01"]


async def test_result_import_validates_with_line_numbers_and_backs_up(env: Harness, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "position,car,laps,time\n1,1,20,30:00.000\n1,2,20,30:01.000\n"
        "x,3,20,30:02.000\n4,77,20,30:03.000\n",
        encoding="utf-8",
    )
    before = dump(env)
    calls = await ask(env, f"/result import race:charlie 2 file:{bad}", user=ADMIN)
    text = text_of(calls[0].body["data"])
    assert calls[0].body["data"]["flags"] & 64 and "not imported" in text
    assert "line 4: position must be" in text and "line 5: no car #77" in text
    assert dump(env) == before
    good = tmp_path / "good.csv"
    good.write_text(
        "position,car,laps,time,gap\n1,6,20,30:00.000,\n2,5,20,,+1.5\n"
        "3,4,20,,+2.5\n4,3,20,,+9.0\n5,2,19,,+1 lap\nDNF,1,3,,\n",
        encoding="utf-8",
    )
    calls = await ask(env, f"/result import race:charlie 2 file:{good}", user=ADMIN)
    assert_valid(calls)
    assert "import 6 results" in text_of(calls[0].body["data"])
    await press(env, calls, "Confirm", ADMIN)
    assert order(env, 3, 2) == [
        "Testdriver 06",
        "Testdriver 05",
        "Testdriver 04",
        "Testdriver 03",
        "Testdriver 02",
    ]
    assert list((tmp_path / "backups").glob("*before-import.db"))
    # And it can be undone, restoring the earlier results.
    audit = await changes.list_audit(env.client.service.db, 1)  # type: ignore[attr-defined]
    calls = await ask(env, f"/undo {audit[0].id}", user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    assert len(order(env, 3, 2)) == 6


async def test_result_set_and_status(env: Harness):
    calls = await ask(env, "/result set race:alpha 1 driver:Testdriver 06 position:1", user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    assert order(env)[:2] == ["Testdriver 06", "Testdriver 01"]
    calls = await ask(env, "/result status race:alpha 1 state:provisional", user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    text = text_of((await ask(env, "/race alpha 1", user=FAN))[0].body["data"])
    assert "Provisional" in text


async def test_entry_add_and_edit(env: Harness):
    calls = await ask(
        env,
        "/entry add driver:Newcomer Fictif team:Fictional Team 09 class:Am "
        "car_number:77 rookie:true",
        user=ADMIN,
    )
    await press(env, calls, "Confirm", ADMIN)
    e = next(e for e in view(env).season.entries if e.driver == "Newcomer Fictif")
    assert (e.car_number, e.klass, e.rookie, e.team) == (77, "Am", True, "Fictional Team 09")
    calls = await ask(env, "/entry edit driver:Newcomer Fictif class:Pro-Am", user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    e = next(e for e in view(env).season.entries if e.driver == "Newcomer Fictif")
    assert e.klass == "Pro-Am"
    calls = await ask(env, "/entry add driver:Another One car_number:77", user=ADMIN)
    assert "#77 is already Newcomer Fictif's car" in text_of(calls[0].body["data"])


async def test_undo_refuses_when_a_later_change_depends(env: Harness):
    calls = await ask(
        env, "/penalty add driver:Testdriver 02 race:alpha 1 type:time reason:x value:5", user=ADMIN
    )
    await press(env, calls, "Confirm", ADMIN)
    audit = await changes.list_audit(env.client.service.db, 1)  # type: ignore[attr-defined]
    add_id, pid = audit[0].id, audit[0].after["penalty_id"]
    calls = await ask(env, f"/penalty revoke {pid} reason:oops", user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    calls = await ask(env, f"/undo {add_id}", user=ADMIN)
    text = text_of(calls[0].body["data"])
    assert f"undo #{add_id + 1} first" in text
    # Undo the revoke, then the add: back to the start, both audited.
    calls = await ask(env, f"/undo {add_id + 1}", user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    calls = await ask(env, f"/undo {add_id}", user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    assert all(p.id != pid for p in view(env).season.penalties)
    audit = await changes.list_audit(env.client.service.db, 10)  # type: ignore[attr-defined]
    assert [a.action for a in audit[:2]] == ["undo.penalty.add", "undo.penalty.revoke"]


async def test_readers_never_see_half_a_change(env: Harness):
    """Fans reading while a stream of penalties lands always see one consistent state."""
    states: list[tuple[int, ...]] = []

    async def reader() -> None:
        for _ in range(60):
            v = view(env)
            table = v.standings("drivers")
            total = sum(r.points for r in table.rows)
            race_pts = sum(s.points for race in v.races for s in v.scores("drivers", race.id))
            deductions = sum(r.deductions for r in table.rows)
            states.append((total, race_pts - deductions))
            await asyncio.sleep(0)

    async def writer() -> None:
        for i in range(5):
            calls = await ask(
                env,
                f"/penalty add driver:Testdriver 0{i + 1} race:alpha 2 "
                f'type:points reason:"r{i}" value:{i + 1}',
                user=ADMIN,
            )
            await press(env, calls, "Confirm", ADMIN)

    await asyncio.gather(writer(), reader(), reader())
    assert states and all(total == expected for total, expected in states)


async def test_the_installed_view_is_what_the_database_holds(env: Harness):
    """After an exact change the bot keeps its computed view: it must equal a fresh load."""
    lines = [
        "/penalty add driver:Testdriver 03 race:bravo 2 type:time reason:x value:20",
        "/penalty add driver:Testdriver 04 race:alpha 1 type:positions reason:y value:2",
        "/result status race:charlie 1 state:provisional",
    ]
    for line in lines:
        calls = await ask(env, line, user=ADMIN)
        await press(env, calls, "Confirm", ADMIN)
    service = env.client.service  # type: ignore[attr-defined]
    kept = view(env)
    fresh = await service.reload(kept.season.id)
    assert fresh is not kept
    assert sorted(kept.season.penalties, key=lambda p: p.id) == sorted(
        fresh.season.penalties, key=lambda p: p.id
    )
    for c in kept.championships:
        for rnd in range(1, kept.season.last_round + 1):
            assert kept.standings(c.slug, rnd).rows == fresh.standings(c.slug, rnd).rows
    for sid, cls in kept.classifications.items():
        assert [(r.entry.id, r.position, r.status, r.time_ms) for r in cls.rows] == [
            (r.entry.id, r.position, r.status, r.time_ms) for r in fresh.classifications[sid].rows
        ]


async def test_a_locked_database_says_try_again_and_reads_still_answer(env: Harness, monkeypatch):
    monkeypatch.setattr(confirm, "CONFIRM_WAIT_S", 0.5)
    calls = await ask(
        env, "/penalty add driver:Testdriver 05 race:alpha 2 type:reprimand reason:late", user=ADMIN
    )
    before = dump(env)
    other = sqlite3.connect(env.client.service.db.path, timeout=0)  # type: ignore[attr-defined]
    other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        busy = await press(env, calls, "Confirm", ADMIN)
        assert outcome(busy)["flags"] & 64
        assert "try again" in text_of(outcome(busy))
        read = await ask(env, "/standings", user=FAN)  # fans are still answered
        assert_valid(read)
        assert not (read[0].body["data"].get("flags") or 0) & 64
    finally:
        other.rollback()
        other.close()
    assert dump(env) == before
    done = await press(env, calls, "Confirm", ADMIN)  # the same preview, once free again
    assert "Done" in text_of(outcome(done))
