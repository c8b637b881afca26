"""Circuits a new round can be at: the series' earlier rounds first, then ``data/circuits.csv``.

A circuit carries its town, country, other names and IANA time zone, so ``/round add monza``
needs nothing else, and session start times typed in local time become exact instants.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import Invalid
from bot.services.lookup import fold


@dataclass(frozen=True, slots=True)
class Circuit:
    slug: str
    circuit: str
    town: str
    country: str
    timezone: str | None
    aliases: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        forms = (self.slug, self.slug.replace("-", " "), self.circuit, self.town, *self.aliases)
        return tuple(dict.fromkeys(fold(f) for f in forms if f))


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def check_timezone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Invalid(
            "{zone} is not a time zone: use a name like Europe/Paris.", zone=name[:40]
        ) from None
    return name.strip()


def catalogue(path: Path) -> list[Circuit]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Circuit(
                slug=row["slug"],
                circuit=row["circuit"],
                town=row["town"],
                country=row["country"],
                timezone=row["timezone"] or None,
                aliases=tuple(a for a in row["aliases"].split(";") if a),
            )
            for row in csv.DictReader(fh)
        ]


def from_rounds(rows: list[Any]) -> list[Circuit]:
    """Circuits of the series' earlier rounds (newest first), one per slug."""
    seen: dict[str, Circuit] = {}
    for r in rows:
        if r["slug"] not in seen:
            seen[r["slug"]] = Circuit(
                r["slug"],
                r["circuit"],
                r["town"],
                r["country"],
                r["timezone"],
                tuple(a for a in r["aliases"].split(";") if a),
            )
    return list(seen.values())


def find(text: str, known: list[Circuit]) -> Circuit | None:
    """The known circuit the text names (exactly one of its names, else a unique prefix)."""
    query = fold(text)
    exact = [c for c in known if query in c.keys]
    if exact:
        return exact[0]
    partial = {c.slug: c for c in known if any(k.startswith(query) for k in c.keys)}
    return next(iter(partial.values())) if len(partial) == 1 else None


def local_instant(date: dt.date, start_time: str, timezone: str) -> dt.datetime:
    """The UTC instant of a local start time at the circuit."""
    hours, minutes = (int(x) for x in start_time.split(":"))
    local = dt.datetime.combine(date, dt.time(hours, minutes), zoneinfo.ZoneInfo(timezone))
    return local.astimezone(dt.UTC)


def parse_clock(text: str) -> str:
    m = re.match(r"^\s*(\d{1,2})[:hH.](\d{2})\s*$", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise Invalid("{time} is not a time of day: use HH:MM, e.g. 14:30.", time=text[:20])
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def parse_date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(
            "{date} is not a date: use YYYY-MM-DD, e.g. 2027-04-24.", date=text[:20]
        ) from None
    if not 1900 <= value.year <= 2200:
        raise Invalid("{date} is not a date: use YYYY-MM-DD, e.g. 2027-04-24.", date=text[:20])
    return value
