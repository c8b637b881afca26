"""Found in a red-team pass as users would meet them (2023 fan answers, a live season's admin
commands): each test failed before its fix."""

from __future__ import annotations

from bot.adapters.console.ask import ask, plain
from bot.adapters.console.harness import Harness, User
from tests.helpers import assert_valid, response
from tests.helpers import text_of as raw_text

FAN = User()
FR = User(id=1_200_000_000_000_000_777, name="fan-fr", locale="fr")


def text_of(data) -> str:
    return plain(raw_text(data))


async def _say(harness: Harness, command: str, user: User = FAN) -> str:
    calls = await ask(harness, command, user=user)
    assert_valid(calls)
    return text_of(response(calls))


async def test_final_title_states_the_published_margin_not_a_mid_round_gap(harness: Harness):
    # The 6-point lead was after Paul Ricard race 1, with a race left; the title was won by 24.
    text = await _say(harness, "/title")
    assert "6-point lead with 0 points left" not in text
    assert "Champion: Dorian Boccolacci, 24 points ahead" in text
    rookie = await _say(harness, "/title rookie")
    assert "Champion: Benjamin Paque" in rookie


async def test_after_round_zero_is_refused_not_called_a_complete_record(harness: Harness):
    calls = await ask(harness, "/standings after_round:0", user=FAN)
    assert_valid(calls)
    data = response(calls)
    assert data["flags"] & 64
    assert "after_round must be 1 to 6" in text_of(data)
    assert "complete record" not in text_of(data)


async def test_driver_says_the_sources_conflict_for_every_driver_of_that_race(harness: Harness):
    # Dussolliet's note names the Paul Ricard R1 conflict after other words; Guillot's first.
    for name in ("dussolliet", "guillot"):
        text = await _say(harness, f"/driver {name}")
        assert "the sources conflict on this race: see /race" in text, name


async def test_french_official_outcome_reads_in_french_order(harness: Harness):
    text = await _say(harness, "/driver boullery", FR)
    assert "Officiel : champion Pro-Am" in text
    assert "Officiel : Pro-Am champion" not in text
