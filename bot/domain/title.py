"""Who can still win a championship, and what each contender needs. Exact, not simulated.

From the standings after a round: every race left can pay at most the scale's first place
plus the bonuses (pole, fastest lap) the championship counts. A driver is still in it when
their best case beats the leader's current total, or equals it and the count-back (more wins,
then more 2nds …) would then favour them. With one race left the conditions are worked out
position by position; with more, in points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.models import ScoringRules, TieBreak
from bot.domain.standings import COUNTBACK_DEPTH, Standings, StandingsRow


@dataclass(frozen=True, slots=True)
class Contender:
    key: int
    name: str
    points: float
    best: float  # points + everything still available
    gap: float  # behind the leader
    alive: bool
    by_countback: bool = False  # only a tie on points, settled by count-back, keeps them in


@dataclass(frozen=True, slots=True)
class TitleOutlook:
    races_left: int
    max_per_race: int
    max_available: int
    leader: Contender | None
    contenders: tuple[Contender, ...]  # still able to win, leader first
    eliminated: tuple[Contender, ...]
    clinched: bool  # the leader is champion whatever happens
    conditions: tuple[tuple[tuple[str, dict[str, Any]], ...], ...]  # templates, for the leader


def max_per_race(rules: ScoringRules, bonuses: bool) -> int:
    return rules.top_points(None, bonuses=bonuses)


def available_in(
    rules: ScoringRules,
    bonuses: bool,
    kinds: Sequence[str | None],
    qualifying: Sequence[bool] | None = None,
) -> int:
    """Most points one car can take in the races left: each race's ``kinds`` and whether it
    carries the qualifying points (``qualifying``; None: every race does)."""
    carries = qualifying if qualifying is not None else [True] * len(kinds)
    return sum(
        rules.top_points(k, bonuses=bonuses, qualifying=q)
        for k, q in zip(kinds, carries, strict=True)
    )


def _countback_after_wins(row: StandingsRow, wins: int) -> tuple[int, ...]:
    cb = list(row.countback) or [0] * COUNTBACK_DEPTH
    cb[0] += wins
    return tuple(cb)


def _ahead_on_tie(rules: ScoringRules, rival: Sequence[int], leader: Sequence[int]) -> bool:
    """Whether the rival wins a tie on points by the season's count-back: its places
    1..``countback_places`` (all when unset), as the standings table sorts
    (:func:`bot.domain.standings._sort_rows`)."""
    depth = rules.countback_places or COUNTBACK_DEPTH
    return tuple(rival)[:depth] > tuple(leader)[:depth]


def _best(countback: Sequence[int]) -> float:
    """The best place in a count-back tuple (``inf``: no finish)."""
    return next((i + 1 for i, c in enumerate(countback) if c), math.inf)


def _latest_ahead(rival: StandingsRow, lead: StandingsRow) -> bool:
    """Under "the latest best result", whether the rival wins a tie on points as things
    stand: the better best result, or the same one achieved more recently."""
    rb = rival.best_rank or math.inf
    lb = lead.best_rank or math.inf
    return rb < lb or (rb == lb and rival.best_at > lead.best_at)


def title_outlook(
    table: Standings,
    rules: ScoringRules,
    bonuses: bool,
    races_left: int,
    *,
    kinds: Sequence[str | None] | None = None,
    qualifying: Sequence[bool] | None = None,
) -> TitleOutlook:
    """``kinds``: the scoring kind of each race left (a sprint scores less), when known;
    ``qualifying``: whether each carries the qualifying points."""
    per_race = max_per_race(rules, bonuses)
    # Races left whose places count in the tie-break (a sprint's may not).
    counting = (
        races_left if kinds is None else sum(1 for k in kinds if rules.for_kind(k).in_countback)
    )
    available = (
        per_race * races_left if kinds is None else available_in(rules, bonuses, kinds, qualifying)
    )
    rows = list(table.rows)
    if not rows:
        return TitleOutlook(races_left, per_race, available, None, (), (), False, ())
    lead = rows[0]
    leader = Contender(lead.key, lead.name, lead.points, lead.points + available, 0, True)
    contenders = [leader]
    eliminated: list[Contender] = []
    for row in rows[1:]:
        best = row.points + available
        if best > lead.points:
            alive, by_cb = True, False
        elif best == lead.points and races_left > 0:
            # Reaching a tie needs every remaining win: the tie-break decides then. Under the
            # latest best result, the rival's last win is the most recent best result.
            # With no race left that counts in the tie-break, it stands as it is now.
            if rules.tie_break != TieBreak.LATEST:
                alive = _ahead_on_tie(rules, _countback_after_wins(row, counting), lead.countback)
            else:
                alive = counting > 0 or _latest_ahead(row, lead)
            by_cb = alive
        elif best == lead.points and races_left == 0:
            alive, by_cb = row.position < lead.position, True  # the table's tie-break
        else:
            alive, by_cb = False, False
        c = Contender(row.key, row.name, row.points, best, lead.points - row.points, alive, by_cb)
        (contenders if alive else eliminated).append(c)
    clinched = len(contenders) == 1
    # With dropped scores a new result can replace an old one: "outscore by N" and the
    # position-by-position conditions do not hold, only best cases do.
    champ = table.championship
    drops = champ.best_results is not None or bool(champ.drop_worst or champ.best_per_part)
    last = rules.for_kind(kinds[-1]) if kinds and races_left == 1 else rules
    carries = qualifying[-1] if qualifying else True
    quali = rules.qualifying_scale[0] if rules.qualifying_scale and carries else 0
    conditions = (
        ()
        if drops
        else _conditions(last, bonuses, races_left, lead, rows, contenders, quali, tie=rules)
    )
    return TitleOutlook(
        races_left,
        per_race,
        available,
        leader,
        tuple(contenders),
        tuple(eliminated),
        clinched,
        conditions,
    )


Condition = tuple[str, dict[str, Any]]  # an English template and its values


def _conditions(
    rules: ScoringRules,
    bonuses: bool,
    races_left: int,
    lead: StandingsRow,
    rows: Sequence[StandingsRow],
    contenders: Sequence[Contender],
    qualifying: int = 0,
    *,
    tie: ScoringRules | None = None,
) -> tuple[tuple[Condition, ...], ...]:
    """Each condition is one or more parts (a sentence made of clauses); ``qualifying``: the
    most qualifying points the last race carries; ``rules``: the last race's, ``tie``: the
    season's (its tie-break; default ``rules``)."""
    name = lead.name
    rivals = list(contenders[1:])
    if races_left == 0:
        return ((("{leader} is champion.", {"leader": name}),),) if len(contenders) == 1 else ()
    if not rivals:
        return (
            (
                (
                    "{leader} is champion with {races} race(s) to spare: nobody can catch him "
                    "any more.",
                    {"leader": name, "races": races_left},
                ),
            ),
        )
    if races_left > 1:
        return tuple(
            (
                (
                    "{leader} stays ahead of {rival} unless {rival} outscores him by more than "
                    "{gap} point(s) over the last {races} races (by exactly {gap}: count-back "
                    "decides).",
                    {
                        "leader": name,
                        "rival": r.name,
                        "gap": lead.points - r.points,
                        "races": races_left,
                    },
                ),
            )
            for r in rivals
        )
    return tuple(
        _last_race(rules, bonuses, lead, rows, r, qualifying, tie) for r in rivals
    )


