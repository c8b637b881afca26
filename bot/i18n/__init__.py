"""French and English: every user-facing text goes through :func:`tr` (or :func:`trn` for a count).

A template is the English text itself (``"{place} had one race."``). Its French is in the
gettext catalogue ``bot/locale/fr/LC_MESSAGES/parcferme.po`` (read once at start-up by
:mod:`bot.i18n.catalogue`), found by the English text and, where one English text needs two
translations, a context (``msgctxt``). Babel's CLDR data gives the plural forms, the ordinals'
rules and the decimal sign. The user's Discord locale picks the language: French for ``fr``,
English otherwise. Data from sources (penalty reasons, notes) stays as published.
"""

from __future__ import annotations

import re
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from bot.errors import UserError
from bot.i18n.catalogue import NAME_CONTEXT, load

__all__ = [
    "FRENCH",
    "FRENCH_NAMES",
    "Phrase",
    "command_line",
    "country",
    "decimal",
    "labelled",
    "lang_of",
    "number",
    "ordinal",
    "tr",
    "trn",
]

_FR = load("fr")
FRENCH: dict[str, str] = _FR.plain
"""English text → French, for texts without a context."""
FRENCH_NAMES: dict[str, str] = {
    english: french
    for (context, english), french in _FR.by_context.items()
    if context == NAME_CONTEXT
}
"""Command, option and choice names (context ``"command name"``): lower case, no spaces."""

_LOCALES = {"en": Locale("en"), "fr": Locale("fr")}
_PLURAL_TAGS = ("zero", "one", "two", "few", "many", "other")  # gettext's order of forms (Babel)
_ORDINAL_SUFFIX = {
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
    "fr": {"one": "er", "other": "e"},
}


def lang_of(locale: object) -> str:
    """'fr' for any French locale, 'en' for everything else."""
    value = getattr(locale, "value", locale)
    return "fr" if str(value).lower().startswith("fr") else "en"


_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def tr(lang: str, template: str, /, *, context: str | None = None, **params: Any) -> str:
    """The template in ``lang`` with its values; "(s)" agrees with the value before it."""
    if lang == "fr":
        if context is None:
            text = FRENCH.get(template, template)
        else:
            text = _FR.by_context.get((context, template), template)
    else:
        text = template
    if "(s)" in text:
        text = _agree(text, params, lang)
    return text.format(**params) if params else text


def plural_index(n: float, lang: str) -> int:
    """Which gettext plural form (msgstr[i]) ``n`` takes in ``lang``, by CLDR's rules."""
    rule = _LOCALES[lang].plural_form
    tags = [t for t in _PLURAL_TAGS if t in rule.tags or t == "other"]
    return tags.index(rule(n))


def trn(
    lang: str, singular: str, plural: str, n: float, /, *, context: str | None = None, **params: Any
) -> str:
    """``singular`` or ``plural`` as ``n`` asks in ``lang`` (French: 0 and 1 are singular).

    The count is also the ``{n}`` placeholder unless ``params`` give ``n`` another value.
    """
    params.setdefault("n", n)
    index = plural_index(n, lang)
    if lang == "fr" and (forms := _FR.plurals.get((context, singular))):
        text = forms[min(index, len(forms) - 1)]
    else:
        text = singular if _LOCALES[lang].plural_form(n) == "one" else plural
    return text.format(**params)


def _agree(text: str, params: dict[str, Any], lang: str) -> str:
    """Each "(s)" becomes "s" or nothing, after the nearest value placed before it."""
    out: list[str] = []
    last_value: Any = None
    position = 0
    while True:
        mark = text.find("(s)", position)
        segment = text[position:] if mark < 0 else text[position:mark]
        for m in _PLACEHOLDER.finditer(segment):
            last_value = params.get(m.group(1))
        out.append(segment)
        if mark < 0:
            return "".join(out)
        singular = isinstance(last_value, int | float) and (
            _LOCALES[lang].plural_form(last_value) == "one"
        )
        out.append("" if singular else "s")
        position = mark + 3


def ordinal(n: int, lang: str = "en") -> str:
    """1st, 2nd, 3rd, 11th / 1er, 2e: the suffix by Babel's (CLDR) ordinal rules."""
    return f"{n}{_ORDINAL_SUFFIX[lang][_LOCALES[lang].ordinal_form(n)]}"


def labelled(lang: str, label: str, value: object) -> str:
    """``label: value``; French puts a narrow no-break space before the colon."""
    return tr(lang, "{label}: {value}", label=label, value=value)


_COMMAND = re.compile(r"(?<![\w/])/([a-z][\w-]*)( [a-z][\w-]*)?")
_WORD = re.compile(r"(?<=[\s\[<])([a-z][\w-]*)(?=[\]>:])")
SUBCOMMANDS = frozenset(
    {"add", "revoke", "list", "import", "set", "status", "edit", "create", "rules", "cancel"}
    | {"withdraw"}
)


def command_line(lang: str, text: str) -> str:
    """A command as the user's client names it: "/standings after_round:5" is
    "/classement apres_manche:5" in French (names from the catalogue's "command name" context).

    Words after the command are translated when they are a subcommand, an option
    (``after_round:``) or a usage slot (``[season]``, ``<name>``); values stay as typed.
    """
    if lang == "en":
        return text

    def name(word: str) -> str:
        return FRENCH_NAMES.get(word, word)

    def subcommand(m: re.Match[str]) -> str:
        return name(m.group(1))

    def command(m: re.Match[str]) -> str:
        rest = m.group(2) or ""
        return "/" + name(m.group(1)) + (" " + name(rest[1:]) if rest[1:] in SUBCOMMANDS else rest)

    return _WORD.sub(subcommand, _COMMAND.sub(command, text))


_ISO_BY_ENGLISH = {name: code for code, name in _LOCALES["en"].territories.items()}


def country(name: str, lang: str) -> str:
    """A country stored by its English name ("Italy"), in ``lang`` ("Italie") by CLDR's names.

    A name CLDR does not know is shown as stored.
    """
    if lang == "en" or (code := _ISO_BY_ENGLISH.get(name)) is None:
        return name
    return str(_LOCALES[lang].territories.get(code, name))


def decimal(value: float, lang: str, places: int = 3) -> str:
    """``value`` with exactly ``places`` decimals and the language's decimal sign (12,345)."""
    return format_decimal(value, format="0." + "0" * places, locale=_LOCALES[lang])


def number(value: float, lang: str) -> str:
    """Points and counts: no decimals when whole, else up to three (12.5 / 12,5)."""
    if value == int(value):
        return str(int(value))
    return format_decimal(value, format="0.###", locale=_LOCALES[lang])


class Phrase(UserError):
    """A translatable word or phrase used inside another message ("seconds")."""
