"""French and English: every user-facing text goes through :func:`tr`.

Templates are the English text itself (``"{place} had one race."``); :data:`FRENCH` maps
each to its French form. The user's Discord locale picks the language: French for ``fr``,
English otherwise. Data from sources (penalty reasons, notes) stays as published.
"""

from __future__ import annotations

import re
from typing import Any

from bot.i18n_fr import FRENCH, FRENCH_NAMES

__all__ = ["FRENCH", "FRENCH_NAMES", "Phrase", "UserError", "decimal", "lang_of", "ordinal", "tr"]


def lang_of(locale: object) -> str:
    """'fr' for any French locale, 'en' for everything else."""
    value = getattr(locale, "value", locale)
    return "fr" if str(value).lower().startswith("fr") else "en"


_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def tr(lang: str, template: str, /, **params: Any) -> str:
    """The template in ``lang`` with its values; "(s)" agrees with the value before it."""
    text = FRENCH.get(template, template) if lang == "fr" else template
    if "(s)" in text:
        text = _agree(text, params, lang)
    return text.format(**params) if params else text


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
        singular = last_value == 1 or (lang == "fr" and last_value == 0)
        out.append("" if singular else "s")
        position = mark + 3


def ordinal(n: int, lang: str = "en") -> str:
    if lang == "fr":
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def decimal(value: float, lang: str, places: int = 3) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if lang == "fr" else text


class UserError(Exception):
    """An error whose message a user sees, in their language, with "did you mean" names."""

    def __init__(self, template: str, /, suggestions: tuple[str, ...] = (), **params: Any) -> None:
        self.template = template
        self.params = params
        self.suggestions = suggestions
        super().__init__(template.format(**params) if params else template)

    def message(self, lang: str) -> str:
        params = {
            k: (v.message(lang) if isinstance(v, UserError) else v) for k, v in self.params.items()
        }
        return tr(lang, self.template, **params)


class Phrase(UserError):
    """A translatable word or phrase used inside another message ("seconds")."""
