"""Reading a timing export's table: separator, encoding, header names, and strict values.

Timing systems write comma, semicolon or tab separated files, with or without a BOM, with
Windows line ends and their own header names (``POS``, ``Pos.``, ``No``, ``#``, ``Total Time``
…). This module finds the separator (``csv.Sniffer``, checked against the header names),
maps the headers to what they mean and says how it read them, and parses the values a
classification needs with ranges, so a value the database would refuse never reaches a preview.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from bot.errors import ExportProblem

MAX_FIELD = 200  # characters in one cell; longer is not a timing value
MAX_LAPS = 10_000
MAX_GRID = 200
MAX_CAR = 9_999
MAX_RACE_MS = 24 * 3600 * 1000  # a day: longer is not a race time
MAX_LAP_MS = 3600 * 1000  # an hour: longer is not a lap
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}

# What each column means, from the names timing systems give them (folded: lower case,
# no accents, no dots or underscores, single spaces).
HEADERS: dict[str, tuple[str, ...]] = {
    "position": ("position", "pos", "p", "rank", "place", "pl", "cla", "clt", "classement"),
    "car": (
        "car",
        "no",
        "nr",
        "n",
        "#",
        "num",
        "number",
        "car no",
        "car number",
        "start no",
        "startnr",
        "numero",
        "dossard",
    ),
    "driver": ("driver", "name", "driver name", "drivers", "pilote", "nom", "competitor"),
    "laps": ("laps", "lap", "tours", "laps completed", "nb tours"),
    "time": ("time", "total time", "total", "race time", "totaltime", "temps", "temps total"),
    "gap": ("gap", "diff", "difference", "gap first", "gap to first", "ecart", "behind"),
    "best_lap": (
        "best_lap",
        "best lap",
        "best",
        "fastest lap",
        "best time",
        "bestlap",
        "meilleur tour",
        "best lap time",
        "mt",
    ),
    "grid": ("grid", "start pos", "starting position", "grille"),
    "led": ("led", "led lap", "led a lap", "laps led", "tours menes", "mene"),
    "class": ("class", "cls", "cat", "category", "classe", "categorie"),
    "status": ("status", "state", "etat", "statut", "result"),
}
_MEANING = {name: meaning for meaning, names in HEADERS.items() for name in names}

STATUSES = {
    "": "classified", "classified": "classified", "finished": "classified",
    "running": "classified", "ok": "classified", "fin": "classified", "cl": "classified",
    "dnf": "DNF", "ret": "DNF", "retired": "DNF", "ab": "DNF", "abandon": "DNF",
    "dns": "DNS", "did not start": "DNS", "np": "DNS",
    "dsq": "DSQ", "dq": "DSQ", "disqualified": "DSQ", "exc": "DSQ", "excluded": "DSQ",
    "nc": "NC", "not classified": "NC",
}  # fmt: skip

_ASCII_INT = re.compile(r"^[0-9]{1,9}$")
_TIME = re.compile(r"^\+?(?:(?:(\d{1,2}):)?(\d{1,2}):)?(\d{1,5})(?:[.,](\d{1,3}))?$")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace(".", " ").replace("_", " ").replace("°", "")
    return " ".join(text.split())


def meaning_of(header: str) -> str | None:
    key = fold(header)
    return _MEANING.get(key) or _MEANING.get(key.replace(" ", ""))


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of an export, keyed by meaning, with how the file was read."""

    separator: str  # "comma", "semicolon", …
    columns: tuple[tuple[str, str | None], ...]  # (header as written, meaning or None)
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line number, {meaning: cell})

    def has(self, meaning: str) -> bool:
        return any(m == meaning for _, m in self.columns)

    def describe(self) -> str:
        used = [f"{h[:20]} → {m}" for h, m in self.columns if m]
        unused = [h[:20] for h, m in self.columns if not m and h]
        text = f"{self.separator}-separated; " + ", ".join(used)
        return text + (f"; not used: {', '.join(unused)}" if unused else "")


def decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportProblem("the file is not UTF-8 text (save it as CSV UTF-8)") from None


def _header_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def _score(header_line: str, separator: str) -> int:
    cells = next(csv.reader([header_line], delimiter=separator), [])
    return sum(1 for c in cells if meaning_of(c))


def sniff_separator(text: str) -> str:
    """The separator the header row uses: the sniffer's guess when it reads the header
    names best, otherwise the candidate that recognises the most of them."""
    header = _header_line(text)
    best = max(SEPARATORS, key=lambda sep: (_score(header, sep), header.count(sep)))
    try:
        guess = csv.Sniffer().sniff(header, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        return best
    return guess if _score(header, guess) >= _score(header, best) else best


def read_table(text: str, max_rows: int) -> Table:
    separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = next(reader, [])
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)  # type: ignore[arg-type]
        if not header:
            raise ExportProblem("the file is empty")
        columns = tuple((h.strip(), meaning_of(h)) for h in header)
        meanings = [m for _, m in columns if m]
        doubled = sorted({m for m in meanings if meanings.count(m) > 1})
        if doubled:
            raise ExportProblem(
                f"line {reader.line_num}: more than one column means {', '.join(doubled)}"
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= max_rows:
                raise ExportProblem(f"line {line}: more than {max_rows} rows")
            long = next((c for c in cells if len(c) > MAX_FIELD), None)
            if long is not None:
                raise ExportProblem(
                    f"line {line}: a cell of {len(long):,} characters (at most {MAX_FIELD})"
                )
            row = {
                meaning: cell.strip()
                for (_, meaning), cell in zip(columns, cells, strict=False)
                if meaning
            }
            rows.append((line, row))
    except csv.Error as exc:
        what = (
            f"a cell far longer than {MAX_FIELD} characters"
            if "field limit" in str(exc)
            else f"the file cannot be read as CSV ({exc})"
        )
        raise ExportProblem(f"line {reader.line_num}: {what}") from None
    return Table(SEPARATORS[separator], columns, tuple(rows))


def whole_number(text: str, name: str, low: int, high: int) -> int | None:
    """An ASCII whole number in [low, high], or None for an empty cell."""
    if not text:
        return None
    if not _ASCII_INT.match(text) or not low <= int(text) <= high:
        raise ExportProblem(
            f"{name} must be a whole number from {low} to {high}, got {text[:20]!r}"
        )
    return int(text)


def duration_ms(text: str, name: str, high_ms: int) -> int:
    """A time as timing exports write it: ``SS.mmm``, ``M:SS.mmm``, ``H:MM:SS.mmm`` (``,`` as
    decimal mark too), ``+`` allowed. Minutes and seconds below 60 when a larger unit is given;
    above zero and at most ``high_ms``."""
    m = _TIME.match(text.strip())
    if not m:
        raise ExportProblem(
            f"{name}: not a time: {text[:20]!r} (use M:SS.mmm, H:MM:SS.mmm or +S.mmm)"
        )
    hours_text, minutes_text, secs_text, frac = m.groups()
    hours = int(hours_text or 0)
    minutes = int(minutes_text or 0)
    seconds = int(secs_text)
    if (minutes_text is not None and seconds >= 60) or (hours_text is not None and minutes >= 60):
        raise ExportProblem(f"{name}: {text[:20]!r} is not a time (minutes and seconds go to 59)")
    ms = ((hours * 60 + minutes) * 60 + seconds) * 1000 + int((frac or "0").ljust(3, "0"))
    if ms <= 0:
        raise ExportProblem(f"{name}: {text[:20]!r} is not a time (it must be above zero)")
    if ms > high_ms:
        raise ExportProblem(
            f"{name}: {text[:20]!r} is longer than {high_ms // 3_600_000} h, which no "
            f"{'lap' if high_ms <= MAX_LAP_MS else 'race'} takes"
        )
    return ms


def race_time_ms(text: str) -> int:
    """A total race time, as an admin types it (``/result set``)."""
    return duration_ms(text, "time", MAX_RACE_MS)
