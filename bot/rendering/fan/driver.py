"""The /driver answer: one driver's season, race by race, with record and championships."""

from __future__ import annotations

from bot.domain.models import Entry, Status
from bot.domain.stats import driver_record, series_place, standing_of
from bot.i18n import tr
from bot.rendering.fan.common import (
    Reply,
    car,
    champ_name,
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
        f"**{tr(lang, 'Team')}:** {entry.team or unknown}",
        f"**{tr(lang, 'Class')}:** {', '.join(tags) or unknown}",
    ]
    if entry.nationality:
        bits.append(f"**{tr(lang, 'Nationality')}:** {entry.nationality}")
    lines = []
    races = view.race_views()
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
        extra = []
        place = series_place(row, race.session)
        if place and race.session.shared_with:
            extra.append(tr(lang, "{place} in the series", place=ordinal(place, lang)))
        if row.result.class_position and entry.klass:
            extra.append(f"{ordinal(row.result.class_position, lang)} {entry.klass}")
        effect = penalty_effect(row, lang)
        if effect:
            extra.append(effect)
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"**{label(race, lang)}** — {text}{tail}")
    record = driver_record(entry, [(r.session, r.classification) for r in races])
    champ_lines = []
    for champ in view.championships:
        if champ.is_teams:
            continue
        table = view.standings(champ.slug)
        standing = standing_of(table, entry.driver_id)
        shown = champ_name(champ.name, lang)
        if standing is not None:
            champ_lines.append(
                tr(
                    lang,
                    "{championship}: {place} on {points} pts",
                    championship=shown,
                    place=ordinal(standing.position, lang),
                    points=points(standing),
                )
                + ("" if table.complete else " " + tr(lang, "(computed, incomplete record)"))
            )
        for o in view.outcomes(champ.slug):
            if o.name == entry.driver:
                what = tr(lang, "champion") if o.position == 1 else ordinal(o.position, lang)
                champ_lines.append(
                    "**"
                    + tr(lang, "Official: {championship} {what}", championship=shown, what=what)
                    + f"**{mark(o.certainty, lang)}"
                )
    pens = [p for p in view.season.penalties if p.entry_id == entry.id]
    fields = [
        (
            tr(lang, "Record"),
            tr(
                lang,
                "{wins} wins · {podiums} podiums · {poles} poles (known results)",
                wins=record.wins,
                podiums=record.podiums,
                poles=record.poles,
            ),
        ),
        (tr(lang, "Championships"), "\n".join(champ_lines) or "—"),
    ]
    if pens:
        fields.append(
            (
                tr(lang, "Penalties"),
                clip_lines(
                    [
                        f"• {session_name(view, p.session_id, lang)}: {penalty_text(p, lang)}"
                        for p in pens
                    ],
                    1000,
                ),
            )
        )
    if entry.note:
        fields.append((tr(lang, "Note"), clip(entry.note, 1000)))
    header = "\n".join(bits)
    return Reply(
        pages=paginate(
            title, header, lines, tr(lang, "results as published"), fields=fields, lang=lang
        )
    )
