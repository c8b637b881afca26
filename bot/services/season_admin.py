"""Running a new season from Discord: its rounds, sessions and state (planned, previewed).

Every change here is a :class:`~bot.services.admin.Plan` applied by :meth:`AdminService.apply`
(one transaction with its audit row, then the view swapped); creating a season is in
:mod:`bot.services.season_create`. Each change knows its inverse, so ``/undo`` reverts it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.domain.models import Round, Season, Session, SessionKind
from bot.errors import Invalid
from bot.i18n import Phrase
from bot.services import circuits
from bot.services.admin import AdminService, Plan, clean_text
from bot.services.championship import SeasonView
from bot.services.season_create import SeasonCreation
from bot.storage import season_changes
from bot.storage.database import Transaction

ROUND_STATES = ("scheduled", "postponed", "cancelled")
MAX_ROUNDS = 40
MAX_RACES = 9


class SeasonAdmin(SeasonCreation):
    def __init__(self, admin: AdminService, data_dir: Path) -> None:
        self.admin = admin
        self.service = admin.service
        self.data_dir = data_dir

    # -- seasons -------------------------------------------------------------------------------
    def plan_season_status(self, view: SeasonView, status: str) -> Plan:
        if status not in ("provisional", "final"):
            raise Invalid("Pick provisional or final.")
        if view.season.status == status:
            raise Invalid("{season} is already {status}.", season=view.season.name, status=status)
        old = view.season.status

        async def write(tx: Transaction) -> dict[str, Any]:
            await season_changes.set_season_status(tx, view.season.id, status)
            return {}

        return self._plan(
            view,
            replace(view.season, status=status),
            "season.status",
            Phrase("{season} is now {status}", season=view.season.name, status=Phrase(status)),
            write,
            (f"season:{view.season.id}",),
            {"status": old},
            {"status": status},
        )

    def _plan(
        self,
        view: SeasonView,
        season: Season,
        action: str,
        summary: Phrase,
        write: Any,
        targets: tuple[str, ...],
        before: Any,
        after: Any,
        *,
        from_round: int = 1,
        sessions: tuple[int, ...] | None = None,
        exact: bool = False,
    ) -> Plan:
        candidate = self.admin._candidate(view, season, sessions)
        return Plan(
            season_id=view.season.id,
            action=action,
            targets=targets,
            summary=summary,
            before=before,
            after=after,
            base=view,
            candidate=candidate,
            write=write,
            from_round=max(1, from_round),
            sessions=sessions or (),
            exact=exact,
        )

    # -- rounds --------------------------------------------------------------------------------
    async def known_circuits(self, view: SeasonView) -> list[circuits.Circuit]:
        rows = await season_changes.series_rounds(self.service.db, view.season.series_slug)
        return circuits.from_rounds(rows) + circuits.catalogue(self.data_dir / "circuits.csv")

    async def plan_round_add(
        self,
        view: SeasonView,
        circuit: str,
        start: dt.date,
        end: dt.date | None,
        number: int | None,
        races: int,
        timezone: str | None,
    ) -> Plan:
        season = view.season
        end = end or start
        if end < start:
            raise Invalid("The round cannot end before it starts.")
        if (end - start).days > 6:
            raise Invalid("A round lasts a week at most.")
        if not 1 <= races <= MAX_RACES:
            raise Invalid("A round has 1 to {n} races.", n=MAX_RACES)
        if len(season.rounds) >= MAX_ROUNDS:
            raise Invalid("A season has {n} rounds at most.", n=MAX_ROUNDS)
        number = number or season.last_round + 1
        if not 1 <= number <= MAX_ROUNDS:
            raise Invalid("A round number is 1 to {n}.", n=MAX_ROUNDS)
        if any(r.number == number for r in season.rounds):
            raise Invalid("{season} already has a round {n}.", season=season.name, n=number)
        found = circuits.find(circuit, await self.known_circuits(view))
        name = clean_text(circuit, "team name", 60)
        known = found or circuits.Circuit(circuits.slugify(name), name, name, "", None, ())
        zone = circuits.check_timezone(timezone) if timezone else known.timezone
        slug = known.slug
        if any(r.slug == slug for r in season.rounds):
            slug = f"{slug}-{number}"
        rnd = Round(
            id=-number,
            number=number,
            slug=slug,
            circuit=known.circuit,
            town=known.town,
            country=known.country,
            start_date=start,
            end_date=end,
            aliases=known.aliases,
            timezone=zone,
        )
        next_id = -1 - max((abs(s.id) for s in season.sessions), default=0)
        new_sessions = [
            Session(next_id, number, "Q", SessionKind.QUALIFYING, date=start, final=False)
        ]
        for k in range(1, races + 1):
            day = start if races == 1 else min(end, start + dt.timedelta(days=k - 1))
            new_sessions.append(
                Session(next_id - k, number, f"R{k}", SessionKind.RACE, date=day, final=False)
            )
        new_season = replace(
            season,
            rounds=tuple(sorted((*season.rounds, rnd), key=lambda r: r.number)),
            sessions=(*season.sessions, *new_sessions),
        )

        async def write(tx: Transaction) -> dict[str, Any]:
            rid = await season_changes.insert_round(tx, season.id, rnd)
            for s in new_sessions:
                await season_changes.insert_session(tx, rid, s)
            return {"round_id": rid}

        where = f"{rnd.circuit} ({rnd.town}, {rnd.country})" if rnd.town else rnd.circuit
        return self._plan(
            view,
            new_season,
            "round.add",
            Phrase(
                "round {n}: {where}, {start} to {end}, {races} race(s){zone}",
                n=number,
                where=where,
                start=start.isoformat(),
                end=end.isoformat(),
                races=races,
                zone=f" · {zone}" if zone else "",
            ),
            write,
            (f"round:{season.id}:{number}",),
            None,
            {"number": number, "slug": slug, "circuit": rnd.circuit, "races": races},
            from_round=number,
            sessions=(),
        )

    def plan_round_edit(
        self,
        view: SeasonView,
        rnd: Round,
        start: dt.date | None,
        end: dt.date | None,
        status: str | None,
        note: str | None,
        restore: list[dict[str, Any]] | None = None,
    ) -> Plan:
        """Move, postpone, cancel or reinstate a round. Cancelling removes its sessions (none
        may have results), so standings never wait on races that will not be run; ``restore``
        (an undo) puts them back."""
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
        dropped = own if new.status == "cancelled" else []
        sid = -1 - max((abs(s.id) for s in view.season.sessions), default=0)
        added = [
            Session(
                sid - i,
                rnd.number,
                d["code"],
                SessionKind.QUALIFYING if d["code"] == "Q" else SessionKind.RACE,
                date=dt.date.fromisoformat(d["date"]) if d["date"] else None,
                start_time=d["start_time"],
                final=False,
            )
            for i, d in enumerate(restore or [])
            if not any(s.code == d["code"] for s in own)
        ]
        season = replace(
            view.season,
            rounds=tuple(new if r.number == rnd.number else r for r in view.season.rounds),
            sessions=tuple(s for s in view.season.sessions if s not in dropped) + tuple(added),
        )
        season_id = view.season.id

        async def write(tx: Transaction) -> dict[str, Any]:
            rid = await season_changes.round_id(tx, season_id, rnd.number)
            await season_changes.update_round(tx, rid, new)
            for s in dropped:
                await season_changes.delete_session(tx, s.id)
            for s in added:
                await season_changes.insert_session(tx, rid, s)
            return {}

        what = Phrase(new.status) if new.status != rnd.status else Phrase("edited")
        return self._plan(
            view,
            season,
            "round.edit",
            Phrase("round {n} ({circuit}): {what}", n=rnd.number, circuit=rnd.circuit, what=what),
            write,
            (f"round:{season_id}:{rnd.number}", *(f"session:{s.id}" for s in own)),
            {**_round_json(rnd), "sessions": [_session_json(s) for s in dropped]},
            _round_json(new),
            from_round=rnd.number,
            sessions=None if dropped or added else tuple(s.id for s in races),
            exact=not (dropped or added),
        )

    # -- sessions ------------------------------------------------------------------------------
    def plan_session_set(
        self, view: SeasonView, rnd: Round, code: str, day: dt.date, start_time: str | None
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
        old = next(
            (s for s in view.season.sessions if s.round_number == rnd.number and s.code == code),
            None,
        )
        season = view.season
        if old is None:
            sid = -1 - max((abs(s.id) for s in season.sessions), default=0)
            kind = SessionKind.QUALIFYING if code == "Q" else SessionKind.RACE
            new = Session(sid, rnd.number, code, kind, date=day, start_time=clock, final=False)
            sessions = (*season.sessions, new)
        else:
            new = replace(old, date=day, start_time=clock)
            if new == old:
                raise Invalid("Nothing to change: give at least one new value.")
            sessions = tuple(new if s.id == old.id else s for s in season.sessions)
        season_id = season.id

        async def write(tx: Transaction) -> dict[str, Any]:
            if old is None:
                rid = await season_changes.round_id(tx, season_id, rnd.number)
                return {"session_id": await season_changes.insert_session(tx, rid, new)}
            await season_changes.update_session_time(tx, old.id, new)
            return {}

        when = day.isoformat() + (f" {clock} ({rnd.timezone})" if clock else "")
        return self._plan(
            view,
            replace(season, sessions=sessions),
            "session.set",
            Phrase("{place} {code}: {when}", place=rnd.circuit, code=code, when=when),
            write,
            (f"round:{season_id}:{rnd.number}", f"session-code:{rnd.number}:{code}"),
            _session_json(old) if old else None,
            {**_session_json(new), "round": rnd.number},
            from_round=rnd.number,
            sessions=(),
        )


def _round_json(r: Round) -> dict[str, Any]:
    return {
        "number": r.number,
        "start_date": r.start_date.isoformat() if r.start_date else None,
        "end_date": r.end_date.isoformat() if r.end_date else None,
        "status": r.status,
        "note": r.note,
    }


def _session_json(s: Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "code": s.code,
        "date": s.date.isoformat() if s.date else None,
        "start_time": s.start_time,
    }
