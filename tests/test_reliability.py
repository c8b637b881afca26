"""Issue 14 through the real command tree and real SQLite files: no hang, no uncommitted
read, restores that cannot destroy the database, writes only from the home guild's admins,
Confirm answered at once, bounded memory, previews that are what gets applied, other
processes' writes seen, and the bad inputs of §3."""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.adapters.console.ask import ask
from bot.adapters.console.harness import Harness
from bot.adapters.discord import confirm
from bot.adapters.discord.announce import ChannelAnnouncer
from bot.adapters.discord.checks import AdminPolicy
from bot.cli import main
from bot.errors import DatabaseBusy
from bot.services import seeding
from bot.services.admin import TOKENS_KEPT, Actor, AdminService, Applied
from bot.services.championship import ChampionshipService, SeasonView
from bot.storage import changes, repository
from bot.storage.database import Database
from tests.helpers import SEASONS_DIR, outcome, press_own, text_of
from tests.test_admin import ADMIN, FAN, OTHER_ADMIN, dump, env, order, press, view

__all__ = ["env"]

GOOD_CSV = (
    "position,car,laps,time,gap\n1,6,20,30:00.000,\n2,5,20,,+1.5\n"
    "3,4,20,,+2.5\n4,3,20,,+9.0\n5,2,19,,+1 lap\nDNF,1,3,,\n"
)


def penalty_line(driver: str = "Testdriver 05", race: str = "alpha 2", reason: str = "late") -> str:
    return f'/penalty add driver:{driver} race:{race} type:reprimand reason:"{reason}"'


# -- §1.1 a backup never runs on the writer's connection, nothing waits forever -----------------
async def test_a_backup_during_an_open_transaction_finishes(seeded_db: Database, tmp_path: Path):
    async with seeded_db.transaction() as tx:
        await tx.execute("UPDATE penalty SET reason = reason || ' (edited)' WHERE id = 1")
        # Old code: the backup ran on this very connection and retried forever.
        path = await asyncio.wait_for(
            seeding.backup(seeded_db, tmp_path / "backups", 5, label="before-import"), 15
        )
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The copy is the committed state, not the transaction that was open.
        reason = con.execute("SELECT reason FROM penalty WHERE id = 1").fetchone()[0]
        assert not reason.endswith("(edited)")
    finally:
        con.close()


async def test_two_confirms_at_once_with_an_imports_backup(env: Harness, tmp_path: Path):
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    penalty = await ask(env, penalty_line(), user=ADMIN)
    imported = await ask(env, f"/result import race:charlie 2 file:{good}", user=OTHER_ADMIN)
    both = await asyncio.wait_for(
        asyncio.gather(
            press_own(env, penalty, "Confirm", ADMIN),
            press_own(env, imported, "Confirm", OTHER_ADMIN),
        ),
        30,
    )
    assert all("Done" in text_of(outcome(calls)) for calls in both)
    assert order(env, 3, 2)[0] == "Testdriver 06"
    assert any(p.reason == "late" for p in view(env).season.penalties)
    assert list((tmp_path / "backups").glob("*before-import.db"))
    audit = await ask(env, "/audit", user=ADMIN)  # and the bot still answers
    assert "Audit log" in text_of(audit[0].body["data"])


# -- §1.2 readers never see uncommitted data -------------------------------------------------
async def test_a_view_built_during_a_failed_revoke_is_never_served(env: Harness, monkeypatch):
    add = await ask(env, penalty_line(reason="first"), user=ADMIN)
    await press(env, add, "Confirm", ADMIN)
    pid = max(p.id for p in view(env).season.penalties)
    service = env.client.service  # type: ignore[attr-defined]
    real = changes.insert_audit
    season_id = view(env).season.id

    async def fan_reads_then_disk_full(*args: Any, **kwargs: Any) -> int:
        # A fan's question for the season arrives while the revoke's transaction is open
        # (its penalty row already updated), then the disk fills up.
        await service.reload(season_id)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(changes, "insert_audit", fan_reads_then_disk_full)
    revoke = await ask(env, f'/penalty revoke id:{pid} reason:"appeal"', user=ADMIN)
    failed = await press(env, revoke, "Confirm", ADMIN)
    assert "Not applied" in text_of(outcome(failed))
    monkeypatch.setattr(changes, "insert_audit", real)
    shown = next(p for p in view(env).season.penalties if p.id == pid)
    assert shown.active  # the rolled-back revoke is not shown
    again = await ask(env, f'/penalty revoke id:{pid} reason:"appeal"', user=ADMIN)
    assert "already revoked" not in text_of(again[0].body["data"])
    assert "Preview" in text_of(again[0].body["data"])


