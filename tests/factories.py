"""Fictional, complete seasons for tests (no real driver appears here)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace

from bot.domain.models import (
    Championship,
    Eligibility,
    Entry,
    Penalty,
    PenaltyType,
    RankBasis,
    Result,
    Round,
    ScoringRules,
    Season,
    Session,
    SessionKind,
    Status,
)
from bot.domain.standings import COUNTBACK_DEPTH, Standings, StandingsRow

CIRCUITS = (
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliett",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
)
SCALE = (25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
CLASSES = ("Pro", "Pro-Am", "Am")


def _circuit(r: int) -> str:
    name = CIRCUITS[(r - 1) % len(CIRCUITS)]
    return name if r <= len(CIRCUITS) else f"{name}-{CIRCUITS[(r - 1) // len(CIRCUITS)]}"


def championships() -> tuple[Championship, ...]:
    return (
        Championship(
            "drivers", "Drivers", rank=RankBasis.OVERALL, bonuses=True, aliases=("overall",)
        ),
        Championship(
            "pro-am", "Pro-Am", rank=RankBasis.CLASS, eligible=Eligibility(klass="Pro-Am")
        ),
        Championship("am", "Am", rank=RankBasis.CLASS, eligible=Eligibility(klass="Am")),
        Championship("rookie", "Rookie", rank=RankBasis.ROOKIE, eligible=Eligibility(rookie=True)),
        Championship("junior", "Junior", rank=RankBasis.JUNIOR, eligible=Eligibility(junior=True)),
        Championship("teams", "Teams", kind="teams", points_from="drivers", counting_cars=2),
    )


def make_entries(
    n: int, *, name_len: int = 0, guests: int = 0, team_size: int = 2
) -> tuple[Entry, ...]:
    entries = []
    for i in range(1, n + 1):
        name = f"Testdriver {i:02d}"
        if name_len:
            name = (name + " " + "Longname" * 10)[:name_len]
        entries.append(
            Entry(
                id=i,
                driver_id=i,
                driver=name,
                team_id=(i + team_size - 1) // team_size,
                team=f"Fictional Team {(i + team_size - 1) // team_size:02d}",
                car_number=i,
                klass=CLASSES[(i - 1) % 3],
                rookie=i % 4 == 0,
                junior=i % 8 == 0,
                guest=i > n - guests,
            )
        )
    return tuple(entries)


def make_season(
    *,
    rounds: int = 3,
    races_per_round: int = 2,
    entries: int = 8,
    seed: int = 1,
    name_len: int = 0,
    guests: int = 0,
    penalties: tuple[Penalty, ...] = (),
    pole_bonus: int = 1,
    fastest_lap_bonus: int = 1,
    status: str = "final",
    year: int = 2099,
) -> Season:
    """A complete fictional season: every car's laps and time in every race."""
    rng = random.Random(seed)
    ents = make_entries(entries, name_len=name_len, guests=guests)
    rnds = []
    sessions = []
    results = []
    sid = 0
    start = dt.date(year, 4, 1)
    for r in range(1, rounds + 1):
        day = start + dt.timedelta(days=14 * (r - 1))
        rnds.append(
            Round(
                id=r,
                number=r,
                slug=_circuit(r),
                circuit=f"Circuit {_circuit(r).title()}",
                town=f"Villefictive {_circuit(r).title()}",
                country="Nowhere",
                start_date=day,
                end_date=day + dt.timedelta(days=2),
            )
        )
        for k in range(1, races_per_round + 1):
            sid += 1
            order = list(ents)
            rng.shuffle(order)
            base = 1_800_000
            t = base
            for pos, e in enumerate(order, start=1):
                t += rng.randint(300, 4000)
                results.append(
                    Result(
                        session_id=sid,
                        entry_id=e.id,
                        flag_position=pos,
                        laps=20,
                        time_ms=t if pos > 1 else base,
                        status=Status.CLASSIFIED,
                    )
                )
            sessions.append(
                Session(
                    id=sid,
                    round_number=r,
                    code=f"R{k}",
                    kind=SessionKind.RACE,
                    date=day + dt.timedelta(days=k),
                    complete=True,
                    pole_entry_id=order[rng.randrange(len(order))].id,
                    fastest_lap_entry_id=order[rng.randrange(len(order))].id,
                )
            )
    return Season(
        id=1,
        series_slug="fict",
        series_name="Fictional Cup",
        year=year,
        name=f"{year} Fictional Cup",
        status=status,
        scoring=ScoringRules(SCALE, pole_bonus=pole_bonus, fastest_lap_bonus=fastest_lap_bonus),
        championships=championships(),
        rounds=tuple(rnds),
        sessions=tuple(sessions),
        entries=ents,
        results=tuple(results),
        penalties=penalties,
    )


