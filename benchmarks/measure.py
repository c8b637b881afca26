"""Timing interactions through the real CommandTree (console harness, no network).

A latency sample is ``perf_counter_ns`` around ``await Harness.dispatch(payload)``: from
``parse_interaction_create`` (the gateway's entry point) through the command, the recorded
response(s), to the harness having waited for the command's task. The payload is built before
the clock starts. Between samples (never inside one) the recorder's lists are cleared and the
page/confirm views are stopped, so the harness does not slow down as it records: a live bot
keeps those views (3 minutes for pages), which costs memory, not time.
"""

from __future__ import annotations

import gc
import math
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands

from benchmarks.cases import Case, Completion, Statement
from bot.adapters import dpy_private
from bot.adapters.console.ask import ParsedLine, build_command_data, find_button, is_error
from bot.adapters.console.harness import Call, Harness, User, interaction_payload
from bot.adapters.discord.reply import NO_MENTIONS

FAN = User(id=1_300_000_000_000_000_777, name="bench-fan")
ADMIN = User(id=1_300_000_000_000_000_778, name="bench-steward", admin=True)
FLOOR_COMMAND = "bench-floor"
FLOOR_EMBED = discord.Embed(
    title="Parc Fermé", description="A constant answer: the floor of the dispatch path."
)
TIDY_EVERY = 50


class GcPauses:
    """Every garbage collection while active: (generation, duration in ns).

    The benchmark's own ``gc.collect()`` between series (see :func:`collect`) is left out.
    """

    explicit = False  # True while the benchmark itself collects

    def __init__(self) -> None:
        self.pauses: list[tuple[int, int]] = []
        self._start = 0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if GcPauses.explicit:
            return
        if phase == "start":
            self._start = time.perf_counter_ns()
        else:
            self.pauses.append((info["generation"], time.perf_counter_ns() - self._start))

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> dict[str, dict[str, float]]:
        out = {}
        for gen in (0, 1, 2):
            ns = [d for g, d in self.pauses if g == gen]
            out[f"gen{gen}"] = {
                "count": len(ns),
                "mean_us": round(sum(ns) / len(ns) / 1000, 1) if ns else 0.0,
                "max_us": round(max(ns) / 1000, 1) if ns else 0.0,
            }
        return out


def as_in_production() -> None:
    """What ``parcferme run`` does once loaded: the loaded objects out of the garbage
    collector's way (``gc.freeze``), so the bot measured is the one that runs."""
    gc.collect()
    gc.freeze()


def collect() -> None:
    """A full collection outside any timed region (not counted as a pause)."""
    GcPauses.explicit = True
    try:
        gc.collect()
    finally:
        GcPauses.explicit = False


class BenchError(RuntimeError):
    """A measured interaction did not get the answer it should (the numbers would lie)."""


@dataclass(frozen=True, slots=True)
class Stats:
    n: int
    p50_us: float
    p99_us: float
    mean_us: float
    max_us: float

    @classmethod
    def of(cls, samples_ns: Sequence[int]) -> Stats:
        if not samples_ns:
            return cls(0, math.nan, math.nan, math.nan, math.nan)
        ordered = sorted(samples_ns)
        n = len(ordered)

        def pct(q: float) -> float:
            return ordered[min(n - 1, max(0, math.ceil(q * n) - 1))] / 1000

        return cls(n, pct(0.50), pct(0.99), sum(ordered) / n / 1000, ordered[-1] / 1000)


def register_floor(harness: Harness) -> None:
    """A do-nothing command on the bot's own tree: replies one constant embed."""

    @app_commands.command(name=FLOOR_COMMAND, description="benchmark floor: a constant embed")
    async def bench_floor(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=FLOOR_EMBED, ephemeral=False, allowed_mentions=NO_MENTIONS
        )

    tree: app_commands.CommandTree[Any] = harness.client.tree  # type: ignore[attr-defined]
    tree.add_command(bench_floor)


def floor_line() -> ParsedLine:
    return ParsedLine(names=[FLOOR_COMMAND])


def tidy(harness: Harness) -> None:
    """Forget what was recorded and stop waiting views (outside any timed region)."""
    harness.stop_views()
    adapter = harness.adapter
    adapter.calls.clear()
    adapter.messages.clear()
    adapter.originals.clear()


