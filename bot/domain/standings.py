"""Points and standings: per race, per championship, after any round.

A known zero and an unknown are different things here. A car whose rank the record cannot
settle scores *unknown* points; a total with any unknown part is a lower bound, and a table
with any such total is not complete. Callers show that, never a silent zero.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain.classification import RaceClassification
from bot.domain.models import (
    Championship,
    Entry,
    PenaltyType,
    Season,
    Session,
    TieBreak,
)
from bot.domain.nominations import is_nominated
from bot.domain.scoring import (
    RaceScore,
    as_points,
    published_rank,
    score_race,
)

# One race's scoring lives in bot.domain.scoring; callers may keep importing it from here.
__all__ = [
    "COUNTBACK_DEPTH",
    "TIE_BREAK_RULE",
    "RaceScore",
    "Standings",
    "StandingsRow",
    "as_points",
    "compute_standings",
    "compute_standings_series",
    "published_rank",
    "score_race",
    "tie_break_rule",
]

TIE_BREAK_RULE = "ties: more wins, then more 2nd places, and so on (count-back)"
TIE_BREAK_LATEST = "ties: the better best result, then whoever achieved it most recently"
COUNTBACK_DEPTH = 40


def tie_break_rule(rule: str, places: int | None = None) -> str:
    """The plain-words tie-break shown in every standings footer."""
    if rule == TieBreak.LATEST:
        return TIE_BREAK_LATEST
    if places:
        return f"ties: more wins, then more 2nd places, and so on to {places}th (count-back)"
    return TIE_BREAK_RULE


@dataclass(frozen=True, slots=True)
class StandingsRow:
    position: int
    key: int
    name: str
    car_number: int | None
    team: str | None
    points: float  # counted points (after dropped scores and deductions)
    exact: bool
    wins: int
    countback: tuple[int, ...]
    gap: float
    deductions: int
    unknown_races: int
    shared: bool = False  # position shared on exact equality
    dropped: tuple[tuple[int, float], ...] = ()  # (session id, points) not counted
    best_rank: int | None = None  # best race rank (the "latest" tie-break)
    best_at: int = -1  # the race (its index in the season) where best_rank was last achieved


@dataclass(frozen=True, slots=True)
class Standings:
    championship: Championship
    after_round: int
    after_race: str | None  # e.g. "R2" when the last counted race is known
    rows: tuple[StandingsRow, ...]
    races_counted: int
    races_complete: int
    unknown_results: int
    final: bool  # the season is final and every round is counted
    tie_break: str = TIE_BREAK_RULE
    races: tuple[int, ...] = field(default=())  # session ids counted, in order
    excluded: tuple[StandingsRow, ...] = ()  # removed from the table (position 0), points lost

    @property
    def complete(self) -> bool:
        return self.unknown_results == 0 and all(r.exact for r in self.rows)


Names = dict[int, tuple[str, int | None, str | None]]
TeamOf = dict[int | tuple[str, int], tuple[int, str]]  # entry id or ("driver", id) -> team


@dataclass
class _Tally:
    points: float = 0  # every race's points (before drops and deductions)
    exact: bool = True
    deductions: int = 0
    unknown_races: int = 0
    ranks: dict[int, int] = field(default_factory=dict)
    per_race: list[tuple[int, float]] = field(default_factory=list)
    best: int | None = None
    best_at: int = -1  # index of the race where the best rank was last achieved

    def add(self, score: RaceScore, index: int, *, ranked: bool) -> None:
        """``ranked``: the race's place counts in the count-back and as a win."""
        self.add_points(score.session_id, score.points)
        if not score.exact:
            self.exact = False
            self.unknown_races += 1
        if ranked:
            self.add_rank(score.rank, index)

    def add_points(self, session_id: int, points: float) -> None:
        self.points += points
        self.per_race.append((session_id, points))

    def add_rank(self, rank: int | None, index: int) -> None:
        if rank is None:
            return
        self.ranks[rank] = self.ranks.get(rank, 0) + 1
        if self.best is None or rank <= self.best:
            self.best, self.best_at = rank, index

    def countback(self) -> tuple[int, ...]:
        return tuple(self.ranks.get(i, 0) for i in range(1, COUNTBACK_DEPTH + 1))

    def counted_in_parts(
        self, part_of: Mapping[int, int], keeps: Mapping[int, int]
    ) -> tuple[float, tuple[tuple[int, float], ...]]:
        """Counted points and the dropped (session, points), keeping the best results of each
        part of the season (``keeps``: part -> best N; a race in no part always counts)."""
        groups: dict[int, list[int]] = defaultdict(list)
        for i, (session_id, _) in enumerate(self.per_race):
            if session_id in part_of:
                groups[part_of[session_id]].append(i)
        dropped: list[int] = []
        for part, indexes in groups.items():
            keep = keeps[part]
            # The lowest scores go first; of equal ones, the earliest.
            order = sorted(indexes, key=lambda i: (self.per_race[i][1], i))
            dropped += order[: max(len(indexes) - keep, 0)]
        lost = tuple(self.per_race[i] for i in sorted(dropped))
        return self.points - sum(p for _, p in lost) - self.deductions, lost

    def counted(self, keep: int | None) -> tuple[float, tuple[tuple[int, float], ...]]:
        """Counted points and the dropped (session, points), keeping the best ``keep``."""
        if keep is None or len(self.per_race) <= keep:
            return self.points - self.deductions, ()
        # The lowest scores go first; of equal ones, the earliest.
        order = sorted(range(len(self.per_race)), key=lambda i: (self.per_race[i][1], i))
        dropped = sorted(order[: len(self.per_race) - keep])
        lost = tuple(self.per_race[i] for i in dropped)
        return self.points - sum(p for _, p in lost) - self.deductions, lost


