"""Every admin write path with two admins confirming at the same moment, with and without
another connection holding the write lock, through the real command tree on a real SQLite file:
each admin gets a clear answer, nothing is applied twice, nothing waits forever, and what fans
are served is what the file holds. Two undos of one audit row: one applies, one is refused."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.adapters.console.ask import ask
from bot.adapters.console.harness import Call, Harness, User
from bot.adapters.discord import confirm
from bot.domain.models import PenaltyType
from bot.errors import Conflict, Invalid
from bot.services.admin import Actor, AdminService
from bot.services.admin.penalties import plan_penalty_add
from bot.services.championship import ChampionshipService, SeasonView
from bot.services.season_admin import SeasonAdmin
from bot.storage import changes, repository
from bot.storage.database import Database
from tests.factories import make_season
from tests.helpers import (
    SEASONS_DIR,
    bot_with_season,
    hold_write_lock,
    outcome,
    press,
    press_own,
    text_of,
)

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


@asynccontextmanager
async def two_processes(tmp_path: Path) -> AsyncIterator[tuple[AdminService, AdminService]]:
    """Two processes' admin services on one database file (the season of this module)."""
    async with bot_with_season(tmp_path, season(), ROLE) as env:
        path = _path(env)
    here, there = await _open_admin(path), await _open_admin(path)
    try:
        yield here, there
    finally:
        for admin in (here, there):
            await admin.service.db.close()


async def _one_refused(*confirms: Awaitable[object]) -> BaseException:
    """Confirms at the same moment, of which exactly one is refused: its reason."""
    outcomes = await asyncio.wait_for(asyncio.gather(*confirms, return_exceptions=True), 60)
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == 1, outcomes
    return refused[0]


async def test_two_processes_undo_the_same_row_at_the_same_moment(tmp_path: Path):
    async with two_processes(tmp_path) as (here, there):
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

        refused = await _one_refused(confirm(here, 0), confirm(there, 1))
        assert isinstance(refused, Invalid) and "already undone" in refused.template
        rows = await changes.list_audit(here.service.db, 10)
        assert [r.action for r in rows].count("undo.penalty.add") == 1


async def test_two_processes_create_the_same_season_at_the_same_moment(tmp_path: Path):
    async with two_processes(tmp_path) as (here, there):
        me = Actor(1, "steward")
        creators = [SeasonAdmin(a, SEASONS_DIR.parent) for a in (here, there)]
        new = [await c.plan_create("Alpha Cup", 2100, None, None) for c in creators]
        refused = await _one_refused(
            creators[0].apply_create(new[0], me, "token-0"),
            creators[1].apply_create(new[1], me, "token-1"),
        )
        # Told why (it was a UNIQUE constraint failing, answered "something went wrong").
        assert isinstance(refused, Conflict) and "created meanwhile" in refused.template
        rows = await changes.list_audit(here.service.db, 10)
        assert [r.action for r in rows].count("season.create") == 1


# -- every write path: two admins at the same moment ------------------------------------------
@dataclass(frozen=True, slots=True)
class Case:
    action: str  # the audit rows it writes
    lines: tuple[str, str]  # what each admin types ({csv_a}, {csv_b}, {penalty}, {audit})
    applied: int  # how many of the two end up applied (2: independent changes)
    setup: tuple[str, ...] = ()  # confirmed first, by the first admin


PENALTY = "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x value:5"
CASES = [
    Case("penalty.add", (PENALTY, PENALTY.replace("01", "02").replace("x", "y")), 2),
    Case("penalty.revoke", ("/penalty revoke id:{penalty} reason:a",) * 2, 1, (PENALTY,)),
    Case("result.import", ("/result import race:alpha 2 file:{csv_a}",
                           "/result import race:bravo 1 file:{csv_b}"), 2),
    Case("result.set", ("/result set race:alpha 1 driver:Testdriver 06 position:1",
                        "/result set race:bravo 2 driver:Testdriver 05 position:1"), 2),
    Case("result.status", ("/result status race:alpha 1 state:provisional",
                           "/result status race:alpha 2 state:provisional"), 2),
    Case("entry.add", ("/entry add driver:Nouveau Venu", "/entry add driver:Autre Venu"), 2),
    Case("entry.edit", ("/entry edit driver:Testdriver 04 class:Am",
                        "/entry edit driver:Testdriver 03 car_number:77"), 2),
    Case("entry.withdraw", ("/entry withdraw driver:Testdriver 05",
                            "/entry withdraw driver:Testdriver 06"), 2),
    Case("season.create", ('/season create series:"Alpha Cup" year:2100',
                           '/season create series:"Beta Cup" year:2100'), 2),
    Case("season.status", ("/season status state:final",) * 2, 1),
    Case("round.add", ("/round add circuit:monza start_date:2099-06-01",
                       "/round add circuit:spa start_date:2099-06-15"), 2),
    Case("round.edit", ("/round edit round:charlie start_date:2099-05-01 end_date:2099-05-02",
                        "/round edit round:bravo note:resurfaced"), 2),
    Case("round.edit", ("/round cancel round:charlie reason:rain",) * 2, 1),  # /round cancel
    Case("session.set", ("/session add round:charlie session:R3 date:2099-04-29",
                         "/session add round:bravo session:R3 date:2099-04-16"), 2),
    Case("pole.set", ("/pole set race:alpha 1 driver:Testdriver 02 time:1:43.768",
                      "/pole set race:alpha 2 driver:Testdriver 03"), 2),
    Case("fastest-lap.set", ("/fastest-lap set race:alpha 1 driver:Testdriver 02",
                             "/fastest-lap set race:bravo 1 driver:Testdriver 04"), 2),
    Case("undo.penalty.add", ("/undo id:{audit}",) * 2, 1, (PENALTY,)),
]  # fmt: skip


