"""Helpers the test modules share (fixtures live in ``conftest.py``): paths, settings, reading
what the bot sent, and the championship engine called directly on a fictional season."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.adapters.console.ask import ask, find_button
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import Call, Harness, User, interaction_payload
from bot.domain.classification import RaceClassification, classify_race
from bot.domain.models import Season
from bot.domain.standings import Standings, compute_standings
from bot.rendering.limits import payload_problems
from bot.services import seeding
from bot.services.championship import ChampionshipService
from bot.settings import DEFAULT_DATA_DIR, Settings
from bot.storage import repository
from bot.storage.database import Database

SEASONS_DIR = DEFAULT_DATA_DIR / "seasons"


def settings_for(db_path: Path, **overrides: Any) -> Settings:
    """Settings for a bot on this database file, with the embedded seasons and no token."""
    return Settings(database_path=db_path, seasons_dir=SEASONS_DIR, discord_token=None, **overrides)


# -- what the bot sent -------------------------------------------------------------------------
def response(calls: list[Call]) -> dict[str, Any]:
    """The first response's message data (type 4)."""
    first = calls[0]
    assert first.method == "POST" and first.path.endswith("/callback")
    assert first.body["type"] == 4, first.body
    return first.body["data"]  # type: ignore[no-any-return]


def text_of(data: dict[str, Any]) -> str:
    """Every text of a message: content, embed titles, descriptions, fields and footers."""
    parts = [data.get("content") or ""]
    for e in data.get("embeds", []):
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f["name"] + "\n" + f["value"] for f in e.get("fields", [])]
        parts.append((e.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def assert_valid(calls: list[Call]) -> None:
    """Answered exactly once, within Discord's limits, with mentions off."""
    assert calls, "the bot sent nothing"
    callbacks = [c for c in calls if c.path.endswith("/callback")]
    assert len(callbacks) == 1, "an interaction is answered exactly once"
    for c in calls:
        if isinstance(c.body, dict):
            assert payload_problems(c.body) == [], c.body
            data = c.body.get("data", c.body) if "type" in c.body else c.body
            if isinstance(data, dict) and (data.get("embeds") or data.get("content")):
                assert data.get("allowed_mentions", {}).get("parse") == [], "mentions must be off"


async def answered(harness: Harness, line: str, user: User) -> dict[str, Any]:
    """The answer's message data to a command typed as a fan would, checked valid."""
    calls = await ask(harness, line, user=user)
    assert_valid(calls)
    return response(calls)


# -- the engine, without any service ----------------------------------------------------------
def classified(season: Season) -> dict[int, RaceClassification]:
    """Every race of ``season`` classified by the domain, by session id."""
    entries = {e.id: e for e in season.entries}
    return {
        s.id: classify_race(
            s,
            [r for r in season.results if r.session_id == s.id],
            [p for p in season.penalties if p.session_id == s.id],
            entries,
        )
        for s in season.races
    }


def standings_of(season: Season, slug: str, after_round: int | None = None) -> Standings:
    """One championship's standings, computed by the domain from the season's races."""
    champ = season.championship(slug)
    assert champ is not None, slug
    return compute_standings(season, champ, classified(season), after_round)


def outcome(calls: list[Call]) -> dict[str, Any]:
    """What the admin ends up seeing after a press: a Confirm answers at once (a deferred
    update) and then edits the preview or follows up; other presses answer directly."""
    for call in reversed(calls):
        body = call.body if isinstance(call.body, dict) else {}
        if call.path.endswith("/callback"):
            if body.get("type") in (4, 7):
                return dict(body["data"])
            continue
        if call.method in ("PATCH", "POST") and "/webhooks/" in call.path:
            return dict(body)
    return {}


async def press(harness: Harness, calls: list[Call], label: str, user: User) -> list[Call]:
    """Press a button (by its label) on the latest reply that has it, as ``user``."""
    button = find_button(calls, harness, label)
    assert button is not None, f"no {label} button"
    data = {"custom_id": button["custom_id"], "component_type": 2}
    return await harness.dispatch(interaction_payload(3, data, user, message=button["message"]))


async def press_own(harness: Harness, calls: list[Call], label: str, user: User) -> list[Call]:
    """Press ``label`` on the preview these calls answered with (not just the latest one);
    only this press's own calls come back (presses at the same moment record side by side)."""
    components = calls[0].body["data"]["components"]
    custom_id = next(
        c["custom_id"]
        for row in components
        for c in row["components"]
        if str(c.get("label", "")).lower() == label.lower()
    )
    message = next(
        m
        for m in harness.adapter.messages.values()
        if any(c.get("custom_id") == custom_id for r in m["components"] for c in r["components"])
    )
    data = {"custom_id": custom_id, "component_type": 2}
    payload = interaction_payload(3, data, user, message=message)
    return [c for c in await harness.dispatch(payload) if str(payload["token"]) in c.path]


def hold_write_lock(path: Path, seconds: float, started: threading.Event) -> None:
    """Another process's connection holds the write lock (``BEGIN IMMEDIATE``) ``seconds``."""
    con = sqlite3.connect(path, timeout=5)
    try:
        con.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        con.rollback()
    finally:
        con.close()


@contextlib.asynccontextmanager
async def bot_with_season(
    tmp_path: Path, season: Season, admin_role: int, **overrides: Any
) -> AsyncIterator[Harness]:
    """A bot (console harness) on a new database: the seeded seasons and ``season``."""
    db_path = tmp_path / "admin.db"
    db, _ = await seeding.open_ready(db_path, SEASONS_DIR)
    async with db.transaction() as tx:
        await repository.insert_season(tx, season, "fixture")
    await db.close()
    settings = settings_for(
        db_path, admin_role_ids=[admin_role], backup_dir=tmp_path / "backups", **overrides
    )
    async with offline(settings) as harness:
        yield harness


@contextlib.asynccontextmanager
async def service_with_season(
    path: Path, season: Season
) -> AsyncIterator[tuple[ChampionshipService, int]]:
    """``season`` alone in a new SQLite file at ``path``, and the service reading it (with the
    season's id): the admin path driven without Discord."""
    db = await Database.open(path)
    try:
        async with db.transaction() as tx:
            season_id = await repository.insert_season(tx, season, path.stem)
        service = ChampionshipService(db)
        await service.load()
        yield service, season_id
    finally:
        await db.close()


# -- the command line as a process ------------------------------------------------------------
def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``parcferme ARGS`` as a real process, on a database file in ``tmp_path``."""
    env = {
        **os.environ,
        "PARCFERME_DATABASE_PATH": str(tmp_path / "console.db"),
        "PARCFERME_DISCORD_TOKEN": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
