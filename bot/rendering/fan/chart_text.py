"""The /chart answer's text fallback, for when the picture cannot be drawn."""

from __future__ import annotations

from bot.i18n import tr, trn
from bot.rendering.fan.common import Reply, paginate


def chart_fallback(
    title: str, races: list[str], series: list[tuple[str, list[float], bool]], lang: str = "en"
) -> Reply:
    """``series``: (name, cumulative points, exact); a lower bound is written "≥"."""
    lines = [
        f"**{name}**: " + " → ".join(("" if exact else "≥") + str(p) for p in pts[-6:])
        for name, pts, exact in series
    ]
    return Reply(
        pages=paginate(
            title,
            tr(lang, "The chart could not be drawn; the last totals:"),
            lines,
            trn(lang, "{n} race", "{n} races", len(races)),
            lang=lang,
        )
    )
