"""The Confirm / Cancel view of an admin preview: only its author, applied once, expires.

Confirm acknowledges at once (a deferred update, well within Discord's 3 s) and then applies;
the answer follows as an edit of the preview, and the public announcement is sent whether or
not that edit gets through. When the season changed since the preview so that the change
would now do something else, the new outcome replaces the preview and Confirm is asked again.
The view holds no season view: only what it takes to plan the change again (its ``planner``)
and a fingerprint of what the admin was shown; the plan itself waits in a small shared cache.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord

from bot.adapters.discord.errors import BUSY, Answer, answer, report
from bot.adapters.discord.inflight import track
from bot.adapters.discord.reply import NO_MENTIONS, AuthorOnlyView
from bot.errors import DatabaseBusy, Kind
from bot.i18n import lang_of, tr
from bot.rendering import admin as render
from bot.rendering.fan import Reply
from bot.services.admin import Applied, OutcomeChanged, Plan

log = logging.getLogger(__name__)

PREVIEW_TIMEOUT_S = 300.0
CONFIRM_WAIT_S = 10.0  # how long a Confirm keeps trying while another writer holds the lock
PLANS_KEPT = 8  # open previews whose plan (two season views) is kept ready to apply


def fingerprint(plan: Plan) -> str:
    """What a preview shows of a change's outcome (the same text, the same change)."""
    embed = render.preview_reply(plan, 0, "en").pages[0].to_dict()
    embed.pop("footer", None)
    return repr(sorted(embed.items()))


class PlanCache:
    """The plans of the newest few previews; an older preview is planned again on Confirm."""

    def __init__(self, size: int = PLANS_KEPT) -> None:
        self.size = size
        self._plans: OrderedDict[str, Plan] = OrderedDict()

    def put(self, token: str, plan: Plan) -> None:
        self._plans[token] = plan
        while len(self._plans) > self.size:
            self._plans.popitem(last=False)

    def get(self, token: str) -> Plan | None:
        return self._plans.get(token)

    def pop(self, token: str) -> Plan | None:
        return self._plans.pop(token, None)

    def __len__(self) -> int:
        return len(self._plans)


def _not_applied(said: Answer, lang: str) -> str:
    if said.kind is Kind.BUG:
        return tr(
            lang,
            "Not applied: something went wrong and nothing was changed. It has been logged; "
            "try again.",
        )
    return tr(lang, "Not applied: {why}", why=said.text)


Apply = Callable[["ConfirmView"], Awaitable[Applied]]


