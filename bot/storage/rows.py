"""Row <-> model conversion for the season tables, in one place: a new column is one edit here.

Each ``*_COLUMNS`` names the columns written, in the order its ``*_values`` gives them; each
``*_from`` reads a model back from a ``sqlite3.Row``. The rules (scoring and championships)
are kept as JSON in ``season.rules_json``: :func:`rules_json` and :func:`rules_from_json`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import asdict, fields
from typing import Any

from bot.domain.models import (
    Certainty,
    Championship,
    Eligibility,
    Entry,
    Exclusion,
    Others,
    Outcome,
    Penalty,
    PenaltyType,
    QualifyingPlace,
    QualifyingRaces,
    RankBasis,
    Result,
    Round,
    ScoringRules,
    Season,
    SeasonFact,
    Session,
    SessionKind,
    StandingsNote,
    Status,
)
from bot.domain.nominations import Nomination


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """An INSERT of these columns; table and column names are this module's constants."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608


# -- rules -----------------------------------------------------------------------------------
def _scoring_dict(rules: ScoringRules) -> dict[str, Any]:
    out = asdict(rules)
    out["scale"] = list(rules.scale)
    out["kinds"] = [[name, _scoring_dict(kind)] for name, kind in rules.kinds]
    out["reduced_fraction"] = list(rules.reduced_fraction) if rules.reduced_fraction else None
    return out


def _scoring_from(d: dict[str, Any]) -> ScoringRules:
    known = {f.name for f in fields(ScoringRules)}
    values = {k: v for k, v in d.items() if k in known}
    values["scale"] = tuple(d["scale"])
    values["certainty"] = Certainty(d.get("certainty", "confirmed"))
    values["kinds"] = tuple((name, _scoring_from(kind)) for name, kind in d.get("kinds", ()))
    fraction = d.get("reduced_fraction")
    values["reduced_fraction"] = (fraction[0], fraction[1]) if fraction else None
    values["qualifying_scale"] = tuple(d.get("qualifying_scale", ()))
    values["qualifying_races"] = QualifyingRaces(d.get("qualifying_races", "every"))
    return ScoringRules(**values)


def _championship_dict(c: Championship) -> dict[str, Any]:
    out = asdict(c)
    out["aliases"] = list(c.aliases)
    out["scale"] = list(c.scale) if c.scale is not None else None
    out["exclusions"] = [asdict(x) for x in c.exclusions]
    return out


def _championship_from(d: dict[str, Any]) -> Championship:
    known = {f.name for f in fields(Championship)}
    values = {k: v for k, v in d.items() if k in known}
    values["rank"] = RankBasis(d["rank"])
    values["eligible"] = Eligibility(**d["eligible"])
    values["aliases"] = tuple(d.get("aliases", ()))
    values["others"] = Others(d.get("others", "skip"))
    values["scale"] = tuple(d["scale"]) if d.get("scale") is not None else None
    values["exclusions"] = tuple(Exclusion(**x) for x in d.get("exclusions", ()))
    values["nominated"] = tuple(d.get("nominated", ()))
    values["nominations"] = tuple(
        Nomination(n["team"], n["from_round"], tuple(n["drivers"]), n.get("note", ""))
        for n in d.get("nominations", ())
    )
    values["best_per_part"] = tuple((races, best) for races, best in d.get("best_per_part", ()))
    return Championship(**values)


def rules_json(season: Season) -> str:
    return json.dumps(
        {
            "scoring": _scoring_dict(season.scoring),
            "championships": [_championship_dict(c) for c in season.championships],
        },
        ensure_ascii=False,
    )


def rules_from_json(text: str) -> tuple[ScoringRules, tuple[Championship, ...]]:
    rules = json.loads(text)
    return (
        _scoring_from(rules["scoring"]),
        tuple(_championship_from(c) for c in rules["championships"]),
    )


# -- rounds ----------------------------------------------------------------------------------
ROUND_COLUMNS = (
    "season_id", "number", "slug", "circuit", "town", "country", "start_date", "end_date",
    "aliases", "note", "source", "status", "timezone",
)  # fmt: skip


def round_values(r: Round, season_id: int) -> tuple[Any, ...]:
    return (
        season_id, r.number, r.slug, r.circuit, r.town, r.country, iso(r.start_date),
        iso(r.end_date), ";".join(r.aliases), r.note, r.source, r.status, r.timezone,
    )  # fmt: skip


