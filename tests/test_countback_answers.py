"""Count-back through the real command tree: /standings and /driver give a tie on points the
places count-back gives (tests/test_countback.py holds the rule on the domain).

2099 Fictional Cup, 16 cars, three races. Drivers 05, 02 and 04 end on 40 points, none with a
win: 05 has two 2nd places, 02 one 2nd and a 3rd, 04 neither. Count-back puts them 3rd, 4th
and 5th, which neither the name order (02, 04, 05) nor the later places would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.console.harness import Harness, User
from tests.factories import finish, raced
from tests.helpers import answered, bot_with_season, standings_of, text_of

FAN = User()
SEASON = raced(
    finish({5: 2, 2: 3}, 16),
    finish({5: 2, 2: 13}, 16),
    finish({2: 2}, 16, absent=[5]),
    entries=16,
)


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with bot_with_season(tmp_path, SEASON, admin_role=1) as h:
        yield h


def test_the_domain_table_this_module_relies_on():
    rows = {r.key: r for r in standings_of(SEASON, "drivers").rows}
    assert [(rows[k].position, rows[k].points, rows[k].wins) for k in (5, 2, 4)] == [
        (3, 40, 0),
        (4, 40, 0),
        (5, 40, 0),
    ]


@pytest.mark.parametrize(("driver", "place"), [("05", "3rd"), ("02", "4th"), ("04", "5th")])
async def test_the_driver_page_gives_the_count_back_place(harness: Harness, driver, place):
    data = await answered(harness, f"/driver name:testdriver {driver} season:2099", FAN)
    assert f"Drivers: {place} on 40 pts" in text_of(data)


async def test_the_standings_list_the_tie_in_count_back_order(harness: Harness):
    text = text_of(await answered(harness, "/standings season:2099", FAN))
    at = [text.index(f"Testdriver {d}") for d in ("05", "02", "04")]
    assert at == sorted(at)
    assert "2nd places" in text  # the footer says the tie-break
