"""Replaying a whole season: every championship's table after every round, from positions.

``python -m benchmarks.replay [--repeat N]`` times the pure domain path the bot takes for a
season (classify every race, score it, build every table after every round) for a fictional
24-race, 22-driver season and for the largest real season kept in ``tests/data``, and prints
the median and the spread. Loading the files is timed apart.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from benchmarks.datasets import Shape, fictional_season
from bot.domain.classification import classify_race
from bot.domain.models import Result, Season
from bot.domain.standings import compute_standings_series
from bot.storage.seasonfiles import load_season_folder

REAL = Path(__file__).resolve().parent.parent / "tests" / "data"


def replay_all(season: Season) -> int:
    """Every table after every round; returns how many tables were built."""
    entries = {e.id: e for e in season.entries}
    by_session: dict[int, list[Result]] = defaultdict(list)
    for r in season.results:
        by_session[r.session_id].append(r)
    classifications = {
        s.id: classify_race(s, by_session[s.id], season.penalties, entries) for s in season.races
    }
    return sum(
        len(compute_standings_series(season, c, classifications)) for c in season.championships
    )


def largest_real() -> tuple[str, Season]:
    folders = sorted(p.parent for p in REAL.glob("*/season.toml"))
    seasons = [(p.name, load_season_folder(p).season) for p in folders]
    return max(seasons, key=lambda ns: len(ns[1].results))


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _line(label: str, samples: list[float]) -> str:
    return (
        f"{label:<46} median {statistics.median(samples):7.1f} ms  "
        f"min {min(samples):7.1f}  max {max(samples):7.1f}  (n={len(samples)})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    shape = Shape(series=1, seasons=1, rounds=24, races_per_round=1, entries=22, penalties=6)
    fictional = fictional_season(shape, 0, 0, seed=7)
    tables = replay_all(fictional)
    label = f"fictional 24 races x 22 drivers ({tables} tables)"
    print(_line(label, _time(lambda: replay_all(fictional), args.repeat)))
    folder = min(REAL.glob("*/season.toml"))
    print(
        _line(
            f"load {folder.parent.name} files", _time(lambda: load_season_folder(folder.parent), 5)
        )
    )
    name, real = largest_real()
    tables = replay_all(real)
    races = len(real.races)
    label = f"{name}: {races} races, {len(real.entries)} entries ({tables} tables)"
    print(_line(label, _time(lambda: replay_all(real), args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
