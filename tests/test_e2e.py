"""End to end: the real bot process (``python -m bot run``) against a local Discord stand-in.

Nothing leaves 127.0.0.1: ``tests/fakediscord`` serves Discord's REST API and gateway, and
the bot reaches it through ``PARCFERME_API_BASE_URL``. Each test starts its own bot process
on its own database and kills it in a ``finally``.

Profiles::

    .venv/bin/pytest tests/test_e2e.py              # default: 10,000 fuzz cases, ~2 minutes
    .venv/bin/pytest tests/test_e2e.py --e2e-long   # 100,000 fuzz cases, 10x the fan session
                                                    # (~12 minutes)

Add ``-s`` (or ``-rP``) to see the figures each test prints (interactions answered, retries,
resumes, latencies). The fuzz cases are drawn by Hypothesis from a fixed seed
(``FUZZ_SEED``): a failure reproduces on the next run.

Admin scenarios (penalties, result imports, crash safety) can build on the same pieces:
``Driver.command`` takes any ``Member`` (``payloads.admin(...)``, roles) and a ``resolved``
map (``FakeDiscord.add_attachment`` hosts a CSV and returns its attachment payload), and
``Driver.press`` presses a button by its label.
"""

from __future__ import annotations

import asyncio
import collections
import gc
import json
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.rendering.limits import command_problems
from bot.services import seeding
from tests.fakediscord import INTERACTION_DEADLINE_S, FakeDiscord, InteractionRecord
from tests.fakediscord import payloads as p
from tests.fakediscord import strategies as fuzz
from tests.fakediscord.driver import (
    Driver,
    answer_data,
    answered_once_in_time,
    final_data,
    is_ephemeral,
    leaks,
    message_text,
)
from tests.fakediscord.process import (
    FAKE_TOKEN,
    LOG_LINE,
    PROJECT_ROOT,
    SEASONS_DIR,
    BotProcess,
    bot_env,
    bot_process,
    run_to_end,
    wait_ready,
)

FUZZ_SEED = 20_230_611


def secrets(tmp_path: Path) -> list[str]:
    """The token and this machine's paths: none may reach a fan, nor the log."""
    return [
        FAKE_TOKEN,
        *FAKE_TOKEN.split("."),
        str(PROJECT_ROOT),
        str(tmp_path),
        sys.prefix,
        sys.base_prefix,
    ]


@dataclass(frozen=True)
class Profile:
    fuzz_cases: int
    session_rounds: int  # how many times each fan runs the scripted session
    # Interactions sent and not yet answered, at most. The bot answers them one after the
    # other (80-190/s on this 2-core machine), so more in flight only adds queueing time,
    # which counts against Discord's 3 s; 25 keeps it busy and far inside the 3 s.
    in_flight: int = 25


@pytest.fixture(scope="module")
def profile(request: pytest.FixtureRequest) -> Profile:
    if request.config.getoption("--e2e-long"):
        return Profile(fuzz_cases=100_000, session_rounds=10)
    return Profile(fuzz_cases=10_000, session_rounds=1)


@pytest.fixture
async def bot_db(tmp_path: Path) -> Path:
    """A migrated, seeded database file (so the bot's first start writes nothing)."""
    path = tmp_path / "parcferme.db"
    db, _ = await seeding.open_ready(path, SEASONS_DIR)
    await db.close()
    return path


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=FAKE_TOKEN) as server:
        yield server


@pytest.fixture
async def driver(
    fake: FakeDiscord, bot_db: Path, tmp_path: Path, definitions: list[dict[str, Any]]
) -> AsyncIterator[Driver]:
    """``python -m bot run`` against the fake, logged in and with its guild."""
    env = bot_env(fake, bot_db)
    async with bot_process(["run"], env, tmp_path / "bot.log", tmp_path) as process:
        await wait_ready(fake, process)
        yield Driver(fake, process, p.definitions_by_name(definitions))


# -- helpers --------------------------------------------------------------------------------------
FANS = [
    p.Member(1_300_000_000_000_000_001, "lea", locale="en-GB"),
    p.Member(1_300_000_000_000_000_002, "tom", locale="en-US"),
    p.Member(1_300_000_000_000_000_003, "ines", locale="fr"),
    p.Member(1_300_000_000_000_000_004, "max", locale="de"),
    p.Member(1_300_000_000_000_000_005, "sam", locale="en-US"),
]

