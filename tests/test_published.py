"""bot.domain.published called directly: lower bounds are not ranks; published facts lead."""

from __future__ import annotations

from bot.domain.models import (
    Championship,
    Eligibility,
    Entry,
    Outcome,
    RankBasis,
    SeasonFact,
    StandingsNote,
)
from bot.domain.published import (
    ClassRecord,
    Count,
    KnownTotal,
    class_records,
    known_points,
    latest_notes,
    outcome_of,
    season_count,
)
from bot.domain.standings import RaceScore, Standings, StandingsRow
from bot.domain.stats import Record

DRIVERS = Championship("drivers", "Drivers")
PRO_AM = Championship("pro-am", "Pro-Am", rank=RankBasis.CLASS, eligible=Eligibility("Pro-Am"))


def row(key: int, name: str, points: int, exact: bool) -> StandingsRow:
    return StandingsRow(1, key, name, None, None, points, exact, 0, (), 0, 0, 0 if exact else 1)


def table(*rows: StandingsRow) -> Standings:
    return Standings(DRIVERS, 6, None, rows, 11, 0, 5, True)


def test_known_points_list_scorers_by_name_and_count_the_rest():
    known = known_points(
        table(row(1, "Bravo", 30, False), row(2, "Alpha", 30, False), row(3, "Charlie", 0, False))
    )
    assert [(k.name, k.points) for k in known.rows] == [("Alpha", 30), ("Bravo", 30)]
    assert known.others == 1


def test_a_fully_known_total_is_kept_even_at_zero():
    known = known_points(table(row(1, "Alpha", 0, True)))
    assert known.rows[0].exact and known.others == 0


def test_latest_notes_are_the_last_published_round_up_to_the_one_asked():
    notes = [
        StandingsNote("drivers", 3, None, "A led"),
        StandingsNote("drivers", 5, None, "B led by 2"),
        StandingsNote("drivers", 5, "R1", "B took the lead"),
        StandingsNote("rookie", 4, None, "C led"),
    ]
    assert latest_notes(notes, "drivers", 4) == (3, [notes[0]])
    assert latest_notes(notes, "drivers", 6)[1] == notes[1:3]
    assert latest_notes(notes, "drivers", 2) == (None, [])


def test_a_published_season_count_raises_the_known_one_as_at_least():
    fact = SeasonFact("Perrot", "podiums", 2, None, "two overall podiums")
    count = season_count(0, False, [fact], "Perrot", "podiums")
    assert (count.value, count.at_least, count.published) == (2, True, fact)
    assert season_count(2, False, [fact], "Perrot", "podiums").at_least is False
    # A class count is not an overall one.
    assert season_count(0, False, [fact], "Perrot", "podiums", "pro-am").value == 0
    # Known races beyond a published count: the known count stands.
    assert season_count(3, True, [fact], "Perrot", "podiums").value == 3


def test_class_records_count_class_ranks_only_in_championships_the_driver_belongs_to():
    entry = Entry(1, 7, "Boullery", None, None, klass="Pro-Am")
    scores = {
        "pro-am": [
            [RaceScore(1, 7, 1, 25, True, True)],
            [RaceScore(2, 7, 4, 14, True, True)],
            [RaceScore(3, 7, None, 0, False, None)],
        ]
    }
    records = class_records(entry, (DRIVERS, PRO_AM), scores)
    assert [(r.championship.slug, r.record.wins, r.record.podiums) for r in records] == [
        ("pro-am", 1, 1)
    ]
    assert class_records(Entry(2, 8, "Pro", None, None, klass="Pro"), (DRIVERS, PRO_AM), {}) == []


def test_known_points_carry_the_driver_and_are_listed_by_surname_never_by_points():
    # Lower bounds are not a ranking: the list must not read as one (Bravo has more known
    # points than Alpha, and is still listed after her), down to one point.
    known = known_points(
        table(
            StandingsRow(1, 12, "Zoe Bravo", 8, None, 30, False, 0, (), 0, 0, 1),
            StandingsRow(2, 11, "Yann Alpha", 7, None, 1, False, 0, (), 0, 0, 1),
        )
    )
    assert known.rows == (
        KnownTotal(11, "Yann Alpha", 7, 1, False),
        KnownTotal(12, "Zoe Bravo", 8, 30, False),
    )
    assert known.others == 0


def test_latest_notes_include_the_round_asked():
    notes = [StandingsNote("drivers", 3, None, "A led"), StandingsNote("drivers", 5, None, "B led")]
    assert latest_notes(notes, "drivers", 5) == (5, [notes[1]])


def test_outcome_of_is_this_championship_s_outcome_for_this_driver():
    outcomes = [
        Outcome("drivers", 1, "Alpha"),
        Outcome("pro-am", 1, "Bravo"),
        Outcome("drivers", 2, "Bravo"),
    ]
    assert outcome_of(outcomes, "drivers", "Bravo") == outcomes[2]
    assert outcome_of(outcomes, "pro-am", "Bravo") == outcomes[1]
    assert outcome_of(outcomes, "pro-am", "Alpha") is None


def test_class_records_count_a_3rd_place_as_a_podium_and_a_race_without_the_driver_as_none():
    entry = Entry(1, 7, "Boullery", None, None, klass="Pro-Am")
    scores = {
        "pro-am": [
            [RaceScore(1, 7, 3, 15, True, True)],
            [RaceScore(2, 8, 1, 25, True, True)],  # the driver has no score in race 2
            [RaceScore(3, 7, 2, 18, True, True)],
        ]
    }
    records = class_records(entry, (DRIVERS, PRO_AM), scores)
    assert records == [ClassRecord(PRO_AM, Record(0, 2, 0))]
    # A class championship with no race scored yet: nothing known.
    assert class_records(entry, (DRIVERS, PRO_AM), {}) == [ClassRecord(PRO_AM, Record(0, 0, 0))]
    assert class_records(entry, (), {}) == []


def test_a_count_from_an_incomplete_record_is_at_least_and_from_a_complete_one_exact():
    assert season_count(2, False, [], "Perrot", "wins") == Count(2, True, None)
    assert season_count(2, True, [], "Perrot", "wins") == Count(2, False, None)


def test_known_team_points_are_listed_by_the_team_s_whole_name():
    # A team's last word is no surname: "Martinet by Alméras" was listed first (by "Alméras").
    teams = Championship("teams", "Teams", kind="teams", points_from="drivers")
    known = known_points(
        Standings(
            teams,
            6,
            None,
            (
                row(1, "Martinet by Alméras", 156, False),
                row(2, "Forestier Racing CLRT", 320, False),
            ),
            11,
            0,
            5,
            True,
        )
    )
    assert [k.name for k in known.rows] == ["Forestier Racing CLRT", "Martinet by Alméras"]
