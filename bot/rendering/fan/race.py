"""The /race answer: one race's classification, penalties and their effect, class winners."""

from __future__ import annotations

from bot.domain.classification import ClassifiedRow
from bot.domain.models import Certainty, PenaltyType, Status
from bot.domain.stats import class_winners
from bot.i18n import decimal, labelled, tr
from bot.rendering.fan.common import (
    INFERRED,
    Reply,
    car,
    champ_name,
    duration,
    label,
    mark,
    ordinal,
    paginate,
    penalty_text,
    season_title,
    ts,
)
from bot.rendering.limits import clip, clip_lines
from bot.services.championship import RaceView, SeasonView


def _row_line(row: ClassifiedRow, race: RaceView, lang: str) -> str:
    e = row.entry
    tags = []
    if e.klass:
        tags.append(e.klass)
    if e.rookie:
        tags.append("R")
    if e.guest:
        tags.append(tr(lang, "guest"))
    tag = f" [{', '.join(tags)}]" if tags else ""
    team = f" · {clip(e.team, 40)}" if e.team else ""
    if row.position is not None:
        pos = f"`{row.position:>2}.`"
    elif row.status and row.status is not Status.CLASSIFIED:
        pos = f"`{row.status.value:>3}`"
    else:
        pos = "` ?.`"
    extra = []
    if row.time_ms is not None and row.position == 1:
        extra.append(duration(row.time_ms, lang))
    elif row.gap_ms is not None:
        extra.append(f"+{decimal(row.gap_ms / 1000, lang)} s")
    if row.result.series_position and race.session.shared_with:
        extra.append(
            tr(lang, "{place} in the series", place=ordinal(row.result.series_position, lang))
        )
    if row.result.class_position and e.klass:
        extra.append(f"{ordinal(row.result.class_position, lang)} {e.klass}")
    if row.result.rookie_position:
        extra.append(tr(lang, "{place} rookie", place=ordinal(row.result.rookie_position, lang)))
    effect = penalty_effect(row, lang)
    if effect:
        extra.append(effect)
    inferred = INFERRED if row.result.certainty is Certainty.INFERRED else ""
    tail = f" — {'; '.join(extra)}" if extra else ""
    return f"{pos} **{clip(e.driver, 40)}**{inferred}{car(e)}{tag}{team}{tail}"


def penalty_effect(row: ClassifiedRow, lang: str = "en") -> str:
    """What the active penalties did to this row: "5th at the flag → classified 8th, +10 s"."""
    active = [p for p in row.penalties if p.active and p.type is not PenaltyType.GRID]
    if not active:
        return ""
    what = ", ".join(penalty_text(p, lang) for p in active)
    if row.flag_position and row.position and row.flag_position != row.position:
        return tr(
            lang,
            "{flag} at the flag → classified {place}, {what}",
            flag=ordinal(row.flag_position, lang),
            place=ordinal(row.position, lang),
            what=what,
        )
    if row.flag_position and row.position is None:
        where = (
            tr(lang, "not classified")
            if row.status is Status.DSQ
            else tr(lang, "classified position unknown")
        )
        return tr(
            lang,
            "{flag} at the flag → {where}, {what}",
            flag=ordinal(row.flag_position, lang),
            where=where,
            what=what,
        )
    return what


