"""The inverse of each season-running change, for ``/undo`` (registered with the admin service)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from bot.domain.models import Certainty
from bot.errors import Conflict, Invalid
from bot.i18n import Phrase
from bot.services.admin import INVERSES, AdminService, Plan, race_phrase
from bot.services.championship import SeasonView
from bot.services.season_admin import SeasonAdmin
from bot.services.session_admin import SessionAdmin
from bot.storage import season_changes
from bot.storage.changes import AuditRow
from bot.storage.database import Transaction


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def register(seasons: SeasonAdmin, sessions: SessionAdmin) -> None:
    def season_status(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan:
        return seasons.plan_season_status(view, row.before["status"])

    def round_add(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan:
        number = int(row.after["number"])
        races = view.races_of_round(number)
        if any(view.classifications[s.id].rows for s in races):
            raise Conflict("Round {n} has results now: remove those first.", n=number)
        season = replace(
            view.season,
            rounds=tuple(r for r in view.season.rounds if r.number != number),
            sessions=tuple(s for s in view.season.sessions if s.round_number != number),
        )
        season_id = view.season.id

        async def write(tx: Transaction) -> dict[str, Any]:
            await season_changes.delete_round(
                tx, await season_changes.round_id(tx, season_id, number)
            )
            return {}

        return seasons._plan(
            view,
            season,
            "round.remove",
            Phrase("remove round {n}", n=number),
            write,
            (f"round:{season_id}:{number}",),
            row.after,
            None,
            from_round=number,
            sessions=(),
        )

    def round_edit(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan:
        b = row.before
        rnd = view.rounds[int(b["number"])]
        return seasons.plan_round_edit(
            view,
            rnd,
            _date(b["start_date"]),
            _date(b["end_date"]),
            b["status"],
            b["note"],
            restore=b.get("sessions") or None,
        )

    def session_set(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan:
        number = int(row.after["round"])
        rnd = view.rounds[number]
        code = row.after["code"]
        if row.before is not None:
            return seasons.plan_session_set(
                view, rnd, code, _date(row.before["date"]) or dt.date.today(),
                row.before["start_time"],
            )  # fmt: skip
        session = next(
            s for s in view.season.sessions if s.round_number == number and s.code == code
        )
        if session.number and view.classifications[session.id].rows:
            raise Conflict("That session has results now: remove those first.")
        season = replace(
            view.season, sessions=tuple(s for s in view.season.sessions if s.id != session.id)
        )

        async def write(tx: Transaction) -> dict[str, Any]:
            await season_changes.delete_session(tx, session.id)
            return {}

        return seasons._plan(
            view,
            season,
            "session.remove",
            Phrase("remove {code} of round {n}", code=code, n=number),
            write,
            (f"session:{session.id}",),
            row.after,
            None,
            from_round=number,
            sessions=(),
        )

    def bonus(kind: str) -> Any:
        def inverse(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan:
            session = view.sessions[int(row.before["session_id"])]
            race = view.race(session.round_number, session.number)
            assert race is not None
            entry_id = row.before["entry_id"]
            entry = view.entries.get(entry_id) if entry_id is not None else None
            return sessions.plan_bonus(view, race, kind, entry, row.before["ms"])

        return inverse

    def qualifying(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan:
        b = row.before
        session = view.sessions[int(b["session_id"])]
        race = view.race(session.round_number, session.number)
        assert race is not None
        grid = {int(k): v for k, v in b["grid"].items()}
        pole, pole_ms = b["pole"]
        results = tuple(
            replace(r, grid=grid.get(r.entry_id, r.grid)) if r.session_id == session.id else r
            for r in view.season.results
        )
        new_session = replace(
            session,
            pole_entry_id=pole,
            pole_time_ms=pole_ms,
            pole_certainty=Certainty.CONFIRMED if pole else None,
        )
        season = replace(
            view.season,
            results=results,
            sessions=tuple(new_session if s.id == session.id else s for s in view.season.sessions),
        )
        rows = [tuple(r) for r in b["rows"]]

        async def write(tx: Transaction) -> dict[str, Any]:
            await season_changes.replace_qualifying(tx, session.id, rows)
            await season_changes.set_pole(tx, session.id, pole, pole_ms)
            await season_changes.set_grid(tx, session.id, grid)
            return {}

        plan = seasons._plan(
            view,
            season,
            "qualifying.restore",
            Phrase("restore the earlier qualifying of {race}", race=race_phrase(race)),
            write,
            (f"session:{session.id}",),
            row.after,
            b,
            from_round=session.round_number,
            sessions=(session.id,),
            exact=True,
        )
        plan.race = plan.candidate.race(session.round_number, session.number)
        return plan

    def entry_rounds(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan:
        entry = view.entries[int(row.before["entry_id"])]
        rounds = row.before["rounds"]
        return sessions.plan_entry_rounds(
            view, entry, None if rounds is None else frozenset(rounds), "entry.rounds"
        )

    def race_import(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan | None:
        if "fastest_lap" not in (row.before or {}):
            return None  # the admin service's own inverse
        saved = row.before
        plan = admin._inverse_builtin(view, row)
        assert plan.race is not None
        session = plan.race.session
        entry_id, lap_ms = saved["fastest_lap"]
        season = plan.candidate.season
        new_session = replace(
            view.sessions[session.id], fastest_lap_entry_id=entry_id, fastest_lap_ms=lap_ms
        )
        season = replace(
            season,
            sessions=tuple(new_session if s.id == session.id else s for s in season.sessions),
        )
        plan.candidate = admin._candidate(view, season, (session.id,))
        plan.race = plan.candidate.race(session.round_number, session.number)
        inner = plan.write

        async def write(tx: Transaction) -> dict[str, Any]:
            info = await inner(tx)
            await season_changes.set_fastest_lap(tx, session.id, entry_id, lap_ms)
            return info

        plan.write = write
        return plan

    def season_create(admin: AdminService, view: SeasonView, row: AuditRow) -> Plan:
        raise Invalid(
            "Creating a season cannot be undone; a season with no round stays out of fans' way."
        )

    INVERSES.update(
        {
            "season.create": season_create,
            "season.status": season_status,
            "round.add": round_add,
            "round.edit": round_edit,
            "session.set": session_set,
            "pole.set": bonus("pole"),
            "fastest-lap.set": bonus("fastest-lap"),
            "qualifying.import": qualifying,
            "entry.rounds": entry_rounds,
            "entry.withdraw": entry_rounds,
            "result.import": race_import,
        }
    )
