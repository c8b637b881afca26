"""A process equivalent to ``parcferme run`` after loading a database: reports its peak RSS.

``python -m benchmarks.rss_child DB`` opens the database, builds ``ChampionshipService`` and
``await service.load()``, builds the bot as ``offline()`` does (cogs, tree, no connection),
answers a few commands, then prints one JSON line: peak RSS (``VmHWM``), the load time
and, with ``--tracemalloc``, the top allocation sites of what stays allocated.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from benchmarks.measure import as_in_production
from bot.adapters.console.ask import ParsedLine, build_command_data, is_error
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import User, interaction_payload
from bot.settings import DEFAULT_DATA_DIR, Settings

LINES = (
    ParsedLine(names=["standings"]),
    ParsedLine(names=["standings"], named={"championship": "teams"}),
    ParsedLine(names=["winners"]),
    ParsedLine(names=["calendar"]),
    ParsedLine(names=["penalties"]),
    ParsedLine(names=["help"]),
)


def _status_mb(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) from /proc, in MB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def _main(db: Path, trace: bool) -> dict[str, object]:
    after_imports = _status_mb("VmRSS")
    if trace:
        tracemalloc.start(1)
    settings = Settings(
        database_path=db, seasons_dir=DEFAULT_DATA_DIR / "seasons", discord_token=None
    )
    start = time.perf_counter()
    answered = 0
    async with offline(settings) as harness:
        loaded = time.perf_counter() - start
        as_in_production()
        tree = harness.client.tree  # type: ignore[attr-defined]
        for line in LINES:
            calls = await harness.dispatch(
                interaction_payload(2, build_command_data(tree, line), User())
            )
            answered += bool(calls) and not is_error(calls)
        out: dict[str, object] = {
            "load_s": loaded,
            "answered": answered,
            "seasons": len(harness.client.service.seasons),  # type: ignore[attr-defined]
            "rss_after_imports_mb": after_imports,
            "rss_after_commands_mb": _status_mb("VmRSS"),
        }
        if trace:
            snapshot = tracemalloc.take_snapshot()
            top = snapshot.statistics("lineno")[:15]
            out["tracemalloc_mb"] = sum(s.size for s in snapshot.statistics("filename")) / 2**20
            out["top_allocations"] = [
                f"{s.size / 2**20:7.1f} MB {s.count:>9,} blocks  {s.traceback[0]}" for s in top
            ]
    # VmHWM: the peak of this process's own address space. ru_maxrss is not used for the
    # figure: Linux keeps it across execve, so a child forked from a big benchmark process
    # starts with the parent's resident size as its "peak".
    out["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hwm = _status_mb("VmHWM")
    out["max_rss_mb"] = out["ru_maxrss_mb"] if math.isnan(hwm) else hwm  # NaN: no /proc
    if trace:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rss_child")
    parser.add_argument("db", type=Path)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args(argv)
    result = asyncio.run(_main(args.db, args.tracemalloc))
    print(json.dumps(result))
    return 0 if result["answered"] == len(LINES) else 1


if __name__ == "__main__":
    sys.exit(main())
