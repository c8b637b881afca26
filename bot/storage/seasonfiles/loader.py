"""Read a season folder (TOML + CSV, see docs/data-format.md) into a validated ``Season``.

Ids in the returned season are provisional (1, 2, ... per kind); the seeder maps them to
database ids. Each file has its own reader (``rules``, ``tables``); what needs several files
at once is checked here after they are read. Every problem stops the load with
``file:line: problem``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bot.domain.models import Season
from bot.errors import SeasonFileError
from bot.storage.seasonfiles.nominations import check_nominations
from bot.storage.seasonfiles.published import (
    read_outcomes,
    read_season_facts,
    read_standings_notes,
)
from bot.storage.seasonfiles.racefiles import read_penalties, read_results, read_timed
from bot.storage.seasonfiles.rules import SeasonMeta, read_season_toml, season_toml_error
from bot.storage.seasonfiles.tables import Lookup, read_entries, read_rounds, read_sessions


@dataclass(frozen=True, slots=True)
class LoadedSeason:
    season: Season
    folder: Path
    content_hash: str


def load_season_folder(folder: Path) -> LoadedSeason:
    folder = Path(folder)
    meta = read_season_toml(folder / "season.toml")
    rounds = read_rounds(folder / "rounds.csv")
    round_numbers = {x.number for x in rounds}
    sessions = read_sessions(
        folder / "sessions.csv",
        round_numbers,
        {name for name, _ in meta.scoring.kinds},
        meta.scoring.reduced_fraction is not None,
    )
    entries = read_entries(folder / "entries.csv", round_numbers, sessions)
    look = Lookup(sessions, entries)
    read_timed(folder / "poles.csv", look, pole=True)
    if (folder / "fastest_laps.csv").exists():
        read_timed(folder / "fastest_laps.csv", look, pole=False)
    results = read_results(folder / "results.csv", look)
    optional = folder / "penalties.csv"
    penalties = read_penalties(optional, look) if optional.exists() else []
    slugs = {c.slug for c in meta.championships}
    optional = folder / "outcomes.csv"
    outcomes = read_outcomes(optional, slugs) if optional.exists() else []
    optional = folder / "standings_notes.csv"
    notes = read_standings_notes(optional, slugs, round_numbers, look) if optional.exists() else []
    optional = folder / "season_facts.csv"
    facts = read_season_facts(optional, slugs, look) if optional.exists() else []
    season = Season(
        id=1,
        series_slug=meta.series_slug,
        series_name=meta.series_name,
        year=meta.year,
        name=meta.name,
        status=meta.status,
        scoring=meta.scoring,
        championships=meta.championships,
        rounds=tuple(rounds),
        sessions=tuple(look.sessions.values()),
        entries=tuple(entries),
        results=tuple(results),
        penalties=tuple(penalties),
        outcomes=tuple(outcomes),
        standings_notes=tuple(notes),
        notes=meta.notes,
        source=meta.source,
        facts=tuple(facts),
    )
    check_across_files(folder, meta, season)
    return LoadedSeason(season=season, folder=folder, content_hash=_hash_folder(folder))


def check_across_files(folder: Path, meta: SeasonMeta, season: Season) -> None:
    """Rules in season.toml that name things the CSV files must hold."""
    check_nominations(season, partial(season_toml_error, folder / "season.toml"))
    drivers = {e.driver.casefold() for e in season.entries}
    teams = {e.team.casefold() for e in season.entries if e.team}
    for c in meta.championships:
        known = teams if c.is_teams else drivers
        covered = sum(races for races, _ in c.best_per_part)
        if c.best_per_part and covered != len(season.races):
            raise SeasonFileError(
                folder / "season.toml",
                _line_of(folder / "season.toml", "best_per_part"),
                f"championship {c.slug}: best_per_part covers {covered} races, "
                f"but the season has {len(season.races)}",
            )
        for x in c.exclusions:
            if x.name.casefold() not in known:
                what = "team" if c.is_teams else "driver"
                raise SeasonFileError(
                    folder / "season.toml",
                    None,
                    f"championship {c.slug}: excluded {what} {x.name!r} is not in entries.csv",
                )
            if x.from_round > season.last_round:
                raise SeasonFileError(
                    folder / "season.toml",
                    None,
                    f"championship {c.slug}: exclusion of {x.name} from round {x.from_round}, "
                    f"but the season has {season.last_round} rounds",
                )


def _line_of(path: Path, key: str) -> int | None:
    """The first line of ``path`` that sets ``key``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
            return number
    return None


def _hash_folder(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix in (".csv", ".toml"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def season_folders(root: Path) -> list[Path]:
    """Every folder under ``root`` that holds a season.toml, sorted by name."""
    if (root / "season.toml").exists():
        return [root]
    return sorted(p.parent for p in root.glob("*/season.toml"))