class ConfirmView(AuthorOnlyView):
    """Confirm / Cancel for one preview."""

    refusal = "Only the admin who asked for this preview can confirm it."

    def __init__(
        self,
        author_id: int,
        apply: Apply,
        on_applied: Callable[[Applied], Awaitable[None]],
        lang: str = "en",
        *,
        shown: str = "",
        cache: PlanCache | None = None,
    ) -> None:
        super().__init__(timeout=PREVIEW_TIMEOUT_S)
        self.confirm.label = tr(lang, "Confirm")
        self.cancel.label = tr(lang, "Cancel")
        self.author_id = author_id
        self.apply = apply
        self.on_applied = on_applied
        self.lang = lang
        self.token = secrets.token_hex(8)
        self.shown = shown  # the fingerprint of the outcome the admin was shown
        self.cache = cache
        self.state = "open"  # open | applying | applied | cancelled | expired
        self.origin: discord.Interaction | None = None

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        lang = lang_of(interaction.locale)
        if self.state != "open":
            await interaction.response.send_message(
                tr(
                    lang,
                    "This preview is {state}: nothing more was done.",
                    state=tr(lang, self.state),
                ),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        self.state = "applying"  # a second click now gets "applying", not a second change
        try:
            await interaction.response.defer()  # answered at once; the outcome follows
        except (discord.HTTPException, aiohttp.ClientError):
            # Too late for this press (Discord's 3 s): the admin's decision still stands.
            log.warning("could not acknowledge a Confirm in time; applying it anyway")
        applied = await self._apply(interaction, lang)
        if applied is None:
            return
        self.state = "applied"
        self.stop()
        # The answer and the announcement do not depend on each other.
        await asyncio.gather(
            self._edit(interaction, render.applied_reply(applied, lang)),
            self._announce(applied),
        )

    async def _apply(self, interaction: discord.Interaction, lang: str) -> Applied | None:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + CONFIRM_WAIT_S
        while True:
            try:
                return await self.apply(self)
            except DatabaseBusy:
                if loop.time() < give_up:
                    await asyncio.sleep(0.25)
                    continue
                self.state = "open"  # nothing was written: the same preview can be confirmed
                await self._tell(interaction, tr(lang, BUSY))
                return None
            except OutcomeChanged as exc:
                self.state = "open"
                self.shown = fingerprint(exc.plan)
                if self.cache is not None:
                    self.cache.put(self.token, exc.plan)
                reply = render.preview_reply(exc.plan, int(PREVIEW_TIMEOUT_S), lang)
                embed = reply.pages[0]
                embed.description = tr(
                    lang,
                    "The season changed since your preview: this is what Confirm does now. "
                    "Nothing has changed yet; confirm again to apply it.",
                )
                await self._edit(interaction, Reply(pages=[embed], ephemeral=True), keep=True)
                return None
            except Exception as exc:  # nothing was written: say why, as the tree would
                said = answer(exc, lang)
                report(exc, said.kind, "an admin change", interaction.user.id)
                await self._close(interaction, _not_applied(said, lang))
                return None

    async def _close(self, interaction: discord.Interaction, text: str) -> None:
        self.state = "cancelled"
        self.stop()
        await self._edit(interaction, render.notice(text))

    async def _edit(
        self, interaction: discord.Interaction, reply: Reply, *, keep: bool = False
    ) -> None:
        try:
            await interaction.edit_original_response(
                embed=reply.pages[0], view=self if keep else None
            )
        except (discord.HTTPException, aiohttp.ClientError) as exc:
            log.warning("could not show the outcome of a Confirm (%s)", type(exc).__name__)

    async def _tell(self, interaction: discord.Interaction, text: str) -> None:
        try:
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except (discord.HTTPException, aiohttp.ClientError) as exc:
            log.warning("could not answer a Confirm (%s)", type(exc).__name__)

    async def _announce(self, applied: Applied) -> None:
        try:
            await self.on_applied(applied)
        except Exception:
            log.exception("announcing an applied change failed")

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        lang = lang_of(interaction.locale)
        if self.state != "open":
            await interaction.response.send_message(
                tr(lang, "This preview is {state}.", state=tr(lang, self.state)),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        self.state = "cancelled"
        self.stop()
        if self.cache is not None:
            self.cache.pop(self.token)
        await interaction.response.edit_message(
            embed=render.notice(tr(lang, "Cancelled: nothing was changed.")).pages[0], view=None
        )

    async def on_timeout(self) -> None:
        track(self.origin)  # closing the preview is worth finishing at shutdown
        if self.cache is not None:
            self.cache.pop(self.token)
        if self.state != "open":
            return
        self.state = "expired"
        if self.origin is not None:
            try:
                lang = lang_of(self.origin.locale)
                await self.origin.edit_original_response(
                    embed=render.notice(tr(lang, "Preview expired: nothing was changed.")).pages[0],
                    view=None,
                )
            except (discord.HTTPException, aiohttp.ClientError, RuntimeError):
                log.debug("could not mark an expired preview")

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        said = answer(error, lang_of(interaction.locale))
        report(error, said.kind, "a preview button", interaction.user.id)
        if self.state == "applying":
            self.state = "cancelled"
        try:
            if interaction.response.is_done():
                await interaction.followup.send(
                    said.text, ephemeral=True, allowed_mentions=NO_MENTIONS
                )
            else:
                await interaction.response.send_message(
                    said.text, ephemeral=True, allowed_mentions=NO_MENTIONS
                )
        except (discord.HTTPException, aiohttp.ClientError):
            log.warning("could not answer after a button failed")
