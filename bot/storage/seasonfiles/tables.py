"""Readers of rounds.csv, sessions.csv and entries.csv; each row checked where it stands."""

from __future__ import annotations

import re
from pathlib import Path

from bot.domain.models import (
    Entry,
    Round,
    Session,
    SessionKind,
)
from bot.storage.seasonfiles.cells import Cells, rows
from bot.storage.seasonfiles.rules import CLASSES

_SESSION_RE = re.compile(r"^(Q|R[1-9])$")
SessionKey = tuple[int, str]


def read_rounds(path: Path) -> list[Round]:
    rounds: list[Round] = []
    for r in rows(path, ("round", "slug", "circuit")):
        number = r.required_int("round")
        if any(x.number == number for x in rounds):
            raise r.fail(f"round {number} appears twice")
        slug = r.text("slug", required=True).lower()
        if any(x.slug == slug for x in rounds):
            raise r.fail(f"slug {slug!r} appears twice")
        start, end = r.date("start_date"), r.date("end_date")
        if start and end and end < start:
            raise r.fail("end_date is before start_date")
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
                aliases=tuple(a.strip().lower() for a in r.text("aliases").split(";") if a.strip()),
                note=r.text("note"),
                source=r.text("source"),
            )
        )
    return sorted(rounds, key=lambda x: x.number)


def read_sessions(
    path: Path, round_numbers: set[int], kinds: set[str], reduced_rule: bool
) -> dict[SessionKey, Session]:
    """Sessions; ``kinds`` are the race kinds season.toml scores, ``reduced_rule`` whether it
    states a reduced-points fraction (a race flagged ``reduced`` needs one)."""
    sessions: dict[SessionKey, Session] = {}
    for r in rows(path, ("round", "session")):
        rnd = r.required_int("round")
        code = r.text("session", required=True).upper()
        if rnd not in round_numbers:
            raise r.fail(f"round {rnd} is not in rounds.csv")
        if not _SESSION_RE.match(code):
            raise r.fail(f"session must be Q, R1, R2 ..., got {code!r}")
        if (rnd, code) in sessions:
            raise r.fail(f"round {rnd} {code} appears twice")
        status_text = (r.text("status") or "final").lower()
        if status_text not in ("final", "provisional"):
            raise r.fail("status must be final or provisional")
        classification = (r.text("classification") or "partial").lower()
        if classification not in ("complete", "partial"):
            raise r.fail("classification must be complete or partial")
        scoring = r.text("scoring").lower() or None
        if scoring is not None and scoring not in kinds:
            declared = ", ".join(sorted(kinds)) or "none"
            raise r.fail(
                f"scoring {scoring!r} is not a kind season.toml scores "
                f"([scoring.kinds.{scoring}]; declared: {declared})"
            )
        reduced = bool(r.flag("reduced"))
        if reduced and not reduced_rule:
            raise r.fail("a reduced race needs [scoring.reduced] in season.toml")
        kind = SessionKind.QUALIFYING if code == "Q" else SessionKind.RACE
        if kind is SessionKind.QUALIFYING and (scoring or reduced):
            raise r.fail("only a race has a scoring kind or reduced points")
        sessions[(rnd, code)] = Session(
            id=len(sessions) + 1,
            round_number=rnd,
            code=code,
            kind=kind,
            date=r.date("date"),
            final=status_text == "final",
            complete=classification == "complete",
            start_time=r.text("start_time") or None,
            shared_with=r.text("shared_with") or None,
            note=r.text("note"),
            source=r.text("source"),
            scoring=scoring,
            reduced=reduced,
        )
    return sessions


