"""Poles, fastest laps, qualifying imports and entries per round (planned, previewed, undoable).

A qualifying classification is kept per race it sets the grid of ("monza q1" sets race 1's
grid and pole); a race import takes its grid from that qualifying when the file has none, and
its fastest lap from the best-lap column. Every bonus point these move shows in the preview.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.domain.models import Certainty, Entry, Result, Session, Status
from bot.errors import Invalid
from bot.i18n import Phrase
from bot.services.admin import AdminService, Plan, race_phrase
from bot.services.championship import RaceView, SeasonView
from bot.services.lookup import SeasonIndex
from bot.services.results_csv import Classification
from bot.storage import season_changes
from bot.storage.database import Transaction
from bot.storage.seasonfiles import format_duration_ms


class SessionAdmin:
    def __init__(self, admin: AdminService) -> None:
        self.admin = admin

    # -- pole and fastest lap ------------------------------------------------------------------
    def plan_bonus(
        self,
        view: SeasonView,
        race: RaceView,
        kind: str,  # "pole" | "fastest-lap"
        entry: Entry | None,
        time_ms: int | None,
    ) -> Plan:
        session = race.session
        if entry is not None and not entry.enters(race.round.number):
            raise Invalid(
                "{driver} is not entered in {race}.", driver=entry.driver, race=race.label
            )
        if kind == "fastest-lap" and entry is not None:
            row = race.classification.row(entry.id)
            if race.classification.rows and row is None:
                raise Invalid(
                    "{driver} has no result in {race}: pick a driver who raced.",
                    driver=entry.driver,
                    race=race.label,
                )
        entry_id = entry.id if entry else None
        if kind == "pole":
            old = (session.pole_entry_id, session.pole_time_ms)
            new_session = replace(
                session,
                pole_entry_id=entry_id,
                pole_time_ms=time_ms,
                pole_certainty=None if entry is None else Certainty.CONFIRMED,
            )
        else:
            old = (session.fastest_lap_entry_id, session.fastest_lap_ms)
            new_session = replace(session, fastest_lap_entry_id=entry_id, fastest_lap_ms=time_ms)
        if old == (entry_id, time_ms):
            raise Invalid("Nothing to change: give at least one new value.")
        return self._session_plan(view, race, new_session, kind, old, (entry_id, time_ms), entry)

    def _session_plan(
        self,
        view: SeasonView,
        race: RaceView,
        new_session: Session,
        kind: str,
        old: tuple[int | None, int | None],
        new: tuple[int | None, int | None],
        entry: Entry | None,
    ) -> Plan:
        session = race.session
        season = replace(
            view.season,
            sessions=tuple(new_session if s.id == session.id else s for s in view.season.sessions),
        )
        candidate = self.admin._candidate(view, season, (session.id,))
        setter = season_changes.set_pole if kind == "pole" else season_changes.set_fastest_lap

        async def write(tx: Transaction) -> dict[str, Any]:
            await setter(tx, session.id, *new)
            return {}

        what = Phrase("pole") if kind == "pole" else Phrase("fastest lap")
        return Plan(
            season_id=view.season.id,
            action=f"{kind}.set",
            targets=(f"session:{session.id}", f"{kind}:{session.id}"),
            summary=Phrase(
                "{race}: {what} {driver}",
                race=race_phrase(race),
                what=what,
                driver=entry.driver if entry else "—",
            ),
            before={"session_id": session.id, "entry_id": old[0], "ms": old[1]},
            after={"session_id": session.id, "entry_id": new[0], "ms": new[1]},
            base=view,
            candidate=candidate,
            write=write,
            from_round=session.round_number,
            sessions=(session.id,),
            race=candidate.race(session.round_number, session.number),
            exact=True,
        )

    # -- qualifying ----------------------------------------------------------------------------
    async def plan_qualifying(self, view: SeasonView, race: RaceView, read: Classification) -> Plan:
        """The qualifying that sets ``race``'s grid: pole (with its best lap) and grid."""
        session = race.session
        order = list(read.order)
        by_entry = {r.entry_id: r for r in read.results}
        pole = order[0]
        pole_ms = by_entry[pole].best_lap_ms or by_entry[pole].time_ms
        grid = {entry_id: i for i, entry_id in enumerate(order, start=1)}
        rows = [
            (r.entry_id, grid.get(r.entry_id), (r.status or Status.CLASSIFIED).value, r.best_lap_ms)
            for r in read.results
        ]
        before_rows = [
            tuple(r) for r in await season_changes.qualifying(self.admin.service.db, session.id)
        ]
        results = tuple(
            replace(r, grid=grid.get(r.entry_id)) if r.session_id == session.id else r
            for r in view.season.results
        )
        new_session = replace(
            session, pole_entry_id=pole, pole_time_ms=pole_ms, pole_certainty=Certainty.CONFIRMED
        )
        season = replace(
            view.season,
            results=results,
            sessions=tuple(new_session if s.id == session.id else s for s in view.season.sessions),
        )
        candidate = self.admin._candidate(view, season, (session.id,))
        old_grid = {r.entry_id: r.grid for r in view.season.results if r.session_id == session.id}

        async def write(tx: Transaction) -> dict[str, Any]:
            await season_changes.replace_qualifying(tx, session.id, rows)
            await season_changes.set_pole(tx, session.id, pole, pole_ms)
            await season_changes.set_grid(tx, session.id, {e: grid.get(e) for e in old_grid})
            return {}

        return Plan(
            season_id=view.season.id,
            action="qualifying.import",
            targets=(f"session:{session.id}", f"pole:{session.id}"),
            summary=Phrase(
                "qualifying for {race}: pole {driver}, {n} cars on the grid",
                race=race_phrase(race),
                driver=view.entries[pole].driver,
                n=len(order),
            ),
            before={
                "session_id": session.id,
                "rows": before_rows,
                "pole": [session.pole_entry_id, session.pole_time_ms],
                "grid": {str(k): v for k, v in old_grid.items()},
            },
            after={"session_id": session.id, "rows": rows, "pole": [pole, pole_ms]},
            base=view,
            candidate=candidate,
            write=write,
            from_round=session.round_number,
            sessions=(session.id,),
            race=candidate.race(session.round_number, session.number),
            exact=True,
            extra={"read_as": (read.read_as, *read.notes)},
        )

    async def grid_from_qualifying(self, session_id: int, results: list[Result]) -> list[Result]:
        """Race results with the grid of the stored qualifying where the file gave none."""
        if any(r.grid is not None for r in results):
            return results
        stored = await season_changes.qualifying(self.admin.service.db, session_id)
        grid = {row["entry_id"]: row["position"] for row in stored}
        return [replace(r, grid=grid.get(r.entry_id)) for r in results]

    def with_fastest_lap(self, plan: Plan, read: Classification) -> Plan:
        """A race import that also records the file's fastest lap (previewed with it)."""
        if read.fastest is None or plan.race is None:
            return plan
        session = plan.race.session
        entry_id, lap_ms = read.fastest
        old = (session.fastest_lap_entry_id, session.fastest_lap_ms)
        if old == (entry_id, lap_ms):
            return plan
        candidate_season = plan.candidate.season
        new_session = replace(
            candidate_season.sessions[[s.id for s in candidate_season.sessions].index(session.id)],
            fastest_lap_entry_id=entry_id,
            fastest_lap_ms=lap_ms,
        )
        season = replace(
            candidate_season,
            sessions=tuple(
                new_session if s.id == session.id else s for s in candidate_season.sessions
            ),
        )
        plan.candidate = self.admin._candidate(plan.base, season, (session.id,))
        plan.race = plan.candidate.race(session.round_number, session.number)
        inner = plan.write

        async def write(tx: Transaction) -> dict[str, Any]:
            info = await inner(tx)
            await season_changes.set_fastest_lap(tx, session.id, entry_id, lap_ms)
            return info

        plan.write = write
        plan.before = {**plan.before, "fastest_lap": list(old)}
        plan.after = {**plan.after, "fastest_lap": [entry_id, lap_ms]}
        return plan

    # -- entries per round ---------------------------------------------------------------------
    def plan_withdraw(self, view: SeasonView, entry: Entry, from_round: int | None) -> Plan:
        """The entry keeps the rounds before ``from_round`` (default: the first round
        after the last one it has results in)."""
        raced = {
            view.sessions[r.session_id].round_number
            for r in view.season.results
            if r.entry_id == entry.id and r.session_id in view.sessions
        }
        start = from_round or max(raced, default=0) + 1
        known = {r.number for r in view.season.rounds}
        current = entry.rounds if entry.rounds is not None else known
        kept = frozenset(n for n in current if n < start)
        return self.plan_entry_rounds(view, entry, kept, "entry.withdraw")

    def plan_entry_rounds(
        self, view: SeasonView, entry: Entry, rounds: frozenset[int] | None, action: str
    ) -> Plan:
        known = {r.number for r in view.season.rounds}
        if rounds is not None and not rounds <= known:
            raise Invalid(
                "{season} has no round {n}.",
                season=view.season.name,
                n=", ".join(str(n) for n in sorted(rounds - known)),
            )
        if rounds == entry.rounds:
            raise Invalid("Nothing to change: give at least one new value.")
        dropped = (entry.rounds if entry.rounds is not None else known) - (
            rounds if rounds is not None else known
        )
        raced = {
            view.sessions[r.session_id].round_number
            for r in view.season.results
            if r.entry_id == entry.id and r.session_id in view.sessions
        }
        if dropped & raced:
            raise Invalid(
                "{driver} has results in round {n}: those stay; withdraw from later rounds only.",
                driver=entry.driver,
                n=", ".join(str(n) for n in sorted(dropped & raced)),
            )
        new = replace(entry, rounds=rounds)
        season = replace(
            view.season, entries=tuple(new if e.id == entry.id else e for e in view.season.entries)
        )

        async def write(tx: Transaction) -> dict[str, Any]:
            await season_changes.set_entry_rounds(tx, entry.id, rounds)
            return {}

        listed = "all" if rounds is None else ", ".join(str(n) for n in sorted(rounds)) or "none"
        return Plan(
            season_id=view.season.id,
            action=action,
            targets=(f"entry:{entry.id}",),
            summary=Phrase("{driver}: rounds {rounds}", driver=entry.driver, rounds=listed),
            before={"entry_id": entry.id, "rounds": _rounds(entry.rounds)},
            after={"entry_id": entry.id, "rounds": _rounds(rounds)},
            base=view,
            candidate=self.admin._candidate(view, season),
            write=write,
            from_round=1,
            sessions=(),
            exact=True,
        )


