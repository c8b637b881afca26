"""Who scores for a team at a round, where a teams championship nominates its drivers.

A season-long list (``nominated``) names drivers who score for whichever team they drive
for; a team's own nomination (``Nomination``) replaces it for that team from its round on,
until the team's next nomination. Points already scored stay with the team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Nomination:
    """From ``from_round`` on, ``team``'s nominated drivers are ``drivers``."""

    team: str
    from_round: int
    drivers: tuple[str, ...]
    note: str = ""


def team_nomination(
    nominations: Sequence[Nomination], team: str, round_number: int
) -> Nomination | None:
    """The team's nomination in force at ``round_number``: its latest from that round or
    before; None when the team has none yet (the season-long list applies)."""
    current: Nomination | None = None
    for n in nominations:
        if n.team.casefold() != team.casefold() or n.from_round > round_number:
            continue
        if current is None or n.from_round > current.from_round:
            current = n
    return current


def is_nominated(
    nominated: Sequence[str],
    nominations: Sequence[Nomination],
    team: str,
    driver: str,
    round_number: int,
) -> bool:
    """True when ``driver`` scores for ``team`` at ``round_number``: every driver does where
    nobody is nominated; otherwise only a driver named by the team's nomination in force, or,
    before the team's first nomination, by the season-long list."""
    if not nominated and not nominations:
        return True
    current = team_nomination(nominations, team, round_number)
    names = current.drivers if current is not None else nominated
    return driver.casefold() in {name.casefold() for name in names}
