"""The /compare answer: two drivers head to head, from the domain's tally.

On an incomplete record the published championship outcome leads, and the known points are
said as lower bounds whose difference is not a gap.
"""

from __future__ import annotations

from bot.domain.models import Certainty, Championship, Entry
from bot.domain.published import Count, outcome_of, season_count
from bot.domain.standings import StandingsRow
from bot.domain.stats import head_to_head, poles_recorded, standing_of
from bot.i18n import labelled, number, tr, trn
from bot.rendering.fan.common import (
    INFERRED,
    Reply,
    champ_name,
    class_records_of,
    mark,
    ordinal,
    outcome_heading,
    paginate,
    points,
    season_title,
)
from bot.services.championship import SeasonView


def compare_reply(view: SeasonView, a: Entry, b: Entry, lang: str = "en") -> Reply:
    races = [(r.session, r.classification) for r in view.race_views()]
    h2h = head_to_head(a, b, races, view.season.penalties, view.season.scoring)
    champ = view.championships[0]
    drivers = view.standings(champ.slug)
    pa, pb = standing_of(drivers, a.driver_id), standing_of(drivers, b.driver_id)
    ra, rb = h2h.records
    facts = view.season.facts
    inferred = h2h.inferred or ra.inferred or rb.inferred

    def line(text: str, x: object, y: object) -> str:
        return labelled(lang, f"**{text}**", f"{x} – {y}")

    def counted(entry: Entry, what: str, known: int) -> str:
        count = season_count(known, drivers.complete, facts, entry.driver, what)
        return _count(count, lang)

    lines = []
    if not drivers.complete:
        lines += _official_line(view, champ, a, b, lang)
    class_leads, class_lines = _classes(view, a, b, lang)
    lines += class_leads
    tally = INFERRED if h2h.inferred else ""
    lines += [
        line(
            trn(
                lang,
                "Finished ahead ({n} race with both placed)",
                "Finished ahead ({n} races with both placed)",
                h2h.races_both,
            )
            + tally,
            *h2h.finished_ahead,
        ),
        line(
            trn(
                lang,
                "Started ahead ({n} known grid)",
                "Started ahead ({n} known grids)",
                h2h.grids_both,
            ),
            *h2h.started_ahead,
        ),
        line(tr(lang, "Wins"), counted(a, "wins", ra.wins), counted(b, "wins", rb.wins)),
        line(
            tr(lang, "Podiums") + (INFERRED if ra.inferred or rb.inferred else ""),
            counted(a, "podiums", ra.podiums),
            counted(b, "podiums", rb.podiums),
        ),
        line(tr(lang, "Poles"), ra.poles, rb.poles)
        if poles_recorded(view.season.races)
        else line(tr(lang, "Poles"), "?", "?"),
    ]
    if drivers.complete:
        shown = [points(p, lang) if p else "—" for p in (pa, pb)]
        lines.append(line(tr(lang, "Points"), *shown))
    else:
        what = (
            tr(
                lang,
                "{championship} points known from published results",
                championship=champ_name(champ.name, lang),
            )
            if class_lines
            else tr(lang, "Points known from published results")
        )
        lines.append(_known_points(what, a, b, pa, pb, lang))
    lines += class_lines
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
        text += ", " + trn(lang, "{n} point ahead", "{n} points ahead", o.margin_points)
    return text + mark(o.certainty, lang)


def _official_line(
    view: SeasonView, champ: Championship, a: Entry, b: Entry, lang: str
) -> list[str]:
    """ "Official outcome (Pro-Am): A: champion · B: 2nd", or nothing when neither is published."""
    outcome = [_official(view, champ.slug, e, lang) for e in (a, b)]
    if not any(outcome):
        return []
    shown = [outcome_of(view.season.outcomes, champ.slug, e.driver) for e in (a, b)]
    both = " · ".join(
        labelled(lang, e.driver, o or tr(lang, "position not published"))
        for e, o in zip((a, b), outcome, strict=True)
    )
    heading = outcome_heading([o.certainty for o in shown if o is not None], lang)
    name = champ_name(champ.name, lang)
    official = all(o is None or o.certainty is Certainty.CONFIRMED for o in shown)
    title = f"**{heading}** ({name})" if official else f"**{name}** — {heading}"
    return [labelled(lang, title, both)]


def _count(count: Count, lang: str) -> str:
    if count.at_least and count.published is not None:
        return tr(lang, "at least {n}", n=count.value)
    return str(count.value)


def _known_points(
    what: str, a: Entry, b: Entry, pa: StandingsRow | None, pb: StandingsRow | None, lang: str
) -> str:
    """Known points as lower bounds; a driver with no known scoring result is unknown, not 0."""

    def shown(p: StandingsRow | None) -> str:
        if p is None or (not p.exact and not p.points):
            return tr(lang, "unknown")
        if p.exact:
            return trn(lang, "{n} pt", "{n} pts", p.points, n=number(p.points, lang))
        return trn(lang, "at least {n} pt", "at least {n} pts", p.points, n=number(p.points, lang))

    unknown = tr(lang, "unknown")
    if shown(pa) == shown(pb) == unknown:
        return labelled(lang, f"**{what}**", tr(lang, "none for either driver"))
    both = " · ".join(f"{e.driver} {shown(p)}" for e, p in ((a, pa), (b, pb)))
    return labelled(
        lang,
        f"**{what}**",
        both + " — " + tr(lang, "lower bounds: their difference is not a gap"),
    )


def _classes(view: SeasonView, a: Entry, b: Entry, lang: str) -> tuple[list[str], list[str]]:
    """The class championships both drivers race for (Pro-Am, Am, rookie) on an incomplete
    record: what was published (to lead the answer), then class wins, podiums, known points."""
    of_a = {cr.championship.slug: cr for cr in class_records_of(view, a)}
    leads: list[str] = []
    out: list[str] = []
    for cr_b in class_records_of(view, b):
        champ = cr_b.championship
        cr_a = of_a.get(champ.slug)
        table = view.standings(champ.slug)
        if cr_a is None or table.complete:
            continue
        name = champ_name(champ.name, lang)
        leads += _official_line(view, champ, a, b, lang)
        ra, rb = cr_a.record, cr_b.record
        out.append(
            labelled(
                lang,
                f"**{tr(lang, '{championship} wins', championship=name)}**",
                f"{ra.wins} – {rb.wins}",
            )
            + " · "
            + labelled(
                lang,
                f"**{tr(lang, '{championship} podiums', championship=name)}**",
                f"{ra.podiums} – {rb.podiums}",
            )
        )
        out.append(
            _known_points(
                tr(lang, "{championship} points known from published results", championship=name),
                a,
                b,
                standing_of(table, a.driver_id),
                standing_of(table, b.driver_id),
                lang,
            )
        )
    return leads, out
