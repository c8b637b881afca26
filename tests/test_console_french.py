"""The console with ``--locale fr`` takes commands as a French client shows them."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.console.ask import ask, render_text
from bot.adapters.console.harness import Harness, User
from tests.helpers import assert_valid, response, run_cli, text_of

FRENCH_FAN = User(locale="fr")


async def test_french_command_and_option_names_are_the_commands(harness: Harness):
    calls = await ask(harness, "/classement rookie apres_manche:3", user=FRENCH_FAN)
    assert_valid(calls)
    text = text_of(response(calls))
    assert "classement Rookie" in text and "après la manche 3" in text
    calls = await ask(harness, "/pilote paque", user=FRENCH_FAN)
    assert "Benjamin Paque" in text_of(response(calls))


async def test_an_unknown_command_points_to_a_help_that_answers(harness: Harness):
    calls = await ask(harness, "/classment", user=FRENCH_FAN)
    assert "Essayez /aide" in text_of(response(calls))
    calls = await ask(harness, "/aide", user=FRENCH_FAN)
    assert_valid(calls)
    text = text_of(response(calls))
    assert "Il n'y a pas de commande" not in text and "/classement" in text
    # The English names still work, as an English client's would.
    assert "Rookie" in text_of(response(await ask(harness, "/standings rookie", user=FRENCH_FAN)))


async def test_the_console_says_its_own_words_in_french(harness: Harness):
    calls = await ask(harness, "/course monzza 1", user=FRENCH_FAN)
    text = render_text(calls, "fr")
    assert "(vous seul pouvez voir ceci)" in text and "only you" not in text


def test_parcferme_ask_in_french(tmp_path: Path):
    result = run_cli(tmp_path, "ask", "--locale", "fr", "/aide")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/classement" in result.stdout and "Il n'y a pas de commande" not in result.stdout
    result = run_cli(tmp_path, "ask", "--locale", "fr", "/classment")
    assert result.returncode == 1
    assert "(vous seul pouvez voir ceci)" in result.stdout
