"""Admin slash commands: /penalty, /result, /entry, /audit, /undo.

Who may use them is declared with each group and command (:mod:`checks`: the
``default_permissions`` hint and the runtime lock together). Every change is previewed and
needs Confirm (:mod:`confirm`); each command hands the preview a *planner* that works the
change out again from its options, so Confirm can apply it to the season as it is then.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.announce import Announcer
from bot.adapters.discord.checks import AdminGroup, is_championship_admin
from bot.adapters.discord.cogs.fan import FanCog
from bot.adapters.discord.confirm import PREVIEW_TIMEOUT_S, ConfirmView, PlanCache, fingerprint
from bot.adapters.discord.reply import NO_MENTIONS, send_reply
from bot.domain.models import Entry, PenaltyType, Status
from bot.errors import CsvProblem, DatabaseUnavailable, ExportProblem, Invalid
from bot.i18n import Phrase, lang_of
from bot.rendering import admin as render
from bot.rendering.fan import session_name
from bot.services import seeding
from bot.services.admin import Actor, AdminService, Applied, Plan, race_phrase
from bot.services.admin.penalties import ADMIN_TYPES
from bot.services.lookup import Lookup
from bot.services.results_csv import MAX_BYTES, parse_classification
from bot.services.session_admin import (
    SessionAdmin,
    fastest_lap_line,
    parse_rounds,
    qualifying_target,
    with_fastest_lap,
)
from bot.services.timing_export import race_time_ms
from bot.settings import Settings

log = logging.getLogger(__name__)

AttachmentReader = Callable[[discord.Attachment], Awaitable[bytes]]
Planner = Callable[[], Awaitable[Plan]]


def actor_of(interaction: discord.Interaction) -> Actor:
    return Actor(interaction.user.id, interaction.user.name)


class AdminCog(commands.Cog):
    penalty = AdminGroup(
        name="penalty",
        description="Stewards' decisions: add, revoke, list (admins)",
    )
    result = AdminGroup(
        name="result",
        description="Race results: import a CSV, correct one, set provisional/final (admins)",
    )
    entry = AdminGroup(
        name="entry",
        description="Entries: drivers, teams, car numbers, classes (admins)",
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
        self.completions = FanCog(lookup)  # the same autocomplete code as the fan commands
        self.sessions = sessions
        self.plans = PlanCache()  # the newest previews' plans, ready to apply

    # -- helpers -------------------------------------------------------------------------------
    async def _preview(
        self,
        interaction: discord.Interaction,
        planned: Plan | Planner,
        *,
        backup: bool = False,
    ) -> None:
        """Show a change's preview and leave Confirm to apply it. With a *planner* (which
        works the change out again from the command's options) Confirm can plan it again on
        the season as it is then, and asks again if the outcome differs; a plain plan can
        only be applied to the season it was planned on (or through its ``replan``)."""
        actor = actor_of(interaction)
        lang = lang_of(interaction.locale)
        if self.admin.service.db.read_only is not None:  # say so now, not after Confirm
            raise DatabaseUnavailable(self.admin.service.db.read_only)
        planner = None if isinstance(planned, Plan) else planned
        plan = planned if isinstance(planned, Plan) else await planned()

        async def apply(view: ConfirmView) -> Applied:
            if backup:  # refused, with the reason, when the backup cannot be made
                await seeding.backup(
                    self.admin.service.db,
                    self.settings.backup_dir,
                    self.settings.backups_kept,
                    label="before-import",
                )
            return await self.admin.apply(
                self.plans.pop(view.token),
                actor,
                view.token,
                planner=planner,
                shown=view.shown,
                outcome=fingerprint,
            )

        # Rendered in a worker thread too: comparing every standings table takes milliseconds.
        shown, reply = await asyncio.to_thread(
            lambda: (fingerprint(plan), render.preview_reply(plan, int(PREVIEW_TIMEOUT_S), lang))
        )
        view = ConfirmView(
            interaction.user.id, apply, self._announce, lang, shown=shown, cache=self.plans
        )
        self.plans.put(view.token, plan)
        await interaction.response.send_message(
            embed=reply.pages[0], view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        view.origin = interaction

    def _season_id(self) -> int:
        return self.lookup.service.latest().season.id

    async def _announce(self, applied: Applied) -> None:
        embed = render.announcement(applied)
        if embed is not None:
            await self.announcer(self.client, embed)

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
        type=[app_commands.Choice(name=t.value, value=t.value) for t in ADMIN_TYPES]
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
        try:
            ptype = PenaltyType(type.value)
        except ValueError:
            raise Invalid("Pick a type from the list.") from None
        season_id, actor = self._season_id(), actor_of(interaction)

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            index = self.lookup.index(view)
            return await self.admin.off_loop(
                self.admin.plan_penalty_add,
                view,
                index.driver(driver),
                index.race(race),
                ptype,
                reason,
                value,
                actor,
            )

        await self._preview(interaction, planner)

    @penalty.command(name="revoke")
    @app_commands.describe(id="the penalty number (see /penalty list)", reason="why")
    async def penalty_revoke(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 10**12], reason: str
    ) -> None:
        """Revoke a penalty (previewed; restores exactly what it changed)."""
        actor = actor_of(interaction)
        await self._preview(interaction, lambda: self.admin.plan_penalty_revoke(id, reason, actor))

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
    @app_commands.describe(
        race="which race",
        file="the classification as CSV (see the README)",
        remove_published="remove published results the file leaves out (default: refuse)",
    )
    @app_commands.autocomplete(race=_race_ac)
    async def result_import(
        self,
        interaction: discord.Interaction,
        race: str,
        file: discord.Attachment,
        remove_published: bool = False,
    ) -> None:
        """Import a race's full classification from a CSV (previewed, all or nothing)."""
        view = self.lookup.service.latest()
        index = self.lookup.index(view)
        qualifying = qualifying_target(index, race)
        rv = qualifying or index.race(race)
        season_id = view.season.id
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
            plan = await self.sessions.plan_qualifying(view, rv, read)
            await self._preview(interaction, plan)
            return
        results = await self.sessions.grid_from_qualifying(rv.session.id, read.results)
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
            target = self.lookup.index(now).race(race)

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

        await self._preview(interaction, planner, backup=True)

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
        season_id = self._season_id()
        time_ms = None
        if time:
            try:
                time_ms = race_time_ms(time)
            except ExportProblem as exc:
                raise Invalid("{problem}", problem=str(exc)) from None
        state = Status(status.value) if status else None

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            index = self.lookup.index(view)
            return await self.admin.off_loop(
                self.admin.plan_result_set,
                view,
                index.race(race),
                index.driver(driver),
                position,
                state,
                laps,
                time_ms,
            )

        await self._preview(interaction, planner)

    @result.command(name="status")
    @app_commands.describe(
        race="which race",
        state="provisional or final",
        points="full points, or the season's reduced share (a race stopped early)",
    )
    @app_commands.choices(
        state=[
            app_commands.Choice(name="provisional", value="provisional"),
            app_commands.Choice(name="final", value="final"),
        ],
        points=[
            app_commands.Choice(name="full", value="full"),
            app_commands.Choice(name="reduced", value="reduced"),
        ],
    )
    @app_commands.autocomplete(race=_race_ac)
    async def result_status(
        self,
        interaction: discord.Interaction,
        race: str,
        state: app_commands.Choice[str] | None = None,
        points: app_commands.Choice[str] | None = None,
    ) -> None:
        """Mark a race provisional or final, or its points full or reduced (previewed)."""
        if (state is None) == (points is None):
            raise Invalid("Give a state or points, one at a time.")
        season_id = self._season_id()

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            rv = self.lookup.index(view).race(race)
            if points is not None:
                reduced = points.value == "reduced"
                return await self.admin.off_loop(self.admin.plan_result_points, view, rv, reduced)
            assert state is not None
            final = state.value == "final"
            return await self.admin.off_loop(self.admin.plan_result_status, view, rv, final)

        await self._preview(interaction, planner)

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
        season_id = view.season.id
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

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
            return await self.admin.off_loop(self.admin.plan_entry_add, view, new)

        await self._preview(interaction, planner)

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
        plan = await self.admin.off_loop(self.sessions.plan_withdraw, view, entry, from_round)
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
        season_id = (await self.lookup.service.newest()).season.id

        async def planner() -> Plan:
            view = await self.lookup.service.get(season_id)
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
            return await self.admin.off_loop(self.admin.plan_entry_edit, view, old, new)

        await self._preview(interaction, planner)

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
        await self._preview(interaction, lambda: self.admin.plan_undo(id, actor))
