"""The JSON Discord sends: ids, users, members, the guild, and INTERACTION_CREATE payloads.

Everything here is plain data in Discord's shapes (API v10), built without the bot's code, so
the end-to-end tests drive the bot the way Discord's clients and gateway do.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

APPLICATION_ID = 1_150_000_000_000_000_001
BOT_USER_ID = APPLICATION_ID
GUILD_ID = 1_150_000_000_000_000_002
CHANNEL_ID = 1_150_000_000_000_000_003
ANNOUNCE_CHANNEL_ID = 1_150_000_000_000_000_004
ADMIN_ROLE_ID = 1_150_000_000_000_000_005
STEWARD_ROLE_ID = 1_150_000_000_000_000_006
OWNER_ID = 1_150_000_000_000_000_007

# Discord's permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 53) - 1
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS

# Interaction types and option types.
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN = 1, 2, 3, 4, 5
USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 6, 7, 8, 9, 10, 11

_counter = itertools.count(1)


def snowflake() -> int:
    """A new, increasing id with the current time in it, as Discord makes them."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def bot_user() -> dict[str, Any]:
    return {
        "id": str(BOT_USER_ID),
        "username": "Parc Fermé",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": True,
        "verified": True,
        "mfa_enabled": False,
        "flags": 0,
        "public_flags": 0,
    }


def application() -> dict[str, Any]:
    """``GET /oauth2/applications/@me``."""
    return {
        "id": str(APPLICATION_ID),
        "name": "Parc Fermé",
        "icon": None,
        "description": "",
        "rpc_origins": [],
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": {
            "id": str(OWNER_ID),
            "username": "owner",
            "discriminator": "0",
            "global_name": "Owner",
            "avatar": None,
        },
        "summary": "",
        "verify_key": "0" * 64,
        "team": None,
        "flags": 0,
        "interactions_endpoint_url": None,
        "bot": bot_user(),
    }


@dataclass(frozen=True, slots=True)
class Member:
    """Who presses: a guild member (or, with ``guild=False`` in the builders, a DM user)."""

    id: int
    name: str
    locale: str = "en-US"
    roles: tuple[int, ...] = ()
    permissions: int = MEMBER_PERMISSIONS

    @property
    def is_admin(self) -> bool:
        return bool(self.permissions & (ADMINISTRATOR | MANAGE_GUILD))

    def user(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.name,
            "avatar": None,
            "public_flags": 0,
        }

    def member(self) -> dict[str, Any]:
        return {
            "user": self.user(),
            "roles": [str(r) for r in self.roles],
            "permissions": str(self.permissions),
            "joined_at": "2023-01-01T00:00:00+00:00",
            "nick": None,
            "avatar": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
        }


def admin(member_id: int, name: str = "admin", **kwargs: Any) -> Member:
    """A server administrator (all permissions)."""
    return Member(member_id, name, permissions=ALL_PERMISSIONS, **kwargs)


def role(role_id: int, name: str, permissions: int, position: int) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def text_channel(channel_id: int, name: str, position: int) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


CHANNELS = {
    CHANNEL_ID: text_channel(CHANNEL_ID, "paddock", 0),
    ANNOUNCE_CHANNEL_ID: text_channel(ANNOUNCE_CHANNEL_ID, "stewards-decisions", 1),
}


