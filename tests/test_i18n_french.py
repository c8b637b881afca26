"""French as French readers expect it: typography, agreement, decimal commas, country names
and command names."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from bot.adapters.console.ask import ask, plain
from bot.adapters.console.harness import Harness, User
from bot.i18n import FRENCH_NAMES, command_line, country, tr, trn
from bot.i18n.catalogue import po_path
from bot.rendering.fan.common import Reply
from bot.rendering.fan.standings import standings_reply
from bot.services.championship import SeasonView
from bot.storage.seasonfiles import load_season_folder
from tests.helpers import response, text_of
from tests.replay import DATA

NNBSP = "\u202f"
FR = User(locale="fr")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
OPTION = re.compile(r"\b[a-z]+(?:_[a-z]+)+: ")  # an option as typed: retirer_publies: True


def _french_texts() -> list[str]:
    texts: list[str] = []
    for message in read_po(po_path("fr").open("rb")):
        if message.id and message.context is None:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts += [str(s) for s in strings]
    return texts


def _bad_spacing(text: str) -> list[str]:
    """Places where French wants a narrow no-break space and has none."""
    text = OPTION.sub("", PLACEHOLDER.sub("X", text))
    bad = [
        text[max(0, m.start() - 12) : m.end() + 1]
        for m in re.finditer(r"[;:!?](?=[\s*)]|$)", text)
        if m.start() == 0 or text[m.start() - 1] != NNBSP
    ]
    bad += [m.group() for m in re.finditer(r"«(?!\u202f).{0,8}|.{0,8}(?<!\u202f)»", text)]
    return bad


def test_the_catalogue_uses_french_typography():
    bad = {t: _bad_spacing(t) for t in _french_texts() if _bad_spacing(t)}
    assert bad == {}, "run python scripts/french_typography.py"
    assert tr("fr", "“{value}” is not a valid value here.", value="x") == (
        f"«{NNBSP}x{NNBSP}» n'est pas une valeur valable ici."
    )


async def test_french_answers_put_the_space_before_a_colon(harness: Harness):
    season = harness.client.service.latest().season  # type: ignore[attr-defined]
    published = [p.reason for p in season.penalties] + [p.effect for p in season.penalties]
    published += [r.note for r in season.results] + [n.text for n in season.standings_notes]
    for line in ("/penalties", "/race monza 1", "/calendar", "/compare boccolacci ghiretti"):
        text = plain(text_of(response(await ask(harness, line, user=FR))))
        for quoted in sorted(filter(None, published), key=len, reverse=True):
            text = text.replace(quoted, "")  # facts stay as their source wrote them
        assert re.findall(r"\S.{0,20}[^\s\u202f\u00a0]: ", text) == [], line


def test_agreement_follows_cldr_not_a_hand_made_s():
    # French: 0 and 1 take the singular (CLDR "one"); English: only 1.
    assert [trn("fr", "{n} win", "{n} wins", n) for n in (0, 1, 2)] == [
        "0 victoire",
        "1 victoire",
        "2 victoires",
    ]
    assert trn("en", "{n} win", "{n} wins", 0) == "0 wins"
    assert trn("fr", "{n} point ahead", "{n} points ahead", 1) == "1 point d'avance"
    assert trn("fr", "at least {n} pt", "at least {n} pts", 1.5, n="1,5") == "au moins 1,5 pt"
    assert trn("en", "at least {n} pt", "at least {n} pts", 1.5, n="1.5") == "at least 1.5 pts"
    plurals = [m for m in read_po(po_path("fr").open("rb")) if isinstance(m.id, tuple)]
    assert len(plurals) >= 15
    assert not [m.id for m in plurals if any("(s)" in s for s in m.string)]


async def test_a_french_answer_says_zero_in_the_singular(harness: Harness):
    text = plain(text_of(response(await ask(harness, "/driver boullery", user=FR))))
    assert "1 victoire" in text or "0 victoire" in text or "victoires" in text
    assert "0 victoires" not in text and "1 victoires" not in text and "(s)" not in text


def _text(reply: Reply) -> str:
    return "\n".join(
        str(e.description) + " ".join(f.value or "" for f in e.fields) for e in reply.pages
    )


def test_half_points_have_a_decimal_comma_in_french():
    """F1 2021: half points at Spa; Verstappen 395.5, Hamilton 387.5 (issue 12's reduced points)."""
    view = SeasonView(load_season_folder(DATA / "f1-2021").season)
    table = view.standings("drivers")
    french, english = (_text(standings_reply(view, table, lang)) for lang in ("fr", "en"))
    assert "au moins 395,5 pts" in french and "au moins 164,5 pts" in french
    assert "395.5" not in french and "Kubica** #88 — 0 pt\n" in french  # 0: singular in French
    assert "at least 395.5 pts" in english and "Kubica** #88 — 0 pts\n" in english


def test_country_names_come_from_cldr():
    assert [country(c, "fr") for c in ("Italy", "United Kingdom", "Netherlands")] == [
        "Italie",
        "Royaume-Uni",
        "Pays-Bas",
    ]
    assert country("Italy", "en") == "Italy"
    assert country("Atlantis", "fr") == "Atlantis"  # a name CLDR does not know stays as stored


async def test_the_french_calendar_names_countries_in_french(harness: Harness):
    text = plain(text_of(response(await ask(harness, "/calendar", user=FR))))
    assert "Italie" in text and "Espagne" in text and "Italy" not in text
    english = plain(text_of(response(await ask(harness, "/calendar", user=User()))))
    assert "Italy" in english


async def test_french_help_names_the_commands_a_french_client_shows(harness: Harness):
    """Commands are localised (name_localizations): /help must name /classement, not /standings."""
    text = plain(text_of(response(await ask(harness, "/help", user=FR))))
    assert "/classement [championnat] [saison] [apres_manche]" in text
    assert "/course monza 1" in text and "/comparer <premier> <second> [saison]" in text
    english = {n for n, f in FRENCH_NAMES.items() if n != f}
    named = set(re.findall(r"(?<![\w/])/([a-z][\w-]*)", text))
    assert named and not named & english


def test_french_texts_name_commands_as_the_french_client_does():
    english = {n for n, f in FRENCH_NAMES.items() if n != f}
    for text in _french_texts():
        named = set(re.findall(r"(?<![\w/{])/([a-z][\w-]*)", text))
        assert not named & english, f"{text} (python scripts/french_typography.py names them)"
    assert command_line("fr", "/penalty list") == "/penalite liste"
    assert command_line("fr", "/standings drivers after_round:5") == (
        "/classement drivers apres_manche:5"
    )
    assert command_line("en", "/standings rookie") == "/standings rookie"
