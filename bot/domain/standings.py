"""Points and standings: per race, per championship, after any round.

A known zero and an unknown are different things here. A car whose rank the record cannot
settle scores *unknown* points; a total with any unknown part is a lower bound, and a table
with any such total is not complete. Callers show that, never a silent zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.domain.classification import RaceClassification
from bot.domain.models import (
    Championship,
    Entry,
    PenaltyType,
    RankBasis,
    Result,
    ScoringRules,
    Season,
    Session,
    Status,
)

TIE_BREAK_RULE = "ties: more wins, then more 2nd places, and so on (count-back)"
COUNTBACK_DEPTH = 40


@dataclass(frozen=True, slots=True)
class RaceScore:
    session_id: int
    key: int  # driver id (drivers' championships) or team id (teams)
    rank: int | None  # rank in this championship's order for the race
    points: int  # known points (race + known bonuses)
    exact: bool  # False: part of the points is unknown
    took_part: bool | None  # None: the record does not say


@dataclass(frozen=True, slots=True)
class StandingsRow:
    position: int
    key: int
    name: str
    car_number: int | None
    team: str | None
    points: int
    exact: bool
    wins: int
    countback: tuple[int, ...]
    gap: int
    deductions: int
    unknown_races: int
    shared: bool = False  # position shared on exact equality


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

    @property
    def complete(self) -> bool:
        return self.unknown_results == 0 and all(r.exact for r in self.rows)


def published_rank(result: Result | None, basis: RankBasis) -> int | None:
    if result is None:
        return None
    if basis is RankBasis.OVERALL:
        return result.series_position
    if basis is RankBasis.CLASS:
        return result.class_position
    if basis is RankBasis.ROOKIE:
        return result.rookie_position
    return None


def score_race(
    rules: ScoringRules, championship: Championship, classification: RaceClassification
) -> list[RaceScore]:
    """Points of every car the championship admits, for one race (drivers' championships)."""
    session = classification.session
    member = championship.eligible.membership
    scores: list[RaceScore] = []
    swept = _sweep_ranks(classification, member) if classification.complete else None
    for entry in classification.field:
        if member(entry) is not True:
            continue
        row = classification.row(entry.id)
        exact = True
        took_part: bool | None = True
        rank: int | None = None
        points = 0
        if row is None:
            # A complete record lists every starter: absent means absent.
            took_part = False if classification.complete else None
            exact = classification.complete
        elif row.status is None or row.status is Status.CLASSIFIED:
            published = published_rank(row.result, championship.rank)
            if swept is not None and published is None:
                rank = swept.get(entry.id)
            else:
                rank = classification.rank(entry.id, member, published)
            if rank is None:
                exact = False
            else:
                points = rules.points_for(rank)
        if championship.bonuses:
            for holder, bonus in (
                (session.pole_entry_id, rules.pole_bonus),
                (session.fastest_lap_entry_id, rules.fastest_lap_bonus),
            ):
                if not bonus:
                    continue
                if holder is None:
                    exact = False
                elif holder == entry.id:
                    points += bonus
        scores.append(RaceScore(session.id, entry.driver_id, rank, points, exact, took_part))
    return scores


def _sweep_ranks(
    classification: RaceClassification, member: Callable[[Entry], bool | None]
) -> dict[int, int] | None:
    """Ranks of a complete classification in one pass (None if a membership is unknown)."""
    ranks: dict[int, int] = {}
    count = 0
    for row in classification.rows:
        if row.position is None:
            continue
        is_member = member(row.entry)
        if is_member is None:
            return None
        if is_member:
            count += 1
            ranks[row.entry.id] = count
    return ranks


def _sort_rows(
    totals: Mapping[int, _Tally], names: Mapping[int, tuple[str, int | None, str | None]]
) -> tuple[StandingsRow, ...]:
    backs = {key: tally.countback() for key, tally in totals.items()}
    ordered = sorted(
        totals.items(),
        key=lambda kv: (-kv[1].points, tuple(-c for c in backs[kv[0]]), names[kv[0]][0]),
    )
    rows: list[StandingsRow] = []
    leader = ordered[0][1].points if ordered else 0
    prev: tuple[int, tuple[int, ...]] | None = None
    position = 0
    for index, (key, tally) in enumerate(ordered, start=1):
        sig = (tally.points, backs[key])
        shared = sig == prev
        if not shared:
            position = index
        prev = sig
        name, car, team = names[key]
        rows.append(
            StandingsRow(
                position=position,
                key=key,
                name=name,
                car_number=car,
                team=team,
                points=tally.points,
                exact=tally.exact,
                wins=tally.ranks.get(1, 0),
                countback=backs[key],
                gap=leader - tally.points,
                deductions=tally.deductions,
                unknown_races=tally.unknown_races,
            )
        )
    # Mark the first of a shared pair too.
    positions = [r.position for r in rows]
    return tuple(replace(r, shared=positions.count(r.position) > 1) for r in rows)


@dataclass
class _Tally:
    points: int = 0
    exact: bool = True
    deductions: int = 0
    unknown_races: int = 0
    ranks: dict[int, int] = field(default_factory=dict)

    def add(self, score: RaceScore) -> None:
        self.points += score.points
        if not score.exact:
            self.exact = False
            self.unknown_races += 1
        if score.rank is not None:
            self.ranks[score.rank] = self.ranks.get(score.rank, 0) + 1

    def countback(self) -> tuple[int, ...]:
        return tuple(self.ranks.get(i, 0) for i in range(1, COUNTBACK_DEPTH + 1))


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
    totals: dict[int, _Tally] = defaultdict(_Tally)
    names: dict[int, tuple[str, int | None, str | None]] = {}
    unknown_results = 0
    counted: list[Session] = []
    out: dict[int, Standings] = {}
    index = 0
    for rnd in wanted:
        while index < len(races) and races[index].round_number <= rnd:
            race = races[index]
            index += 1
            counted.append(race)
            if source is not None:
                unknown_results += _team_race(
                    season, source, championship, scores_for(source, race.id), totals, names
                )
                continue
            for score in scores_for(championship, race.id):
                totals[score.key].add(score)
                unknown_results += not score.exact
                names.setdefault(score.key, driver_names.get(score.key, ("?", None, None)))
            _apply_deductions(season, championship, (race,), entries, totals, names, driver_names)
        out[rnd] = Standings(
            championship=championship,
            after_round=rnd,
            after_race=counted[-1].code if counted else None,
            rows=_sort_rows(totals, names),
            races_counted=len(counted),
            races_complete=sum(1 for r in counted if r.complete),
            unknown_results=unknown_results,
            final=season.status == "final" and rnd == last_round,
            races=tuple(r.id for r in counted),
        )
    return out


def _team_race(
    season: Season,
    source: Championship,
    teams: Championship,
    scores: Sequence[RaceScore],
    totals: dict[int, _Tally],
    names: dict[int, tuple[str, int | None, str | None]],
) -> int:
    team_of: dict[int, tuple[int, str]] = {}
    for e in season.entries:
        if e.team_id is not None and e.team is not None and not e.guest:
            team_of[e.driver_id] = (e.team_id, e.team)
    per_team: dict[int, list[RaceScore]] = defaultdict(list)
    for s in scores:
        if s.key in team_of:
            team_id, team_name = team_of[s.key]
            per_team[team_id].append(s)
            names.setdefault(team_id, (team_name, None, None))
    unknown = 0
    for team_id, cars in per_team.items():
        counted = sorted(cars, key=lambda s: -s.points)[: teams.counting_cars]
        exact = all(s.exact for s in cars)
        tally = totals[team_id]
        tally.points += sum(s.points for s in counted)
        for s in counted:
            if s.rank is not None:
                tally.ranks[s.rank] = tally.ranks.get(s.rank, 0) + 1
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
    names: dict[int, tuple[str, int | None, str | None]],
    driver_names: Mapping[int, tuple[str, int | None, str | None]],
) -> None:
    counted = {r.id for r in races}
    for p in season.penalties:
        if p.active and p.type is PenaltyType.POINTS and p.session_id in counted:
            entry = entries.get(p.entry_id)
            if entry is None or championship.eligible.membership(entry) is not True:
                continue
            tally = totals[entry.driver_id]
            tally.points -= p.value or 0
            tally.deductions += p.value or 0
            names.setdefault(entry.driver_id, driver_names[entry.driver_id])
