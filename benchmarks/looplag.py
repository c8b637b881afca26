"""Loop lag (issue 13): the longest time one interaction holds the event loop, per command.

Every callback the event loop runs (a task's step, a timer, a future's done-callback) goes
through ``asyncio.events.Handle._run``. While a :class:`LoopLag` is active that method is
wrapped to time each run, so the longest uninterrupted stretch of synchronous code is known:
nothing else (another fan's answer, the gateway's heartbeat) can run during it. Each step is
timed twice: wall time (what other tasks wait) and the loop thread's CPU time
(``time.thread_time_ns``), which other processes on a busy machine do not inflate. Work handed
to a thread (aiosqlite's queries, ``asyncio.to_thread``) does not count; a garbage
collection inside a step does, as it would in the bot.

The pass runs on a fresh bot (so an older season's first visit is a real first visit),
after the latency pass and apart from it: the wrapper costs a little per callback, which
must not land in the latency figures. An interaction's lag is the longest step between its
payload reaching ``parse_interaction_create`` and the harness seeing its tasks done; the
benchmark's own bookkeeping between interactions is left out.
"""

from __future__ import annotations

import asyncio
import asyncio.events
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.cases import Workload
from bot.adapters.console.ask import find_button
from bot.adapters.console.harness import Call, Harness, interaction_payload

#: The issue's bound: no interaction holds the loop longer than this.
LAG_LIMIT_MS = 5.0


def _describe(handle: asyncio.Handle) -> str:
    callback: Any = getattr(handle, "_callback", None)
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        return getattr(coro, "__qualname__", None) or owner.get_name()
    return getattr(callback, "__qualname__", None) or repr(callback)


class LoopLag:
    """Times every event-loop callback while active; :attr:`worst_ns` since :meth:`reset`."""

    def __init__(self) -> None:
        self.worst_ns = 0
        self.worst_cpu_ns = 0
        self.worst_what = ""
        self._original: Callable[[asyncio.Handle], None] | None = None

    def reset(self) -> None:
        self.worst_ns = 0
        self.worst_cpu_ns = 0
        self.worst_what = ""

    def __enter__(self) -> LoopLag:
        original = asyncio.events.Handle._run
        self._original = original
        meter = self

        def timed_run(handle: asyncio.Handle) -> None:
            cpu = time.thread_time_ns()
            start = time.perf_counter_ns()
            try:
                original(handle)
            finally:
                ns = time.perf_counter_ns() - start
                cpu = time.thread_time_ns() - cpu
                if ns > meter.worst_ns:
                    meter.worst_ns = ns
                    meter.worst_what = _describe(handle)
                meter.worst_cpu_ns = max(meter.worst_cpu_ns, cpu)

        asyncio.events.Handle._run = timed_run  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        if self._original is not None:
            asyncio.events.Handle._run = self._original  # type: ignore[method-assign]


@dataclass(frozen=True, slots=True)
class Lag:
    """One command's loop lag: the worst step of any of its interactions."""

    key: str
    n: int
    max_ms: float  # wall time
    first_ms: float | None  # season cases: the worst first visit of an older season
    where: str  # the callback (task coroutine) that held the loop longest
    cpu_ms: float = 0.0  # the longest step in the loop thread's CPU time

    @property
    def over(self) -> bool:
        return self.max_ms > LAG_LIMIT_MS

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "max_ms": round(self.max_ms, 2),
            "max_cpu_ms": round(self.cpu_ms, 2),
            "first_visit_max_ms": None if self.first_ms is None else round(self.first_ms, 2),
            "where": self.where,
            "over_5ms": self.over,
        }


class LagRun:
    """Dispatches interactions one at a time and keeps each one's worst step."""

    def __init__(self, harness: Harness, meter: LoopLag) -> None:
        self.harness = harness
        self.meter = meter

    async def one(self, payload: dict[str, Any]) -> tuple[Sample, list[Call]]:
        await asyncio.sleep(0)  # a fresh step: the benchmark's own work is not counted
        self.meter.reset()
        calls = await self.harness.dispatch(payload)
        m = self.meter
        return Sample(m.worst_ns, m.worst_cpu_ns, m.worst_what), calls

    async def series(self, key: str, payloads: Sequence[dict[str, Any]], firsts: int = 0) -> Lag:
        samples: list[Sample] = []
        first = 0
        for i, payload in enumerate(payloads):
            sample, _ = await self.one(payload)
            if i < firsts:
                first = max(first, sample.ns)
            samples.append(sample)
        lag = _lag(key, samples)
        return Lag(key, lag.n, lag.max_ms, first / 1e6 if firsts else None, lag.where, lag.cpu_ms)


@dataclass(frozen=True, slots=True)
class Sample:
    ns: int
    cpu_ns: int
    where: str


