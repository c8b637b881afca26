"""A round's sessions: one added or moved (date, local start time), and one removed (its undo)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from bot.domain.models import Round, Season, Session, SessionKind
from bot.errors import Conflict, Invalid
from bot.i18n import Phrase
from bot.services import circuits
from bot.services.admin.plan import Change, Plan, Written, plan_of, swap
from bot.services.championship import SeasonView
from bot.storage import season_changes
from bot.storage.audit_json import session_json
from bot.storage.changes import AuditRow, Target
from bot.storage.database import Transaction


@dataclass(frozen=True, slots=True)
class SessionSet(Change):
    """A session added to a round (``old`` None) or moved."""

    season_id: int
    round_number: int
    old: Session | None
    new: Session
    recorded_as: dict[str, Any] | None = None  # its audit row's after (to undo it)
    action = "session.set"

    def season_after(self, season: Season) -> Season:
        if self.old is None:
            return replace(season, sessions=(*season.sessions, self.new))
        return replace(season, sessions=swap(season.sessions, self.new, lambda s: s.id))

    @property
    def from_round(self) -> int:
        return self.round_number

    exact = False  # the database gives the new ids

    def targets(self) -> tuple[Target, ...]:
        return (
            Target("round", f"{self.season_id}:{self.round_number}"),
            Target("session-code", f"{self.round_number}:{self.new.code}"),
        )

    def before(self) -> Any:
        return session_json(self.old) if self.old else None

    def after(self) -> Any:
        return {**session_json(self.new), "round": self.round_number}

    async def write(self, tx: Transaction) -> Written:
        if self.old is None:
            rid = await season_changes.round_id(tx, self.season_id, self.round_number)
            return Written({"session_id": await season_changes.insert_session(tx, rid, self.new)})
        await season_changes.update_session_time(tx, self.old.id, self.new)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        def session(d: dict[str, Any]) -> Session:
            day = dt.date.fromisoformat(d["date"]) if d["date"] else None
            return Session(d["id"], number, d["code"], SessionKind.RACE, date=day,
                           start_time=d["start_time"])  # fmt: skip

        number = int(row.after["round"])
        old = session(row.before) if row.before is not None else None
        return cls(row.season_id or 0, number, old, session(row.after), row.after)

    def inverse(self, view: SeasonView) -> Plan:
        rnd = view.rounds[self.round_number]
        if self.old is not None:
            return plan_session_set(
                view, rnd, self.old.code, self.old.date or dt.date.today(), self.old.start_time
            )
        code = self.new.code
        session = next(
            s for s in view.season.sessions if s.round_number == rnd.number and s.code == code
        )
        if session.number and view.classifications[session.id].rows:
            raise Conflict("That session has results now: remove those first.")
        return plan_of(
            view,
            SessionRemove(session, self.recorded_as or self.after()),
            Phrase("remove {code} of round {n}", code=code, n=rnd.number),
        )


@dataclass(frozen=True, slots=True)
class SessionRemove(Change):
    """Only as the undo of a :class:`SessionSet` that added the session."""

    session: Session
    recorded_as: dict[str, Any]
    action = "session.remove"

    def season_after(self, season: Season) -> Season:
        return replace(
            season, sessions=tuple(s for s in season.sessions if s.id != self.session.id)
        )

    @property
    def from_round(self) -> int:
        return self.session.round_number

    exact = False  # reloaded: the round's sessions are read back

    def targets(self) -> tuple[Target, ...]:
        return (Target("session", self.session.id),)

    def before(self) -> Any:
        return self.recorded_as

    def after(self) -> Any:
        return None

    async def write(self, tx: Transaction) -> Written:
        await season_changes.delete_session(tx, self.session.id)
        return Written()


def plan_session_set(
    view: SeasonView, rnd: Round, code: str, day: dt.date, start_time: str | None
) -> Plan:
    code = code.strip().upper()
    if code in ("Q1", "QUALIFYING"):
        code = "Q"
    if code != "Q" and not (len(code) == 2 and code[0] == "R" and code[1] in "123456789"):
        raise Invalid("A session is Q or R1 to R9.")
    if (
        rnd.start_date
        and rnd.end_date
        and not (rnd.start_date - dt.timedelta(days=3) <= day <= rnd.end_date)
    ):
        raise Invalid(
            "{date} is outside round {n} ({start} to {end}).",
            date=day.isoformat(),
            n=rnd.number,
            start=rnd.start_date.isoformat(),
            end=rnd.end_date.isoformat(),
        )
    clock = circuits.parse_clock(start_time) if start_time else None
    if clock and not rnd.timezone:
        raise Invalid(
            "Round {n} has no time zone: set it with /round add … timezone, or leave the "
            "start time out.",
            n=rnd.number,
        )
    season = view.season
    old = next(
        (s for s in season.sessions if s.round_number == rnd.number and s.code == code), None
    )
    if old is None:
        sid = -1 - max((abs(s.id) for s in season.sessions), default=0)
        kind = SessionKind.QUALIFYING if code == "Q" else SessionKind.RACE
        new = Session(sid, rnd.number, code, kind, date=day, start_time=clock, final=False)
    else:
        new = replace(old, date=day, start_time=clock)
        if new == old:
            raise Invalid("Nothing to change: give at least one new value.")
    when = day.isoformat() + (f" {clock} ({rnd.timezone})" if clock else "")
    return plan_of(
        view,
        SessionSet(season.id, rnd.number, old, new),
        Phrase("{place} {code}: {when}", place=rnd.circuit, code=code, when=when),
    )
