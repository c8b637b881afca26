"""Every fan command through the real CommandTree, with the recording webhook adapter."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.console.ask import ask, autocomplete, build_command_data, parse_line
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import Harness, User, interaction_payload
from bot.adapters.discord import reply as reply_module
from bot.rendering.limits import command_problems, payload_problems
from bot.services import seeding
from bot.storage import repository
from tests.factories import make_season
from tests.helpers import SEASONS_DIR, assert_valid, response, settings_for, text_of

FAN = User()
OTHER = User(id=1_300_000_000_000_000_999, name="someone-else")


async def test_standings_rookie_exactly_as_typed(harness: Harness):
    calls = await ask(harness, "/standings rookie", user=FAN)
    assert_valid(calls)
    data = response(calls)
    assert not (data.get("flags") or 0) & 64
    text = text_of(data)
    assert "Rookie standings" in text
    assert "Benjamin Paque" in text and "Champion: Benjamin Paque" in text
    assert "incomplete record" in text and "at least" in text  # never presented as complete
    assert "gap" not in text and " 1." not in text  # lower bounds are not ranks (issue 10)


async def test_race_monza_1_exactly_as_typed(harness: Harness):
    calls = await ask(harness, "/race monza 1", user=FAN)
    assert_valid(calls)
    text = text_of(response(calls))
    assert "Monza — race 1" in text
    lines = text.splitlines()
    assert any("1.`" in line and "Dorian Boccolacci" in line for line in lines)
    assert "Pole · fastest lap" in text and "unknown" in text  # no fastest lap is published
    assert "partial record" in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/race le castellet 2", "Paul Ricard — race 2"),
        ("/race castellet 1", "Paul Ricard — race 1"),
        ("/race spielberg 1", "Red Bull Ring — race 1"),
        ("/race austria 2", "Red Bull Ring — race 2"),
        ("/race montmelo 2", "Barcelona — race 2"),
        ("/race catalunya 1", "Barcelona — race 1"),
        ("/race sarthe", "Le Mans — race 1"),
        ("/race nevers 2", "Magny-Cours — race 2"),
        ("/race MONZA 2", "Monza — race 2"),
        ('/race "paul ricard" 1', "Paul Ricard — race 1"),
    ],
)
async def test_circuit_aliases(harness: Harness, line: str, expected: str):
    calls = await ask(harness, line, user=FAN)
    assert_valid(calls)
    assert expected in text_of(response(calls))


async def test_a_race_number_the_round_does_not_have(harness: Harness):
    calls = await ask(harness, "/race le mans 2", user=FAN)
    assert_valid(calls)
    data = response(calls)
    assert data["flags"] & 64
    assert "Le Mans had one race." in text_of(data)


async def test_unknown_circuit_gets_did_you_mean_not_a_guess(harness: Harness):
    calls = await ask(harness, "/race monzza 1", user=FAN)
    assert_valid(calls)
    data = response(calls)
    assert data["flags"] & 64
    text = text_of(data)
    assert "No circuit called" in text and "Did you mean" in text and "Monza" in text
    assert "race 1 ·" not in text  # no classification shown


async def test_ambiguous_driver_is_not_guessed(harness: Harness):
    calls = await ask(harness, "/driver sebastien", user=FAN)
    data = response(calls)
    assert data["flags"] & 64
    text = text_of(data)
    assert "could be several" in text and "Poisson" in text and "Dussolliet" in text


async def test_driver_accent_insensitive(harness: Harness):
    calls = await ask(harness, "/driver jerome boullery", user=FAN)
    assert_valid(calls)
    text = text_of(response(calls))
    assert "Jérôme Boullery" in text and "Official: Pro-Am champion" in text


async def test_junior_in_2023_says_why_there_is_no_table(harness: Harness):
    data = response(await ask(harness, "/standings junior", user=FAN))
    assert data["flags"] & 64 and "selection" in text_of(data)


@pytest.mark.parametrize(
    "line",
    [
        "/standings",
        "/standings pro-am",
        "/standings am",
        "/standings teams",
        "/standings drivers 2023 3",
        "/race le mans",
        "/winners",
        "/winners rookie",
        "/poles",
        "/penalties",
        "/penalties paque",
        "/penalties race:monza 2",
        "/driver klein",
        "/driver 98",
        "/calendar",
        "/help",
    ],
)
async def test_every_command_answers_within_limits(harness: Harness, line: str):
    calls = await ask(harness, line, user=FAN)
    assert_valid(calls)
    assert not (response(calls).get("flags") or 0) & 64, text_of(response(calls))


async def test_le_mans_shows_the_guest_winner_and_the_series_winner(harness: Harness):
    text = text_of(response(await ask(harness, "/winners", user=FAN)))
    assert "Dylan Pereira (guest) · first in the series: Marvin Klein" in text
    assert "Dorian Boccolacci: 5" in text and "Marvin Klein: 4" in text


async def test_penalty_effect_is_shown(harness: Harness):
    text = text_of(response(await ask(harness, "/race paul ricard 2", user=FAN)))
    assert "2nd at the flag → classified position unknown" in text


async def test_bad_values_get_clear_ephemeral_answers(harness: Harness):
    for line in ("/standings drivers after_round:40", "/nosuchcommand", "/race monza 7"):
        calls = await ask(harness, line, user=FAN)
        assert_valid(calls)
        assert response(calls)["flags"] & 64, line


async def test_pagination_only_the_asker_and_timeout(harness: Harness, monkeypatch):
    calls = await ask(harness, "/penalties", user=FAN)  # 12 penalties, 10 a page
    data = response(calls)
    assert "page 1/2" in data["embeds"][0]["footer"]["text"]
    labels = [c["label"] for c in data["components"][0]["components"]]
    assert labels == ["Previous", "Next"]
    # Someone else presses Next: refused, the page does not move.
    from bot.adapters.console.ask import find_button

    button = find_button(calls, harness, "Next")
    assert button is not None
    press = {"custom_id": button["custom_id"], "component_type": 2}
    other = await harness.dispatch(interaction_payload(3, press, OTHER, message=button["message"]))
    assert other[0].body["type"] == 4 and other[0].body["data"]["flags"] & 64
    assert "Only the person who asked" in other[0].body["data"]["content"]
    # The asker presses Next: the message is updated in place to page 2.
    mine = await harness.dispatch(interaction_payload(3, press, FAN, message=button["message"]))
    assert mine[0].body["type"] == 7
    assert "page 2/2" in mine[0].body["data"]["embeds"][0]["footer"]["text"]


async def test_page_buttons_disappear_on_timeout(harness: Harness, monkeypatch):
    monkeypatch.setattr(reply_module, "PAGE_TIMEOUT_S", 0.05)
    calls = await ask(harness, "/penalties", user=FAN)
    assert response(calls)["components"]
    for _ in range(100):
        await asyncio.sleep(0.02)
        edits = [c for c in harness.adapter.calls if c.method == "PATCH"]
        if edits:
            break
    assert edits and edits[-1].body["components"] == []


async def test_autocomplete_best_match_first_and_at_most_25(harness: Harness):
    choices = await autocomplete(harness, "/race circuit:castel", "circuit", user=FAN)
    assert choices and choices[0] == "paul ricard"
    drivers = await autocomplete(harness, "/driver name:", "name", user=FAN)
    assert 1 <= len(drivers) <= 25
    calls = harness.adapter.calls[-1:]
    assert calls[0].body["type"] == 8 and len(calls[0].body["data"]["choices"]) <= 25
    assert (await autocomplete(harness, "/driver name:boul", "name", user=FAN))[0] == (
        "Jérôme Boullery"
    )


async def test_autocomplete_never_fails_on_odd_input(harness: Harness):
    for text in ("\u200b", "x" * 6000, "\u202ertl", "🏎️", ""):
        line = parse_line("/race")
        line.named["circuit"] = text
        data = build_command_data(harness.client.tree, line, focused="circuit")
        calls = await harness.dispatch(interaction_payload(4, data, FAN))
        assert calls and calls[0].body["type"] == 8
        assert payload_problems(calls[0].body) == []


def test_command_definitions_follow_discords_rules(tmp_path: Path):
    async def main() -> list[dict[str, Any]]:
        async with offline(settings_for(tmp_path / "defs.db")) as h:
            return [c.to_dict(h.client.tree) for c in h.client.tree.get_commands()]

    definitions = asyncio.run(main())
    names = {d["name"] for d in definitions}
    assert {
        "standings",
        "race",
        "winners",
        "poles",
        "penalties",
        "driver",
        "calendar",
        "help",
    } <= names
    for d in definitions:
        assert command_problems(d) == [], d["name"]


# -- a large fictional season: everything still fits -----------------------------------------
@pytest.fixture
async def big_harness(tmp_path: Path):
    db_path = tmp_path / "big.db"
    season = make_season(rounds=14, races_per_round=2, entries=60, name_len=40, seed=7)
    db, _ = await seeding.open_ready(db_path, SEASONS_DIR)
    async with db.transaction() as tx:
        await repository.insert_season(tx, season, "fixture")
    await db.close()
    async with offline(settings_for(db_path)) as h:
        yield h


async def test_sixty_entrants_with_long_names_still_fit(big_harness: Harness):
    lines = [
        "/standings season:2099",
        "/standings teams 2099",
        "/standings pro-am 2099",
        "/race alpha 1 2099",
        "/winners season:2099",
        "/poles 2099",
        "/calendar 2099",
        "/penalties season:2099",
        "/driver name:testdriver 07 season:2099",
    ]
    for line in lines:
        calls = await ask(big_harness, line, user=FAN)
        assert_valid(calls)
        data = response(calls)
        assert not (data.get("flags") or 0) & 64, (line, text_of(data))
    # The 60-row table pages, and every page fits.
    calls = await ask(big_harness, "/standings season:2099", user=FAN, presses=["Next", "Next"])
    assert_valid(calls[:1])
    for c in calls:
        assert payload_problems(c.body) == []
    assert "page 3/3" in calls[-1].body["data"]["embeds"][0]["footer"]["text"]
    # A complete record says so.
    text = text_of(response(await ask(big_harness, "/standings season:2099", user=FAN)))
    assert "complete record" in text and "≥" not in text


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("race", [{"type": 3, "name": "circuit", "value": 12}]),
        (
            "race",
            [
                {"type": 3, "name": "circuit", "value": "monza"},
                {"type": 4, "name": "number", "value": "one"},
            ],
        ),
        ("standings", [{"type": 4, "name": "after_round", "value": 1.5e-255}]),
        ("standings", [{"type": 4, "name": "after_round", "value": 2**60}]),
        ("driver", [{"type": 3, "name": "name", "value": True}]),
        ("standings", [{"type": 3, "name": "season", "value": ["2023"]}]),
    ],
)
async def test_values_of_the_wrong_type_get_a_clear_answer(harness: Harness, name, options):
    data = {"id": "1", "name": name, "type": 1, "options": options}
    calls = await harness.dispatch(interaction_payload(2, data, FAN))
    assert_valid(calls)
    body = response(calls)
    assert body["flags"] & 64 and "is not a valid value for" in text_of(body)


async def test_autocomplete_with_a_mistyped_option_still_answers(harness: Harness):
    data = {
        "id": "1",
        "name": "race",
        "type": 1,
        "options": [
            {"type": 3, "name": "circuit", "value": "mon", "focused": True},
            {"type": 4, "name": "number", "value": "x"},
        ],
    }
    calls = await harness.dispatch(interaction_payload(4, data, FAN))
    assert calls and calls[0].body == {"type": 8, "data": {"choices": []}}
