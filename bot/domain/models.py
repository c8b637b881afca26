"""Plain data the championship logic works on. No discord, no SQL.

Unknown is ``None`` everywhere: a position that no source gives is not a position of 0, a
flag that no source states is neither True nor False.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.nominations import Nomination


class Status(StrEnum):
    CLASSIFIED = "classified"
    DNF = "DNF"
    DNS = "DNS"
    DSQ = "DSQ"
    NC = "NC"


class PenaltyType(StrEnum):
    TIME = "time"  # value: seconds added to race time
    POSITIONS = "positions"  # value: places dropped
    DSQ = "dsq"
    POINTS = "points"  # value: championship points deducted
    GRID = "grid"  # value: places on a later grid (None: qualifying times cancelled)
    REPRIMAND = "reprimand"
    UNSPECIFIED = "unspecified"  # a published penalty whose kind the source does not state


#: Penalties that move a car in the race classification.
ORDER_PENALTIES = frozenset({PenaltyType.TIME, PenaltyType.POSITIONS, PenaltyType.DSQ})


class Certainty(StrEnum):
    CONFIRMED = "confirmed"
    DERIVED = "derived"
    INFERRED = "inferred"


class SessionKind(StrEnum):
    QUALIFYING = "qualifying"
    RACE = "race"


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    driver_id: int
    driver: str
    team_id: int | None
    team: str | None
    car_number: int | None = None
    nationality: str | None = None
    klass: str | None = None
    rookie: bool | None = None
    junior: bool | None = None
    guest: bool = False
    rounds: frozenset[int] | None = None  # None: the whole season
    certainty: Certainty = Certainty.CONFIRMED
    note: str = ""
    source: str = ""

    def enters(self, round_number: int) -> bool:
        return self.rounds is None or round_number in self.rounds


@dataclass(frozen=True, slots=True)
class Round:
    id: int
    number: int
    slug: str
    circuit: str
    town: str
    country: str
    start_date: dt.date | None
    end_date: dt.date | None
    aliases: tuple[str, ...] = ()
    note: str = ""
    source: str = ""
    status: str = "scheduled"  # scheduled | postponed | cancelled
    timezone: str | None = None  # the circuit's IANA zone: local start times become instants


@dataclass(frozen=True, slots=True)
class Session:
    """A qualifying session or a race of a round."""

    id: int
    round_number: int
    code: str  # "Q", "R1", "R2" ...
    kind: SessionKind
    date: dt.date | None = None
    final: bool = True
    complete: bool = False  # every starter's place, laps and time known
    pole_entry_id: int | None = None
    pole_time_ms: int | None = None
    pole_certainty: Certainty | None = None
    fastest_lap_entry_id: int | None = None
    fastest_lap_ms: int | None = None
    start_time: str | None = None
    shared_with: str | None = None  # a race run together with another series
    note: str = ""
    source: str = ""
    scoring: str | None = None  # a kind of race with its own scale ("sprint"); None: feature
    reduced: bool = False  # stopped early: the season's reduced-points fraction applies

    @property
    def number(self) -> int:
        """Race number within the round (R2 -> 2); 0 for qualifying."""
        return int(self.code[1:]) if self.kind is SessionKind.RACE else 0

    @property
    def order_key(self) -> tuple[int, int]:
        return (self.round_number, self.number)


@dataclass(frozen=True, slots=True)
class Result:
    session_id: int
    entry_id: int
    position: int | None = None  # classified position as published (partial sessions)
    flag_position: int | None = None  # at the chequered flag
    status: Status | None = None  # None: unknown
    laps: int | None = None
    time_ms: int | None = None  # total race time
    gap_ms: int | None = None  # to the winner, when only the gap is known
    grid: int | None = None
    best_lap_ms: int | None = None
    class_position: int | None = None  # published rank within the class
    rookie_position: int | None = None  # published rank among rookies
    series_position: int | None = None  # published rank among points-eligible cars
    running: bool | None = None  # classified but not running at the flag (the dagger): False
    led_lap: bool | None = None  # led at least one lap (the lap-led bonus); None: unknown
    qualified: int | None = None  # position in the qualifying that set this race's grid
    certainty: Certainty = Certainty.CONFIRMED
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class QualifyingPlace:
    """A car's line in the qualifying imported for a race (the one that sets its grid)."""

    session_id: int  # the race whose grid this qualifying sets
    entry_id: int
    position: int | None  # None: no place (no time set)
    status: Status = Status.CLASSIFIED
    best_lap_ms: int | None = None

    @property
    def order_key(self) -> tuple[int, bool, int, int]:
        """The order a season keeps them in: by race, placed cars first, then by entry."""
        return (self.session_id, self.position is None, self.position or 0, self.entry_id)


