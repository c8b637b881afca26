"""The /title answer: who can still win, and what it takes (or took, from a published gap)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.bonuses import qualifying_scores
from bot.domain.models import Certainty
from bot.domain.stats import points_available
from bot.domain.title import published_gap_outlook, title_outlook
from bot.i18n import number, tr, trn
from bot.rendering.fan.common import (
    Reply,
    after_round,
    champ_name,
    mark,
    ordinal,
    outcome_text,
    paginate,
    season_title,
    tie_break_text,
)
from bot.rendering.limits import clip_lines
from bot.services.championship import SeasonView


def render_condition(parts: Sequence[tuple[str, dict[str, object]]], lang: str) -> str:
    texts = []
    for template, params in parts:
        values: dict[str, Any] = {
            k: (ordinal(v, lang) if k in ("place", "need") and isinstance(v, int) else v)
            for k, v in params.items()
        }
        texts.append(tr(lang, template, **values))
    text = "; ".join(t for t in texts if not t.startswith("("))
    tail = " ".join(t for t in texts if t.startswith("("))
    text = text[:1].upper() + text[1:]
    if tail:
        text += " " + tail
    return text if text.endswith(".") else text + "."


def title_reply(view: SeasonView, slug: str, after: int | None, lang: str = "en") -> Reply:
    champ = view.season.championship(slug)
    assert champ is not None
    table = view.standings(slug, after)
    upto = table.after_round
    left = view.races_left(table)
    rules = view.season.scoring
    where = after_round(upto, view.rounds.get(upto), lang)
    title = tr(
        lang,
        "{season} — {championship} title, {where}",
        season=season_title(view),
        championship=champ_name(champ.name, lang),
        where=where,
    )
    lines: list[str] = []
    fields: list[tuple[str, str]] = []
    kinds = [s.scoring for s in left]
    carries = [qualifying_scores(rules, s) for s in left]
    available = points_available(rules, champ.bonuses, len(left), kinds, carries)
    lines.append(
        trn(
            lang,
            "**{n} race left**, up to **{per}** points each ({total} in all)",
            "**{n} races left**, up to **{per}** points each ({total} in all)",
            available.races,
            per=number(available.per_race, lang),
            total=number(available.total, lang),
        )
        + (" — " + tr(lang, "scale inferred") if rules.certainty is not Certainty.CONFIRMED else "")
    )
    if table.complete:
        out = title_outlook(table, rules, champ.bonuses, len(left), kinds=kinds, qualifying=carries)
        for c in out.contenders:
            how = " " + tr(lang, "(only on count-back)") if c.by_countback else ""
            lines.append(
                "• "
                + tr(
                    lang,
                    "**{name}**: {points} pts, best case {best}",
                    name=c.name,
                    points=number(c.points, lang),
                    best=number(c.best, lang),
                )
                + how
            )
        if out.eliminated:
            fields.append(
                (
                    tr(lang, "Out of it"),
                    clip_lines(
                        [
                            tr(
                                lang,
                                "{name} ({points} pts, best case {best})",
                                name=c.name,
                                points=number(c.points, lang),
                                best=number(c.best, lang),
                            )
                            for c in out.eliminated
                        ],
                        1000,
                    ),
                )
            )
        if out.conditions:
            fields.append(
                (
                    tr(lang, "What it takes"),
                    clip_lines([render_condition(parts, lang) for parts in out.conditions], 1000),
                )
            )
    else:
        # Only a gap published for the end of the round is the gap going into the races left;
        # one from inside the round ("after R1") had a race of the round still to run.
        note = next(
            (
                n
                for n in view.standings_notes(slug, upto)
                if n.gap_points is not None and n.after_session is None
            ),
            None,
        )
        decided = not left and view.season.status == "final" and bool(view.outcomes(slug))
        lines.append(
            tr(lang, "No race left: the title was decided, as below.")
            if decided
            else tr(
                lang,
                "The record is incomplete: the computed totals are lower bounds, "
                "so nobody can be ruled in or out from them.",
            )
        )
        if note and note.leader and note.rival and note.gap_points is not None:
            lines.append(
                tr(lang, "Published: {text}", text=note.text) + mark(note.certainty, lang) + "."
            )
            conditions = published_gap_outlook(
                note.leader, note.rival, note.gap_points, rules, champ.bonuses, len(left)
            )
            fields.append(
                (
                    tr(lang, "What it took"),
                    clip_lines([render_condition([c], lang) for c in conditions], 1000),
                )
            )
            fields.append(
                (
                    tr(lang, "Everyone else"),
                    tr(
                        lang,
                        "Unknown: the record has no totals for the other drivers at this point.",
                    ),
                )
            )
        elif left or not view.outcomes(slug):
            lines.append(
                tr(
                    lang,
                    "No published standings give the gaps at this point, so the "
                    "title maths cannot be done honestly.",
                )
            )
    if view.season.status == "final" and (left or not table.complete) and view.outcomes(slug):
        fields.append((tr(lang, "What happened"), outcome_text(view, slug, lang)))
    footer = tie_break_text(view, lang) + (
        "" if table.complete else " · " + tr(lang, "incomplete record")
    )
    return Reply(pages=paginate(title, "\n".join(lines), [], footer, fields=fields, lang=lang))