@dataclass
class Bench:
    harness: Harness
    data_cache: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    since_tidy: int = 0
    collect: bool = True  # gc.collect() before a series of samples (off while profiling)

    def _collect(self) -> None:
        if self.collect:
            collect()

    def data(self, line: ParsedLine, focused: str | None = None) -> dict[str, Any]:
        key = (repr(line), focused or "")
        cached = self.data_cache.get(key)
        if cached is None:
            tree = self.harness.client.tree  # type: ignore[attr-defined]
            cached = build_command_data(tree, line, focused=focused)
            self.data_cache[key] = cached
        return cached

    def payload(
        self, line: ParsedLine, *, kind: int = 2, focused: str | None = None, user: User = FAN
    ) -> dict[str, Any]:
        return interaction_payload(kind, self.data(line, focused), user)

    async def timed(
        self, payload: dict[str, Any], *, may_tidy: bool = True
    ) -> tuple[int, list[Call]]:
        if may_tidy and self.since_tidy >= TIDY_EVERY:
            tidy(self.harness)
            self.since_tidy = 0
        self.since_tidy += 1
        start = time.perf_counter_ns()
        calls = await self.harness.dispatch(payload)
        return time.perf_counter_ns() - start, calls

    # -- commands ------------------------------------------------------------------------
    async def command(
        self, case: Case, iterations: int, warmup: int
    ) -> tuple[list[int], list[int]]:
        """(command, floor) samples: ``iterations`` of each, interleaved one for one.

        The command cycles its targets and every answer is checked. A floor sample
        (``/bench-floor``) is taken just before each command sample, so the ratio of the two
        compares them under the same machine conditions (this VM drifts by up to 2x).
        """
        floor = floor_line()
        if case.warm:
            for i in range(warmup):
                target = case.targets[i % len(case.targets)]
                _, calls = await self.timed(self.payload(target.line))
                _check_answer(calls, target.text)
        self._collect()
        samples: list[int] = []
        floors: list[int] = []
        for i in range(iterations):
            target = case.targets[i % len(case.targets)]
            ns, calls = await self.timed(self.payload(floor))
            _check_answer(calls, "/bench-floor")
            floors.append(ns)
            ns, calls = await self.timed(self.payload(target.line))
            _check_answer(calls, target.text)
            samples.append(ns)
        tidy(self.harness)
        return samples, floors

    async def floor(self, iterations: int, warmup: int) -> list[int]:
        line = floor_line()
        for _ in range(warmup):
            _, calls = await self.timed(self.payload(line))
            _check_answer(calls, "/bench-floor")
        self._collect()
        samples = []
        for _ in range(iterations):
            ns, calls = await self.timed(self.payload(line))
            _check_answer(calls, "/bench-floor")
            samples.append(ns)
        tidy(self.harness)
        return samples

    # -- autocomplete --------------------------------------------------------------------
    async def autocomplete(
        self, completions: Sequence[Completion], iterations: int, warmup: int
    ) -> dict[str, list[int]]:
        by_kind: dict[str, list[Completion]] = {}
        for c in completions:
            by_kind.setdefault(c.kind, []).append(c)
        out: dict[str, list[int]] = {}
        for kind, items in by_kind.items():
            for i in range(warmup):
                c = items[i % len(items)]
                await self.timed(self.payload(c.line, kind=4, focused=c.option))
            self._collect()
            samples = []
            for i in range(iterations):
                c = items[i % len(items)]
                ns, calls = await self.timed(self.payload(c.line, kind=4, focused=c.option))
                if not any(isinstance(x.body, dict) and x.body.get("type") == 8 for x in calls):
                    raise BenchError(f"autocomplete {kind} {c.line.named}: no choices answer")
                samples.append(ns)
            out[kind] = samples
        tidy(self.harness)
        return out

    # -- throughput ----------------------------------------------------------------------
    async def batch(self, payloads: Sequence[dict[str, Any]]) -> int:
        """Dispatch every payload at once, then settle: nanoseconds for the whole batch."""
        harness = self.harness
        first = len(harness.adapter.calls)
        start = time.perf_counter_ns()
        with dpy_private.recording_to(harness.adapter):
            for p in payloads:
                dpy_private.feed_interaction(harness.client, p)
        await harness.settle()
        elapsed = time.perf_counter_ns() - start
        answered = sum(1 for c in harness.adapter.calls[first:] if c.path.endswith("/callback"))
        if answered != len(payloads):
            raise BenchError(f"{answered} of {len(payloads)} interactions were answered")
        tidy(harness)
        return elapsed

    async def throughput(
        self, workloads: Sequence[Sequence[ParsedLine]], in_flight: int, batches: int
    ) -> list[float]:
        """Interactions per second of each workload, ``in_flight`` dispatched at once.

        The workloads' batches alternate (one of each in turn), so they run under the same
        machine conditions; each batch cycles its workload's lines.
        """
        spent = [0] * len(workloads)
        done = [0] * len(workloads)
        for b in range(batches):
            for w, lines in enumerate(workloads):
                payloads = [
                    self.payload(lines[(b * in_flight + i) % len(lines)]) for i in range(in_flight)
                ]
                spent[w] += await self.batch(payloads)
                done[w] += in_flight
        return [n / (ns / 1e9) for n, ns in zip(done, spent, strict=True)]

    # -- admin ---------------------------------------------------------------------------
    async def penalty_confirm(
        self, lines: Sequence[ParsedLine], iterations: int
    ) -> tuple[list[int], list[int]]:
        """(preview, confirm) samples of ``/penalty add`` then pressing Confirm."""
        previews: list[int] = []
        confirms: list[int] = []
        for i in range(iterations):
            line = lines[i % len(lines)]
            ns_preview, calls = await self.timed(self.payload(line, user=ADMIN))
            button = find_button(calls, self.harness, "Confirm")
            if button is None:
                raise BenchError(f"no Confirm button for {line.named}: {_first_text(calls)}")
            press = {"custom_id": button["custom_id"], "component_type": 2}
            payload = interaction_payload(3, press, ADMIN, message=button["message"])
            ns_confirm, done = await self.timed(payload, may_tidy=False)
            if not done or "Done" not in _first_text(done):
                raise BenchError(f"Confirm did not apply {line.named}: {_first_text(done)}")
            previews.append(ns_preview)
            confirms.append(ns_confirm)
            tidy(self.harness)
        return previews, confirms


