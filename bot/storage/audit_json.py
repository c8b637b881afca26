"""The audit log's JSON form of models (a change's before and after), and back.

This is a stored format: rows written by earlier versions are read (and undone) with it, so a
key is never renamed or dropped; a new one may be added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, fields
from typing import Any

from bot.domain.models import (
    Certainty,
    Entry,
    Penalty,
    PenaltyType,
    Result,
    Round,
    Session,
    SessionKind,
    Status,
)

_PENALTY_FIELDS = frozenset(f.name for f in fields(Penalty))


def result_json(r: Result) -> dict[str, Any]:
    data = asdict(r)
    data["status"] = r.status.value if r.status else None
    data["certainty"] = r.certainty.value
    return data


def result_from_json(d: dict[str, Any]) -> Result:
    return Result(
        **{
            **d,
            "status": Status(d["status"]) if d["status"] else None,
            "certainty": Certainty(d["certainty"]),
        }
    )


def entry_json(e: Entry) -> dict[str, Any]:
    return {
        "id": e.id,
        "driver": e.driver,
        "team": e.team,
        "car_number": e.car_number,
        "class": e.klass,
        "rookie": e.rookie,
        "junior": e.junior,
        "guest": e.guest,
    }


def penalty_json(p: Penalty) -> dict[str, Any]:
    data = asdict(p)
    data["type"] = p.type.value
    data["certainty"] = p.certainty.value
    return data


def penalty_from_json(d: dict[str, Any]) -> Penalty:
    """A penalty from its JSON (keys the audit adds beside it, e.g. ``penalty_id``, ignored)."""
    known = {k: v for k, v in d.items() if k in _PENALTY_FIELDS}
    return Penalty(
        **{**known, "type": PenaltyType(d["type"]), "certainty": Certainty(d["certainty"])}
    )


def round_json(r: Round) -> dict[str, Any]:
    return {
        "number": r.number,
        "start_date": r.start_date.isoformat() if r.start_date else None,
        "end_date": r.end_date.isoformat() if r.end_date else None,
        "status": r.status,
        "note": r.note,
    }


def session_json(s: Session) -> dict[str, Any]:
    """A session as an audit row keeps it: enough to put back a session a cancelled round
    removed (its kind of race, reduced flag, pole and fastest lap too; older rows have only
    the first four keys, read with defaults)."""
    return {
        "id": s.id,
        "code": s.code,
        "date": s.date.isoformat() if s.date else None,
        "start_time": s.start_time,
        "final": s.final,
        "complete": s.complete,
        "scoring": s.scoring,
        "reduced": s.reduced,
        "shared_with": s.shared_with,
        "note": s.note,
        "source": s.source,
        "pole_entry_id": s.pole_entry_id,
        "pole_time_ms": s.pole_time_ms,
        "pole_certainty": s.pole_certainty.value if s.pole_certainty else None,
        "fastest_lap_entry_id": s.fastest_lap_entry_id,
        "fastest_lap_ms": s.fastest_lap_ms,
    }


def session_from_json(d: dict[str, Any], round_number: int, session_id: int) -> Session:
    """The session an audit row kept (:func:`session_json`), as a new one with ``session_id``."""
    certainty = d.get("pole_certainty")
    return Session(
        session_id,
        round_number,
        d["code"],
        SessionKind.QUALIFYING if d["code"] == "Q" else SessionKind.RACE,
        date=dt.date.fromisoformat(d["date"]) if d.get("date") else None,
        start_time=d.get("start_time"),
        final=bool(d.get("final", False)),
        complete=bool(d.get("complete", False)),
        scoring=d.get("scoring"),
        reduced=bool(d.get("reduced", False)),
        shared_with=d.get("shared_with"),
        note=d.get("note") or "",
        source=d.get("source") or "",
        pole_entry_id=d.get("pole_entry_id"),
        pole_time_ms=d.get("pole_time_ms"),
        pole_certainty=Certainty(certainty) if certainty else None,
        fastest_lap_entry_id=d.get("fastest_lap_entry_id"),
        fastest_lap_ms=d.get("fastest_lap_ms"),
    )


def rounds_json(rounds: frozenset[int] | None) -> list[int] | None:
    return None if rounds is None else sorted(rounds)
