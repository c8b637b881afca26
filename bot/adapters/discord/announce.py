"""Where the bot's announcements go: a channel on Discord; nowhere from the local console.

The admin cog is given one of these (it never asks whether it is online): the Discord runner
passes :class:`ChannelAnnouncer`, the console :func:`no_announcements`.
"""

from __future__ import annotations

import logging
from typing import Protocol

import discord

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


class Announcer(Protocol):
    async def __call__(self, client: discord.Client, embed: discord.Embed) -> None: ...


class ChannelAnnouncer:
    """Posts to one channel (``PARCFERME_ANNOUNCE_CHANNEL_ID``; none: posts nothing), never
    pinging anyone; a refusal from Discord is logged, not raised (the change is done)."""

    def __init__(self, channel_id: int | None) -> None:
        self.channel_id = channel_id

    async def __call__(self, client: discord.Client, embed: discord.Embed) -> None:
        if self.channel_id is None:
            return
        try:
            channel = client.get_partial_messageable(self.channel_id)
            await channel.send(embed=embed, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("announcement not sent (HTTP %s)", exc.status)


async def no_announcements(client: discord.Client, embed: discord.Embed) -> None:
    """The console's: it has no channel to post to."""
    del client, embed


async def read_from_discord(attachment: discord.Attachment) -> bytes:
    """An uploaded file's bytes, from Discord's CDN (the runner's attachment reader)."""
    return await attachment.read()
