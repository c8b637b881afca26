"""A season's scoring rules in plain words, for ``/season rules`` (templates, not rendering).

Each line is an English template and its values (the shape ``title.py`` uses), so the
rendering layer translates and formats it; nothing here counts or decides.
"""

from __future__ import annotations

from typing import Any

from bot.domain.models import (
    Championship,
    Others,
    QualifyingRaces,
    RankBasis,
    ScoringRules,
    Season,
    TieBreak,
)

Line = tuple[str, dict[str, Any]]


def _scale(scale: tuple[int, ...]) -> str:
    return "-".join(str(p) for p in scale) if scale else "none"


def describe_scoring(rules: ScoringRules) -> tuple[Line, ...]:
    lines: list[Line] = [
        (
            "Races score {scale} for places 1 to {places}.",
            {"scale": _scale(rules.scale), "places": len(rules.scale)},
        )
    ]
    lines += _bonuses(rules, "")
    lines += _qualifying(rules)
    for name, kind in rules.kinds:
        lines.append(
            (
                "A {kind} race scores {scale} for places 1 to {places}.",
                {"kind": name, "scale": _scale(kind.scale), "places": len(kind.scale)},
            )
        )
        lines += _bonuses(kind, name)
        if not kind.in_countback:
            lines.append(
                (
                    "The places of a {kind} race count neither in the count-back nor as wins.",
                    {"kind": name},
                )
            )
    if rules.reduced_fraction:
        num, den = rules.reduced_fraction
        lines.append(
            (
                "A race stopped before {share} of its distance scores {fraction} of its points.",
                {"share": rules.reduced_below, "fraction": f"{num}/{den}"},
            )
        )
    if not rules.not_running_scores:
        lines.append(
            (
                "A car classified but not running at the flag scores nothing (it keeps its place).",
                {},
            )
        )
    if rules.tie_break == TieBreak.LATEST:
        lines.append(("Ties: the better best result, then whoever achieved it most recently.", {}))
    elif rules.countback_places:
        lines.append(
            (
                "Ties: more wins, then more 2nd places, and so on down to place {places} "
                "(count-back).",
                {"places": rules.countback_places},
            )
        )
    else:
        lines.append(("Ties: more wins, then more 2nd places, and so on (count-back).", {}))
    return tuple(lines)


def _qualifying(rules: ScoringRules) -> list[Line]:
    if not rules.qualifying_scale:
        return []
    values = {"scale": _scale(rules.qualifying_scale), "places": len(rules.qualifying_scale)}
    if rules.qualifying_races is QualifyingRaces.FIRST:
        return [
            (
                "Qualifying scores {scale} for places 1 to {places}, once per round "
                "(with the round's first race).",
                values,
            )
        ]
    return [("Each race's qualifying scores {scale} for places 1 to {places}.", values)]


# A kind of race's own bonuses say which kind they belong to.
_POLE = ("Pole position: {points} point(s).", "In a {kind} race, pole position: {points} point(s).")
_FASTEST_TOP = (
    "Fastest lap: {points} point(s), only if its driver is classified in the top {top}.",
    "In a {kind} race, fastest lap: {points} point(s), only if its driver is classified "
    "in the top {top}.",
)
_FASTEST = ("Fastest lap: {points} point(s).", "In a {kind} race, fastest lap: {points} point(s).")
_LAP_LED = (
    "Leading at least one lap: {points} point(s).",
    "In a {kind} race, leading at least one lap: {points} point(s).",
)


def _bonuses(rules: ScoringRules, kind: str) -> list[Line]:
    """The bonuses of the feature race (``kind`` empty) or of one kind of race."""
    pick = 1 if kind else 0
    where = {"kind": kind} if kind else {}
    lines: list[Line] = []
    if rules.pole_bonus:
        lines.append((_POLE[pick], {"points": rules.pole_bonus, **where}))
    if rules.fastest_lap_bonus:
        if rules.fastest_lap_top:
            lines.append(
                (
                    _FASTEST_TOP[pick],
                    {"points": rules.fastest_lap_bonus, "top": rules.fastest_lap_top, **where},
                )
            )
        else:
            lines.append((_FASTEST[pick], {"points": rules.fastest_lap_bonus, **where}))
    if rules.lap_led_bonus:
        lines.append((_LAP_LED[pick], {"points": rules.lap_led_bonus, **where}))
    return lines