def guild() -> dict[str, Any]:
    """The GUILD_CREATE of the one server the bot is in."""
    return {
        "id": str(GUILD_ID),
        "name": "Carrera Cup Paddock",
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(OWNER_ID),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [
            role(GUILD_ID, "@everyone", MEMBER_PERMISSIONS, 0),
            role(STEWARD_ROLE_ID, "Stewards", MEMBER_PERMISSIONS, 1),
            role(ADMIN_ROLE_ID, "Admins", ALL_PERMISSIONS, 2),
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "joined_at": "2023-01-01T00:00:00+00:00",
        "large": False,
        "unavailable": False,
        "member_count": 4,
        "voice_states": [],
        "members": [],
        "channels": list(CHANNELS.values()),
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


# -- application command data --------------------------------------------------------------
Definitions = Mapping[str, Mapping[str, Any]]  # command name -> definition (as synced)


def definitions_by_name(definitions: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {d["name"]: d for d in definitions}


def command_data(
    definitions: Definitions,
    path: str,
    options: Mapping[str, Any] | None = None,
    *,
    focused: str | None = None,
    resolved: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``data`` of an APPLICATION_COMMAND (or AUTOCOMPLETE) interaction, as a client sends.

    ``path`` is ``"race"`` or ``"penalty add"``; ``options`` maps option names to values (typed
    by the definition: an unknown name is a test bug and raises ``KeyError``). ``focused`` marks
    the option being typed for an autocomplete interaction (its value is sent as typed, a
    string). ``resolved`` is the interaction's ``resolved`` map (attachments, users …).
    """
    names = path.split()
    definition = definitions[names[0]]
    data: dict[str, Any] = {
        "id": str(definition.get("id") or _stable_id(names[0])),
        "name": names[0],
        "type": 1,
        "guild_id": str(GUILD_ID),
    }
    node: Mapping[str, Any] = definition
    container: list[dict[str, Any]] = []
    data["options"] = container
    for sub in names[1:]:
        node = next(o for o in node.get("options", []) if o["name"] == sub)
        inner: list[dict[str, Any]] = []
        container.append({"type": node["type"], "name": sub, "options": inner})
        container = inner
    by_name = {o["name"]: o for o in node.get("options", [])}
    for name, value in (options or {}).items():
        kind = by_name[name]["type"]
        option: dict[str, Any] = {"type": kind, "name": name, "value": value}
        if name == focused:
            option["focused"] = True
            option["value"] = str(value)
        container.append(option)
    if resolved:
        data["resolved"] = dict(resolved)
    if not data["options"]:
        del data["options"]
    return data


def _stable_id(name: str) -> int:
    digest: int = sum(ord(c) * 31**i for i, c in enumerate(name)) % 10**15
    return 1_160_000_000_000_000_000 + digest


def attachment(
    attachment_id: int, filename: str, url: str, size: int, content_type: str
) -> dict[str, Any]:
    """One entry of ``resolved.attachments`` (the fake serves ``url``)."""
    return {
        "id": str(attachment_id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
        "ephemeral": True,
    }


def resolved_attachments(*attachments: Mapping[str, Any]) -> dict[str, Any]:
    """The ``resolved`` map for attachment options: pass each attachment's ``id`` as the
    option's value (``command_data(..., {"file": a["id"]}, resolved=...)``)."""
    return {"attachments": {a["id"]: dict(a) for a in attachments}}


# -- INTERACTION_CREATE ------------------------------------------------------------------------
@dataclass
class InteractionSpec:
    """What the test wants to send; ``build`` turns it into the gateway payload."""

    kind: int
    data: dict[str, Any]
    user: Member
    in_guild: bool = True
    message: dict[str, Any] | None = None
    locale: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def build(self) -> dict[str, Any]:
        return interaction(
            self.kind,
            self.data,
            self.user,
            in_guild=self.in_guild,
            message=self.message,
            locale=self.locale,
            **self.extra,
        )


def interaction(
    kind: int,
    data: Mapping[str, Any],
    user: Member,
    *,
    in_guild: bool = True,
    message: Mapping[str, Any] | None = None,
    locale: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An INTERACTION_CREATE ``d`` with a fresh id and token."""
    interaction_id = snowflake()
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APPLICATION_ID),
        "type": kind,
        "token": f"aW50ZXJhY3Rpb246{interaction_id}:{snowflake():x}",
        "version": 1,
        "data": dict(data),
        "locale": locale or user.locale,
        "app_permissions": str(ALL_PERMISSIONS),
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if in_guild:
        payload |= {
            "guild_id": str(GUILD_ID),
            "guild": {"id": str(GUILD_ID), "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "channel_id": str(CHANNEL_ID),
            "channel": CHANNELS[CHANNEL_ID],
            "member": user.member(),
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
        }
    else:
        dm_id = 1_170_000_000_000_000_000 + user.id % 10**15
        payload |= {
            "channel_id": str(dm_id),
            "channel": {"id": str(dm_id), "type": 1, "recipients": [user.user()], "flags": 0},
            "user": user.user(),
            "authorizing_integration_owners": {"1": str(user.id)},
            "context": 1,
        }
    if message is not None:
        payload["message"] = dict(message)
    payload.update(extra)
    return payload


def component_data(
    custom_id: str, component_type: int = 2, values: list[str] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
    if values is not None:
        data["values"] = values
    return data


def buttons(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every button on a message (in rows, or at the top level of a components-v2 layout)."""
    found: list[dict[str, Any]] = []

    def walk(components: Iterable[Mapping[str, Any]]) -> None:
        for comp in components:
            if comp.get("type") == 2:
                found.append(dict(comp))
            walk(comp.get("components") or [])
            if isinstance(comp.get("accessory"), Mapping):
                walk([comp["accessory"]])

    walk(message.get("components") or [])
    return found


def find_button(message: Mapping[str, Any], label: str) -> dict[str, Any] | None:
    for button in buttons(message):
        if str(button.get("label", "")).casefold() == label.casefold():
            return button
    return None
