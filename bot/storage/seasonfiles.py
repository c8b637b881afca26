"""Read a season folder (TOML + CSV, see docs/data-format.md) into a validated ``Season``.

Ids in the returned season are provisional (1, 2, ... per kind); the seeder maps them to
database ids. Every problem stops the load with ``file:line: problem``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.domain.models import (
    Certainty,
    Championship,
    Eligibility,
    Entry,
    Outcome,
    Penalty,
    PenaltyType,
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

CLASSES = ("Pro", "Pro-Am", "Am")
_SESSION_RE = re.compile(r"^(Q|R[1-9])$")
_TIME_RE = re.compile(r"^\+?(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d{1,3})?)$")


class SeasonFileError(ValueError):
    def __init__(self, file: Path | str, line: int | None, problem: str) -> None:
        self.file = Path(file)
        self.line = line
        self.problem = problem
        where = f"{self.file.name}:{line}" if line else self.file.name
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class LoadedSeason:
    season: Season
    folder: Path
    content_hash: str


def parse_duration_ms(text: str) -> int:
    """'46:33.408' -> ms; '1:02:03.5' -> ms; '+0.536' -> 536. Raises ValueError."""
    m = _TIME_RE.match(text.strip())
    if not m:
        raise ValueError(f"not a time: {text!r} (use M:SS.mmm, H:MM:SS.mmm or +S.mmm)")
    a, b, secs = m.groups()
    hours, minutes = (int(a), int(b)) if b is not None else (0, int(a) if a else 0)
    return round(((hours * 60 + minutes) * 60 + float(secs)) * 1000)


def format_duration_ms(ms: int) -> str:
    """Inverse of :func:`parse_duration_ms` for positive times: 2793408 -> '46:33.408'."""
    seconds, millis = divmod(ms, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{millis:03d}"
    if minutes:
        return f"{minutes}:{secs:02d}.{millis:03d}"
    return f"{secs}.{millis:03d}"


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise SeasonFileError(path, None, "file is missing")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise SeasonFileError(path, 1, f"missing column(s): {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            if None in row:
                raise SeasonFileError(path, line, "more cells than the header has columns")
            if not any((v or "").strip() for v in row.values()):
                continue
            yield line, {k: (v or "").strip() for k, v in row.items()}


class _Reader:
    """Field parsers that raise SeasonFileError with the file and line."""

    def __init__(self, path: Path, line: int, row: dict[str, str]) -> None:
        self.path, self.line, self.row = path, line, row

    def fail(self, problem: str) -> SeasonFileError:
        return SeasonFileError(self.path, self.line, problem)

    def text(self, col: str, *, required: bool = False) -> str:
        value = self.row.get(col, "")
        if required and not value:
            raise self.fail(f"{col} is empty")
        return value

    def integer(self, col: str, *, required: bool = False, minimum: int = 1) -> int | None:
        value = self.text(col, required=required)
        if not value:
            return None
        if not value.isdigit():
            raise self.fail(f"{col} must be a whole number, got {value!r}")
        number = int(value)
        if number < minimum:
            raise self.fail(f"{col} must be at least {minimum}, got {number}")
        return number

    def flag(self, col: str) -> bool | None:
        value = self.text(col).lower()
        if not value:
            return None
        if value in ("yes", "true", "1", "y"):
            return True
        if value in ("no", "false", "0", "n"):
            return False
        raise self.fail(f"{col} must be yes, no or empty, got {value!r}")

    def date(self, col: str) -> dt.date | None:
        value = self.text(col)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{col} must be a date YYYY-MM-DD, got {value!r}") from None

    def duration(self, col: str) -> int | None:
        value = self.text(col)
        if not value:
            return None
        try:
            return parse_duration_ms(value)
        except ValueError as exc:
            raise self.fail(f"{col}: {exc}") from None

    def certainty(self) -> Certainty:
        value = self.text("certainty") or "confirmed"
        try:
            return Certainty(value)
        except ValueError:
            raise self.fail(
                f"certainty must be confirmed, derived or inferred, got {value!r}"
            ) from None


def _championships(path: Path, data: dict[str, Any]) -> tuple[Championship, ...]:
    champs: list[Championship] = []
    for item in data.get("championships", []):
        slug = str(item.get("slug", "")).strip().lower()
        if not slug:
            raise SeasonFileError(path, None, "a championship has no slug")
        eligible = item.get("eligible", {})
        klass = eligible.get("class")
        if klass is not None and klass not in CLASSES:
            raise SeasonFileError(path, None, f"championship {slug}: unknown class {klass!r}")
        try:
            rank = RankBasis(item.get("rank", "overall"))
        except ValueError:
            raise SeasonFileError(path, None, f"championship {slug}: bad rank") from None
        champs.append(
            Championship(
                slug=slug,
                name=str(item.get("name", slug.title())),
                kind=str(item.get("kind", "drivers")),
                rank=rank,
                eligible=Eligibility(
                    klass=klass,
                    rookie=eligible.get("rookie"),
                    junior=eligible.get("junior"),
                    guest=eligible.get("guest", False),
                ),
                bonuses=bool(item.get("bonuses", False)),
                points_from=item.get("from"),
                counting_cars=int(item.get("counting_cars", 2)),
                aliases=tuple(str(a).lower() for a in item.get("aliases", ())),
                note=str(item.get("note", "")),
            )
        )
    slugs = [c.slug for c in champs]
    if len(set(slugs)) != len(slugs):
        raise SeasonFileError(path, None, "two championships share a slug")
    for c in champs:
        if c.kind not in ("drivers", "teams"):
            raise SeasonFileError(path, None, f"championship {c.slug}: kind must be drivers/teams")
        if c.is_teams and c.points_from not in slugs:
            raise SeasonFileError(path, None, f"championship {c.slug}: 'from' must name another")
    return tuple(champs)


def load_season_folder(folder: Path) -> LoadedSeason:
    folder = Path(folder)
    toml_path = folder / "season.toml"
    if not toml_path.exists():
        raise SeasonFileError(toml_path, None, "file is missing")
    try:
        meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SeasonFileError(toml_path, None, f"not valid TOML: {exc}") from None
    try:
        series = meta["series"]
        season_meta = meta["season"]
        scoring_meta = meta["scoring"]
        scoring = ScoringRules(
            scale=tuple(int(x) for x in scoring_meta["scale"]),
            pole_bonus=int(scoring_meta.get("pole_bonus", 0)),
            fastest_lap_bonus=int(scoring_meta.get("fastest_lap_bonus", 0)),
            certainty=Certainty(scoring_meta.get("certainty", "confirmed")),
            note=str(scoring_meta.get("note", "")),
            tie_break=str(scoring_meta.get("tie_break", "countback")),
        )
        year = int(season_meta["year"])
        season_status = str(season_meta.get("status", "final"))
    except (KeyError, ValueError, TypeError) as exc:
        raise SeasonFileError(toml_path, None, f"missing or bad value: {exc}") from None
    if season_status not in ("final", "provisional", "future"):
        raise SeasonFileError(toml_path, None, "season.status must be final/provisional/future")
    if any(p < 0 for p in scoring.scale) or list(scoring.scale) != sorted(scoring.scale)[::-1]:
        raise SeasonFileError(toml_path, None, "scoring.scale must be non-negative, decreasing")
    championships = _championships(toml_path, meta)

    # rounds
    rounds: list[Round] = []
    path = folder / "rounds.csv"
    for line, row in _rows(path, ("round", "slug", "circuit")):
        r = _Reader(path, line, row)
        number = r.integer("round", required=True)
        assert number is not None
        if any(x.number == number for x in rounds):
            raise r.fail(f"round {number} appears twice")
        slug = r.text("slug", required=True).lower()
        if any(x.slug == slug for x in rounds):
            raise r.fail(f"slug {slug!r} appears twice")
        start, end = r.date("start_date"), r.date("end_date")
        if start and end and end < start:
            raise r.fail("end_date is before start_date")
        aliases = tuple(a.strip().lower() for a in r.text("aliases").split(";") if a.strip())
        rounds.append(
            Round(
                id=len(rounds) + 1,
                number=number,
                slug=slug,
                circuit=r.text("circuit", required=True),
                town=r.text("town"),
                country=r.text("country"),
                start_date=start,
                end_date=end,
                aliases=aliases,
                note=r.text("note"),
                source=r.text("source"),
            )
        )
    round_numbers = {x.number for x in rounds}

    # sessions (poles and fastest laps are merged in below)
    sessions: dict[tuple[int, str], Session] = {}
    path = folder / "sessions.csv"
    for line, row in _rows(path, ("round", "session")):
        r = _Reader(path, line, row)
        rnd = r.integer("round", required=True)
        code = r.text("session", required=True).upper()
        if rnd not in round_numbers:
            raise r.fail(f"round {rnd} is not in rounds.csv")
        if not _SESSION_RE.match(code):
            raise r.fail(f"session must be Q, R1, R2 ..., got {code!r}")
        assert rnd is not None
        if (rnd, code) in sessions:
            raise r.fail(f"round {rnd} {code} appears twice")
        status_text = (r.text("status") or "final").lower()
        if status_text not in ("final", "provisional"):
            raise r.fail("status must be final or provisional")
        classification = (r.text("classification") or "partial").lower()
        if classification not in ("complete", "partial"):
            raise r.fail("classification must be complete or partial")
        sessions[(rnd, code)] = Session(
            id=len(sessions) + 1,
            round_number=rnd,
            code=code,
            kind=SessionKind.QUALIFYING if code == "Q" else SessionKind.RACE,
            date=r.date("date"),
            final=status_text == "final",
            complete=classification == "complete",
            start_time=r.text("start_time") or None,
            shared_with=r.text("shared_with") or None,
            note=r.text("note"),
            source=r.text("source"),
        )

    def session_for(r: _Reader, *, race_only: bool = False) -> Session:
        rnd = r.integer("round", required=True)
        code = r.text("session", required=True).upper()
        found = sessions.get((rnd or 0, code))
        if found is None:
            raise r.fail(f"round {rnd} {code} is not in sessions.csv")
        if race_only and found.kind is not SessionKind.RACE:
            raise r.fail(f"round {rnd} {code} is not a race")
        return found

    # entries
    drivers: dict[str, int] = {}
    teams: dict[str, int] = {}
    entries: list[Entry] = []
    path = folder / "entries.csv"
    for line, row in _rows(path, ("driver", "team", "class")):
        r = _Reader(path, line, row)
        name = " ".join(r.text("driver", required=True).split())
        if name.casefold() in (n.casefold() for n in drivers):
            raise r.fail(f"driver {name!r} appears twice")
        drivers[name] = len(drivers) + 1
        team = r.text("team") or None
        if team is not None:
            teams.setdefault(team, len(teams) + 1)
        klass = r.text("class") or None
        if klass is not None and klass not in CLASSES:
            raise r.fail(f"class must be one of {', '.join(CLASSES)} or empty, got {klass!r}")
        rounds_text = r.text("rounds")
        entered: frozenset[int] | None = None
        if rounds_text:
            try:
                entered = frozenset(int(x) for x in rounds_text.split(";") if x.strip())
            except ValueError:
                raise r.fail("rounds must be round numbers separated by ;") from None
            if not entered <= round_numbers:
                raise r.fail(f"rounds {sorted(entered - round_numbers)} are not in rounds.csv")
        nationality = r.text("nationality").upper() or None
        if nationality is not None and not re.fullmatch(r"[A-Z]{3}", nationality):
            raise r.fail(f"nationality must be a 3-letter code, got {nationality!r}")
        guest = bool(r.flag("guest"))
        car = r.integer("car_number", minimum=0)
        if car is not None:
            for other in entries:
                clash = _number_clash(other, guest, entered, car, sessions)
                if clash is not None:
                    where = f" in round {clash}" if clash else ""
                    raise r.fail(f"car #{car} is already {other.driver}{where}")
        entries.append(
            Entry(
                id=len(entries) + 1,
                driver_id=drivers[name],
                driver=name,
                team_id=teams[team] if team else None,
                team=team,
                car_number=car,
                nationality=nationality,
                klass=klass,
                rookie=r.flag("rookie"),
                junior=r.flag("junior"),
                guest=guest,
                rounds=entered,
                certainty=r.certainty(),
                note=r.text("note"),
                source=r.text("source"),
            )
        )
    by_name = {e.driver.casefold(): e for e in entries}

    def entry_for(r: _Reader, session: Session) -> Entry:
        name = " ".join(r.text("driver", required=True).split())
        found = by_name.get(name.casefold())
        if found is None:
            raise r.fail(f"unknown driver {name!r} (not in entries.csv)")
        if not found.enters(session.round_number):
            raise r.fail(f"{found.driver} is not entered in round {session.round_number}")
        return found

    # poles and fastest laps
    for fname, is_pole in (("poles.csv", True), ("fastest_laps.csv", False)):
        path = folder / fname
        if not path.exists() and not is_pole:
            continue
        seen: set[int] = set()
        for line, row in _rows(path, ("round", "session", "driver")):
            r = _Reader(path, line, row)
            session = session_for(r, race_only=True)
            if session.id in seen:
                raise r.fail(f"round {session.round_number} {session.code} appears twice")
            seen.add(session.id)
            entry = entry_for(r, session)
            key = (session.round_number, session.code)
            if is_pole:
                sessions[key] = _replace(
                    session,
                    pole_entry_id=entry.id,
                    pole_time_ms=r.duration("time"),
                    pole_certainty=r.certainty(),
                )
            else:
                sessions[key] = _replace(
                    session, fastest_lap_entry_id=entry.id, fastest_lap_ms=r.duration("time")
                )

    # results
    results: list[Result] = []
    taken: set[tuple[int, int]] = set()
    positions: dict[tuple[int, str, int], str] = {}
    path = folder / "results.csv"
    for line, row in _rows(path, ("round", "session", "driver", "position")):
        r = _Reader(path, line, row)
        session = session_for(r, race_only=True)
        entry = entry_for(r, session)
        if (session.id, entry.id) in taken:
            raise r.fail(f"{entry.driver} already has a result in this race")
        taken.add((session.id, entry.id))
        position = r.integer("position")
        flag = r.integer("flag_position")
        for kind, value in (("position", position), ("flag_position", flag)):
            if value is None:
                continue
            key3 = (session.id, kind, value)
            if key3 in positions:
                raise r.fail(f"duplicate {kind} {value} (also {positions[key3]})")
            positions[key3] = entry.driver
        status_text = r.text("status")
        status: Status | None = None
        if status_text:
            try:
                status = Status(status_text if status_text == "classified" else status_text.upper())
            except ValueError:
                raise r.fail(
                    f"status must be classified, DNF, DNS, DSQ or NC: {status_text!r}"
                ) from None
        if position is not None and status not in (None, Status.CLASSIFIED):
            raise r.fail(f"a {status} cannot have a classified position")
        needs_times = session.complete and status in (None, Status.CLASSIFIED)
        if needs_times and (
            flag is None or r.integer("laps", minimum=0) is None or r.duration("time") is None
        ):
            raise r.fail("a complete session needs flag_position, laps and time")
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
                certainty=r.certainty(),
                note=r.text("note"),
                source=r.text("source"),
            )
        )

    # penalties
    penalties: list[Penalty] = []
    path = folder / "penalties.csv"
    if path.exists():
        for line, row in _rows(path, ("round", "session", "driver", "type")):
            r = _Reader(path, line, row)
            session = session_for(r)
            entry = entry_for(r, session)
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

    slugs = {c.slug for c in championships}
    outcomes: list[Outcome] = []
    path = folder / "outcomes.csv"
    if path.exists():
        for line, row in _rows(path, ("championship", "position", "name")):
            r = _Reader(path, line, row)
            champ = r.text("championship", required=True).lower()
            if champ not in slugs:
                raise r.fail(f"championship {champ!r} is not in season.toml")
            pos = r.integer("position", required=True)
            assert pos is not None
            outcomes.append(
                Outcome(
                    championship=champ,
                    position=pos,
                    name=r.text("name", required=True),
                    margin_points=r.integer("margin_points", minimum=0),
                    certainty=r.certainty(),
                    note=r.text("note"),
                    source=r.text("source"),
                )
            )

    notes: list[StandingsNote] = []
    path = folder / "standings_notes.csv"
    if path.exists():
        for line, row in _rows(path, ("championship", "after_round", "text")):
            r = _Reader(path, line, row)
            champ = r.text("championship", required=True).lower()
            if champ not in slugs:
                raise r.fail(f"championship {champ!r} is not in season.toml")
            after = r.integer("after_round", required=True, minimum=0)
            if after not in round_numbers and after != 0:
                raise r.fail(f"round {after} is not in rounds.csv")
            assert after is not None
            leader, rival = r.text("leader") or None, r.text("rival") or None
            gap = r.integer("gap_points", minimum=0)
            for named in (leader, rival):
                if named is not None and named.casefold() not in by_name:
                    raise r.fail(f"unknown driver {named!r} (not in entries.csv)")
            if (rival is None) != (gap is None) or (rival is not None and leader is None):
                raise r.fail("a rival and gap_points go together, with a leader")
            notes.append(
                StandingsNote(
                    championship=champ,
                    after_round=after,
                    after_session=r.text("after_session").upper() or None,
                    text=r.text("text", required=True),
                    certainty=r.certainty(),
                    source=r.text("source"),
                    leader=leader,
                    rival=rival,
                    gap_points=gap,
                )
            )

    facts: list[SeasonFact] = []
    path = folder / "season_facts.csv"
    if path.exists():
        for line, row in _rows(path, ("driver", "what", "count", "text")):
            r = _Reader(path, line, row)
            name = " ".join(r.text("driver", required=True).split())
            if name.casefold() not in by_name:
                raise r.fail(f"unknown driver {name!r} (not in entries.csv)")
            what = r.text("what", required=True).lower()
            if what not in ("wins", "podiums", "poles"):
                raise r.fail(f"what must be wins, podiums or poles, got {what!r}")
            in_champ = r.text("championship").lower() or None
            if in_champ is not None and in_champ not in slugs:
                raise r.fail(f"championship {in_champ!r} is not in season.toml")
            count = r.integer("count", required=True, minimum=0)
            assert count is not None
            facts.append(
                SeasonFact(
                    driver=by_name[name.casefold()].driver,
                    what=what,
                    count=count,
                    championship=in_champ,
                    text=r.text("text", required=True),
                    certainty=r.certainty(),
                    source=r.text("source"),
                )
            )

    season = Season(
        id=1,
        series_slug=str(series.get("slug", "")).lower(),
        series_name=str(series.get("name", "")),
        year=year,
        name=str(season_meta.get("name", f"{year} {series.get('name', '')}")),
        status=season_status,
        scoring=scoring,
        championships=championships,
        rounds=tuple(sorted(rounds, key=lambda x: x.number)),
        sessions=tuple(sessions.values()),
        entries=tuple(entries),
        results=tuple(results),
        penalties=tuple(penalties),
        outcomes=tuple(outcomes),
        standings_notes=tuple(notes),
        notes=tuple((str(k), str(v)) for k, v in meta.get("notes", {}).items()),
        source=str(season_meta.get("source", "")),
        facts=tuple(facts),
    )
    if not season.series_slug:
        raise SeasonFileError(toml_path, None, "series.slug is empty")
    return LoadedSeason(season=season, folder=folder, content_hash=_hash_folder(folder))


def _number_clash(
    other: Entry,
    guest: bool,
    rounds: frozenset[int] | None,
    car: int,
    sessions: dict[tuple[int, str], Session],
) -> int | None:
    """The first round where ``other`` already runs car number ``car`` (None: no clash).

    Two regulars never share a number. A guest may carry a regular's number only in a round
    whose races are all shared with another series (the guest's number is that series')."""
    if other.car_number != car:
        return None
    if not guest and not other.guest:
        return 0
    all_rounds = {rnd for rnd, _ in sessions}
    common = (other.rounds or all_rounds) & (rounds or all_rounds)
    for rnd in sorted(common):
        races = [s for (n, _), s in sessions.items() if n == rnd and s.kind is SessionKind.RACE]
        if not races or not all(s.shared_with for s in races):
            return rnd
    return None


def _replace(session: Session, **changes: Any) -> Session:
    return replace(session, **changes)


def _hash_folder(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix in (".csv", ".toml"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def season_folders(root: Path) -> list[Path]:
    """Every folder under ``root`` that holds a season.toml, sorted by name."""
    if (root / "season.toml").exists():
        return [root]
    return sorted(p.parent for p in root.glob("*/season.toml"))
