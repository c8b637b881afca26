"""The 2023 answers say what the record says and no more, through the real command tree.

Each test is a finding of the truth review: a published fact that an answer contradicted or
overstated (an order among unknown positions, an "official" heading over derived lines, a
figure on an unpublished rule, an unsettled position for a published champion).
"""

from __future__ import annotations

import pytest

from bot.adapters.console.harness import Harness, User
from bot.domain.classification import classify_race
from bot.domain.models import Entry, Result, Session, SessionKind
from bot.i18n import nationality
from tests.helpers import answered, text_of

FAN = User()
FRENCH_FAN = User(locale="fr")


async def ask_text(harness: Harness, line: str, user: User = FAN) -> str:
    """The answer's text without Markdown emphasis (rows keep their backticks)."""
    return text_of(await answered(harness, line, user)).replace("**", "")


def line_of(text: str, name: str) -> int:
    """The index of the (only) classification row naming ``name``."""
    found = [
        i for i, line in enumerate(text.splitlines()) if line.startswith("`") and name in line
    ]
    assert len(found) == 1, (name, found)
    return found[0]


async def test_unknown_positions_are_listed_in_published_class_order(harness: Harness):
    # Red Bull Ring R1: Poisson 1st Am, Ajlani 2nd Am, Loeul's place unknown (so 3rd Am or
    # worse): listing Loeul above Ajlani read as Loeul ahead of the published 2nd.
    text = await ask_text(harness, "/race austria 1")
    poisson, ajlani, loeul = (
        line_of(text, n) for n in ("Sébastien Poisson", "Karim Ajlani", "Ludovic Loeul")
    )
    assert poisson < ajlani < loeul
    jaubert, hernandez = line_of(text, "Mathys Jaubert"), line_of(text, "Marlon Hernandez")
    assert jaubert < hernandez  # 2nd and 3rd rookie
    guillot, dussolliet = line_of(text, "Marc Guillot"), line_of(text, "Sébastien Dussolliet")
    assert line_of(text, "Jérôme Boullery") < guillot < dussolliet < line_of(text, "Ancel")
    # Nothing says the "?" block is a finishing order.
    assert "not a finishing order" in text
    for name in ("Poisson", "Ajlani", "Loeul"):
        assert text.splitlines()[line_of(text, name)].startswith("` ?.`")


def test_unknown_block_keeps_every_published_place_of_each_kind():
    """Rookie places across classes, class places within one, and a car with no place after
    the known places of its class; entry ids alone would list them the other way round."""
    session = Session(id=1, round_number=1, code="R1", kind=SessionKind.RACE)
    specs = [  # (id, class, rookie, class place, rookie place)
        (1, "Pro", True, None, 3),
        (2, "Pro", False, None, None),
        (3, "Pro-Am", True, 2, 2),
        (4, "Pro-Am", False, None, None),
        (5, "Pro-Am", False, 1, None),
    ]
    entries = {
        i: Entry(id=i, driver_id=i, driver=f"D{i}", team_id=None, team=None, klass=k, rookie=r)
        for i, k, r, _, _ in specs
    }
    results = [
        Result(session_id=1, entry_id=i, class_position=cp, rookie_position=rp)
        for i, _, _, cp, rp in specs
    ]
    rows = classify_race(session, results, [], entries).rows
    order = [r.entry.id for r in rows]
    assert order.index(3) < order.index(1)  # 2nd rookie before 3rd rookie
    assert order.index(5) < order.index(3) < order.index(4)  # 1st, 2nd Pro-Am, then unknown
    assert order.index(2) < order.index(4)  # otherwise by class, in order of appearance


