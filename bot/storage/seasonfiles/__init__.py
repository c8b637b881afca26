"""Season folders (season.toml + CSV files) read into a validated ``Season``."""

from bot.storage.seasonfiles.cells import format_duration_ms, parse_duration_ms
from bot.storage.seasonfiles.loader import LoadedSeason, load_season_folder, season_folders

__all__ = [
    "LoadedSeason",
    "format_duration_ms",
    "load_season_folder",
    "parse_duration_ms",
    "season_folders",
]
