"""Smoke test of the benchmark (issue 6): it runs end to end on tiny databases.

No timing is
asserted, only that every measurement ran and ``results.json`` has its documented shape.
Takes about ten seconds, most of it in two subprocesses (a cold ``parcferme ask`` and the
peak-RSS child).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.datasets import build
from benchmarks.run import TINY, main

PUBLIC = {"/standings", "/race", "/winners", "/poles", "/penalties", "/driver", "/calendar"}


def test_benchmark_runs_end_to_end_on_a_tiny_database(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    data_dir = tmp_path / "data"
    assert main(["--tiny", "--seed", "7", "--data-dir", str(data_dir), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["datasets"]) == {"S", "M", "L"}
    for dataset in data["datasets"].values():
        assert set(dataset["floor_us"]) == {"p50", "p99"}
        commands = dataset["commands"]
        assert {*PUBLIC, *(f"{c} season:old" for c in PUBLIC), "/help"} <= set(commands)
        for command in commands.values():
            assert {"p50_us", "p99_us", "ratio_to_floor", "sqlite_floor_us"} <= set(command)
            assert command["p50_us"] > 0
        assert dataset["autocomplete_p99_us"] > 0
        assert dataset["throughput_per_s"] > 0
        assert set(dataset["penalty_confirm_ms"]) == {"p50", "p99"}
    assert data["cold_ask_s"] > 0
    assert data["rss_mb"] > 0
    assert data["targets"] and all("pass" in t for t in data["targets"])
    # A rerun takes the generated databases from the cache.
    assert build("L", TINY.l, 7, data_dir).cached