def round_from(r: sqlite3.Row) -> Round:
    return Round(
        id=r["id"],
        number=r["number"],
        slug=r["slug"],
        circuit=r["circuit"],
        town=r["town"],
        country=r["country"],
        start_date=date(r["start_date"]),
        end_date=date(r["end_date"]),
        aliases=tuple(a for a in r["aliases"].split(";") if a),
        note=r["note"],
        source=r["source"],
        status=r["status"],
        timezone=r["timezone"],
    )


# -- sessions --------------------------------------------------------------------------------
SESSION_COLUMNS = (
    "round_id", "code", "date", "start_time", "final", "complete", "shared_with",
    "pole_entry_id", "pole_time_ms", "pole_certainty", "fastest_lap_entry_id",
    "fastest_lap_ms", "note", "source", "scoring", "reduced",
)  # fmt: skip


def session_values(s: Session, round_id: int, entry_ids: dict[int, int]) -> tuple[Any, ...]:
    return (
        round_id, s.code, iso(s.date), s.start_time, int(s.final), int(s.complete),
        s.shared_with, entry_ids.get(s.pole_entry_id or 0), s.pole_time_ms,
        s.pole_certainty.value if s.pole_certainty else None,
        entry_ids.get(s.fastest_lap_entry_id or 0), s.fastest_lap_ms, s.note, s.source,
        s.scoring, int(s.reduced),
    )  # fmt: skip


def session_from(s: sqlite3.Row) -> Session:
    """A session row joined with its round's ``number``."""
    return Session(
        id=s["id"],
        round_number=s["number"],
        code=s["code"],
        kind=SessionKind.QUALIFYING if s["code"] == "Q" else SessionKind.RACE,
        date=date(s["date"]),
        final=bool(s["final"]),
        complete=bool(s["complete"]),
        pole_entry_id=s["pole_entry_id"],
        pole_time_ms=s["pole_time_ms"],
        pole_certainty=Certainty(s["pole_certainty"]) if s["pole_certainty"] else None,
        fastest_lap_entry_id=s["fastest_lap_entry_id"],
        fastest_lap_ms=s["fastest_lap_ms"],
        start_time=s["start_time"],
        shared_with=s["shared_with"],
        note=s["note"],
        source=s["source"],
        scoring=s["scoring"],
        reduced=bool(s["reduced"]),
    )


# -- entries ---------------------------------------------------------------------------------
ENTRY_COLUMNS = (
    "season_id", "driver_id", "team_id", "car_number", "class", "rookie", "junior", "guest",
    "rounds", "certainty", "note", "source",
)  # fmt: skip


def entry_values(e: Entry, season_id: int, driver_id: int, team_id: int | None) -> tuple[Any, ...]:
    return (
        season_id, driver_id, team_id, e.car_number, e.klass, e.rookie, e.junior, int(e.guest),
        ";".join(str(n) for n in sorted(e.rounds)) if e.rounds is not None else None,
        e.certainty.value, e.note, e.source,
    )  # fmt: skip


def entry_from(e: sqlite3.Row) -> Entry:
    """An entry row joined with ``driver``, ``nationality`` and ``team`` names."""
    return Entry(
        id=e["id"],
        driver_id=e["driver_id"],
        driver=e["driver"],
        team_id=e["team_id"],
        team=e["team"],
        car_number=e["car_number"],
        nationality=e["nationality"],
        klass=e["class"],
        rookie=_bool(e["rookie"]),
        junior=_bool(e["junior"]),
        guest=bool(e["guest"]),
        rounds=frozenset(int(x) for x in e["rounds"].split(";")) if e["rounds"] else None,
        certainty=Certainty(e["certainty"]),
        note=e["note"],
        source=e["source"],
    )


# -- results ---------------------------------------------------------------------------------
RESULT_COLUMNS = (
    "session_id", "entry_id", "position", "flag_position", "status", "laps", "time_ms",
    "gap_ms", "grid", "best_lap_ms", "class_position", "rookie_position", "series_position",
    "certainty", "note", "source", "running", "led_lap", "qualified",
)  # fmt: skip


def result_values(r: Result) -> tuple[Any, ...]:
    return (
        r.session_id, r.entry_id, r.position, r.flag_position,
        r.status.value if r.status else None, r.laps, r.time_ms, r.gap_ms, r.grid,
        r.best_lap_ms, r.class_position, r.rookie_position, r.series_position,
        r.certainty.value, r.note, r.source, None if r.running is None else int(r.running),
        None if r.led_lap is None else int(r.led_lap), r.qualified,
    )  # fmt: skip


