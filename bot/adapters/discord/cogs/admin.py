"""Admin slash commands: /penalty, /result, /audit, /undo (and the previews every admin cog uses).

Who may use them is declared with each group and command (:mod:`checks`: the
``default_permissions`` hint and the runtime lock together). Every change is previewed and
needs Confirm (:mod:`preview`); the options name their season's objects (:mod:`options`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.announce import Announcer
from bot.adapters.discord.checks import AdminGroup, is_championship_admin
from bot.adapters.discord.options import (
    Driver,
    ImportTarget,
    ImportTargetOption,
    Race,
    fixed,
    season_of,
)
from bot.adapters.discord.preview import Previews, actor_of
from bot.adapters.discord.reply import send_reply
from bot.domain.models import PenaltyType, Status
from bot.errors import CsvProblem, Invalid
from bot.i18n import Phrase, lang_of
from bot.rendering import admin as render
from bot.rendering.fan import session_name
from bot.services import seeding
from bot.services.admin import AdminService, Applied, Plan, race_phrase
from bot.services.admin.penalties import ADMIN_TYPES
from bot.services.championship import SeasonView
from bot.services.lookup import Lookup, entry_in, race_in
from bot.services.results_csv import MAX_BYTES, entries_named, parse_classification
from bot.services.session_admin import (
    SessionAdmin,
    fastest_lap_line,
    with_fastest_lap,
)
from bot.services.timing_export import race_time_ms
from bot.settings import Settings

AttachmentReader = Callable[[discord.Attachment], Awaitable[bytes]]


class AdminCog(commands.Cog):
    penalty = AdminGroup(
        name="penalty",
        description="Stewards' decisions: add, revoke, list (admins)",
    )
    result = AdminGroup(
        name="result",
        description="Race results: import a CSV, correct one, set provisional/final (admins)",
    )

    def __init__(
        self,
        lookup: Lookup,
        admin: AdminService,
        sessions: SessionAdmin,
        settings: Settings,
        client: discord.Client,
        *,
        announcer: Announcer,
        read_attachment: AttachmentReader,
    ) -> None:
        self.lookup = lookup
        self.admin = admin
        self.settings = settings
        self.client = client
        self.announcer = announcer  # a channel on Discord; nowhere from the console
        self.read_attachment = read_attachment  # from Discord, or a local file (console)
        self.sessions = sessions
        self.previews = Previews(admin, self._announce, self._backup)

    async def _backup(self) -> object:
        """A backup before an import (the settings read at the time, like the announcer)."""
        s = self.settings
        db = self.admin.service.db
        return await seeding.backup(db, s.backup_dir, s.backups_kept, label="before-import")

    async def _announce(self, applied: Applied) -> None:
        """Tell the championship's channel (read at the time: the runner may set it later)."""
        embed = render.announcement(applied)
        if embed is not None:
            await self.announcer(self.client, embed)

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
    @app_commands.choices(type=fixed(*ADMIN_TYPES))
    async def penalty_add(
        self,
        interaction: discord.Interaction,
        driver: Driver,
        race: Race,
        type: app_commands.Choice[str],
        reason: str,
        value: app_commands.Range[int, 0, 100_000] | None = None,
    ) -> None:
        """Give a penalty (previewed; Confirm applies it)."""
        try:
            ptype = PenaltyType(type.value)
        except ValueError:
            raise Invalid("Pick a type from the list.") from None
        season_id, actor = (await season_of(interaction)).season.id, actor_of(interaction)

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            return await self.admin.off_loop(
                self.admin.plan_penalty_add,
                view,
                entry_in(view, driver),
                race_in(view, race),
                ptype,
                reason,
                value,
                actor,
            )

        await self.previews.show(interaction, planner)

    @penalty.command(name="revoke")
    @app_commands.describe(id="the penalty number (see /penalty list)", reason="why")
    async def penalty_revoke(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 10**12], reason: str
    ) -> None:
        """Revoke a penalty (previewed; restores exactly what it changed)."""
        actor = actor_of(interaction)
        await self.previews.show(
            interaction, lambda: self.admin.plan_penalty_revoke(id, reason, actor)
        )

    @penalty.command(name="list")
    @app_commands.describe(race="only this race")
    async def penalty_list(
        self, interaction: discord.Interaction, race: Race | None = None
    ) -> None:
        """Every penalty, revoked ones too, with who decided and when."""
        view = await season_of(interaction)
        items = view.penalties()
        if race is not None:
            items = [t for t in items if t[1].id == race.session.id]
        lang = lang_of(interaction.locale)
        labelled = [(session_name(view, t[1].id, lang), t[2]) for t in items]
        await send_reply(interaction, render.penalty_list_reply(view, labelled, lang))

    # -- /result -------------------------------------------------------------------------------
    @result.command(name="import")
    @app_commands.describe(
        race="which race",
        file="the classification as CSV (see the README)",
        remove_published="remove published results the file leaves out (default: refuse)",
    )
    async def result_import(
        self,
        interaction: discord.Interaction,
        race: app_commands.Transform[ImportTarget, ImportTargetOption],
        file: discord.Attachment,
        remove_published: bool = False,
    ) -> None:
        """Import a race's full classification from a CSV (previewed, all or nothing)."""
        view, rv = await season_of(interaction), race.race
        index = self.lookup.index(view)
        season_id = view.season.id
        if file.size > MAX_BYTES:
            raise Invalid(
                "The file is {size:,} bytes; the limit is {limit:,}.",
                size=file.size,
                limit=MAX_BYTES,
            )
        data = await self.read_attachment(file)

        try:
            read = parse_classification(data, rv.session.id, entries_named(index, rv.round.number))
        except CsvProblem as exc:
            raise Invalid(
                "The file was not imported:\n{problems}", problems="\n".join(exc.problems[:15])
            ) from None
        if race.qualifying:

            def qualifying(now: SeasonView) -> Awaitable[Plan]:
                return self.sessions.plan_qualifying(now, race_in(now, rv), read)

            await self.previews.show(interaction, self.previews.on_season(season_id, qualifying))
            return
        results = self.sessions.grid_from_qualifying(view, rv.session.id, read.results)
        complete = read.complete
        read_as = (read.read_as, *read.notes)
        summary = Phrase(
            "import {n} results into {race}"
            if complete
            else "import {n} results into {race} (no times: time penalties will not be possible)",
            n=len(results),
            race=race_phrase(rv),
        )

        async def planner() -> Plan:
            # The file lists every car: the order is complete even when times are missing.
            now = await self.lookup.service.get(season_id)
            target = race_in(now, rv)

            def plan() -> Plan:
                planned = self.admin.plan_results(
                    now,
                    target,
                    results,
                    True,
                    "result.import",
                    summary,
                    keep_published=not remove_published,
                )
                notes = (*read_as, *fastest_lap_line(now, read))
                return replace(with_fastest_lap(planned, read), notes=notes)

            return await self.admin.off_loop(plan)

        await self.previews.show(interaction, planner, backup=True)

    @result.command(name="set")
    @app_commands.describe(
        race="which race",
        driver="who",
        position="classified position (leave empty with a status)",
        status="DNF, DNS, DSQ or NC",
        laps="laps completed",
        time="total race time, e.g. 31:02.456",
    )
    @app_commands.choices(status=fixed(*Status))
    async def result_set(
        self,
        interaction: discord.Interaction,
        race: Race,
        driver: Driver,
        position: app_commands.Range[int, 1, 200] | None = None,
        status: app_commands.Choice[str] | None = None,
        laps: app_commands.Range[int, 0, 10_000] | None = None,
        time: str | None = None,
    ) -> None:
        """Correct one driver's result in a race (previewed)."""
        season_id = (await season_of(interaction)).season.id
        time_ms = race_time_ms(time) if time else None  # an unreadable time says why
        state = Status(status.value) if status else None

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            return await self.admin.off_loop(
                self.admin.plan_result_set,
                view,
                race_in(view, race),
                entry_in(view, driver),
                position,
                state,
                laps,
                time_ms,
            )

        await self.previews.show(interaction, planner)

    @result.command(name="status")
    @app_commands.describe(
        race="which race",
        state="provisional or final",
        points="full points, or the season's reduced share (a race stopped early)",
    )
    @app_commands.choices(state=fixed("provisional", "final"), points=fixed("full", "reduced"))
    async def result_status(
        self,
        interaction: discord.Interaction,
        race: Race,
        state: app_commands.Choice[str] | None = None,
        points: app_commands.Choice[str] | None = None,
    ) -> None:
        """Mark a race provisional or final, or its points full or reduced (previewed)."""
        if (state is None) == (points is None):
            raise Invalid("Give a state or points, one at a time.")
        season_id = (await season_of(interaction)).season.id

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            rv = race_in(view, race)
            if points is not None:
                reduced = points.value == "reduced"
                return await self.admin.off_loop(self.admin.plan_result_points, view, rv, reduced)
            assert state is not None
            final = state.value == "final"
            return await self.admin.off_loop(self.admin.plan_result_status, view, rv, final)

        await self.previews.show(interaction, planner)

    # -- /audit and /undo ----------------------------------------------------------------------
    @app_commands.command(name="audit")
    @app_commands.describe(limit="how many (newest first, up to 50)")
    @is_championship_admin()
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
    @is_championship_admin()
    async def undo(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 10**12]
    ) -> None:
        """Revert one change if nothing later depends on it (previewed, audited)."""
        actor = actor_of(interaction)
        await self.previews.show(interaction, lambda: self.admin.plan_undo(id, actor))
