"""A race's pole and fastest lap, set by hand or from a qualifying import, and their undo."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.domain.models import Certainty, Entry, QualifyingPlace, Season, Status
from bot.errors import Invalid
from bot.i18n import Phrase
from bot.services.admin.plan import (
    Change,
    Plan,
    RaceChange,
    Written,
    plan_of,
    race_of,
    with_session,
)
from bot.services.admin.text import race_phrase
from bot.services.championship import RaceView, SeasonView
from bot.services.results_csv import Classification
from bot.storage import season_changes
from bot.storage.changes import AuditRow, Target
from bot.storage.database import Transaction

Pair = tuple[int | None, int | None]  # (entry id, time in ms)


@dataclass(frozen=True, slots=True)
class BonusSet(RaceChange):
    """A race's pole or fastest lap (entry and time) set by hand."""

    session_id: int
    round_number: int
    kind: str  # "pole" | "fastest-lap"
    old: Pair
    new: Pair
    action: str = "pole.set"  # or fastest-lap.set
    # A pole's certainty before and after (a pole set by hand is confirmed; its undo puts an
    # inferred pole back as inferred, not as confirmed).
    old_certainty: Certainty | None = None
    new_certainty: Certainty | None = Certainty.CONFIRMED

    def season_after(self, season: Season) -> Season:
        entry_id, ms = self.new
        if self.kind == "pole":
            certainty = None if entry_id is None else self.new_certainty
            return with_session(
                season,
                self.session_id,
                pole_entry_id=entry_id,
                pole_time_ms=ms,
                pole_certainty=certainty,
            )
        return with_session(
            season, self.session_id, fastest_lap_entry_id=entry_id, fastest_lap_ms=ms
        )

    def targets(self) -> tuple[Target, ...]:
        return (Target("session", self.session_id), Target(self.kind, self.session_id))

    def _recorded(self, pair: Pair, certainty: Certainty | None) -> dict[str, Any]:
        out = {"session_id": self.session_id, "entry_id": pair[0], "ms": pair[1]}
        return {**out, "certainty": certainty} if self.kind == "pole" else out

    def before(self) -> Any:
        return self._recorded(self.old, self.old_certainty)

    def after(self) -> Any:
        return self._recorded(self.new, self.new_certainty if self.new[0] else None)

    async def write(self, tx: Transaction) -> Written:
        if self.kind == "pole":
            await season_changes.set_pole(tx, self.session_id, *self.new, self.new_certainty)
        else:
            await season_changes.set_fastest_lap(tx, self.session_id, *self.new)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        b, a = row.before, row.after
        kind = row.action.removesuffix(".set")
        old, new = (b["entry_id"], b["ms"]), (a["entry_id"], a["ms"])
        # Rows written before the certainty was recorded: a pole then was taken as confirmed.
        pole = kind == "pole"
        was = b.get("certainty", "confirmed" if old[0] else None) if pole else None
        now = a.get("certainty", "confirmed") if pole else None
        return cls(
            int(b["session_id"]), 0, kind, old, new, row.action,
            Certainty(was) if was else None, Certainty(now) if now else None,
        )  # fmt: skip

    def inverse(self, view: SeasonView) -> Plan:
        entry_id = self.old[0]
        entry = view.entries.get(entry_id) if entry_id is not None else None
        race = race_of(view, self.session_id)
        return plan_bonus(view, race, self.kind, entry, self.old[1], self.old_certainty)


def plan_bonus(
    view: SeasonView,
    race: RaceView,
    kind: str,
    entry: Entry | None,
    time_ms: int | None,
    certainty: Certainty | None = Certainty.CONFIRMED,
) -> Plan:
    """``entry`` has the pole (``certainty``: how sure that is) or fastest lap of ``race``."""
    session = race.session
    if entry is not None and not entry.enters(race.round.number):
        raise Invalid("{driver} is not entered in {race}.", driver=entry.driver, race=race.label)
    if kind == "fastest-lap" and entry is not None:
        row = race.classification.row(entry.id)
        if race.classification.rows and row is None:
            raise Invalid(
                "{driver} has no result in {race}: pick a driver who raced.",
                driver=entry.driver,
                race=race.label,
            )
    entry_id = entry.id if entry else None
    was = session.pole_certainty if kind == "pole" else None
    if kind == "pole":
        old = (session.pole_entry_id, session.pole_time_ms)
    else:
        old = (session.fastest_lap_entry_id, session.fastest_lap_ms)
    now = certainty if kind == "pole" else None
    if old == (entry_id, time_ms) and was == (now if entry_id else None):
        raise Invalid("Nothing to change: give at least one new value.")
    what = Phrase("pole") if kind == "pole" else Phrase("fastest lap")
    change = BonusSet(
        session.id, session.round_number, kind, old, (entry_id, time_ms), f"{kind}.set", was, now
    )
    return plan_of(
        view,
        change,
        Phrase(
            "{race}: {what} {driver}",
            race=race_phrase(race),
            what=what,
            driver=entry.driver if entry else "—",
        ),
        race=(session.round_number, session.number),
    )


