"""season.toml: the season's identity and its rules, validated with ``season.toml:line``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from bot.domain.models import (
    Certainty,
    Championship,
    Eligibility,
    Exclusion,
    Others,
    QualifyingRaces,
    RankBasis,
    ScoringRules,
    TieBreak,
)
from bot.errors import SeasonFileError
from bot.storage.seasonfiles.nominations import read_nominations

CLASSES = ("Pro", "Pro-Am", "Am")
_SHARE_RE = re.compile(r"^(\d+)\s*/\s*(\d+)$")


@dataclass(frozen=True, slots=True)
class SeasonMeta:
    series_slug: str
    series_name: str
    year: int
    name: str
    status: str
    source: str
    scoring: ScoringRules
    championships: tuple[Championship, ...]
    notes: tuple[tuple[str, str], ...]


class _Toml:
    """The parsed file plus its text, to point problems at a line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise SeasonFileError(path, None, "file is missing")
        self.text = path.read_text(encoding="utf-8")
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise SeasonFileError(path, None, f"not valid TOML: {exc}") from None
        self.lines = self.text.splitlines()

    def line_of(self, key: str, table: str = "", nth: int = 0) -> int | None:
        """Line of ``key`` in the ``nth`` ``[table]``/``[[table]]`` (the table's line if absent)."""
        start, seen = 0, -1
        if table:
            header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*$")
            for i, line in enumerate(self.lines):
                if header.match(line):
                    seen += 1
                    if seen == nth:
                        start = i
                        break
            else:
                return None
        key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, len(self.lines)):
            if i > start and table and self.lines[i].lstrip().startswith("[") and not key:
                break
            if key and key_re.match(self.lines[i]):
                return i + 1
            if i > start and self.lines[i].lstrip().startswith("["):
                break
        return start + 1 if table else None

    def fail(self, problem: str, key: str = "", table: str = "", nth: int = 0) -> SeasonFileError:
        return SeasonFileError(self.path, self.line_of(key, table, nth), problem)


def season_toml_error(
    path: Path, problem: str, key: str = "", table: str = "", nth: int = 0
) -> SeasonFileError:
    """A problem found once the other files are read, at its line of season.toml."""
    return _Toml(path).fail(problem, key, table, nth)


def read_season_toml(path: Path) -> SeasonMeta:
    toml = _Toml(path)
    meta = toml.data
    series = meta.get("series", {})
    season = meta.get("season", {})
    if "year" not in season:
        raise toml.fail("season.year is missing", table="season")
    try:
        year = int(season["year"])
    except (TypeError, ValueError):
        raise toml.fail("season.year must be a year", "year", "season") from None
    status = str(season.get("status", "final"))
    if status not in ("final", "provisional", "future"):
        raise toml.fail("season.status must be final/provisional/future", "status", "season")
    slug = str(series.get("slug", "")).lower()
    if not slug:
        raise toml.fail("series.slug is empty", "slug", "series")
    if "scoring" not in meta:
        raise toml.fail("the [scoring] table is missing")
    scoring = _scoring(toml, meta["scoring"], "scoring")
    championships = _championships(toml, meta.get("championships", []))
    return SeasonMeta(
        series_slug=slug,
        series_name=str(series.get("name", "")),
        year=year,
        name=str(season.get("name", f"{year} {series.get('name', '')}")),
        status=status,
        source=str(season.get("source", "")),
        scoring=scoring,
        championships=championships,
        notes=tuple((str(k), str(v)) for k, v in meta.get("notes", {}).items()),
    )


def _scale(toml: _Toml, value: Any, key: str, table: str, nth: int = 0) -> tuple[int, ...]:
    try:
        scale = tuple(int(x) for x in value)
    except (TypeError, ValueError):
        raise toml.fail(f"{table}.{key} must be a list of whole numbers", key, table, nth) from None
    if any(p < 0 for p in scale) or list(scale) != sorted(scale, reverse=True):
        raise toml.fail(f"{table}.{key} must be non-negative, decreasing", key, table, nth)
    return scale


def _whole(toml: _Toml, item: dict[str, Any], key: str, table: str, nth: int = 0) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise toml.fail(f"{table}.{key} must be a whole number, got {value!r}", key, table, nth)
    return value


def _flag(toml: _Toml, item: dict[str, Any], key: str, table: str, *, default: bool) -> bool:
    value = item.get(key, default)
    if not isinstance(value, bool):
        raise toml.fail(f"{table}.{key} must be true or false, got {value!r}", key, table)
    return value


