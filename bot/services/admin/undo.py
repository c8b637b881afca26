"""Undo: the audit row's change, rebuilt and asked for its inverse, if nothing later needs it."""

from __future__ import annotations

from dataclasses import replace

from bot.errors import Conflict, Invalid
from bot.i18n import Phrase
from bot.services.admin.calendar import RoundAdd, RoundEdit, SeasonCreate, SeasonStatus
from bot.services.admin.entries import EntryAdd, EntryEdit, EntryRounds
from bot.services.admin.penalties import PenaltyAdd, PenaltyRevoke
from bot.services.admin.plan import Change, Plan, Undoes
from bot.services.admin.race_state import SessionFinal, SessionReduced
from bot.services.admin.results import ReplaceResults
from bot.services.admin.sessions import SessionSet
from bot.services.admin.weekend import BonusSet, QualifyingImport
from bot.services.championship import SeasonView
from bot.storage.changes import AuditRow

#: The change type of each action an audit row can record, and so undo.
RECORDED: dict[str, type[Change]] = {
    "penalty.add": PenaltyAdd,
    "penalty.revoke": PenaltyRevoke,
    "result.import": ReplaceResults,
    "result.set": ReplaceResults,
    "result.status": SessionFinal,
    "result.reduced": SessionReduced,
    "entry.add": EntryAdd,
    "entry.edit": EntryEdit,
    "entry.rounds": EntryRounds,
    "entry.withdraw": EntryRounds,
    "season.create": SeasonCreate,
    "season.status": SeasonStatus,
    "round.add": RoundAdd,
    "round.edit": RoundEdit,
    "session.set": SessionSet,
    "pole.set": BonusSet,
    "fastest-lap.set": BonusSet,
    "qualifying.import": QualifyingImport,
}


def undoable(row: AuditRow) -> None:
    """Refuses an audit row that cannot be undone whatever came after it."""
    if row.undone_by is not None:
        raise Invalid("#{id} was already undone (by #{by}).", id=row.id, by=row.undone_by)
    if row.action.startswith("undo"):
        raise Invalid("An undo cannot itself be undone: make the change again.")
    if row.season_id is None:
        raise Invalid("#{id} cannot be undone.", id=row.id)


def check_later(row: AuditRow, later: list[AuditRow]) -> None:
    """Refuses when a later change (not undone, not an undo) touched the same thing."""
    mine = set(row.targets)
    for other in later:
        if other.action.startswith("undo"):
            continue
        if mine & set(other.targets):
            raise Conflict(
                "#{later} ({action}, {at}) changed the same thing after #{id}: undo "
                "#{later} first.",
                later=other.id,
                action=other.action,
                at=other.at,
                id=row.id,
            )


def recorded_change(row: AuditRow) -> Change:
    kind = RECORDED.get(row.action)
    if kind is None:
        raise Invalid("#{id} ({action}) cannot be undone.", id=row.id, action=row.action)
    return kind.recorded(row)


def plan_undo(view: SeasonView, row: AuditRow) -> Plan:
    """The plan that undoes ``row`` on ``view`` (pure: the checks against the log are done)."""
    inverse = recorded_change(row).inverse(view)
    return replace(
        inverse,
        summary=Phrase("undo #{id}: {change}", id=row.id, change=inverse.summary),
        undoes=Undoes(row.id, row.action),
        replan=None,
    )
