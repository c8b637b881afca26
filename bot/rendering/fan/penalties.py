"""The /penalties answer: stewards' decisions, newest first, with who decided when known."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.models import Penalty, Session
from bot.i18n import labelled, tr
from bot.rendering.fan.common import Reply, label, mark, paginate, penalty_text, season_title
from bot.services.championship import RaceView, SeasonView, short_circuit


def penalties_reply(
    view: SeasonView,
    items: Sequence[tuple[RaceView | None, Session, Penalty]],
    scope: str,
    lang: str = "en",
) -> Reply:
    lines = []
    for race, session, p in items:
        where = (
            label(race, lang)
            if race
            else tr(
                lang, "{place} — qualifying", place=short_circuit(view.rounds[session.round_number])
            )
        )
        driver = view.entries[p.entry_id].driver
        effect = f" — {p.effect}" if p.effect else ""
        by = f" ({p.decided_by})" if p.decided_by else ""
        lines.append(
            f"`#{p.id}` **{where}** · "
            + labelled(lang, f"**{driver}**", f"{penalty_text(p, lang)}{effect}{by}")
            + mark(p.certainty, lang)
        )
    title = tr(lang, "{season} — penalties", season=season_title(view)) + (
        f" · {scope}" if scope else ""
    )
    header = "" if lines else tr(lang, "No penalty recorded.")
    return Reply(
        pages=paginate(title, header, lines, tr(lang, "newest first"), per_page=10, lang=lang)
    )
