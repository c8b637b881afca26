"""What is measured: command lines, autocomplete inputs and the raw SQL reads behind them.

Read from the benchmark database with stdlib ``sqlite3`` (never through the bot's services,
so building the workload warms no cache of the bot): the ids in the floor SQL are the
database's and every name resolves. A case has one or more *targets*, cycled. The latest
season's cases are warmed up before timing. Each ``season:`` case names its own older
seasons (up to :data:`OLD_PER_CASE`, spread over the history, none shared with another case)
and is not warmed up, so its first visit of each season, with nothing of that season built
or cached yet, is among the samples; those first visits are also reported on their own.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.adapters.console.ask import ParsedLine

OLD_PER_CASE = 10

Statement = tuple[str, tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Target:
    line: ParsedLine
    text: str  # the command as a user would type it
    sql: tuple[Statement, ...] = ()  # the raw reads (floor b) of this answer


@dataclass
class Case:
    key: str
    targets: list[Target]
    warm: bool  # warm up before timing (latest season); False: cold visits are measured


@dataclass(frozen=True, slots=True)
class Completion:
    kind: str
    line: ParsedLine
    option: str


@dataclass
class Workload:
    cases: list[Case]
    completions: list[Completion]
    penalty_lines: list[ParsedLine] = field(default_factory=list)


# -- the raw reads (floor b) -----------------------------------------------------------------
# The stored facts an answer is computed from (the bot keeps no computed tables: issue 13).
SQL_STANDINGS = (
    "SELECT x.session_id, x.entry_id, x.position, x.status, x.flag_position FROM round r "
    "JOIN session s ON s.round_id = r.id JOIN result x ON x.session_id = s.id "
    "WHERE r.season_id = ? AND r.number <= ?"
)
SQL_RACE = (
    "SELECT x.position, x.status, x.time_ms, x.laps, x.flag_position, e.car_number, "
    "e.class, d.name, t.name FROM result x "
    "JOIN entry e ON e.id = x.entry_id JOIN driver d ON d.id = e.driver_id "
    "LEFT JOIN team t ON t.id = e.team_id WHERE x.session_id = ? "
    "ORDER BY x.flag_position IS NULL, x.flag_position"
)
SQL_RACE_HEAD = (
    "SELECT s.code, s.date, s.pole_entry_id, s.pole_time_ms, s.fastest_lap_entry_id, "
    "s.fastest_lap_ms, r.circuit, r.town FROM session s JOIN round r ON r.id = s.round_id "
    "WHERE s.id = ?"
)
SQL_RACE_PENALTIES = (
    "SELECT p.id, p.entry_id, p.type, p.value, p.reason, p.revoked_at FROM penalty p "
    "WHERE p.session_id = ? ORDER BY p.id"
)
SQL_WINNERS = (
    "SELECT r.number, s.code, d.name, e.car_number FROM round r "
    "JOIN session s ON s.round_id = r.id "
    "JOIN result x ON x.session_id = s.id AND x.flag_position = 1 "
    "JOIN entry e ON e.id = x.entry_id JOIN driver d ON d.id = e.driver_id "
    "WHERE r.season_id = ? ORDER BY r.number, s.code"
)
SQL_POLES = (
    "SELECT r.number, s.code, d.name, s.pole_time_ms FROM round r "
    "JOIN session s ON s.round_id = r.id JOIN entry e ON e.id = s.pole_entry_id "
    "JOIN driver d ON d.id = e.driver_id WHERE r.season_id = ? ORDER BY r.number, s.code"
)
SQL_PENALTIES = (
    "SELECT p.id, p.type, p.value, p.reason, p.decided_by, p.revoked_at, d.name, r.number, "
    "s.code FROM round r JOIN session s ON s.round_id = r.id "
    "JOIN penalty p ON p.session_id = s.id JOIN entry e ON e.id = p.entry_id "
    "JOIN driver d ON d.id = e.driver_id WHERE r.season_id = ? "
    "ORDER BY r.number DESC, s.code DESC, p.id DESC"
)
SQL_DRIVER_RESULTS = (
    "SELECT r.number, s.code, x.position, x.status, x.time_ms FROM round r "
    "JOIN session s ON s.round_id = r.id "
    "JOIN result x ON x.session_id = s.id AND x.entry_id = ? "
    "WHERE r.season_id = ? ORDER BY r.number, s.code"
)
SQL_DRIVER_ENTRY = (
    "SELECT e.car_number, e.class, e.rookie, d.name, d.nationality, t.name FROM entry e "
    "JOIN driver d ON d.id = e.driver_id LEFT JOIN team t ON t.id = e.team_id WHERE e.id = ?"
)
SQL_CALENDAR = (
    "SELECT r.number, r.circuit, r.town, r.start_date, r.end_date, s.code, d.name "
    "FROM round r LEFT JOIN session s ON s.round_id = r.id "
    "LEFT JOIN result x ON x.session_id = s.id AND x.flag_position = 1 "
    "LEFT JOIN entry e ON e.id = x.entry_id LEFT JOIN driver d ON d.id = e.driver_id "
    "WHERE r.season_id = ? ORDER BY r.number, s.code"
)


@dataclass(frozen=True, slots=True)
class SeasonInfo:
    """What the workload needs to know of one season, read from the database."""

    id: int
    slug: str
    year: int
    championships: tuple[tuple[str, bool], ...]  # (slug, is teams)
    last_round: int
    rounds: tuple[str, ...]  # round slugs, in order
    race: tuple[str, int, int]  # a middle race: (round slug, race number, session id)
    driver: tuple[str, int, int]  # a race winner: (name, entry id, driver id)
    drivers: tuple[str, ...]  # some driver names
    penalty_targets: tuple[tuple[str, str, int, bool], ...]  # (driver, "slug n", sid, timed)

    @property
    def label(self) -> str:
        return f"{self.slug} {self.year}"

    def champ(self, wanted: str, fallback: int) -> str:
        slugs = [c for c, _ in self.championships]
        return wanted if wanted in slugs else slugs[min(fallback, len(slugs) - 1)]

    @property
    def teams(self) -> str:
        return next((c for c, t in self.championships if t), self.championships[0][0])


def _one(con: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> Any:
    return con.execute(sql, params).fetchone()


def read_season(con: sqlite3.Connection, season_id: int, *, penalties: bool) -> SeasonInfo:
    slug, year, rules = _one(
        con,
        "SELECT r.slug, s.year, s.rules_json FROM season s JOIN series r ON r.id = s.series_id "
        "WHERE s.id = ?",
        (season_id,),
    )
    champs = tuple(
        (c["slug"], c.get("kind") == "teams") for c in json.loads(rules)["championships"]
    )
    rounds = [
        (n, sl)
        for n, sl in con.execute(
            "SELECT number, slug FROM round WHERE season_id = ? ORDER BY number", (season_id,)
        )
    ]
    races = con.execute(
        "SELECT x.id, r.slug, x.code, x.complete FROM session x JOIN round r ON r.id = x.round_id "
        "WHERE r.season_id = ? AND x.code <> 'Q' ORDER BY r.number, x.code",
        (season_id,),
    ).fetchall()
    mid = races[len(races) // 2]
    winner = _one(
        con,
        "SELECT d.name, e.id, d.id FROM session x JOIN round r ON r.id = x.round_id "
        "JOIN result dc ON dc.session_id = x.id AND COALESCE(dc.position, dc.flag_position) = 1 "
        "JOIN entry e ON e.id = dc.entry_id JOIN driver d ON d.id = e.driver_id "
        "WHERE r.season_id = ? ORDER BY r.number, x.code LIMIT 1",
        (season_id,),
    ) or _one(
        con,
        "SELECT d.name, e.id, d.id FROM entry e JOIN driver d ON d.id = e.driver_id "
        "WHERE e.season_id = ? ORDER BY e.id LIMIT 1",
        (season_id,),
    )
    names = tuple(
        n
        for (n,) in con.execute(
            "SELECT d.name FROM entry e JOIN driver d ON d.id = e.driver_id "
            "WHERE e.season_id = ? AND e.guest = 0 ORDER BY e.id",
            (season_id,),
        )
    )
    targets: list[tuple[str, str, int, bool]] = []
    if penalties:
        for sid, rslug, code, complete in races:
            for name, time_ms in con.execute(
                "SELECT d.name, x.time_ms FROM result x "
                "JOIN entry e ON e.id = x.entry_id JOIN driver d ON d.id = e.driver_id "
                "WHERE x.session_id = ? AND COALESCE(x.position, x.flag_position) IS NOT NULL "
                "ORDER BY COALESCE(x.position, x.flag_position)",
                (sid,),
            ):
                targets.append((name, f"{rslug} {int(code[1:])}", sid, bool(complete and time_ms)))
    return SeasonInfo(
        id=season_id,
        slug=slug,
        year=int(year),
        championships=champs,
        last_round=max(n for n, _ in rounds),
        rounds=tuple(sl for _, sl in rounds),
        race=(mid[1], int(mid[2][1:]), int(mid[0])),
        driver=(str(winner[0]), int(winner[1]), int(winner[2])),
        drivers=names[:: max(1, len(names) // 4)][:4],
        penalty_targets=tuple(targets),
    )


def _standings_sql(s: SeasonInfo, slug: str, after_round: int | None) -> tuple[Statement, ...]:
    del slug  # every championship is computed from the same results
    return ((SQL_STANDINGS, (s.id, s.last_round if after_round is None else after_round)),)


def season_target(s: SeasonInfo, command: str, explicit: bool) -> Target:
    """The one target of ``command`` on this season (``explicit``: with its season option)."""
    named: dict[str, str] = {}
    sql: tuple[Statement, ...]
    if command == "standings":
        sql = _standings_sql(s, s.championships[0][0], None)
    elif command == "race":
        circuit, number, session_id = s.race
        named = {"circuit": circuit, "number": str(number)}
        sql = (
            (SQL_RACE_HEAD, (session_id,)),
            (SQL_RACE, (session_id,)),
            (SQL_RACE_PENALTIES, (session_id,)),
        )
    elif command == "winners":
        sql = ((SQL_WINNERS, (s.id,)),)
    elif command == "poles":
        sql = ((SQL_POLES, (s.id,)),)
    elif command == "penalties":
        sql = ((SQL_PENALTIES, (s.id,)),)
    elif command == "driver":
        name, entry_id, _ = s.driver
        named = {"name": name}
        sql = (
            (SQL_DRIVER_ENTRY, (entry_id,)),
            (SQL_DRIVER_RESULTS, (entry_id, s.id)),
            (SQL_STANDINGS, (s.id, s.last_round)),
            (SQL_PENALTIES, (s.id,)),
        )
    elif command == "calendar":
        sql = ((SQL_CALENDAR, (s.id,)),)
    else:
        raise ValueError(command)
    if explicit:
        named["season"] = s.label
    return Target(ParsedLine(names=[command], named=named), _show(command, named), sql)


def _show(command: str, named: dict[str, str]) -> str:
    return " ".join([f"/{command}", *(f"{k}:{v}" for k, v in named.items())])


def _target(command: str, named: dict[str, str], sql: tuple[Statement, ...] = ()) -> Target:
    return Target(ParsedLine(names=[command], named=dict(named)), _show(command, named), sql)


SEASON_COMMANDS = ("standings", "race", "winners", "poles", "penalties", "driver", "calendar")


def build_workload(db: Path) -> Workload:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        refs = con.execute("SELECT id, year FROM season").fetchall()
        latest_id = max(refs, key=lambda r: (r[1], r[0]))[0]  # as ChampionshipService.latest
        older = [i for i, _ in sorted(refs, key=lambda r: (r[1], r[0])) if i != latest_id]
        latest = read_season(con, latest_id, penalties=True)
        per_case = max(1, min(OLD_PER_CASE, len(older) // len(SEASON_COMMANDS)))
        picks = _spread(older, per_case * len(SEASON_COMMANDS)) or [latest_id]
        old_infos = {i: read_season(con, i, penalties=False) for i in set(picks)}
    finally:
        con.close()
    cases: list[Case] = []
    mid = max(1, latest.last_round // 2)
    rookie, teams, proam = latest.champ("rookie", 1), latest.teams, latest.champ("pro-am", 1)
    for n, command in enumerate(SEASON_COMMANDS):
        cases.append(Case(f"/{command}", [season_target(latest, command, False)], True))
        if command == "standings":
            for key, named, sql in (
                (f"/standings {rookie}", {"championship": rookie}, (rookie, None)),
                (f"/standings {teams}", {"championship": teams}, (teams, None)),
                (
                    f"/standings {proam} after_round",
                    {"championship": proam, "after_round": str(mid)},
                    (proam, mid),
                ),
            ):
                target = _target("standings", named, _standings_sql(latest, *sql))
                cases.append(Case(key, [target], True))
        mine = picks[n :: len(SEASON_COMMANDS)] or picks[:1]
        cases.append(
            Case(
                f"/{command} season:old",
                [season_target(old_infos[i], command, True) for i in mine],
                False,
            )
        )
    cases.append(Case("/help", [_target("help", {})], True))
    return Workload(cases, _completions(latest), _penalty_lines(latest))


def _spread(items: list[int], count: int) -> list[int]:
    """``count`` items spread evenly over ``items`` (all of them when there are fewer)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(k * step)] for k in range(count)]


def _prefixes(word: str) -> list[str]:
    return [word[:n] for n in (1, 2, 4, 6) if n <= len(word)]


def _typo(word: str) -> str:
    if len(word) < 4:
        return word + "x"
    i = len(word) // 2
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _completions(s: SeasonInfo) -> list[Completion]:
    """What users type while an option is focused (prefixes, family names, typos)."""
    out: list[Completion] = []

    def add(kind: str, command: str, option: str, texts: list[str]) -> None:
        for text in texts:
            out.append(Completion(kind, ParsedLine(names=[command], named={option: text}), option))

    slugs = list(s.rounds[:3])
    add(
        "circuit",
        "race",
        "circuit",
        ["", *(p for sl in slugs for p in _prefixes(sl)), _typo(slugs[0]), "benchville"],
    )
    names = list(s.drivers)
    add(
        "driver",
        "driver",
        "name",
        [
            "",
            *(p for n in names[:2] for p in _prefixes(n)),
            *(n.split()[-1] for n in names),
            _typo(names[0]),
            "zz",
        ],
    )
    champs = [c for c, _ in s.championships]
    add("championship", "standings", "championship", ["", *(c[:3] for c in champs), "xx"])
    year = str(s.year)
    add("season", "standings", "season", ["", year[:2], year, f"{s.slug} {year[:3]}", s.slug[:3]])
    add("race", "penalties", "race", ["", slugs[0][:2], f"{slugs[0]} 1", _typo(slugs[-1])])
    return out


def _penalty_lines(s: SeasonInfo) -> list[ParsedLine]:
    """``/penalty add`` on the latest season: varying drivers and races.

    A time penalty (1 to 10 s) on every other line where the race has times, else a
    reprimand (the only kind a partial record such as the real 2023 season takes).
    """
    lines: list[ParsedLine] = []
    targets = s.penalty_targets
    for i in range(min(len(targets), 200)):
        driver, race, _, timed = targets[(i * 37) % len(targets)]
        named = {"driver": driver, "race": race, "reason": f"benchmark decision {i}"}
        if i % 2 == 0 and timed:
            named.update(type="time", value=str(1 + i % 10))
        else:
            named["type"] = "reprimand"
        lines.append(ParsedLine(names=["penalty"], positional=["add"], named=named))
    return lines
