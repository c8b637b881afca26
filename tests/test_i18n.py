"""French and English: every user-facing text has both, and French users get French."""

from __future__ import annotations

import ast
import asyncio
import string
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from discord import Locale

from bot.adapters.console.ask import ask, plain
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import Harness, User
from bot.adapters.discord.translator import ParcFermeTranslator
from bot.domain import title as title_module
from bot.i18n import FRENCH, FRENCH_NAMES, decimal, lang_of, number, ordinal, tr, trn
from bot.i18n.catalogue import po_path
from bot.i18n.cldr import plural_forms
from bot.rendering import fan
from bot.rendering.limits import command_problems
from bot.services import lookup
from bot.services.admin.text import FIELD_TEXTS
from tests.helpers import response, settings_for, text_of

BOT = Path(__file__).resolve().parent.parent / "bot"
TEMPLATE_CALLS = {
    "tr": 1,
    "trn": 1,  # and the plural, argument 2: both are checked below
    "Invalid": 0,
    "NotFound": 0,
    "Conflict": 0,
    "Phrase": 0,
    "Forbidden": 0,
    "UserError": 0,
}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def templates_in_code() -> set[str]:
    found: set[str] = set()
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            index = TEMPLATE_CALLS.get(str(name))
            if index is not None and len(node.args) > index:
                found.update(_strings(node.args[index]))
    return found


def plural_calls_in_code() -> set[tuple[str, str]]:
    """(singular, plural) of every trn() call with literal texts."""
    found: set[tuple[str, str]] = set()
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "trn":
                one, many = (_strings(a) for a in node.args[1:3])
                found.update(zip(one, many, strict=True))
    return found


def templates_in_tables() -> set[str]:
    found = {t for trio in lookup._MESSAGES.values() for t in trio}
    found |= {t for pair in FIELD_TEXTS.values() for t in pair}
    found |= {text for _, text in fan.HELP}
    found |= {
        fan.TIE_BREAK,
        "Something went wrong on our side; it has been logged. Please try again.",
    }
    source = Path(title_module.__file__).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "{" in node.value:
            found.add(node.value)
    # Words that reach tr() through a variable.
    found |= {
        "inferred",
        "derived",
        "open",
        "applying",
        "applied",
        "cancelled",
        "expired",
        "Drivers",
        "Teams",
        "seconds",
        "places",
        "points",
        "grid places",
        "Previous",
        "Next",
        "Confirm",
        "Cancel",
    }
    return found


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_user_facing_text_has_french():
    plurals = plural_calls_in_code()
    singulars = {one for one, _ in plurals}
    wanted = (templates_in_code() - singulars) | templates_in_tables()
    # Title templates are stored split over several literals: join what the parser sees.
    missing = sorted(t for t in wanted if t not in FRENCH and "{" not in t[:0])
    missing = [t for t in missing if not any(t in key for key in FRENCH)]
    assert missing == []
    assert len(wanted) > 200
    catalogue = read_po(po_path("fr").open("rb"))
    plural_entries = {m.id for m in catalogue if isinstance(m.id, tuple)}
    assert sorted(plurals - plural_entries) == []


def _catalogue_lines() -> list[str]:
    return po_path("fr").read_text(encoding="utf-8").splitlines()


def test_the_french_catalogue_is_complete_and_clean():
    """Every entry translated, none fuzzy or repeated, French's plural forms as CLDR has them."""
    catalogue = read_po(po_path("fr").open("rb"))
    entries = [m for m in catalogue if m.id]
    assert len(entries) > 600
    assert [m.id for m in entries if m.fuzzy] == []
    untranslated = [
        m.id
        for m in entries
        if not (all(m.string) if isinstance(m.string, tuple) else m.string.strip())
    ]
    assert untranslated == []
    # read_po keeps the last of two equal entries silently: count them in the text instead.
    keys = [line for line in _catalogue_lines() if line.startswith(("msgid ", "msgctxt "))]
    assert sum(1 for k in keys if k.startswith("msgid ")) == len(entries) + 1  # + the header
    assert catalogue.num_plurals == len(plural_forms("fr")) == 3  # CLDR: one, many, other
    assert len(FRENCH) + len(FRENCH_NAMES) <= len(entries)