# (command, options, a text the answer must hold (English) or None, ephemeral?)
FAN_COMMANDS: list[tuple[str, dict[str, Any], str | None, bool]] = [
    ("help", {}, "/standings", False),
    ("standings", {}, "standings", False),
    ("standings", {"championship": "drivers"}, "standings", False),
    ("standings", {"championship": "pro-am"}, "Pro-Am", False),
    ("standings", {"championship": "am"}, "standings", False),
    ("standings", {"championship": "rookie"}, "Rookie standings", False),
    ("standings", {"championship": "teams"}, "standings", False),
    ("standings", {"championship": "junior"}, "selection", True),
    ("standings", {"championship": "drivers", "season": "2023", "after_round": 3}, None, False),
    ("standings", {"championship": "drivers", "after_round": 40}, None, True),
    ("race", {"circuit": "monza", "number": 1}, "Monza — race 1", False),
    ("race", {"circuit": "monza", "number": 2}, "Monza — race 2", False),
    ("race", {"circuit": "le castellet", "number": 2}, "Paul Ricard — race 2", False),
    ("race", {"circuit": "castellet", "number": 1}, "Paul Ricard — race 1", False),
    ("race", {"circuit": "paul ricard", "number": 1}, "Paul Ricard — race 1", False),
    ("race", {"circuit": "spielberg", "number": 1}, "Red Bull Ring — race 1", False),
    ("race", {"circuit": "austria", "number": 2}, "Red Bull Ring — race 2", False),
    ("race", {"circuit": "catalunya", "number": 1}, "Barcelona — race 1", False),
    ("race", {"circuit": "montmelo", "number": 2}, "Barcelona — race 2", False),
    ("race", {"circuit": "sarthe"}, "Le Mans — race 1", False),
    ("race", {"circuit": "le mans", "number": 2}, "Le Mans had one race.", True),
    ("race", {"circuit": "nevers", "number": 2}, "Magny-Cours — race 2", False),
    ("race", {"circuit": "monzza", "number": 1}, "Did you mean", True),
    ("winners", {}, "Boccolacci", False),
    ("winners", {"class": "rookie"}, None, False),
    ("winners", {"class": "pro-am"}, None, False),
    ("poles", {}, None, False),
    ("poles", {"season": "2023"}, None, False),
    ("penalties", {}, None, False),
    ("penalties", {"driver": "paque"}, None, False),
    ("penalties", {"race": "monza 2"}, None, False),
    ("driver", {"name": "klein"}, "Klein", False),
    ("driver", {"name": "jerome boullery"}, "Jérôme Boullery", False),
    ("driver", {"name": "98"}, None, False),
    ("driver", {"name": "sebastien"}, "could be several", True),
    ("calendar", {}, None, False),
    ("title", {}, None, False),
    ("title", {"championship": "rookie", "after_round": 5}, None, False),
    ("compare", {"first": "boccolacci", "second": "ghiretti"}, "Boccolacci", False),
    ("next", {}, None, False),
    ("chart", {"championship": "drivers"}, None, False),
]

# (command, focused option, what is typed, other options, expected first choice or None)
FAN_AUTOCOMPLETES: list[tuple[str, str, str, dict[str, Any], str | None]] = [
    ("race", "circuit", "castel", {}, "paul ricard"),
    ("race", "circuit", "", {}, None),
    ("driver", "name", "boul", {}, "Jérôme Boullery"),
    ("standings", "championship", "ro", {}, None),
    ("standings", "season", "20", {}, None),
    ("penalties", "race", "monza", {"driver": "paque"}, None),
    ("winners", "class", "", {}, None),
]


