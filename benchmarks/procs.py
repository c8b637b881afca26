"""Measurements that need a fresh process: the cold ``parcferme ask`` and peak memory."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
ASK_LINE = "/standings rookie"


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PARCFERME_DATABASE_PATH"] = str(db)
    env.pop("PARCFERME_DISCORD_TOKEN", None)
    env["PYTHONPATH"] = str(PROJECT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _command() -> list[str]:
    """``.venv/bin/parcferme`` when it is there, else ``python -m bot`` (same entry point)."""
    script = Path(sys.executable).with_name("parcferme")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def cold_ask(db: Path, runs: int) -> tuple[float, list[float]]:
    """Median wall time of ``parcferme ask "/standings rookie"`` from process start to exit."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [*_command(), "ask", ASK_LINE],
            env=_env(db),
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        if done.returncode != 0 or "Rookie standings" not in done.stdout:
            raise RuntimeError(f"parcferme ask failed ({done.returncode}): {done.stderr[-500:]}")
    return statistics.median(times), times


def python_startup(runs: int) -> float:
    """Median wall time of a bare ``python -c pass`` (the interpreter's own share)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss(db: Path, *, trace: bool = False) -> dict[str, Any]:
    """Run :mod:`benchmarks.rss_child` on ``db``; its JSON report."""
    args = [sys.executable, "-m", "benchmarks.rss_child", str(db)]
    if trace:
        args.append("--tracemalloc")
    done = subprocess.run(
        args, env=_env(db), cwd=PROJECT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"rss child failed ({done.returncode}): {done.stderr[-800:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


_IMPORT = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def import_profile(db: Path, limit: int = 15) -> list[str]:
    """``-X importtime`` of the cold ask: the heaviest top-level imports (cumulative)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", "ask", ASK_LINE],
        env=_env(db),
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        m = _IMPORT.match(line)
        if m and len(m.group(3)) <= 3:  # top-level and first-level imports
            rows.append((int(m.group(2)), int(m.group(1)), m.group(4), len(m.group(3)) // 2))
    rows.sort(reverse=True)
    return [
        f"{cum / 1000:8.1f} ms cumulative {self_us / 1000:7.1f} ms self  {'  ' * depth}{name}"
        for cum, self_us, name, depth in rows[:limit]
    ]


def cprofile_ask(db: Path, limit: int = 25) -> list[str]:
    """cProfile of a whole cold ask (imports included), top functions by cumulative time."""
    from benchmarks.measure import top_lines

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ask.prof"
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "bot", "ask", ASK_LINE],
            env=_env(db),
            cwd=PROJECT,
            capture_output=True,
            check=False,
        )
        if not out.exists():
            return ["(no profile written)"]
        return top_lines(str(out), limit)