def test_one_english_text_can_have_two_translations():
    assert tr("fr", "final") == "définitif"
    assert tr("fr", "final", context="command name") == FRENCH_NAMES["final"] == "definitif"
    assert tr("fr", "Driver", context="no such context") == "Driver"  # falls back to English


def test_french_keeps_every_placeholder():
    catalogue = read_po(po_path("fr").open("rb"))
    for message in catalogue:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        french = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(fields(e) for e in english))
        for text in french:
            assert fields(text) <= wanted, english
            assert fields(text) >= wanted - {"n"}, english  # a singular may say "one" for {n}
            assert text.strip(), english


def test_plurals_and_ordinals_follow_babels_rules():
    # CLDR: French takes the singular for 0 and 1, English only for 1.
    assert [trn("fr", "{n} win", "{n} wins", n) for n in (0, 1, 2)] == [
        "0 victoire",
        "1 victoire",
        "2 victoires",
    ]
    assert [trn("en", "{n} win", "{n} wins", n) for n in (0, 1, 2)] == ["0 wins", "1 win", "2 wins"]
    assert [ordinal(n, "fr") for n in (1, 2, 3, 11, 21)] == ["1er", "2e", "3e", "11e", "21e"]
    assert [decimal(12.5, "fr", 1), decimal(12.5, "en", 1)] == ["12,5", "12.5"]
    assert [number(12.5, "fr"), number(12.5, "en"), number(12.0, "fr")] == ["12,5", "12.5", "12"]


def test_ordinals_and_plurals():
    assert [ordinal(n, "fr") for n in (1, 2, 3, 11)] == ["1er", "2e", "3e", "11e"]
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]
    assert tr("en", "{n} race(s) left", n=1) == "1 race left"
    # "(s)" is left only in the rules' and title's sentences from the domain: CLDR decides it too
    pole = "Pole position: {points} point(s)."
    assert tr("fr", pole, points=0) == "Pole position\u202f: 0 point."
    assert tr("en", pole, points=0) == "Pole position: 0 points."
    assert lang_of(Locale.french) == "fr" and lang_of("en-GB") == "en" and lang_of("de") == "en"


async def test_french_users_get_french(harness: Harness):
    fr = User(locale="fr")
    season = harness.client.service.latest().season  # type: ignore[attr-defined]
    data = " ".join(
        [p.effect + " " + p.reason for p in season.penalties]
        + [r.note for r in season.results]
        + [s.note for s in season.sessions]
        + [n.text for n in season.standings_notes]
    )
    english_only = {
        e
        for e, f in FRENCH.items()
        if e != f and len(e) > 12 and "{" not in e and e not in data  # data stays as published
    }
    for line in (
        "/standings rookie",
        "/race le castellet 2",
        "/race monza 1",
        "/title after_round:5",
        "/driver boullery",
        "/winners",
        "/calendar",
        "/help",
        "/race le mans 2",
        "/race monzza 1",
        "/penalties",
    ):
        data = response(await ask(harness, line, user=fr))
        text = plain(text_of(data))
        leaked = [e for e in english_only if e in text]
        assert leaked == [], (line, leaked)
    text = plain(text_of(response(await ask(harness, "/race le mans 2", user=fr))))
    assert "Le Mans n'a eu qu'une course." in text
    text = plain(text_of(response(await ask(harness, "/standings rookie", user=fr))))
    assert "classement Rookie" in text and "2e" in text and "victoires" in text


def test_command_names_and_descriptions_are_translated(tmp_path: Path):
    async def main() -> list[dict[str, Any]]:
        async with offline(settings_for(tmp_path / "i18n.db")) as h:
            tree = h.client.tree
            return [
                await c.get_translated_payload(tree, ParcFermeTranslator())
                for c in tree.get_commands()
            ]

    payloads = asyncio.run(main())

    def walk(node: dict[str, Any]) -> None:
        assert "fr" in node.get("name_localizations", {}), node["name"]
        if node.get("description"):
            assert "fr" in node.get("description_localizations", {}), node["description"]
        for option in node.get("options") or []:
            walk(option)

    for payload in payloads:
        walk(payload)
        assert command_problems(payload) == [], payload["name"]
    names = {p["name"]: p["name_localizations"]["fr"] for p in payloads}
    assert names["standings"] == "classement" and names["race"] == "course"
    assert set(FRENCH_NAMES.values()) >= {"classement", "course", "aide"}