async def fan_session(driver: Driver, fan: p.Member, other: p.Member) -> list[InteractionRecord]:
    """One fan's session: every fan command, autocompletes, and turning pages."""
    records: list[InteractionRecord] = []
    english = fan.locale.startswith("en")
    for name, options, expected, ephemeral in FAN_COMMANDS:
        if name not in driver.definitions:
            continue  # test_the_session_has_every_fan_command says so
        record = await driver.command(fan, name, options)
        records.append(record)
        if (record.response or {}).get("type") == 5:  # deferred ("thinking"), then a follow-up
            await driver.wait_followup(record)
        text = message_text(final_data(record))
        assert text.strip() or final_data(record).get("attachments"), (name, options)
        if expected is not None and english:
            assert expected in text, (name, options, text[:500])
        assert is_ephemeral(record) == ephemeral, (name, options, text[:300])
    for name, focused, typed, others, first in FAN_AUTOCOMPLETES:
        record = await driver.autocomplete(fan, name, focused, {**others, focused: typed})
        records.append(record)
        assert record.response is not None and record.response["type"] == 8
        choices = answer_data(record).get("choices") or []
        assert len(choices) <= 25
        if first is not None and english:
            assert choices and choices[0]["value"] == first, (name, typed, choices[:3])
    # Pages: the asker turns them; someone else may not. English labels are pressed by
    # label, the others by position (Previous, Next).
    previous, next_ = ("Previous", "Next") if english else (0, 1)
    table = await driver.command(fan, "penalties", {})  # 12 penalties, 10 a page
    records.append(table)
    assert "1/2" in message_text(answer_data(table))
    turned = await driver.press(fan, table, next_)
    assert turned.response is not None and turned.response["type"] == 7
    assert "2/2" in message_text(answer_data(turned))
    refused = await driver.press(other, table, previous)
    assert is_ephemeral(refused)
    if other.locale.startswith("en"):
        assert "Only the person who asked" in message_text(answer_data(refused))
    back = await driver.press(fan, table, previous)
    assert "1/2" in message_text(answer_data(back))
    records += [turned, refused, back]
    return records


def test_the_session_has_every_fan_command(definitions: list[dict[str, Any]]) -> None:
    """A fan command added to the bot belongs in FAN_COMMANDS (admin commands are apart)."""
    fan_commands = {d["name"] for d in definitions if d.get("default_member_permissions") is None}
    assert fan_commands - {name for name, *_ in FAN_COMMANDS} == set()


def log_problems(process: BotProcess) -> list[str]:
    return process.problems_in_log()


def leaks_in_replies_and_log(fake: FakeDiscord, process: BotProcess, tmp_path: Path) -> list[str]:
    """The token or a path of this machine in anything the bot sent or logged; tracebacks
    and code names in what it sent (unless the user typed them: an echo is no leak)."""
    found: list[str] = []
    hidden = secrets(tmp_path)
    for e in fake.exchanges:
        if e.route not in ("callback", "followup", "webhook-edit", "channel-post"):
            continue
        text = message_text(_data(e.body))
        record = fake.interactions.get(e.interaction_id or 0)
        typed = json.dumps(record.payload.get("data"), ensure_ascii=False) if record else ""
        for leak in leaks(text, hidden):
            if leak not in typed:
                found.append(f"{e.method} {e.route}: {leak} in {_around(text, leak)!r}")
    for line in log_records(process):
        found += [f"log: {leak} in {line[:200]!r}" for leak in leaks(line, hidden, internals=False)]
    return found


def _around(text: str, found: str, width: int = 80) -> str:
    at = text.find(found)
    return text[max(0, at - width) : at + len(found) + width]


def log_records(process: BotProcess) -> list[str]:
    """The bot's INFO and WARNING records and its own notices (errors are checked apart)."""
    lines = process.log_lines()
    notices = [line for line in lines if line.startswith("parcferme:")]
    return process.log_lines("INFO") + process.log_lines("WARNING") + notices


def _data(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, dict):
        return {}
    return (body.get("data") or {}) if "type" in body and "data" in body else body


def db_dump(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        return list(con.iterdump())


def integrity(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])


def latency_figures(records: list[InteractionRecord]) -> str:
    values = sorted(r.latency for r in records if r.latency is not None)
    if not values:
        return "no answers"
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return (
        f"latency median {statistics.median(values) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {values[-1] * 1000:.0f} ms"
    )


# -- scenario 1: fans -----------------------------------------------------------------------------
async def test_fans_session_through_the_real_process(
    driver: Driver, profile: Profile, tmp_path: Path
) -> None:
    fake = driver.fake
    began = time.monotonic()
    assert len(fake.identifies) == 1 and fake.identifies[0]["intents"] == 1  # guilds only
    records: list[InteractionRecord] = []
    for _ in range(profile.session_rounds):
        sessions = [
            fan_session(driver, fan, FANS[(i + 1) % len(FANS)]) for i, fan in enumerate(FANS)
        ]
        for result in await asyncio.gather(*sessions):
            records += result
    took = time.monotonic() - began

    assert len(records) >= 200 * profile.session_rounds
    assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
    assert fake.bad_requests() == []
    assert fake.unknown_routes() == []
    assert not [e for e in fake.exchanges if e.route.startswith("commands")], "synced unasked"
    assert fake.heartbeats >= 1
    assert log_problems(driver.process) == []
    assert leaks_in_replies_and_log(fake, driver.process, tmp_path) == []
    kinds = collections.Counter(r.kind for r in records)
    print(
        f"\ne2e fans: {len(records)} interactions answered once each "
        f"({kinds[2]} commands, {kinds[4]} autocompletes, {kinds[3]} button presses) "
        f"by {len(FANS)} fans in {took:.1f} s; {latency_figures(records)}"
    )


