"""Poles, fastest laps, qualifying imports and entries per round (planned, previewed, undoable).

A qualifying classification is kept per race it sets the grid of ("monza q1" sets race 1's
grid and pole; the season carries it, and it scores where the rules say: see
:mod:`bot.domain.bonuses`); a race import takes its grid from that qualifying when the file
has none, and its fastest lap from the best-lap column. Every bonus point these move shows in
the preview.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.domain.models import Result
from bot.errors import Invalid
from bot.services.admin import AdminService, Plan
from bot.services.admin.entries import plan_entry_rounds, plan_withdraw
from bot.services.admin.results import with_lap
from bot.services.admin.weekend import plan_bonus, plan_qualifying
from bot.services.championship import RaceView, SeasonView
from bot.services.lookup import SeasonIndex
from bot.services.results_csv import Classification
from bot.storage.seasonfiles import format_duration_ms


class SessionAdmin:
    """What planning a weekend's changes needs from the database (the stored qualifying); the
    change types are in :mod:`bot.services.admin.weekend` and :mod:`bot.services.admin.entries`."""

    def __init__(self, admin: AdminService) -> None:
        self.admin = admin

    plan_bonus = staticmethod(plan_bonus)
    plan_withdraw = staticmethod(plan_withdraw)
    plan_entry_rounds = staticmethod(plan_entry_rounds)

    async def plan_qualifying(self, view: SeasonView, race: RaceView, read: Classification) -> Plan:
        """The qualifying that sets ``race``'s grid: pole (with its best lap) and grid."""
        return await self.admin.off_loop(plan_qualifying, view, race, read)

    @staticmethod
    def grid_from_qualifying(
        view: SeasonView, session_id: int, results: list[Result]
    ) -> list[Result]:
        """Race results with the grid of the imported qualifying where the file gave none."""
        if any(r.grid is not None for r in results):
            return results
        qualifying = view.season.qualifying
        grid = {q.entry_id: q.position for q in qualifying if q.session_id == session_id}
        return [replace(r, grid=grid.get(r.entry_id)) for r in results]


def with_fastest_lap(plan: Plan, read: Classification) -> Plan:
    """A race import that also records the file's fastest lap (previewed with it)."""
    if read.fastest is None or plan.race is None:
        return plan
    return with_lap(plan, read.fastest)


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