async def test_reads_during_an_open_transaction_see_only_committed_rows(
    seeded_db: Database,
):
    async with seeded_db.transaction() as tx:
        await tx.execute("UPDATE penalty SET revoked_at = 'x', revoked_by = 'y' WHERE id = 1")
        row = await seeded_db.fetchone("SELECT revoked_at FROM penalty WHERE id = 1")
        assert row is not None and row[0] is None
        await tx.execute("DELETE FROM audit_log")


# -- §1.3 db restore -------------------------------------------------------------------------
def _cli(db: Path, *args: str, backups: Path | None = None) -> int:
    os.environ["PARCFERME_BACKUP_DIR"] = str(backups or db.parent / "backups")
    try:
        return main(["--db", str(db), *args])
    finally:
        os.environ.pop("PARCFERME_BACKUP_DIR", None)


def _partials(folder: Path) -> list[Path]:
    return [f for f in folder.rglob("*") if "partial" in f.name]


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


async def _seeded_file(path: Path) -> Path:
    db, _ = await seeding.open_ready(path, SEASONS_DIR)
    await db.close()
    return path


async def test_restore_writes_beside_checks_and_keeps_the_replaced_database(tmp_path: Path, capsys):
    live = await _seeded_file(tmp_path / "live.db")
    backup = await _seeded_file(tmp_path / "other" / "backup.db")
    con = sqlite3.connect(backup)
    con.execute("UPDATE penalty SET reason = 'from the backup' WHERE id = 1")
    con.commit()
    con.close()
    con = sqlite3.connect(live)
    con.execute("UPDATE penalty SET reason = 'live' WHERE id = 1")
    con.commit()
    con.close()
    assert await asyncio.to_thread(_cli, live, "db", "restore", str(backup)) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "kept as" in out
    con = sqlite3.connect(live)
    assert con.execute("SELECT reason FROM penalty WHERE id = 1").fetchone()[0] == (
        "from the backup"
    )
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    kept = list((tmp_path / "backups").glob("*before-restore.db"))
    assert len(kept) == 1
    con = sqlite3.connect(kept[0])
    assert con.execute("SELECT reason FROM penalty WHERE id = 1").fetchone()[0] == "live"
    con.close()
    assert _partials(tmp_path) == []


@pytest.mark.parametrize("kind", ["png", "other-sqlite", "truncated", "empty"])
async def test_restore_refuses_what_is_not_a_parcferme_database(tmp_path: Path, capsys, kind: str):
    live = await _seeded_file(tmp_path / "live.db")
    before = _bytes(live)
    bad = tmp_path / f"bad-{kind}.db"
    if kind == "png":
        bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000)
    elif kind == "other-sqlite":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("PRAGMA user_version = 1")
        con.commit()
        con.close()
    elif kind == "truncated":
        good = await _seeded_file(tmp_path / "good.db")
        data = good.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    else:
        bad.write_bytes(b"")
    code = await asyncio.to_thread(_cli, live, "db", "restore", str(bad))
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err and "nothing was changed" in captured.err
    assert _bytes(live) == before
    assert _partials(tmp_path) == []


async def test_restore_that_fails_half_way_leaves_the_database_as_it_was(
    tmp_path: Path, capsys, monkeypatch
):
    from bot.storage import files

    live = await _seeded_file(tmp_path / "live.db")
    backup = await _seeded_file(tmp_path / "backup.db")
    before = _bytes(live)
    real_copy = files.backup_file

    def disk_full_half_way(source: Path, target: Path, within: float = 30.0) -> None:
        if target.name.endswith(".restore-partial"):
            target.write_bytes(source.read_bytes()[:4096])  # a part written, then ENOSPC
            target.unlink()
            raise files.BackupFailed("the backup failed: the disk holding it is full")
        real_copy(source, target, within)

    monkeypatch.setattr(files, "backup_file", disk_full_half_way)
    code = await asyncio.to_thread(_cli, live, "db", "restore", str(backup))
    assert code == 2 and "nothing was changed" in capsys.readouterr().err
    assert _bytes(live) == before


