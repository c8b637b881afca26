"""Race classification: results at the flag plus the active penalties.

Two kinds of record exist:

* a **complete** session has every starter's flag position, laps and time; its order is
  computed here: time penalties re-sort by laps then total time, position penalties drop a
  car N places, a disqualification goes to the end with its status. Revoking a penalty and
  classifying again gives back the earlier order exactly (the function is pure).
* a **partial** session (the public record of a real season) only has some published
  positions, which already include the stewards' decisions. Those are kept as they are, and
  ranks (class, rookie, points-eligible) are derived only where the known facts settle them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bot.domain.models import (
    ORDER_PENALTIES,
    Entry,
    Penalty,
    PenaltyType,
    QualifyingPlace,
    Result,
    Session,
    Status,
)
from bot.errors import ClassificationError


@dataclass(frozen=True, slots=True)
class ClassifiedRow:
    entry: Entry
    result: Result
    position: int | None  # final classified position; None: unknown or not classified
    status: Status | None  # None: unknown
    time_ms: int | None  # race time including time penalties
    gap_ms: int | None  # to the winner, including time penalties
    laps: int | None
    penalties: tuple[Penalty, ...]  # every penalty of this car in this session, revoked too

    @property
    def flag_position(self) -> int | None:
        return self.result.flag_position

    @property
    def active_penalties(self) -> tuple[Penalty, ...]:
        return tuple(p for p in self.penalties if p.active)


Membership = Callable[[Entry], bool | None]


@dataclass(frozen=True, slots=True)
class RaceClassification:
    session: Session
    rows: tuple[ClassifiedRow, ...]  # known positions first, then unknown, then not classified
    field: tuple[Entry, ...]  # every entry that could have taken part
    shared: bool = False  # the field also held cars outside our entry list
    qualifying: tuple[QualifyingPlace, ...] = ()  # the imported qualifying that set its grid

    @property
    def complete(self) -> bool:
        return self.session.complete

    by_entry: dict[int, ClassifiedRow] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_entry", {r.entry.id: r for r in self.rows})

    def row(self, entry_id: int) -> ClassifiedRow | None:
        return self.by_entry.get(entry_id)

    @property
    def winner(self) -> ClassifiedRow | None:
        return next((r for r in self.rows if r.position == 1), None)

    def rank(self, entry_id: int, member: Membership, published: int | None = None) -> int | None:
        """Rank of a car among the cars ``member`` admits; None when the record cannot say.

        ``member`` answers True, False or None (unknown). ``published`` (a rank a source
        gives) wins. Otherwise each place ahead of the car must be known to hold a member
        (counts) or a non-member (does not count); a place that could hold either, or a car
        whose membership is unknown, leaves the rank unknown.
        """
        row = self.row(entry_id)
        if row is None or member(row.entry) is not True or _out(row):
            return None
        if published is not None:
            return published
        if row.position is None:
            return None
        known_ahead = 0
        filled: set[int] = set()
        for other in self.rows:
            if other.position is not None and other.position < row.position:
                is_member = member(other.entry)
                if is_member is None:
                    return None
                filled.add(other.position)
                known_ahead += is_member
        unknown_slots = row.position - 1 - len(filled)
        if unknown_slots == 0:
            return known_ahead + 1
        # Who could be in the unknown places: cars of the field with no known place.
        placed = {r.entry.id for r in self.rows if r.position is not None or _out(r)}
        verdicts = [member(e) for e in self.field if e.id not in placed]
        if None in verdicts:
            return None
        members = sum(1 for v in verdicts if v)
        if members == 0 and (verdicts or self.shared):
            return known_ahead + 1  # only non-members could be ahead
        if members == len(verdicts) >= unknown_slots and not self.shared:
            return known_ahead + unknown_slots + 1  # only members could be ahead
        return None


def _out(row: ClassifiedRow) -> bool:
    return row.status is not None and row.status is not Status.CLASSIFIED


_STATUS_ORDER = {Status.CLASSIFIED: 0, Status.NC: 1, Status.DNF: 2, Status.DNS: 3, Status.DSQ: 4}


def classify_race(
    session: Session,
    results: Iterable[Result],
    penalties: Iterable[Penalty],
    entries: Mapping[int, Entry],
    qualifying: Iterable[QualifyingPlace] = (),
) -> RaceClassification:
    """The race after its penalties; ``qualifying``: the imported qualifying of this race
    (kept as it is: it scores where the rules say, see :mod:`bot.domain.bonuses`)."""
    results = list(results)
    by_entry: dict[int, list[Penalty]] = {}
    for p in penalties:
        if p.session_id == session.id:
            by_entry.setdefault(p.entry_id, []).append(p)
    field = tuple(e for e in entries.values() if e.enters(session.round_number))
    if session.complete:
        rows = _classify_complete(results, by_entry, entries)
    else:
        rows = _classify_partial(results, by_entry, entries)
    return RaceClassification(
        session=session,
        rows=tuple(rows),
        field=field,
        shared=session.shared_with is not None,
        qualifying=tuple(q for q in qualifying if q.session_id == session.id),
    )


def _classify_partial(
    results: list[Result], by_entry: Mapping[int, list[Penalty]], entries: Mapping[int, Entry]
) -> list[ClassifiedRow]:
    rows: list[ClassifiedRow] = []
    for r in results:
        pens = tuple(by_entry.get(r.entry_id, ()))
        status = r.status
        position = r.position
        if any(p.active and p.type is PenaltyType.DSQ for p in pens):
            status, position = Status.DSQ, None
        elif status is None and position is not None:
            status = Status.CLASSIFIED
        rows.append(
            ClassifiedRow(
                entry=entries[r.entry_id],
                result=r,
                position=position,
                status=status,
                time_ms=r.time_ms,
                gap_ms=r.gap_ms,
                laps=r.laps,
                penalties=pens,
            )
        )
    rows.sort(key=_display_key)
    unknown = [i for i, r in enumerate(rows) if r.position is None and not _out(r)]
    if unknown:
        first, last = unknown[0], unknown[-1] + 1  # one block: the display key keeps it together
        rows[first:last] = _unknown_order(rows[first:last])
    return rows


def _unknown_order(rows: list[ClassifiedRow]) -> list[ClassifiedRow]:
    """The cars with an unknown position (the "?" block), in an order that contradicts no
    published place: the record gives no overall order among them, but class, rookie and
    series places may be known. A car is listed only after every car a published place of the
    same kind puts ahead of it; otherwise by class (in order of appearance), a known class
    place before an unknown one, then rookie place, then entry."""
    classes = list(dict.fromkeys(r.entry.klass for r in rows))

    def key(r: ClassifiedRow) -> tuple[int, int, bool, int, bool, int, int]:
        cp, rp = r.result.class_position, r.result.rookie_position
        flag, group = r.flag_position or 10_000, classes.index(r.entry.klass)
        return (flag, group, cp is None, cp or 0, rp is None, rp or 0, r.entry.id)

    def ahead(a: ClassifiedRow, b: ClassifiedRow) -> bool:
        """A published place puts ``a`` ahead of ``b``."""
        x, y = a.result, b.result
        same_class = a.entry.klass is not None and a.entry.klass == b.entry.klass
        return any(
            p is not None and q is not None and p < q
            for p, q in (
                (x.class_position if same_class else None, y.class_position),
                (x.rookie_position, y.rookie_position),
                (x.series_position, y.series_position),
            )
        )

    pending = sorted(rows, key=key)
    out: list[ClassifiedRow] = []
    while pending:
        # The first car nobody left is ahead of (the first at all if the sources conflict).
        free = next((r for r in pending if not any(ahead(o, r) for o in pending)), pending[0])
        out.append(free)
        pending.remove(free)
    return out


def _display_key(row: ClassifiedRow) -> tuple[int, int, int]:
    if row.position is not None:
        return (0, row.position, 0)
    status_rank = _STATUS_ORDER.get(row.status, 0) if row.status else 0
    return (1 + status_rank, row.flag_position or 10_000, row.entry.id)


def _classify_complete(
    results: list[Result], by_entry: Mapping[int, list[Penalty]], entries: Mapping[int, Entry]
) -> list[ClassifiedRow]:
    active = {
        eid: [p for p in pens if p.active and p.type in ORDER_PENALTIES]
        for eid, pens in by_entry.items()
    }
    dsq = {eid for eid, pens in active.items() if any(p.type is PenaltyType.DSQ for p in pens)}
    added_ms = {
        eid: sum((p.value or 0) * 1000 for p in pens if p.type is PenaltyType.TIME)
        for eid, pens in active.items()
    }

    def status_of(r: Result) -> Status:
        if r.entry_id in dsq:
            return Status.DSQ
        return r.status or Status.CLASSIFIED

    finishers = [r for r in results if status_of(r) is Status.CLASSIFIED]
    for r in finishers:
        if r.flag_position is None:
            raise ClassificationError(f"entry {r.entry_id} has no flag position")
    finishers.sort(key=lambda r: r.flag_position or 0)
    if any(added_ms.get(r.entry_id) for r in finishers):
        if any(
            added_ms.get(r.entry_id) and (r.laps is None or r.time_ms is None) for r in finishers
        ) or any(r.laps is None for r in finishers):
            raise ClassificationError("a time penalty needs laps for every finisher and a time")
        # Laps first, then total time; a lapped car without a time stays in its road order.
        finishers.sort(
            key=lambda r: (
                -(r.laps or 0),
                (r.time_ms + added_ms.get(r.entry_id, 0)) if r.time_ms is not None else 1 << 62,
                r.flag_position or 0,
            )
        )
    # Position drops, in the order the stewards decided them.
    drops = sorted(
        (p for pens in active.values() for p in pens if p.type is PenaltyType.POSITIONS),
        key=lambda p: p.id,
    )
    order = [r.entry_id for r in finishers]
    for p in drops:
        if p.entry_id in order and p.value:
            i = order.index(p.entry_id)
            order.insert(min(i + p.value, len(order) - 1), order.pop(i))
    by_id = {r.entry_id: r for r in results}
    leader = by_id[order[0]] if order else None
    leader_time = (
        (leader.time_ms or 0) + added_ms.get(leader.entry_id, 0)
        if leader and leader.time_ms is not None
        else None
    )

    rows: list[ClassifiedRow] = []
    for pos, eid in enumerate(order, start=1):
        r = by_id[eid]
        time_ms = r.time_ms + added_ms.get(eid, 0) if r.time_ms is not None else None
        gap = (
            time_ms - leader_time
            if time_ms is not None and leader_time is not None and leader and r.laps == leader.laps
            else None
        )
        rows.append(
            ClassifiedRow(
                entry=entries[eid],
                result=r,
                position=pos,
                status=Status.CLASSIFIED,
                time_ms=time_ms,
                gap_ms=gap,
                laps=r.laps,
                penalties=tuple(by_entry.get(eid, ())),
            )
        )
    others = [r for r in results if status_of(r) is not Status.CLASSIFIED]
    others.sort(key=lambda r: (_STATUS_ORDER[status_of(r)], -(r.laps or 0), r.flag_position or 0))
    rows.extend(
        ClassifiedRow(
            entry=entries[r.entry_id],
            result=r,
            position=None,
            status=status_of(r),
            time_ms=None,
            gap_ms=None,
            laps=r.laps,
            penalties=tuple(by_entry.get(r.entry_id, ())),
        )
        for r in others
    )
    return rows