def read_entries(
    path: Path, round_numbers: set[int], sessions: dict[SessionKey, Session]
) -> list[Entry]:
    """Entries; a driver may have several (one per team) when their rounds do not overlap."""
    drivers: dict[str, int] = {}
    teams: dict[str, int] = {}
    entries: list[Entry] = []
    for r in rows(path, ("driver", "team", "class")):
        name = r.name("driver")
        team = r.text("team") or None
        if team is not None:
            teams.setdefault(team, len(teams) + 1)
        klass = r.text("class") or None
        if klass is not None and klass not in CLASSES:
            raise r.fail(f"class must be one of {', '.join(CLASSES)} or empty, got {klass!r}")
        entered = _rounds(r, round_numbers)
        same = [e for e in entries if e.driver.casefold() == name.casefold()]
        if any(_overlap(e.rounds, entered) for e in same):
            raise r.fail(f"driver {name!r} appears twice (give each entry its own rounds)")
        driver_id = same[0].driver_id if same else len(drivers) + 1
        drivers.setdefault(name.casefold(), driver_id)
        nationality = r.text("nationality").upper() or None
        if nationality is not None and not re.fullmatch(r"[A-Z]{3}", nationality):
            raise r.fail(f"nationality must be a 3-letter code, got {nationality!r}")
        guest = bool(r.flag("guest"))
        car = r.integer("car_number", minimum=0)
        if car is not None:
            for other in entries:
                if other.driver_id == driver_id:
                    continue
                clash = _number_clash(other, guest, entered, car, sessions)
                if clash is not None:
                    where = f" in round {clash}" if clash else ""
                    raise r.fail(f"car #{car} is already {other.driver}{where}")
        entries.append(
            Entry(
                id=len(entries) + 1,
                driver_id=driver_id,
                driver=same[0].driver if same else name,
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
    return entries


def _rounds(r: Cells, round_numbers: set[int]) -> frozenset[int] | None:
    text = r.text("rounds")
    if not text:
        return None
    try:
        entered = frozenset(int(x) for x in text.split(";") if x.strip())
    except ValueError:
        raise r.fail("rounds must be round numbers separated by ;") from None
    if not entered <= round_numbers:
        raise r.fail(f"rounds {sorted(entered - round_numbers)} are not in rounds.csv")
    return entered


def _number_clash(
    other: Entry,
    guest: bool,
    rounds: frozenset[int] | None,
    car: int,
    sessions: dict[SessionKey, Session],
) -> int | None:
    """The first round where ``other`` already runs car number ``car`` (None: no clash).

    Two regulars never share a number in the same round (a number may pass from one driver
    to another between rounds). A guest may carry a regular's number only in a round whose
    races are all shared with another series (the guest's number is that series')."""
    if other.car_number != car or not _overlap(other.rounds, rounds):
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


def _overlap(a: frozenset[int] | None, b: frozenset[int] | None) -> bool:
    return a is None or b is None or bool(a & b)


class Lookup:
    """Resolves the round/session/driver cells of a row to the season's sessions and entries."""

    def __init__(self, sessions: dict[SessionKey, Session], entries: list[Entry]) -> None:
        self.sessions = sessions
        self.by_name: dict[str, list[Entry]] = {}
        for e in entries:
            self.by_name.setdefault(e.driver.casefold(), []).append(e)

    def session(self, r: Cells, *, race_only: bool = False) -> Session:
        rnd = r.integer("round", required=True)
        code = r.text("session", required=True).upper()
        found = self.sessions.get((rnd or 0, code))
        if found is None:
            raise r.fail(f"round {rnd} {code} is not in sessions.csv")
        if race_only and found.kind is not SessionKind.RACE:
            raise r.fail(f"round {rnd} {code} is not a race")
        return found

    def entry(self, r: Cells, session: Session) -> Entry:
        name = r.name("driver")
        found = self.by_name.get(name.casefold())
        if not found:
            raise r.fail(f"unknown driver {name!r} (not in entries.csv)")
        for e in found:
            if e.enters(session.round_number):
                return e
        raise r.fail(f"{found[0].driver} is not entered in round {session.round_number}")

    def knows(self, name: str) -> bool:
        return name.casefold() in self.by_name