def official_blocks(text: str) -> list[str]:
    """Every line an answer puts under an "Official …" heading or label."""
    out, inside = [], False
    for line in text.splitlines():
        if "Official outcome" in line or "Official:" in line:
            out.append(line)
            inside = line.startswith("__Official outcome")  # a heading: lines to a blank
        elif inside and line.strip():
            out.append(line)
        else:
            inside = False
    return out


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("/standings teams", "Outcome (derived)"),
        ("/standings pro-am", "Outcome (partly inferred)"),
        ("/standings", "Official outcome"),
        ("/standings am", "Official outcome"),
        ("/driver guillot", "Outcome: Pro-Am 2nd (inferred)"),
        ("/compare boullery guillot", "Outcome (partly inferred)"),
        ("/compare boccolacci ghiretti", "Official outcome (Drivers)"),
    ],
)
async def test_nothing_derived_or_inferred_is_called_official(
    harness: Harness, line: str, heading: str
):
    text = await ask_text(harness, line)
    assert heading in text
    for said in official_blocks(text):
        assert "(derived)" not in said and "(inferred)" not in said, said


def championship_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("Championships") + 1
    return lines[start : lines.index("", start) if "" in lines[start:] else len(lines)]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("/driver boccolacci", "Drivers: champion (published) · at least 219 pts from known"),
        ("/driver paque", "Rookie: champion (published) · at least"),
        ("/driver poisson", "Am: champion (published)"),
        ("/driver ghiretti", "Drivers: 2nd (published)"),
        ("/driver guillot", "Pro-Am: 2nd (inferred)"),
    ],
)
async def test_a_published_final_place_is_the_drivers_place(
    harness: Harness, line: str, said: str
):
    text = await ask_text(harness, line)
    championship = said.split(":", maxsplit=1)[0]
    mine = [x for x in championship_lines(text) if x.startswith(championship + ":")]
    assert len(mine) == 1 and mine[0].startswith(said), championship_lines(text)
    assert "not settled" not in mine[0]


async def test_a_published_place_in_french(harness: Harness):
    text = await ask_text(harness, "/driver paque", FRENCH_FAN)
    assert "Rookie\u202f: champion (publié) · au moins 175 pts" in text



async def test_the_final_round_title_leads_to_the_published_champion(harness: Harness):
    text = await ask_text(harness, "/title")
    assert "ruled in or out" not in text
    assert "No race left: the title was decided, as below." in text
    assert "Champion: Dorian Boccolacci, 24 points ahead" in text
    # Before the last round the lower bounds still settle nothing, and it is said.
    assert "nobody can be ruled in or out" in await ask_text(harness, "/title after_round:5")


async def test_team_figures_say_the_rule_they_assume(harness: Harness):
    # No 2023 team rule was published (season.toml: best 2 cars, inferred): under another
    # rule a "best 2 cars" total is not a lower bound of anything, so every figure says it.
    text = await ask_text(harness, "/standings teams")
    assert text.index("Champion: Forestier Racing CLRT") < text.index("pts")  # outcome leads
    figures = [x for x in text.splitlines() if x.startswith("• ") and " pt" in x]
    assert len(figures) >= 5
    for figure in figures:
        assert figure.endswith("pts if its best 2 cars of each race score"), figure
    assert "The team rule was never published" in text
    # A drivers' figure rests on no team rule.
    assert "cars of each race" not in await ask_text(harness, "/standings")


async def test_french_driver_labels_and_country_names(harness: Harness):
    text = await ask_text(harness, "/driver ajlani", FRENCH_FAN)
    for label, value in (("Équipe", "ABM"), ("Catégorie", "Am"), ("Nationalité", "Suisse")):
        assert f"{label}\u202f: {value}" in text.splitlines(), text
    english = await ask_text(harness, "/driver boccolacci")
    assert "Nationality: France" in english.splitlines()  # not the stored "FRA"


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("FRA", "fr", "France"),
        ("CHE", "fr", "Suisse"),  # ISO alpha-3
        ("SUI", "en", "Switzerland"),  # IOC/FIA
        ("GER", "fr", "Allemagne"),
        ("NED", "en", "Netherlands"),
        ("be", "fr", "Belgique"),  # ISO alpha-2
        ("XYZ", "fr", "XYZ"),  # unknown: as stored
    ],
)
def test_nationality_codes_become_country_names(code: str, lang: str, name: str):
    assert nationality(code, lang) == name