def _sort_rows(
    totals: Mapping[int, _Tally],
    names: Names,
    *,
    keep: int | None = None,
    tie_break: str = TieBreak.COUNTBACK,
    excluded: frozenset[str] = frozenset(),
    countback_places: int | None = None,
    parts: tuple[Mapping[int, int], Mapping[int, int]] | None = None,
) -> tuple[tuple[StandingsRow, ...], tuple[StandingsRow, ...]]:
    """The table, and the rows of excluded drivers or teams (position 0); ``parts``: the
    part of each race and the results each part counts, where the season is split."""
    backs = {key: tally.countback() for key, tally in totals.items()}
    depth = countback_places or COUNTBACK_DEPTH
    decide = {key: back[:depth] for key, back in backs.items()}
    counted = {
        key: tally.counted_in_parts(*parts) if parts else tally.counted(keep)
        for key, tally in totals.items()
    }
    latest = tie_break == TieBreak.LATEST

    def signature(key: int) -> tuple[object, ...]:
        tally = totals[key]
        if latest:
            return (counted[key][0], tally.best or math.inf, tally.best_at)
        return (counted[key][0], decide[key])

    def order(kv: tuple[int, _Tally]) -> tuple[object, ...]:
        key, tally = kv
        if latest:
            tail: tuple[object, ...] = (tally.best or math.inf, -tally.best_at)
        else:
            tail = tuple(-c for c in decide[key])
        return (-counted[key][0], *tail, names[key][0])

    ordered = sorted(totals.items(), key=order)
    out_keys = {k for k, _ in ordered if excluded and names[k][0].casefold() in excluded}
    kept = [k for k, _ in ordered if k not in out_keys]
    positions: dict[int, int] = {}
    prev: tuple[object, ...] | None = None
    for index, key in enumerate(kept, start=1):
        sig = signature(key)
        positions[key] = index if sig != prev else positions[kept[index - 2]]
        prev = sig
    sharing = Counter(positions.values())
    leader = counted[kept[0]][0] if kept else 0

    def row(key: int, position: int) -> StandingsRow:
        tally = totals[key]
        points, lost = counted[key]
        name, car, team = names[key]
        return StandingsRow(
            position=position,
            key=key,
            name=name,
            car_number=car,
            team=team,
            points=as_points(points),
            exact=tally.exact,
            wins=tally.ranks.get(1, 0),
            countback=backs[key],
            gap=as_points(leader - points),
            deductions=tally.deductions,
            unknown_races=tally.unknown_races,
            shared=position > 0 and sharing[position] > 1,
            dropped=tuple((sid, as_points(p)) for sid, p in lost),
            best_rank=tally.best,
            best_at=tally.best_at,
        )

    rows = tuple(row(key, positions[key]) for key in kept)
    return rows, tuple(row(key, 0) for key, _ in ordered if key in out_keys)


def compute_standings(
    season: Season,
    championship: Championship,
    classifications: Mapping[int, RaceClassification],
    after_round: int | None = None,
    race_scores: Mapping[tuple[str, int], Sequence[RaceScore]] | None = None,
) -> Standings:
    """Standings of one championship after ``after_round`` (default: every round)."""
    last_round = season.last_round
    upto = last_round if after_round is None else max(0, min(after_round, last_round))
    return compute_standings_series(
        season, championship, classifications, race_scores, rounds=(upto,)
    )[upto]


