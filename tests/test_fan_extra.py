"""/title, /chart, /compare and /next through the real CommandTree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.adapters.console.ask import ask, plain
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import Harness, User
from bot.rendering import chart
from bot.services import seeding
from bot.settings import Settings
from bot.storage import repository
from tests.factories import make_season
from tests.helpers import SEASONS_DIR, assert_valid, response
from tests.helpers import text_of as raw_text

FAN = User()


def text_of(data) -> str:
    return plain(raw_text(data))


async def test_title_2023_after_round_5_uses_the_published_gap(harness: Harness):
    calls = await ask(harness, "/title after_round:5", user=FAN)
    assert_valid(calls)
    text = text_of(response(calls))
    assert "2 races left, up to 27 points each (54 in all)" in text
    assert "Published: Ghiretti led Boccolacci by 2 points after Monza" in text
    assert "unless Dorian Boccolacci outscores him by more than 2 points" in text
    assert "Unknown: the record has no totals" in text
    assert "Champion: Dorian Boccolacci, 24 points ahead" in text


async def test_compare_and_next(harness: Harness):
    text = text_of(response(await ask(harness, "/compare boccolacci ghiretti", user=FAN)))
    assert "Wins: 5 – 2" in text and "Poles: 7 – 1" in text
    text = text_of(response(await ask(harness, "/next", user=FAN)))
    assert "season is over" in text and "/race paul ricard 2" in text
    same = response(await ask(harness, "/compare klein klein", user=FAN))
    assert same["flags"] & 64


async def test_chart_is_deferred_then_sent_with_alt_text(harness: Harness):
    calls = await ask(harness, "/chart", user=FAN)
    assert calls[0].body["type"] == 5  # thinking: rendering happens off the event loop
    follow = calls[1]
    assert follow.method == "POST" and "/webhooks/" in follow.path
    assert follow.body["attachments"][0]["description"].startswith("Line chart of Drivers")
    png = Path(follow.body["files"][0]["path"]).read_bytes()  # noqa: ASYNC240
    assert png.startswith(b"\x89PNG")
    assert follow.body["embeds"][0]["image"]["url"] == "attachment://chart.png"
    # 2023's totals are lower bounds: the chart says they are not positions (issue 10).
    assert "lower bounds, not positions" in follow.body["embeds"][0]["title"]
    assert "lower bounds, not positions" in follow.body["attachments"][0]["description"]


async def test_chart_falls_back_to_text(harness: Harness, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(chart, "render_png", broken)
    calls = await ask(harness, "/chart drivers:boccolacci, ghiretti", user=FAN)
    text = text_of(calls[1].body)
    assert "could not be drawn" in text and "Dorian Boccolacci" in text
    assert "≥219" in text  # a lower bound stays a lower bound


@pytest.fixture
async def future(tmp_path: Path):
    """A fictional season dated next year (so every round is still to come)."""
    db_path = tmp_path / "future.db"
    year = dt.date.today().year + 1
    season = make_season(
        rounds=4, races_per_round=2, entries=6, seed=11, year=year, status="provisional"
    )
    db, _ = await seeding.open_ready(db_path, SEASONS_DIR)
    async with db.transaction() as tx:
        await repository.insert_season(tx, season, "fixture")
    await db.close()
    async with offline(
        Settings(database_path=db_path, seasons_dir=SEASONS_DIR, discord_token=None)
    ) as h:
        yield h


async def test_next_gives_a_countdown(future: Harness):
    text = raw_text(response(await ask(future, "/next", user=FAN)))
    assert "Round 1" in text and ":R>" in text


async def test_title_on_a_complete_record(future: Harness):
    text = text_of(response(await ask(future, "/title after_round:3", user=FAN)))
    assert "2 races left, up to 27 points each (54 in all)" in text
    assert "best case" in text
