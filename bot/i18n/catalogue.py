"""Reads the gettext catalogues (``bot/locale/<lang>/LC_MESSAGES/parcferme.po``) once, at start-up.

The ``.po`` file is the only source of the translations: there is no compiled ``.mo`` to keep
in step. Babel reads it (about 0.1 s, once per process) into plain dicts, so a lookup while
answering is one dict lookup. A message is found by its English text and, where one English
text needs two translations, its ``msgctxt`` (e.g. ``"command name"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "parcferme"
NAME_CONTEXT = "command name"


@dataclass(frozen=True)
class Catalogue:
    """One language's texts: ``plain`` without context, ``by_context`` with, and plurals."""

    plain: dict[str, str] = field(default_factory=dict)
    by_context: dict[tuple[str, str], str] = field(default_factory=dict)
    plurals: dict[tuple[str | None, str], tuple[str, ...]] = field(default_factory=dict)
    plural_count: int = 2


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(lang: str) -> Catalogue:
    """Every translated message of ``lang``; untranslated and fuzzy entries are left out."""
    with po_path(lang).open("rb") as f:
        po = read_po(f, locale=lang, domain=DOMAIN)
    catalogue = Catalogue(plural_count=po.num_plurals)
    for message in po:
        if not message.id or message.fuzzy or not message.string:
            continue
        context = message.context
        if isinstance(message.id, tuple):
            forms = tuple(str(s) for s in message.string)
            if all(forms):
                catalogue.plurals[(context, str(message.id[0]))] = forms
        elif context is None:
            catalogue.plain[str(message.id)] = str(message.string)
        else:
            catalogue.by_context[(context, str(message.id))] = str(message.string)
    return catalogue
