"""Dropped scores shown to fans, through the real command tree: F1 1988 (best 11 of 16).

/standings brackets each driver's dropped scores and its footer says the rule; /driver
brackets the races whose points do not count and says how many points each lost.
"""

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
async def f1_1988(tmp_path: Path) -> AsyncIterator[Harness]:
    async with bot_with_season(tmp_path, load_season_folder(DATA / "f1-1988").season, 1) as h:
        yield h


@pytest.fixture
async def f1_1967(tmp_path: Path) -> AsyncIterator[Harness]:
    async with bot_with_season(tmp_path, load_season_folder(DATA / "f1-1967").season, 1) as h:
        yield h


async def _text(h: Harness, line: str, user: User = FAN) -> str:
    return text_of(await answered(h, line, user))


async def test_standings_bracket_the_dropped_scores_and_say_the_rule(f1_1988: Harness):
    text = await _text(f1_1988, "/standings season:1988")
    lines = text.splitlines()
    senna = next(line for line in lines if "Ayrton Senna" in line)
    prost = next(line for line in lines if "Alain Prost" in line)
    # Senna scored 94 and counts 90: a 6th (1) and a 4th (3) dropped, in race order; his
    # retirements (0 points) are not shown. Prost scored 105, counts 87: three 2nd places.
    assert "90 pts" in senna and "dropped [1] [3]" in senna
    assert "87 pts" in prost and "dropped [6] [6] [6]" in prost
    assert "best 11 results count" in text
    # A driver who lost nothing shows no bracket.
    assert "dropped" not in next(line for line in lines if "Thierry Boutsen" in line)


async def test_standings_footer_in_french(f1_1988: Harness):
    text = await _text(f1_1988, "/standings season:1988", User(locale="fr"))
    assert "les 11 meilleurs résultats comptent" in text
    assert "retirés [6] [6] [6]" in text


async def test_driver_brackets_the_races_that_do_not_count(f1_1988: Harness):
    text = await _text(f1_1988, "/driver name:alain prost season:1988")
    dropped = [line for line in text.splitlines() if "dropped" in line and "—" in line]
    assert len(dropped) == 3
    assert all("[2nd]" in line and "(6 pts dropped)" in line for line in dropped)
    assert "Drivers: 2nd on 87 pts (best 11 results count)" in text
    # A counted race is not bracketed.
    assert any("— 1st" in line for line in text.splitlines())


async def test_a_season_split_in_two_parts_says_so(f1_1967: Harness):
    text = await _text(f1_1967, "/standings season:1967")
    assert "best 5 of races 1-6 + best 4 of races 7-11 count" in text
    brabham = next(line for line in text.splitlines() if "Jack Brabham" in line)
    assert "46 pts" in brabham and "dropped [2]" in brabham
