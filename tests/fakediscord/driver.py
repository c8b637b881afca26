"""What a test does with a running bot: send interactions as users, press buttons, check.

``Driver`` wraps the fake (``FakeDiscord``), the bot process and the command definitions;
every method returns the fake's ``InteractionRecord`` so a test can look at what the bot
answered, when, and how many times. The checks return lists of problems (empty: all good)
so a failure message can show every one of them.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tests.fakediscord import payloads as p
from tests.fakediscord.process import BotProcess
from tests.fakediscord.server import FakeDiscord, InteractionRecord


class NoSuchButton(AssertionError):
    pass


@dataclass
class Driver:
    fake: FakeDiscord
    process: BotProcess
    definitions: p.Definitions
    answer_within: float = 10.0  # how long a test waits for an answer (the limit is 3 s)
    # A deferred answer's follow-up may come up to 15 minutes later on Discord; a test waits
    # this long for it (a /chart drawn in a thread on a loaded 2-core machine took over 10 s).
    followup_within: float = 60.0
    # A person sees a message before pressing its buttons. discord.py registers a message's
    # view only once Discord's HTTP answer has reached it, and a press arriving sooner on the
    # gateway is dropped as unknown; so a press comes this long after the message changed.
    reaction_s: float = 0.5

    async def send(self, payload: dict[str, Any], *, wait: bool = True) -> InteractionRecord:
        record = await self.fake.send_interaction(payload)
        if wait:
            await self.wait([record])
        return record

    async def wait(self, records: Iterable[InteractionRecord]) -> None:
        missing = await self.fake.wait_answered(records, self.answer_within)
        if missing:
            described = [_describe(r) for r in missing[:10]]
            raise AssertionError(f"{len(missing)} interaction(s) never answered: {described}")

    async def command(
        self,
        user: p.Member,
        path: str,
        options: Mapping[str, Any] | None = None,
        *,
        resolved: Mapping[str, Any] | None = None,
        in_guild: bool = True,
        wait: bool = True,
    ) -> InteractionRecord:
        """``/path option:value …`` as ``user`` types it (``path`` may hold subcommands)."""
        data = p.command_data(self.definitions, path, options, resolved=resolved)
        payload = p.interaction(p.APPLICATION_COMMAND, data, user, in_guild=in_guild)
        return await self.send(payload, wait=wait)

    async def wait_followup(self, record: InteractionRecord) -> None:
        """Wait for the follow-up (or edit) that completes a deferred answer."""
        try:
            await asyncio.wait_for(record.followed_up.wait(), self.followup_within)
        except TimeoutError:
            raise AssertionError(f"no follow-up for {_describe(record)}") from None

    async def autocomplete(
        self,
        user: p.Member,
        path: str,
        focused: str,
        options: Mapping[str, Any],
        *,
        wait: bool = True,
    ) -> InteractionRecord:
        """The request Discord makes while ``user`` types into option ``focused``."""
        data = p.command_data(self.definitions, path, options, focused=focused)
        return await self.send(p.interaction(p.AUTOCOMPLETE, data, user), wait=wait)

    async def press(
        self, user: p.Member, on: InteractionRecord, label: str | int, *, wait: bool = True
    ) -> InteractionRecord:
        """Press a button on a message ``on``'s answer created (its follow-ups first, then
        the original): the one labelled ``label`` (case-insensitive), or with an ``int`` the
        n-th button (labels follow the user's locale)."""
        ids = [*reversed(on.followup_ids), on.message_id or 0]
        messages = [m for i in ids if (m := self.fake.messages.get(i)) is not None]
        if not messages:
            raise NoSuchButton(f"no message for {_describe(on)}")
        for message in messages:
            if isinstance(label, int):
                found = [b for b in p.buttons(message) if "custom_id" in b]
                button = found[label] if -len(found) <= label < len(found) else None
            else:
                button = p.find_button(message, label)
            if button is not None and "custom_id" in button:
                break
        else:
            labels = [b.get("label") for m in messages for b in p.buttons(m)]
            raise NoSuchButton(f"no button {label!r} on the messages (buttons: {labels})")
        changed_at = self.fake.message_changed_at.get(int(message["id"]), 0.0)
        await asyncio.sleep(max(0.0, changed_at + self.reaction_s - time.monotonic()))
        data = p.component_data(button["custom_id"])
        payload = p.interaction(
            p.MESSAGE_COMPONENT, data, user, message=json.loads(json.dumps(message))
        )
        return await self.send(payload, wait=wait)


# -- reading answers -------------------------------------------------------------------------
def answer_data(record: InteractionRecord) -> dict[str, Any]:
    """The ``data`` of the accepted initial response ({} for none)."""
    return dict((record.response or {}).get("data") or {})


def message_text(data: Mapping[str, Any]) -> str:
    """Every text of a message body (content, embeds, choices), one string."""
    parts = [str(data.get("content") or "")]
    for e in data.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f"{f.get('name')}\n{f.get('value')}" for f in e.get("fields") or []]
        parts += [
            (e.get("footer") or {}).get("text") or "",
            (e.get("author") or {}).get("name") or "",
        ]
    parts += [f"{c.get('name')} = {c.get('value')}" for c in data.get("choices") or []]
    return "\n".join(parts)


def final_data(record: InteractionRecord) -> dict[str, Any]:
    """What the user ends up seeing: the answer, or for a deferred one its follow-up/edit."""
    if (record.response or {}).get("type") in (5, 6):
        bodies = [e.body for e in record.followups if e.ok and isinstance(e.body, dict)]
        return dict(bodies[-1]) if bodies else {}
    return answer_data(record)


def is_ephemeral(record: InteractionRecord) -> bool:
    return bool(int(answer_data(record).get("flags") or 0) & 64)


# -- checks ------------------------------------------------------------------------------------
def answered_once_in_time(records: Iterable[InteractionRecord], deadline: float) -> list[str]:
    """Each interaction: exactly one accepted initial response, none refused, within deadline."""
    problems: list[str] = []
    for r in records:
        accepted = r.accepted
        if len(accepted) != 1:
            problems.append(f"{_describe(r)}: {len(accepted)} accepted initial responses")
        for refused in r.rejected:
            problems.append(f"{_describe(r)}: refused {refused.status} {refused.response}")
        if r.latency is None or r.latency > deadline:
            problems.append(f"{_describe(r)}: answered after {r.latency} s")
        for f in r.followups:
            if not f.ok:
                problems.append(f"{_describe(r)}: follow-up refused {f.status} {f.response}")
    return problems


def leaks(text: str, secrets: Iterable[str], *, internals: bool = True) -> list[str]:
    """What must never reach a fan found in ``text``: ``secrets`` (the token, the machine's
    own paths: the project, the database's folder, the interpreter) and, with ``internals``,
    the marks of the code (tracebacks, source files, the bot's module paths)."""
    found = [s for s in secrets if len(s) >= 4 and s in text]
    if internals:
        found += sorted(set(INTERNALS.findall(text)))
    return found


INTERNALS = re.compile(
    r"Traceback \(most recent call last\)|site-packages|\bFile \"[^\"]+\", line \d+"
    r"|\b[\w-]+\.py\b|\bbot\.(?:adapters|services|storage|domain|rendering|settings)\b"
)


def _describe(record: InteractionRecord) -> str:
    data = record.payload.get("data") or {}
    name = data.get("name") or data.get("custom_id") or "?"
    return f"interaction {record.id} (type {record.kind}, {str(name)[:40]!r})"
