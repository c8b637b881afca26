"""Applying a plan: one change at a time, once per Confirm, in one transaction with its audit.

The write lock is waited for (never forever); a Confirm token already applied returns the
first result; a season changed since the preview is planned again, and when the outcome the
admin saw differs, :class:`OutcomeChanged` carries the new plan so the admin can be asked
again. Another process's write seen when the transaction begins rolls it back, the views are
reloaded and the change planned again on them: never applied on a stale view. The season's
view is swapped only after the commit, so readers see all of a change or none of it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.errors import Conflict, DatabaseBusy, Invalid
from bot.i18n import Phrase
from bot.services.admin.plan import Actor, Plan, Replayed, warmed
from bot.services.championship import ChampionshipService, SeasonView
from bot.storage import changes
from bot.storage.changes import Target
from bot.storage.database import Transaction

log = logging.getLogger(__name__)

APPLY_WAIT_S = 20.0  # the longest a change waits for the one before it (never forever)
STALE_RETRIES = 3  # plans again on fresh views at most this often before saying "busy"
TOKENS_KEPT = 256  # applied Confirm tokens remembered (each a few hundred bytes)


@dataclass(frozen=True, slots=True)
class Applied:
    audit_id: int
    plan: Plan
    view: SeasonView
    info: dict[str, Any]


class OutcomeChanged(Exception):
    """The season changed since the preview and the change would now do something else:
    ``plan`` is what it would do now, to show the admin and ask again."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("the outcome changed since the preview")
        self.plan = plan


class _StaleView(Exception):
    """Another process wrote before this transaction began (it was rolled back)."""


@dataclass(frozen=True, slots=True)
class Done:
    """What a second Confirm of an applied preview needs, without any season view."""

    audit_id: int
    season_id: int
    action: str
    targets: tuple[Target, ...]
    summary: Phrase
    info: dict[str, Any]


async def _mark_undone(tx: Transaction, audit_id: int, by: int) -> None:
    """The last word on two undos of one row: the second is refused (and rolled back) in SQL,
    whatever the season views said."""
    if not await changes.mark_undone(tx, audit_id, by):
        row = await changes.get_audit(tx, audit_id)
        if row is None or row.undone_by is None:
            raise Invalid("There is no audit entry #{id}. /audit lists them.", id=audit_id)
        raise Invalid("#{id} was already undone (by #{by}).", id=audit_id, by=row.undone_by)


class Applier:
    def __init__(self, service: ChampionshipService) -> None:
        self.service = service
        self._lock = asyncio.Lock()
        # Confirm tokens already applied (the newest few): a double click applies once.
        self._applied_tokens: OrderedDict[str, Done] = OrderedDict()

    async def apply(
        self,
        plan: Plan | None,
        actor: Actor,
        token: str | None = None,
        *,
        planner: Callable[[], Awaitable[Plan]] | None = None,
        shown: str | None = None,
        outcome: Callable[[Plan], str] | None = None,
    ) -> Applied:
        """Apply once: a second call with the same token returns the first result.

        ``plan`` is applied as it is when the season has not changed since it was planned.
        Otherwise it is planned again on the season as it is now, with ``planner`` (or the
        plan's own ``replan``); when ``outcome`` of the new plan is not ``shown`` (what the
        admin saw), :class:`OutcomeChanged` carries the new plan.
        """
        try:
            await asyncio.wait_for(self._lock.acquire(), APPLY_WAIT_S)
        except TimeoutError:
            raise DatabaseBusy("the database is busy with another change") from None
        try:
            if token is not None and token in self._applied_tokens:
                return await self._replay(self._applied_tokens[token])
            for _ in range(STALE_RETRIES):
                await self.service.refresh_if_stale()
                chosen = await self._current_plan(plan, planner, shown, outcome)
                try:
                    applied = await self._write(chosen, actor)
                except _StaleView:
                    continue  # the views are reloaded at the top; plan again on them
                if token is not None:
                    self._remember(token, applied)
                return applied
            raise DatabaseBusy("the database keeps changing under this change")
        finally:
            self._lock.release()

    async def _current_plan(
        self,
        plan: Plan | None,
        planner: Callable[[], Awaitable[Plan]] | None,
        shown: str | None,
        outcome: Callable[[Plan], str] | None,
    ) -> Plan:
        if plan is not None and await self.service.get(plan.season_id) is plan.base:
            return plan
        if planner is not None:
            fresh = await planner()
            if outcome is not None and shown is not None and outcome(fresh) != shown:
                raise OutcomeChanged(fresh)
            return fresh
        if plan is None or plan.replan is None:
            raise Conflict("The season changed since this preview: run the command again.")
        current = await self.service.get(plan.season_id)
        replan = plan.replan
        return await asyncio.to_thread(lambda: warmed(replan(current)))

    async def _write(self, plan: Plan, actor: Actor) -> Applied:
        change = plan.change
        async with self.service.db.transaction() as tx:
            if self.service.stale:
                raise _StaleView  # rolled back: another process wrote since the plan
            written = await change.write(tx)
            info = dict(written.info)
            if plan.undoes is not None:
                info["undoes"] = plan.undoes.audit_id
            after = change.after()
            audit_id = await changes.insert_audit(
                tx,
                actor_id=actor.id,
                actor_name=actor.name,
                action=plan.action,
                season_id=plan.season_id,
                targets=(*plan.targets, *written.targets),
                before=change.before(),
                after={**after, **info} if isinstance(after, dict) else after,
            )
            if plan.undoes is not None:
                await _mark_undone(tx, plan.undoes.audit_id, audit_id)
        # Installed only now that it committed: a rolled-back change is never served.
        if change.exact and written.same_ids:
            self.service.install(plan.candidate)
            view = plan.candidate
        else:
            view = await self.service.reload(plan.season_id)
        log.info("audit #%d: %s by %s", audit_id, plan.action, actor.id)
        return Applied(audit_id, plan, view, info)

    def _remember(self, token: str, applied: Applied) -> None:
        plan = applied.plan
        self._applied_tokens[token] = Done(
            applied.audit_id, plan.season_id, plan.action, plan.targets, plan.summary, applied.info
        )
        while len(self._applied_tokens) > TOKENS_KEPT:
            self._applied_tokens.popitem(last=False)

    async def _replay(self, done: Done) -> Applied:
        view = await self.service.get(done.season_id)
        plan = Plan(Replayed(done.action, done.targets), done.summary, view, view)
        return Applied(done.audit_id, plan, view, done.info)
