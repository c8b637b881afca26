"""Penalties: give one, revoke one, and their inverses (remove, reinstate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from bot.domain.models import ORDER_PENALTIES, Entry, Penalty, PenaltyType, Season, Status
from bot.errors import Conflict, Invalid
from bot.i18n import Phrase
from bot.services.admin.plan import Actor, Change, Plan, Written, plan_of, swap
from bot.services.admin.text import clean_text, race_phrase
from bot.services.championship import RaceView, SeasonView
from bot.storage import changes
from bot.storage.audit_json import penalty_from_json, penalty_json
from bot.storage.changes import AuditRow, Target
from bot.storage.database import Transaction

VALUE_RANGES = {
    PenaltyType.TIME: (1, 300, "seconds"),
    PenaltyType.POSITIONS: (1, 60, "places"),
    PenaltyType.POINTS: (1, 200, "points"),
    PenaltyType.GRID: (1, 60, "grid places"),
}
ADMIN_TYPES = (
    PenaltyType.TIME,
    PenaltyType.POSITIONS,
    PenaltyType.DSQ,
    PenaltyType.POINTS,
    PenaltyType.GRID,
    PenaltyType.REPRIMAND,
)


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def penalty_in(view: SeasonView, penalty_id: int) -> Penalty:
    for p in view.season.penalties:
        if p.id == penalty_id:
            return p
    raise Conflict(
        "Penalty #{id} is no longer there (undone since the preview): nothing was changed.",
        id=penalty_id,
    )


def _round_of(view: SeasonView, penalty: Penalty) -> tuple[int, int | None]:
    session = view.sessions[penalty.session_id]
    return session.round_number, session.number


# -- the changes ---------------------------------------------------------------------------------
class _OnePenalty(Change):
    """A penalty given or removed: its race's classification may move."""

    penalty: Penalty
    round_number: int

    @property
    def changed(self) -> tuple[int, ...]:
        return (self.penalty.session_id,)

    @property
    def from_round(self) -> int:
        return self.round_number


@dataclass(frozen=True, slots=True)
class PenaltyAdd(_OnePenalty):
    penalty: Penalty  # its id is the plan's guess; the database gives the real one
    round_number: int
    action = "penalty.add"

    def season_after(self, season: Season) -> Season:
        return replace(season, penalties=(*season.penalties, self.penalty))

    def targets(self) -> tuple[Target, ...]:
        return (Target("session", self.penalty.session_id), Target("entry", self.penalty.entry_id))

    def before(self) -> Any:
        return None

    def after(self) -> Any:
        return penalty_json(self.penalty)

    async def write(self, tx: Transaction) -> Written:
        new_id = await changes.next_penalty_id(tx)
        await changes.restore_penalty(tx, replace(self.penalty, id=new_id))
        return Written(
            {"penalty_id": new_id}, (Target("penalty", new_id),), new_id == self.penalty.id
        )

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        penalty = replace(penalty_from_json(row.after), id=int(row.after["penalty_id"]))
        return cls(penalty, 0)

    def inverse(self, view: SeasonView) -> Plan:
        pid = self.penalty.id
        penalty = next((p for p in view.season.penalties if p.id == pid), None)
        if penalty is None:
            raise Conflict("Penalty #{id} is no longer there.", id=pid)
        return plan_of(
            view,
            PenaltyDelete(penalty, view.sessions[penalty.session_id].round_number),
            Phrase("remove penalty #{id}", id=pid),
        )


@dataclass(frozen=True, slots=True)
class PenaltyDelete(_OnePenalty):
    """Only as the undo of :class:`PenaltyAdd`."""

    penalty: Penalty
    round_number: int
    action = "penalty.delete"

    def season_after(self, season: Season) -> Season:
        return replace(
            season, penalties=tuple(p for p in season.penalties if p.id != self.penalty.id)
        )

    def targets(self) -> tuple[Target, ...]:
        return (Target("penalty", self.penalty.id),)

    def before(self) -> Any:
        return penalty_json(self.penalty)

    def after(self) -> Any:
        return None

    async def write(self, tx: Transaction) -> Written:
        await changes.delete_penalty(tx, self.penalty.id)
        return Written()


@dataclass(frozen=True, slots=True)
class PenaltyRevoke(Change):
    """Revoke a penalty (``old`` active, ``new`` revoked), or reinstate it (the undo)."""

    old: Penalty
    new: Penalty
    round_number: int
    action: str = "penalty.revoke"

    def season_after(self, season: Season) -> Season:
        return replace(season, penalties=swap(season.penalties, self.new, lambda p: p.id))

    @property
    def changed(self) -> tuple[int, ...]:
        return (self.new.session_id,)

    @property
    def from_round(self) -> int:
        return self.round_number

    def targets(self) -> tuple[Target, ...]:
        if self.action != "penalty.revoke":
            return (Target("penalty", self.new.id),)
        return (Target("penalty", self.new.id), Target("session", self.new.session_id))

    def before(self) -> Any:
        return penalty_json(self.old)

    def after(self) -> Any:
        return penalty_json(self.new)

    async def write(self, tx: Transaction) -> Written:
        p = self.new
        await changes.revoke_penalty(tx, p.id, p.revoked_at, p.revoked_by, p.revoke_reason)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        return cls(penalty_from_json(row.before), penalty_from_json(row.after), 0)

    def inverse(self, view: SeasonView) -> Plan:
        reinstated = PenaltyRevoke(
            self.new, self.old, _round_of(view, self.old)[0], "penalty.reinstate"
        )
        return plan_of(view, reinstated, Phrase("reinstate penalty #{id}", id=self.old.id))


