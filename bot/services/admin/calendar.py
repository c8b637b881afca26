"""A season's calendar and state: its status, rounds added, edited, cancelled or removed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from bot.domain.models import Round, Season, Session, SessionKind
from bot.errors import Conflict, Invalid
from bot.i18n import Phrase
from bot.services.admin.plan import Change, Plan, Replayed, Written, plan_of, swap
from bot.services.admin.text import clean_text
from bot.services.championship import SeasonView
from bot.storage import season_changes
from bot.storage.audit_json import round_json, session_from_json, session_json
from bot.storage.changes import AuditRow, Target
from bot.storage.database import Transaction

ROUND_STATES = ("scheduled", "postponed", "cancelled")


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class SeasonCreate(Replayed):
    """Applied by :mod:`bot.services.season_create` (there is no view before it): recorded
    here so that an undo says why it cannot be undone."""

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        raise Invalid(
            "Creating a season cannot be undone; a season with no round stays out of fans' way."
        )


@dataclass(frozen=True, slots=True)
class SeasonStatus(Change):
    season_id: int
    old: str
    new: str
    action = "season.status"

    def season_after(self, season: Season) -> Season:
        return replace(season, status=self.new)

    changed = None  # every race: a season's status changes what counts

    exact = False  # reloaded from the database (as a status change always was)

    def targets(self) -> tuple[Target, ...]:
        return (Target("season", self.season_id),)

    def before(self) -> Any:
        return {"status": self.old}

    def after(self) -> Any:
        return {"status": self.new}

    async def write(self, tx: Transaction) -> Written:
        await season_changes.set_season_status(tx, self.season_id, self.new)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        return cls(row.season_id or 0, row.before["status"], row.after["status"])

    def inverse(self, view: SeasonView) -> Plan:
        return plan_season_status(view, self.old)


def plan_season_status(view: SeasonView, status: str) -> Plan:
    if status not in ("provisional", "final"):
        raise Invalid("Pick provisional or final.")
    if view.season.status == status:
        raise Invalid("{season} is already {status}.", season=view.season.name, status=status)
    return plan_of(
        view,
        SeasonStatus(view.season.id, view.season.status, status),
        Phrase("{season} is now {status}", season=view.season.name, status=Phrase(status)),
    )


@dataclass(frozen=True, slots=True)
class RoundAdd(Change):
    season_id: int
    round: Round  # ids (the round's and its sessions') are the plan's until written
    sessions: tuple[Session, ...]
    recorded_as: dict[str, Any] | None = None  # its audit row's after (to undo it)
    action = "round.add"

    def season_after(self, season: Season) -> Season:
        return replace(
            season,
            rounds=tuple(sorted((*season.rounds, self.round), key=lambda r: r.number)),
            sessions=(*season.sessions, *self.sessions),
        )

    @property
    def from_round(self) -> int:
        return self.round.number

    exact = False  # the database gives the new ids

    def targets(self) -> tuple[Target, ...]:
        return (Target("round", f"{self.season_id}:{self.round.number}"),)

    def before(self) -> Any:
        return None

    def after(self) -> Any:
        r = self.round
        races = sum(1 for s in self.sessions if s.kind is SessionKind.RACE)
        return {"number": r.number, "slug": r.slug, "circuit": r.circuit, "races": races}

    async def write(self, tx: Transaction) -> Written:
        rid = await season_changes.insert_round(tx, self.season_id, self.round)
        for s in self.sessions:
            await season_changes.insert_session(tx, rid, s)
        return Written({"round_id": rid})

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        a = row.after
        rnd = Round(0, int(a["number"]), a["slug"], a["circuit"], "", "", None, None)
        return cls(row.season_id or 0, rnd, (), row.after)

    def inverse(self, view: SeasonView) -> Plan:
        number = self.round.number
        if any(view.classifications[s.id].rows for s in view.races_of_round(number)):
            raise Conflict("Round {n} has results now: remove those first.", n=number)
        return plan_of(
            view,
            RoundRemove(view.season.id, number, self.recorded_as or self.after()),
            Phrase("remove round {n}", n=number),
        )


@dataclass(frozen=True, slots=True)
class RoundRemove(Change):
    """Only as the undo of :class:`RoundAdd`."""

    season_id: int
    number: int
    recorded_as: dict[str, Any]
    action = "round.remove"

    def season_after(self, season: Season) -> Season:
        return replace(
            season,
            rounds=tuple(r for r in season.rounds if r.number != self.number),
            sessions=tuple(s for s in season.sessions if s.round_number != self.number),
        )

    @property
    def from_round(self) -> int:
        return self.number

    exact = False  # the round's remaining sessions are read back with their ids

    def targets(self) -> tuple[Target, ...]:
        return (Target("round", f"{self.season_id}:{self.number}"),)

    def before(self) -> Any:
        return self.recorded_as

    def after(self) -> Any:
        return None

    async def write(self, tx: Transaction) -> Written:
        rid = await season_changes.round_id(tx, self.season_id, self.number)
        await season_changes.delete_round(tx, rid)
        return Written()


@dataclass(frozen=True, slots=True)
class RoundEdit(Change):
    """A round moved, postponed, cancelled (its sessions removed) or reinstated."""

    season_id: int
    old: Round
    new: Round
    races: tuple[int, ...]  # the round's races (their standings move when it moves)
    dropped: tuple[Session, ...] = ()
    added: tuple[Session, ...] = ()
    touched: tuple[int, ...] = ()  # every session of the round before the change
    action = "round.edit"

    def season_after(self, season: Season) -> Season:
        return replace(
            season,
            rounds=swap(season.rounds, self.new, lambda r: r.number),
            sessions=tuple(s for s in season.sessions if s not in self.dropped) + self.added,
        )

    @property
    def changed(self) -> tuple[int, ...] | None:
        return None if self.dropped or self.added else self.races

    @property
    def from_round(self) -> int:
        return self.old.number

    @property
    def exact(self) -> bool:
        return not (self.dropped or self.added)

    def targets(self) -> tuple[Target, ...]:
        own = (Target("session", sid) for sid in self.touched)
        return (Target("round", f"{self.season_id}:{self.old.number}"), *own)

    def before(self) -> Any:
        return {**round_json(self.old), "sessions": [session_json(s) for s in self.dropped]}

    def after(self) -> Any:
        return round_json(self.new)

    async def write(self, tx: Transaction) -> Written:
        rid = await season_changes.round_id(tx, self.season_id, self.old.number)
        await season_changes.update_round(tx, rid, self.new)
        for s in self.dropped:
            await season_changes.delete_session(tx, s.id)
        for s in self.added:
            await season_changes.restore_session(tx, rid, s)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        b = row.before
        old = Round(
            0, int(b["number"]), "", "", "", "", _date(b["start_date"]), _date(b["end_date"]),
            status=b["status"], note=b["note"],
        )  # fmt: skip
        dropped = tuple(session_from_json(d, old.number, 0) for d in b.get("sessions") or ())
        return cls(row.season_id or 0, old, old, (), dropped)

    def inverse(self, view: SeasonView) -> Plan:
        o = self.old
        restore = [session_json(s) for s in self.dropped]
        return plan_round_edit(
            view, view.rounds[o.number], o.start_date, o.end_date, o.status, o.note,
            restore=restore or None,
        )  # fmt: skip


def _entered(session: Session, view: SeasonView) -> Session:
    """A session put back, less a pole or fastest lap whose entry is no longer there."""
    if session.pole_entry_id is not None and session.pole_entry_id not in view.entries:
        session = replace(session, pole_entry_id=None, pole_time_ms=None, pole_certainty=None)
    if (
        session.fastest_lap_entry_id is not None
        and session.fastest_lap_entry_id not in view.entries
    ):
        session = replace(session, fastest_lap_entry_id=None, fastest_lap_ms=None)
    return session


def plan_round_edit(
    view: SeasonView,
    rnd: Round,
    start: dt.date | None,
    end: dt.date | None,
    status: str | None,
    note: str | None,
    restore: list[dict[str, Any]] | None = None,
) -> Plan:
    """Move, postpone, cancel or reinstate a round. Cancelling removes its sessions (none may
    have results), so standings never wait on races that will not be run; ``restore`` (an
    undo) puts them back."""
    if status is not None and status not in ROUND_STATES:
        raise Invalid("Pick scheduled, postponed or cancelled.")
    new = replace(
        rnd,
        start_date=start or rnd.start_date,
        end_date=end or (rnd.end_date if not start else max(start, rnd.end_date or start)),
        status=status or rnd.status,
        note=clean_text(note, "reason", 200, required=False) if note is not None else rnd.note,
    )
    if new.start_date and new.end_date and new.end_date < new.start_date:
        raise Invalid("The round cannot end before it starts.")
    if new == rnd and not restore:
        raise Invalid("Nothing to change: give at least one new value.")
    own = [s for s in view.season.sessions if s.round_number == rnd.number]
    races = view.races_of_round(rnd.number)
    if new.status == "cancelled" and any(view.classifications[s.id].rows for s in races):
        raise Invalid(
            "Round {n} has results: a round that was run cannot be cancelled.", n=rnd.number
        )
    if new.status == "cancelled" and any(view.classifications[s.id].qualifying for s in races):
        # Its sessions would go with their qualifying, which no undo could bring back.
        raise Invalid(
            "Round {n} has a qualifying imported: undo that import first (/audit lists it).",
            n=rnd.number,
        )
    dropped = own if new.status == "cancelled" else []
    sid = -1 - max((abs(s.id) for s in view.season.sessions), default=0)
    added = [
        _entered(session_from_json(d, rnd.number, sid - i), view)
        for i, d in enumerate(restore or [])
        if not any(s.code == d["code"] for s in own)
    ]
    change = RoundEdit(
        view.season.id,
        rnd,
        new,
        tuple(s.id for s in races),
        tuple(dropped),
        tuple(added),
        tuple(s.id for s in own),
    )
    what = Phrase(new.status) if new.status != rnd.status else Phrase("edited")
    return plan_of(
        view,
        change,
        Phrase("round {n} ({circuit}): {what}", n=rnd.number, circuit=rnd.circuit, what=what),
    )
