"""The /compare answer: two drivers head to head, from the domain's tally."""

from __future__ import annotations

from bot.domain.models import Entry
from bot.domain.stats import head_to_head, standing_of
from bot.i18n import tr
from bot.rendering.fan.common import Reply, paginate, points, season_title
from bot.services.championship import SeasonView


def compare_reply(view: SeasonView, a: Entry, b: Entry, lang: str = "en") -> Reply:
    races = [(r.session, r.classification) for r in view.race_views()]
    h2h = head_to_head(a, b, races, view.season.penalties)
    drivers = view.standings(view.championships[0].slug)
    pa, pb = standing_of(drivers, a.driver_id), standing_of(drivers, b.driver_id)
    ra, rb = h2h.records

    def line(text: str, x: object, y: object) -> str:
        return f"**{text}**: {x} – {y}"

    lines = [
        line(
            tr(lang, "Finished ahead ({n} races with both placed)", n=h2h.races_both),
            *h2h.finished_ahead,
        ),
        line(tr(lang, "Started ahead ({n} known grids)", n=h2h.grids_both), *h2h.started_ahead),
        line(tr(lang, "Wins"), ra.wins, rb.wins),
        line(tr(lang, "Podiums"), ra.podiums, rb.podiums),
        line(tr(lang, "Poles"), ra.poles, rb.poles),
        line(tr(lang, "Points"), points(pa) if pa else "—", points(pb) if pb else "—"),
        line(tr(lang, "Penalties"), *h2h.penalties),
    ]
    title = tr(lang, "{a} vs {b}", a=a.driver, b=b.driver) + f" · {season_title(view)}"
    footer = tr(lang, "known results only") + (
        "" if drivers.complete else " · " + tr(lang, "incomplete record (≥)")
    )
    return Reply(pages=paginate(title, "\n".join(lines), [], footer, lang=lang))
