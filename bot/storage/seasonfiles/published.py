"""Readers of what was published about a season: outcomes, standings facts, season counts."""

from __future__ import annotations

from pathlib import Path

from bot.domain.models import Outcome, SeasonFact, StandingsNote
from bot.storage.seasonfiles.cells import Cells, rows
from bot.storage.seasonfiles.tables import Lookup


def _championship(r: Cells, slugs: set[str]) -> str:
    champ = r.text("championship", required=True).lower()
    if champ not in slugs:
        raise r.fail(f"championship {champ!r} is not in season.toml")
    return champ


def read_outcomes(path: Path, slugs: set[str]) -> list[Outcome]:
    return [
        Outcome(
            championship=_championship(r, slugs),
            position=r.required_int("position"),
            name=r.text("name", required=True),
            margin_points=r.integer("margin_points", minimum=0),
            certainty=r.certainty(),
            note=r.text("note"),
            source=r.text("source"),
        )
        for r in rows(path, ("championship", "position", "name"))
    ]


def read_standings_notes(
    path: Path, slugs: set[str], round_numbers: set[int], look: Lookup
) -> list[StandingsNote]:
    notes: list[StandingsNote] = []
    for r in rows(path, ("championship", "after_round", "text")):
        champ = _championship(r, slugs)
        after = r.required_int("after_round", minimum=0)
        if after not in round_numbers and after != 0:
            raise r.fail(f"round {after} is not in rounds.csv")
        leader, rival = r.text("leader") or None, r.text("rival") or None
        gap = r.integer("gap_points", minimum=0)
        for named in (leader, rival):
            if named is not None and not look.knows(named):
                raise r.fail(f"unknown driver {named!r} (not in entries.csv)")
        if (rival is None) != (gap is None) or (rival is not None and leader is None):
            raise r.fail("a rival and gap_points go together, with a leader")
        notes.append(
            StandingsNote(
                championship=champ,
                after_round=after,
                after_session=r.text("after_session").upper() or None,
                text=r.text("text", required=True),
                certainty=r.certainty(),
                source=r.text("source"),
                leader=leader,
                rival=rival,
                gap_points=gap,
            )
        )
    return notes


def read_season_facts(path: Path, slugs: set[str], look: Lookup) -> list[SeasonFact]:
    """season_facts.csv: published season counts with no race attached."""
    facts: list[SeasonFact] = []
    for r in rows(path, ("driver", "what", "count", "text")):
        name = r.name("driver")
        if not look.knows(name):
            raise r.fail(f"unknown driver {name!r} (not in entries.csv)")
        what = r.text("what", required=True).lower()
        if what not in ("wins", "podiums", "poles"):
            raise r.fail(f"what must be wins, podiums or poles, got {what!r}")
        in_champ = r.text("championship").lower() or None
        if in_champ is not None and in_champ not in slugs:
            raise r.fail(f"championship {in_champ!r} is not in season.toml")
        facts.append(
            SeasonFact(
                driver=look.by_name[name.casefold()][0].driver,
                what=what,
                count=r.required_int("count", minimum=0),
                championship=in_champ,
                text=r.text("text", required=True),
                certainty=r.certainty(),
                source=r.text("source"),
            )
        )
    return facts