def describe_championship(c: Championship) -> tuple[Line, ...]:
    lines: list[Line] = []
    if c.is_teams:
        if c.counting_cars:
            lines.append(
                (
                    "{name}: the best {cars} car(s) of each team score in every race.",
                    {"name": c.name, "cars": c.counting_cars},
                )
            )
        else:
            lines.append(("{name}: every car of each team scores.", {"name": c.name}))
        lines += _nominations(c)
        if c.countback_all_cars:
            lines.append(
                ("Ties between teams: the places of all their cars count, scoring or not.", {})
            )
        lines.append(("A team keeps its points when a car changes driver.", {}))
    else:
        basis = {
            RankBasis.OVERALL: "{name}: scored by overall position.",
            RankBasis.CLASS: "{name}: scored by class position.",
            RankBasis.ROOKIE: "{name}: scored by position among rookies.",
            RankBasis.JUNIOR: "{name}: scored by position among juniors.",
        }[c.rank]
        lines.append((basis, {"name": c.name}))
        if c.scale is not None:
            lines.append(
                ("{name} has its own scale: {scale}.", {"name": c.name, "scale": _scale(c.scale)})
            )
        if c.eligible.guest is False:
            if c.others is Others.SKIP:
                lines.append(
                    (
                        "Guests score nothing; their places are skipped "
                        "(the next driver takes the points).",
                        {},
                    )
                )
            else:
                lines.append(("Guests score nothing and keep their places (nobody moves up).", {}))
        if c.bonuses:
            lines.append(("Bonus points count here.", {}))
    if c.best_results:
        lines.append(
            (
                "Only the best {n} results count; the others are shown as dropped.",
                {"n": c.best_results},
            )
        )
    if c.drop_worst:
        lines.append(
            ("The worst {n} results are dropped; they are shown as dropped.", {"n": c.drop_worst})
        )
    first = 1
    for races, best in c.best_per_part:
        lines.append(
            (
                "Races {first} to {last}: only the best {n} results count.",
                {"first": first, "last": first + races - 1, "n": best},
            )
        )
        first += races
    for x in c.exclusions:
        lines.append(
            (
                "{who} is out of this table from round {round} on: {note}",
                {"who": x.name, "round": x.from_round, "note": x.note or "excluded"},
            )
        )
    return tuple(lines)


_NOMINEES = (
    "From round {round}, {team}'s nominated driver is {a}.",
    "From round {round}, {team}'s nominated drivers are {a} and {b}.",
    "From round {round}, {team}'s nominated drivers are {names} and {last}.",
)


def _nominations(c: Championship) -> list[Line]:
    """Who scores for a team: the season-long list, then each team's nominations in round
    order, and the most drivers a team nominates."""
    lines: list[Line] = []
    if c.nominated:
        lines.append(
            (
                "Only nominated drivers score for their team: {names}.",
                {"names": ", ".join(c.nominated)},
            )
        )
    elif c.nominations:
        lines.append(
            (
                "Only nominated drivers score for their team; a team scores nothing before its "
                "first nomination.",
                {},
            )
        )
    for n in sorted(c.nominations, key=lambda n: (n.from_round, n.team.casefold())):
        *names, last = n.drivers
        values: dict[str, Any] = {"round": n.from_round, "team": n.team}
        if not names:
            lines.append((_NOMINEES[0], {**values, "a": last}))
        elif len(names) == 1:
            lines.append((_NOMINEES[1], {**values, "a": names[0], "b": last}))
        else:
            lines.append((_NOMINEES[2], {**values, "names": ", ".join(names), "last": last}))
    if c.max_nominated:
        lines.append(("A team nominates at most {n} driver(s) at a time.", {"n": c.max_nominated}))
    return lines


def describe_rules(season: Season) -> tuple[Line, ...]:
    """Every rule of the season, scoring first, then each championship."""
    out = list(describe_scoring(season.scoring))
    for c in season.championships:
        out += describe_championship(c)
    return tuple(out)