def _rounds(rounds: frozenset[int] | None) -> list[int] | None:
    return None if rounds is None else sorted(rounds)


def parse_rounds(text: str, view: SeasonView) -> frozenset[int] | None:
    """'all', '1,2,5', '3-6' → round numbers (None: the whole season)."""
    text = text.strip().lower()
    if text in ("", "all", "tous", "toutes"):
        return None
    numbers: set[int] = set()
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        if not part:
            continue
        low, _, high = part.partition("-")
        if (
            not low.isascii()
            or not low.isdigit()
            or (high and not (high.isascii() and high.isdigit()))
        ):
            raise Invalid("Rounds are numbers: e.g. 1,2,5 or 3-6 or all.")
        a, b = int(low), int(high or low)
        if not 1 <= a <= b <= 99:
            raise Invalid("Rounds are numbers: e.g. 1,2,5 or 3-6 or all.")
        numbers.update(range(a, b + 1))
    known = {r.number for r in view.season.rounds}
    if not numbers <= known:
        raise Invalid(
            "{season} has no round {n}.",
            season=view.season.name,
            n=", ".join(str(n) for n in sorted(numbers - known)),
        )
    return frozenset(numbers)


_QUALIFYING = re.compile(
    r"^(?P<place>.*?)[\s—–-]*\b(?:q|quali|qualif|qualifs|qualifying|qualification|"
    r"qualifications)\s*(?P<n>\d)?\s*$",
    re.I,
)


