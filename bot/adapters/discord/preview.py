"""Asking an admin to confirm a change: the preview with Confirm / Cancel every admin command shows.

Each command hands :meth:`Previews.show` a *planner* that works the change out again from its
options (:meth:`Previews.on_season` makes one for a change to one season), so Confirm can apply
it to the season as it is then, however many previews are open and whatever was applied since
(:mod:`confirm` asks again when the outcome differs).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import discord

from bot.adapters.discord.confirm import (
    PREVIEW_TIMEOUT_S,
    Apply,
    ConfirmView,
    PlanCache,
    fingerprint,
)
from bot.adapters.discord.reply import NO_MENTIONS
from bot.errors import DatabaseUnavailable
from bot.i18n import lang_of
from bot.rendering import admin as render
from bot.rendering.fan import Reply
from bot.services.admin import Actor, AdminService, Applied, Plan
from bot.services.championship import SeasonView

Planner = Callable[[], Awaitable[Plan]]
Announce = Callable[[Applied], Awaitable[None]]


def actor_of(interaction: discord.Interaction) -> Actor:
    return Actor(interaction.user.id, interaction.user.name)


class Previews:
    """The admin commands' previews, and the plans of the newest few ready to apply."""

    def __init__(
        self, admin: AdminService, announce: Announce, backup: Callable[[], Awaitable[object]]
    ) -> None:
        self.admin = admin
        self.announce = announce  # called once a change is applied
        self.backup = backup  # before an import; raises when the backup cannot be made
        self.plans = PlanCache()

    def on_season(self, season_id: int, plan: Callable[[SeasonView], Awaitable[Plan]]) -> Planner:
        """A planner for a change to one season: ``plan`` on that season as it is when called
        (for the preview, then again at Confirm); ``plan`` finds what was picked in the view it
        is given (``race_in``, ``entry_in``, ``round_in``)."""

        async def planner() -> Plan:
            return await plan(await self.admin.service.get(season_id))

        return planner

    async def show(
        self, interaction: discord.Interaction, planner: Planner, *, backup: bool = False
    ) -> None:
        """Show a change's preview; Confirm applies it (after a backup, with ``backup``)."""
        if self.admin.service.db.read_only is not None:  # say so now, not after Confirm
            raise DatabaseUnavailable(self.admin.service.db.read_only)
        actor = actor_of(interaction)
        plan = await planner()

        async def apply(view: ConfirmView) -> Applied:
            if backup:  # refused, with the reason, when the backup cannot be made
                await self.backup()
            # Kept until applied: a try that finds the database busy is tried again on it.
            applied = await self.admin.apply(
                self.plans.get(view.token),
                actor,
                view.token,
                planner=planner,
                shown=view.shown,
                outcome=fingerprint,
            )
            self.plans.pop(view.token)
            return applied

        lang = lang_of(interaction.locale)
        # Rendered in a worker thread too: comparing every standings table takes milliseconds.
        shown, reply = await asyncio.to_thread(
            lambda: (fingerprint(plan), render.preview_reply(plan, int(PREVIEW_TIMEOUT_S), lang))
        )
        view = ConfirmView(
            interaction.user.id, apply, self.announce, lang, shown=shown, cache=self.plans
        )
        self.plans.put(view.token, plan)
        await self.ask(interaction, view, reply)

    def view(self, interaction: discord.Interaction, apply: Apply) -> ConfirmView:
        """A Confirm / Cancel for a change that is not a plan (a new season)."""
        return ConfirmView(interaction.user.id, apply, self.announce, lang_of(interaction.locale))

    async def ask(self, interaction: discord.Interaction, view: ConfirmView, reply: Reply) -> None:
        """Send the preview with its buttons; they close it when it expires."""
        await interaction.response.send_message(
            embed=reply.pages[0], view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        view.origin = interaction
