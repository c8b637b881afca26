"""The audit log's JSON form of models (a change's before and after), and back.

This is a stored format: rows written by earlier versions are read (and undone) with it, so a
key is never renamed or dropped; a new one may be added.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from bot.domain.models import Certainty, Entry, Penalty, PenaltyType, Result, Round, Session, Status

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
    return {
        "id": s.id,
        "code": s.code,
        "date": s.date.isoformat() if s.date else None,
        "start_time": s.start_time,
    }


def rounds_json(rounds: frozenset[int] | None) -> list[int] | None:
    return None if rounds is None else sorted(rounds)