async def test_sync_registers_commands_that_follow_discords_rules(
    fake: FakeDiscord, bot_db: Path, tmp_path: Path, definitions: list[dict[str, Any]]
) -> None:
    env = bot_env(fake, bot_db, home_guild_id=str(p.GUILD_ID))  # admin commands go home only
    args = ["sync", "--guild", str(p.GUILD_ID)]
    process = await run_to_end(args, env, tmp_path / "sync.log", tmp_path)
    output = process.log()
    assert process.returncode == 0, output
    assert f"synced {len(definitions)} commands to server {p.GUILD_ID}" in output
    puts = fake.calls("commands-put")
    assert len(puts) == 1 and puts[0].ok, [(e.status, e.response) for e in puts]
    assert puts[0].path == f"/applications/{p.APPLICATION_ID}/guilds/{p.GUILD_ID}/commands"
    registered = fake.commands[p.GUILD_ID]
    assert {c["name"] for c in registered} == {d["name"] for d in definitions}
    assert all(command_problems(c) == [] for c in registered)
    assert fake.identifies == []  # syncing does not connect to the gateway
    assert fake.unknown_routes() == []
    assert process.problems_in_log() == []
    assert leaks(output, secrets(tmp_path), internals=False) == []


# -- scenario 2: faults ---------------------------------------------------------------------------
async def test_rate_limits_and_server_errors_still_answer_once(driver: Driver) -> None:
    fake, fan = driver.fake, FANS[0]
    # One answer rate limited twice, then five answers in flight sharing five 429s.
    fake.fail_callbacks(429, 2, retry_after=0.3)
    limited = await driver.command(fan, "race", {"circuit": "monza", "number": 1})
    assert limited.retried_after == [429, 429]
    fake.fail_callbacks(429, 5, retry_after=0.2)
    crowd = [await driver.command(fan, "help", wait=False) for _ in range(5)]
    await driver.wait(crowd)
    # A 500: discord.py waits 1 s and tries again, within Discord's 3 s.
    fake.fail_callbacks(500, 1)
    failed = await driver.command(fan, "calendar")
    assert failed.retried_after == [500]
    fake.fail_callbacks(429, 1, retry_after=0.2)
    typed = await driver.autocomplete(fan, "race", "circuit", {"circuit": "mon"})

    records = [limited, *crowd, failed, typed]
    assert fake.faults_pending == 0
    assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
    assert sum(len(r.retried_after) for r in crowd) == 5
    assert fake.bad_requests() == []
    assert log_problems(driver.process) == []
    retries = sum(len(r.retried_after) for r in records)
    warned = [line for line in driver.process.log_lines("WARNING") if "rate limited" in line]
    assert len(warned) >= 8  # discord.py says so for each 429 it waits out
    print(
        f"\ne2e faults: {retries} injected 429/500 answers retried by discord.py, "
        f"{len(records)} interactions answered exactly once; {latency_figures(records)}"
    )


@pytest.mark.parametrize("cut", ["close frame 4000", "TCP cut"])
async def test_gateway_drop_resumes_without_lost_or_duplicate_answers(
    driver: Driver, cut: str
) -> None:
    fake, fan = driver.fake, FANS[1]
    before = [await driver.command(fan, "poles", wait=False) for _ in range(10)]
    await fake.drop_gateway(abort=cut == "TCP cut", hold=True)
    during = [await driver.command(fan, "help", wait=False) for _ in range(10)]
    fake.end_outage()
    await asyncio.wait_for(fake.resumed.wait(), 15)
    after = [await driver.command(fan, "calendar", wait=False) for _ in range(10)]
    records = before + during + after
    await driver.wait(records)
    await quiet(fake, 0.5)  # a duplicate answer would come now

    assert len(fake.resumes) == 1 and len(fake.identifies) == 1  # resumed, not re-identified
    assert fake.resumes[0]["session_id"].startswith("fake-session-")
    assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
    assert all(len(r.attempts) == 1 for r in records), "an interaction was answered twice"
    replayed = [f for f in fake.frames if f.event == "replay"]
    assert len(replayed) >= len(during)  # what was sent while the bot was away came on RESUME
    assert log_problems(driver.process) == []
    print(
        f"\ne2e resume ({cut}): RESUME seen ({len(replayed)} dispatches replayed), "
        f"{len(records)} interactions around the drop answered exactly once; "
        f"{latency_figures(records)}"
    )


