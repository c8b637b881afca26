"""The /chart answer's text fallback, for when the picture cannot be drawn."""

from __future__ import annotations

from bot.i18n import tr
from bot.rendering.fan.common import Reply, paginate


def chart_fallback(
    title: str, races: list[str], series: list[tuple[str, list[int]]], lang: str = "en"
) -> Reply:
    lines = [f"**{name}**: " + " → ".join(str(p) for p in pts[-6:]) for name, pts in series]
    return Reply(
        pages=paginate(
            title,
            tr(lang, "The chart could not be drawn; the last totals:"),
            lines,
            tr(lang, "{n} races", n=len(races)),
            lang=lang,
        )
    )
