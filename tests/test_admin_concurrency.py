"""Every admin write path with two admins confirming at the same moment, with and without
another connection holding the write lock, through the real command tree on a real SQLite file:
each admin gets a clear answer, nothing is applied twice, nothing waits forever, and what fans
are served is what the file holds. Two undos of one audit row: one applies, one is refused."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from bot.adapters.console.ask import ask
from bot.adapters.console.harness import Call, Harness, User
from bot.domain.models import PenaltyType
from bot.errors import Invalid
from bot.services.admin import Actor, AdminService
from bot.services.admin.penalties import plan_penalty_add
from bot.services.championship import ChampionshipService, SeasonView
from bot.storage import changes, repository
from bot.storage.database import Database
from tests.factories import make_season
from tests.helpers import bot_with_season, hold_write_lock, outcome, press, press_own, text_of

ADMIN = User(id=1_300_000_000_000_000_500, name="steward", admin=True)
OTHER_ADMIN = User(id=1_300_000_000_000_000_501, name="other-steward", admin=True)
ROLE = 1_400_000_000_000_000_005
HOLD_S = 2.0  # longer than the writer's busy timeout: the Confirms hear "busy" and try again
CSV = "position,car,laps,time,gap\n1,{a},20,30:00.000,\n2,{b},20,,+1.5\n3,3,20,,+2.5\n"


def season():
    """Three rounds, the last not raced yet; a provisional season (so it can be made final)."""
    full = make_season(rounds=3, races_per_round=2, entries=6, seed=3)
    later = {s.id for s in full.sessions if s.round_number == 3}
    kept = tuple(r for r in full.results if r.session_id not in later)
    return replace(full, results=kept, status="provisional")


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Harness]:
    async with bot_with_season(tmp_path, season(), ROLE) as h:
        yield h


@contextmanager
def write_lock_held(path: Path, seconds: float) -> Iterator[None]:
    """Another process's connection holds the write lock (``BEGIN IMMEDIATE``) for a while."""
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, seconds, started))
    holder.start()
    try:
        assert started.wait(5)
        yield
    finally:
        holder.join()


def _path(env: Harness) -> Path:
    return env.client.service.db.path  # type: ignore[attr-defined, no-any-return]


async def _at_once(env: Harness, previews: list[tuple[list[Call], User]], held: bool) -> list[str]:
    """Both admins press Confirm at the same moment (while another connection holds the
    write lock, with ``held``); what each ends up seeing."""

    async def both() -> list[list[Call]]:
        return list(await asyncio.gather(*(press_own(env, c, "Confirm", u) for c, u in previews)))

    if held:
        with write_lock_held(_path(env), HOLD_S):
            pressed = await asyncio.wait_for(both(), 60)
    else:
        pressed = await asyncio.wait_for(both(), 60)
    return [text_of(outcome(calls)) for calls in pressed]


async def _audit_ids(env: Harness) -> list[changes.AuditRow]:
    return await changes.list_audit(env.client.service.db, 50)  # type: ignore[attr-defined]


async def _served_is_stored(env: Harness, season_id: int) -> None:
    """Readers are served what the file holds: no rolled-back or half-applied change."""
    service: ChampionshipService = env.client.service  # type: ignore[attr-defined]
    served = await service.get(season_id)
    fresh = SeasonView(await repository.load_season(service.db, season_id))
    assert served.season.penalties == fresh.season.penalties
    assert [e.id for e in served.season.entries] == [e.id for e in fresh.season.entries]
    for champ in served.championships:
        assert served.standings(champ.slug).rows == fresh.standings(champ.slug).rows
    con = sqlite3.connect(_path(env))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def _clear(text: str) -> bool:
    """An answer an admin can act on: done, asked again, or refused with the reason."""
    if "went wrong" in text.lower() or "Traceback" in text:
        return False
    return "Done" in text or "changed since your preview" in text or "Not applied" in text


