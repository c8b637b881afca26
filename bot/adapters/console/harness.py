"""Run the real bot's command tree with no Discord: interactions in, recorded payloads out.

A real ``discord.Interaction`` is built from an INTERACTION_CREATE payload and dispatched
through the same handler the gateway uses, so commands, autocomplete and button presses take
the bot's own path. Replies, which discord.py sends through its webhook adapter, go to a
recording adapter that answers as Discord would. The discord.py internals this needs are all
in :mod:`bot.adapters.dpy_private`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord

from bot.adapters import dpy_private
from bot.adapters.dpy_private import AsyncWebhookAdapter, Route

APPLICATION_ID = 1_100_000_000_000_000_001
GUILD_ID = 1_100_000_000_000_000_002
CHANNEL_ID = 1_100_000_000_000_000_003
BOT_USER_ID = APPLICATION_ID
ADMIN_PERMISSIONS = discord.Permissions.all().value
MEMBER_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, use_application_commands=True, read_message_history=True
).value

_ids = itertools.count(1_200_000_000_000_000_000)


def snowflake() -> int:
    return next(_ids)


@dataclass
class Call:
    method: str
    path: str
    body: Any

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "body": self.body}


@dataclass
class RecordingAdapter(AsyncWebhookAdapter):
    """Records every request discord.py makes for interactions and answers like Discord."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    originals: dict[str, int] = field(default_factory=dict)  # token -> original message id

    def __post_init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    async def request(
        self,
        route: Route,
        session: Any,
        *,
        payload: dict[str, Any] | None = None,
        multipart: list[dict[str, Any]] | None = None,
        files: Any = None,
        **_: Any,
    ) -> Any:
        body: Any = payload
        if multipart:
            for part in multipart:
                if part.get("name") == "payload_json":
                    body = json.loads(part["value"])
            saved = [self._save(f) for f in files or ()]
            if isinstance(body, dict) and saved:
                body = {**body, "files": saved}
        path = route.url[len(Route.BASE) :] if route.url.startswith(Route.BASE) else route.url
        self.calls.append(Call(route.method, path, body))
        token = str(route.webhook_token or "")
        if path.endswith("/callback"):
            return self._callback(route, token, body or {})
        if route.method == "PATCH" and path.endswith("/messages/@original"):
            return self._edit(self.originals.get(token), body or {})
        if route.method == "GET" and path.endswith("/messages/@original"):
            return self.messages.get(self.originals.get(token, 0))
        if route.method == "POST" and "/webhooks/" in path:
            return self._new_message(body or {})
        if route.method == "PATCH" and "/messages/" in path:
            return self._edit(int(path.rsplit("/", 1)[-1]), body or {})
        return None

    def _save(self, file: Any) -> dict[str, Any]:
        """Keep an uploaded file (a chart) where the console can show its path."""
        folder = Path(tempfile.gettempdir()) / "parcferme"
        folder.mkdir(exist_ok=True)
        file.reset()
        data = file.fp.read()
        path = folder / f"{snowflake()}-{file.filename}"
        path.write_bytes(data)
        return {
            "filename": file.filename,
            "path": str(path),
            "bytes": len(data),
            "description": file.description,
        }

    def _new_message(self, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": str(CHANNEL_ID),
            "type": 0,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [],
            "author": {
                "id": str(BOT_USER_ID),
                "username": "Parc Fermé",
                "discriminator": "0",
                "avatar": None,
                "global_name": None,
                "bot": True,
            },
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": dt.datetime.now(dt.UTC).isoformat(),
            "edited_timestamp": None,
            "flags": body.get("flags") or 0,
        }
        self.messages[int(message["id"])] = message
        return message

    def _edit(self, message_id: int | None, body: dict[str, Any]) -> dict[str, Any] | None:
        message = self.messages.get(message_id or 0)
        if message is None:
            return None
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        message["edited_timestamp"] = dt.datetime.now(dt.UTC).isoformat()
        return message

    def _callback(self, route: Route, token: str, body: dict[str, Any]) -> dict[str, Any]:
        kind = body.get("type")
        data = body.get("data") or {}
        interaction: dict[str, Any] = {"id": str(route.webhook_id), "type": 2}
        resource: dict[str, Any] | None = {"type": kind}
        if kind in (4, 5):  # a message, or "thinking"
            message = self._new_message(data)
            self.originals[token] = int(message["id"])
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = kind == 5
            interaction["response_message_ephemeral"] = bool((data.get("flags") or 0) & 64)
            resource = {"type": kind, "message": message}
        elif kind == 7:  # update the message a component belongs to
            origin = self.originals.get(token)
            edited = self._edit(origin, data) if origin else None
            resource = {"type": kind, "message": edited} if edited else None
        else:
            resource = None
        return {"interaction": interaction, "resource": resource}


