"""The /help answer: every fan command with an example, named as the user's client names it."""

from __future__ import annotations

import discord

from bot.i18n import command_line, tr
from bot.rendering.fan.common import COLOUR, Reply
from bot.rendering.limits import fit_embed

HELP = (
    (
        "/standings [championship] [season] [after_round]",
        "Standings: drivers, pro-am, am, rookie, teams. `/standings rookie`, "
        "`/standings drivers after_round:5`",
    ),
    (
        "/race <circuit> [number] [season]",
        "A race's classification with penalties and their effect. `/race monza 1`, "
        "`/race le castellet 2`, `/race le mans`",
    ),
    ("/winners [class] [season]", "Every race winner with a tally. `/winners pro-am`"),
    ("/poles [season]", "Every pole position with a tally."),
    (
        "/penalties [driver] [race] [season]",
        "Stewards' decisions, newest first. `/penalties paque`, `/penalties race:monza 2`",
    ),
    ("/driver <name> [season]", "A driver's season. `/driver boullery`, `/driver 98`"),
    ("/calendar [season]", "Rounds, dates and winners."),
    (
        "/title [championship] [season] [after_round]",
        "Who can still win, and what it takes. `/title after_round:5`",
    ),
    ("/chart [championship] [season] [drivers]", "The points race by race, as a picture."),
    ("/compare <first> <second> [season]", "Head to head. `/compare boccolacci ghiretti`"),
    ("/next [season]", "The next round with a countdown."),
)


def help_reply(lang: str = "en") -> Reply:
    embed = discord.Embed(
        title=tr(lang, "Parc Fermé — commands"),
        description=tr(
            lang,
            "Names are forgiving: case, accents, part of a name and other names of a circuit "
            "all work (Le Castellet = Paul Ricard, Spielberg = Red Bull Ring). The season "
            "defaults to the latest.",
        ),
        colour=COLOUR,
    )
    for name, text in HELP:
        embed.add_field(name=command_line(lang, name), value=tr(lang, text), inline=False)
    embed.set_footer(text=tr(lang, "Unknown facts are shown as unknown; inferred ones are marked."))
    return Reply(pages=[fit_embed(embed)])