# -- two undos of one audit row ---------------------------------------------------------------
async def test_an_audit_row_is_marked_undone_once(seeded_db: Database):
    # The SQL is the last word: a second mark leaves the first undo's id (it overwrote it).
    async with seeded_db.transaction() as tx:
        row = await changes.insert_audit(
            tx, actor_id=1, actor_name="a", action="penalty.add", season_id=None, targets=(),
            before=None, after=None,
        )  # fmt: skip
        first = await changes.insert_audit(
            tx, actor_id=1, actor_name="a", action="undo.penalty.add", season_id=None,
            targets=(), before=None, after=None,
        )  # fmt: skip
        assert await changes.mark_undone(tx, row, first) is True
        assert await changes.mark_undone(tx, row, first + 1) is False
        assert await changes.mark_undone(tx, 10**9, first) is False  # no such row
    stored = await changes.get_audit(seeded_db, row)
    assert stored is not None and stored.undone_by == first


async def _penalty_to_undo(env: Harness) -> int:
    calls = await ask(
        env, "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x value:5", user=ADMIN
    )
    assert "Done" in text_of(outcome(await press(env, calls, "Confirm", ADMIN)))
    return max(r.id for r in await _audit_ids(env))


@pytest.mark.parametrize("held", [False, True], ids=["free", "lock-held"])
async def test_two_admins_undo_the_same_row_at_the_same_moment(env: Harness, held: bool):
    service: ChampionshipService = env.client.service  # type: ignore[attr-defined]
    before = service.latest().season.penalties
    audit_id = await _penalty_to_undo(env)
    mine = await ask(env, f"/undo id:{audit_id}", user=ADMIN)
    theirs = await ask(env, f"/undo id:{audit_id}", user=OTHER_ADMIN)
    texts = await _at_once(env, [(mine, ADMIN), (theirs, OTHER_ADMIN)], held)
    assert sorted("Done" in t for t in texts) == [False, True], texts
    refused = next(t for t in texts if "Done" not in t)
    undos = [r for r in await _audit_ids(env) if r.action == "undo.penalty.add"]
    assert len(undos) == 1  # applied once
    assert f"Not applied: #{audit_id} was already undone (by #{undos[0].id})." in refused
    original = await changes.get_audit(service.db, audit_id)
    assert original is not None and original.undone_by == undos[0].id
    assert service.latest().season.penalties == before
    await _served_is_stored(env, service.latest().season.id)


async def _open_admin(path: Path) -> AdminService:
    """Another process: its own connections, its own views, the same use case."""
    service = ChampionshipService(await Database.open(path))
    await service.load()
    return AdminService(service)


async def test_two_processes_undo_the_same_row_at_the_same_moment(tmp_path: Path):
    async with bot_with_season(tmp_path, season(), ROLE) as env:
        path = _path(env)
    here, there = await _open_admin(path), await _open_admin(path)
    try:
        view = here.service.latest()
        race = view.race(1, 1)
        assert race is not None
        entry = race.classification.rows[0].entry
        me = Actor(1, "steward")
        plan = plan_penalty_add(view, entry, race, PenaltyType.POINTS, "x", 3, me)
        audit_id = (await here.apply(plan, me)).audit_id
        plans = [await a.plan_undo(audit_id, me) for a in (here, there)]  # both previews

        async def confirm(admin: AdminService, n: int) -> object:
            return await admin.apply(
                plans[n], me, f"token-{n}", planner=lambda: admin.plan_undo(audit_id, me)
            )

        outcomes = await asyncio.wait_for(
            asyncio.gather(confirm(here, 0), confirm(there, 1), return_exceptions=True), 60
        )
        refused = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(refused) == 1 and isinstance(refused[0], Invalid), outcomes
        assert "already undone" in refused[0].template
        rows = await changes.list_audit(here.service.db, 10)
        assert [r.action for r in rows].count("undo.penalty.add") == 1
    finally:
        for admin in (here, there):
            await admin.service.db.close()
