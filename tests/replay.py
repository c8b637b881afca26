"""Replaying a real season: every table after every round, compared with the published ones."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot.domain.classification import RaceClassification, classify_race
from bot.domain.models import Season
from bot.domain.standings import Standings, compute_standings_series

DATA = Path(__file__).parent / "data"


def classify_all(season: Season) -> dict[int, RaceClassification]:
    entries = {e.id: e for e in season.entries}
    results: dict[int, list] = defaultdict(list)
    for r in season.results:
        results[r.session_id].append(r)
    return {s.id: classify_race(s, results[s.id], season.penalties, entries) for s in season.races}


def replay(season: Season) -> dict[str, dict[int, Standings]]:
    """Every championship's table after every round."""
    classifications = classify_all(season)
    return {
        c.slug: compute_standings_series(season, c, classifications) for c in season.championships
    }


@dataclass(frozen=True)
class Published:
    position: str  # "1", "2", ... or "DSQ"/"EX" for a driver or team taken out of the table
    name: str
    points: float


def published(folder: Path) -> dict[tuple[str, int], list[Published]]:
    out: dict[tuple[str, int], list[Published]] = defaultdict(list)
    with (folder / "expected.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            points = float(row["points"])
            out[(row["championship"], int(row["round"]))].append(
                Published(
                    row["position"], row["name"], int(points) if points.is_integer() else points
                )
            )
    return out


def first_difference(table: Standings, expected: list[Published]) -> str | None:
    """None when the table is the published one: every position and every point.

    The published tables of older seasons list only the scorers: a driver missing from
    them must then have 0 points in ours. A driver or team taken out of the table
    (DSQ/EX) must be among our excluded rows.
    """
    ours = {r.name: r for r in table.rows}
    excluded = {r.name for r in table.excluded}
    listed = set()
    for p in expected:
        listed.add(p.name)
        if not p.position.isdigit():
            if p.name not in excluded:
                return f"{p.name}: published {p.position}, ours not excluded"
            continue
        row = ours.get(p.name)
        if row is None:
            return f"{p.name}: published P{p.position} {p.points}, missing from ours"
        if (str(row.position), row.points) != (p.position, p.points):
            return (
                f"{p.name}: published P{p.position} {p.points}, ours P{row.position} {row.points}"
            )
    for row in table.rows:
        if row.name not in listed and row.points != 0:
            return f"{row.name}: ours P{row.position} {row.points}, not in the published table"
    return None
