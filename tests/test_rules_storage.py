"""The rules and the real seasons through the database: round trip, and the entry migration."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services import seeding
from bot.storage import repository, rows, schema
from bot.storage.database import Database
from bot.storage.seasonfiles import load_season_folder
from tests.helpers import SEASONS_DIR
from tests.replay import DATA


@pytest.mark.parametrize("name", ["f1-1967", "f1-1969", "f1-1988", "f1-1997", "f1-2018", "f1-2021"])
async def test_a_real_season_round_trips_with_its_rules(db_path: Path, name: str) -> None:
    season = load_season_folder(DATA / name).season
    async with await Database.open(db_path) as db:
        async with db.transaction() as tx:
            season_id = await repository.insert_season(tx, season, name)
        stored = await repository.load_season(db, season_id)
    assert stored.scoring == season.scoring
    assert sorted(r.running is False for r in stored.results) == sorted(
        r.running is False for r in season.results
    )
    assert stored.championships == season.championships
    assert [(s.code, s.scoring, s.reduced) for s in stored.sessions] == [
        (s.code, s.scoring, s.reduced)
        for s in sorted(season.sessions, key=lambda s: (s.round_number, s.code))
    ]
    assert [(e.driver, e.team, e.rounds) for e in stored.entries] == [
        (e.driver, e.team, e.rounds) for e in season.entries
    ]


async def test_the_entry_rebuild_keeps_every_row(db_path: Path, monkeypatch) -> None:
    every = schema.migrations()
    rebuild = next(number for number, name, _ in every if "entry_per_team" in name)
    before = [m for m in every if m[0] < rebuild]
    monkeypatch.setattr(schema, "migrations", lambda: before)
    monkeypatch.setattr(schema, "schema_version", lambda: len(before))
    # Later columns do not exist yet: seed with the columns of that time.
    later = {"running", "led_lap", "qualified"}
    kept = [i for i, c in enumerate(rows.RESULT_COLUMNS) if c not in later]
    values = rows.result_values
    monkeypatch.setattr(rows, "RESULT_COLUMNS", tuple(rows.RESULT_COLUMNS[i] for i in kept))
    monkeypatch.setattr(rows, "result_values", lambda r: tuple(values(r)[i] for i in kept))
    read = rows.result_from
    monkeypatch.setattr(
        rows,
        "result_from",
        lambda r: read({**dict(zip(r.keys(), r, strict=True)), **dict.fromkeys(later)}),
    )
    db, _ = await seeding.open_ready(db_path, SEASONS_DIR)
    monkeypatch.undo()
    counts = {
        t: (await db.fetchone(f"SELECT count(*) FROM {t}"))[0]
        for t in ("entry", "result", "penalty", "session")
    }
    entries = [tuple(r) for r in await db.fetchall("SELECT * FROM entry ORDER BY id")]
    await db.close()
    async with await Database.open(db_path) as db:
        assert await db.user_version() == len(every)
        assert [tuple(r) for r in await db.fetchall("SELECT * FROM entry ORDER BY id")] == entries
        for table, count in counts.items():
            assert (await db.fetchone(f"SELECT count(*) FROM {table}"))[0] == count
        assert await db.fetchall("PRAGMA foreign_key_check") == []
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1


def test_a_driver_with_an_entry_per_team_resolves_to_the_round_s_entry() -> None:
    from bot.services.championship import SeasonView
    from bot.services.lookup import SeasonIndex

    index = SeasonIndex(SeasonView(load_season_folder(DATA / "f1-2018").season))
    assert index.driver("perez", 12).team == "Sahara Force India"
    assert index.driver("perez", 13).team == "Racing Point Force India"
    assert index.driver("perez").team == "Sahara Force India"