def race_reply(view: SeasonView, race: RaceView, lang: str = "en") -> Reply:
    session, rnd = race.session, race.round
    cls = race.classification
    title = f"{label(race, lang)} · {season_title(view)}"
    date = f"<t:{ts(session.date)}:D>" if session.date else tr(lang, "date unknown")
    header_bits = [f"**{rnd.circuit}**, {rnd.town} · {date}"]
    if session.shared_with:
        header_bits.append(
            tr(
                lang,
                "Shared race with {series}: positions are on the road.",
                series=session.shared_with,
            )
        )
    if not session.final:
        header_bits.append(tr(lang, "**Provisional** classification."))
    lines = [_row_line(r, race, lang) for r in cls.rows]
    fields: list[tuple[str, str]] = []
    unknown = tr(lang, "unknown")
    pole = view.entries.get(session.pole_entry_id or 0)
    pole_text = unknown
    if pole:
        pole_text = f"{pole.driver}{car(pole)}"
        if session.pole_time_ms:
            pole_text += f" ({duration(session.pole_time_ms, lang)})"
        if session.pole_certainty and session.pole_certainty is not Certainty.CONFIRMED:
            pole_text += mark(session.pole_certainty, lang)
    fl = view.entries.get(session.fastest_lap_entry_id or 0)
    fl_text = f"{fl.driver}{car(fl)}" if fl else unknown
    if fl and session.fastest_lap_ms:
        fl_text += f" ({duration(session.fastest_lap_ms, lang)})"
    fields.append((tr(lang, "Pole · fastest lap"), f"{pole_text} · {fl_text}"))
    winners = _class_winners(view, race, lang)
    if winners:
        fields.append((tr(lang, "Class winners"), winners))
    pens = list(race.penalties)
    quali = [
        p
        for s in view.season.sessions
        if s.round_number == rnd.number and s.code == "Q"
        for p in view.penalties_by_session.get(s.id, ())
    ]
    if pens or quali:
        plines = [
            "• "
            + labelled(lang, f"**{view.entries[p.entry_id].driver}**", penalty_text(p, lang))
            + (f" — {p.effect}" if p.effect else "")
            for p in pens
        ]
        plines += [
            f"• **{view.entries[p.entry_id].driver}** ({tr(lang, 'qualifying')}): "
            f"{penalty_text(p, lang)}"
            for p in quali
        ]
        fields.append((tr(lang, "Penalties"), clip_lines(plines, 1000)))
    if session.note:
        fields.append((tr(lang, "Note"), clip(session.note, 1000)))
    known = sum(1 for r in cls.rows if r.position is not None)
    completeness = (
        tr(lang, "complete classification")
        if cls.complete
        else tr(lang, "partial record: {n} published positions; ? = position unknown", n=known)
    )
    if any(r.position is None and r.status in (None, Status.CLASSIFIED) for r in cls.rows):
        completeness += " " + tr(lang, "(listed by class: not a finishing order)")
    footer = completeness + (
        f" · {INFERRED} " + tr(lang, "inferred") if INFERRED in "".join(lines) else ""
    )
    sources = race_sources(race)
    if sources:
        fields.append((tr(lang, "Sources"), clip_lines(sources, 1000)))
    header = "\n".join(header_bits)
    if not lines:
        header += "\n" + tr(lang, "No result recorded for this race yet.")
    return Reply(pages=paginate(title, header, lines, footer, fields=fields, lang=lang))


def _class_winners(view: SeasonView, race: RaceView, lang: str) -> str:
    scores = {c.slug: view.scores(c.slug, race.session.id) for c in view.championships}
    parts = []
    # A complete classification with nobody of a class classified has no winner, not an unknown one.
    done = race.classification.complete and race.classification.rows
    nobody = tr(lang, "none classified" if done else "unknown")
    for w in class_winners(view.championships, scores):
        key = w.key
        name = view.entries_by_driver(key).driver if key is not None else tr(lang, "unknown")
        parts.append(
            tr(
                lang,
                "{who}: {name}",
                who=champ_name(w.championship.name, lang),
                name=f"**{name}**" if w.keys else nobody,
            )
        )
    return " · ".join(parts)


def race_sources(race: RaceView) -> list[str]:
    """Every distinct URL behind this race's own facts: the session, its rows, its penalties."""
    texts = [race.session.source]
    texts += [row.result.source for row in race.classification.rows]
    texts += [p.source for p in race.penalties]
    seen: dict[str, None] = {}
    for text in texts:
        for url in text.split(";"):
            if url.strip():
                seen.setdefault(url.strip(), None)
    return list(seen)
