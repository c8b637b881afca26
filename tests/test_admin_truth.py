"""Admin previews on the incomplete 2023 record: lower bounds stay lower bounds (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.adapters.console.ask import ask
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import User
from bot.settings import Settings
from tests.helpers import SEASONS_DIR, assert_valid, text_of

ADMIN = User(id=1_300_000_000_000_000_100, name="steward", admin=True)
ROLE = 1_400_000_000_000_000_001


@pytest.fixture
async def harness(tmp_path: Path):
    settings = Settings(
        database_path=tmp_path / "admin.db",
        seasons_dir=SEASONS_DIR,
        discord_token=None,
        admin_role_ids=[ROLE],
        backup_dir=tmp_path / "backups",
    )
    async with offline(settings) as h:
        yield h


async def test_a_preview_shows_lower_bounds_without_ranks(harness):
    calls = await ask(
        harness,
        '/penalty add driver:Benjamin Paque race:monza 1 type:points reason:"test" value:10',
        user=ADMIN,
    )
    assert_valid(calls)
    text = text_of(calls[0].body["data"])
    assert "Benjamin Paque: ≥101 → ≥91 pts" in text
    # No place moves are claimed from lower bounds ("4th → 5th").
    assert not re.search(r"\d(st|nd|rd|th) → \d+(st|nd|rd|th) \(", text)


async def test_a_preview_marks_inferred_places(harness):
    calls = await ask(
        harness,
        "/result set race:magny-cours 1 driver:Louis Perrot position:6",
        user=ADMIN,
    )
    assert_valid(calls)
    # Perrot's 5th there is only inferred (from the wording of the official report).
    text = text_of(calls[0].body["data"])
    assert "Louis Perrot: 5thⁱ (Pro 5th) → 6th" in text
    assert "Louis Perrot: ≥38 → ≥36 pts" in text