def _first_text(calls: list[Call]) -> str:
    for c in calls:
        body = c.body if isinstance(c.body, dict) else {}
        data = body.get("data") or body
        for e in data.get("embeds") or []:
            return str(e.get("title") or "") + " " + str(e.get("description") or "")
        if data.get("content"):
            return str(data["content"])
    return "(nothing)"


def _check_answer(calls: list[Call], text: str) -> None:
    if not calls or not calls[0].path.endswith("/callback"):
        raise BenchError(f"{text}: the bot sent no response")
    if is_error(calls):
        raise BenchError(f"{text}: the bot answered with an error: {_first_text(calls)}")


def sqlite_floor(
    path: str, targets: Sequence[Sequence[Statement]], iterations: int, warmup: int
) -> list[int]:
    """Floor (b): stdlib sqlite3 reads of the rows an answer needs, cycling the targets."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for i in range(warmup):
            for sql, params in targets[i % len(targets)]:
                con.execute(sql, params).fetchall()
        samples = []
        for i in range(iterations):
            statements = targets[i % len(targets)]
            start = time.perf_counter_ns()
            for sql, params in statements:
                con.execute(sql, params).fetchall()
            samples.append(time.perf_counter_ns() - start)
        return samples
    finally:
        con.close()


async def profile_async(run: Callable[[], Awaitable[object]], limit: int = 25) -> list[str]:
    """cProfile one awaited workload; the top functions by cumulative time, as text lines."""
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        await run()
    finally:
        profiler.disable()
    return top_lines(profiler, limit)


#: Frames that wrap everything (event loop, benchmark harness): left out of profile excerpts.
PLUMBING = (
    "base_events.py",
    "events.py:",
    "_contextvars.Context",
    "measure.py:",
    "run.py:",
    "runners.py:",
    "{built-in method builtins.exec}",
    "<frozen runpy>",
)


def top_lines(profile: Any, limit: int) -> list[str]:
    """Top ``limit`` functions by cumulative time, without the plumbing frames.

    ``profile``: a ``cProfile.Profile`` or the path of a saved profile.
    """
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(limit * 3)
    lines = out.getvalue().splitlines()
    start = next((i for i, x in enumerate(lines) if x.lstrip().startswith("ncalls")), 0)
    head = [x.strip() for x in lines[:start] if "function calls" in x]
    body = [
        x.rstrip() for x in lines[start + 1 :] if x.strip() and not any(p in x for p in PLUMBING)
    ]
    return [*head, lines[start].rstrip(), *body[:limit]] if start else head