async def test_restore_refuses_while_the_bot_has_the_database_open(tmp_path: Path, capsys):
    live = await _seeded_file(tmp_path / "live.db")
    backup = await _seeded_file(tmp_path / "backup.db")
    db = await Database.open(live)  # the running bot
    try:
        code = await asyncio.to_thread(_cli, live, "db", "restore", str(backup))
        assert code == 2 and "in use" in capsys.readouterr().err
    finally:
        await db.close()


# -- §1.4 only the home guild's admins write ---------------------------------------------------
async def test_without_a_home_guild_admin_commands_say_how_to_set_it(env: Harness):
    env.client.admin_policy = AdminPolicy(None, frozenset())  # type: ignore[attr-defined]
    before = dump(env)
    for line in ("/audit", penalty_line()):
        calls = await ask(env, line, user=ADMIN)
        data = calls[0].body["data"]
        assert data["flags"] & 64 and "PARCFERME_HOME_GUILD_ID" in text_of(data)
    assert dump(env) == before


async def test_an_admin_of_another_server_is_refused(env: Harness):
    policy = env.client.admin_policy  # type: ignore[attr-defined]
    env.client.admin_policy = AdminPolicy(policy.home_guild_id + 1, policy.role_ids)  # type: ignore[attr-defined]
    before = dump(env)
    calls = await ask(env, penalty_line(), user=ADMIN)
    assert "own server" in text_of(calls[0].body["data"])
    assert dump(env) == before


# -- §2.5 Confirm answers at once; the announcement does not depend on the answer ---------------
async def test_the_announcement_goes_out_even_when_the_answer_cannot(env: Harness, monkeypatch):
    sent: list[dict[str, Any]] = []

    class Channel:
        async def send(self, **kwargs: Any) -> None:
            sent.append(kwargs)

    cog = env.client.get_cog("AdminCog")  # type: ignore[attr-defined]
    cog.announcer = ChannelAnnouncer(42)  # what the Discord runner gives the bot
    cog.client.get_partial_messageable = lambda _id: Channel()

    async def gone(*args: Any, **kwargs: Any) -> None:
        raise discord.NotFound(_Response(404), {"code": 10015, "message": "Unknown Webhook"})

    calls = await ask(env, penalty_line(reason="announced"), user=ADMIN)
    monkeypatch.setattr(discord.Interaction, "edit_original_response", gone)
    done = await press(env, calls, "Confirm", ADMIN)
    assert done[0].body["type"] == 6  # acknowledged at once
    assert len(sent) == 1 and sent[0]["embed"].title == "Stewards' decision"
    assert any(p.reason == "announced" for p in view(env).season.penalties)


class _Response:
    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "Not Found"


# -- §2.6 memory stays bounded ---------------------------------------------------------------------
def _season_views() -> int:
    gc.collect()
    return sum(isinstance(o, SeasonView) for o in gc.get_objects())


async def test_open_previews_and_applied_changes_do_not_keep_season_views(env: Harness):
    start = _season_views()
    for n in range(30):
        await ask(env, penalty_line(reason=f"open {n}"), user=ADMIN)
    assert _season_views() - start <= confirm.PLANS_KEPT + 1
    for n in range(30):
        calls = await ask(env, penalty_line(reason=f"applied {n}"), user=ADMIN)
        await press(env, calls, "Confirm", ADMIN)
    assert _season_views() - start <= confirm.PLANS_KEPT + 4
    admin = env.client.admin  # type: ignore[attr-defined]
    assert len(admin._applied_tokens) <= TOKENS_KEPT
    assert not any(isinstance(v, Applied) for v in admin._applied_tokens.values())


