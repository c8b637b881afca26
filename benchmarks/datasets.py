"""Benchmark databases, generated from a seed through the project's own storage code.

Every name is fictional ("Benchdriver 0001", "Circuit Alpha"). A generated file is cached
under ``benchmarks/.data/`` with its size, shape, seed, schema version and generator version
in its name, so a rerun reuses it; a run always works on a copy (see :func:`run_copy`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import random
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.domain.models import (
    Championship,
    Eligibility,
    Entry,
    Penalty,
    PenaltyType,
    RankBasis,
    Result,
    Round,
    ScoringRules,
    Season,
    Session,
    SessionKind,
    Status,
)
from bot.services import seeding
from bot.settings import DEFAULT_DATA_DIR
from bot.storage import repository
from bot.storage.database import Database
from bot.storage.schema import schema_version

#: Bump when the generated content changes, so cached files are rebuilt.
GENERATOR_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / ".data"
SEASONS_DIR = DEFAULT_DATA_DIR / "seasons"

CIRCUITS = (
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliett",
    "kilo",
    "lima",
    "mike",
    "november",
)
SCALE = (25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
CLASSES = ("Pro", "Pro-Am", "Am")
NATIONS = ("FRA", "BEL", "CHE", "ESP", "ITA", "DEU", "NLD", "GBR")
LAPS = 24


@dataclass(frozen=True, slots=True)
class Shape:
    """How big a fictional championship history is."""

    series: int
    seasons: int  # per series
    rounds: int
    races_per_round: int
    entries: int
    penalties: int  # per season

    @property
    def key(self) -> str:
        return (
            f"{self.series}x{self.seasons}x{self.rounds}x{self.races_per_round}"
            f"x{self.entries}p{self.penalties}"
        )

    @property
    def total_seasons(self) -> int:
        return self.series * self.seasons

    @property
    def total_results(self) -> int:
        return self.total_seasons * self.rounds * self.races_per_round * self.entries


@dataclass(frozen=True, slots=True)
class Built:
    name: str
    path: Path
    seconds: float  # generation time (0 when taken from the cache)
    cached: bool
    seasons: int
    results: int


def _championships() -> tuple[Championship, ...]:
    return (
        Championship(
            "drivers",
            "Drivers",
            rank=RankBasis.OVERALL,
            eligible=Eligibility(guest=False),
            bonuses=True,
            aliases=("overall",),
        ),
        Championship(
            "pro-am",
            "Pro-Am",
            rank=RankBasis.CLASS,
            eligible=Eligibility(klass="Pro-Am"),
            aliases=("proam",),
        ),
        Championship("am", "Am", rank=RankBasis.CLASS, eligible=Eligibility(klass="Am")),
        Championship("rookie", "Rookie", rank=RankBasis.ROOKIE, eligible=Eligibility(rookie=True)),
        Championship("teams", "Teams", kind="teams", points_from="drivers", counting_cars=2),
    )


def fictional_season(shape: Shape, series: int, index: int, seed: int) -> Season:
    """Season ``index`` (0 = oldest) of series ``series``: complete and deterministic.

    Four drivers leave and four rookies join each year; a driver keeps their car number and
    team across seasons. Every race has every car's flag position, laps and time, a pole and
    a fastest lap; a few stewards' decisions (time, positions, reprimand) per season.
    """
    rng = random.Random(f"{seed}:{series}:{index}")
    year = 2001 + index
    slug = f"bench{series + 1:02d}"
    series_name = f"Bench Series {series + 1:02d}"
    entries = []
    for i in range(shape.entries):
        number = series * 1000 + index * 4 + i + 1
        entries.append(
            Entry(
                id=i + 1,
                driver_id=number,
                driver=f"Benchdriver {number:04d}",
                team_id=None,
                team=f"Benchteam {series + 1:02d}-{(number // 2) % 50 + 1:02d}",
                car_number=number % 1000,
                nationality=NATIONS[number % len(NATIONS)],
                klass=CLASSES[number % 3],
                rookie=i >= shape.entries - 4 and index > 0,
                junior=False,
            )
        )
    rounds = []
    sessions = []
    results = []
    sid = 0
    for r in range(1, shape.rounds + 1):
        name = CIRCUITS[(index + r - 1) % len(CIRCUITS)]
        if shape.rounds > len(CIRCUITS):
            name = f"{name}-{r}"
        day = dt.date(year, 3, 24) + dt.timedelta(days=14 * r)
        rounds.append(
            Round(
                id=r,
                number=r,
                slug=name,
                circuit=f"Circuit {name.title()}",
                town=f"Benchville {name.title()}",
                country="Nowhere",
                start_date=day,
                end_date=day + dt.timedelta(days=2),
                aliases=(f"{name}ring",),
            )
        )
        for k in range(1, shape.races_per_round + 1):
            sid += 1
            # Stronger drivers (lower number in the season) tend to finish ahead.
            order = sorted(entries, key=lambda e: e.id + rng.gauss(0, shape.entries / 3))
            t = 1_500_000 + rng.randint(0, 60_000)
            for pos, e in enumerate(order, start=1):
                if pos > 1:
                    t += rng.randint(200, 4_000)
                results.append(
                    Result(
                        session_id=sid,
                        entry_id=e.id,
                        flag_position=pos,
                        status=Status.CLASSIFIED,
                        laps=LAPS,
                        time_ms=t,
                        grid=None,
                        best_lap_ms=60_000 + rng.randint(0, 3_000),
                    )
                )
            sessions.append(
                Session(
                    id=sid,
                    round_number=r,
                    code=f"R{k}",
                    kind=SessionKind.RACE,
                    date=day + dt.timedelta(days=k),
                    final=True,
                    complete=True,
                    pole_entry_id=order[rng.randrange(min(5, len(order)))].id,
                    pole_time_ms=59_000 + rng.randint(0, 2_000),
                    fastest_lap_entry_id=order[rng.randrange(min(8, len(order)))].id,
                    fastest_lap_ms=59_500 + rng.randint(0, 2_000),
                )
            )
    penalties = []
    kinds = (
        (PenaltyType.TIME, 5),
        (PenaltyType.POSITIONS, 2),
        (PenaltyType.TIME, 10),
        (PenaltyType.REPRIMAND, None),
    )
    for n in range(shape.penalties):
        ptype, value = kinds[n % len(kinds)]
        session = sessions[rng.randrange(len(sessions))]
        penalties.append(
            Penalty(
                id=n + 1,
                session_id=session.id,
                entry_id=entries[rng.randrange(len(entries))].id,
                type=ptype,
                value=value,
                reason=f"Bench incident {n + 1}: causing a collision",
                decided_at=f"{session.date}T18:00:00Z",
                decided_by="Bench Stewards",
            )
        )
    return Season(
        id=0,
        series_slug=slug,
        series_name=series_name,
        year=year,
        name=f"{year} {series_name}",
        status="provisional" if index == shape.seasons - 1 else "final",
        scoring=ScoringRules(SCALE, pole_bonus=1, fastest_lap_bonus=1),
        championships=_championships(),
        rounds=tuple(rounds),
        sessions=tuple(sessions),
        entries=tuple(entries),
        results=tuple(results),
        penalties=tuple(penalties),
        source="benchmarks/datasets.py (fictional)",
    )


def fictional_history(shape: Shape, seed: int) -> Iterator[Season]:
    """Every season, oldest year first, series by series within a year."""
    for index in range(shape.seasons):
        for series in range(shape.series):
            yield fictional_season(shape, series, index, seed)


async def _insert_all(path: Path, shape: Shape, seed: int) -> None:
    db = await Database.open(path)
    try:
        for season in fictional_history(shape, seed):
            async with db.transaction() as tx:
                await repository.insert_season(tx, season, f"benchmark-seed-{seed}")
    finally:
        await db.close()


async def _seed_s(path: Path) -> None:
    db, _ = await seeding.open_ready(path, SEASONS_DIR)
    await db.close()


def _finish(tmp: Path, final: Path) -> None:
    """Fold the WAL into the file so the single .db file can be copied, then publish it."""
    con = sqlite3.connect(tmp)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.replace(final)


def _seasons_hash() -> str:
    digest = hashlib.sha256()
    for f in sorted(SEASONS_DIR.rglob("*")):
        if f.is_file():
            digest.update(str(f.relative_to(SEASONS_DIR)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def _count(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(path)
    try:
        seasons = con.execute("SELECT count(*) FROM season").fetchone()[0]
        results = con.execute("SELECT count(*) FROM result").fetchone()[0]
    finally:
        con.close()
    return int(seasons), int(results)


def build(name: str, shape: Shape | None, seed: int, data_dir: Path = DATA_DIR) -> Built:
    """The cached database for ``name`` (S when ``shape`` is None), generating it if needed."""
    data_dir.mkdir(parents=True, exist_ok=True)
    version = f"schema{schema_version()}-gen{GENERATOR_VERSION}"
    if shape is None:
        final = data_dir / f"{name}-pccf-{_seasons_hash()}-{version}.db"
    else:
        final = data_dir / f"{name}-{shape.key}-seed{seed}-{version}.db"
    if final.exists():
        return Built(name, final, 0.0, True, *_count(final))
    tmp = final.with_name(final.name + ".tmp")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    if shape is None:
        asyncio.run(_seed_s(tmp))
    else:
        asyncio.run(_insert_all(tmp, shape, seed))
    _finish(tmp, final)
    return Built(name, final, time.perf_counter() - start, False, *_count(final))


def run_copy(built: Built, run_dir: Path) -> Path:
    """A fresh copy of a cached database for one run (admin changes never touch the cache)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    target = run_dir / f"{built.name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(built.path, target)
    return target
