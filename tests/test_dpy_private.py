"""The private discord.py names in ``bot/adapters/dpy_private.py`` still exist and still mean
what the harness and the runner rely on. Fails loudly on a discord.py upgrade: read that
module against the new discord.py, then raise ``AUDITED_VERSION`` (and the pin in
``pyproject.toml``)."""

from __future__ import annotations

import inspect

import discord
from discord import app_commands
from discord.state import ConnectionState
from discord.ui.view import ViewStore
from discord.webhook import async_ as webhook_async

from bot.adapters import dpy_private


def test_discord_py_is_the_audited_version():
    installed = tuple(discord.version_info[:2])
    assert installed == dpy_private.AUDITED_VERSION, (
        f"discord.py {discord.__version__} is installed but bot/adapters/dpy_private.py was "
        f"audited for {dpy_private.AUDITED_VERSION}: check every private name it uses"
    )


def test_the_private_names_exist():
    assert inspect.iscoroutinefunction(discord.Client._async_setup_hook)
    options = inspect.signature(app_commands.CommandTree._get_app_command_options).parameters
    assert list(options) == ["self", "data"]
    for name in ("parse_interaction_create", "_add_guild"):
        assert callable(getattr(ConnectionState, name, None)), name
    assert "self._view_store: ViewStore = ViewStore(self)" in inspect.getsource(ConnectionState)
    store_init = inspect.getsource(ViewStore.__init__)
    assert "self._views" in store_init and "_synced_message_views" in store_init
    assert isinstance(webhook_async.async_context.get(), webhook_async.AsyncWebhookAdapter)
    params = inspect.signature(webhook_async.AsyncWebhookAdapter.request).parameters
    assert {"route", "session", "payload", "multipart", "files"} <= set(params)
    route = discord.http.Route(
        "POST", "/webhooks/{webhook_id}/{webhook_token}", webhook_id=1, webhook_token="t"
    )
    assert route.url == discord.http.Route.BASE + "/webhooks/1/t"
    assert (route.method, route.webhook_id, route.webhook_token) == ("POST", 1, "t")
    assert discord.http.Route.BASE.startswith("https://discord.com/api/")
    assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY).startswith("wss://")


def test_the_answer_task_names():
    tree_source = inspect.getsource(app_commands.CommandTree._from_interaction)
    assert "name='CommandTree-invoker'" in tree_source
    view_source = inspect.getsource(discord.ui.view)
    assert "discord-ui-view-dispatch-" in view_source
    assert dpy_private.ANSWER_TASK_PREFIXES == ("CommandTree-invoker", "discord-ui-view-dispatch")
