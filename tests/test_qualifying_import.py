"""A qualifying imported by an admin scores where the season's rules say (issue 12).

The 2033 Gridtest Cup is made up: ten cars (``Gridtest Driver 01`` … ``09`` and a guest,
``Gridtest Guest 10``, whose places are skipped), five teams of two, three rounds of two races,
points 10-8-6-5-4-3-2-1 for the race and 3-2-1 for qualifying (each race's own qualifying, or
once per round with the first race). The same season is read twice: from season files whose
results.csv gives each car's ``qualified`` place, and through the admin path on a real SQLite
file, each qualifying imported as ``/result import "… q1"`` does and then each race's
results. Both give the same tables after every round; an undo puts the season back exactly.

When qualifying is imported before its race has results, its points count at once in the
tables that count that race (the race is under way: qualifying points known, finishing
points not yet, so totals are lower bounds until the results come); a qualifying imported
for a race the rules give no qualifying points (race 2 under "once per round") scores nothing.
"""

from __future__ import annotations

import asyncio
import random
import shlex
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.adapters.console.ask import ask
from bot.adapters.console.harness import User
from bot.domain.models import Entry, QualifyingRaces, Season
from bot.errors import Invalid
from bot.i18n import Phrase
from bot.rendering.admin import preview_reply, standings_changes
from bot.services.admin import Actor, AdminService, Plan
from bot.services.admin.calendar import plan_round_edit
from bot.services.championship import ChampionshipService, SeasonView
from bot.services.results_csv import parse_classification
from bot.services.session_admin import SessionAdmin
from bot.storage import changes
from bot.storage.database import Database
from bot.storage.seasonfiles import load_season_folder
from tests.factories import make_season
from tests.helpers import bot_with_season, outcome, press_own, service_with_season, text_of
from tests.replay import replay

CARS = range(1, 11)
ROUNDS = (1, 2, 3)
RACES = (1, 2)
STEWARD = Actor(id=1, name="steward")


def driver(car: int) -> str:
    return "Gridtest Guest 10" if car == 10 else f"Gridtest Driver {car:02d}"


def _orders() -> dict[tuple[int, int], tuple[list[int], list[int]]]:
    """(round, race) → (qualifying order, finishing order), fixed by the seed."""
    rng = random.Random(12)
    out = {}
    for rnd in ROUNDS:
        for race in RACES:
            grid, finish = list(CARS), list(CARS)
            rng.shuffle(grid)
            rng.shuffle(finish)
            out[(rnd, race)] = (grid, finish)
    return out


ORDERS = _orders()


def _lap(place: int) -> str:
    return f"1:40.{100 + place:03d}"


