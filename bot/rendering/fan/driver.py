"""The /driver answer: one driver's season, race by race, with record and championships."""

from __future__ import annotations

from bot.domain.models import Certainty, Entry, Outcome, Status
from bot.domain.published import Count, outcome_of, season_count
from bot.domain.standings import StandingsRow
from bot.domain.stats import (
    driver_record,
    poles_recorded,
    series_place,
    standing_of,
)
from bot.i18n import labelled, nationality, number, tr, trn
from bot.rendering.fan.common import (
    INFERRED,
    Reply,
    car,
    champ_name,
    class_records_of,
    drop_rule_text,
    label,
    mark,
    ordinal,
    paginate,
    penalty_text,
    points,
    season_title,
    session_name,
)
from bot.rendering.fan.race import penalty_effect
from bot.rendering.limits import clip, clip_lines
from bot.services.championship import SeasonView


def driver_reply(view: SeasonView, entry: Entry, lang: str = "en") -> Reply:
    tags = [
        t
        for t in (
            entry.klass,
            "rookie" if entry.rookie else None,
            "junior" if entry.junior else None,
            tr(lang, "guest") if entry.guest else None,
        )
        if t
    ]
    unknown = tr(lang, "unknown")
    title = f"{entry.driver}{car(entry)} · {season_title(view)}"
    bits = [
        labelled(lang, f"**{tr(lang, 'Team')}**", entry.team or unknown),
        labelled(lang, f"**{tr(lang, 'Class')}**", ", ".join(tags) or unknown),
    ]
    if entry.nationality:
        country = nationality(entry.nationality, lang)
        bits.append(labelled(lang, f"**{tr(lang, 'Nationality')}**", country))
    lines = []
    races = view.race_views()
    inferred = False
    drops = _dropped(view, entry, lang)
    for race in races:
        if not entry.enters(race.round.number):
            continue
        row = race.classification.row(entry.id)
        if row is None:
            lines.append(f"**{label(race, lang)}** — {tr(lang, 'no result recorded')}")
            continue
        if row.position is not None:
            text = ordinal(row.position, lang)
        elif row.status and row.status is not Status.CLASSIFIED:
            text = row.status.value
        else:
            text = tr(lang, "position unknown")
        if row.result.certainty is Certainty.INFERRED:
            text += INFERRED
            inferred = True
        extra = []
        place = series_place(row, race.session)
        if place and race.session.shared_with:
            extra.append(tr(lang, "{place} in the series", place=ordinal(place, lang)))
        if row.result.class_position and entry.klass:
            extra.append(f"{ordinal(row.result.class_position, lang)} {entry.klass}")
        effect = penalty_effect(row, lang)
        if effect:
            extra.append(effect)
        if "Conflict" in row.result.note:
            extra.append(tr(lang, "the sources conflict on this race: see /race"))
        if race.session.id in drops:
            text = f"[{text}]"
            extra.append(drops[race.session.id])
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"**{label(race, lang)}** — {text}{tail}")
    pairs = [(r.session, r.classification) for r in races]
    record = driver_record(entry, pairs, view.season.scoring)
    overall = view.standings(view.championships[0].slug) if view.championships else None
    complete = overall is not None and overall.complete
    facts = view.season.facts
    wins = season_count(record.wins, complete, facts, entry.driver, "wins")
    podiums = season_count(record.podiums, complete, facts, entry.driver, "podiums")
    record_lines = [
        tr(
            lang,
            "{wins} · {podiums} · {poles} (known results)",
            wins=_count(wins, lang, "{n} win", "{n} wins"),
            podiums=_count(podiums, lang, "{n} podium", "{n} podiums"),
            poles=(
                trn(lang, "{n} pole", "{n} poles", record.poles)
                if poles_recorded(view.season.races)
                else tr(lang, "poles unknown")
            ),
        )
    ]
    for cr in class_records_of(view, entry):
        slug = cr.championship.slug
        c_wins = season_count(cr.record.wins, complete, facts, entry.driver, "wins", slug)
        c_podiums = season_count(cr.record.podiums, complete, facts, entry.driver, "podiums", slug)
        record_lines.append(_class_line(cr.championship.name, c_wins, c_podiums, lang))
    for fact in facts:
        if fact.driver == entry.driver:
            record_lines.append(
                tr(lang, "Published: {text}", text=fact.text) + mark(fact.certainty, lang)
            )
    champ_lines = []
    leads: list[str] = []
    for champ in view.championships:
        if champ.is_teams:
            continue
        table = view.standings(champ.slug)
        standing = standing_of(table, entry.driver_id)
        shown = champ_name(champ.name, lang)
        official = outcome_of(view.season.outcomes, champ.slug, entry.driver)
        if official is not None:
            what = (
                tr(lang, "champion") if official.position == 1 else ordinal(official.position, lang)
            )
            # What was published leads the answer, above the race-by-race record.
            said = (
                "Official: {championship} {what}"
                if official.certainty is Certainty.CONFIRMED
                else "Outcome: {championship} {what}"
            )
            leads.append(
                "**"
                + tr(lang, said, championship=shown, what=what)
                + f"**{mark(official.certainty, lang)}"
            )
        if official is not None and table.final and not table.complete:
            # The published final place is the answer; the known points are only a figure.
            champ_lines.append(_published_place(shown, official, standing, lang))
            continue
        if standing is None:
            continue
        if table.complete:
            rule = drop_rule_text(champ, lang)
            champ_lines.append(
                tr(
                    lang,
                    "{championship}: {place} on {points} pts",
                    championship=shown,
                    place=ordinal(standing.position, lang),
                    points=points(standing, lang),
                )
                + (f" ({rule})" if rule and standing.dropped else "")
            )
        elif standing.points or standing.exact:
            champ_lines.append(
                tr(
                    lang,
                    "{championship}: at least {points} pts from known results "
                    "(position not settled by the record)",
                    championship=shown,
                    points=number(standing.points, lang),
                )
                if not standing.exact
                else tr(
                    lang,
                    "{championship}: {points} pts (position not settled by the record)",
                    championship=shown,
                    points=number(standing.points, lang),
                )
            )
        elif official is None:
            champ_lines.append(
                tr(
                    lang,
                    "{championship}: position unknown; no scoring result published",
                    championship=shown,
                )
            )
    pens = [p for p in view.season.penalties if p.entry_id == entry.id]
    fields = [
        (
            tr(lang, "Record"),
            clip_lines(record_lines, 1000),
        ),
        (tr(lang, "Championships"), "\n".join(champ_lines) or "—"),
    ]
    if pens:
        fields.append(
            (
                tr(lang, "Penalties"),
                clip_lines(
                    [
                        "• "
                        + labelled(
                            lang, session_name(view, p.session_id, lang), penalty_text(p, lang)
                        )
                        for p in pens
                    ],
                    1000,
                ),
            )
        )
    if entry.note:
        fields.append((tr(lang, "Note"), clip(entry.note, 1000)))
    header = "\n".join(leads + bits)
    footer = tr(lang, "results as published") + (
        f" · {INFERRED} " + tr(lang, "inferred") if inferred else ""
    )
    return Reply(pages=paginate(title, header, lines, footer, fields=fields, lang=lang))