async def measure_lag(
    harness: Harness,
    workload: Workload,
    payload: Callable[..., dict[str, Any]],
    iterations: int,
    admin_user: Any,
) -> list[Lag]:
    """The loop lag of every command case, autocomplete kind, ``/penalty add`` and Confirm,
    and a backup, on a bot that has answered nothing yet.

    ``payload(line, kind=2, focused=None, user=...)`` builds an interaction (the Bench's).
    """
    out: list[Lag] = []
    with LoopLag() as meter:
        run = LagRun(harness, meter)
        # the latest season's answers are warmed by their first ask; older ones are first
        # visits (one per target), then asked again
        out.append(await run.series("/bench-floor", [payload(_floor())] * iterations))
        for case in workload.cases:
            firsts = 0 if case.warm else len(case.targets)
            lines = [t.line for t in case.targets]
            n = max(iterations, firsts)
            out.append(
                await run.series(
                    case.key, [payload(lines[i % len(lines)]) for i in range(n)], firsts
                )
            )
        by_kind: dict[str, list[Any]] = {}
        for c in workload.completions:
            by_kind.setdefault(c.kind, []).append(c)
        for kind, items in by_kind.items():
            payloads = [
                payload(items[i % len(items)].line, kind=4, focused=items[i % len(items)].option)
                for i in range(iterations)
            ]
            out.append(await run.series(f"autocomplete {kind}", payloads))
        out += await _penalty(run, workload, payload, max(5, iterations // 5), admin_user)
        out.append(await _backup(run, harness, max(3, iterations // 20)))
    return out


def _floor() -> Any:
    from benchmarks.measure import floor_line

    return floor_line()


async def _penalty(
    run: LagRun,
    workload: Workload,
    payload: Callable[..., dict[str, Any]],
    n: int,
    admin_user: Any,
) -> list[Lag]:
    if not workload.penalty_lines:
        return []
    previews: list[Sample] = []
    confirms: list[Sample] = []
    for i in range(n):
        line = workload.penalty_lines[i % len(workload.penalty_lines)]
        sample, calls = await run.one(payload(line, user=admin_user))
        previews.append(sample)
        button = find_button(calls, run.harness, "Confirm")
        if button is None:
            continue
        press = {"custom_id": button["custom_id"], "component_type": 2}
        sample, _ = await run.one(
            interaction_payload(3, press, admin_user, message=button["message"])
        )
        confirms.append(sample)
    return [_lag("/penalty add (preview)", previews), _lag("Confirm (apply)", confirms)]


async def _backup(run: LagRun, harness: Harness, n: int) -> Lag:
    """``seeding.backup`` as the import's Confirm runs it (the loop's share of it)."""
    from bot.services import seeding

    db = harness.client.service.db  # type: ignore[attr-defined]
    folder = Path(tempfile.mkdtemp(prefix="lag-backup-"))
    samples: list[Sample] = []
    try:
        for _ in range(n):
            await asyncio.sleep(0)
            run.meter.reset()
            await seeding.backup(db, folder, 2, label="bench")
            await asyncio.sleep(0)  # close the step the backup ended in
            m = run.meter
            samples.append(Sample(m.worst_ns, m.worst_cpu_ns, m.worst_what))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _lag("backup (before an import)", samples)


def _lag(key: str, samples: list[Sample]) -> Lag:
    if not samples:
        return Lag(key, 0, 0.0, None, "")
    worst = max(samples, key=lambda x: x.ns)
    cpu = max(x.cpu_ns for x in samples)
    return Lag(key, len(samples), worst.ns / 1e6, None, worst.where, cpu / 1e6)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.looplag [--dataset M] [-n 30]``: the loop lag of ``/penalty add``
    (preview and Confirm) alone, on a fresh bot, without the whole benchmark's passes."""
    import argparse

    from benchmarks.cases import build_workload
    from benchmarks.datasets import DATA_DIR, SEASONS_DIR, build, run_copy
    from benchmarks.measure import ADMIN, Bench, as_in_production, register_floor, tidy
    from benchmarks.run import FULL
    from bot.adapters.console.commands import offline
    from bot.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m benchmarks.looplag")
    parser.add_argument("--dataset", choices=("S", "M", "L"), default="M")
    parser.add_argument("-n", type=int, default=30, help="previews (each then confirmed)")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    shape = {"S": None, "M": FULL.m, "L": FULL.l}[args.dataset]
    built = build(args.dataset, shape, 2024, args.data_dir)
    run_dir = Path(tempfile.mkdtemp(prefix="lag-", dir=args.data_dir))

    async def measure() -> list[Lag]:
        db = run_copy(built, run_dir)
        workload = build_workload(db)
        settings = Settings(database_path=db, seasons_dir=SEASONS_DIR, discord_token=None)
        async with offline(settings) as harness:
            as_in_production()
            register_floor(harness)
            bench = Bench(harness)
            with LoopLag() as meter:
                run = LagRun(harness, meter)
                out = [await run.series("/bench-floor", [bench.payload(_floor())] * args.n)]
                out += await _penalty(run, workload, bench.payload, args.n, ADMIN)
            tidy(harness)
        return out

    try:
        lags = asyncio.run(measure())
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    print(f"loop lag on {args.dataset}, ms (wall max / loop-thread CPU max), held by:")
    for lag in lags:
        print(f"  {lag.key:<26} n={lag.n:<4} {lag.max_ms:7.1f} / {lag.cpu_ms:5.1f}   {lag.where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
