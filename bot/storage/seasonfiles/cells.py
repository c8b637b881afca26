"""Cells of season files: the file:line error, CSV rows, and typed cell parsers."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from bot.domain.models import Certainty
from bot.errors import SeasonFileError

_TIME_RE = re.compile(r"^\+?(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d{1,3})?)$")


def parse_duration_ms(text: str) -> int:
    """'46:33.408' -> ms; '1:02:03.5' -> ms; '+0.536' -> 536. Raises ValueError."""
    m = _TIME_RE.match(text.strip())
    if not m:
        raise ValueError(f"not a time: {text!r} (use M:SS.mmm, H:MM:SS.mmm or +S.mmm)")
    a, b, secs = m.groups()
    hours, minutes = (int(a), int(b)) if b is not None else (0, int(a) if a else 0)
    return round(((hours * 60 + minutes) * 60 + float(secs)) * 1000)


def format_duration_ms(ms: int) -> str:
    """Inverse of :func:`parse_duration_ms` for positive times: 2793408 -> '46:33.408'."""
    seconds, millis = divmod(ms, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{millis:03d}"
    if minutes:
        return f"{minutes}:{secs:02d}.{millis:03d}"
    return f"{secs}.{millis:03d}"


def rows(path: Path, required: tuple[str, ...]) -> Iterator[Cells]:
    """Every non-empty row of a CSV file, as a :class:`Cells` that knows its line."""
    if not path.exists():
        raise SeasonFileError(path, None, "file is missing")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise SeasonFileError(path, 1, f"missing column(s): {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            if None in row:
                raise SeasonFileError(path, line, "more cells than the header has columns")
            if not any((v or "").strip() for v in row.values()):
                continue
            yield Cells(path, line, {k: (v or "").strip() for k, v in row.items()})


class Cells:
    """One CSV row; field parsers raise SeasonFileError with the file and line."""

    def __init__(self, path: Path, line: int, row: dict[str, str]) -> None:
        self.path, self.line, self.row = path, line, row

    def fail(self, problem: str) -> SeasonFileError:
        return SeasonFileError(self.path, self.line, problem)

    def text(self, col: str, *, required: bool = False) -> str:
        value = self.row.get(col, "")
        if required and not value:
            raise self.fail(f"{col} is empty")
        return value

    def name(self, col: str) -> str:
        """A person's name with its spaces normalised (required)."""
        return " ".join(self.text(col, required=True).split())

    def integer(self, col: str, *, required: bool = False, minimum: int = 1) -> int | None:
        value = self.text(col, required=required)
        if not value:
            return None
        if not value.isdigit():
            raise self.fail(f"{col} must be a whole number, got {value!r}")
        number = int(value)
        if number < minimum:
            raise self.fail(f"{col} must be at least {minimum}, got {number}")
        return number

    def required_int(self, col: str, *, minimum: int = 1) -> int:
        value = self.integer(col, required=True, minimum=minimum)
        assert value is not None
        return value

    def flag(self, col: str) -> bool | None:
        value = self.text(col).lower()
        if not value:
            return None
        if value in ("yes", "true", "1", "y"):
            return True
        if value in ("no", "false", "0", "n"):
            return False
        raise self.fail(f"{col} must be yes, no or empty, got {value!r}")

    def date(self, col: str) -> dt.date | None:
        value = self.text(col)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{col} must be a date YYYY-MM-DD, got {value!r}") from None

    def duration(self, col: str) -> int | None:
        value = self.text(col)
        if not value:
            return None
        try:
            return parse_duration_ms(value)
        except ValueError as exc:
            raise self.fail(f"{col}: {exc}") from None

    def certainty(self) -> Certainty:
        value = self.text("certainty") or "confirmed"
        try:
            return Certainty(value)
        except ValueError:
            raise self.fail(
                f"certainty must be confirmed, derived or inferred, got {value!r}"
            ) from None