def write_season(folder: Path, races: str, qualified: bool = True) -> Path:
    """The season files; ``qualified``: results.csv gives each car's qualifying place."""
    folder.mkdir(parents=True)
    (folder / "season.toml").write_text(
        '[series]\nslug = "gridtest"\nname = "Gridtest Cup"\n\n'
        '[season]\nyear = 2033\nname = "2033 Gridtest Cup"\nstatus = "provisional"\n'
        'source = "fictional"\n\n'
        '[scoring]\nscale = [10, 8, 6, 5, 4, 3, 2, 1]\ntie_break = "countback"\n\n'
        '[[championships]]\nslug = "drivers"\nname = "Drivers"\nkind = "drivers"\n'
        "bonuses = true\n\n"
        '[[championships]]\nslug = "teams"\nname = "Teams"\nkind = "teams"\n'
        'from = "drivers"\ncounting_cars = 2\n\n'
        f'[scoring.qualifying]\nscale = [3, 2, 1]\nraces = "{races}"\n',
        encoding="utf-8",
    )
    team = {c: f"Gridtest Team {'ABCDE'[(c - 1) // 2]}" for c in CARS}
    (folder / "entries.csv").write_text(
        "car_number,driver,team,class,guest\n"
        + "".join(f"{c},{driver(c)},{team[c]},,{'yes' if c == 10 else ''}\n" for c in CARS),
        encoding="utf-8",
    )
    (folder / "rounds.csv").write_text(
        "round,slug,circuit,start_date,end_date\n"
        + "".join(
            f"{r},{slug},Circuit {slug.title()},2033-0{r + 3}-01,2033-0{r + 3}-02\n"
            for r, slug in zip(ROUNDS, ("aurora", "borealis", "cirrus"), strict=True)
        ),
        encoding="utf-8",
    )
    (folder / "sessions.csv").write_text(
        "round,session,date,status,classification\n"
        + "".join(f"{r},R{k},2033-0{r + 3}-0{k},final,complete\n" for r in ROUNDS for k in RACES),
        encoding="utf-8",
    )
    results = ["round,session,driver,position,flag_position,status,laps,time,qualified"]
    poles = ["round,session,driver,time"]
    for (r, k), (grid, finish) in ORDERS.items():
        for place, car in enumerate(finish, start=1):
            q = grid.index(car) + 1 if qualified else ""
            results.append(
                f"{r},R{k},{driver(car)},{place},{place},classified,20,30:{place:02d}.000,{q}"
            )
        poles.append(f"{r},R{k},{driver(grid[0])},{_lap(1)}")
    (folder / "results.csv").write_text("\n".join(results) + "\n", encoding="utf-8")
    (folder / "poles.csv").write_text("\n".join(poles) + "\n", encoding="utf-8")
    return folder


def qualifying_csv(grid: list[int]) -> bytes:
    return ("position,car,best_lap\n" + "".join(
        f"{i},{car},{_lap(i)}\n" for i, car in enumerate(grid, start=1)
    )).encode()  # fmt: skip


def race_csv(finish: list[int]) -> bytes:
    return ("position,car,laps,time\n" + "".join(
        f"{i},{car},20,30:{i:02d}.000\n" for i, car in enumerate(finish, start=1)
    )).encode()  # fmt: skip


@dataclass
class Live:
    """The season run from nothing through the admin service on a real SQLite file."""

    db: Database
    service: ChampionshipService
    admin: AdminService
    season_id: int

    async def view(self) -> SeasonView:
        return await self.service.get(self.season_id)

    def _resolve(self, view: SeasonView, round_number: int):  # type: ignore[no-untyped-def]
        entered = [e for e in view.season.entries if e.enters(round_number)]

        def resolve(kind: str, value: str) -> Entry | str:
            found = [e for e in entered if str(e.car_number) == value]
            return found[0] if len(found) == 1 else f"no car {value}"

        return resolve

    async def plan_qualifying(self, rnd: int, race: int, grid: list[int]) -> Plan:
        view = await self.view()
        rv = view.race(rnd, race)
        assert rv is not None
        read = parse_classification(qualifying_csv(grid), rv.session.id, self._resolve(view, rnd))
        return await SessionAdmin(self.admin).plan_qualifying(view, rv, read)

    async def import_qualifying(self, rnd: int, race: int, grid: list[int]) -> int:
        plan = await self.plan_qualifying(rnd, race, grid)
        return (await self.admin.apply(plan, STEWARD)).audit_id

    async def import_race(self, rnd: int, race: int, finish: list[int]) -> int:
        view = await self.view()
        rv = view.race(rnd, race)
        assert rv is not None
        read = parse_classification(race_csv(finish), rv.session.id, self._resolve(view, rnd))
        results = SessionAdmin.grid_from_qualifying(view, rv.session.id, read.results)
        plan = await self.admin.off_loop(
            self.admin.plan_results, view, rv, results, True, "result.import", Phrase("import")
        )
        return (await self.admin.apply(plan, STEWARD)).audit_id

    async def undo(self, audit_id: int) -> None:
        await self.admin.apply(await self.admin.plan_undo(audit_id, STEWARD), STEWARD)


