"""Real seasons replayed round by round: the engine's tables against the published ones.

Points are computed from positions and the season's rules (tests/data/f1-*/season.toml);
``expected.csv`` holds the published standings after every round (F1DB, CC BY 4.0). Each
season states the rules it needs; a round that the engine does not reproduce is listed
with its first difference, so a change that fixes or breaks one shows here.
"""

from __future__ import annotations

import pytest

from bot.storage.seasonfiles import load_season_folder
from tests.replay import DATA, first_difference, published, replay

# season -> rounds whose published table differs, with the first difference.
#
# The two left are tie orders that no rule of the results reproduces together with the other
# rounds (checked: count-back to place 6, 10 or every place, with or without sprints, best
# result then earliest or latest, the previous table's order):
# - 2021 after round 10: Mazepin and Latifi on 0. Both have one 14th (Baku; Silverstone);
#   Latifi also has a 15th (Monaco), so the FIA count-back ("and so on until a winner
#   emerges") puts Latifi ahead. The published order is the one before the British GP's own
#   result (after the sprint); every other table of the season counts every result.
# - 1997 after round 7: Larini and Nakano on 1 with the same places 1-6 (one 6th each).
#   Published: Larini ahead after round 7, the place shared after rounds 8, 9 and 10, though
#   Larini did not race and Nakano only retired (7 laps) at round 8. A rule giving Larini the
#   place at 7 (his 11th against Nakano's 14th) keeps it at 8; sharing at 8 shares at 7.
KNOWN: dict[str, dict[tuple[str, int], str]] = {
    "f1-1988": {},  # best 11 results of 16 (dropped scores); count-back on places 1-6
    "f1-2018": {},  # Force India's entry withdrawn after round 12, a new identity from 13
    # sprint 3-2-1, fastest lap point from a top-10 finish, half points at Spa
    "f1-2021": {
        ("drivers", 10): "Nikita Mazepin: published P19 0, ours P20 0",
    },
    # Schumacher excluded from the drivers' table after round 17 (his places block);
    # count-back on places 1-6 (every place: rounds 2-5, 8-10 and 15-17 differ instead)
    "f1-1997": {
        ("drivers", 7): "Shinji Nakano: published P16 1, ours P15 1",
    },
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_replay_every_round(name: str) -> None:
    folder = DATA / name
    season = load_season_folder(folder).season
    tables = replay(season)
    expected = published(folder)
    assert {r.number for r in season.rounds} == {rnd for _, rnd in expected}
    differences = {
        key: diff
        for key, rows in sorted(expected.items())
        if (diff := first_difference(tables[key[0]][key[1]], rows)) is not None
    }
    assert differences == KNOWN[name]


def test_half_points_and_sprint_scale_2021() -> None:
    season = load_season_folder(DATA / "f1-2021").season
    tables = replay(season)
    spa = {r.name: r.points for r in tables["drivers"][12].rows}
    before = {r.name: r.points for r in tables["drivers"][11].rows}
    assert spa["Max Verstappen"] - before["Max Verstappen"] == 12.5  # half of 25
    silverstone = {r.name: r.points for r in tables["drivers"][10].rows}
    before = {r.name: r.points for r in tables["drivers"][9].rows}
    assert silverstone["Max Verstappen"] - before["Max Verstappen"] == 3  # sprint win, GP out
    # Baku: Verstappen set the fastest lap but was classified 18th: no point for it.
    baku = {r.name: r.points for r in tables["drivers"][6].rows}
    before = {r.name: r.points for r in tables["drivers"][5].rows}
    assert baku["Max Verstappen"] == before["Max Verstappen"]


def test_dropped_scores_1988_shown() -> None:
    season = load_season_folder(DATA / "f1-1988").season
    final = replay(season)["drivers"][16]
    prost = next(r for r in final.rows if r.name == "Alain Prost")
    assert prost.points == 87
    assert sum(p for _, p in prost.dropped) == 105 - 87
    senna = next(r for r in final.rows if r.name == "Ayrton Senna")
    assert (final.rows[0].name, senna.points, len(senna.dropped)) == ("Ayrton Senna", 90, 5)


def test_exclusions_1997_and_2018() -> None:
    d97 = replay(load_season_folder(DATA / "f1-1997").season)["drivers"]
    assert [r.name for r in d97[17].excluded] == ["Michael Schumacher"]
    assert d97[17].rows[0].name == "Jacques Villeneuve"
    assert not d97[16].excluded
    t18 = replay(load_season_folder(DATA / "f1-2018").season)["teams"]
    assert "Sahara Force India" in {r.name for r in t18[12].rows}
    assert [r.name for r in t18[13].excluded] == ["Sahara Force India"]
