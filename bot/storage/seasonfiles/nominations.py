"""season.toml's nominated drivers (``nominated``, ``[[championships.nominations]]``,
``max_nominated``): read with ``season.toml:line``, then checked against entries.csv."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from bot.domain.models import Championship, Season
from bot.domain.nominations import Nomination, team_nomination
from bot.errors import SeasonFileError

if TYPE_CHECKING:
    from bot.storage.seasonfiles.rules import _Toml

TABLE = "championships.nominations"
Fail = Callable[[str, str, str, int], SeasonFileError]  # problem, key, table, nth


def read_nominations(
    toml: _Toml, item: dict[str, Any], slug: str, nth: int, first: int
) -> tuple[tuple[str, ...], tuple[Nomination, ...], int | None]:
    """The ``nth`` championship's season-long list, its teams' nominations (the first is the
    file's ``first``-th ``[[championships.nominations]]``) and its most nominees a team has."""
    teams = item.get("kind") == "teams"
    most = item.get("max_nominated")
    if most is not None and (
        not teams or not isinstance(most, int) or isinstance(most, bool) or most < 1
    ):
        raise toml.fail(
            f"championship {slug}: max_nominated is a teams championship's number of drivers "
            "(1 or more)",
            "max_nominated",
            "championships",
            nth,
        )
    nominated = _names(
        toml, item.get("nominated"), slug, teams, ("nominated", "championships", nth)
    )
    found: list[Nomination] = []
    raw = item.get("nominations", [])
    if not isinstance(raw, list) or not all(isinstance(n, dict) for n in raw):
        raise toml.fail(f"championship {slug}: nominations must be tables", table="championships")
    for k, n in enumerate(raw, start=first):
        found.append(_nomination(toml, n, slug, teams, most, k, found))
    return nominated, tuple(found), most


def _names(
    toml: _Toml, names: Any, slug: str, teams: bool, where: tuple[str, str, int]
) -> tuple[str, ...]:
    """A list of driver names (``nominated`` or a nomination's ``drivers``), once each."""
    if names is None:
        return ()
    if not teams:
        raise toml.fail(f"championship {slug}: only a teams championship nominates drivers", *where)
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise toml.fail(f"championship {slug}: {where[0]} must be a list of driver names", *where)
    out = tuple(" ".join(n.split()) for n in names)
    twice = [n for i, n in enumerate(out) if n.casefold() in {m.casefold() for m in out[:i]}]
    if twice:
        raise toml.fail(f"championship {slug}: {twice[0]!r} is named twice", *where)
    return out


def _nomination(
    toml: _Toml,
    n: dict[str, Any],
    slug: str,
    teams: bool,
    most: int | None,
    nth: int,
    earlier: list[Nomination],
) -> Nomination:
    def fail(problem: str, key: str = "") -> SeasonFileError:
        return toml.fail(f"championship {slug}: {problem}", key, TABLE, nth)

    if not teams:
        raise fail("only a teams championship nominates drivers")
    team = " ".join(str(n.get("team", "")).split())
    if not team:
        raise fail("a nomination needs its team", "team")
    start = n.get("from_round")
    if not isinstance(start, int) or isinstance(start, bool) or start < 1:
        raise fail(f"{team}'s nomination needs a from_round (1 or more)", "from_round")
    if "drivers" not in n:
        raise fail(f"{team}'s nomination from round {start} names no drivers")
    drivers = _names(toml, n["drivers"], slug, teams, ("drivers", TABLE, nth))
    if most is not None and len(drivers) > most:
        raise fail(
            f"{team} nominates {len(drivers)} drivers from round {start}, "
            f"but max_nominated is {most}",
            "drivers",
        )
    if any(e.team.casefold() == team.casefold() and e.from_round == start for e in earlier):
        raise fail(f"{team} is nominated twice from round {start}", "from_round")
    return Nomination(team, start, drivers, str(n.get("note", "")))


def check_nominations(season: Season, fail: Fail) -> None:
    """What the nominations name must be in entries.csv: every driver, every team, a driver
    driving for the team that nominates them, a round of the season; and no team nominated
    twice for round 1 or beyond ``max_nominated`` by the season-long list."""
    first = 0
    for nth, c in enumerate(season.championships):
        missing = [n for n in c.nominated if not _drives(season, n, None, 1)]
        if missing:
            raise fail(
                f"championship {c.slug}: nominated driver {missing[0]!r} is not in entries.csv",
                "nominated",
                "championships",
                nth,
            )
        for k, n in enumerate(c.nominations, start=first):
            _check(season, c, n, partial(_at, fail, TABLE, k))
        first += len(c.nominations)
        _check_most(season, c, partial(_at, fail, "championships", nth))


def _at(fail: Fail, table: str, nth: int, problem: str, key: str = "nominated") -> SeasonFileError:
    return fail(problem, key, table, nth)


def _drives(season: Season, driver: str, team: str | None, from_round: int, upto: int = 0) -> bool:
    """``driver`` has an entry (with ``team``, if given) at a round from ``from_round`` to
    ``upto`` (0: the season's end)."""
    last = upto or season.last_round
    for e in season.entries:
        if e.driver.casefold() != driver.casefold():
            continue
        if team is not None and (e.team or "").casefold() != team.casefold():
            continue
        if e.rounds is None or any(from_round <= r <= last for r in e.rounds):
            return True
    return False


def _check(
    season: Season, c: Championship, n: Nomination, fail: Callable[..., SeasonFileError]
) -> None:
    where = f"championship {c.slug}: {n.team}'s nomination from round {n.from_round}"
    if not any((e.team or "").casefold() == n.team.casefold() for e in season.entries):
        raise fail(f"championship {c.slug}: team {n.team!r} is not in entries.csv", "team")
    if n.from_round > season.last_round:
        raise fail(f"{where}: the season has {season.last_round} rounds", "from_round")
    for driver in n.drivers:
        if not _drives(season, driver, None, 1):
            raise fail(f"{where}: driver {driver!r} is not in entries.csv", "drivers")
        if not _drives(season, driver, n.team, n.from_round):
            raise fail(
                f"{where}: {driver} does not drive for {n.team} from that round on (entries.csv)",
                "drivers",
            )
    if n.from_round == 1:
        listed = [d for d in c.nominated if _drives(season, d, n.team, 1, 1)]
        if listed:
            raise fail(
                f"{where}: nominated already names {listed[0]} for {n.team} at round 1",
                "from_round",
            )


def _check_most(season: Season, c: Championship, fail: Callable[..., SeasonFileError]) -> None:
    """The season-long list gives no team more than ``max_nominated`` drivers at a round."""
    if c.max_nominated is None or not c.nominated:
        return
    teams = sorted({e.team for e in season.entries if e.team})
    for rnd in range(1, season.last_round + 1):
        for team in teams:
            if team_nomination(c.nominations, team, rnd) is not None:
                continue
            names = [d for d in c.nominated if _drives(season, d, team, rnd, rnd)]
            if len(names) > c.max_nominated:
                raise fail(
                    f"championship {c.slug}: nominated names {len(names)} drivers of {team} "
                    f"at round {rnd} ({', '.join(names)}), but max_nominated is {c.max_nominated}"
                )
