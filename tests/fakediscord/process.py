"""The real bot as a child process (``python -m bot …``), pointed at the fake, with its log."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from tests.fakediscord.server import FakeDiscord

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEASONS_DIR = PROJECT_ROOT / "data" / "seasons"
READY_WITHIN_S = 30.0  # from start to the gateway's READY
FAKE_TOKEN = "MTE1MDAwMDAwMDAwMDAwMDAwMQ.FakeE2E.not-a-real-token-e2e-0123456789abcdef"

# The bot's log lines: "INFO bot: message" (logging.basicConfig in bot/cli.py) and
# "2024-05-01 12:00:00 INFO     discord.client message" (discord.utils.setup_logging, which
# colours its output inside a container even when it is not a terminal).
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LOG_LINE = re.compile(
    r"^(?:\[?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\]?\s+)?\[?"
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\s*\]?\s+(?P<logger>[\w.]+):?\s"
)


def bot_env(fake: FakeDiscord, db_path: Path, **settings: str) -> dict[str, str]:
    """A clean environment: only what the bot needs, nothing inherited that could reach out."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(db_path.parent),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PARCFERME_DISCORD_TOKEN": FAKE_TOKEN,
        "PARCFERME_API_BASE_URL": fake.base_url,
        "PARCFERME_DATABASE_PATH": str(db_path),
        "PARCFERME_SEASONS_DIR": str(SEASONS_DIR),
        "PARCFERME_BACKUP_DIR": str(db_path.parent / "backups"),
        "PARCFERME_LOG_LEVEL": "INFO",
    }
    env.update({f"PARCFERME_{k.upper()}": v for k, v in settings.items()})
    if "PYTHONTRACEMALLOC" in os.environ:  # tracing allocations, for the memory report
        env["PYTHONTRACEMALLOC"] = os.environ["PYTHONTRACEMALLOC"]
    return env


@dataclass
class BotProcess:
    """``python -m bot <args>`` with stdout and stderr in one log file."""

    args: list[str]
    env: Mapping[str, str]
    log_path: Path
    cwd: Path
    proc: asyncio.subprocess.Process | None = None
    started_at: float = 0.0
    _log: IO[bytes] | None = field(default=None, repr=False)

    async def start(self) -> None:
        # ``cwd`` should be outside the project: the bot reads ``.env`` from its working
        # directory, and a developer's real token must never reach a test.
        self._log = self.log_path.open("ab")
        self.started_at = time.monotonic()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *self.args,
            env=dict(self.env),
            cwd=self.cwd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
        )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.returncode

    def log(self) -> str:
        """The process's output so far, without colour codes."""
        return ANSI.sub("", self.log_path.read_text(encoding="utf-8", errors="replace"))

    def log_lines(self, level: str | None = None) -> list[str]:
        lines = self.log().splitlines()
        if level is None:
            return lines
        return [
            line for line in lines if (m := LOG_LINE.match(line)) and m["level"] == level.upper()
        ]

    def problems_in_log(self) -> list[str]:
        """Lines showing an error: ERROR/CRITICAL records and tracebacks."""
        return [
            line
            for line in self.log().splitlines()
            if "Traceback" in line
            or ((m := LOG_LINE.match(line)) and m["level"] in ("ERROR", "CRITICAL"))
        ]

    async def wait_exit(self, within: float) -> int:
        assert self.proc is not None
        return await asyncio.wait_for(self.proc.wait(), within)

    async def terminate(self, within: float = 15.0) -> tuple[int, float]:
        """SIGTERM; the exit code and how long the bot took to exit."""
        assert self.proc is not None
        began = time.monotonic()
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        code = await self.wait_exit(within)
        return code, time.monotonic() - began

    async def kill(self) -> None:
        """Make sure the process is gone (the tests' ``finally``)."""
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.proc.wait(), 10)
        if self._log is not None:
            self._log.close()
            self._log = None


@contextlib.asynccontextmanager
async def bot_process(
    args: list[str], env: Mapping[str, str], log_path: Path, cwd: Path
) -> AsyncIterator[BotProcess]:
    """Start the bot; whatever happens in the block, the process is killed afterwards."""
    process = BotProcess(list(args), env, log_path, cwd)
    try:
        await process.start()
        yield process
    finally:
        await process.kill()


async def run_to_end(
    args: list[str], env: Mapping[str, str], log_path: Path, cwd: Path, within: float = 30.0
) -> BotProcess:
    """Run a one-shot command (``sync --guild ID``) to its end (``returncode``, ``log()``)."""
    async with bot_process(args, env, log_path, cwd) as process:
        await process.wait_exit(within)
        return process


async def wait_ready(fake: FakeDiscord, process: BotProcess) -> None:
    assert process.proc is not None
    ready = asyncio.ensure_future(fake.ready.wait())
    exited = asyncio.ensure_future(process.proc.wait())
    await asyncio.wait({ready, exited}, timeout=READY_WITHIN_S, return_when="FIRST_COMPLETED")
    for task in (ready, exited):
        task.cancel()
    if not fake.ready.is_set():
        pytest.fail(
            f"the bot never got READY (exit {process.returncode}):\n{process.log()[-4000:]}"
        )
