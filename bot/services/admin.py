"""Admin use cases: penalties, results, entries, undo. Planned, previewed, applied atomically.

A change is first *planned* against the current season view: validated, and the season as it
would be afterwards computed in memory (the preview compares the two). Applying it runs one
transaction: the change and its audit row; then the season's
view is swapped for the new one, so readers see either all of it or none of it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import unicodedata
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from bot.domain.models import (
    ORDER_PENALTIES,
    Certainty,
    Entry,
    Penalty,
    PenaltyType,
    Result,
    Season,
    Status,
)
from bot.errors import ClassificationError, Conflict, DatabaseBusy, Invalid
from bot.i18n import Phrase
from bot.services.championship import ChampionshipService, RaceView, SeasonView, short_circuit
from bot.services.lookup import fold
from bot.storage import changes
from bot.storage.database import Transaction

log = logging.getLogger(__name__)

APPLY_WAIT_S = 20.0  # the longest a change waits for the one before it (never forever)
STALE_RETRIES = 3  # plans again on fresh views at most this often before saying "busy"
TOKENS_KEPT = 256  # applied Confirm tokens remembered (each a few hundred bytes)
REASON_MAX = 500
VALUE_RANGES = {
    PenaltyType.TIME: (1, 300, "seconds"),
    PenaltyType.POSITIONS: (1, 60, "places"),
    PenaltyType.POINTS: (1, 200, "points"),
    PenaltyType.GRID: (1, 60, "grid places"),
}
ADMIN_TYPES = (
    PenaltyType.TIME,
    PenaltyType.POSITIONS,
    PenaltyType.DSQ,
    PenaltyType.POINTS,
    PenaltyType.GRID,
    PenaltyType.REPRIMAND,
)


#: Inverses of changes other modules define (action -> builder; None: use the built-in one).
INVERSES: dict[str, Callable[[AdminService, SeasonView, changes.AuditRow], Plan | None]] = {}


@dataclass(frozen=True, slots=True)
class Actor:
    id: int | None
    name: str


@dataclass
class Plan:
    season_id: int
    action: str
    targets: tuple[str, ...]  # what the change touches: "penalty:12", "session:4", "entry:7"
    summary: Phrase
    before: Any
    after: Any
    base: SeasonView
    candidate: SeasonView
    write: Callable[[Transaction], Awaitable[dict[str, Any]]]
    from_round: int  # the first round whose standings may move
    sessions: tuple[int, ...]  # sessions whose classification may move
    replan: Callable[[SeasonView], Plan] | None = None
    race: RaceView | None = None
    # The candidate is exactly what the database holds after the write (ids included), so
    # it can be installed as the new view instead of reloading the season.
    exact: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Applied:
    audit_id: int
    plan: Plan
    view: SeasonView
    info: dict[str, Any]


class OutcomeChanged(Exception):
    """The season changed since the preview and the change would now do something else:
    ``plan`` is what it would do now, to show the admin and ask again."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("the outcome changed since the preview")
        self.plan = plan


class _StaleView(Exception):
    """Another process wrote before this transaction began (it was rolled back)."""


@dataclass(frozen=True, slots=True)
class _Done:
    audit_id: int
    season_id: int
    action: str
    targets: tuple[str, ...]
    summary: Phrase
    info: dict[str, Any]


async def _no_write(tx: Transaction) -> dict[str, Any]:
    return {}


_WHAT = {
    "reason": ("Give a reason.", "The reason is {length:,} characters; keep it under {limit}."),
    "driver name": (
        "Give a driver name.",
        "The driver name is {length:,} characters; keep it under {limit}.",
    ),
    "team name": (
        "Give a team name.",
        "The team name is {length:,} characters; keep it under {limit}.",
    ),
}


def race_phrase(race: RaceView) -> Phrase:
    return Phrase(
        "{place} — race {number}", place=short_circuit(race.round), number=race.session.number
    )


def clean_text(text: str, what: str, limit: int = REASON_MAX, *, required: bool = True) -> str:
    """Printable text with single spaces; refuses empty (when required) or over-long text."""
    cleaned = "".join(
        c if unicodedata.category(c)[0] != "C" else " " for c in unicodedata.normalize("NFC", text)
    )
    cleaned = " ".join(cleaned.split())
    if required and not cleaned:
        raise Invalid(_WHAT[what][0])
    if len(cleaned) > limit:
        raise Invalid(_WHAT[what][1], length=len(cleaned), limit=limit)
    return cleaned


