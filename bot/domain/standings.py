"""Points and standings: per race, per championship, after any round.

A known zero and an unknown are different things here. A car whose rank the record cannot
settle scores *unknown* points; a total with any unknown part is a lower bound, and a table
with any such total is not complete. Callers show that, never a silent zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from bot.domain.classification import ClassifiedRow, RaceClassification
from bot.domain.models import (
    Championship,
    Entry,
    Others,
    PenaltyType,
    RankBasis,
    Result,
    ScoringRules,
    Season,
    Session,
    Status,
    TieBreak,
)

TIE_BREAK_RULE = "ties: more wins, then more 2nd places, and so on (count-back)"
TIE_BREAK_LATEST = "ties: the better best result, then whoever achieved it most recently"
COUNTBACK_DEPTH = 40


def tie_break_rule(rule: str) -> str:
    """The plain-words tie-break shown in every standings footer."""
    return TIE_BREAK_LATEST if rule == TieBreak.LATEST else TIE_BREAK_RULE


def as_points(value: Fraction) -> float:
    """A points value as shown: a whole number stays an ``int``, half points a ``float``."""
    return int(value) if value.denominator == 1 else float(value)


def _frac(value: float) -> Fraction:
    return Fraction(value).limit_denominator(1000)


@dataclass(frozen=True, slots=True)
class RaceScore:
    session_id: int
    key: int  # driver id (drivers' championships) or team id (teams)
    rank: int | None  # rank in this championship's order for the race
    points: float  # known points (race + known bonuses); an int unless points were reduced
    exact: bool  # False: part of the points is unknown
    took_part: bool | None  # None: the record does not say
    entry_id: int | None = None  # the car (entry) that scored, when a driver's score


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


def _everyone(entry: Entry) -> bool | None:
    return True


def score_race(
    rules: ScoringRules, championship: Championship, classification: RaceClassification
) -> list[RaceScore]:
    """Points of every car the championship admits, for one race (drivers' championships).

    The race's kind picks its scale and bonuses (a sprint scores on its own scale); a reduced
    race scores the rules' fraction of its scale; cars the championship does not admit either
    give up their places (``skip``) or keep them (``block``).
    """
    session = classification.session
    kind_rules = rules.for_kind(session.scoring)
    scale = championship.scale if championship.scale is not None else kind_rules.scale
    fraction = (
        Fraction(*rules.reduced_fraction)
        if session.reduced and rules.reduced_fraction
        else Fraction(1)
    )
    member = championship.eligible.membership
    ranked = member if championship.others is Others.SKIP else _everyone
    scores: list[RaceScore] = []
    swept = _sweep_ranks(classification, ranked) if classification.complete else None
    for entry in classification.field:
        if member(entry) is not True:
            continue
        row = classification.row(entry.id)
        exact = True
        took_part: bool | None = True
        rank: int | None = None
        points = Fraction(0)
        if row is None:
            # A complete record lists every starter: absent means absent.
            took_part = False if classification.complete else None
            exact = classification.complete
        elif row.status is None or row.status is Status.CLASSIFIED:
            published = published_rank(row.result, championship.rank)
            if swept is not None and published is None:
                rank = swept.get(entry.id)
            else:
                rank = classification.rank(entry.id, ranked, published)
            if rank is None:
                exact = False
            elif 1 <= rank <= len(scale):
                points = scale[rank - 1] * fraction
        if championship.bonuses:
            fastest = session.fastest_lap_entry_id
            for holder, bonus, top in (
                (session.pole_entry_id, kind_rules.pole_bonus, None),
                (fastest, kind_rules.fastest_lap_bonus, kind_rules.fastest_lap_top),
            ):
                if not bonus:
                    continue
                if holder is None:
                    exact = False
                elif holder == entry.id:
                    earned = _bonus_earned(row, top)
                    if earned is None:
                        exact = False
                    elif earned:
                        points += bonus
        scores.append(
            RaceScore(
                session.id, entry.driver_id, rank, as_points(points), exact, took_part, entry.id
            )
        )
    return scores


def _bonus_earned(row: ClassifiedRow | None, top: int | None) -> bool | None:
    """A bonus with a top-N condition needs a classified finish in the top N."""
    if top is None:
        return True
    if row is None or (row.status is not None and row.status is not Status.CLASSIFIED):
        return False
    if row.position is None:
        return None
    return row.position <= top


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


Names = dict[int, tuple[str, int | None, str | None]]


@dataclass
class _Tally:
    points: Fraction = Fraction(0)  # every race's points (before drops and deductions)
    exact: bool = True
    deductions: int = 0
    unknown_races: int = 0
    ranks: dict[int, int] = field(default_factory=dict)
    per_race: list[tuple[int, Fraction]] = field(default_factory=list)
    best: int | None = None
    best_at: int = -1  # index of the race where the best rank was last achieved

    def add(self, score: RaceScore, index: int = 0) -> None:
        self.add_points(score.session_id, _frac(score.points))
        if not score.exact:
            self.exact = False
            self.unknown_races += 1
        self.add_rank(score.rank, index)

    def add_points(self, session_id: int, points: Fraction) -> None:
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

    def counted(self, keep: int | None) -> tuple[Fraction, tuple[tuple[int, Fraction], ...]]:
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
) -> tuple[tuple[StandingsRow, ...], tuple[StandingsRow, ...]]:
    """The table, and the rows of excluded drivers or teams (position 0)."""
    backs = {key: tally.countback() for key, tally in totals.items()}
    depth = countback_places or COUNTBACK_DEPTH
    decide = {key: back[:depth] for key, back in backs.items()}
    counted = {key: tally.counted(keep) for key, tally in totals.items()}
    latest = tie_break == TieBreak.LATEST

    def signature(key: int) -> tuple[object, ...]:
        tally = totals[key]
        if latest:
            return (counted[key][0], tally.best or COUNTBACK_DEPTH + 1, tally.best_at)
        return (counted[key][0], decide[key])

    def order(kv: tuple[int, _Tally]) -> tuple[object, ...]:
        key, tally = kv
        if latest:
            tail: tuple[object, ...] = (tally.best or COUNTBACK_DEPTH + 1, -tally.best_at)
        else:
            tail = tuple(-c for c in decide[key])
        return (-counted[key][0], *tail, names[key][0])

    ordered = sorted(totals.items(), key=order)
    rows: list[StandingsRow] = []
    out: list[StandingsRow] = []
    kept = [kv for kv in ordered if names[kv[0]][0].casefold() not in excluded]
    leader = counted[kept[0][0]][0] if kept else Fraction(0)
    prev: tuple[object, ...] | None = None
    position = 0
    index = 0
    for key, tally in ordered:
        points, lost = counted[key]
        name, car, team = names[key]
        row = StandingsRow(
            position=0,
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
            dropped=tuple((sid, as_points(p)) for sid, p in lost),
            best_rank=tally.best,
        )
        if name.casefold() in excluded:
            out.append(row)
            continue
        index += 1
        sig = signature(key)
        if sig != prev:
            position = index
        prev = sig
        rows.append(replace(row, position=position))
    # Mark the first of a shared pair too.
    positions = [r.position for r in rows]
    return tuple(replace(r, shared=positions.count(r.position) > 1) for r in rows), tuple(out)


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
    team_of = _teams_of(season)
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
            if source is not None:
                unknown_results += _team_race(
                    team_of, championship, scores_for(source, race.id), totals, names, index
                )
                continue
            for score in scores_for(championship, race.id):
                totals[score.key].add(score, index)
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
            tie_break=tie_break_rule(season.scoring.tie_break),
            races=tuple(r.id for r in counted),
            excluded=out_rows,
        )
    return out


def _teams_of(season: Season) -> dict[int | tuple[str, int], tuple[int, str]]:
    """Team of each scoring car: by entry id, and by driver id for scores without one."""
    team_of: dict[int | tuple[str, int], tuple[int, str]] = {}
    for e in season.entries:
        if e.team_id is not None and e.team is not None and not e.guest:
            team_of[e.id] = (e.team_id, e.team)
            team_of.setdefault(("driver", e.driver_id), (e.team_id, e.team))
    return team_of


def _team_race(
    team_of: Mapping[int | tuple[str, int], tuple[int, str]],
    teams: Championship,
    scores: Sequence[RaceScore],
    totals: dict[int, _Tally],
    names: Names,
    index: int,
) -> int:
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
        tally.add_points(cars[0].session_id, sum((_frac(s.points) for s in counted), Fraction(0)))
        for s in counted:
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