# -- planning ------------------------------------------------------------------------------------
def _check_value(ptype: PenaltyType, value: int | None) -> None:
    if ptype not in ADMIN_TYPES:
        raise Invalid("Pick a penalty type: time, positions, dsq, points, grid or reprimand.")
    if ptype in VALUE_RANGES:
        low, high, unit = VALUE_RANGES[ptype]
        if value is None:
            raise Invalid(
                "A {type} penalty needs a value ({unit}, {low} to {high}).",
                type=ptype.value,
                unit=Phrase(unit),
                low=low,
                high=high,
            )
        if not low <= value <= high:
            raise Invalid(
                "{value} {unit} is out of range: {low} to {high}.",
                value=value,
                unit=Phrase(unit),
                low=low,
                high=high,
            )
    elif value is not None:
        raise Invalid("A {type} penalty takes no value.", type=ptype.value)


def _check_race(race: RaceView, entry: Entry, ptype: PenaltyType, value: int | None) -> None:
    row = race.classification.row(entry.id)
    if row is None:
        raise Invalid(
            "{driver} has no result in {race}: pick a driver who raced.",
            driver=entry.driver,
            race=race.label,
        )
    _check_value(ptype, value)
    if ptype in ORDER_PENALTIES and not race.session.complete:
        if ptype is PenaltyType.TIME:
            raise Invalid(
                "{race} has no times: use positions (after importing its full "
                "classification with /result import).",
                race=race.label,
            )
        raise Invalid(
            "{race} has only a partial record (published positions), so a {type} penalty "
            "cannot be worked out on it. Import the full classification with /result "
            "import, or record the published outcome with /result set.",
            race=race.label,
            type=ptype.value,
        )
    if ptype is PenaltyType.TIME:
        times = [r for r in race.classification.rows if r.status is Status.CLASSIFIED]
        if (
            row.result.time_ms is None
            or any(r.result.laps is None for r in times)
            or (times and times[0].result.time_ms is None)
        ):
            raise Invalid("{race} has no times: use positions.", race=race.label)
    if ptype is PenaltyType.DSQ and row.status is Status.DSQ:
        raise Invalid(
            "{driver} is already disqualified from {race}.", driver=entry.driver, race=race.label
        )


def plan_penalty_add(
    view: SeasonView,
    entry: Entry,
    race: RaceView,
    ptype: PenaltyType,
    reason: str,
    value: int | None,
    actor: Actor,
) -> Plan:
    reason = clean_text(reason, "reason")
    _check_race(race, entry, ptype, value)
    session = race.session
    penalty = Penalty(
        id=max((p.id for p in view.season.penalties), default=0) + 1,
        session_id=session.id,
        entry_id=entry.id,
        type=ptype,
        value=value,
        reason=reason,
        decided_at=now(),
        decided_by=actor.name,
    )

    def replan(current: SeasonView) -> Plan:
        fresh = current.race(session.round_number, session.number)
        fresh_entry = current.entries.get(entry.id)
        if fresh is None or fresh_entry is None:
            raise Conflict("That race or driver is gone since the preview.")
        return plan_penalty_add(current, fresh_entry, fresh, ptype, reason, value, actor)

    summary = Phrase(
        "{driver}, {race}: {type}{value} — {reason}",
        driver=entry.driver,
        race=race_phrase(race),
        type=Phrase(ptype.value),
        value=f" {value}" if value is not None else "",
        reason=reason,
    )
    return plan_of(
        view,
        PenaltyAdd(penalty, session.round_number),
        summary,
        race=(session.round_number, session.number),
        replan=replan,
    )


def plan_penalty_revoke(view: SeasonView, penalty: Penalty, reason: str, actor: Actor) -> Plan:
    penalty_id = penalty.id
    if not penalty.active:
        raise Invalid(
            "Penalty #{id} is already revoked ({reason}).",
            id=penalty_id,
            reason=penalty.revoke_reason,
        )
    revoked = replace(penalty, revoked_at=now(), revoked_by=actor.name, revoke_reason=reason)
    return plan_of(
        view,
        PenaltyRevoke(penalty, revoked, _round_of(view, penalty)[0]),
        Phrase(
            "revoke penalty #{id} ({driver}) — {reason}",
            id=penalty_id,
            driver=view.entries[penalty.entry_id].driver,
            reason=reason,
        ),
        race=_round_of(view, penalty),
        replan=lambda current: plan_penalty_revoke(
            current, penalty_in(current, penalty_id), reason, actor
        ),
    )
