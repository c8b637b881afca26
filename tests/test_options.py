"""The season, round, race, driver and championship options (adapters/discord/options.py)
through the real command tree: what their autocomplete offers they accept, they resolve in the
season the command names, and a name that is unknown or ambiguous is answered with names to try."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.console.ask import ask, autocomplete, is_error
from bot.adapters.console.harness import Harness, User
from tests.helpers import text_of
from tests.live_season_scenario import steps_round, steps_setup
from tests.test_live_season import ADMIN, FAN, live, run  # noqa: F401  (live is a fixture)

FRENCH_FAN = User(id=FAN.id, name=FAN.name, locale="fr")


@pytest.fixture
async def season(live: Harness, tmp_path: Path) -> Harness:  # noqa: F811
    """2023 seeded, and the 2031 Vortex Trophy built up to its first round (fans' default)."""
    await run(live, steps_setup(), tmp_path)
    await run(live, steps_round(1), tmp_path)
    return live


async def answer(harness: Harness, line: str, user: User = FAN) -> tuple[bool, str]:
    calls = await ask(harness, line, user=user)
    assert calls, line
    return is_error(calls), text_of(calls[0].body.get("data") or {}).strip()


NOT_FOUND = ("No circuit called", "No driver called", "No season", "No championship", "several")

# (command line with the option last and empty, the option, the command run with a choice)
PICKS = [
    ("/race circuit:", "circuit", "/race circuit:{v} number:1", FAN),
    ("/race season:2023 circuit:", "circuit", "/race season:2023 circuit:{v} number:1", FAN),
    ("/penalties race:", "race", "/penalties race:{v}", FAN),
    ("/driver name:", "name", "/driver name:{v}", FAN),
    ("/driver season:2023 name:", "name", "/driver season:2023 name:{v}", FAN),
    ("/standings championship:", "championship", "/standings championship:{v}", FAN),
    ("/calendar season:", "season", "/calendar season:{v}", FAN),
    (
        "/penalty add race:",
        "race",
        '/penalty add driver:"Vortex Driver 01" race:{v} type:dsq reason:"x"',
        ADMIN,
    ),
    ("/result set driver:", "driver", '/result set race:"monza 1" driver:{v} position:3', ADMIN),
    ("/entry withdraw driver:", "driver", "/entry withdraw driver:{v}", ADMIN),
    ("/round cancel round:", "round", "/round cancel round:{v}", ADMIN),
    ("/session add round:", "round", "/session add round:{v} session:R1 date:2031-06-01", ADMIN),
    ("/season rules season:", "season", "/season rules season:{v}", ADMIN),
]


@pytest.mark.parametrize(("typed", "option", "line", "user"), PICKS)
async def test_what_an_option_offers_it_accepts(
    season: Harness, typed: str, option: str, line: str, user: User
):
    # Before the options had their own transformers, /round and /session offered a round's
    # label ("Circuit Zandvoort (Zandvoort)") that they then could not find.
    offered = await autocomplete(season, typed, option, user=user)
    assert 1 <= len(offered) <= 25, typed
    for value in offered[:4]:
        failed, text = await answer(season, line.format(v=f'"{value}"'), user)
        # Found, whatever the command then says (Nogaro has no race yet, say).
        assert not failed or not any(m in text for m in NOT_FOUND), (line, value, text)


async def test_an_option_resolves_in_the_season_the_command_names(season: Harness):
    failed, text = await answer(season, "/driver name:boccolacci")  # not in 2031
    assert failed and text.startswith("No driver called “boccolacci”.")
    failed, text = await answer(season, "/driver name:boccolacci season:2023")
    assert not failed and "Boccolacci" in text
    offered = await autocomplete(season, "/driver season:2023 name:bocc", "name", user=FAN)
    assert offered[0] == "Dorian Boccolacci"
    assert "Dorian Boccolacci" not in await autocomplete(
        season, "/driver name:bocc", "name", user=FAN
    )
    failed, text = await answer(season, "/race season:2023 circuit:monza number:2")
    assert not failed and "Monza" in text


async def test_unknown_and_ambiguous_names_say_what_to_try(season: Harness):
    failed, text = await answer(season, '/compare first:"vortex driver" second:02')
    assert failed and text.startswith("“vortex driver” could be several drivers.")
    assert "Did you mean: **Vortex Driver" in text
    failed, text = await answer(season, '/penalties race:"nowhere 1"')
    assert failed and text.startswith("No circuit called “nowhere”.")
    failed, text = await answer(season, "/race circuit:monza number:3")
    assert failed and text == "Monza had 2 races, not 3."
    failed, text = await answer(season, "/standings season:1850")
    assert failed and text.startswith("No season called “1850”.")
    failed, text = await answer(season, '/chart drivers:"01, nobody"')
    assert failed and text.startswith("No driver called “nobody”.")
    failed, text = await answer(season, '/driver name:"vortex driver"', FRENCH_FAN)
    ambiguous = "«\u202fvortex driver\u202f» peut désigner plusieurs pilotes."
    assert failed and text.startswith(ambiguous)


async def test_a_choice_chosen_for_a_list_of_drivers_keeps_the_names_before_it(season: Harness):
    offered = await autocomplete(season, '/chart drivers:"01, driver 0"', "drivers", user=FAN)
    assert offered and all(v.startswith("01, Vortex Driver ") for v in offered)
    failed, text = await answer(season, f'/chart drivers:"{offered[0]}"')
    assert not failed, text