def qualifying_target(index: SeasonIndex, text: str) -> RaceView | None:
    """The race whose grid a qualifying sets: "monza q1", "monza qualifying 2" (None: the
    text names a race, not a qualifying)."""
    m = _QUALIFYING.match(text.strip())
    if not m or not m.group("place").strip():
        return None
    rnd = index.round(m.group("place"))
    races = index.view.races_of_round(rnd.number)
    if m.group("n") is None:
        if len(races) != 1:
            raise Invalid(
                "Say which race's grid this qualifying sets: {choices}.",
                choices=" / ".join(f"{rnd.slug.replace('-', ' ')} q{s.number}" for s in races),
            )
        return index.race(rnd.slug.replace("-", " "), races[0].number)
    return index.race(m.group("place"), int(m.group("n")))


def fastest_lap_line(view: SeasonView, read: Classification) -> tuple[str, ...]:
    """What the preview says about the fastest lap the file gives (bonus or not)."""
    if read.fastest is None:
        return ("no best-lap column: set the fastest lap with /fastest-lap set",)
    entry = view.entries[read.fastest[0]]
    lap = format_duration_ms(read.fastest[1])
    guest = " (a guest: no bonus to anyone)" if entry.guest else ""
    return (f"fastest lap from the best-lap column: {entry.driver} {lap}{guest}",)
