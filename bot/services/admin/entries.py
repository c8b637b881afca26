"""Entries: enter a driver, edit an entry, the rounds it is entered in; and their inverses."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.domain.models import Entry, Season
from bot.errors import Conflict, Invalid
from bot.i18n import Phrase
from bot.services.admin.plan import Change, Plan, Written, plan_of, swap
from bot.services.admin.text import clean_text
from bot.services.championship import SeasonView
from bot.services.lookup import fold
from bot.storage import changes, season_changes
from bot.storage.audit_json import entry_json, rounds_json
from bot.storage.changes import AuditRow, Target
from bot.storage.database import Transaction


def _id(e: Entry) -> int:
    return e.id


@dataclass(frozen=True, slots=True)
class EntryAdd(Change):
    season_id: int
    entry: Entry  # ids are the plan's guesses until the database gives the real ones
    recorded_as: dict[str, Any] | None = None  # its audit row's after (to undo it)
    action = "entry.add"

    def season_after(self, season: Season) -> Season:
        return replace(season, entries=(*season.entries, self.entry))

    changed = None  # every race: the entries change

    exact = False  # the database gives the new ids

    def targets(self) -> tuple[Target, ...]:
        return (Target("driver", self.entry.driver.casefold()),)

    def before(self) -> Any:
        return None

    def after(self) -> Any:
        return entry_json(self.entry)

    async def write(self, tx: Transaction) -> Written:
        entry_id = await changes.insert_entry(tx, self.season_id, self.entry)
        return Written({"entry_id": entry_id}, (Target("entry", entry_id),))

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        a = row.after
        return cls(row.season_id or 0, replace(_entry_of(a), id=int(a["entry_id"])), a)

    def inverse(self, view: SeasonView) -> Plan:
        entry_id = self.entry.id
        if any(r.entry_id == entry_id for r in view.season.results) or any(
            p.entry_id == entry_id for p in view.season.penalties
        ):
            raise Conflict("That entry has results or penalties now: remove those first.")
        return plan_of(
            view,
            EntryDelete(entry_id, self.recorded_as or entry_json(self.entry)),
            Phrase("remove the entry of {name}", name=self.entry.driver),
        )


def _entry_of(d: dict[str, Any]) -> Entry:
    """An entry from its audit JSON (enough of it to name and remove it)."""
    return Entry(
        id=int(d.get("id") or 0),
        driver_id=0,
        driver=d["driver"],
        team_id=None,
        team=d.get("team"),
        car_number=d.get("car_number"),
        klass=d.get("class"),
        rookie=d.get("rookie"),
        junior=d.get("junior"),
        guest=bool(d.get("guest")),
    )


@dataclass(frozen=True, slots=True)
class EntryDelete(Change):
    """Only as the undo of :class:`EntryAdd`."""

    entry_id: int
    recorded_as: dict[str, Any]  # the entry as its adding recorded it
    action = "entry.delete"

    def season_after(self, season: Season) -> Season:
        return replace(season, entries=tuple(e for e in season.entries if e.id != self.entry_id))

    changed = None  # every race: the entries change

    def targets(self) -> tuple[Target, ...]:
        return (Target("entry", self.entry_id),)

    def before(self) -> Any:
        return self.recorded_as

    def after(self) -> Any:
        return None

    async def write(self, tx: Transaction) -> Written:
        await changes.delete_entry(tx, self.entry_id)
        return Written()


@dataclass(frozen=True, slots=True)
class EntryEdit(Change):
    old: Entry
    new: Entry
    action = "entry.edit"

    def season_after(self, season: Season) -> Season:
        return replace(season, entries=swap(season.entries, self.new, _id))

    changed = None  # every race: the entries change

    exact = False  # a new team gets its id from the database

    def targets(self) -> tuple[Target, ...]:
        return (Target("entry", self.old.id),)

    def before(self) -> Any:
        return entry_json(self.old)

    def after(self) -> Any:
        return entry_json(self.new)

    async def write(self, tx: Transaction) -> Written:
        await changes.update_entry(tx, self.new)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        return cls(_entry_of(row.before), _entry_of(row.after))

    def inverse(self, view: SeasonView) -> Plan:
        current = view.entries[self.old.id]
        o = self.old
        restored = replace(
            current,
            team=o.team,
            car_number=o.car_number,
            klass=o.klass,
            rookie=o.rookie,
            junior=o.junior,
            guest=o.guest,
        )
        return plan_entry_edit(view, current, restored)


@dataclass(frozen=True, slots=True)
class EntryRounds(Change):
    """The rounds an entry is entered in (``None``: all of them)."""

    entry: Entry
    rounds: frozenset[int] | None
    action: str = "entry.rounds"  # or entry.withdraw

    def season_after(self, season: Season) -> Season:
        new = replace(self.entry, rounds=self.rounds)
        return replace(season, entries=swap(season.entries, new, _id))

    changed = None  # every race: the entries change

    def targets(self) -> tuple[Target, ...]:
        return (Target("entry", self.entry.id),)

    def before(self) -> Any:
        return {"entry_id": self.entry.id, "rounds": rounds_json(self.entry.rounds)}

    def after(self) -> Any:
        return {"entry_id": self.entry.id, "rounds": rounds_json(self.rounds)}

    async def write(self, tx: Transaction) -> Written:
        await season_changes.set_entry_rounds(tx, self.entry.id, self.rounds)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        old, new = row.before["rounds"], row.after["rounds"]
        entry = replace(
            _entry_of({"driver": ""}),
            id=int(row.before["entry_id"]),
            rounds=None if old is None else frozenset(old),
        )
        return cls(entry, None if new is None else frozenset(new), row.action)

    def inverse(self, view: SeasonView) -> Plan:
        return plan_entry_rounds(view, view.entries[self.entry.id], self.entry.rounds)


# -- planning ------------------------------------------------------------------------------------
def check_number(view: SeasonView, number: int | None, guest: bool, own: int | None) -> None:
    if number is None or guest:
        return
    if not 0 <= number <= 999:
        raise Invalid("A car number is 0 to 999.")
    for e in view.season.entries:
        if e.car_number == number and not e.guest and e.id != own:
            raise Invalid("#{number} is already {driver}'s car.", number=number, driver=e.driver)


def plan_entry_add(view: SeasonView, entry: Entry) -> Plan:
    name = clean_text(entry.driver, "driver name", 60)
    if len(name) < 2:
        raise Invalid("A driver's name needs at least two characters.")
    team = clean_text(entry.team or "", "team name", 60, required=False) or None
    same = next((e for e in view.season.entries if e.driver == name), None)
    if same is not None:
        raise Invalid(
            "{name} is already entered in {season}: use /entry edit.",
            name=name,
            season=view.season.name,
        )
    # Names are looked up folded (case, accents, punctuation): one that folds like an
    # existing one would make both unreachable by name.
    if not fold(name):
        raise Invalid("A driver's name needs letters or digits.")
    alike = next((e for e in view.season.entries if fold(e.driver) == fold(name)), None)
    if alike is not None:
        raise Invalid(
            "{name} is too close to {existing}, already entered in {season} (names are "
            "matched without case, accents or punctuation): use /entry edit, or a "
            "different name.",
            name=name,
            existing=alike.driver,
            season=view.season.name,
        )
    check_number(view, entry.car_number, entry.guest, None)
    next_id = max((e.id for e in view.season.entries), default=0) + 1
    new = replace(
        entry,
        id=next_id,
        driver=name,
        team=team,
        driver_id=-next_id,  # a new driver until the database gives the real id
        team_id=-next_id if team else None,
    )
    return plan_of(
        view,
        EntryAdd(view.season.id, new),
        Phrase(
            "enter {name}{number}{team}",
            name=name,
            number=f" #{new.car_number}" if new.car_number is not None else "",
            team=f" ({team})" if team else "",
        ),
    )


def plan_entry_edit(view: SeasonView, old: Entry, new: Entry) -> Plan:
    team = clean_text(new.team or "", "team name", 60, required=False) or None
    new = replace(new, team=team)
    if new == old:
        raise Invalid("Nothing to change: give at least one new value.")
    check_number(view, new.car_number, new.guest, old.id)
    return plan_of(view, EntryEdit(old, new), Phrase("edit {name}", name=old.driver))


def _raced(view: SeasonView, entry: Entry) -> set[int]:
    return {
        view.sessions[r.session_id].round_number
        for r in view.season.results
        if r.entry_id == entry.id and r.session_id in view.sessions
    }


def plan_withdraw(view: SeasonView, entry: Entry, from_round: int | None) -> Plan:
    """The entry keeps the rounds before ``from_round`` (default: the first round after the
    last one it has results in)."""
    start = from_round or max(_raced(view, entry), default=0) + 1
    known = {r.number for r in view.season.rounds}
    current = entry.rounds if entry.rounds is not None else known
    kept = frozenset(n for n in current if n < start)
    return plan_entry_rounds(view, entry, kept, "entry.withdraw")


def plan_entry_rounds(
    view: SeasonView, entry: Entry, rounds: frozenset[int] | None, action: str = "entry.rounds"
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
    raced = _raced(view, entry)
    if dropped & raced:
        raise Invalid(
            "{driver} has results in round {n}: those stay; withdraw from later rounds only.",
            driver=entry.driver,
            n=", ".join(str(n) for n in sorted(dropped & raced)),
        )
    listed = "all" if rounds is None else ", ".join(str(n) for n in sorted(rounds)) or "none"
    return plan_of(
        view,
        EntryRounds(entry, rounds, action),
        Phrase("{driver}: rounds {rounds}", driver=entry.driver, rounds=listed),
    )
