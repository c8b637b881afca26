"""The benchmark run: generate (or reuse) S, M and L, measure them side by side, report.

``python -m benchmarks`` (full), ``--quick`` (reduced sizes and iterations, well under a
minute), ``--tiny`` (a few seconds, for the smoke test). See :mod:`benchmarks`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import hashlib
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from benchmarks import procs
from benchmarks.cases import Case, Workload, build_workload
from benchmarks.datasets import DATA_DIR, SEASONS_DIR, Built, Shape, build, run_copy
from benchmarks.looplag import Lag, measure_lag
from benchmarks.measure import (
    ADMIN,
    Bench,
    GcPauses,
    Stats,
    as_in_production,
    floor_line,
    profile_async,
    register_floor,
    sqlite_floor,
    tidy,
)
from benchmarks.report import (
    CONTENDED,
    TARGETS,
    command_misses,
    machine,
    print_dataset,
    print_lag,
    print_side_by_side,
    print_targets,
    results_json,
    target_checks,
)
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import Harness
from bot.settings import Settings

RESULTS = Path(__file__).resolve().parent / "results.json"
BOT = Path(__file__).resolve().parent.parent / "bot"


def bot_fingerprint() -> dict[str, str]:
    """Which bot/ code was measured (it changes under a benchmark while others work)."""
    digest = hashlib.sha256()
    newest = 0.0
    for f in sorted(BOT.rglob("*")):
        if f.suffix in (".py", ".sql") and "__pycache__" not in f.parts:
            digest.update(str(f.relative_to(BOT)).encode() + b"\0" + f.read_bytes())
            newest = max(newest, f.stat().st_mtime)
    when = dt.datetime.fromtimestamp(newest, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"sha256": digest.hexdigest()[:16], "newest": when}


@dataclass(frozen=True, slots=True)
class Config:
    label: str
    m: Shape
    l: Shape  # noqa: E741 - the issue's name for the large dataset
    iterations: int  # samples per command case
    warmup: int
    sqlite_iterations: int
    autocomplete_iterations: int  # samples per autocomplete kind
    in_flight: int
    batches: int
    penalty_iterations: int
    cold_runs: int
    profile: bool = True


FULL = Config(
    "full",
    m=Shape(series=1, seasons=20, rounds=7, races_per_round=2, entries=40, penalties=6),
    l=Shape(series=10, seasons=20, rounds=7, races_per_round=2, entries=40, penalties=6),
    iterations=1000,
    warmup=20,
    sqlite_iterations=2000,
    autocomplete_iterations=400,
    in_flight=100,
    batches=30,
    penalty_iterations=100,
    cold_runs=7,
)
QUICK = Config(
    "quick",
    m=Shape(series=1, seasons=3, rounds=7, races_per_round=2, entries=40, penalties=4),
    l=Shape(series=3, seasons=3, rounds=7, races_per_round=2, entries=40, penalties=4),
    iterations=150,
    warmup=5,
    sqlite_iterations=300,
    autocomplete_iterations=60,
    in_flight=100,
    batches=5,
    penalty_iterations=12,
    cold_runs=3,
    profile=False,  # --profile turns it on
)
TINY = Config(
    "tiny",
    m=Shape(series=1, seasons=2, rounds=2, races_per_round=2, entries=8, penalties=2),
    l=Shape(series=2, seasons=2, rounds=2, races_per_round=2, entries=8, penalties=2),
    iterations=4,
    warmup=1,
    sqlite_iterations=4,
    autocomplete_iterations=3,
    in_flight=10,
    batches=1,
    penalty_iterations=2,
    cold_runs=1,
    profile=False,
)


@dataclass
class CaseResult:
    key: str
    example: str
    stats: Stats
    floor: Stats  # the floor samples interleaved with this command's
    sqlite: Stats | None
    cold: Stats | None  # season: cases: the first visit of each of its seasons


@dataclass
class DatasetResult:
    name: str
    built: Built
    load_s: float
    floor: Stats
    commands: list[CaseResult]
    autocomplete: dict[str, Stats]
    autocomplete_all: Stats
    throughput: float
    floor_throughput: float
    penalty_preview: Stats | None
    penalty_confirm: Stats | None
    penalty_total: Stats | None
    gc_pauses: dict[str, dict[str, float]] = field(default_factory=dict)
    preempted: int = 0  # involuntary context switches while measuring (other processes)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    lag: list[Lag] = field(default_factory=list)  # loop lag per command (a pass of its own)


def _settings(db: Path) -> Settings:
    return Settings(database_path=db, seasons_dir=SEASONS_DIR, discord_token=None)


async def measure_dataset(
    name: str, built: Built, db: Path, cfg: Config, *, profile_misses: bool
) -> DatasetResult:
    workload = build_workload(db)
    start = time.perf_counter()
    async with offline(_settings(db)) as harness:
        load_s = time.perf_counter() - start
        as_in_production()
        register_floor(harness)
        bench = Bench(harness)
        say(f"  {name}: loaded {built.seasons} seasons in {load_s:.2f} s; measuring")
        switches = resource.getrusage(resource.RUSAGE_SELF).ru_nivcsw
        with GcPauses() as pauses:
            result = await _measure(name, built, db, cfg, bench, workload)
        result.load_s = load_s
        result.gc_pauses = pauses.summary()
        result.preempted = resource.getrusage(resource.RUSAGE_SELF).ru_nivcsw - switches
        if profile_misses:
            result.profiles = await _profile_misses(bench, harness, workload, result, cfg)
    gc.collect()
    # Loop lag on a fresh bot, so that an older season's first visit is one (see looplag).
    async with offline(_settings(db)) as fresh:
        as_in_production()
        register_floor(fresh)
        lag_bench = Bench(fresh)
        result.lag = await measure_lag(
            fresh, workload, lag_bench.payload, max(3, cfg.iterations // 10), ADMIN
        )
        tidy(fresh)
    gc.collect()
    return result


async def _measure(
    name: str, built: Built, db: Path, cfg: Config, bench: Bench, workload: Workload
) -> DatasetResult:
    await bench.floor(cfg.warmup * 5, cfg.warmup)  # warm the dispatch path
    commands = []
    pooled: list[int] = []
    for case in workload.cases:
        samples, floors = await bench.command(case, cfg.iterations, cfg.warmup)
        pooled += floors
        sql = [t.sql for t in case.targets if t.sql]
        sqlite = (
            Stats.of(sqlite_floor(str(db), sql, cfg.sqlite_iterations, cfg.warmup)) if sql else None
        )
        cold = None if case.warm else Stats.of(samples[: len(case.targets)])
        commands.append(
            CaseResult(
                case.key, case.targets[0].text, Stats.of(samples), Stats.of(floors), sqlite, cold
            )
        )
    ac = await bench.autocomplete(workload.completions, cfg.autocomplete_iterations, cfg.warmup)
    throughput, floor_tp = await bench.throughput(
        [_mix(workload.cases), [floor_line()]], cfg.in_flight, cfg.batches
    )
    preview = confirm = total = None
    if workload.penalty_lines and cfg.penalty_iterations:
        p, c = await bench.penalty_confirm(workload.penalty_lines, cfg.penalty_iterations)
        preview, confirm = Stats.of(p), Stats.of(c)
        total = Stats.of([a + b for a, b in zip(p, c, strict=True)])
    return DatasetResult(
        name=name,
        built=built,
        load_s=0.0,
        floor=Stats.of(pooled),
        commands=commands,
        autocomplete={k: Stats.of(v) for k, v in ac.items()},
        autocomplete_all=Stats.of([ns for v in ac.values() for ns in v]),
        throughput=throughput,
        floor_throughput=floor_tp,
        penalty_preview=preview,
        penalty_confirm=confirm,
        penalty_total=total,
    )


def _mix(cases: list[Case]) -> list[Any]:
    """Every public command case once; a ``season:`` case with its first older season.

    So the mix asks about 8 seasons at most (the latest and one older per command): after
    the first batch they are all built, as a bot's popular seasons would be.
    """
    return [c.targets[0].line for c in cases]


async def _profile_misses(
    bench: Bench, harness: Harness, workload: Workload, result: DatasetResult, cfg: Config
) -> dict[str, list[str]]:
    """cProfile of each missed hot path on L (steady state, after the measurement)."""
    profiles: dict[str, list[str]] = {}
    by_key = {c.key: c for c in workload.cases}
    gc.collect()
    bench.collect = False
    n = max(20, cfg.iterations // 5)
    missed = command_misses(result)
    if missed:
        profiles["floor /bench-floor (for comparison)"] = await profile_async(
            lambda: bench.floor(n, 0)
        )
    for key in missed[:4]:
        case = by_key[key]
        profiles[f"command {key}"] = await profile_async(
            lambda case=case: bench.command(case, n, 0)  # type: ignore[misc]
        )
    if result.autocomplete_all.p99_us > TARGETS["autocomplete_p99_us"]:
        worst = max(result.autocomplete, key=lambda k: result.autocomplete[k].p99_us)
        items = [c for c in workload.completions if c.kind == worst]
        profiles[f"autocomplete {worst}"] = await profile_async(
            lambda: bench.autocomplete(items, n, 0)
        )
    if result.throughput < TARGETS["throughput_per_s"]:
        mix = _mix(workload.cases)
        profiles["throughput (100 in flight, public command mix)"] = await profile_async(
            lambda: bench.throughput([mix], cfg.in_flight, max(2, cfg.batches // 3))
        )
    total = result.penalty_total
    if total is not None and total.p99_us / 1000 > TARGETS["penalty_p99_ms"]:
        lines = workload.penalty_lines
        profiles["/penalty add + Confirm"] = await profile_async(
            lambda: bench.penalty_confirm(lines, max(5, cfg.penalty_iterations // 5))
        )
    tidy(harness)
    bench.collect = True
    return profiles


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="reduced sizes and iterations")
    size.add_argument("--tiny", action="store_true", help="a few seconds (smoke test)")
    parser.add_argument("--seed", type=int, default=2024, help="generator seed (default 2024)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results JSON path")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="generated databases")
    profile = parser.add_mutually_exclusive_group()
    profile.add_argument(
        "--profile", action="store_true", default=None, help="cProfile the misses (full: on)"
    )
    profile.add_argument("--no-profile", dest="profile", action="store_false")
    args = parser.parse_args(argv)
    cfg = TINY if args.tiny else QUICK if args.quick else FULL
    if args.profile is not None:
        cfg = replace(cfg, profile=args.profile)
    started = time.perf_counter()
    sources = bot_fingerprint()
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        say(
            f"WARNING: load average {load_before:.2f} on {os.cpu_count()} CPUs before starting: "
            "other processes compete for the CPU and will inflate p99 and lower throughput"
        )
    say(
        f"Parc Fermé benchmark ({cfg.label}), seed {args.seed}; bot/ sources {sources['sha256']} "
        f"(newest change {sources['newest']})"
    )

    shapes: dict[str, Shape | None] = {"S": None, "M": cfg.m, "L": cfg.l}
    built: dict[str, Built] = {}
    for name, shape in shapes.items():
        b = build(name, shape, args.seed, args.data_dir)
        built[name] = b
        how = "cached" if b.cached else f"generated in {b.seconds:.1f} s"
        say(f"  {name}: {b.seasons} seasons, {b.results:,} results ({how}: {b.path.name})")

    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=args.data_dir))
    try:
        copies = {name: run_copy(b, run_dir) for name, b in built.items()}
        results: dict[str, DatasetResult] = {}
        for name in shapes:
            results[name] = asyncio.run(
                measure_dataset(
                    name,
                    built[name],
                    copies[name],
                    cfg,
                    profile_misses=cfg.profile and name == "L",
                )
            )
            print_dataset(results[name])
        say("  cold start: parcferme ask on S, and peak RSS with L loaded")
        cold_s, cold_runs = procs.cold_ask(run_copy(built["S"], run_dir / "cold"), cfg.cold_runs)
        bare_s = procs.python_startup(cfg.cold_runs)
        rss = procs.peak_rss(run_copy(built["L"], run_dir / "rss"))
        profiles = dict(results["L"].profiles)
        if cfg.profile and cold_s > TARGETS["cold_ask_s"]:
            db = run_copy(built["S"], run_dir / "cold-profile")
            profiles["cold ask: -X importtime (heaviest imports)"] = procs.import_profile(db)
            profiles["cold ask: cProfile of the whole process"] = procs.cprofile_ask(db)
        if cfg.profile and rss["max_rss_mb"] > TARGETS["rss_mb"]:
            traced = procs.peak_rss(run_copy(built["L"], run_dir / "rss-trace"), trace=True)
            profiles["RSS with L: tracemalloc top allocation sites"] = [
                f"tracemalloc total {traced.get('tracemalloc_mb', 0):.1f} MB",
                *traced.get("top_allocations", []),
            ]
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)

    elapsed = time.perf_counter() - started
    if bot_fingerprint() != sources:
        sources["changed_during_run"] = "yes: bot/ was edited while this run measured it"
        say("\nWARNING: bot/ changed during this run; the figures mix two versions of it")
    checks = target_checks(results["L"], cold_s, rss["max_rss_mb"])
    print_side_by_side(results)
    print_lag(results)
    say(
        f"cold ask: median {cold_s:.3f} s of {len(cold_runs)} runs "
        f"(bare python startup {bare_s:.3f} s); peak RSS with L loaded: "
        f"{rss['max_rss_mb']:.1f} MB (the bot with L ready in {rss['load_s']:.2f} s there; "
        f"RSS {rss['rss_after_imports_mb']:.0f} MB after imports)"
    )
    print_targets(checks, cfg.label, any(r.preempted > CONTENDED for r in results.values()))
    for title, lines in profiles.items():
        say(f"\n-- cProfile / profile: {title}")
        for line in lines:
            say("   " + line)
    data = results_json(
        results,
        cold_s=cold_s,
        cold_runs=cold_runs,
        bare_python_s=bare_s,
        rss=rss,
        checks=checks,
        profiles=profiles,
        run={
            "mode": cfg.label,
            "seed": args.seed,
            "elapsed_s": round(elapsed, 1),
            "bot_sources": sources,
        },
        machine={
            **machine(),
            "loadavg_1min_start": round(load_before, 2),
            "loadavg_1min_end": round(os.getloadavg()[0], 2),
        },
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(data)
    say(f"\nwrote {args.out} ({cfg.label} run, {elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