async def quiet(fake: FakeDiscord, seconds: float, within: float = 30.0) -> None:
    """Wait until the fake has had no request for ``seconds``."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        last = fake.exchanges[-1].at if fake.exchanges else 0.0
        idle = time.monotonic() - last
        if idle >= seconds:
            return
        await asyncio.sleep(seconds - idle)


# -- scenario 4: SIGTERM --------------------------------------------------------------------------
async def test_sigterm_exits_cleanly_and_leaves_a_sound_database(
    driver: Driver, bot_db: Path
) -> None:
    fake = driver.fake
    records = [await driver.command(fan, "standings", {"championship": "rookie"}) for fan in FANS]
    # Answers still in progress when SIGTERM comes (a 500 makes discord.py wait 1 s) finish.
    fake.fail_callbacks(500, 2)
    in_flight = [await driver.command(fan, "calendar", wait=False) for fan in FANS]
    await fake.wait_answered(in_flight[2:], 5)
    pending = sum(1 for r in in_flight if not r.answered.is_set())
    code, took = await driver.process.terminate(within=15)
    records += in_flight

    assert code == 0, driver.process.log()[-3000:]
    assert took < 5.0
    assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
    assert log_problems(driver.process) == []
    assert "closed the Discord connection and the database" in driver.process.log()
    assert integrity(bot_db) == "ok"
    print(
        f"\ne2e SIGTERM: exit 0 after {took:.2f} s, {pending} answers in progress at the "
        f"signal all delivered; integrity_check ok"
    )


# -- scenario 5: fuzzing --------------------------------------------------------------------------
async def test_fuzzed_interactions_are_answered_validly_and_change_nothing(
    driver: Driver,
    profile: Profile,
    bot_db: Path,
    tmp_path: Path,
    definitions: list[dict[str, Any]],
) -> None:
    fake, process = driver.fake, driver.process
    before = await asyncio.to_thread(db_dump, bot_db)
    strategy = fuzz.interactions(definitions)
    chunks = fuzz.draw_in_chunks(strategy, profile.fuzz_cases, FUZZ_SEED)
    began = time.monotonic()
    sent = await send_fuzz(driver, chunks, profile.in_flight)
    await quiet(fake, 1.0)
    took = time.monotonic() - began

    expected = [record for case, record in sent if case.expects_answer]
    unanswerable = [record for case, record in sent if not case.expects_answer]
    seen = collections.Counter(f for case, _ in sent for f in fuzz.features(case, definitions))
    failures: dict[str, Any] = {}
    if len(sent) != profile.fuzz_cases:
        failures["sent"] = len(sent)
    if problems := answered_once_in_time(expected, INTERACTION_DEADLINE_S):
        failures["answers"] = (len(problems), problems[:20])
    # Unknown components: discord.py drops them; if anything answered, it must be valid.
    answered_unknown = [r for r in unanswerable if r.attempts]
    if problems := answered_once_in_time(answered_unknown, INTERACTION_DEADLINE_S):
        failures["unknown components"] = problems[:20]
    if bad := fake.bad_requests() + fake.unknown_routes():
        failures["refused by the fake"] = [(e.route, e.status, e.response) for e in bad[:20]]
    if process.returncode is not None:
        failures["the bot died"] = process.returncode
    if errors := error_summary(process):
        failures["errors in the log"] = errors
    if found := leaks_in_replies_and_log(fake, process, tmp_path):
        failures["leaks"] = found[:20]
    code, _ = await process.terminate()
    if code != 0:
        failures["exit code"] = code
    if await asyncio.to_thread(db_dump, bot_db) != before:
        failures["database"] = "changed"

    print(
        f"\ne2e fuzz: {len(sent)} interactions in {took:.1f} s ({len(sent) / took:.0f}/s, "
        f"{profile.in_flight} in flight), seed {FUZZ_SEED}: {dict(seen.most_common())}; "
        f"{sum(1 for r in expected if r.answered_at)} of {len(expected)} answered; "
        f"{len(unanswerable) - len(answered_unknown)} unknown-component presses dropped by "
        f"discord.py without an answer; {latency_figures(expected)}; problems: {failures}"
    )
    assert failures == {}


def error_summary(process: BotProcess) -> dict[str, int]:
    """ERROR records, and each traceback's exception with the bot's innermost frame, counted
    (every record shows twice in this log: bot/cli.py and discord.py each add a handler)."""
    summary: collections.Counter[str] = collections.Counter()
    in_traceback, frame = False, "?"
    for line in process.log().splitlines():
        if line.startswith("Traceback"):
            in_traceback, frame = True, "?"
        elif in_traceback and (m := FRAME.match(line)):
            if "/site-packages/" not in m["file"]:
                frame = f"{Path(m['file']).name}:{m['line']}"
        elif in_traceback and not line.startswith("    "):
            summary[f"{line[:100]} at {frame}"] += 1
            in_traceback = False
        elif (m := LOG_LINE.match(line)) and m["level"] in ("ERROR", "CRITICAL"):
            message = LONG_NUMBER.sub("<id>", line[m.end() :])[:100]
            summary[f"{m['level']} {m['logger']}: {message}"] += 1
    return dict(summary.most_common(25))


LONG_NUMBER = re.compile(r"\d{6,}")
FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+)')


async def send_fuzz(
    driver: Driver, chunks: Iterator[list[fuzz.FuzzCase]], in_flight: int
) -> list[tuple[fuzz.FuzzCase, InteractionRecord]]:
    """Send every case with at most ``in_flight`` unanswered; chunks are drawn in a thread
    while earlier ones are being answered."""
    sent: list[tuple[fuzz.FuzzCase, InteractionRecord]] = []
    slots = asyncio.Semaphore(in_flight)
    tasks: list[asyncio.Task[None]] = []
    unanswered = 0

    async def one(case: fuzz.FuzzCase) -> None:
        nonlocal unanswered
        try:
            record = await driver.fake.send_interaction(case.payload())
            sent.append((case, record))
            if case.expects_answer:
                unanswered += len(await driver.fake.wait_answered([record], driver.answer_within))
        finally:
            slots.release()

    next_chunk = asyncio.create_task(asyncio.to_thread(next, chunks, None))
    try:
        while (chunk := await next_chunk) is not None and unanswered <= MAX_UNANSWERED:
            # Everything recorded so far stays: keep it out of the garbage collector's full
            # passes, which otherwise grow with it and stall this process (and so the fake)
            # for seconds by 30,000 interactions, making answers look late.
            gc.collect()
            gc.freeze()
            next_chunk = asyncio.create_task(asyncio.to_thread(next, chunks, None))
            for case in chunk:
                await slots.acquire()
                tasks.append(asyncio.create_task(one(case)))
        await asyncio.gather(*tasks)
    finally:
        gc.unfreeze()
    return sent


MAX_UNANSWERED = 50  # then the bot is stuck: stop sending, report what was seen


# -- scenario 6: nothing secret in what fans see or in the log ------------------------------------
async def test_no_token_or_internal_path_in_replies_or_log(driver: Driver, tmp_path: Path) -> None:
    fan = FANS[2]
    provocations: list[tuple[str, dict[str, Any]]] = [
        ("race", {"circuit": "../../etc/passwd"}),
        ("driver", {"name": "%s %(token)s {0.__class__} {settings}"}),
        ("driver", {"name": "\u202e" + "x" * 6000}),
        ("standings", {"championship": "drivers", "season": "1999"}),
        ("standings", {"championship": "nope", "after_round": 99}),
        ("penalties", {"driver": "nobody", "race": "nowhere 9"}),
        ("calendar", {"season": "'; DROP TABLE season; --"}),
    ]
    records = [await driver.command(fan, name, options) for name, options in provocations]
    unknown = p.command_data(driver.definitions, "help")
    unknown["name"] = "config"
    records.append(await driver.send(p.interaction(p.APPLICATION_COMMAND, unknown, fan)))
    assert answered_once_in_time(records, INTERACTION_DEADLINE_S) == []
    hidden = secrets(tmp_path)
    for record in records:
        text = message_text(answer_data(record))
        assert leaks(text, hidden) == [], text[:500]
    assert leaks_in_replies_and_log(driver.fake, driver.process, tmp_path) == []
    assert driver.process.log_lines("INFO"), "the log is empty: nothing was checked"
    assert log_problems(driver.process) == []