@pytest.fixture(params=["every", "first"])
def races(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def files(tmp_path: Path, races: str) -> Season:
    return load_season_folder(write_season(tmp_path / "gridtest", races)).season


@pytest.fixture
async def live(tmp_path: Path, files: Season) -> AsyncIterator[Live]:
    """The season's rules, calendar and entries, and no result, pole or qualifying."""
    empty = replace(
        files,
        results=(),
        sessions=tuple(replace(s, complete=False, pole_entry_id=None, pole_time_ms=None,
                               pole_certainty=None) for s in files.sessions),
    )  # fmt: skip
    async with service_with_season(tmp_path / "live.db", empty) as (service, season_id):
        yield Live(service.db, service, AdminService(service), season_id)


def rows_of(view: SeasonView, slug: str, rnd: int) -> list[tuple[object, ...]]:
    return [(r.position, r.name, r.points, r.exact) for r in view.standings(slug, rnd).rows]


def expected_rows(season: Season) -> dict[tuple[str, int], list[tuple[object, ...]]]:
    return {
        (slug, rnd): [(r.position, r.name, r.points, r.exact) for r in table.rows]
        for slug, tables in replay(season).items()
        for rnd, table in tables.items()
    }


# -- 1. the admin path gives the tables of the season files --------------------------------------
async def test_imported_qualifying_scores_as_the_qualified_column_does(
    live: Live, files: Season, tmp_path: Path
) -> None:
    expected = expected_rows(files)
    without = load_season_folder(write_season(tmp_path / "plain", "every", qualified=False))
    assert expected != expected_rows(without.season)  # the qualifying points matter here
    for rnd in ROUNDS:
        for race in RACES:
            grid, finish = ORDERS[(rnd, race)]
            await live.import_qualifying(rnd, race, grid)
            await live.import_race(rnd, race, finish)
        view = await live.view()
        for slug in ("drivers", "teams"):
            for done in range(1, rnd + 1):
                assert rows_of(view, slug, done) == expected[(slug, done)], (slug, done)
    # What the bot kept after each change is what the database holds.
    view = await live.view()
    fresh = await live.service.reload(live.season_id)
    assert fresh.season.qualifying == view.season.qualifying
    assert len(view.season.qualifying) == len(CARS) * len(ROUNDS) * len(RACES)
    for slug in ("drivers", "teams"):
        assert rows_of(fresh, slug, 3) == rows_of(view, slug, 3)


async def test_the_preview_of_a_qualifying_import_shows_the_points_it_moves(
    live: Live, files: Season
) -> None:
    # Round 1 run without any qualifying: importing race 1's qualifying afterwards gives its
    # top three (the guest skipped) 3, 2 and 1 more points, and the preview says so.
    for race in RACES:
        await live.import_race(1, race, ORDERS[(1, race)][1])
    grid = ORDERS[(1, 1)][0]
    plan = await live.plan_qualifying(1, 1, grid)
    moved = dict(standings_changes(plan, limit=20))
    scorers = [driver(c) for c in grid if c != 10][:3]
    before = {r.name: r.points for r in plan.base.standings("drivers").rows}
    after = {r.name: r.points for r in plan.candidate.standings("drivers").rows}
    assert {n: after[n] - before[n] for n in after if after[n] != before[n]} == dict(
        zip(scorers, (3, 2, 1), strict=True)
    )
    for name in scorers:
        assert any(line.startswith(f"{name}:") for line in moved["Drivers"]), moved


async def test_the_preview_of_a_qualifying_before_its_round_shows_the_points_it_gives(
    live: Live, races: str
) -> None:
    # No table a fan sees counts round 2 yet: the preview names the points race by race.
    for race in RACES:
        await live.import_race(1, race, ORDERS[(1, race)][1])
    grid = ORDERS[(2, 2)][0]
    plan = await live.plan_qualifying(2, 2, grid)
    fields = {f.name: f.value for f in preview_reply(plan, 300).pages[0].fields}
    assert fields["Standings"] == "no standings table moves"
    top = [driver(c) for c in grid if c != 10][:3]
    title = "Borealis — race 2, Drivers: points known before → after"
    if races == QualifyingRaces.FIRST:  # race 2 carries no qualifying points
        assert title not in fields
        return
    assert fields[title].splitlines() == [
        f"{name}: 0 → {points} pts" for name, points in zip(top, (3, 2, 1), strict=True)
    ]
    french = preview_reply(plan, 300, "fr").pages[0].fields
    assert any(f.name.endswith("Pilotes\u202f: points connus avant → après") for f in french)


# -- 2. undo puts the season back exactly ---------------------------------------------------------
async def _snapshot(live: Live) -> tuple[object, ...]:
    view = await live.view()
    s = view.season
    tables = {(c.slug, r): rows_of(view, c.slug, r) for c in s.championships for r in ROUNDS}
    return (s.sessions, s.results, s.qualifying, tables)


async def test_undoing_a_qualifying_import_restores_the_standings_exactly(live: Live) -> None:
    for rnd, race in ((1, 1), (1, 2), (2, 1)):
        grid, finish = ORDERS[(rnd, race)]
        await live.import_qualifying(rnd, race, grid)
        await live.import_race(rnd, race, finish)
    # Before its race: round 2 race 2's qualifying.
    before = await _snapshot(live)
    audit_id = await live.import_qualifying(2, 2, ORDERS[(2, 2)][0])
    assert await _snapshot(live) != before
    await live.undo(audit_id)
    assert await _snapshot(live) == before
    # After its race: a corrected qualifying for round 1 race 1 (the grid moves too).
    grid = ORDERS[(1, 1)][0]
    corrected = [grid[1], grid[0], *grid[2:]]
    before = await _snapshot(live)
    audit_id = await live.import_qualifying(1, 1, corrected)
    assert await _snapshot(live) != before
    await live.undo(audit_id)
    assert await _snapshot(live) == before
    fresh = await live.service.reload(live.season_id)
    assert (fresh.season.sessions, fresh.season.results, fresh.season.qualifying) == before[:3]


async def test_the_undo_s_audit_row_records_the_grid_it_replaced(live: Live) -> None:
    # The undo's audit row said the grid before it was {} (the import's own grid was not
    # rebuilt from its row), while the import had set every car's grid place.
    grid, finish = ORDERS[(1, 1)]
    await live.import_race(1, 1, finish)
    audit_id = await live.import_qualifying(1, 1, grid)
    await live.undo(audit_id)
    undo_row = (await changes.list_audit(live.db, 1))[0]
    assert undo_row.action == "undo.qualifying.import"
    race = (await live.view()).race(1, 1)
    assert race is not None
    ids = {e.car_number: e.id for e in (await live.view()).season.entries}
    assert undo_row.before["grid"] == {str(ids[c]): i for i, c in enumerate(grid, start=1)}
    assert all(r.result.grid is None for r in race.classification.rows)  # the grid restored


async def test_a_round_with_a_qualifying_imported_is_not_cancelled(live: Live) -> None:
    # Cancelling removes the round's sessions, and the imported qualifying went with them
    # (no undo brought it back: the undone round had no qualifying and no pole).
    await live.import_qualifying(3, 1, ORDERS[(3, 1)][0])
    before = await _snapshot(live)
    view = await live.view()
    with pytest.raises(Invalid) as refused:
        plan_round_edit(view, view.rounds[3], None, None, "cancelled", "storm")
    assert refused.value.message("en") == (
        "Round 3 has a qualifying imported: undo that import first (/audit lists it)."
    )
    assert "/journal" in refused.value.message("fr")
    assert await _snapshot(live) == before
    # Moved or postponed, it keeps its qualifying.
    plan = plan_round_edit(view, view.rounds[3], None, None, "postponed", "storm")
    await live.admin.apply(plan, STEWARD)
    assert (await live.view()).season.qualifying == before[2]


# -- 3. qualifying before its race ---------------------------------------------------------------
async def test_qualifying_before_the_race_counts_where_the_rules_say(
    live: Live, races: str
) -> None:
    for race in RACES:
        grid, finish = ORDERS[(1, race)]
        await live.import_qualifying(1, race, grid)
        await live.import_race(1, race, finish)
    exact = {r.name: r.points for r in (await live.view()).standings("drivers").rows}
    # Round 2: both qualifyings in, no race run yet.
    for race in RACES:
        await live.import_qualifying(2, race, ORDERS[(2, race)][0])
    table = (await live.view()).standings("drivers", 2)
    assert not table.complete  # the races' own points are still to come: lower bounds
    got = {r.name: r.points - exact[r.name] for r in table.rows}
    gained: dict[str, int] = {}
    scoring = RACES if races == QualifyingRaces.EVERY else RACES[:1]
    for race in scoring:
        top = [driver(c) for c in ORDERS[(2, race)][0] if c != 10][:3]
        for name, points in zip(top, (3, 2, 1), strict=True):
            gained[name] = gained.get(name, 0) + points
    assert {n: p for n, p in got.items() if p} == gained
    # The default table still stops at round 1, the last round with a result.
    assert {r.name: r.points for r in (await live.view()).standings("drivers").rows} == exact
    # Once the races are run, the totals are exact and keep the qualifying points.
    for race in RACES:
        await live.import_race(2, race, ORDERS[(2, race)][1])
    table = (await live.view()).standings("drivers", 2)
    assert table.complete


# -- 4. two admins import the same qualifying at once --------------------------------------------
async def test_two_admins_confirming_the_same_qualifying_import_at_once(tmp_path: Path) -> None:
    # Through the command tree, as two admins would: both previews are made on the same
    # season, both Confirms pressed together; one applies, the other is told the season
    # changed and shown what its Confirm would do now (the same qualifying: nothing).
    role = 1_400_000_000_000_000_012
    first = User(id=1_300_000_000_000_000_120, name="steward", admin=True)
    second = User(id=1_300_000_000_000_000_121, name="other-steward", admin=True)
    season = make_season(
        rounds=2, races_per_round=1, entries=6, seed=5, status="provisional", pole_bonus=0
    )
    season = replace(
        season,
        scoring=replace(season.scoring, qualifying_scale=(3, 2, 1)),
        sessions=tuple(replace(s, pole_entry_id=None) for s in season.sessions),
    )
    path = tmp_path / "q1.csv"
    path.write_bytes(qualifying_csv([6, 5, 4, 3, 2, 1]))
    line = f"/result import {shlex.quote('race:alpha q1')} file:{path}"
    async with bot_with_season(tmp_path, season, role) as env:
        service = env.client.service  # type: ignore[attr-defined]
        before = {r.name: r.points for r in service.latest().standings("drivers").rows}
        previews = [await ask(env, line, user=who) for who in (first, second)]
        for calls in previews:
            assert "Testdriver 06: " in text_of(calls[0].body["data"])  # the points it moves
        both = await asyncio.wait_for(
            asyncio.gather(
                *(
                    press_own(env, c, "Confirm", u)
                    for c, u in zip(previews, (first, second), strict=True)
                )
            ),
            30,
        )
        texts = sorted((text_of(outcome(calls)) for calls in both), key=lambda t: "Done" not in t)
        assert "Done" in texts[0], texts
        # The other is asked again with what Confirm would do now: nothing moves any more.
        assert "The season changed since your preview" in texts[1], texts
        assert "no standings table moves" in texts[1] and "Testdriver 06: " not in texts[1]
        after = {r.name: r.points for r in service.latest().standings("drivers").rows}
        gained = {n: after[n] - before[n] for n in after if after[n] != before[n]}
        assert gained == {"Testdriver 06": 3, "Testdriver 05": 2, "Testdriver 04": 1}
        rows = await changes.list_audit(service.db, 10)
        assert [r.action for r in rows].count("qualifying.import") == 1