def compute_standings_series(
    season: Season,
    championship: Championship,
    classifications: Mapping[int, RaceClassification],
    race_scores: Mapping[tuple[str, int], Sequence[RaceScore]] | None = None,
    rounds: Sequence[int] | None = None,
) -> dict[int, Standings]:
    """Standings after each of ``rounds`` (default: every round), in one pass over the races."""
    last_round = season.last_round
    wanted = sorted(set(range(last_round + 1) if rounds is None else rounds))
    upto = wanted[-1] if wanted else 0
    races = [s for s in season.races if s.round_number <= upto and s.id in classifications]
    entries = {e.id: e for e in season.entries}

    def scores_for(champ: Championship, session_id: int) -> Sequence[RaceScore]:
        if race_scores is not None and (champ.slug, session_id) in race_scores:
            return race_scores[(champ.slug, session_id)]
        return score_race(season.scoring, champ, classifications[session_id])

    source = None
    if championship.is_teams:
        source = season.championship(championship.points_from or "")
        if source is None:
            raise ValueError(f"teams championship {championship.slug!r} has no source")
    driver_names = {e.driver_id: (e.driver, e.car_number, e.team) for e in reversed(season.entries)}
    team_at: dict[int, TeamOf] = {}  # nominations may change from a round on
    parts = (
        (championship.parts_of(tuple(s.id for s in season.races)), championship.part_keeps())
        if championship.best_per_part
        else None
    )
    totals: dict[int, _Tally] = defaultdict(_Tally)
    names: Names = {}
    unknown_results = 0
    counted: list[Session] = []
    out: dict[int, Standings] = {}
    index = 0
    for rnd in wanted:
        while index < len(races) and races[index].round_number <= rnd:
            race = races[index]
            index += 1
            counted.append(race)
            ranked = season.scoring.for_kind(race.scoring).in_countback
            if source is not None:
                at = race.round_number
                if at not in team_at:
                    team_at[at] = _teams_of(season, championship, at)
                cars = scores_for(source, race.id)
                unknown_results += _team_race(
                    team_at[at], championship, cars, totals, names, index, ranked
                )
                continue
            for score in scores_for(championship, race.id):
                totals[score.key].add(score, index, ranked=ranked)
                unknown_results += not score.exact
                names.setdefault(score.key, driver_names.get(score.key, ("?", None, None)))
            _apply_deductions(season, championship, (race,), entries, totals, names, driver_names)
        excluded = frozenset(
            x.name.casefold() for x in championship.exclusions if x.from_round <= rnd
        )
        rows, out_rows = _sort_rows(
            totals,
            names,
            keep=championship.counted_results(len(counted)),
            tie_break=season.scoring.tie_break,
            excluded=excluded,
            countback_places=season.scoring.countback_places,
            parts=parts,
        )
        out[rnd] = Standings(
            championship=championship,
            after_round=rnd,
            after_race=counted[-1].code if counted else None,
            rows=rows,
            races_counted=len(counted),
            races_complete=sum(1 for r in counted if r.complete),
            unknown_results=unknown_results,
            final=season.status == "final" and rnd == last_round,
            tie_break=tie_break_rule(season.scoring.tie_break, season.scoring.countback_places),
            races=tuple(r.id for r in counted),
            excluded=out_rows,
        )
    return out


def _scores_for_team(entry: Entry, teams: Championship, round_number: int) -> bool:
    """A car scores for its team unless a guest, or not nominated at that round where teams
    nominate."""
    if entry.guest or entry.team_id is None or entry.team is None:
        return False
    return is_nominated(teams.nominated, teams.nominations, entry.team, entry.driver, round_number)


def _teams_of(season: Season, teams: Championship, round_number: int) -> TeamOf:
    """Team of each car scoring at the round: by entry id, and by driver id for scores without
    one."""
    team_of: TeamOf = {}
    for e in season.entries:
        if not _scores_for_team(e, teams, round_number) or e.team_id is None or e.team is None:
            continue
        team_of[e.id] = (e.team_id, e.team)
        team_of.setdefault(("driver", e.driver_id), (e.team_id, e.team))
    return team_of


def _team_race(
    team_of: TeamOf,
    teams: Championship,
    scores: Sequence[RaceScore],
    totals: dict[int, _Tally],
    names: Names,
    index: int,
    ranked: bool,
) -> int:
    """``ranked``: the race's places count in the count-back (not a sprint's, where the
    season says so)."""
    per_team: dict[int, list[RaceScore]] = defaultdict(list)
    for s in scores:
        found = team_of.get(s.entry_id) if s.entry_id is not None else None
        if found is None and s.entry_id is None:
            found = team_of.get(("driver", s.key))
        if found is not None:
            team_id, team_name = found
            per_team[team_id].append(s)
            names.setdefault(team_id, (team_name, None, None))
    unknown = 0
    for team_id, cars in per_team.items():
        best = sorted(cars, key=lambda s: -s.points)
        counted = best[: teams.counting_cars] if teams.counting_cars else best
        exact = all(s.exact for s in cars)
        tally = totals[team_id]
        tally.add_points(cars[0].session_id, sum(s.points for s in counted))
        for s in (cars if teams.countback_all_cars else counted) if ranked else ():
            tally.add_rank(s.rank, index)
        if not exact:
            tally.exact = False
            tally.unknown_races += 1
            unknown += 1
    return unknown


def _apply_deductions(
    season: Season,
    championship: Championship,
    races: Sequence[Session],
    entries: Mapping[int, Entry],
    totals: dict[int, _Tally],
    names: Names,
    driver_names: Mapping[int, tuple[str, int | None, str | None]],
) -> None:
    counted = {r.id for r in races}
    for p in season.penalties:
        if p.active and p.type is PenaltyType.POINTS and p.session_id in counted:
            entry = entries.get(p.entry_id)
            if entry is None or championship.eligible.membership(entry) is not True:
                continue
            tally = totals[entry.driver_id]
            tally.deductions += p.value or 0
            names.setdefault(entry.driver_id, driver_names[entry.driver_id])
