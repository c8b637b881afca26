"""A kind of race whose places count neither in the count-back nor as wins (F1's sprints since
2021): the tables, the title maths, the season file and the rules in words.

Where a tie is decided, the driver the rule favours has the later name, so the name order (the
sort's last resort) would give the other answer.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain.models import ScoringRules, Season, TieBreak
from bot.domain.rules_text import describe_rules
from bot.domain.stats import driver_record
from bot.domain.title import title_outlook
from bot.errors import SeasonFileError
from bot.storage.seasonfiles import load_season_folder
from tests.factories import raced, standings_row, standings_table
from tests.helpers import standings_of
from tests.replay import DATA, classify_all, replay

NOT_COUNTED = "The places of a sprint race count neither in the count-back nor as wins."


def sprint_first(*, counts: bool) -> Season:
    """Two rounds of one race; the first is a sprint (same scale). Driver 1 wins the sprint
    and is 2nd in the feature race, driver 2 the other way round: level on points, one win
    and one 2nd place each."""
    season = raced([1, 2, 3, 4], [2, 1, 3, 4], entries=4)
    sprint = replace(season.scoring, kinds=(), in_countback=counts)
    sessions = tuple(
        replace(s, scoring="sprint") if s.id == season.races[0].id else s for s in season.sessions
    )
    return replace(
        season, sessions=sessions, scoring=replace(season.scoring, kinds=(("sprint", sprint),))
    )


def test_a_sprint_s_places_count_in_the_count_back_unless_the_rules_say_not() -> None:
    counted = standings_of(sprint_first(counts=True), "drivers")
    assert [(r.key, r.position, r.wins) for r in counted.rows[:2]] == [(1, 1, 1), (2, 1, 1)]
    table = standings_of(sprint_first(counts=False), "drivers")
    one, two = table.rows[:2]
    assert one.points == two.points
    # Only the feature race's places: driver 2's win beats driver 1's 2nd place.
    assert [(r.key, r.position, r.wins) for r in (one, two)] == [(2, 1, 1), (1, 2, 0)]
    assert two.countback[:2] == (0, 1)


@pytest.mark.parametrize("all_cars", [False, True])
def test_the_teams_count_back_leaves_the_sprint_out_too(all_cars: bool) -> None:
    season = sprint_first(counts=False)
    # Driver 1 alone in Team 1, driver 2 alone in Team 2; cars 3 and 4 in Team 3.
    entries = tuple(
        replace(e, team=f"Team {min(e.id, 3)}", team_id=min(e.id, 3)) for e in season.entries
    )
    champs = tuple(
        replace(c, countback_all_cars=all_cars) if c.is_teams else c for c in season.championships
    )
    teams = standings_of(replace(season, entries=entries, championships=champs), "teams")
    assert teams.rows[1].points == teams.rows[2].points
    assert [(r.name, r.position) for r in teams.rows] == [
        ("Team 3", 1),
        ("Team 2", 2),
        ("Team 1", 3),
    ]


# -- the title maths --------------------------------------------------------------------------
OR_BETTER = "{leader} is champion if he finishes {place} or better, whatever {rival} does"
OUT_MUST_FINISH = "if {leader} is outside the points, {rival} must finish {need} or better"
PAIR = {"leader": "Testdriver 01", "rival": "Testdriver 02"}
SHORT = ScoringRules((10, 6, 4))
SPRINT_NOT_COUNTED = replace(
    SHORT, kinds=(("sprint", ScoringRules((6, 4, 2), in_countback=False)),)
)


def test_a_rival_who_can_only_tie_in_a_sprint_that_does_not_count_is_out() -> None:
    # Leader 20 (a win, a 2nd, a 3rd), rival 14 (a win, a 3rd); a sprint paying 6 is left.
    # Winning it brings the rival level; counted, the win would put him ahead.
    table = standings_table(
        standings_row(1, 20, {1: 1, 2: 1, 3: 1}), standings_row(2, 14, {1: 1, 3: 1})
    )
    counted = replace(SHORT, kinds=(("sprint", ScoringRules((6, 4, 2))),))
    assert [
        c.key for c in title_outlook(table, counted, False, 1, kinds=["sprint"]).contenders
    ] == [
        1,
        2,
    ]
    out = title_outlook(table, SPRINT_NOT_COUNTED, False, 1, kinds=["sprint"])
    assert [c.key for c in out.contenders] == [1] and out.clinched
    # A feature race still to come counts: one win is enough for a tie he takes.
    out = title_outlook(table, SPRINT_NOT_COUNTED, False, 2, kinds=["sprint", None])
    assert [c.key for c in out.contenders] == [1, 2]


def test_the_last_race_being_a_sprint_keeps_the_season_s_tie_break() -> None:
    # The sprint's own rules say nothing of ties; the season's "latest best result" decides.
    # Leader 20 (two wins), rival 16 (a win, achieved last, and a 2nd). One sprint left
    # (6-4-2): leader outside the points and the rival 2nd makes 20 all, both best results a
    # win, the rival's the more recent.
    rules = replace(SHORT, tie_break=TieBreak.LATEST, kinds=(("sprint", ScoringRules((6, 4, 2))),))
    lead = replace(standings_row(1, 20, {1: 2}), best_rank=1, best_at=3)
    rival = replace(standings_row(2, 16, {1: 1, 2: 1}), best_rank=1, best_at=4)
    out = title_outlook(standings_table(lead, rival), rules, False, 1, kinds=["sprint"])
    template, values = out.conditions[0][-1]
    assert (template, values["need"]) == (
        "if {leader} is outside the points, {rival} must finish {need} or better",
        2,
    )
    # Under count-back the rival's 2nd does not do it (two wins to one): he must win.
    cb = replace(rules, tie_break=TieBreak.COUNTBACK)
    out = title_outlook(standings_table(lead, rival), cb, False, 1, kinds=["sprint"])
    assert out.conditions[0][-1][0] == "if {leader} is outside the points, {rival} must win"


def test_latest_best_result_with_only_an_uncounted_sprint_left_stands_as_it_is() -> None:
    rules = replace(
        SPRINT_NOT_COUNTED,
        tie_break=TieBreak.LATEST,
    )
    lead = replace(standings_row(1, 20, {1: 2}), best_rank=1, best_at=3)
    later = replace(standings_row(2, 14, {1: 1}), best_rank=1, best_at=4)
    earlier = replace(standings_row(3, 14, {1: 1}), best_rank=1, best_at=2, position=3)
    out = title_outlook(standings_table(lead, later, earlier), rules, False, 1, kinds=["sprint"])
    assert [c.key for c in out.contenders] == [1, 2]
    assert [c.key for c in out.eliminated] == [3]


# -- the season file and the rules in words ---------------------------------------------------
def _copy(tmp_path: Path, name: str = "f1-2023") -> Path:
    import shutil

    folder = tmp_path / name
    shutil.copytree(DATA / name, folder)
    return folder


def test_the_season_file_states_it_per_kind_and_says_so_in_words() -> None:
    season = load_season_folder(DATA / "f1-2023").season
    assert season.scoring.in_countback
    assert not season.scoring.for_kind("sprint").in_countback
    text = [t.format(**p) for t, p in describe_rules(season)]
    assert NOT_COUNTED in text
    plain = [t.format(**p) for t, p in describe_rules(load_season_folder(DATA / "f1-1988").season)]
    assert NOT_COUNTED not in plain


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            lambda t: t.replace("[scoring]\n", "[scoring]\ncountback = false\n", 1),
            r"season.toml:\d+: scoring.countback is for a kind of race",
        ),
        (
            lambda t: t.replace("countback = false", 'countback = "no"'),
            r"season.toml:\d+: scoring.kinds.sprint.countback must be true or false",
        ),
    ],
)
def test_a_misplaced_or_bad_countback_flag_names_its_line(
    tmp_path: Path, edit: object, problem: str
) -> None:
    folder = _copy(tmp_path)
    toml = folder / "season.toml"
    toml.write_text(edit(toml.read_text()))  # type: ignore[operator]
    with pytest.raises(SeasonFileError, match=problem):
        load_season_folder(folder)


def test_a_driver_s_wins_and_podiums_leave_out_the_sprints() -> None:
    # Verstappen, 2023: 19 Grand Prix wins and 21 podiums in 22 races (and sprint wins).
    season = load_season_folder(DATA / "f1-2023").season
    classified = classify_all(season)
    races = [(s, classified[s.id]) for s in season.races]
    entry = next(e for e in season.entries if e.driver == "Max Verstappen")
    record = driver_record(entry, races, season.scoring)
    assert (record.wins, record.podiums) == (19, 21)
    assert driver_record(entry, races).wins > 19  # the sprints counted as well
    table = replay(season)["drivers"][22]
    assert table.rows[0].wins == 19


def test_only_the_races_left_that_count_can_add_wins() -> None:
    # Leader 30 (two wins, a 2nd, a 3rd), rival 14 (a win, a 3rd); a sprint (6) and a
    # feature race (10) left: 30 all at best. Only the feature race's win counts: two wins
    # each, and the leader's 2nd place decides. Were both wins counted, the rival would be in.
    table = standings_table(
        standings_row(1, 30, {1: 2, 2: 1, 3: 1}), standings_row(2, 14, {1: 1, 3: 1})
    )
    out = title_outlook(table, SPRINT_NOT_COUNTED, False, 2, kinds=["sprint", None])
    assert [c.key for c in out.contenders] == [1]
    counted = replace(SHORT, kinds=(("sprint", ScoringRules((6, 4, 2))),))
    out = title_outlook(table, counted, False, 2, kinds=["sprint", None])
    assert [c.key for c in out.contenders] == [1, 2]


def test_a_last_sprint_that_does_not_count_leaves_the_count_back_as_it_is() -> None:
    # Leader 20 (two wins), rival 16 (a win, a 2nd); one sprint (6-4-2) left. Leader 3rd
    # (22) and the rival's win (22): counted, the rival's 2nd win and 2nd place would beat
    # the leader's 3rd; not counted, two wins beat one and the leader keeps it.
    table = standings_table(standings_row(1, 20, {1: 2}), standings_row(2, 16, {1: 1, 2: 1}))
    out = title_outlook(table, SPRINT_NOT_COUNTED, False, 1, kinds=["sprint"])
    assert out.conditions[0][0] == (OR_BETTER, {**PAIR, "place": 3})
    counted = replace(SHORT, kinds=(("sprint", ScoringRules((6, 4, 2))),))
    out = title_outlook(table, counted, False, 1, kinds=["sprint"])
    assert out.conditions[0][0] == (OR_BETTER, {**PAIR, "place": 2})


def test_latest_best_result_and_a_last_sprint_that_does_not_count() -> None:
    rules = replace(SPRINT_NOT_COUNTED, tie_break=TieBreak.LATEST)
    # Both best results a win; the rival's the more recent: a tie on points is his.
    lead = replace(standings_row(1, 20, {1: 2}), best_rank=1, best_at=3)
    rival = replace(standings_row(2, 16, {1: 1, 2: 1}), best_rank=1, best_at=4)
    out = title_outlook(standings_table(lead, rival), rules, False, 1, kinds=["sprint"])
    assert out.conditions[0][-1][0] == OUT_MUST_FINISH
    assert out.conditions[0][-1][1]["need"] == 2
    # Neither has a finish (points from elsewhere): a tie on points is not the rival's.
    lead, rival = standings_row(1, 20), standings_row(2, 16)
    out = title_outlook(standings_table(lead, rival), rules, False, 1, kinds=["sprint"])
    assert out.conditions[0][-1][0] == "if {leader} is outside the points, {rival} must win"
    lead, rival = standings_row(1, 20), standings_row(2, 14)
    out = title_outlook(standings_table(lead, rival), rules, False, 1, kinds=["sprint"])
    assert [c.key for c in out.contenders] == [1]