async def test_applied_tokens_are_bounded(service: ChampionshipService):
    admin = AdminService(service)
    latest = service.latest()
    race = latest.race_views()[0]
    entry = race.classification.rows[0].entry
    for n in range(TOKENS_KEPT + 20):
        plan = admin.plan_penalty_add(
            service.latest(), entry, service.latest().race_views()[0], *_reprimand(n)
        )
        await admin.apply(plan, Actor(1, "a"), token=f"t{n}")
    assert len(admin._applied_tokens) == TOKENS_KEPT
    again = await admin.apply(None, Actor(1, "a"), token=f"t{TOKENS_KEPT + 19}")
    assert again.audit_id == max(r.id for r in await admin.audit(1))


def _reprimand(n: int) -> tuple[Any, ...]:
    from bot.domain.models import PenaltyType

    return (PenaltyType.REPRIMAND, f"r{n}", None, Actor(1, "a"))


# -- §2.7 what is applied is what was previewed --------------------------------------------------
async def test_a_preview_overtaken_by_another_change_is_shown_again(env: Harness):
    mine = await ask(
        env, "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x value:5", user=ADMIN
    )
    assert "Testdriver 01: 1st (Pro 1st) → 2nd (Pro 1st)" in text_of(mine[0].body["data"])
    theirs = await ask(
        env,
        "/penalty add driver:Testdriver 01 race:alpha 1 type:positions reason:y value:3",
        user=OTHER_ADMIN,
    )
    await press(env, theirs, "Confirm", OTHER_ADMIN)
    before = dump(env)
    asked_again = await press(env, mine, "Confirm", ADMIN)
    text = text_of(outcome(asked_again))
    assert "changed since your preview" in text
    assert "1st (Pro 1st) → 2nd" not in text  # the new outcome, not the old one
    assert dump(env) == before  # nothing applied on the admin's behalf
    done = await press(env, mine, "Confirm", ADMIN)
    assert "Done" in text_of(outcome(done))


# -- §2.8 an import that removes cars says so; published results need a choice --------------------
async def test_an_import_lists_every_removed_car_and_protects_published_results(
    env: Harness, tmp_path: Path
):
    con = sqlite3.connect(env.client.service.db.path)  # type: ignore[attr-defined]
    sid = view(env).race(1, 1).session.id
    con.execute(
        "UPDATE result SET source = 'https://example.org/official' WHERE session_id = ? "
        "AND flag_position = 6",
        (sid,),
    )
    con.commit()
    con.close()
    await env.client.service.load()  # type: ignore[attr-defined]
    four = tmp_path / "four.csv"
    four.write_text(
        "position,driver,laps,time,gap\n1,Testdriver 01,20,30:00.000,\n"
        "2,Testdriver 02,20,,+2.0\n3,Testdriver 03,20,,+6.0\n4,Testdriver 04,20,,+20.0\n",
        encoding="utf-8",
    )
    before = dump(env)
    refused = await ask(env, f"/result import race:alpha 1 file:{four}", user=ADMIN)
    text = text_of(refused[0].body["data"])
    assert "published" in text and "Testdriver 06" in text and "Preview" not in text
    calls = await ask(
        env, f"/result import race:alpha 1 file:{four} remove_published:True", user=ADMIN
    )
    text = text_of(calls[0].body["data"])
    assert "Removed from the race (2)" in text
    assert "Testdriver 05: 5th" in text and "removed" in text
    assert "Testdriver 06: 6th" in text and "(a published result)" in text
    assert dump(env) == before


# -- §2.9 other processes' writes ------------------------------------------------------------------
async def _other_process_penalty(path: Path, reason: str) -> None:
    """Another process (its own connections) gives a penalty through the same use case."""
    db = await Database.open(path)
    try:
        service = ChampionshipService(db)
        await service.load()
        admin = AdminService(service)
        latest = service.latest()
        race = latest.race(2, 1)
        assert race is not None
        entry = race.classification.rows[0].entry
        from bot.domain.models import PenaltyType

        plan = admin.plan_penalty_add(
            latest, entry, race, PenaltyType.POINTS, reason, 7, Actor(9, "elsewhere")
        )
        await admin.apply(plan, Actor(9, "elsewhere"))
    finally:
        await db.close()


