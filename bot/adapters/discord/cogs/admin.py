"""Admin slash commands: /penalty, /result, /entry, /audit, /undo.

``default_permissions`` (Manage Server) only hides them by default; the lock is the runtime
check in :meth:`AdminCog.interaction_check`. Every change is previewed and needs Confirm.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.cogs.fan import FanCog
from bot.adapters.discord.reply import NO_MENTIONS, AuthorOnlyView, send_reply
from bot.adapters.discord.tree import Forbidden
from bot.domain.models import Entry, PenaltyType, Status
from bot.i18n import Phrase, lang_of, tr
from bot.rendering import admin as render
from bot.rendering.fan import session_name
from bot.services import seeding
from bot.services.admin import Actor, AdminService, Applied, Conflict, Plan, race_phrase
from bot.services.lookup import Invalid, Lookup
from bot.services.results_csv import MAX_BYTES, CsvProblem, parse_classification
from bot.services.session_admin import (
    SessionAdmin,
    fastest_lap_line,
    parse_rounds,
    qualifying_target,
)
from bot.services.timing_export import ExportProblem, race_time_ms
from bot.settings import Settings
from bot.storage.database import DatabaseBusy

log = logging.getLogger(__name__)

PREVIEW_TIMEOUT_S = 300.0
ADMIN_PERMISSIONS = discord.Permissions(manage_guild=True)

AttachmentReader = Callable[[discord.Attachment], Awaitable[bytes]]


class ConfirmView(AuthorOnlyView):
    """Confirm / Cancel for one preview; only its author; applies once; expires."""

    refusal = "Only the admin who asked for this preview can confirm it."

    def __init__(
        self,
        author_id: int,
        run: Callable[[str], Awaitable[Applied]],
        on_applied: Callable[[Applied], Awaitable[None]],
        lang: str = "en",
    ) -> None:
        super().__init__(timeout=PREVIEW_TIMEOUT_S)
        self.confirm.label = tr(lang, "Confirm")
        self.cancel.label = tr(lang, "Cancel")
        self.author_id = author_id
        self.run = run
        self.on_applied = on_applied
        self.token = secrets.token_hex(8)
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
            applied = await self.run(self.token)
        except DatabaseBusy:
            self.state = "open"  # nothing was written: the same preview can be confirmed again
            await interaction.response.send_message(
                tr(lang, "The database is busy with another change: try again in a few seconds."),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        except (Invalid, Conflict) as exc:
            self.state = "cancelled"
            self.stop()
            await interaction.response.edit_message(
                embed=render.notice(tr(lang, "Not applied: {why}", why=exc.message(lang))).pages[0],
                view=None,
            )
            return
        except Exception:
            self.state = "cancelled"
            self.stop()
            log.exception("applying an admin change failed")
            await interaction.response.edit_message(
                embed=render.notice(
                    tr(
                        lang,
                        "Not applied: something went wrong and nothing was changed. It has "
                        "been logged; try again.",
                    )
                ).pages[0],
                view=None,
            )
            return
        self.state = "applied"
        self.stop()
        await interaction.response.edit_message(
            embed=render.applied_reply(applied, lang).pages[0], view=None
        )
        await self.on_applied(applied)

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
        await interaction.response.edit_message(
            embed=render.notice(tr(lang, "Cancelled: nothing was changed.")).pages[0], view=None
        )

    async def on_timeout(self) -> None:
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


def actor_of(interaction: discord.Interaction) -> Actor:
    return Actor(interaction.user.id, interaction.user.name)


class AdminCog(commands.Cog):
    penalty = app_commands.Group(
        name="penalty",
        description="Stewards' decisions: add, revoke, list (admins)",
        default_permissions=ADMIN_PERMISSIONS,
        guild_only=True,
    )
    result = app_commands.Group(
        name="result",
        description="Race results: import a CSV, correct one, set provisional/final (admins)",
        default_permissions=ADMIN_PERMISSIONS,
        guild_only=True,
    )
    entry = app_commands.Group(
        name="entry",
        description="Entries: drivers, teams, car numbers, classes (admins)",
        default_permissions=ADMIN_PERMISSIONS,
        guild_only=True,
    )

    def __init__(
        self,
        lookup: Lookup,
        admin: AdminService,
        settings: Settings,
        client: discord.Client,
        *,
        online: bool,
        read_attachment: AttachmentReader | None = None,
    ) -> None:
        self.lookup = lookup
        self.admin = admin
        self.settings = settings
        self.client = client
        self.online = online
        self.read_attachment = read_attachment or self._read_attachment
        self.completions = FanCog(lookup)  # the same autocomplete code as the fan commands
        self.sessions = SessionAdmin(admin)

    # -- the lock ------------------------------------------------------------------------------
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        command = interaction.command.qualified_name if interaction.command else "?"
        guild_id = interaction.guild_id
        home = self.settings.home_guild_id
        reason = None
        if guild_id is None:
            reason = "Admin commands only work in the championship's server."
        elif home is not None and guild_id != home:
            reason = "Admin commands only work in the championship's own server."
        else:
            member_roles = set(
                getattr(interaction.user, "_roles", ())
            )  # role ids, from the payload
            allowed = interaction.permissions.manage_guild or bool(
                member_roles & set(self.settings.admin_role_ids)
            )
            if not allowed:
                reason = (
                    "Only the championship's admins can do this (Manage Server, or an admin "
                    "role set by the bot's owner)."
                )
        if reason is None:
            return True
        log.warning("refused /%s for user %s in guild %s", command, interaction.user.id, guild_id)
        raise Forbidden(reason)

    # -- helpers -------------------------------------------------------------------------------
    async def _preview(
        self, interaction: discord.Interaction, plan: Plan, *, backup: bool = False
    ) -> None:
        actor = actor_of(interaction)

        async def run(token: str) -> Applied:
            if backup:
                await seeding.backup(
                    self.admin.service.db,
                    self.settings.backup_dir,
                    self.settings.backups_kept,
                    label="before-import",
                )
            return await self.admin.apply(plan, actor, token)

        view = ConfirmView(interaction.user.id, run, self._announce, lang_of(interaction.locale))
        reply = render.preview_reply(plan, int(PREVIEW_TIMEOUT_S), lang_of(interaction.locale))
        await interaction.response.send_message(
            embed=reply.pages[0], view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        view.origin = interaction

    async def _announce(self, applied: Applied) -> None:
        channel_id = self.settings.announce_channel_id
        embed = render.announcement(applied)
        if channel_id is None or embed is None or not self.online:
            return
        try:
            channel = self.client.get_partial_messageable(channel_id)
            await channel.send(embed=embed, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("announcement not sent (HTTP %s)", exc.status)

    async def _read_attachment(self, attachment: discord.Attachment) -> bytes:
        if not self.online and attachment.url.startswith("file://"):
            local = Path(attachment.url.removeprefix("file://"))
            return await asyncio.to_thread(local.read_bytes)
        return await attachment.read()

    # -- autocomplete (shared with the fan commands) ---------------------------------------------
    async def _driver_ac(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.completions.driver_autocomplete(interaction, current)

    async def _race_ac(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.completions.race_autocomplete(interaction, current)

    # -- /penalty ------------------------------------------------------------------------------
    @penalty.command(name="add")
    @app_commands.describe(
        driver="who (autocomplete)",
        race="which race, e.g. monza 1 or le castellet 2",
        type="time (s) · positions (places) · dsq · points (deducted) · grid (later race) · "
        "reprimand",
        reason="why (shown publicly)",
        value="seconds, places or points (not for dsq or reprimand)",
    )
    @app_commands.choices(
        type=[
            app_commands.Choice(name=t.value, value=t.value)
            for t in (
                PenaltyType.TIME,
                PenaltyType.POSITIONS,
                PenaltyType.DSQ,
                PenaltyType.POINTS,
                PenaltyType.GRID,
                PenaltyType.REPRIMAND,
            )
        ]
    )
    @app_commands.autocomplete(driver=_driver_ac, race=_race_ac)
    async def penalty_add(
        self,
        interaction: discord.Interaction,
        driver: str,
        race: str,
        type: app_commands.Choice[str],
        reason: str,
        value: app_commands.Range[int, 0, 100_000] | None = None,
    ) -> None:
        """Give a penalty (previewed; Confirm applies it)."""
        view = self.lookup.service.latest()
        index = self.lookup.index(view)
        race_view = index.race(race)
        entry = index.driver(driver)
        try:
            ptype = PenaltyType(type.value)
        except ValueError:
            raise Invalid("Pick a type from the list.") from None
        plan = self.admin.plan_penalty_add(
            view, entry, race_view, ptype, reason, value, actor_of(interaction)
        )
        await self._preview(interaction, plan)

    @penalty.command(name="revoke")
    @app_commands.describe(id="the penalty number (see /penalty list)", reason="why")
    async def penalty_revoke(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 10**12], reason: str
    ) -> None:
        """Revoke a penalty (previewed; restores exactly what it changed)."""
        await self._preview(
            interaction, await self.admin.plan_penalty_revoke(id, reason, actor_of(interaction))
        )

    @penalty.command(name="list")
    @app_commands.describe(race="only this race")
    @app_commands.autocomplete(race=_race_ac)
    async def penalty_list(self, interaction: discord.Interaction, race: str | None = None) -> None:
        """Every penalty, revoked ones too, with who decided and when."""
        view = self.lookup.service.latest()
        items = view.penalties()
        if race:
            rv = self.lookup.index(view).race(race)
            items = [t for t in items if t[1].id == rv.session.id]
        lang = lang_of(interaction.locale)
        labelled = [(session_name(view, t[1].id, lang), t[2]) for t in items]
        await send_reply(interaction, render.penalty_list_reply(view, labelled, lang))

    # -- /result -------------------------------------------------------------------------------
    @result.command(name="import")
    @app_commands.describe(race="which race", file="the classification as CSV (see the README)")
    @app_commands.autocomplete(race=_race_ac)
    async def result_import(
        self, interaction: discord.Interaction, race: str, file: discord.Attachment
    ) -> None:
        """Import a race's full classification from a CSV (previewed, all or nothing)."""
        view = self.lookup.service.latest()
        index = self.lookup.index(view)
        qualifying = qualifying_target(index, race)
        rv = qualifying or index.race(race)
        if file.size > MAX_BYTES:
            raise Invalid(
                "The file is {size:,} bytes; the limit is {limit:,}.",
                size=file.size,
                limit=MAX_BYTES,
            )
        data = await self.read_attachment(file)

        def resolve(kind: str, value: str) -> Entry | str:
            entries = [e for e in view.season.entries if e.enters(rv.round.number)]
            if kind == "car":
                if not value.isdigit():
                    return f"car {value[:20]!r} is not a number"
                found = [e for e in entries if e.car_number == int(value)]
                if len(found) != 1:
                    return (
                        f"no car #{value} entered in this round"
                        if not found
                        else (f"car #{value} is more than one entry: use the driver column")
                    )
                return found[0]
            try:
                return index.driver(value, rv.round.number)
            except LookupError as exc:
                return str(exc)

        try:
            read = parse_classification(data, rv.session.id, resolve)
        except CsvProblem as exc:
            raise Invalid(
                "The file was not imported:\n{problems}", problems="\n".join(exc.problems[:15])
            ) from None
        if qualifying is not None:
            await self._preview(interaction, await self.sessions.plan_qualifying(view, rv, read))
            return
        results = await self.sessions.grid_from_qualifying(rv.session.id, read.results)
        complete = read.complete
        # The file lists every car: the order is complete even when times are missing.
        plan = self.admin.plan_results(
            view,
            rv,
            results,
            True,
            "result.import",
            Phrase(
                "import {n} results into {race}"
                if complete
                else "import {n} results into {race} (no times: time penalties will not be "
                "possible)",
                n=len(results),
                race=race_phrase(rv),
            ),
        )
        plan = self.sessions.with_fastest_lap(plan, read)
        plan.extra["read_as"] = (read.read_as, *read.notes, *fastest_lap_line(view, read))
        await self._preview(interaction, plan, backup=True)

    @result.command(name="set")
    @app_commands.describe(
        race="which race",
        driver="who",
        position="classified position (leave empty with a status)",
        status="DNF, DNS, DSQ or NC",
        laps="laps completed",
        time="total race time, e.g. 31:02.456",
    )
    @app_commands.choices(status=[app_commands.Choice(name=s.value, value=s.value) for s in Status])
    @app_commands.autocomplete(race=_race_ac, driver=_driver_ac)
    async def result_set(
        self,
        interaction: discord.Interaction,
        race: str,
        driver: str,
        position: app_commands.Range[int, 1, 200] | None = None,
        status: app_commands.Choice[str] | None = None,
        laps: app_commands.Range[int, 0, 10_000] | None = None,
        time: str | None = None,
    ) -> None:
        """Correct one driver's result in a race (previewed)."""
        view = self.lookup.service.latest()
        index = self.lookup.index(view)
        rv = index.race(race)
        entry = index.driver(driver)
        time_ms = None
        if time:
            try:
                time_ms = race_time_ms(time)
            except ExportProblem as exc:
                raise Invalid("{problem}", problem=str(exc)) from None
        state = Status(status.value) if status else None
        plan = self.admin.plan_result_set(view, rv, entry, position, state, laps, time_ms)
        await self._preview(interaction, plan)

    @result.command(name="status")
    @app_commands.describe(race="which race", state="provisional or final")
    @app_commands.choices(
        state=[
            app_commands.Choice(name="provisional", value="provisional"),
            app_commands.Choice(name="final", value="final"),
        ]
    )
    @app_commands.autocomplete(race=_race_ac)
    async def result_status(
        self, interaction: discord.Interaction, race: str, state: app_commands.Choice[str]
    ) -> None:
        """Mark a race's classification provisional or final (previewed)."""
        view = self.lookup.service.latest()
        rv = self.lookup.index(view).race(race)
        await self._preview(
            interaction, self.admin.plan_result_status(view, rv, state.value == "final")
        )

    # -- /entry --------------------------------------------------------------------------------
    @entry.command(name="add")
    @app_commands.describe(
        driver="full name",
        team="team name",
        klass="Pro, Pro-Am or Am",
        car_number="0-999",
        rookie="a rookie",
        junior="a junior",
        guest="a guest (scores nothing)",
        rounds="rounds entered: all (default), 3, or 1,2,5, or 3-6",
    )
    @app_commands.rename(klass="class")
    @app_commands.choices(
        klass=[app_commands.Choice(name=c, value=c) for c in ("Pro", "Pro-Am", "Am")]
    )
    async def entry_add(
        self,
        interaction: discord.Interaction,
        driver: str,
        team: str | None = None,
        klass: app_commands.Choice[str] | None = None,
        car_number: app_commands.Range[int, 0, 999] | None = None,
        rookie: bool | None = None,
        junior: bool | None = None,
        guest: bool = False,
        rounds: str | None = None,
    ) -> None:
        """Enter a driver in the latest season (previewed)."""
        view = await self.lookup.service.newest()
        new = Entry(
            id=0,
            driver_id=0,
            driver=driver,
            team_id=None,
            team=team,
            car_number=car_number,
            klass=klass.value if klass else None,
            rookie=rookie,
            junior=junior,
            guest=guest,
            rounds=parse_rounds(rounds or "", view),
        )
        await self._preview(interaction, self.admin.plan_entry_add(view, new))

    @entry.command(name="withdraw")
    @app_commands.describe(
        driver="who", from_round="the first round missed (default: the next one without results)"
    )
    @app_commands.autocomplete(driver=_driver_ac)
    async def entry_withdraw(
        self,
        interaction: discord.Interaction,
        driver: str,
        from_round: app_commands.Range[int, 1, 99] | None = None,
    ) -> None:
        """Withdraw a driver from the rest of the season; results so far stay (previewed)."""
        view = await self.lookup.service.newest()
        entry = self.lookup.index(view).driver(driver)
        plan = self.sessions.plan_withdraw(view, entry, from_round)
        await self._preview(interaction, plan)

    @entry.command(name="edit")
    @app_commands.describe(
        driver="who",
        team="new team",
        klass="new class",
        car_number="new number",
        rookie="rookie?",
        junior="junior?",
        guest="guest?",
    )
    @app_commands.rename(klass="class")
    @app_commands.choices(
        klass=[app_commands.Choice(name=c, value=c) for c in ("Pro", "Pro-Am", "Am")]
    )
    @app_commands.autocomplete(driver=_driver_ac)
    async def entry_edit(
        self,
        interaction: discord.Interaction,
        driver: str,
        team: str | None = None,
        klass: app_commands.Choice[str] | None = None,
        car_number: app_commands.Range[int, 0, 999] | None = None,
        rookie: bool | None = None,
        junior: bool | None = None,
        guest: bool | None = None,
    ) -> None:
        """Change an entry: team, class, number, rookie/junior/guest (previewed)."""
        view = await self.lookup.service.newest()
        old = self.lookup.index(view).driver(driver)
        new = replace(
            old,
            team=team if team is not None else old.team,
            klass=klass.value if klass else old.klass,
            car_number=car_number if car_number is not None else old.car_number,
            rookie=rookie if rookie is not None else old.rookie,
            junior=junior if junior is not None else old.junior,
            guest=guest if guest is not None else old.guest,
        )
        await self._preview(interaction, self.admin.plan_entry_edit(view, old, new))

    # -- /audit and /undo ----------------------------------------------------------------------
    @app_commands.command(name="audit")
    @app_commands.describe(limit="how many (newest first, up to 50)")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def audit(
        self, interaction: discord.Interaction, limit: app_commands.Range[int, 1, 50] = 15
    ) -> None:
        """Who changed what and when (admins)."""
        await send_reply(
            interaction,
            render.audit_reply(await self.admin.audit(limit), lang_of(interaction.locale)),
        )

    @app_commands.command(name="undo")
    @app_commands.describe(id="the audit number (see /audit)")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def undo(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 10**12]
    ) -> None:
        """Revert one change if nothing later depends on it (previewed, audited)."""
        await self._preview(interaction, await self.admin.plan_undo(id, actor_of(interaction)))