@pytest.mark.parametrize("held", [False, True], ids=["free", "lock-held"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.action}:{c.applied}")
async def test_two_admins_confirm_at_the_same_moment(
    env: Harness, tmp_path: Path, case: Case, held: bool
):
    for line in case.setup:
        calls = await ask(env, line, user=ADMIN)
        assert "Done" in text_of(outcome(await press(env, calls, "Confirm", ADMIN)))
    service: ChampionshipService = env.client.service  # type: ignore[attr-defined]
    season_id = service.latest().season.id
    names = {}
    for key, cars in (("csv_a", (6, 5)), ("csv_b", (4, 2))):
        names[key] = tmp_path / f"{key}.csv"
        names[key].write_text(CSV.format(a=cars[0], b=cars[1]), encoding="utf-8")
    penalties = service.latest().season.penalties
    names["penalty"] = max((p.id for p in penalties), default=0)  # type: ignore[assignment]
    names["audit"] = max((r.id for r in await _audit_ids(env)), default=0)  # type: ignore[assignment]
    before = [r.id for r in await _audit_ids(env) if r.action == case.action]
    users = (ADMIN, OTHER_ADMIN)
    previews = []
    for line, user in zip(case.lines, users, strict=True):
        calls = await ask(env, line.format(**names), user=user)
        assert "Preview" in text_of(calls[0].body["data"]), text_of(calls[0].body["data"])
        previews.append((calls, user))
    texts = await _at_once(env, previews, held)
    assert all(_clear(t) for t in texts), texts
    finals = list(texts)
    for n, (calls, user) in enumerate(previews):
        if "changed since your preview" in texts[n]:  # asked again with the new outcome
            finals[n] = text_of(outcome(await press_own(env, calls, "Confirm", user)))
    assert sum("Done" in t for t in finals) == case.applied, finals
    assert all("Done" in t or "Not applied" in t for t in finals), finals
    after = [r.id for r in await _audit_ids(env) if r.action == case.action]
    assert len(after) - len(before) == case.applied, texts
    await _served_is_stored(env, season_id)


# -- a preview older than the newest few open ones ------------------------------------------------
PLANNED_ONCE = [  # these previews kept only their plan (no way to plan again) before
    "/entry withdraw driver:Testdriver 05",
    "/season status state:final",
    "/round add circuit:monza start_date:2099-06-01",
    "/round edit round:charlie note:resurfaced",
    "/round cancel round:charlie reason:rain",
    "/session add round:charlie session:R3 date:2099-04-29",
    "/pole set race:alpha 1 driver:Testdriver 02",
    "/fastest-lap set race:alpha 1 driver:Testdriver 02",
    "/result import race:charlie q1 file:{csv}",
]


@pytest.mark.parametrize("line", PLANNED_ONCE, ids=lambda line: "-".join(line[1:].split()[:2]))
async def test_a_preview_pushed_out_of_the_plan_cache_is_planned_again_and_applied(
    env: Harness, tmp_path: Path, line: str
):
    csv = tmp_path / "q.csv"
    csv.write_text(CSV.format(a=6, b=5), encoding="utf-8")
    mine = await ask(env, line.format(csv=csv), user=ADMIN)
    assert "Preview" in text_of(mine[0].body["data"]), text_of(mine[0].body["data"])
    theirs = [
        await ask(env, f"/penalty add driver:Testdriver 0{1 + n % 6} race:bravo 1 "
                  f"type:reprimand reason:r{n}", user=OTHER_ADMIN)
        for n in range(confirm.PLANS_KEPT + 1)
    ]  # fmt: skip
    cache = env.client.get_cog("AdminCog").previews.plans  # type: ignore[attr-defined]
    assert len(cache) == confirm.PLANS_KEPT  # the first preview's plan is no longer kept
    done = await press_own(env, theirs[-1], "Confirm", OTHER_ADMIN)  # and the season moved on
    assert "Done" in text_of(outcome(done))
    text = text_of(outcome(await press_own(env, mine, "Confirm", ADMIN)))
    if "changed since your preview" in text:
        text = text_of(outcome(await press_own(env, mine, "Confirm", ADMIN)))
    assert "Done" in text, text
    await _served_is_stored(env, env.client.service.latest().season.id)  # type: ignore[attr-defined]