def _published_place(
    championship: str, official: Outcome, standing: StandingsRow | None, lang: str
) -> str:
    """ "Drivers: champion (published) · at least 219 pts from known results"."""
    place = tr(lang, "champion") if official.position == 1 else ordinal(official.position, lang)
    if official.certainty is Certainty.CONFIRMED:
        text = tr(
            lang, "{championship}: {place} (published)", championship=championship, place=place
        )
    else:
        said = tr(lang, "{who}: {name}", who=championship, name=place)
        text = said + mark(official.certainty, lang)
    if standing is not None and (standing.points or standing.exact):
        known = number(standing.points, lang)
        text += " · " + (
            tr(lang, "{points} pts from known results", points=known)
            if standing.exact
            else tr(lang, "at least {points} pts from known results", points=known)
        )
    return text


def _dropped(view: SeasonView, entry: Entry, lang: str) -> dict[int, str]:
    """Races whose points a drivers' championship does not count, said per race."""
    out: dict[int, list[str]] = {}
    counted = [c for c in view.championships if not c.is_teams and drop_rule_text(c, lang)]
    for champ in counted:
        standing = standing_of(view.standings(champ.slug), entry.driver_id)
        for session_id, pts in standing.dropped if standing is not None else ():
            if not pts:
                continue
            if len(counted) == 1:
                said = trn(lang, "{n} pt dropped", "{n} pts dropped", pts, n=number(pts, lang))
            else:
                said = trn(
                    lang,
                    "{n} pt dropped ({championship})",
                    "{n} pts dropped ({championship})",
                    pts,
                    n=number(pts, lang),
                    championship=champ_name(champ.name, lang),
                )
            out.setdefault(session_id, []).append(said)
    return {sid: "; ".join(said) for sid, said in out.items()}


def _count(count: Count, lang: str, singular: str, plural: str) -> str:
    """ "3 wins"; a published season count the known races do not reach is "at least 3 wins";
    a count of known results is said as such by the line it is in."""
    if count.at_least and count.published is not None:
        at_least = tr(lang, "at least {n}", n=count.value)
        return trn(lang, singular, plural, count.value, n=at_least)
    return trn(lang, singular, plural, count.value)


def _class_line(name: str, wins: Count, podiums: Count, lang: str) -> str:
    """ "Pro-Am: 3 wins · 4 podiums", with "at least" where a count is only a lower bound."""
    return tr(
        lang,
        "{championship}: {wins} · {podiums} (known results)",
        championship=champ_name(name, lang),
        wins=_count(wins, lang, "{n} win", "{n} wins"),
        podiums=_count(podiums, lang, "{n} podium", "{n} podiums"),
    )