def _scoring(toml: _Toml, sc: dict[str, Any], table: str) -> ScoringRules:
    if "scale" not in sc:
        raise toml.fail(f"{table}.scale is missing", table=table)
    try:
        certainty = Certainty(sc.get("certainty", "confirmed"))
    except ValueError:
        raise toml.fail(
            f"{table}.certainty: confirmed, derived or inferred", "certainty", table
        ) from None
    tie_break = str(sc.get("tie_break", "countback"))
    if tie_break not in tuple(TieBreak):
        raise toml.fail(f"{table}.tie_break must be countback or latest", "tie_break", table)
    kinds: list[tuple[str, ScoringRules]] = []
    for name, kind in sc.get("kinds", {}).items():
        if table != "scoring" or not isinstance(kind, dict):
            raise toml.fail(f"{table}.kinds.{name} must be a table", table=table)
        kinds.append((str(name).lower(), _scoring(toml, kind, f"scoring.kinds.{name}")))
    reduced = sc.get("reduced")
    fraction: tuple[int, int] | None = None
    below = ""
    if reduced is not None:
        where = f"{table}.reduced"
        m = _SHARE_RE.match(str(reduced.get("fraction", "")))
        if not m or int(m.group(2)) == 0 or Fraction(int(m.group(1)), int(m.group(2))) >= 1:
            raise toml.fail(
                f'{where}.fraction must be a fraction below 1 like "1/2"', "fraction", where
            )
        fraction = (int(m.group(1)), int(m.group(2)))
        below = str(reduced.get("below_share", ""))
        if not below:
            raise toml.fail(f'{where}.below_share must say when (e.g. "75%")', table=where)
    qualifying = _qualifying(toml, sc.get("qualifying"), table)
    if table == "scoring" and "countback" in sc:
        raise toml.fail(
            "scoring.countback is for a kind of race whose places do not count in the "
            "count-back: write it under [scoring.kinds.sprint] (countback = false)",
            "countback",
            table,
        )
    return ScoringRules(
        scale=_scale(toml, sc["scale"], "scale", table),
        pole_bonus=_whole(toml, sc, "pole_bonus", table) or 0,
        fastest_lap_bonus=_whole(toml, sc, "fastest_lap_bonus", table) or 0,
        certainty=certainty,
        note=str(sc.get("note", "")),
        tie_break=tie_break,
        fastest_lap_top=_whole(toml, sc, "fastest_lap_top", table),
        kinds=tuple(kinds),
        reduced_fraction=fraction,
        reduced_below=below,
        countback_places=_whole(toml, sc, "countback_places", table),
        not_running_scores=_flag(toml, sc, "not_running_scores", table, default=True),
        qualifying_scale=qualifying[0],
        qualifying_races=qualifying[1],
        lap_led_bonus=_whole(toml, sc, "lap_led_bonus", table) or 0,
        in_countback=_flag(toml, sc, "countback", table, default=True),
    )


def _qualifying(toml: _Toml, item: Any, table: str) -> tuple[tuple[int, ...], QualifyingRaces]:
    """``[scoring.qualifying]``: points for places 1..N of qualifying, and which races."""
    if item is None:
        return (), QualifyingRaces.EVERY
    where = f"{table}.qualifying"
    if table != "scoring" or not isinstance(item, dict):
        raise toml.fail(f"{where} must be a table of the season's [scoring]", table=table)
    if "scale" not in item:
        raise toml.fail(f"{where}.scale is missing (e.g. [1] for a pole point)", table=where)
    scale = _scale(toml, item["scale"], "scale", where)
    if not scale or not any(scale):
        raise toml.fail(f"{where}.scale must give points to pole at least", "scale", where)
    try:
        races = QualifyingRaces(item.get("races", "every"))
    except ValueError:
        raise toml.fail(
            f"{where}.races must be every (a qualifying per race) or first (one per round)",
            "races",
            where,
        ) from None
    return scale, races


def _championships(toml: _Toml, items: list[dict[str, Any]]) -> tuple[Championship, ...]:
    champs: list[Championship] = []
    seen = 0  # [[championships.nominations]] tables read so far
    for nth, item in enumerate(items):

        def fail(problem: str, key: str = "", nth: int = nth) -> SeasonFileError:
            return toml.fail(problem, key, "championships", nth)

        slug = str(item.get("slug", "")).strip().lower()
        if not slug:
            raise fail("a championship has no slug")
        eligible = item.get("eligible", {})
        klass = eligible.get("class")
        if klass is not None and klass not in CLASSES:
            raise fail(f"championship {slug}: unknown class {klass!r}", "eligible")
        try:
            rank = RankBasis(item.get("rank", "overall"))
        except ValueError:
            raise fail(f"championship {slug}: bad rank", "rank") from None
        try:
            others = Others(item.get("others", "skip"))
        except ValueError:
            raise fail(f"championship {slug}: others must be skip or block", "others") from None
        best = _whole(toml, item, "best_results", "championships", nth)
        drop = _whole(toml, item, "drop_worst", "championships", nth)
        if best is not None and drop is not None:
            raise fail(f"championship {slug}: best_results or drop_worst, not both", "drop_worst")
        if best == 0:
            raise fail(f"championship {slug}: best_results must be at least 1", "best_results")
        nominated, nominations, most = read_nominations(toml, item, slug, nth, seen)
        seen += len(nominations)
        parts = _parts(toml, item, slug, nth)
        if parts and (best is not None or drop is not None):
            raise fail(
                f"championship {slug}: best_per_part replaces best_results and drop_worst",
                "best_per_part",
            )
        exclusions: list[Exclusion] = []
        for x in item.get("exclusions", ()):
            name = " ".join(str(x.get("name", "")).split())
            start = x.get("from_round")
            if not name or not isinstance(start, int) or start < 1:
                raise toml.fail(
                    f"championship {slug}: an exclusion needs a name and a from_round",
                    table="championships.exclusions",
                    nth=len(exclusions),
                )
            exclusions.append(Exclusion(name, start, str(x.get("note", ""))))
        champs.append(
            Championship(
                slug=slug,
                name=str(item.get("name", slug.title())),
                kind=str(item.get("kind", "drivers")),
                rank=rank,
                eligible=Eligibility(
                    klass=klass,
                    rookie=eligible.get("rookie"),
                    junior=eligible.get("junior"),
                    guest=eligible.get("guest", False),
                ),
                bonuses=bool(item.get("bonuses", False)),
                points_from=item.get("from"),
                counting_cars=_whole(toml, item, "counting_cars", "championships", nth) or 0
                if "counting_cars" in item
                else 2,
                aliases=tuple(str(a).lower() for a in item.get("aliases", ())),
                note=str(item.get("note", "")),
                others=others,
                scale=_scale(toml, item["scale"], "scale", "championships", nth)
                if "scale" in item
                else None,
                best_results=best,
                drop_worst=drop,
                exclusions=tuple(exclusions),
                nominated=nominated,
                nominations=nominations,
                max_nominated=most,
                best_per_part=parts,
                countback_all_cars=_teams_flag(toml, item, "countback_all_cars", slug, nth),
            )
        )
    slugs = [c.slug for c in champs]
    if len(set(slugs)) != len(slugs):
        raise toml.fail("two championships share a slug", "slug", "championships")
    for nth, c in enumerate(champs):
        if c.kind not in ("drivers", "teams"):
            raise toml.fail(
                f"championship {c.slug}: kind must be drivers/teams", "kind", "championships", nth
            )
        if c.is_teams and c.points_from not in slugs:
            raise toml.fail(
                f"championship {c.slug}: 'from' must name another", "from", "championships", nth
            )
    return tuple(champs)


def _parts(toml: _Toml, item: dict[str, Any], slug: str, nth: int) -> tuple[tuple[int, int], ...]:
    """``best_per_part = [[6, 5], [5, 4]]``: the first 6 races count their best 5, the next 5
    their best 4."""
    value = item.get("best_per_part")
    if value is None:
        return ()
    ok = (
        isinstance(value, list)
        and value
        and all(
            isinstance(p, list)
            and len(p) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in p)
            and 1 <= p[1] <= p[0]
            for p in value
        )
    )
    if not ok:
        raise toml.fail(
            f"championship {slug}: best_per_part is a list of [races, best] pairs with "
            "1 <= best <= races, e.g. [[6, 5], [5, 4]]",
            "best_per_part",
            "championships",
            nth,
        )
    return tuple((races, best) for races, best in value)


def _teams_flag(toml: _Toml, item: dict[str, Any], key: str, slug: str, nth: int) -> bool:
    """A true/false rule that only a teams championship states."""
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise toml.fail(
            f"championship {slug}: {key} must be true or false", key, "championships", nth
        )
    if value and item.get("kind") != "teams":
        raise toml.fail(
            f"championship {slug}: {key} is a teams championship's rule", key, "championships", nth
        )
    return value
