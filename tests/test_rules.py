"""Scoring rules a season can state, one by one, on fictional seasons; and their validation."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain.models import Championship, Eligibility, Others, RankBasis, TieBreak
from bot.domain.rules_text import describe_rules
from bot.errors import SeasonFileError
from bot.storage.seasonfiles import load_season_folder
from tests.factories import SCALE, make_season, set_results
from tests.helpers import standings_of
from tests.replay import DATA, replay


def _one_race(guests: int = 0):
    season = make_season(rounds=1, races_per_round=1, entries=6, guests=guests)
    # Entry 6 (a guest when guests=1) wins; the others follow in id order.
    rows = [(6, 1, 1_000_000)] + [(e, e + 1, 1_000_000 + e * 1000) for e in range(1, 6)]
    season = set_results(season, 1, rows)
    sessions = tuple(
        replace(s, pole_entry_id=None, fastest_lap_entry_id=None) for s in season.sessions
    )
    return replace(
        season,
        sessions=sessions,
        scoring=replace(season.scoring, pole_bonus=0, fastest_lap_bonus=0),
    )


def _points(season, slug="drivers"):
    return {r.key: r.points for r in standings_of(season, slug).rows}


def test_guests_skipped_give_their_place_to_the_next_driver() -> None:
    season = _one_race(guests=1)
    assert _points(season)[1] == SCALE[0]  # entry 1 was 2nd on the road, scores the win


def test_guests_that_block_keep_their_place() -> None:
    season = _one_race(guests=1)
    champs = tuple(
        replace(c, others=Others.BLOCK) if c.slug == "drivers" else c for c in season.championships
    )
    points = _points(replace(season, championships=champs))
    assert points[1] == SCALE[1]  # 2nd on the road, 2nd's points: nobody moves up
    assert 6 not in points  # the guest scores nothing


def test_class_championship_on_its_own_scale_or_by_overall_position() -> None:
    season = _one_race()
    own = Championship(
        "am-own", "Am", rank=RankBasis.CLASS, eligible=Eligibility(klass="Am"), scale=(3, 2, 1)
    )
    overall = Championship(
        "am-overall", "Am", eligible=Eligibility(klass="Am"), others=Others.BLOCK
    )
    season = replace(season, championships=(*season.championships, own, overall))
    am = [e for e in season.entries if e.klass == "Am"]  # entries 3 and 6
    assert [e.id for e in am] == [3, 6]
    assert _points(season, "am-own") == {6: 3, 3: 2}  # 1st and 2nd of the class, own scale
    # Overall: 6 won the race, 3 was 4th on the road.
    assert _points(season, "am-overall") == {6: SCALE[0], 3: SCALE[3]}


def test_latest_best_result_breaks_a_tie() -> None:
    season = make_season(rounds=2, races_per_round=1, entries=4, pole_bonus=0, fastest_lap_bonus=0)
    season = set_results(season, 1, [(1, 1, 1000), (2, 2, 2000), (3, 3, 3000), (4, 4, 4000)])
    season = set_results(season, 2, [(2, 1, 1000), (1, 2, 2000), (3, 3, 3000), (4, 4, 4000)])
    countback = standings_of(season, "drivers")
    assert countback.rows[0].shared and countback.rows[1].shared  # same wins, same 2nds
    latest = replace(season, scoring=replace(season.scoring, tie_break=TieBreak.LATEST))
    table = standings_of(latest, "drivers")
    assert [r.key for r in table.rows[:2]] == [2, 1]  # 2 won most recently
    assert not table.rows[0].shared
    assert "most recently" in table.tie_break


def test_drop_worst_shows_the_dropped_results() -> None:
    season = make_season(rounds=3, races_per_round=1, entries=4, pole_bonus=0, fastest_lap_bonus=0)
    champs = tuple(
        replace(c, drop_worst=1) if c.slug == "drivers" else c for c in season.championships
    )
    table = standings_of(replace(season, championships=champs), "drivers")
    for row in table.rows:
        assert len(row.dropped) == 1
    assert standings_of(replace(season, championships=champs), "drivers", 1).rows[0].dropped == ()


def _copy(tmp_path: Path, name: str = "f1-2021") -> Path:
    folder = tmp_path / name
    shutil.copytree(DATA / name, folder)
    return folder


def test_a_sprint_race_without_its_scale_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "season.toml"
    toml.write_text(
        toml.read_text().replace(
            "[scoring.kinds.sprint]\nscale = [3, 2, 1]\ncountback = false\n", ""
        )
    )
    line = next(
        i
        for i, t in enumerate((folder / "sessions.csv").read_text().splitlines(), 1)
        if "sprint" in t
    )
    with pytest.raises(
        SeasonFileError, match=rf"sessions.csv:{line}: scoring 'sprint' is not a kind"
    ):
        load_season_folder(folder)


def test_a_reduced_race_needs_the_reduced_rule(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "season.toml"
    toml.write_text(
        toml.read_text().replace('[scoring.reduced]\nfraction = "1/2"\nbelow_share = "75%"\n', "")
    )
    with pytest.raises(
        SeasonFileError, match=r"sessions.csv:\d+: a reduced race needs \[scoring.reduced\]"
    ):
        load_season_folder(folder)


def test_a_bad_rule_names_its_season_toml_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "season.toml"
    text = toml.read_text().replace('fraction = "1/2"', 'fraction = "3/2"')
    toml.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("fraction"))
    with pytest.raises(SeasonFileError, match=rf"season.toml:{line}: scoring.reduced.fraction"):
        load_season_folder(folder)
    toml.write_text(
        text.replace('fraction = "3/2"', 'fraction = "1/2"').replace(
            '[[championships]]\nslug = "drivers"',
            '[[championships]]\nslug = "drivers"\nbest_results = 0',
        )
    )
    with pytest.raises(
        SeasonFileError, match=r"season.toml:\d+: championship drivers: best_results"
    ):
        load_season_folder(folder)


def test_an_exclusion_must_name_an_entry(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "f1-1997")
    toml = folder / "season.toml"
    toml.write_text(toml.read_text().replace('name = "Michael Schumacher"', 'name = "Nobody"'))
    with pytest.raises(SeasonFileError, match=r"excluded driver 'Nobody' is not in entries\.csv"):
        load_season_folder(folder)


def test_rules_in_plain_words() -> None:
    text = [t.format(**p) for t, p in describe_rules(load_season_folder(DATA / "f1-1988").season)]
    assert "Races score 9-6-4-3-2-1 for places 1 to 6." in text
    assert "Only the best 11 results count; the others are shown as dropped." in text
    text = [t.format(**p) for t, p in describe_rules(load_season_folder(DATA / "f1-2021").season)]
    assert "A sprint race scores 3-2-1 for places 1 to 3." in text
    assert any("top 10" in t for t in text) and any("1/2" in t for t in text)


def test_title_counts_a_sprint_left_at_its_own_scale() -> None:
    from bot.domain.title import title_outlook

    season = load_season_folder(DATA / "f1-2021").season
    table = replay(season)["drivers"][18]
    left = [s for s in season.races if s.round_number > 18]
    kinds = [s.scoring for s in left]
    assert kinds == ["sprint", None, None, None, None]
    out = title_outlook(table, season.scoring, True, len(left), kinds=kinds)
    assert out.max_available == 3 + 4 * (25 + 1)
    assert [c.name for c in out.contenders[:2]] == ["Max Verstappen", "Lewis Hamilton"]


def test_the_footer_says_the_season_s_tie_break() -> None:
    from bot.rendering.fan.common import tie_break_text
    from bot.services.championship import SeasonView

    view = SeasonView(load_season_folder(DATA / "f1-1997").season)
    assert "down to 6th (count-back)" in tie_break_text(view, "en")
    assert "jusqu'à la 6e place" in tie_break_text(view, "fr")
    season = replace(view.season, scoring=replace(view.season.scoring, tie_break=TieBreak.LATEST))
    assert "most recently" in tie_break_text(SeasonView(season), "en")


def test_every_rule_sentence_has_its_french() -> None:
    from bot.i18n import FRENCH

    season = make_season()
    champs = (
        replace(season.championships[0], others=Others.BLOCK, scale=(3, 2, 1), drop_worst=1),
        replace(season.championships[1], best_results=3),
        *season.championships[2:],
    )
    scoring = replace(season.scoring, tie_break=TieBreak.LATEST, fastest_lap_top=None, pole_bonus=1)
    seasons = [load_season_folder(DATA / n).season for n in ("f1-1988", "f1-1997", "f1-2021")]
    seasons.append(replace(season, championships=champs, scoring=scoring))
    templates = {t for s in seasons for t, _ in describe_rules(s)}
    assert len(templates) >= 18
    assert sorted(t for t in templates if t not in FRENCH) == []


def test_a_car_classified_but_not_running_scores_only_if_the_rules_say_so() -> None:
    season = _one_race()
    results = tuple(
        replace(r, running=False) if r.entry_id == 1 else r for r in season.results
    )  # entry 1: 2nd, classified but stopped before the flag
    season = replace(season, results=results)
    assert _points(season)[1] == SCALE[1]  # scores by position (the default, as in F1)
    strict = replace(season, scoring=replace(season.scoring, not_running_scores=False))
    points = _points(strict)
    assert points[1] == 0  # keeps its place, scores nothing
    assert points[2] == SCALE[2]  # nobody moves up
    text = [t for t, _ in describe_rules(strict)]
    assert (
        "A car classified but not running at the flag scores nothing (it keeps its place)." in text
    )