async def test_another_processs_write_is_served_within_seconds(env: Harness):
    path = env.client.service.db.path  # type: ignore[attr-defined]
    await _other_process_penalty(path, "from the other process")
    for _ in range(50):
        listed = await ask(env, "/penalties", user=FAN)
        if "from the other process" in text_of(listed[0].body["data"]):
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail("the other process's penalty was never served")


async def test_a_change_is_never_planned_on_a_stale_view(env: Harness):
    path = env.client.service.db.path  # type: ignore[attr-defined]
    env.client._watcher.cancel()  # type: ignore[attr-defined]  # only the confirm may notice
    calls = await ask(env, penalty_line(reason="mine"), user=ADMIN)
    await _other_process_penalty(path, "theirs")
    done = await press(env, calls, "Confirm", ADMIN)
    assert "Done" in text_of(outcome(done))
    reasons = {p.reason for p in view(env).season.penalties}
    assert {"mine", "theirs"} <= reasons  # the other process's penalty was not overwritten
    served = view(env)  # what fans are served is what the file holds, both penalties in
    fresh = SeasonView(await repository.load_season(env.client.service.db, served.season.id))  # type: ignore[attr-defined]
    for champ in served.championships:
        assert served.standings(champ.slug).rows == fresh.standings(champ.slug).rows


# -- §3 bad input ----------------------------------------------------------------------
async def test_look_alike_names_are_refused(env: Harness):
    before = dump(env)
    for name in ("Testdriver 01.", "TESTDRIVER  01", "Tèstdriver-01"):
        calls = await ask(env, f'/entry add driver:"{name}"', user=ADMIN)
        text = text_of(calls[0].body["data"])
        assert "too close to Testdriver 01" in text, text
    assert dump(env) == before


async def test_markdown_in_admin_text_is_escaped_in_the_announcement(env: Harness):
    sent: list[dict[str, Any]] = []

    class Channel:
        async def send(self, **kwargs: Any) -> None:
            sent.append(kwargs)

    cog = env.client.get_cog("AdminCog")  # type: ignore[attr-defined]
    cog.announcer = ChannelAnnouncer(42)  # what the Discord runner gives the bot
    cog.client.get_partial_messageable = lambda _id: Channel()
    reason = "see [the decision](https://evil.example/x) **now**"
    calls = await ask(env, penalty_line(reason=reason), user=ADMIN)
    await press(env, calls, "Confirm", ADMIN)
    description = sent[0]["embed"].description
    assert "[the decision](https://" not in description and "**now**" not in description
    assert r"\[the decision\]\(https://evil.example/x\)" in description


async def test_a_failed_backup_is_removed_and_the_import_refused(env: Harness, tmp_path: Path):
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    cog = env.client.get_cog("AdminCog")  # type: ignore[attr-defined]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups folder should be")
    cog.settings = cog.settings.model_copy(update={"backup_dir": blocked / "backups"})
    before = dump(env)
    calls = await ask(env, f"/result import race:charlie 2 file:{good}", user=ADMIN)
    done = await press(env, calls, "Confirm", ADMIN)
    text = text_of(outcome(done))
    assert "Not applied" in text and "backup" in text
    assert dump(env) == before
    assert _partials(tmp_path) == []


async def test_revoke_confirmed_after_the_penalty_was_undone(env: Harness):
    add = await ask(env, penalty_line(reason="to undo"), user=ADMIN)
    await press(env, add, "Confirm", ADMIN)
    pid = max(p.id for p in view(env).season.penalties)
    audit_id = max(r.id for r in await env.client.admin.audit(1))  # type: ignore[attr-defined]
    revoke = await ask(env, f'/penalty revoke id:{pid} reason:"appeal"', user=ADMIN)
    undo = await ask(env, f"/undo id:{audit_id}", user=OTHER_ADMIN)
    await press(env, undo, "Confirm", OTHER_ADMIN)
    done = await press(env, revoke, "Confirm", ADMIN)
    text = text_of(outcome(done))
    # Refused for what it is, not the generic "something went wrong" (a StopIteration)
    assert "Not applied" in text and "went wrong" not in text.lower(), text


