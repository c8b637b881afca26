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

from bot.errors import UserError
from bot.i18n.catalogue import NAME_CONTEXT, load
from bot.i18n.cldr import (
    country,
    decimal,
    nationality,
    number,
    ordinal,
    plural_category,
    plural_index,
)

__all__ = [
    "FRENCH",
    "FRENCH_NAMES",
    "Phrase",
    "command_line",
    "country",
    "decimal",
    "labelled",
    "lang_of",
    "nationality",
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


def trn(
    lang: str, singular: str, plural: str, n: float, /, *, context: str | None = None, **params: Any
) -> str:
    """``singular`` or ``plural`` as ``n`` asks in ``lang`` (French: 0 and 1 are singular).

    The count is also the ``{n}`` placeholder unless ``params`` give ``n`` another value.
    """
    params.setdefault("n", n)
    if lang == "fr" and (forms := _FR.plurals.get((context, singular))):
        text = forms[min(plural_index(n, lang), len(forms) - 1)]
    else:
        text = singular if plural_category(n, lang) == "one" else plural
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
            plural_category(last_value, lang) == "one"
        )
        out.append("" if singular else "s")
        position = mark + 3


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


class Phrase(UserError):
    """A translatable word or phrase used inside another message ("seconds")."""