def _penalty_in(view: SeasonView, penalty_id: int) -> Penalty:
    for p in view.season.penalties:
        if p.id == penalty_id:
            return p
    raise Conflict(
        "Penalty #{id} is no longer there (undone since the preview): nothing was changed.",
        id=penalty_id,
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _result_json(r: Result) -> dict[str, Any]:
    data = asdict(r)
    data["status"] = r.status.value if r.status else None
    data["certainty"] = r.certainty.value
    return data


def _result_from_json(d: dict[str, Any]) -> Result:
    return Result(
        **{
            **d,
            "status": Status(d["status"]) if d["status"] else None,
            "certainty": Certainty(d["certainty"]),
        }
    )


def _entry_json(e: Entry) -> dict[str, Any]:
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


def _penalty_json(p: Penalty) -> dict[str, Any]:
    data = asdict(p)
    data["type"] = p.type.value
    data["certainty"] = p.certainty.value
    return data


def _penalty_from_json(d: dict[str, Any]) -> Penalty:
    return Penalty(**{**d, "type": PenaltyType(d["type"]), "certainty": Certainty(d["certainty"])})


class AdminService:
    def __init__(self, service: ChampionshipService) -> None:
        self.service = service
        self._lock = asyncio.Lock()
        # Confirm tokens already applied (the newest few): a double click applies once.
        self._applied_tokens: OrderedDict[str, _Done] = OrderedDict()

    # -- penalties -------------------------------------------------------------------------
    def plan_penalty_add(
        self,
        view: SeasonView,
        entry: Entry,
        race: RaceView,
        ptype: PenaltyType,
        reason: str,
        value: int | None,
        actor: Actor,
    ) -> Plan:
        reason = clean_text(reason, "reason")
        row = race.classification.row(entry.id)
        if row is None:
            raise Invalid(
                "{driver} has no result in {race}: pick a driver who raced.",
                driver=entry.driver,
                race=race.label,
            )
        if ptype not in ADMIN_TYPES:
            raise Invalid("Pick a penalty type: time, positions, dsq, points, grid or reprimand.")
        if ptype in VALUE_RANGES:
            low, high, unit = VALUE_RANGES[ptype]
            if value is None:
                raise Invalid(
                    "A {type} penalty needs a value ({unit}, {low} to {high}).",
                    type=ptype.value,
                    unit=Phrase(unit),
                    low=low,
                    high=high,
                )
            if not low <= value <= high:
                raise Invalid(
                    "{value} {unit} is out of range: {low} to {high}.",
                    value=value,
                    unit=Phrase(unit),
                    low=low,
                    high=high,
                )
        elif value is not None:
            raise Invalid("A {type} penalty takes no value.", type=ptype.value)
        session = race.session
        if ptype in ORDER_PENALTIES and not session.complete:
            if ptype is PenaltyType.TIME:
                raise Invalid(
                    "{race} has no times: use positions (after importing its full "
                    "classification with /result import).",
                    race=race.label,
                )
            raise Invalid(
                "{race} has only a partial record (published positions), so a {type} penalty "
                "cannot be worked out on it. Import the full classification with /result "
                "import, or record the published outcome with /result set.",
                race=race.label,
                type=ptype.value,
            )
        if ptype is PenaltyType.TIME:
            times = [r for r in race.classification.rows if r.status is Status.CLASSIFIED]
            if (
                row.result.time_ms is None
                or any(r.result.laps is None for r in times)
                or (times and times[0].result.time_ms is None)
            ):
                raise Invalid("{race} has no times: use positions.", race=race.label)
        if ptype is PenaltyType.DSQ and row.status is Status.DSQ:
            raise Invalid(
                "{driver} is already disqualified from {race}.",
                driver=entry.driver,
                race=race.label,
            )
        next_id = max((p.id for p in view.season.penalties), default=0) + 1
        penalty = Penalty(
            id=next_id,
            session_id=session.id,
            entry_id=entry.id,
            type=ptype,
            value=value,
            reason=reason,
            decided_at=_now(),
            decided_by=actor.name,
        )
        candidate = self._candidate(
            view, replace(view.season, penalties=(*view.season.penalties, penalty)), (session.id,)
        )

        async def write(tx: Transaction) -> dict[str, Any]:
            new_id = await changes.next_penalty_id(tx)
            await changes.restore_penalty(tx, replace(penalty, id=new_id))
            return {"penalty_id": new_id, "exact": new_id == penalty.id}

        def replan(current: SeasonView) -> Plan:
            fresh = current.race(session.round_number, session.number)
            fresh_entry = current.entries.get(entry.id)
            if fresh is None or fresh_entry is None:
                raise Conflict("That race or driver is gone since the preview.")
            return self.plan_penalty_add(current, fresh_entry, fresh, ptype, reason, value, actor)

        return Plan(
            season_id=view.season.id,
            action="penalty.add",
            targets=(f"session:{session.id}", f"entry:{entry.id}"),
            summary=Phrase(
                "{driver}, {race}: {type}{value} — {reason}",
                driver=entry.driver,
                race=race_phrase(race),
                type=Phrase(ptype.value),
                value=f" {value}" if value is not None else "",
                reason=reason,
            ),
            before=None,
            after=_penalty_json(penalty),
            base=view,
            candidate=candidate,
            write=write,
            from_round=session.round_number,
            sessions=(session.id,),
            replan=replan,
            race=race,
            exact=True,
        )

    async def find_penalty(self, penalty_id: int) -> tuple[SeasonView, Penalty]:
        season_id = await changes.season_of_penalty(self.service.db, penalty_id)
        if season_id is not None:
            view = await self.service.get(season_id)
            for p in view.season.penalties:
                if p.id == penalty_id:
                    return view, p
        raise Invalid(
            "There is no penalty #{id}. /penalty list shows their numbers.", id=penalty_id
        )

    async def plan_penalty_revoke(self, penalty_id: int, reason: str, actor: Actor) -> Plan:
        reason = clean_text(reason, "reason")
        view, penalty = await self.find_penalty(penalty_id)
        return self._revoke_plan(view, penalty, reason, actor)

    def _revoke_plan(self, view: SeasonView, penalty: Penalty, reason: str, actor: Actor) -> Plan:
        penalty_id = penalty.id
        if not penalty.active:
            raise Invalid(
                "Penalty #{id} is already revoked ({reason}).",
                id=penalty_id,
                reason=penalty.revoke_reason,
            )
        revoked = replace(penalty, revoked_at=_now(), revoked_by=actor.name, revoke_reason=reason)
        candidate = self._candidate(
            view,
            replace(
                view.season,
                penalties=tuple(
                    revoked if p.id == penalty_id else p for p in view.season.penalties
                ),
            ),
            (penalty.session_id,),
        )
        session = view.sessions[penalty.session_id]

        async def write(tx: Transaction) -> dict[str, Any]:
            await changes.revoke_penalty(
                tx, penalty_id, revoked.revoked_at, revoked.revoked_by, revoked.revoke_reason
            )
            return {}

        race = view.race(session.round_number, session.number) if session.number else None
        return Plan(
            season_id=view.season.id,
            action="penalty.revoke",
            targets=(f"penalty:{penalty_id}", f"session:{session.id}"),
            summary=Phrase(
                "revoke penalty #{id} ({driver}) — {reason}",
                id=penalty_id,
                driver=view.entries[penalty.entry_id].driver,
                reason=reason,
            ),
            before=_penalty_json(penalty),
            after=_penalty_json(revoked),
            base=view,
            candidate=candidate,
            write=write,
            from_round=session.round_number,
            sessions=(session.id,) if session.number else (),
            replan=lambda current: self._revoke_plan(
                current, _penalty_in(current, penalty_id), reason, actor
            ),
            race=race,
            exact=True,
        )

    # -- results ---------------------------------------------------------------------------
    def plan_results(
        self,
        view: SeasonView,
        race: RaceView,
        results: list[Result],
        complete: bool,
        action: str,
        summary: Phrase,
        *,
        keep_published: bool = False,
    ) -> Plan:
        """Replace a race's results. ``keep_published``: refuse to remove a published
        (sourced) result that ``results`` leaves out, unless the admin chose to."""
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
        before = [_result_json(r) for r in view.season.results if r.session_id == session.id]
        kept = tuple(r for r in view.season.results if r.session_id != session.id)
        new_session = replace(session, complete=complete)
        season = replace(
            view.season,
            results=kept + tuple(results),
            sessions=tuple(new_session if s.id == session.id else s for s in view.season.sessions),
        )
        candidate = self._candidate(view, season, (session.id,))

        async def write(tx: Transaction) -> dict[str, Any]:
            await changes.replace_results(tx, session.id, results, complete)
            return {}

        return Plan(
            season_id=view.season.id,
            action=action,
            targets=(f"session:{session.id}",),
            summary=summary,
            before={"results": before, "complete": session.complete},
            after={"results": [_result_json(r) for r in results], "complete": complete},
            base=view,
            candidate=candidate,
            write=write,
            from_round=session.round_number,
            sessions=(session.id,),
            race=candidate.race(session.round_number, session.number),
            exact=True,
        )

    def plan_result_set(
        self,
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
            raise Invalid(
                "{driver} is not entered in {race}.", driver=entry.driver, race=race.label
            )
        status = status or Status.CLASSIFIED
        current = [r for r in view.season.results if r.session_id == race.session.id]
        mine = next((r for r in current if r.entry_id == entry.id), None)
        others = [r for r in current if r.entry_id != entry.id]
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
            new_row = replace(
                mine or Result(session_id=race.session.id, entry_id=entry.id),
                status=status,
                laps=laps if laps is not None else (mine.laps if mine else None),
                time_ms=time_ms if time_ms is not None else (mine.time_ms if mine else None),
                position=None,
            )
            order = list(finishers)
            if position is not None:
                order.insert(position - 1, new_row)
            rows = [replace(r, flag_position=i) for i, r in enumerate(order, start=1)]
            rows += [r for r in others if r not in finishers]
            if position is None:
                rows.append(replace(new_row, flag_position=None))
        else:
            clash = next(
                (r for r in others if position is not None and r.position == position), None
            )
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
                mine or Result(session_id=race.session.id, entry_id=entry.id),
                position=position,
                status=status,
                laps=laps if laps is not None else (mine.laps if mine else None),
                time_ms=time_ms if time_ms is not None else (mine.time_ms if mine else None),
                certainty=Certainty.CONFIRMED,
            )
            rows = [*others, new_row]
        what = str(position) if position is not None else status.value
        return self.plan_results(
            view,
            race,
            rows,
            race.session.complete,
            "result.set",
            Phrase(
                "{driver}, {race}: {what}", driver=entry.driver, race=race_phrase(race), what=what
            ),
        )

    def plan_result_status(self, view: SeasonView, race: RaceView, final: bool) -> Plan:
        session = race.session
        if session.final == final:
            raise Invalid(
                "{race} is already final." if final else "{race} is already provisional.",
                race=race.label,
            )
        new_session = replace(session, final=final)
        season = replace(
            view.season,
            sessions=tuple(new_session if s.id == session.id else s for s in view.season.sessions),
        )
        candidate = self._candidate(view, season, (session.id,))

        async def write(tx: Transaction) -> dict[str, Any]:
            await changes.set_session_final(tx, session.id, final)
            return {}

        return Plan(
            season_id=view.season.id,
            action="result.status",
            targets=(f"session:{session.id}",),
            summary=Phrase(
                "{race} is now final" if final else "{race} is now provisional",
                race=race_phrase(race),
            ),
            before={"final": session.final},
            after={"final": final},
            base=view,
            candidate=candidate,
            write=write,
            from_round=session.round_number,
            sessions=(),
            race=candidate.race(session.round_number, session.number),
            exact=True,
        )

    # -- entries ---------------------------------------------------------------------------
    def plan_entry_add(self, view: SeasonView, entry: Entry) -> Plan:
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
        self._check_number(view, entry.car_number, entry.guest, None)
        next_id = max((e.id for e in view.season.entries), default=0) + 1
        driver_id = -next_id  # a new driver until the database gives the real id
        new = replace(
            entry,
            id=next_id,
            driver=name,
            team=team,
            driver_id=driver_id,
            team_id=-next_id if team else None,
        )
        candidate = self._candidate(view, replace(view.season, entries=(*view.season.entries, new)))

        async def write(tx: Transaction) -> dict[str, Any]:
            return {"entry_id": await changes.insert_entry(tx, view.season.id, new)}

        return Plan(
            season_id=view.season.id,
            action="entry.add",
            targets=(f"driver:{name.casefold()}",),
            summary=Phrase(
                "enter {name}{number}{team}",
                name=name,
                number=f" #{new.car_number}" if new.car_number is not None else "",
                team=f" ({team})" if team else "",
            ),
            before=None,
            after=_entry_json(new),
            base=view,
            candidate=candidate,
            write=write,
            from_round=1,
            sessions=(),
        )

    def plan_entry_edit(self, view: SeasonView, old: Entry, new: Entry) -> Plan:
        team = clean_text(new.team or "", "team name", 60, required=False) or None
        new = replace(new, team=team)
        if new == old:
            raise Invalid("Nothing to change: give at least one new value.")
        self._check_number(view, new.car_number, new.guest, old.id)
        candidate = self._candidate(
            view,
            replace(
                view.season,
                entries=tuple(new if e.id == old.id else e for e in view.season.entries),
            ),
        )

        async def write(tx: Transaction) -> dict[str, Any]:
            await changes.update_entry(tx, new)
            return {}

        return Plan(
            season_id=view.season.id,
            action="entry.edit",
            targets=(f"entry:{old.id}",),
            summary=Phrase("edit {name}", name=old.driver),
            before=_entry_json(old),
            after=_entry_json(new),
            base=view,
            candidate=candidate,
            write=write,
            from_round=1,
            sessions=(),
        )

    @staticmethod
    def _check_number(view: SeasonView, number: int | None, guest: bool, own: int | None) -> None:
        if number is None or guest:
            return
        if not 0 <= number <= 999:
            raise Invalid("A car number is 0 to 999.")
        for e in view.season.entries:
            if e.car_number == number and not e.guest and e.id != own:
                raise Invalid(
                    "#{number} is already {driver}'s car.", number=number, driver=e.driver
                )

    # -- applying --------------------------------------------------------------------------
    @staticmethod
    def _candidate(
        view: SeasonView, season: Season, changed: tuple[int, ...] | None = None
    ) -> SeasonView:
        """The season after the change; only the races in ``changed`` are worked out again
        (``None``: every race, e.g. when entries change)."""
        try:
            if changed is None:
                return SeasonView(season)
            return SeasonView(season, base=view, changed=frozenset(changed))
        except ClassificationError as exc:
            raise Invalid(
                "That would leave a race that cannot be classified: {problem}.", problem=str(exc)
            ) from None

    async def apply(
        self,
        plan: Plan | None,
        actor: Actor,
        token: str | None = None,
        *,
        planner: Callable[[], Awaitable[Plan]] | None = None,
        shown: str | None = None,
        outcome: Callable[[Plan], str] | None = None,
    ) -> Applied:
        """Apply once: a second call with the same token returns the first result.

        ``plan`` is applied as it is when the season has not changed since it was planned.
        Otherwise it is planned again on the season as it is now, with ``planner`` (or the
        plan's own ``replan``); when ``outcome`` of the new plan is not ``shown`` (what the
        admin saw), :class:`OutcomeChanged` carries the new plan so the admin can be asked
        again. Another process's write seen when the transaction begins rolls it back, the
        views are reloaded and the change is planned again on them: never on a stale view.
        """
        try:
            await asyncio.wait_for(self._lock.acquire(), APPLY_WAIT_S)
        except TimeoutError:
            raise DatabaseBusy("the database is busy with another change") from None
        try:
            if token is not None and token in self._applied_tokens:
                return await self._replay(self._applied_tokens[token])
            for _ in range(STALE_RETRIES):
                await self.service.refresh_if_stale()
                chosen = await self._current_plan(plan, planner, shown, outcome)
                try:
                    applied = await self._write(chosen, actor)
                except _StaleView:
                    continue  # the views are reloaded at the top; plan again on them
                if token is not None:
                    self._remember(token, applied)
                return applied
            raise DatabaseBusy("the database keeps changing under this change")
        finally:
            self._lock.release()

    async def _current_plan(
        self,
        plan: Plan | None,
        planner: Callable[[], Awaitable[Plan]] | None,
        shown: str | None,
        outcome: Callable[[Plan], str] | None,
    ) -> Plan:
        if plan is not None and await self.service.get(plan.season_id) is plan.base:
            return plan
        if planner is not None:
            fresh = await planner()
            if outcome is not None and shown is not None and outcome(fresh) != shown:
                raise OutcomeChanged(fresh)
            return fresh
        if plan is None or plan.replan is None:
            raise Conflict("The season changed since this preview: run the command again.")
        return plan.replan(await self.service.get(plan.season_id))

    async def _write(self, plan: Plan, actor: Actor) -> Applied:
        async with self.service.db.transaction() as tx:
            if self.service.stale:
                raise _StaleView  # rolled back: another process wrote since the plan
            info = await plan.write(tx)
            same_ids = info.pop("exact", True)
            audit_id = await changes.insert_audit(
                tx,
                actor_id=actor.id,
                actor_name=actor.name,
                action=plan.action,
                season_id=plan.season_id,
                target=" ".join(plan.targets)
                + (f" penalty:{info['penalty_id']}" if "penalty_id" in info else "")
                + (f" entry:{info['entry_id']}" if "entry_id" in info else ""),
                before=plan.before,
                after={**(plan.after or {}), **info}
                if isinstance(plan.after, dict)
                else plan.after,
            )
            if "undoes" in plan.extra:
                await changes.mark_undone(tx, plan.extra["undoes"], audit_id)
        # Installed only now that it committed: a rolled-back change is never served.
        if plan.exact and same_ids:
            self.service.install(plan.candidate)
            view = plan.candidate
        else:
            view = await self.service.reload(plan.season_id)
        log.info("audit #%d: %s by %s", audit_id, plan.action, actor.id)
        return Applied(audit_id, plan, view, info)

    def _remember(self, token: str, applied: Applied) -> None:
        """What a second Confirm of the same preview needs, without any season view."""
        plan = applied.plan
        self._applied_tokens[token] = _Done(
            applied.audit_id, plan.season_id, plan.action, plan.targets, plan.summary, applied.info
        )
        while len(self._applied_tokens) > TOKENS_KEPT:
            self._applied_tokens.popitem(last=False)

    async def _replay(self, done: _Done) -> Applied:
        view = await self.service.get(done.season_id)
        plan = Plan(
            season_id=done.season_id,
            action=done.action,
            targets=done.targets,
            summary=done.summary,
            before=None,
            after=None,
            base=view,
            candidate=view,
            write=_no_write,
            from_round=1,
            sessions=(),
        )
        return Applied(done.audit_id, plan, view, done.info)

    # -- audit and undo --------------------------------------------------------------------
    async def audit(self, limit: int) -> list[changes.AuditRow]:
        return await changes.list_audit(self.service.db, max(1, min(limit, 50)))

    async def plan_undo(self, audit_id: int, actor: Actor) -> Plan:
        row = await changes.get_audit(self.service.db, audit_id)
        if row is None:
            raise Invalid("There is no audit entry #{id}. /audit lists them.", id=audit_id)
        if row.undone_by is not None:
            raise Invalid("#{id} was already undone (by #{by}).", id=audit_id, by=row.undone_by)
        if row.action.startswith("undo"):
            raise Invalid("An undo cannot itself be undone: make the change again.")
        if row.season_id is None:
            raise Invalid("#{id} cannot be undone.", id=audit_id)
        mine = set(row.target.split())
        for later in await changes.later_audit(self.service.db, audit_id):
            if later.action.startswith("undo"):
                continue
            if mine & set(later.target.split()):
                raise Conflict(
                    "#{later} ({action}, {at}) changed the same thing after #{id}: undo "
                    "#{later} first.",
                    later=later.id,
                    action=later.action,
                    at=later.at,
                    id=audit_id,
                )
        view = await self.service.get(row.season_id)
        inverse = self._inverse(view, row)
        inverse.action = f"undo.{row.action}"
        inverse.summary = Phrase("undo #{id}: {change}", id=audit_id, change=inverse.summary)
        inverse.extra["undoes"] = audit_id
        inverse.targets = (*inverse.targets, f"audit:{audit_id}")
        original_write = inverse.write

        async def write(tx: Transaction) -> dict[str, Any]:
            info = await original_write(tx)
            return {**info, "undoes": audit_id}

        inverse.write = write
        inverse.replan = None
        return inverse

    def _inverse(self, view: SeasonView, row: changes.AuditRow) -> Plan:
        custom = INVERSES.get(row.action)
        plan = custom(self, view, row) if custom is not None else None
        return plan if plan is not None else self._inverse_builtin(view, row)

    def _inverse_builtin(self, view: SeasonView, row: changes.AuditRow) -> Plan:
        after = row.after or {}
        if row.action == "penalty.add":
            pid = int(after["penalty_id"])
            penalty = next((p for p in view.season.penalties if p.id == pid), None)
            if penalty is None:
                raise Conflict("Penalty #{id} is no longer there.", id=pid)
            season = replace(
                view.season, penalties=tuple(p for p in view.season.penalties if p.id != pid)
            )
            session = view.sessions[penalty.session_id]

            async def write(tx: Transaction) -> dict[str, Any]:
                await changes.delete_penalty(tx, pid)
                return {}

            return self._plan_simple(
                view,
                season,
                Phrase("remove penalty #{id}", id=pid),
                write,
                session.round_number,
                (session.id,),
                (f"penalty:{pid}",),
                _penalty_json(penalty),
                None,
            )
        if row.action == "penalty.revoke":
            before = _penalty_from_json(row.before)
            season = replace(
                view.season,
                penalties=tuple(before if p.id == before.id else p for p in view.season.penalties),
            )
            session = view.sessions[before.session_id]

            async def write(tx: Transaction) -> dict[str, Any]:
                await changes.revoke_penalty(tx, before.id, None, None, None)
                return {}

            return self._plan_simple(
                view,
                season,
                Phrase("reinstate penalty #{id}", id=before.id),
                write,
                session.round_number,
                (session.id,),
                (f"penalty:{before.id}",),
                row.after,
                row.before,
            )
        if row.action in ("result.import", "result.set"):
            results = [_result_from_json(d) for d in row.before["results"]]
            complete = bool(row.before["complete"])
            session_id = int(row.target.split()[0].split(":")[1])
            session = view.sessions[session_id]
            race = view.race(session.round_number, session.number)
            assert race is not None
            return self.plan_results(
                view,
                race,
                results,
                complete,
                "result.restore",
                Phrase("restore the earlier results of {race}", race=race_phrase(race)),
            )
        if row.action == "result.status":
            session_id = int(row.target.split()[0].split(":")[1])
            session = view.sessions[session_id]
            race = view.race(session.round_number, session.number)
            assert race is not None
            return self.plan_result_status(view, race, bool(row.before["final"]))
        if row.action == "entry.add":
            entry_id = int(after["entry_id"])
            if any(r.entry_id == entry_id for r in view.season.results) or any(
                p.entry_id == entry_id for p in view.season.penalties
            ):
                raise Conflict("That entry has results or penalties now: remove those first.")
            season = replace(
                view.season, entries=tuple(e for e in view.season.entries if e.id != entry_id)
            )

            async def write(tx: Transaction) -> dict[str, Any]:
                await changes.delete_entry(tx, entry_id)
                return {}

            return self._plan_simple(
                view,
                season,
                Phrase("remove the entry of {name}", name=after["driver"]),
                write,
                1,
                (),
                (f"entry:{entry_id}",),
                row.after,
                None,
            )
        if row.action == "entry.edit":
            old = view.entries[int(row.before["id"])]
            b = row.before
            restored = replace(
                old,
                team=b["team"],
                car_number=b["car_number"],
                klass=b["class"],
                rookie=b["rookie"],
                junior=b["junior"],
                guest=b["guest"],
            )
            return self.plan_entry_edit(view, old, restored)
        raise Invalid("#{id} ({action}) cannot be undone.", id=row.id, action=row.action)

    def _plan_simple(
        self,
        view: SeasonView,
        season: Season,
        summary: Phrase,
        write: Callable[[Transaction], Awaitable[dict[str, Any]]],
        from_round: int,
        sessions: tuple[int, ...],
        targets: tuple[str, ...],
        before: Any,
        after: Any,
    ) -> Plan:
        return Plan(
            season_id=view.season.id,
            action="change",
            targets=targets,
            summary=summary,
            before=before,
            after=after,
            base=view,
            candidate=self._candidate(
                view, season, sessions if season.entries is view.season.entries else None
            ),
            write=write,
            from_round=from_round,
            sessions=sessions,
            exact=True,
        )