def result_from(r: sqlite3.Row) -> Result:
    return Result(
        session_id=r["session_id"],
        entry_id=r["entry_id"],
        position=r["position"],
        flag_position=r["flag_position"],
        status=Status(r["status"]) if r["status"] else None,
        laps=r["laps"],
        time_ms=r["time_ms"],
        gap_ms=r["gap_ms"],
        grid=r["grid"],
        best_lap_ms=r["best_lap_ms"],
        class_position=r["class_position"],
        rookie_position=r["rookie_position"],
        series_position=r["series_position"],
        running=_bool(r["running"]),
        led_lap=_bool(r["led_lap"]),
        qualified=r["qualified"],
        certainty=Certainty(r["certainty"]),
        note=r["note"],
        source=r["source"],
    )


# -- imported qualifying (per race whose grid it sets) ---------------------------------------
QUALIFYING_COLUMNS = ("race_session_id", "entry_id", "position", "status", "best_lap_ms")


def qualifying_values(q: QualifyingPlace) -> tuple[Any, ...]:
    return (q.session_id, q.entry_id, q.position, q.status.value, q.best_lap_ms)


def qualifying_from(q: sqlite3.Row) -> QualifyingPlace:
    return QualifyingPlace(
        q["race_session_id"], q["entry_id"], q["position"], Status(q["status"]), q["best_lap_ms"]
    )


# -- outcomes and standings notes ------------------------------------------------------------
OUTCOME_COLUMNS = (
    "season_id", "championship", "position", "name", "margin_points", "certainty", "note",
    "source",
)  # fmt: skip


def outcome_values(o: Outcome, season_id: int) -> tuple[Any, ...]:
    return (
        season_id, o.championship, o.position, o.name, o.margin_points, o.certainty.value,
        o.note, o.source,
    )  # fmt: skip


def outcome_from(o: sqlite3.Row) -> Outcome:
    return Outcome(
        championship=o["championship"],
        position=o["position"],
        name=o["name"],
        margin_points=o["margin_points"],
        certainty=Certainty(o["certainty"]),
        note=o["note"],
        source=o["source"],
    )


NOTE_COLUMNS = (
    "season_id", "championship", "after_round", "after_session", "text", "certainty",
    "source", "leader", "rival", "gap_points",
)  # fmt: skip


def note_values(n: StandingsNote, season_id: int) -> tuple[Any, ...]:
    return (
        season_id, n.championship, n.after_round, n.after_session, n.text,
        n.certainty.value, n.source, n.leader, n.rival, n.gap_points,
    )  # fmt: skip


def note_from(n: sqlite3.Row) -> StandingsNote:
    return StandingsNote(
        championship=n["championship"],
        after_round=n["after_round"],
        after_session=n["after_session"],
        text=n["text"],
        certainty=Certainty(n["certainty"]),
        source=n["source"],
        leader=n["leader"],
        rival=n["rival"],
        gap_points=n["gap_points"],
    )


FACT_COLUMNS = (
    "season_id", "driver", "what", "count", "championship", "text", "certainty", "source",
)  # fmt: skip


def fact_values(f: SeasonFact, season_id: int) -> tuple[Any, ...]:
    return (
        season_id, f.driver, f.what, f.count, f.championship, f.text, f.certainty.value,
        f.source,
    )  # fmt: skip


def fact_from(f: sqlite3.Row) -> SeasonFact:
    return SeasonFact(
        driver=f["driver"],
        what=f["what"],
        count=f["count"],
        championship=f["championship"],
        text=f["text"],
        certainty=Certainty(f["certainty"]),
        source=f["source"],
    )


PENALTY_COLUMNS = (
    "id", "session_id", "entry_id", "type", "value", "reason", "effect", "decided_at",
    "decided_by", "revoked_at", "revoked_by", "revoke_reason", "certainty", "source",
)  # fmt: skip


def penalty_values(
    p: Penalty, session_id: int, entry_id: int, penalty_id: int | None
) -> tuple[Any, ...]:
    """``penalty_id`` None lets SQLite choose the id; an admin change or an undo keeps one."""
    return (
        penalty_id, session_id, entry_id, p.type.value, p.value, p.reason, p.effect,
        p.decided_at, p.decided_by, p.revoked_at, p.revoked_by, p.revoke_reason,
        p.certainty.value, p.source,
    )  # fmt: skip


def penalty_from(p: sqlite3.Row) -> Penalty:
    return Penalty(
        id=p["id"],
        session_id=p["session_id"],
        entry_id=p["entry_id"],
        type=PenaltyType(p["type"]),
        value=p["value"],
        reason=p["reason"],
        effect=p["effect"],
        decided_at=p["decided_at"],
        decided_by=p["decided_by"],
        revoked_at=p["revoked_at"],
        revoked_by=p["revoked_by"],
        revoke_reason=p["revoke_reason"],
        certainty=Certainty(p["certainty"]),
        source=p["source"],
    )