def rival_bonus(rules: ScoringRules, bonuses: bool, place: int, qualifying: int) -> int:
    """The most bonus points the rival can add in the last race, finishing ``place``: pole,
    lap led and the best ``qualifying`` points, and the fastest lap where his place allows."""
    if not bonuses:
        return 0
    top = rules.fastest_lap_top
    fastest = rules.fastest_lap_bonus if top is None or place <= top else 0
    return rules.pole_bonus + fastest + rules.lap_led_bonus + qualifying


def _bonus_clause(rules: ScoringRules, qualifying: int) -> str:
    if rules.lap_led_bonus or qualifying:
        return "(counting every bonus point for {rival})"
    return "(counting pole and fastest lap for {rival})"


def _last_race(
    rules: ScoringRules,
    bonuses: bool,
    lead: StandingsRow,
    rows: Sequence[StandingsRow],
    rival: Contender,
    qualifying: int = 0,
    tie: ScoringRules | None = None,
) -> tuple[Condition, ...]:
    """One race left: for each finish of the leader, the worst finish the rival needs.

    ``rules`` are the race's (its scale and bonuses), ``tie`` the season's: its tie-break
    (default ``rules``). A race whose places do not count in the tie-break leaves it as is.

    Place ``n + 1`` stands for "outside the points": both cars can be there at once.
    """
    rival_row = next(r for r in rows if r.key == rival.key)
    season = tie or rules
    n = len(rules.scale)

    def rival_wins(p_leader: int, q_rival: int) -> bool:
        lp = lead.points + rules.points_for(p_leader)
        rp = (
            rival_row.points
            + rules.points_for(q_rival)
            + rival_bonus(rules, bonuses, q_rival, qualifying)  # the rival takes the bonuses
        )
        if rp != lp:
            return rp > lp
        lcb = list(lead.countback) or [0] * COUNTBACK_DEPTH
        rcb = list(rival_row.countback) or [0] * COUNTBACK_DEPTH
        if not rules.in_countback:
            p_leader = q_rival = 0  # this race's places do not count in the tie-break
        if season.tie_break == TieBreak.LATEST:
            # The better best result; at equal bests, whoever reached it in this race (the
            # most recent), else whoever reached it later before; both: no one gets ahead.
            lb = lead.best_rank or _best(lcb)
            rb = rival_row.best_rank or _best(rcb)
            if p_leader:
                lb = min(lb, p_leader)
            if q_rival:
                rb = min(rb, q_rival)
            if rb != lb:
                return rb < lb
            if (q_rival == rb) != (p_leader == lb):
                return q_rival == rb
            return q_rival != rb and rival_row.best_at > lead.best_at
        if 1 <= p_leader <= COUNTBACK_DEPTH:
            lcb[p_leader - 1] += 1
        if 1 <= q_rival <= COUNTBACK_DEPTH:
            rcb[q_rival - 1] += 1
        return _ahead_on_tie(season, rcb, lcb)

    needs: list[tuple[int, int | None]] = []  # (leader's finish, worst finish that beats him)
    for p in range(1, n + 2):  # n + 1: outside the points
        worst = None
        for q in range(1, n + 2):
            if (q != p or p > n) and rival_wins(p, q):
                worst = q
        needs.append((p, worst))
    names = {"leader": lead.name, "rival": rival.name}
    bonus = (
        [(_bonus_clause(rules, qualifying), names)]
        if rival_bonus(rules, bonuses, 1, qualifying)
        else []
    )
    if needs[0][1] is None and all(q == p - 1 for p, q in needs[1:]):
        return (("{leader} is champion if he finishes ahead of {rival}", names), *bonus)
    last_safe = max((p for p, q in needs if q is None), default=0)
    parts: list[Condition] = []
    if last_safe:
        template = (
            "{leader} is champion if he finishes in the points, whatever {rival} does"
            if last_safe > n
            else "{leader} is champion if he finishes {place} or better, whatever {rival} does"
        )
        parts.append((template, {**names, "place": last_safe}))
    for p, worst in needs:
        if worst is None or p <= last_safe:
            continue
        parts.append((_need_template(p > n, worst, n), {**names, "place": p, "need": worst}))
        if len(parts) >= 4:
            break
    if not parts:
        return (("{leader} is champion whatever happens against {rival}.", names),)
    return (*parts, *bonus)


def _need_template(out: bool, worst: int, n: int) -> str:
    """What the rival needs when the leader finishes a place (``out``: outside the points)."""
    where = "if {leader} is outside the points" if out else "if {leader} is {place}"
    if worst > n:
        return where + ", {rival} is champion wherever he finishes"
    if worst == 1:
        return where + ", {rival} must win"
    return where + ", {rival} must finish {need} or better"


def published_gap_outlook(
    leader: str, rival: str, gap: int, rules: ScoringRules, bonuses: bool, races_left: int
) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Conditions from a published gap between two drivers (their totals unknown)."""
    available = max_per_race(rules, bonuses) * races_left
    names: dict[str, Any] = {
        "leader": leader,
        "rival": rival,
        "gap": gap,
        "races": races_left,
        "available": available,
    }
    if gap > available:
        return (
            (
                "{leader} is champion over {rival}: a {gap}-point lead with {available} points "
                "left.",
                names,
            ),
        )
    return (
        (
            "{leader} stays ahead of {rival} unless {rival} outscores him by more than {gap} "
            "point(s) over the last {races} race(s) (by exactly {gap}: count-back, which the "
            "record cannot settle).",
            names,
        ),
        ("Up to {available} points were still available to each of them.", names),
    )
