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


_PLURAL = re.compile(r"\{(\w+)(?::[^}]*)?\}([^{]*?)\(s\)")


def tr(lang: str, template: str, /, **params: Any) -> str:
    """The template in ``lang`` with its values; "(s)" agrees with the value before it."""
    text = FRENCH.get(template, template) if lang == "fr" else template
    if "(s)" in text:
        text = _PLURAL.sub(lambda m: _agree(m, params, lang), text)
    return text.format(**params) if params else text


def _agree(match: re.Match[str], params: dict[str, Any], lang: str) -> str:
    value = params.get(match.group(1))
    singular = value == 1 or (lang == "fr" and value == 0)
    return "{" + match.group(1) + "}" + match.group(2) + ("" if singular else "s")


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
