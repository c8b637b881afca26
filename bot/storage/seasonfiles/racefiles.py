"""Readers of poles.csv, fastest_laps.csv, results.csv and penalties.csv (file:line checks)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.domain.models import Penalty, PenaltyType, Result, Status
from bot.storage.seasonfiles.cells import Cells, rows
from bot.storage.seasonfiles.tables import Lookup


def read_timed(path: Path, look: Lookup, *, pole: bool) -> None:
    """poles.csv / fastest_laps.csv: merged into the sessions of ``look``."""
    seen: set[int] = set()
    for r in rows(path, ("round", "session", "driver")):
        session = look.session(r, race_only=True)
        if session.id in seen:
            raise r.fail(f"round {session.round_number} {session.code} appears twice")
        seen.add(session.id)
        entry = look.entry(r, session)
        key = (session.round_number, session.code)
        if pole:
            look.sessions[key] = replace(
                session,
                pole_entry_id=entry.id,
                pole_time_ms=r.duration("time"),
                pole_certainty=r.certainty(),
            )
        else:
            look.sessions[key] = replace(
                session, fastest_lap_entry_id=entry.id, fastest_lap_ms=r.duration("time")
            )


def read_results(path: Path, look: Lookup) -> list[Result]:
    results: list[Result] = []
    taken: set[tuple[int, int]] = set()
    positions: dict[tuple[int, str, int], str] = {}
    for r in rows(path, ("round", "session", "driver", "position")):
        session = look.session(r, race_only=True)
        entry = look.entry(r, session)
        if (session.id, entry.id) in taken:
            raise r.fail(f"{entry.driver} already has a result in this race")
        taken.add((session.id, entry.id))
        position = r.integer("position")
        flag = r.integer("flag_position")
        qualified = r.integer("qualified")
        for kind, value in (
            ("position", position),
            ("flag_position", flag),
            ("qualified", qualified),
        ):
            if value is None:
                continue
            key3 = (session.id, kind, value)
            if key3 in positions:
                raise r.fail(f"duplicate {kind} {value} (also {positions[key3]})")
            positions[key3] = entry.driver
        status = _status(r)
        if position is not None and status not in (None, Status.CLASSIFIED):
            raise r.fail(f"a {status} cannot have a classified position")
        if (
            session.complete
            and status in (None, Status.CLASSIFIED)
            and (flag is None or r.integer("laps", minimum=0) is None)
        ):
            raise r.fail("a complete session needs flag_position and laps")
        results.append(
            Result(
                session_id=session.id,
                entry_id=entry.id,
                position=position,
                flag_position=flag,
                status=status,
                laps=r.integer("laps", minimum=0),
                time_ms=r.duration("time"),
                gap_ms=r.duration("gap"),
                grid=r.integer("grid"),
                best_lap_ms=r.duration("best_lap"),
                class_position=r.integer("class_position"),
                rookie_position=r.integer("rookie_position"),
                series_position=r.integer("series_position"),
                running=_running(r, status),
                led_lap=r.flag("led"),
                qualified=qualified,
                certainty=r.certainty(),
                note=r.text("note"),
                source=r.text("source"),
            )
        )
    return results


def _running(r: Cells, status: Status | None) -> bool | None:
    """``running``: ``no`` for a car classified but not running at the flag (the dagger)."""
    running = r.flag("running")
    if running is False and status not in (None, Status.CLASSIFIED):
        raise r.fail(f"running = no is for a classified car (the dagger), not a {status}")
    return running


def _status(r: Cells) -> Status | None:
    text = r.text("status")
    if not text:
        return None
    try:
        return Status(text if text == "classified" else text.upper())
    except ValueError:
        raise r.fail(f"status must be classified, DNF, DNS, DSQ or NC: {text!r}") from None


def read_penalties(path: Path, look: Lookup) -> list[Penalty]:
    penalties: list[Penalty] = []
    for r in rows(path, ("round", "session", "driver", "type")):
        session = look.session(r)
        entry = look.entry(r, session)
        try:
            ptype = PenaltyType(r.text("type", required=True).lower())
        except ValueError:
            raise r.fail(
                "type must be time, positions, dsq, points, grid, reprimand or unspecified"
            ) from None
        value = r.integer("value")
        if ptype in (PenaltyType.TIME, PenaltyType.POSITIONS, PenaltyType.POINTS) and not value:
            raise r.fail(f"a {ptype} penalty needs a value")
        penalties.append(
            Penalty(
                id=len(penalties) + 1,
                session_id=session.id,
                entry_id=entry.id,
                type=ptype,
                value=value,
                reason=r.text("reason"),
                effect=r.text("effect"),
                decided_at=r.text("decided_at") or None,
                decided_by=r.text("decided_by") or None,
                revoked_at=r.text("revoked_at") or None,
                revoked_by=r.text("revoked_by") or None,
                revoke_reason=r.text("revoke_reason") or None,
                certainty=r.certainty(),
                source=r.text("source"),
            )
        )
    return penalties
