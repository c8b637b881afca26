"""Where the memory goes, on demand: SIGUSR1 writes the largest allocations to the log.

For finding a leak in a running bot without stopping it. Start the process with
``PYTHONTRACEMALLOC=N`` (Python's own switch: trace allocations, N frames each) and send it
SIGUSR1: the log gets the traced total and the allocations that grew most since the previous
signal (the first signal: since tracing began), by source line. Without tracing, the signal
logs the number of live objects of the commonest types, against the previous signal.
"""

from __future__ import annotations

import gc
import logging
import sys
import tracemalloc
from collections import Counter

log = logging.getLogger(__name__)

TOP = 15


class MemoryReport:
    """Each :meth:`report` compares the memory now with the previous report."""

    def __init__(self) -> None:
        self._snapshot: tracemalloc.Snapshot | None = None
        self._types: Counter[str] = Counter()

    def report(self) -> list[str]:
        lines = self._traced() if tracemalloc.is_tracing() else self._objects()
        for line in lines:
            log.info("memory: %s", line)
        return lines

    def _traced(self) -> list[str]:
        snapshot = tracemalloc.take_snapshot().filter_traces(
            (tracemalloc.Filter(False, tracemalloc.__file__),)
        )
        current, peak = tracemalloc.get_traced_memory()
        lines = [f"traced {current / 1e6:.1f} MB (peak {peak / 1e6:.1f} MB)"]
        key = "traceback" if tracemalloc.get_traceback_limit() > 1 else "lineno"
        if self._snapshot is None:
            stats = snapshot.statistics(key)[:TOP]
            lines += [f"{s.size / 1e3:9.1f} kB {s.count:7d} blocks  {_where(s)}" for s in stats]
        else:
            diff = snapshot.compare_to(self._snapshot, key)[:TOP]
            lines += [
                f"{d.size_diff / 1e3:+9.1f} kB {d.count_diff:+7d} blocks  {_where(d)}" for d in diff
            ]
        self._snapshot = snapshot
        return lines

    def _objects(self) -> list[str]:
        objects = gc.get_objects()
        counts = Counter(type(o).__qualname__ for o in objects)
        del objects
        grown = {name: n - self._types.get(name, 0) for name, n in counts.items()}
        self._types = counts
        top = sorted(grown.items(), key=lambda kv: -kv[1])[:TOP]
        head = (
            f"{counts.total()} objects tracked by the collector, "
            f"{sys.getallocatedblocks()} memory blocks allocated"
        )
        return [head] + [f"{n:+8d} {name} ({counts[name]})" for name, n in top]


def _where(stat: tracemalloc.Statistic | tracemalloc.StatisticDiff) -> str:
    # The most recent frames first: the line that allocated, then who called it.
    frames = list(stat.traceback)[::-1][:4]
    return " < ".join(f"{_short(f.filename)}:{f.lineno}" for f in frames)


def _short(filename: str) -> str:
    if "/bot/" in filename:
        return "bot/" + filename.rsplit("/bot/", 1)[1]
    for marker in ("/site-packages/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename
