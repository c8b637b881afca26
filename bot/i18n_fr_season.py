"""French for the season-running commands (seasons, rounds, sessions, poles, imports)."""

from __future__ import annotations

SEASON_FRENCH: dict[str, str] = {
    "File read as": "Fichier lu comme",
}

SEASON_NAMES: dict[str, str] = {}
