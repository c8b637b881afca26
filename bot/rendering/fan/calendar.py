"""The /calendar and /next answers: the season's rounds, dates and winners; the next round."""

from __future__ import annotations

import datetime as dt

from bot.domain.models import Round, Session
from bot.i18n import command_line, country, labelled, tr, trn
from bot.rendering.fan.common import INFERRED, Reply, label, paginate, season_title, ts
from bot.rendering.fan.winners import race_winner
from bot.services.championship import SeasonView
from bot.services.circuits import local_instant


def _start(rnd: Round, session: Session) -> str | None:
    """A Discord timestamp of a session's local start time at the circuit."""
    if not (session.date and session.start_time and rnd.timezone):
        return None
    instant = local_instant(session.date, session.start_time, rnd.timezone)
    return f"<t:{int(instant.timestamp())}:f>"


def calendar_reply(view: SeasonView, lang: str = "en") -> Reply:
    lines = []
    for rnd in view.season.rounds:
        when = (
            f"<t:{ts(rnd.start_date)}:D> – <t:{ts(rnd.end_date)}:D>"
            if rnd.start_date and rnd.end_date
            else tr(lang, "dates unknown")
        )
        if rnd.status != "scheduled":
            when += f" · **{tr(lang, rnd.status).upper()}**" + (
                f" ({rnd.note})" if rnd.note else ""
            )
        winners = []
        for s in view.season.sessions:
            if s.round_number != rnd.number:
                continue
            race = view.race(rnd.number, s.number) if s.number else None
            start = _start(rnd, s)
            if race is not None and race.classification.rows:
                winners.append(labelled(lang, f"R{s.number}", race_winner(view, race, lang)[0]))
            elif start is not None or (race is not None and rnd.status == "scheduled"):
                winners.append(labelled(lang, s.code, start or tr(lang, "to come")))
        place = ", ".join(x for x in (rnd.town, country(rnd.country, lang)) if x)
        lines.append(
            f"**{rnd.number}. {rnd.circuit}** ({place}) · {when}\n"
            f"　{' · '.join(winners) or tr(lang, 'no race yet')}"
        )
    title = tr(lang, "{season} — calendar", season=season_title(view))
    footer = trn(lang, "{n} round", "{n} rounds", len(lines))
    if any(INFERRED in line for line in lines):
        footer += f" · {INFERRED} " + tr(lang, "inferred")
    return Reply(pages=paginate(title, "", lines, footer, per_page=10, lang=lang))


def next_reply(view: SeasonView, today: dt.date, lang: str = "en") -> Reply:
    upcoming = [r for r in view.season.rounds if r.start_date and r.start_date >= today]
    title = tr(lang, "{season} — next round", season=season_title(view))
    if upcoming:
        rnd = upcoming[0]
        assert rnd.start_date is not None
        text = (
            tr(
                lang,
                "**Round {n}: {circuit}** ({town}, {country})",
                n=rnd.number,
                circuit=rnd.circuit,
                town=rnd.town,
                country=country(rnd.country, lang),
            )
            + "\n"
            + tr(
                lang,
                "{date} · starts {countdown}",
                date=f"<t:{ts(rnd.start_date)}:D>",
                countdown=f"<t:{ts(rnd.start_date)}:R>",
            )
        )
        return Reply(
            pages=paginate(
                title,
                text,
                [],
                trn(lang, "{n} round to go", "{n} rounds to go", len(upcoming)),
                lang=lang,
            )
        )
    last = view.races[-1] if view.races else None
    if last is None:
        return Reply(pages=paginate(title, tr(lang, "No round is scheduled."), [], "", lang=lang))
    race = view.race(last.round_number, last.number)
    assert race is not None
    when = " " + tr(lang, "on {date}", date=f"<t:{ts(last.date)}:D>") if last.date else ""
    text = tr(
        lang,
        "The {year} season is over. The last race was **{race}**{when}: see "
        "`{command}` and `/standings`.",
        year=view.season.year,
        race=label(race, lang),
        when=when,
        command=command_line(lang, f"/race {race.round.slug.replace('-', ' ')} {last.number}"),
    )
    return Reply(pages=paginate(title, text, [], tr(lang, "season finished"), lang=lang))