@dataclass(frozen=True, slots=True)
class QualifyingImport(RaceChange):
    """The qualifying that sets a race's grid and pole; or the earlier one put back (undo)."""

    session_id: int
    round_number: int
    rows: tuple[tuple[Any, ...], ...]  # (entry id, position, status, best lap ms)
    pole: Pair
    grid: dict[int, int | None]  # every car with a result in the race → its grid place
    old_rows: tuple[tuple[Any, ...], ...]
    old_pole: Pair
    old_grid: dict[int, int | None]
    action: str = "qualifying.import"  # or qualifying.restore
    # The pole's certainty after and before (an import's pole is confirmed; its undo puts an
    # inferred or unstated pole back as it was).
    certainty: Certainty | None = Certainty.CONFIRMED
    old_certainty: Certainty | None = None

    def season_after(self, season: Season) -> Season:
        results = tuple(
            replace(r, grid=self.grid.get(r.entry_id, r.grid))
            if r.session_id == self.session_id
            else r
            for r in season.results
        )
        kept = (q for q in season.qualifying if q.session_id != self.session_id)
        places = (
            QualifyingPlace(self.session_id, int(e), position, Status(status), best_ms)
            for e, position, status, best_ms in self.rows
        )
        qualifying = tuple(sorted((*kept, *places), key=lambda q: q.order_key))
        pole, pole_ms = self.pole
        return with_session(
            replace(season, results=results, qualifying=qualifying),
            self.session_id,
            pole_entry_id=pole,
            pole_time_ms=pole_ms,
            pole_certainty=self.certainty if pole else None,
        )

    def targets(self) -> tuple[Target, ...]:
        return (Target("session", self.session_id), Target("pole", self.session_id))

    def before(self) -> Any:
        return {
            "session_id": self.session_id,
            "rows": [list(r) for r in self.old_rows],
            "pole": list(self.old_pole),
            "grid": {str(k): v for k, v in self.old_grid.items()},
            "pole_certainty": self.old_certainty if self.old_pole[0] else None,
        }

    def after(self) -> Any:
        return {
            "session_id": self.session_id,
            "rows": [list(r) for r in self.rows],
            "pole": list(self.pole),
            "pole_certainty": self.certainty if self.pole[0] else None,
        }

    async def write(self, tx: Transaction) -> Written:
        await season_changes.replace_qualifying(tx, self.session_id, [tuple(r) for r in self.rows])
        certainty = self.certainty if self.pole[0] else None
        await season_changes.set_pole(tx, self.session_id, *self.pole, certainty)
        await season_changes.set_grid(tx, self.session_id, self.grid)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        b, a = row.before, row.after
        old_grid = {int(k): v for k, v in b["grid"].items()}
        rows = tuple(tuple(r) for r in a["rows"])
        # The grid it set: each car that had a result then, at its qualifying place.
        places = {int(r[0]): r[1] for r in rows}
        # Rows written before the certainty was recorded: a pole then was taken as confirmed.
        was = b.get("pole_certainty", "confirmed" if b["pole"][0] else None)
        now = a.get("pole_certainty", "confirmed")
        return cls(
            int(b["session_id"]),
            0,
            rows,
            (a["pole"][0], a["pole"][1]),
            {e: places.get(e) for e in old_grid},
            tuple(tuple(r) for r in b["rows"]),
            (b["pole"][0], b["pole"][1]),
            old_grid,
            certainty=Certainty(now) if now else None,
            old_certainty=Certainty(was) if was else None,
        )

    def inverse(self, view: SeasonView) -> Plan:
        race = race_of(view, self.session_id)
        session = race.session
        restore = QualifyingImport(
            session.id, session.round_number, self.old_rows, self.old_pole, self.old_grid,
            self.rows, self.pole, self.grid, "qualifying.restore",
            certainty=self.old_certainty, old_certainty=self.certainty,
        )  # fmt: skip
        return plan_of(
            view,
            restore,
            Phrase("restore the earlier qualifying of {race}", race=race_phrase(race)),
            race=(session.round_number, session.number),
        )


def plan_qualifying(view: SeasonView, race: RaceView, read: Classification) -> Plan:
    """The qualifying that sets ``race``'s grid: pole (with its best lap) and grid; it replaces
    the qualifying imported for that race before, if any."""
    session = race.session
    stored = tuple(
        (q.entry_id, q.position, q.status.value, q.best_lap_ms)
        for q in view.season.qualifying
        if q.session_id == session.id
    )
    order = list(read.order)
    by_entry = {r.entry_id: r for r in read.results}
    pole = order[0]
    pole_ms = by_entry[pole].best_lap_ms or by_entry[pole].time_ms
    places = {entry_id: i for i, entry_id in enumerate(order, start=1)}
    rows = tuple(
        (r.entry_id, places.get(r.entry_id), (r.status or Status.CLASSIFIED).value, r.best_lap_ms)
        for r in read.results
    )
    old_grid = {r.entry_id: r.grid for r in view.season.results if r.session_id == session.id}
    change = QualifyingImport(
        session.id,
        session.round_number,
        rows,
        (pole, pole_ms),
        {e: places.get(e) for e in old_grid},
        stored,
        (session.pole_entry_id, session.pole_time_ms),
        old_grid,
        old_certainty=session.pole_certainty,
    )
    return plan_of(
        view,
        change,
        Phrase(
            "qualifying for {race}: pole {driver}, {n} cars on the grid",
            race=race_phrase(race),
            driver=view.entries[pole].driver,
            n=len(order),
        ),
        race=(session.round_number, session.number),
        notes=(read.read_as, *read.notes),
    )
