"""Season admin answers: the preview of a new season, its rules, and its state."""

from __future__ import annotations

import discord

from bot.domain.models import Season
from bot.domain.rules_text import describe_rules as rules_in_words
from bot.i18n import tr, trn
from bot.rendering.admin import PREVIEW_COLOUR
from bot.rendering.fan import COLOUR, Reply
from bot.rendering.limits import clip, clip_lines, fit_embed
from bot.services.championship import SeasonView
from bot.services.season_create import NewSeason, describe_rules


def create_preview(new: NewSeason, expires_s: int, lang: str = "en") -> Reply:
    embed = discord.Embed(
        title=clip(tr(lang, "Preview — create {season}", season=new.name), 256),
        description=tr(
            lang,
            "Series {series}, {year}: rules and championships copied from {source}. "
            "Nothing has changed yet.",
            series=new.series_name,
            year=new.year,
            source=new.from_label,
        ),
        colour=PREVIEW_COLOUR,
    )
    embed.add_field(
        name=tr(lang, "Scoring"),
        value=clip_lines(
            _in_words(new.source, lang) if new.source else describe_rules(new.rules_json), 1000
        ),
        inline=False,
    )
    if new.not_copied:
        what = {
            "nominated": tr(lang, "nominated drivers"),
            "nominations": tr(lang, "nominations"),
            "exclusions": tr(lang, "exclusions"),
        }
        title = tr(
            lang, "Not copied: they name {source}'s drivers and teams", source=new.from_label
        )
        lines = [f"{champ}: {what[key]}" for champ, key in new.not_copied]
        embed.add_field(name=clip(title, 256), value=clip_lines(lines, 1000), inline=False)
    embed.add_field(
        name=tr(lang, "Next"),
        value=tr(lang, "/round add for each round, then /entry add for each driver."),
        inline=False,
    )
    embed.set_footer(
        text=tr(lang, "Confirm applies it; Cancel drops it; expires in {n} min.", n=expires_s // 60)
    )
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def _in_words(season: Season, lang: str) -> list[str]:
    return [tr(lang, template, **params) for template, params in rules_in_words(season)]


def rules_reply(view: SeasonView, lang: str = "en") -> Reply:
    embed = discord.Embed(
        title=clip(tr(lang, "{season} — scoring", season=view.season.name), 256),
        description=clip_lines(_in_words(view.season, lang), 4000),
        colour=COLOUR,
    )
    if view.season.scoring.note:
        embed.add_field(name=tr(lang, "Note"), value=clip(view.season.scoring.note, 1000))
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def status_reply(view: SeasonView, lang: str = "en") -> Reply:
    season = view.season
    run = [s for s in view.races if view.classifications[s.id].rows]
    cancelled = [r for r in season.rounds if r.status == "cancelled"]
    lines = [
        tr(lang, "Status: {status}", status=tr(lang, season.status)),
        tr(
            lang,
            "{rounds} ({cancelled}), {races}, {run} with results",
            rounds=trn(lang, "{n} round", "{n} rounds", len(season.rounds)),
            cancelled=trn(lang, "{n} cancelled", "{n} cancelled", len(cancelled)),
            races=trn(lang, "{n} race", "{n} races", len(view.races)),
            run=len(run),
        ),
        trn(lang, "{n} entry", "{n} entries", len(season.entries)),
        tr(
            lang,
            "{poles} and {laps} recorded",
            poles=trn(lang, "{n} pole", "{n} poles", sum(1 for s in view.races if s.pole_entry_id)),
            laps=trn(
                lang,
                "{n} fastest lap",
                "{n} fastest laps",
                sum(1 for s in view.races if s.fastest_lap_entry_id),
            ),
        ),
    ]
    embed = discord.Embed(
        title=clip(tr(lang, "{season} — status", season=season.name), 256),
        description="\n".join(lines),
        colour=COLOUR,
    )
    return Reply(pages=[fit_embed(embed)], ephemeral=True)
