"""The admin use cases in one place for the adapters: plan a change, apply it, audit, undo.

Planning is pure work on frozen season views (validation, and the season as it would be
afterwards, worked out in memory), so the adapters run it in a worker thread
(:meth:`AdminService.off_loop`): tens of milliseconds for a long season that would otherwise
hold the event loop. Views are never mutated once built, and a plan's candidate view is only
read by others after the plan is handed back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec

from bot.domain.models import Penalty
from bot.errors import Invalid
from bot.services.admin import entries, penalties, race_state, results, undo
from bot.services.admin.apply import Applier
from bot.services.admin.plan import Actor, Plan, warmed
from bot.services.admin.text import clean_text
from bot.services.championship import SeasonView
from bot.storage import changes

P = ParamSpec("P")


class AdminService(Applier):
    @staticmethod
    async def off_loop(planner: Callable[P, Plan], *args: P.args, **kwargs: P.kwargs) -> Plan:
        """``planner(*args)`` in a worker thread, its preview's standings worked out there too."""
        return await asyncio.to_thread(lambda: warmed(planner(*args, **kwargs)))

    # -- planning on a season view (pure: see the modules) --------------------------------
    plan_penalty_add = staticmethod(penalties.plan_penalty_add)
    plan_results = staticmethod(results.plan_results)
    plan_result_set = staticmethod(results.plan_result_set)
    plan_result_status = staticmethod(race_state.plan_result_status)
    plan_result_points = staticmethod(race_state.plan_result_points)
    plan_entry_add = staticmethod(entries.plan_entry_add)
    plan_entry_edit = staticmethod(entries.plan_entry_edit)

    # -- what needs the database -----------------------------------------------------------
    async def find_penalty(self, penalty_id: int) -> tuple[SeasonView, Penalty]:
        season_id = await changes.season_of_penalty(self.service.db, penalty_id)
        if season_id is not None:
            view = await self.service.get(season_id)
            for p in view.season.penalties:
                if p.id == penalty_id:
                    return view, p
        raise Invalid(
            "There is no penalty #{id}. /penalty list shows their numbers.", id=penalty_id
        )

    async def plan_penalty_revoke(self, penalty_id: int, reason: str, actor: Actor) -> Plan:
        reason = clean_text(reason, "reason")
        view, penalty = await self.find_penalty(penalty_id)
        return await self.off_loop(penalties.plan_penalty_revoke, view, penalty, reason, actor)

    # -- audit and undo --------------------------------------------------------------------
    async def audit(self, limit: int) -> list[changes.AuditRow]:
        return await changes.list_audit(self.service.db, max(1, min(limit, 50)))

    async def plan_undo(self, audit_id: int, actor: Actor) -> Plan:
        # The row is read from the file: the view must be as new (another process may have
        # written both), or an undo is planned on a season that lacks what the row did.
        await self.service.refresh_if_stale()
        row = await self._undoable(audit_id)
        assert row.season_id is not None
        view = await self.service.get(row.season_id)
        # Read again, as new as the view or newer: an undo another process committed while the
        # view was read is "already undone", not "the penalty is no longer there".
        row = await self._undoable(audit_id)
        return await self.off_loop(undo.plan_undo, view, row)

    async def _undoable(self, audit_id: int) -> changes.AuditRow:
        row = await changes.get_audit(self.service.db, audit_id)
        if row is None:
            raise Invalid("There is no audit entry #{id}. /audit lists them.", id=audit_id)
        undo.undoable(row)
        undo.check_later(row, await changes.later_audit(self.service.db, audit_id))
        return row