@dataclass(frozen=True, slots=True)
class Penalty:
    id: int
    session_id: int
    entry_id: int
    type: PenaltyType
    value: int | None = None
    reason: str = ""
    effect: str = ""
    decided_at: str | None = None
    decided_by: str | None = None
    revoked_at: str | None = None
    revoked_by: str | None = None
    revoke_reason: str | None = None
    certainty: Certainty = Certainty.CONFIRMED
    source: str = ""

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.revoke_reason is None


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who scores in a championship. ``None`` means "no condition"."""

    klass: str | None = None
    rookie: bool | None = None
    junior: bool | None = None
    guest: bool | None = False

    def admits(self, entry: Entry) -> bool:
        """True only when the entry is known to qualify (unknown class does not qualify)."""
        return self.membership(entry) is True

    def membership(self, entry: Entry) -> bool | None:
        """True / False when the entry's data settles it, None when it is unknown."""
        unknown = False
        checks: tuple[tuple[object, object], ...] = (
            (self.guest, entry.guest),
            (self.klass, entry.klass),
            (self.rookie, entry.rookie),
            (self.junior, entry.junior),
        )
        for wanted, actual in checks:
            if wanted is None:
                continue
            if actual is None:
                unknown = True
            elif actual != wanted:
                return False
        return None if unknown else True


class RankBasis(StrEnum):
    OVERALL = "overall"
    CLASS = "class"
    ROOKIE = "rookie"
    JUNIOR = "junior"


class Others(StrEnum):
    """What the cars a championship does not admit (guests, other classes) do to its ranks."""

    SKIP = "skip"  # their places are skipped: the next admitted car takes the points
    BLOCK = "block"  # they keep their places: the admitted cars score by overall order


class QualifyingRaces(StrEnum):
    """Which races carry the qualifying points."""

    EVERY = "every"  # each race has its own qualifying (a pole per race)
    FIRST = "first"  # one qualifying per round: its points go with the round's first race


class TieBreak(StrEnum):
    COUNTBACK = "countback"  # more wins, then more 2nd places, ...
    LATEST = "latest"  # the better best result, then whoever achieved it most recently


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A driver or team removed from a championship's table from a round on (points lost)."""

    name: str
    from_round: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class Championship:
    slug: str
    name: str
    kind: str = "drivers"  # drivers | teams
    rank: RankBasis = RankBasis.OVERALL
    eligible: Eligibility = field(default_factory=Eligibility)
    bonuses: bool = False
    points_from: str | None = None  # teams: the drivers' championship whose points count
    counting_cars: int = 2  # teams: best N cars of a team per race; 0 = every car
    aliases: tuple[str, ...] = ()
    note: str = ""
    others: Others = Others.SKIP
    scale: tuple[int, ...] | None = None  # its own scale (a class championship); None: season's
    best_results: int | None = None  # only the best N race results count
    drop_worst: int | None = None  # the worst N race results do not count
    best_per_part: tuple[tuple[int, int], ...] = ()  # (races in the part, results counted)
    countback_all_cars: bool = False  # teams: the count-back takes every car's places
    exclusions: tuple[Exclusion, ...] = ()
    nominated: tuple[str, ...] = ()  # teams: only these drivers score for their team
    nominations: tuple[Nomination, ...] = ()  # teams: a team's nominees from a round on
    max_nominated: int | None = None  # teams: most drivers a team nominates at a time

    @property
    def is_teams(self) -> bool:
        return self.kind == "teams"

    def part_keeps(self) -> dict[int, int]:
        """Results counted in each part of the season (part index -> best N)."""
        return {index: best for index, (_, best) in enumerate(self.best_per_part)}

    def parts_of(self, sessions: tuple[int, ...]) -> dict[int, int]:
        """The part of each race (session ids in season order): the first ``races`` races
        are part 0, the next ones part 1, and so on; races after the last part are in none."""
        out: dict[int, int] = {}
        start = 0
        for index, (races, _) in enumerate(self.best_per_part):
            for session_id in sessions[start : start + races]:
                out[session_id] = index
            start += races
        return out

    def counted_results(self, races: int) -> int | None:
        """How many race results count after ``races`` races; None: all of them."""
        if self.best_results is not None:
            return self.best_results if races > self.best_results else None
        if self.drop_worst:
            return max(races - self.drop_worst, 0) if races > self.drop_worst else None
        return None


