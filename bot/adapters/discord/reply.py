"""Sending a rendered :class:`Reply` once, with no mentions, paging long answers."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import discord

from bot.adapters.discord.inflight import track
from bot.i18n import lang_of, tr
from bot.rendering.fan import Reply, error_reply

log = logging.getLogger(__name__)

PAGE_TIMEOUT_S = 180.0
NO_MENTIONS = discord.AllowedMentions.none()


class AuthorOnlyView(discord.ui.View):
    """Buttons only the person who asked can press; anyone else gets a private word."""

    author_id: int
    refusal = "Only the person who asked can use these buttons."

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        track(interaction)  # an answer in progress, until this task ends
        if interaction.user.id == self.author_id:
            return True
        await interaction.response.send_message(
            tr(lang_of(interaction.locale), self.refusal),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False


class Paginator(AuthorOnlyView):
    """Previous / Next buttons that only the asker can press; removed on timeout."""

    refusal = "Only the person who asked can turn these pages: run the command yourself."

    def __init__(self, pages: list[discord.Embed], author_id: int, lang: str = "en") -> None:
        super().__init__(timeout=PAGE_TIMEOUT_S)
        self.pages = pages
        self.author_id = author_id
        self.previous.label = tr(lang, "Previous")
        self.next.label = tr(lang, "Next")
        self.index = 0
        self.origin: discord.Interaction | None = None
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def _show(self, interaction: discord.Interaction) -> None:
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.index = max(0, self.index - 1)
        await self._show(interaction)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.index = min(len(self.pages) - 1, self.index + 1)
        await self._show(interaction)

    async def on_timeout(self) -> None:
        if self.origin is None:
            return
        track(self.origin)  # removing the buttons is worth finishing at shutdown
        try:
            await self.origin.edit_original_response(view=None)
        except (discord.HTTPException, aiohttp.ClientError, RuntimeError):
            # Message gone, token expired, or the connection closing at shutdown.
            log.debug("could not remove the page buttons")


async def send_reply(interaction: discord.Interaction, reply: Reply) -> None:
    """Answer the interaction once (or follow up if it was deferred)."""
    kwargs: dict[str, Any] = {
        "ephemeral": reply.ephemeral,
        "allowed_mentions": NO_MENTIONS,
    }
    if reply.content:
        kwargs["content"] = reply.content
    if reply.pages:
        kwargs["embed"] = reply.pages[0]
    view: Paginator | None = None
    if len(reply.pages) > 1:
        view = Paginator(reply.pages, interaction.user.id, lang_of(interaction.locale))
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
    if view is not None:
        view.origin = interaction


async def send_error(
    interaction: discord.Interaction,
    message: str,
    suggestions: tuple[str, ...] = (),
    lang: str = "en",
) -> None:
    await send_reply(interaction, error_reply(message, suggestions, lang))
