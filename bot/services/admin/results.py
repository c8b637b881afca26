"""A race's results: an import, one result set by hand, and their undo (the earlier results)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.domain.models import Certainty, Entry, Result, Season, Status
from bot.errors import Invalid
from bot.i18n import Phrase
from bot.services.admin.plan import Change, Plan, RaceChange, Written, plan_of, with_session
from bot.services.admin.text import race_phrase
from bot.services.championship import RaceView, SeasonView
from bot.storage import changes, season_changes
from bot.storage.audit_json import result_from_json, result_json
from bot.storage.changes import AuditRow
from bot.storage.database import Transaction

Lap = tuple[int | None, int | None]  # (entry id, lap time in ms)


@dataclass(frozen=True, slots=True)
class ReplaceResults(RaceChange):
    """Every result of one race replaced; with an import's fastest lap when the file gives one."""

    session_id: int
    round_number: int
    results: tuple[Result, ...]
    complete: bool
    old: tuple[Result, ...]
    old_complete: bool
    action: str = "result.import"  # or result.set, result.restore
    fastest_lap: tuple[Lap, Lap] | None = None  # (before, after)

    def season_after(self, season: Season) -> Season:
        lap: dict[str, int | None] = {}
        if self.fastest_lap is not None:
            entry_id, lap_ms = self.fastest_lap[1]
            lap = {"fastest_lap_entry_id": entry_id, "fastest_lap_ms": lap_ms}
        kept = tuple(r for r in season.results if r.session_id != self.session_id)
        season = replace(season, results=kept + self.results)
        return with_session(season, self.session_id, complete=self.complete, **lap)

    def before(self) -> Any:
        out = {"results": [result_json(r) for r in self.old], "complete": self.old_complete}
        if self.fastest_lap is not None:
            out["fastest_lap"] = list(self.fastest_lap[0])
        return out

    def after(self) -> Any:
        out = {"results": [result_json(r) for r in self.results], "complete": self.complete}
        if self.fastest_lap is not None:
            out["fastest_lap"] = list(self.fastest_lap[1])
        return out

    async def write(self, tx: Transaction) -> Written:
        await changes.replace_results(tx, self.session_id, self.results, self.complete)
        if self.fastest_lap is not None:
            await season_changes.set_fastest_lap(tx, self.session_id, *self.fastest_lap[1])
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        b, a = row.before, row.after or {}
        lap = None
        if "fastest_lap" in b:
            lap = (tuple(b["fastest_lap"]), tuple(a.get("fastest_lap", (None, None))))
        return cls(
            session_id=int(row.targets[0].id),
            round_number=0,
            results=tuple(result_from_json(d) for d in a.get("results", ())),
            complete=bool(a.get("complete")),
            old=tuple(result_from_json(d) for d in b["results"]),
            old_complete=bool(b["complete"]),
            action=row.action,
            fastest_lap=lap,
        )

    def inverse(self, view: SeasonView) -> Plan:
        session = view.sessions[self.session_id]
        race = view.race(session.round_number, session.number)
        assert race is not None
        plan = plan_results(
            view,
            race,
            list(self.old),
            self.old_complete,
            "result.restore",
            Phrase("restore the earlier results of {race}", race=race_phrase(race)),
        )
        if self.fastest_lap is None:
            return plan
        return with_lap(plan, self.fastest_lap[0])


def plan_results(
    view: SeasonView,
    race: RaceView,
    results: list[Result],
    complete: bool,
    action: str,
    summary: Phrase,
    *,
    keep_published: bool = False,
) -> Plan:
    """Replace a race's results. ``keep_published``: refuse to remove a published (sourced)
    result that ``results`` leaves out, unless the admin chose to."""
    session = race.session
    if keep_published:
        listed = {r.entry_id for r in results}
        gone = [
            view.entries[r.entry_id].driver
            for r in view.season.results
            if r.session_id == session.id and r.source and r.entry_id not in listed
        ]
        if gone:
            raise Invalid(
                "The file leaves out {n} published result(s) of {race}: {names}. Add them "
                "to the file, or import it again with remove_published: True to remove them.",
                n=len(gone),
                race=race.label,
                names=", ".join(gone),
            )
    change = ReplaceResults(
        session.id,
        session.round_number,
        tuple(results),
        complete,
        tuple(r for r in view.season.results if r.session_id == session.id),
        session.complete,
        action,
    )
    return plan_of(view, change, summary, race=(session.round_number, session.number))


def with_lap(plan: Plan, lap: Lap) -> Plan:
    """A results plan that also sets the race's fastest lap (previewed with it); the same plan
    when the lap is already that one."""
    change = plan.change
    assert isinstance(change, ReplaceResults)
    session = plan.base.sessions[change.session_id]
    old = (session.fastest_lap_entry_id, session.fastest_lap_ms)
    if old == lap:
        return plan
    with_it = replace(change, fastest_lap=(old, lap))
    return plan_of(
        plan.base,
        with_it,
        plan.summary,
        race=(session.round_number, session.number),
        replan=plan.replan,
        notes=plan.notes,
    )


def plan_result_set(
    view: SeasonView,
    race: RaceView,
    entry: Entry,
    position: int | None,
    status: Status | None,
    laps: int | None,
    time_ms: int | None,
) -> Plan:
    if position is None and status is None:
        raise Invalid("Give a position or a status (DNF, DNS, DSQ, NC).")
    if position is not None and status not in (None, Status.CLASSIFIED):
        raise Invalid(
            "A {status} has no position: give one or the other.",
            status=status.value if status else "",
        )
    if not entry.enters(race.round.number):
        raise Invalid("{driver} is not entered in {race}.", driver=entry.driver, race=race.label)
    status = status or Status.CLASSIFIED
    current = [r for r in view.season.results if r.session_id == race.session.id]
    mine = next((r for r in current if r.entry_id == entry.id), None)
    others = [r for r in current if r.entry_id != entry.id]
    base = mine or Result(session_id=race.session.id, entry_id=entry.id)
    laps = laps if laps is not None else (mine.laps if mine else None)
    time_ms = time_ms if time_ms is not None else (mine.time_ms if mine else None)
    if race.session.complete:
        finishers = sorted(
            (r for r in others if (r.status or Status.CLASSIFIED) is Status.CLASSIFIED),
            key=lambda r: r.flag_position or 0,
        )
        if position is not None and position > len(finishers) + 1:
            raise Invalid(
                "{race} has {count} classified cars at most.",
                race=race.label,
                count=len(finishers) + 1,
            )
        new_row = replace(base, status=status, laps=laps, time_ms=time_ms, position=None)
        order = list(finishers)
        if position is not None:
            order.insert(position - 1, new_row)
        rows = [replace(r, flag_position=i) for i, r in enumerate(order, start=1)]
        rows += [r for r in others if r not in finishers]
        if position is None:
            rows.append(replace(new_row, flag_position=None))
    else:
        clash = next((r for r in others if position is not None and r.position == position), None)
        if clash is not None:
            name = view.entries[clash.entry_id].driver
            raise Invalid(
                "Position {position} in {race} is {name}'s: set {name} first, or import "
                "the whole classification.",
                position=position,
                race=race.label,
                name=name,
            )
        new_row = replace(
            base,
            position=position,
            status=status,
            laps=laps,
            time_ms=time_ms,
            certainty=Certainty.CONFIRMED,
        )
        rows = [*others, new_row]
    what = str(position) if position is not None else status.value
    return plan_results(
        view,
        race,
        rows,
        race.session.complete,
        "result.set",
        Phrase("{driver}, {race}: {what}", driver=entry.driver, race=race_phrase(race), what=what),
    )
