"""Storage on real temporary database files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.errors import DatabaseTooNew, SeasonFileError
from bot.services import seeding
from bot.storage import repository
from bot.storage.database import Database
from bot.storage.schema import schema_version
from bot.storage.seasonfiles import load_season_folder
from tests.helpers import SEASONS_DIR

PCCF = SEASONS_DIR / "pccf-2023"


async def test_migrations_from_zero(db_path: Path):
    async with await Database.open(db_path) as db:
        assert await db.user_version() == schema_version() >= 1
        tables = {
            r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {
            "series",
            "season",
            "round",
            "session",
            "driver",
            "team",
            "entry",
            "result",
            "penalty",
            "outcome",
            "audit_log",
        } <= tables
        mode = await db.fetchone("PRAGMA journal_mode")
        assert mode is not None and mode[0] == "wal"
        fk = await db.fetchone("PRAGMA foreign_keys")
        assert fk is not None and fk[0] == 1


async def test_a_database_newer_than_the_code_is_refused(db_path: Path):
    async with await Database.open(db_path):
        pass
    con = sqlite3.connect(db_path)
    con.execute(f"PRAGMA user_version = {schema_version() + 1}")
    con.close()
    with pytest.raises(DatabaseTooNew, match="upgrade Parc Fermé"):
        await Database.open(db_path)


async def test_seeding_is_idempotent(db_path: Path):
    db, reports = await seeding.open_ready(db_path, SEASONS_DIR)
    async with db:
        assert [r.action for r in reports] == ["seeded"]
        before = await _dump(db)
        again = await seeding.seed(db, SEASONS_DIR)
        assert [r.action for r in again] == ["unchanged"]
        assert await _dump(db) == before


async def _dump(db: Database) -> dict[str, list[tuple]]:
    out = {}
    for (name,) in await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
    ):
        out[name] = [tuple(r) for r in await db.fetchall(f'SELECT * FROM "{name}" ORDER BY 1')]
    return out


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO result (session_id, entry_id, position) VALUES (1, 1, -3)",
        "INSERT INTO result (session_id, entry_id, position) VALUES (1, 1, 0)",
        "INSERT INTO result (session_id, entry_id, status) VALUES (1, 1, 'WINNER')",
        "INSERT INTO penalty (session_id, entry_id, type, value) VALUES (1, 1, 'time', -5)",
        "INSERT INTO penalty (session_id, entry_id, type) VALUES (1, 1, 'time')",
        "INSERT INTO penalty (session_id, entry_id, type) VALUES (1, 1, 'banishment')",
        "INSERT INTO entry (season_id, driver_id, class) VALUES (1, 1, 'Platinum')",
        "INSERT INTO round (season_id, number, slug, circuit) VALUES (1, -1, 'x', 'X')",
        "INSERT INTO result (session_id, entry_id) VALUES (99999, 1)",
    ],
)
async def test_constraints_refuse_impossible_rows(seeded_db: Database, sql: str):
    with pytest.raises(sqlite3.IntegrityError):
        async with seeded_db.transaction() as tx:
            await tx.execute(sql)


async def test_a_result_for_an_entry_of_another_season_is_refused(seeded_db: Database):
    async with seeded_db.transaction() as tx:
        series = await tx.execute("INSERT INTO series (slug, name) VALUES ('fict', 'Fict')")
        season = await tx.execute(
            "INSERT INTO season (series_id, year, name, status, rules_json) "
            "VALUES (?, 2099, 'Fict 2099', 'future', '{}')",
            (series,),
        )
        driver = await tx.execute("INSERT INTO driver (name) VALUES ('Testdriver Zero')")
        entry = await tx.execute(
            "INSERT INTO entry (season_id, driver_id) VALUES (?, ?)", (season, driver)
        )
    with pytest.raises(sqlite3.IntegrityError, match="not in that season"):
        async with seeded_db.transaction() as tx:
            await tx.execute(
                "INSERT INTO result (session_id, entry_id, position) VALUES (1, ?, 1)", (entry,)
            )


async def test_a_failed_transaction_leaves_nothing(seeded_db: Database):
    before = await _dump(seeded_db)
    with pytest.raises(RuntimeError):
        async with seeded_db.transaction() as tx:
            await tx.execute("UPDATE result SET note = 'half-written'")
            raise RuntimeError("boom")
    assert await _dump(seeded_db) == before


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "season"
    shutil.copytree(PCCF, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, line: str) -> int:
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def test_loader_names_file_and_line_for_an_unknown_driver(tmp_path: Path):
    folder = _copy(tmp_path)
    line = _append(folder / "results.csv", "5,R2,Nobody Atall,3,,,,,,,,,,,confirmed,,")
    with pytest.raises(SeasonFileError) as info:
        load_season_folder(folder)
    assert (
        str(info.value) == f"results.csv:{line}: unknown driver 'Nobody Atall' (not in entries.csv)"
    )


def test_loader_refuses_a_duplicate_position(tmp_path: Path):
    folder = _copy(tmp_path)
    line = _append(folder / "results.csv", "1,R1,Victor Blugeon,2,,,,,,,,,,,confirmed,,")
    # Blugeon already has a row in that race; use another driver for the position clash.
    _edit(folder / "results.csv", "1,R1,Victor Blugeon,2,", "1,R1,Karim Ajlani,2,")
    with pytest.raises(SeasonFileError, match=rf"results.csv:{line}: duplicate position 2"):
        load_season_folder(folder)


def test_loader_refuses_a_race_that_does_not_exist(tmp_path: Path):
    folder = _copy(tmp_path)
    line = _append(folder / "results.csv", "9,R1,Karim Ajlani,4,,,,,,,,,,,confirmed,,")
    with pytest.raises(
        SeasonFileError, match=rf"results.csv:{line}: round 9 R1 is not in sessions"
    ):
        load_season_folder(folder)


def test_loader_refuses_bad_values(tmp_path: Path):
    folder = _copy(tmp_path)
    line = _append(
        folder / "penalties.csv", "1,R1,Karim Ajlani,time,,track limits,,,,,,,confirmed,"
    )
    with pytest.raises(
        SeasonFileError, match=rf"penalties.csv:{line}: a time penalty needs a value"
    ):
        load_season_folder(folder)


def test_loader_refuses_one_car_number_twice_in_a_race(tmp_path: Path):
    # The seed once gave guest Pereira #5 at Le Mans, Jaubert's number there (issue 10).
    folder = _copy(tmp_path)
    _edit(folder / "entries.csv", ",Dylan Pereira,", "5,Dylan Pereira,")
    shared = "3,R1,2023-06-10,,final,partial,Porsche Carrera Cup Scandinavia,"
    _edit(folder / "sessions.csv", shared, "3,R1,2023-06-10,,final,partial,,")  # not shared
    with pytest.raises(SeasonFileError, match="car #5 is already Mathys Jaubert in round 3"):
        load_season_folder(folder)


def test_a_guest_in_a_shared_race_may_carry_a_number_of_the_other_series(tmp_path: Path):
    folder = _copy(tmp_path)
    _edit(folder / "entries.csv", ",Dylan Pereira,", "5,Dylan Pereira,")
    season = load_season_folder(folder).season
    assert [e.driver for e in season.entries if e.car_number == 5] == [
        "Mathys Jaubert",
        "Dylan Pereira",
    ]


def test_two_regulars_never_share_a_number(tmp_path: Path):
    folder = _copy(tmp_path)
    _edit(folder / "entries.csv", "\n22,", "\n5,")
    with pytest.raises(SeasonFileError, match="car #5 is already Mathys Jaubert"):
        load_season_folder(folder)


def test_season_facts_load_and_refuse_an_unknown_driver(tmp_path: Path):
    facts = load_season_folder(PCCF).season.facts
    assert any(f.driver == "Louis Perrot" and f.what == "podiums" and f.count == 2 for f in facts)
    folder = _copy(tmp_path)
    line = _append(folder / "season_facts.csv", "Nobody Atall,wins,1,,Text,confirmed,")
    with pytest.raises(SeasonFileError, match=rf"season_facts.csv:{line}: unknown driver"):
        load_season_folder(folder)


async def test_load_season_round_trips_through_the_database(seeded_db: Database):
    loaded = load_season_folder(PCCF).season
    ref = await repository.find_season(seeded_db, "pccf", 2023)
    assert ref is not None
    stored = await repository.load_season(seeded_db, ref.id)
    assert len(stored.results) == len(loaded.results)
    assert stored.scoring == loaded.scoring
    assert stored.championships == loaded.championships
    assert stored.facts == loaded.facts
    assert [(r.number, r.slug) for r in stored.rounds] == [
        (r.number, r.slug) for r in loaded.rounds
    ]


async def test_backup_is_a_consistent_copy(seeded_db: Database, tmp_path: Path):
    path = await seeding.backup(seeded_db, tmp_path / "backups", keep=2)
    await seeding.backup(seeded_db, tmp_path / "backups", keep=2)
    await seeding.backup(seeded_db, tmp_path / "backups", keep=2)
    assert len(list((tmp_path / "backups").glob("*.db"))) == 2
    assert not path.exists()  # the oldest was rotated away
    copy = sqlite3.connect(sorted((tmp_path / "backups").glob("*.db"))[-1])
    assert copy.execute("SELECT count(*) FROM result").fetchone()[0] > 0
    copy.close()