@dataclass(frozen=True, slots=True)
class User:
    id: int = 1_300_000_000_000_000_001
    name: str = "console"
    admin: bool = False
    roles: tuple[int, ...] = ()
    locale: str = "en-US"


def user_payload(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "username": user.name,
        "discriminator": "0",
        "avatar": None,
        "global_name": user.name,
    }


def interaction_payload(
    kind: int, data: dict[str, Any], user: User, *, message: dict[str, Any] | None = None
) -> dict[str, Any]:
    permissions = ADMIN_PERMISSIONS if user.admin else MEMBER_PERMISSIONS
    payload: dict[str, Any] = {
        "id": str(snowflake()),
        "application_id": str(APPLICATION_ID),
        "type": kind,
        "token": f"token-{snowflake()}",
        "version": 1,
        "data": data,
        "guild_id": str(GUILD_ID),
        "channel_id": str(CHANNEL_ID),
        "channel": {
            "id": str(CHANNEL_ID),
            "type": 0,
            "guild_id": str(GUILD_ID),
            "name": "paddock",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        },
        "member": {
            "user": user_payload(user),
            "roles": [str(r) for r in user.roles],
            "permissions": str(permissions),
            "joined_at": "2023-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
        },
        "locale": user.locale,
        "guild_locale": "en-US",
        "app_permissions": str(discord.Permissions.all().value),
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
    }
    if message is not None:
        payload["message"] = message
    return payload


class Harness:
    """Dispatches interaction payloads into a bot that never connects, and records replies."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self.adapter = RecordingAdapter()

    async def start(self) -> None:
        client = self.client
        await dpy_private.prepare_offline(
            client,
            APPLICATION_ID,
            {
                "id": str(BOT_USER_ID),
                "username": "Parc Fermé",
                "discriminator": "0",
                "avatar": None,
                "global_name": None,
                "bot": True,
                "verified": True,
                "mfa_enabled": False,
                "flags": 0,
            },
        )
        self._add_guild()
        await client.setup_hook()

    def _add_guild(self) -> None:
        """The console's server as the gateway would have announced it: its roles known, so
        ``Member.roles`` resolves the admin roles as it does on Discord."""
        settings = getattr(self.client, "settings", None)
        role_ids = [GUILD_ID, *getattr(settings, "admin_role_ids", ())]
        roles = [
            {
                "id": str(rid),
                "name": "@everyone" if rid == GUILD_ID else f"role-{rid}",
                "permissions": str(MEMBER_PERMISSIONS),
                "position": n,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
            for n, rid in enumerate(role_ids)
        ]
        data = {"id": str(GUILD_ID), "name": "console", "roles": roles, "owner_id": "0"}
        dpy_private.add_guild(self.client, data)

    async def dispatch(self, payload: dict[str, Any]) -> list[Call]:
        """Send one interaction the way the gateway does; wait for what the bot does with it."""
        first = len(self.adapter.calls)
        if isinstance(payload.get("message"), dict):
            # A component's interaction answers on the message it belongs to (as Discord).
            self.adapter.originals[str(payload["token"])] = int(payload["message"]["id"])
        with dpy_private.recording_to(self.adapter):
            dpy_private.feed_interaction(self.client, payload)
        await self.settle()
        return self.adapter.calls[first:]

    async def settle(self) -> None:
        """Wait until every answer in progress is done (and those they started)."""
        current = asyncio.current_task()
        while True:
            pending = dpy_private.answer_tasks(exclude=current) + [
                t
                for t in asyncio.all_tasks()
                if t is not current and not t.done() and t.get_name().startswith("parcferme-")
            ]
            if not pending:
                return
            await asyncio.gather(*pending, return_exceptions=True)

    def stop_views(self) -> None:
        """Stop every view still waiting for a press."""
        for view in dpy_private.open_views(self.client):
            if not view.is_finished():
                view.stop()

    async def close(self) -> None:
        """Stop waiting views (their timeouts would otherwise outlive the harness)."""
        self.stop_views()
