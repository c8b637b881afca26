"""The /compare answer: two drivers head to head, from the domain's tally.

On an incomplete record the published championship outcome leads, and the known points are
said as lower bounds whose difference is not a gap.
"""

from __future__ import annotations

from bot.domain.models import Entry
from bot.domain.published import Count, outcome_of, season_count
from bot.domain.stats import head_to_head, standing_of
from bot.i18n import tr
from bot.rendering.fan.common import (
    INFERRED,
    Reply,
    champ_name,
    mark,
    ordinal,
    paginate,
    points,
    season_title,
)
from bot.services.championship import SeasonView


def compare_reply(view: SeasonView, a: Entry, b: Entry, lang: str = "en") -> Reply:
    races = [(r.session, r.classification) for r in view.race_views()]
    h2h = head_to_head(a, b, races, view.season.penalties)
    champ = view.championships[0]
    drivers = view.standings(champ.slug)
    pa, pb = standing_of(drivers, a.driver_id), standing_of(drivers, b.driver_id)
    ra, rb = h2h.records
    facts = view.season.facts
    inferred = h2h.inferred or ra.inferred or rb.inferred

    def line(text: str, x: object, y: object) -> str:
        return f"**{text}**: {x} – {y}"

    def counted(entry: Entry, what: str, known: int) -> str:
        count = season_count(known, drivers.complete, facts, entry.driver, what)
        return _count(count, lang)

    lines = []
    if not drivers.complete:
        outcome = [_official(view, champ.slug, e, lang) for e in (a, b)]
        if any(outcome):
            lines.append(
                f"**{tr(lang, 'Official outcome')}** ({champ_name(champ.name, lang)}): "
                + " · ".join(
                    f"{e.driver}: {o or tr(lang, 'position not published')}"
                    for e, o in zip((a, b), outcome, strict=True)
                )
            )
    tally = INFERRED if h2h.inferred else ""
    lines += [
        line(
            tr(lang, "Finished ahead ({n} races with both placed)", n=h2h.races_both) + tally,
            *h2h.finished_ahead,
        ),
        line(tr(lang, "Started ahead ({n} known grids)", n=h2h.grids_both), *h2h.started_ahead),
        line(tr(lang, "Wins"), counted(a, "wins", ra.wins), counted(b, "wins", rb.wins)),
        line(
            tr(lang, "Podiums") + (INFERRED if ra.inferred or rb.inferred else ""),
            counted(a, "podiums", ra.podiums),
            counted(b, "podiums", rb.podiums),
        ),
        line(tr(lang, "Poles"), ra.poles, rb.poles),
    ]
    if drivers.complete:
        lines.append(line(tr(lang, "Points"), points(pa) if pa else "—", points(pb) if pb else "—"))
    else:
        lines.append(
            f"**{tr(lang, 'Points known from published results')}**: "
            + " · ".join(
                f"{e.driver} "
                + (
                    tr(lang, "at least {points} pts", points=p.points)
                    if p is not None and not p.exact
                    else (tr(lang, "{points} pts", points=p.points) if p else "—")
                )
                for e, p in ((a, pa), (b, pb))
            )
            + " — "
            + tr(lang, "lower bounds: their difference is not a gap")
        )
    lines.append(line(tr(lang, "Penalties"), *h2h.penalties))
    title = tr(lang, "{a} vs {b}", a=a.driver, b=b.driver) + f" · {season_title(view)}"
    footer = tr(lang, "known results only") + (
        "" if drivers.complete else " · " + tr(lang, "incomplete record (≥)")
    )
    if inferred:
        footer += f" · {INFERRED} " + tr(lang, "counts an inferred place")
    return Reply(pages=paginate(title, "\n".join(lines), [], footer, lang=lang))


def _official(view: SeasonView, slug: str, entry: Entry, lang: str) -> str:
    o = outcome_of(view.season.outcomes, slug, entry.driver)
    if o is None:
        return ""
    text = tr(lang, "champion") if o.position == 1 else ordinal(o.position, lang)
    if o.margin_points is not None:
        text += ", " + tr(lang, "{n} points ahead", n=o.margin_points)
    return text + mark(o.certainty, lang)


def _count(count: Count, lang: str) -> str:
    if count.at_least and count.published is not None:
        return tr(lang, "at least {n}", n=count.value)
    return str(count.value)
