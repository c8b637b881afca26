"""A planned admin change (frozen): the change itself, the season before and after it.

A :class:`Change` is one admin action's effect, small and immutable: it says what the season
looks like after it (:meth:`Change.season_after`, pure), how to write it (:meth:`Change.write`,
in the change's transaction), what it touches and records in the audit log, and what undoes
it (:meth:`Change.inverse`, pure). A :class:`Plan` is a change worked out against one season
view, ready to preview and to apply.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.domain.models import Season
from bot.errors import ClassificationError, Invalid
from bot.i18n import Phrase
from bot.services.championship import RaceView, SeasonView
from bot.storage.changes import AuditRow, Target
from bot.storage.database import Transaction


@dataclass(frozen=True, slots=True)
class Actor:
    id: int | None
    name: str


@dataclass(frozen=True, slots=True)
class Written:
    """What writing a change learnt: ids the database gave (recorded in the audit row)."""

    info: dict[str, Any] = field(default_factory=dict)
    targets: tuple[Target, ...] = ()
    same_ids: bool = True  # the database gave the ids the candidate view already has


class Change(abc.ABC):
    """One admin action's effect. Subclasses are frozen dataclasses."""

    #: Also the audit row's action (some types serve several, e.g. ``result.import``/``set``).
    action: str

    @abc.abstractmethod
    def season_after(self, season: Season) -> Season:
        """The season with this change made (pure; ids not yet given are the plan's own)."""

    @property
    def changed(self) -> tuple[int, ...] | None:
        """The races whose classification may move (``None``: every race)."""
        return ()

    @property
    def from_round(self) -> int:
        """The first round whose standings may move."""
        return 1

    @property
    def exact(self) -> bool:
        """The candidate view is what the database holds after the write, ids included."""
        return True

    @abc.abstractmethod
    def targets(self) -> tuple[Target, ...]: ...

    @abc.abstractmethod
    def before(self) -> Any: ...

    @abc.abstractmethod
    def after(self) -> Any: ...

    @abc.abstractmethod
    async def write(self, tx: Transaction) -> Written: ...

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        """The change an audit row records (to undo it)."""
        raise Invalid("#{id} ({action}) cannot be undone.", id=row.id, action=row.action)

    def inverse(self, view: SeasonView) -> Plan:
        """The plan that undoes this change on ``view`` (pure; refuses with a reason)."""
        raise Invalid("An undo cannot itself be undone: make the change again.")


class RaceChange(Change):
    """A change to one race (``session_id``, of round ``round_number``): its classification
    may move, and the standings from its round on."""

    session_id: int
    round_number: int

    @property
    def changed(self) -> tuple[int, ...]:
        return (self.session_id,)

    @property
    def from_round(self) -> int:
        return self.round_number

    def targets(self) -> tuple[Target, ...]:
        return (Target("session", self.session_id),)


@dataclass(frozen=True, slots=True)
class Replayed(Change):
    """A change already applied (a second Confirm of its preview): only what to say of it."""

    action: str
    recorded_targets: tuple[Target, ...] = ()

    def season_after(self, season: Season) -> Season:
        return season

    def targets(self) -> tuple[Target, ...]:
        return self.recorded_targets

    def before(self) -> Any:
        return None

    def after(self) -> Any:
        return None

    async def write(self, tx: Transaction) -> Written:
        return Written()


@dataclass(frozen=True, slots=True)
class Undoes:
    audit_id: int
    action: str


@dataclass(frozen=True, slots=True)
class Plan:
    change: Change
    summary: Phrase
    base: SeasonView
    candidate: SeasonView
    race: RaceView | None = None  # the race the preview shows before → after
    notes: tuple[str, ...] = ()  # how an imported file was read, shown in the preview
    undoes: Undoes | None = None
    # How to plan the same change again on a newer view of the season (None: cannot).
    replan: Callable[[SeasonView], Plan] | None = None

    @property
    def season_id(self) -> int:
        return self.base.season.id

    @property
    def action(self) -> str:
        return f"undo.{self.undoes.action}" if self.undoes else self.change.action

    @property
    def from_round(self) -> int:
        return max(1, self.change.from_round)

    @property
    def targets(self) -> tuple[Target, ...]:
        mine = self.change.targets()
        return (*mine, Target("audit", self.undoes.audit_id)) if self.undoes else mine


def candidate(
    view: SeasonView, season: Season, changed: tuple[int, ...] | None = None
) -> SeasonView:
    """The season after a change; only the races in ``changed`` are worked out again (``None``:
    every race, e.g. when entries change)."""
    try:
        if changed is None or season.entries is not view.season.entries:
            return SeasonView(season)
        return SeasonView(season, base=view, changed=frozenset(changed))
    except ClassificationError as exc:
        raise Invalid(
            "That would leave a race that cannot be classified: {problem}.", problem=str(exc)
        ) from None


def plan_of(
    view: SeasonView,
    change: Change,
    summary: Phrase,
    *,
    race: tuple[int, int | None] | None = None,
    replan: Callable[[SeasonView], Plan] | None = None,
    notes: tuple[str, ...] = (),
) -> Plan:
    """``change`` worked out on ``view``; ``race`` (round, number): the race it shows."""
    after = candidate(view, change.season_after(view.season), change.changed)
    shown = after.race(race[0], race[1]) if race is not None and race[1] else None
    return Plan(change, summary, view, after, shown, notes, replan=replan)


def warmed(plan: Plan) -> Plan:
    """Every standings table of the candidate worked out now (the preview compares them);
    done where the plan is made, so a plan made in a worker thread leaves nothing to do on the
    event loop."""
    for champ in plan.candidate.season.championships:
        plan.candidate.standings(champ.slug)
    return plan


def race_of(view: SeasonView, session_id: int) -> RaceView:
    session = view.sessions[session_id]
    race = view.race(session.round_number, session.number)
    assert race is not None
    return race


def with_session(season: Season, session_id: int, **fields: Any) -> Season:
    """``season`` with some fields of one of its sessions changed."""
    session = next(s for s in season.sessions if s.id == session_id)
    return replace(season, sessions=swap(season.sessions, replace(session, **fields), _id))


def _id(item: Any) -> int:
    return int(item.id)


def swap(items: tuple[Any, ...], new: Any, key: Callable[[Any], object]) -> tuple[Any, ...]:
    """``items`` with the one whose ``key`` is ``key(new)`` replaced by ``new``."""
    k = key(new)
    return tuple(new if key(x) == k else x for x in items)