async def test_db_check_reports_a_corrupted_page_without_a_traceback(tmp_path: Path, capsys):
    live = await _seeded_file(tmp_path / "live.db")
    data = bytearray(live.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 200] = b"\xff" * 200  # a damaged page in the middle
    live.write_bytes(bytes(data))
    code = await asyncio.to_thread(_cli, live, "db", "check")
    captured = capsys.readouterr()
    assert code == 1
    assert "FAILED" in captured.out
    assert "Traceback" not in captured.out + captured.err


def _without_root_override(*command: str) -> subprocess.CompletedProcess[str]:
    """Run the real CLI as this user without CAP_DAC_OVERRIDE, so file modes bind even
    for root (the tests may run as root)."""
    caps = "-dac_override,-dac_read_search"
    return subprocess.run(
        [
            "setpriv",
            "--bounding-set",
            caps,
            "--inh-caps",
            caps,
            sys.executable,
            "-m",
            "bot",
            *command,
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
async def test_a_read_only_database_still_answers_fans_and_says_why_not_to_admins(
    tmp_path: Path,
):
    path = await _seeded_file(tmp_path / "ro" / "live.db")
    os.chmod(path, 0o444)
    os.chmod(path.parent, 0o555)  # and a folder SQLite cannot write its WAL files in
    try:
        fan = await asyncio.to_thread(
            _without_root_override, "--db", str(path), "ask", "/standings rookie"
        )
        assert fan.returncode == 0 and "Rookie standings" in fan.stdout, fan.stderr
        admin = await asyncio.to_thread(
            _without_root_override,
            "--db",
            str(path),
            "ask",
            "--admin",
            '/penalty add paque monza 2 points "x" 10',
        )
        assert admin.returncode == 1 and "read-only" in admin.stdout
        check = await asyncio.to_thread(_without_root_override, "--db", str(path), "db", "check")
        assert check.returncode == 0 and "integrity: ok" in check.stdout
        for run in (fan, admin, check):
            assert "Traceback" not in run.stdout + run.stderr
    finally:
        os.chmod(path.parent, 0o755)
        os.chmod(path, 0o644)


# -- §4 the soak's memory report (SIGUSR1 in a running bot) ------------------------------------
class _Kept:
    pass


def test_the_memory_report_names_what_grew():
    import tracemalloc

    from bot.adapters.memtrace import MemoryReport

    report = MemoryReport()
    report.report()
    kept = [_Kept() for _ in range(5_000)]
    lines = report.report()
    assert "objects tracked by the collector" in lines[0]
    assert any("_Kept" in line and "+5000" in line for line in lines), lines
    tracemalloc.start()
    try:
        traced = MemoryReport()
        traced.report()
        more = [bytearray(1_000) for _ in range(2_000)]  # about 2 MB, from this line
        lines = traced.report()
    finally:
        tracemalloc.stop()
    assert lines[0].startswith("traced ")
    assert any("test_reliability.py" in line and "+" in line for line in lines[1:3]), lines
    del kept, more


async def test_a_preview_without_a_planner_is_confirmed_after_a_busy_moment(
    env: Harness, monkeypatch
):
    # /entry withdraw previews a plan, not a way to plan it again: the first Confirm finds
    # the database busy once, tries again, and must still have the plan it showed (it was
    # taken out of the cache on the first try, and the retry said "the season changed").
    real = AdminService.apply
    tries: list[int] = []

    async def busy_once(self: AdminService, *args: Any, **kwargs: Any) -> Applied:
        tries.append(1)
        if len(tries) == 1:
            raise DatabaseBusy("another write holds the database")
        return await real(self, *args, **kwargs)

    calls = await ask(env, "/entry withdraw driver:Testdriver 05", user=ADMIN)
    monkeypatch.setattr(AdminService, "apply", busy_once)
    text = text_of(outcome(await press(env, calls, "Confirm", ADMIN)))
    assert len(tries) == 2 and "changed since" not in text and "Not applied" not in text, text
    assert "Testdriver 05" in text
