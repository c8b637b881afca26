"""Fan answers as Discord embeds, one module per answer; this package names them all.

Pure functions from season views to :class:`Reply`. Renderers format; the counting (records,
head to head, class winners, points left) is in :mod:`bot.domain.stats`. Unknown is written
as unknown; inferred facts are marked; computed tables from an incomplete record say so.
"""

from bot.rendering.fan.calendar import calendar_reply, next_reply
from bot.rendering.fan.chart_text import chart_fallback
from bot.rendering.fan.common import (
    COLOUR,
    ERROR_COLOUR,
    INFERRED,
    TIE_BREAK,
    Reply,
    champ_name,
    error_reply,
    label,
    ordinal,
    penalty_text,
    race_name,
    season_title,
    session_name,
)
from bot.rendering.fan.compare import compare_reply
from bot.rendering.fan.driver import driver_reply
from bot.rendering.fan.help import HELP, help_reply
from bot.rendering.fan.penalties import penalties_reply
from bot.rendering.fan.race import race_reply
from bot.rendering.fan.standings import standings_reply
from bot.rendering.fan.title import render_condition, title_reply
from bot.rendering.fan.winners import poles_reply, race_winner, winners_reply

__all__ = [
    "COLOUR",
    "ERROR_COLOUR",
    "HELP",
    "INFERRED",
    "TIE_BREAK",
    "Reply",
    "calendar_reply",
    "champ_name",
    "chart_fallback",
    "compare_reply",
    "driver_reply",
    "error_reply",
    "help_reply",
    "label",
    "next_reply",
    "ordinal",
    "penalties_reply",
    "penalty_text",
    "poles_reply",
    "race_name",
    "race_reply",
    "race_winner",
    "render_condition",
    "season_title",
    "session_name",
    "standings_reply",
    "title_reply",
    "winners_reply",
]
