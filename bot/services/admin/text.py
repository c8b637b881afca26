"""Admin-typed text, cleaned and checked before it is planned; how a change names a race."""

from __future__ import annotations

import unicodedata

from bot.errors import Invalid
from bot.i18n import Phrase
from bot.services.championship import RaceView, short_circuit

REASON_MAX = 500

#: The answers to an empty or too long text, by what the text is.
FIELD_TEXTS = {
    "reason": ("Give a reason.", "The reason is {length:,} characters; keep it under {limit}."),
    "driver name": (
        "Give a driver name.",
        "The driver name is {length:,} characters; keep it under {limit}.",
    ),
    "team name": (
        "Give a team name.",
        "The team name is {length:,} characters; keep it under {limit}.",
    ),
}


def race_phrase(race: RaceView) -> Phrase:
    return Phrase(
        "{place} — race {number}", place=short_circuit(race.round), number=race.session.number
    )


def clean_text(text: str, what: str, limit: int = REASON_MAX, *, required: bool = True) -> str:
    """Printable text with single spaces; refuses empty (when required) or over-long text."""
    cleaned = "".join(
        c if unicodedata.category(c)[0] != "C" else " " for c in unicodedata.normalize("NFC", text)
    )
    cleaned = " ".join(cleaned.split())
    if required and not cleaned:
        raise Invalid(FIELD_TEXTS[what][0])
    if len(cleaned) > limit:
        raise Invalid(FIELD_TEXTS[what][1], length=len(cleaned), limit=limit)
    return cleaned
