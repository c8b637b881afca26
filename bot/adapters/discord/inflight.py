"""The answers in progress, so that a shutdown lets them finish (public discord.py API only).

Every task that answers an interaction passes through a public hook first: the command tree's
``interaction_check`` (commands and autocomplete) or a view's ``interaction_check`` (buttons);
a view's ``on_timeout`` runs in a task of its own. Each calls :func:`track`, which records the
running task on the bot's :class:`InFlight`; the runner waits for those on SIGTERM.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def add_current(self) -> None:
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def pending(self) -> list[asyncio.Task[Any]]:
        current = asyncio.current_task()
        return [t for t in self._tasks if not t.done() and t is not current]

    async def drain(self, grace_s: float) -> int:
        """Wait up to ``grace_s`` seconds for the answers in progress; how many there were."""
        pending = self.pending()
        if pending:
            await asyncio.wait(pending, timeout=grace_s)
        return len(pending)


def track(interaction: discord.Interaction | None) -> None:
    """Count the running task as an answer of this interaction's bot (if it keeps count)."""
    if interaction is None:
        return
    in_flight = getattr(interaction.client, "in_flight", None)
    if isinstance(in_flight, InFlight):
        in_flight.add_current()