def with_penalties(season: Season, *penalties: Penalty) -> Season:
    return replace(season, penalties=tuple(season.penalties) + penalties)


def penalty(
    pid: int,
    session_id: int,
    entry_id: int,
    ptype: PenaltyType,
    value: int | None = None,
    **kw: object,
) -> Penalty:
    return Penalty(id=pid, session_id=session_id, entry_id=entry_id, type=ptype, value=value, **kw)  # type: ignore[arg-type]


def set_results(season: Season, session_id: int, rows: list[tuple[int, int, int]]) -> Season:
    """Replace one race's results with (entry_id, flag_position, time_ms) rows (20 laps)."""
    kept = [r for r in season.results if r.session_id != session_id]
    new = [
        Result(
            session_id=session_id,
            entry_id=e,
            flag_position=p,
            laps=20,
            time_ms=t,
            status=Status.CLASSIFIED,
        )
        for e, p, t in rows
    ]
    return replace(season, results=tuple(kept + new))


def with_orders(season: Season, orders: Sequence[Sequence[int]]) -> Season:
    """Race ``i + 1`` finishes in ``orders[i]`` (entry ids, winner first, 20 laps, 1 s apart).

    A car missing from an order did not start that race (the record is complete).
    """
    for session_id, finish in enumerate(orders, start=1):
        rows = [(e, p, 1_000_000 + 1000 * p) for p, e in enumerate(finish, start=1)]
        season = set_results(season, session_id, rows)
    return season


def raced(*orders: Sequence[int], entries: int, scale: tuple[int, ...] | None = None) -> Season:
    """A season of one race per round finishing in ``orders`` (see :func:`with_orders`), with
    no pole or fastest-lap bonus, on ``scale`` (default: the usual 15 places)."""
    season = make_season(
        rounds=len(orders), races_per_round=1, entries=entries, pole_bonus=0, fastest_lap_bonus=0
    )
    if scale is not None:
        season = replace(season, scoring=replace(season.scoring, scale=scale))
    return with_orders(season, orders)


def finish(places: dict[int, int], field: int = 16, absent: Sequence[int] = ()) -> list[int]:
    """A finishing order: the given cars at the given places (``{entry: place}``), the other
    starters of a ``field``-car entry list (all but ``absent``) filling the rest in id order."""
    fillers = iter(e for e in range(1, field + 1) if e not in places and e not in absent)
    by_place = {p: e for e, p in places.items()}
    return [by_place.get(p) or next(fillers) for p in range(1, field - len(absent) + 1)]


def standings_row(
    key: int, points: int, places: dict[int, int] | None = None, position: int | None = None
) -> StandingsRow:
    """A drivers' standings row: ``places`` is ``{place: how many times}`` (count-back)."""
    cb = [0] * COUNTBACK_DEPTH
    for place, times in (places or {}).items():
        cb[place - 1] = times
    return StandingsRow(
        position=key if position is None else position,
        key=key,
        name=f"Testdriver {key:02d}",
        car_number=key,
        team=None,
        points=points,
        exact=True,
        wins=cb[0],
        countback=tuple(cb),
        gap=0,
        deductions=0,
        unknown_races=0,
    )


def standings_table(*rows: StandingsRow, after_round: int = 5) -> Standings:
    """A complete drivers' table of ``rows`` as given (for the title maths)."""
    return Standings(
        Championship("drivers", "Drivers"), after_round, "R2", tuple(rows), 10, 10, 0, False
    )