@dataclass(frozen=True, slots=True)
class ScoringRules:
    scale: tuple[int, ...]
    pole_bonus: int = 0
    fastest_lap_bonus: int = 0
    certainty: Certainty = Certainty.CONFIRMED
    note: str = ""
    tie_break: str = "countback"
    fastest_lap_top: int | None = None  # the fastest lap scores only from a top-N finish
    kinds: tuple[tuple[str, ScoringRules], ...] = ()  # e.g. ("sprint", its own scale)
    reduced_fraction: tuple[int, int] | None = None  # (1, 2): half points on a reduced race
    reduced_below: str = ""  # when a race is reduced, as the rules say it ("75%")
    countback_places: int | None = None  # the count-back looks at places 1..N; None: all
    not_running_scores: bool = True  # a car classified but not running at the flag scores
    qualifying_scale: tuple[int, ...] = ()  # points for places 1..N of qualifying (bonuses)
    qualifying_races: QualifyingRaces = QualifyingRaces.EVERY
    lap_led_bonus: int = 0  # points for leading at least one lap (bonuses)
    # A kind of race (a sprint) whose places count neither in the count-back nor as wins, as
    # in F1 since 2021; only a kind's rules set it (the feature race's places always count).
    in_countback: bool = True

    def points_for(self, rank: int) -> int:
        return self.scale[rank - 1] if 1 <= rank <= len(self.scale) else 0

    def for_kind(self, kind: str | None) -> ScoringRules:
        """The rules of one kind of race (a sprint); the feature race's rules otherwise."""
        if kind is None:
            return self
        return next((rules for name, rules in self.kinds if name == kind), self)

    def top_points(
        self, kind: str | None = None, *, bonuses: bool = True, qualifying: bool = True
    ) -> int:
        """Most points one car can take in one race of ``kind`` (``qualifying``: the race
        carries the qualifying points)."""
        rules = self.for_kind(kind)
        top = rules.scale[0] if rules.scale else 0
        if not bonuses:
            return top
        extra = rules.pole_bonus + rules.fastest_lap_bonus + rules.lap_led_bonus
        if qualifying and self.qualifying_scale:
            extra += self.qualifying_scale[0]
        return top + extra


@dataclass(frozen=True, slots=True)
class Outcome:
    """A published final result of a championship (champion, runner-up, margin)."""

    championship: str
    position: int
    name: str
    margin_points: int | None = None
    certainty: Certainty = Certainty.CONFIRMED
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class StandingsNote:
    championship: str
    after_round: int
    after_session: str | None
    text: str
    certainty: Certainty = Certainty.CONFIRMED
    source: str = ""
    leader: str | None = None  # when the fact states a gap: who led, over whom, by how much
    rival: str | None = None
    gap_points: int | None = None


@dataclass(frozen=True, slots=True)
class SeasonFact:
    """A published season count with no race attached ("two overall podiums for Perrot")."""

    driver: str
    what: str  # wins | podiums | poles
    count: int
    championship: str | None = None  # None: overall; else the class championship's slug
    text: str = ""
    certainty: Certainty = Certainty.CONFIRMED
    source: str = ""


@dataclass(frozen=True, slots=True)
class Season:
    """Everything known about one season: the input of every computation."""

    id: int
    series_slug: str
    series_name: str
    year: int
    name: str
    status: str  # final | provisional | future
    scoring: ScoringRules
    championships: tuple[Championship, ...]
    rounds: tuple[Round, ...]
    sessions: tuple[Session, ...]
    entries: tuple[Entry, ...]
    results: tuple[Result, ...]
    penalties: tuple[Penalty, ...]
    outcomes: tuple[Outcome, ...] = ()
    standings_notes: tuple[StandingsNote, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()  # (topic, text), e.g. ("junior", "...")
    source: str = ""
    facts: tuple[SeasonFact, ...] = ()  # published season counts without their races
    qualifying: tuple[QualifyingPlace, ...] = ()  # imported qualifyings, in order_key order

    def note(self, topic: str) -> str | None:
        return next((text for t, text in self.notes if t == topic), None)

    @property
    def races(self) -> tuple[Session, ...]:
        return tuple(
            sorted(
                (s for s in self.sessions if s.kind is SessionKind.RACE),
                key=lambda s: s.order_key,
            )
        )

    def championship(self, slug: str) -> Championship | None:
        return next((c for c in self.championships if c.slug == slug), None)

    @property
    def last_round(self) -> int:
        return max((r.number for r in self.rounds), default=0)
