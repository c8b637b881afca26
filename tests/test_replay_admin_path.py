"""A real season entered race by race through the admin import path gives the same tables.

F1 2021 and 2024 (sprints, a fastest lap from the top 10; half points at Spa 2021), 2009 (half
points at Malaysia, drivers replaced mid-season), 2018 (a team that changes identity, drivers
with an entry per team) and 1969 (Formula 2 guests, best results per part) are seeded with
their rules and entries but no results, fastest laps or reduced flags; race by race, the
classification is imported as an admin would (a CSV read by ``parse_classification``, planned
and applied by the admin service on a real SQLite file), then the fastest lap is set
(``/fastest set``) and a race stopped early flagged (``/result status points:reduced``); every
table after every round is compared with the direct replay.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain.models import Entry
from bot.i18n import Phrase
from bot.services.admin import Actor, AdminService
from bot.services.results_csv import parse_classification
from bot.services.session_admin import SessionAdmin
from bot.storage.seasonfiles import load_season_folder
from tests.helpers import service_with_season
from tests.replay import DATA, replay


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["position", "driver", "status", "laps", "time"])
    for r in rows:
        writer.writerow([r["position"], r["driver"], r["status"], r["laps"], r["time"]])
    return out.getvalue().encode()


@pytest.mark.parametrize("name", ["f1-2021", "f1-2018", "f1-1969", "f1-2009", "f1-2024"])
async def test_imported_race_by_race_gives_the_replayed_tables(tmp_path: Path, name: str) -> None:
    loaded = load_season_folder(DATA / name)
    season = loaded.season
    expected = replay(season)
    rows_by_race: dict[tuple[int, str], list[dict[str, str]]] = {}
    with (DATA / name / "results.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows_by_race.setdefault((int(row["round"]), row["session"]), []).append(row)
    # No results, no fastest lap, no reduced flag: the admin sets each after the import.
    empty = replace(
        season,
        results=(),
        sessions=tuple(
            replace(
                s, complete=False, fastest_lap_entry_id=None, fastest_lap_ms=None, reduced=False
            )
            for s in season.sessions
        ),
    )
    async with service_with_season(tmp_path / "admin-path.db", empty) as (service, season_id):
        admin = AdminService(service)
        actor = Actor(id=1, name="steward")
        for race in season.races:
            view = await service.get(season_id)
            rv = view.race(race.round_number, race.number)
            assert rv is not None

            entered = [e for e in view.season.entries if e.enters(race.round_number)]

            def resolve(kind: str, value: str, entered: list[Entry] = entered) -> Entry | str:
                found = [e for e in entered if e.driver == value]
                return found[0] if len(found) == 1 else f"no {value}"

            data = _csv(rows_by_race[(race.round_number, race.code)])
            read = parse_classification(data, rv.session.id, resolve)
            plan = admin.plan_results(
                view, rv, read.results, True, "result.import", Phrase("import")
            )
            await admin.apply(plan, actor)
            if race.fastest_lap_entry_id is not None:  # /fastest set
                view = await service.get(season_id)
                rv = view.race(race.round_number, race.number)
                assert rv is not None
                driver = next(e for e in entered if e.id == race.fastest_lap_entry_id)
                fastest = SessionAdmin.plan_bonus(
                    view, rv, "fastest-lap", driver, race.fastest_lap_ms
                )
                await admin.apply(fastest, actor)
            if race.reduced:  # /result status points:reduced
                view = await service.get(season_id)
                rv = view.race(race.round_number, race.number)
                assert rv is not None
                await admin.apply(admin.plan_result_points(view, rv, True), actor)
        view = await service.get(season_id)
        for champ in season.championships:
            for rnd, table in expected[champ.slug].items():
                ours = view.standings(champ.slug, rnd)
                assert [(r.position, r.name, r.points) for r in ours.rows] == [
                    (r.position, r.name, r.points) for r in table.rows
                ], (champ.slug, rnd)
