"""Every private discord.py name Parc Fermé touches, in one place (audited for discord.py 2.7).

The bot itself uses discord.py's public API, with one exception: the command tree's guard
against option values of the wrong type reads a command's raw options (:func:`command_options`).
Two things need more:

* the console harness (``bot/adapters/console/harness.py``), which runs the real command tree
  with no gateway: it prepares a client that never logs in, feeds it INTERACTION_CREATE
  payloads the way the gateway does, records what discord.py sends through its webhook
  adapter, and knows which tasks carry an answer;
* the Discord runner when ``PARCFERME_API_BASE_URL`` points it at a stand-in of Discord
  (the end-to-end tests): discord.py has no setting for the API's or the gateway's address.

``tests/test_dpy_private.py`` checks every name used here against the installed discord.py
and fails loudly on an upgrade (``pyproject.toml`` pins discord.py below 2.8 for this reason).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

import discord
import yarl
from discord.http import Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

#: The discord.py minor version these names were checked against.
AUDITED_VERSION = (2, 7)

#: Tasks discord.py creates to run an answer: a command (or autocomplete) and a component's
#: callback. Their names are not API; the harness waits for them to know an answer is done.
ANSWER_TASK_PREFIXES = ("CommandTree-invoker", "discord-ui-view-dispatch")

__all__ = [
    "ANSWER_TASK_PREFIXES",
    "AUDITED_VERSION",
    "AsyncWebhookAdapter",
    "Route",
    "add_guild",
    "answer_tasks",
    "command_options",
    "feed_interaction",
    "open_views",
    "point_at",
    "prepare_offline",
    "recording_to",
    "use_gateway",
]


async def prepare_offline(
    client: discord.Client, application_id: int, user: dict[str, Any]
) -> None:
    """What ``login`` would set up, without a network: the loop hooks, the application id
    and the bot's own user (interactions need both)."""
    await client._async_setup_hook()
    state = client._connection
    state.application_id = application_id
    state.user = discord.ClientUser(state=state, data=user)  # type: ignore[arg-type]


def add_guild(client: discord.Client, data: dict[str, Any]) -> None:
    """A guild as the gateway's GUILD_CREATE would announce it (so roles resolve)."""
    state = client._connection
    state._add_guild(discord.Guild(data=data, state=state))  # type: ignore[arg-type]


def feed_interaction(client: discord.Client, payload: dict[str, Any]) -> None:
    """Dispatch one INTERACTION_CREATE payload through the gateway's own handler."""
    client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]


@contextlib.contextmanager
def recording_to(adapter: AsyncWebhookAdapter) -> Iterator[None]:
    """Send what interactions answer through ``adapter`` instead of HTTP, while active
    (tasks created meanwhile keep it: they copy the context)."""
    token = async_context.set(adapter)
    try:
        yield
    finally:
        async_context.reset(token)


def answer_tasks(exclude: asyncio.Task[Any] | None = None) -> list[asyncio.Task[Any]]:
    """The unfinished tasks that are answering an interaction (see ANSWER_TASK_PREFIXES)."""
    return [
        t
        for t in asyncio.all_tasks()
        if t is not exclude and not t.done() and t.get_name().startswith(ANSWER_TASK_PREFIXES)
    ]


def open_views(client: discord.Client) -> list[discord.ui.View]:
    """Every view still waiting for a press (discord.py keeps them in its view store)."""
    store = client._connection._view_store
    views: list[Any] = [
        item.view for items in store._views.values() for item in items.values() if item.view
    ]
    views += list(getattr(store, "_synced_message_views", {}).values())
    return list({id(v): v for v in views}.values())


def point_at(api_base_url: str) -> None:
    """Send REST calls to ``api_base_url`` instead of discord.com (a stand-in of Discord).

    The gateway's address is asked of that API once logged in: see :func:`use_gateway`.
    """
    Route.BASE = api_base_url.rstrip("/")


def use_gateway(url: str) -> None:
    """Connect to this gateway instead of wss://gateway.discord.gg (a stand-in's)."""
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


def command_options(tree: discord.app_commands.CommandTree[Any], data: Any) -> tuple[Any, Any]:
    """The command an APPLICATION_COMMAND payload names and its raw options (the tree's
    option-type guard checks them before discord.py converts them)."""
    command, options = tree._get_app_command_options(data)
    return command, options
