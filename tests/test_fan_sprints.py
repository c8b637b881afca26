"""A season whose sprints count neither in the tie-break nor as wins (F1 2023), as fans see it
through the real command tree: the standings' footer, /driver, /compare, /winners, /poles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.console.harness import Harness, User
from bot.storage.seasonfiles import load_season_folder
from tests.helpers import answered, bot_with_season, text_of
from tests.replay import DATA

FAN = User()


@pytest.fixture
async def f1_2023(tmp_path: Path) -> AsyncIterator[Harness]:
    season = load_season_folder(DATA / "f1-2023").season
    async with bot_with_season(tmp_path, season, admin_role=1) as h:
        yield h


async def _text(h: Harness, line: str, user: User = FAN) -> str:
    return text_of(await answered(h, line, user))


async def test_the_standings_footer_says_the_sprints_are_left_out_of_ties_and_wins(
    f1_2023: Harness,
):
    text = await _text(f1_2023, "/standings season:f1 2023")
    assert "and so on (count-back) (sprint places not counted in ties or wins)" in text
    verstappen = next(line for line in text.splitlines() if "Max Verstappen" in line)
    assert "575 pts" in verstappen and "19 wins" in verstappen
    french = await _text(f1_2023, "/standings season:f1 2023", User(locale="fr"))
    assert "(les places en sprint ne comptent ni au départage ni comme victoires)" in french


async def test_driver_and_compare_count_grand_prix_wins_and_podiums(f1_2023: Harness):
    # Verstappen 2023: 19 Grand Prix wins, 21 podiums (and sprint wins on top); Pérez 2, 9.
    text = await _text(f1_2023, "/driver name:Max Verstappen season:f1 2023")
    assert "19 wins · 21 podiums · poles unknown (known results)" in text  # no pole data
    assert "**Austria — race 1 (sprint)** — 1st" in text  # the sprint still listed, marked
    text = await _text(f1_2023, "/compare verstappen pérez season:f1 2023")
    assert "**Wins**: 19 – 2" in text and "**Podiums**: 21 – 9" in text
    assert "**Poles**: ? – ?" in text  # the source gives no pole: not 0 – 0


async def test_winners_lists_the_sprints_and_tallies_grand_prix_wins(f1_2023: Harness):
    text = await _text(f1_2023, "/winners season:f1 2023")
    assert "**Qatar — race 1 (sprint)** — Oscar Piastri" in text
    tally = text[text.index("Tally (not counting sprint races)") :]
    assert "Max Verstappen: 19" in tally and "Oscar Piastri" not in tally
    assert "winner unknown" not in text  # a sprint's winner is known, only not tallied
