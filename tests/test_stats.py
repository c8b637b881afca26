"""Championship statistics (bot.domain.stats) called directly on fictional races."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.classification import classify_race
from bot.domain.models import (
    Certainty,
    Championship,
    Eligibility,
    Entry,
    PenaltyType,
    RankBasis,
    Result,
    ScoringRules,
    Session,
    SessionKind,
    Status,
)
from bot.domain.standings import score_race
from bot.domain.stats import (
    PointsLeft,
    Record,
    class_winners,
    driver_record,
    head_to_head,
    points_available,
    series_place,
    standing_of,
    tally,
)
from tests.factories import penalty, standings_row, standings_table

A = Entry(1, 1, "Alpha", None, None, klass="Pro")
B = Entry(2, 2, "Bravo", None, None, klass="Pro-Am")
C = Entry(3, 3, "Charlie", None, None, klass="Pro-Am")
GUEST = Entry(4, 4, "Guest", None, None, guest=True)
ENTRIES = {e.id: e for e in (A, B, C, GUEST)}


def race(
    sid: int,
    order: list[int],
    *,
    grid: list[int] | None = None,
    pole: int | None = None,
    shared: str | None = None,
    series: dict[int, int] | None = None,
    pens=(),
):
    session = Session(
        sid, sid, "R1", SessionKind.RACE, complete=True, pole_entry_id=pole, shared_with=shared
    )
    results = [
        Result(
            sid,
            e,
            flag_position=p,
            laps=20,
            time_ms=1_000_000 + 1000 * p,
            status=Status.CLASSIFIED,
            grid=(grid.index(e) + 1) if grid else None,
            series_position=(series or {}).get(e),
        )
        for p, e in enumerate(order, start=1)
    ]
    return session, classify_race(session, results, pens, ENTRIES)


def test_series_place_is_the_road_place_unless_the_race_is_shared():
    s, cls = race(1, [4, 1, 2, 3])
    assert series_place(cls.row(1), s) == 2
    s, cls = race(2, [4, 1, 2, 3], shared="Other", series={1: 1, 2: 2, 3: 3})
    assert series_place(cls.row(1), s) == 1  # the guest ahead does not count
    assert series_place(cls.row(4), s) is None
    assert series_place(None, s) is None


def test_driver_record_counts_series_wins_podiums_and_poles():
    races = [
        race(1, [1, 2, 3, 4], pole=1),
        race(2, [4, 1, 2, 3], shared="Other", series={1: 1, 2: 2, 3: 3}, pole=4),
        race(3, [2, 3, 4, 1], pole=2),
    ]
    rec = driver_record(A, races)
    assert (rec.wins, rec.podiums, rec.poles) == (2, 2, 1)
    rec = driver_record(C, races)
    assert (rec.wins, rec.podiums, rec.poles) == (0, 3, 0)


def test_driver_record_skips_rounds_the_entry_did_not_enter():
    races = [race(1, [1, 2, 3, 4], pole=1), race(2, [1, 2, 3, 4], pole=1)]
    part_timer = replace(A, rounds=frozenset({2}))
    assert driver_record(part_timer, races).wins == 1


def test_head_to_head_tallies_places_grids_and_active_penalties():
    revoked = penalty(2, 2, 2, PenaltyType.REPRIMAND, revoked_at="x")
    races = [
        race(1, [1, 2, 3, 4], grid=[2, 1, 3, 4]),
        race(2, [2, 1, 3, 4]),
        race(3, [2, 3, 1, 4], grid=[2, 1, 3, 4]),
    ]
    pens = [penalty(1, 1, 1, PenaltyType.REPRIMAND), revoked]
    h = head_to_head(A, B, races, pens)
    assert h.races_both == 3 and h.finished_ahead == (1, 2)
    assert h.grids_both == 2 and h.started_ahead == (0, 2)
    assert h.records[0].wins == 1 and h.records[1].wins == 2
    assert h.penalties == (1, 0)


def test_class_winners_skip_the_overall_and_team_championships():
    champs = (
        Championship("drivers", "Drivers"),
        Championship(
            "pro-am", "Pro-Am", rank=RankBasis.CLASS, eligible=Eligibility(klass="Pro-Am")
        ),
        Championship("teams", "Teams", kind="teams", points_from="drivers"),
    )
    rules = ScoringRules((25, 18, 15))
    _s, cls = race(1, [1, 3, 2, 4])
    scores = {c.slug: score_race(rules, c, cls) for c in champs if not c.is_teams}
    winners = class_winners(champs, scores)
    assert [w.championship.slug for w in winners] == ["pro-am"]
    assert winners[0].key == 3


def test_class_winner_unknown_when_no_one_or_several_are_first():
    champs = (Championship("drivers", "Drivers"), Championship("am", "Am"))
    assert class_winners(champs, {})[0].key is None


def test_points_available_counts_bonuses_only_where_the_championship_does():
    rules = ScoringRules((25, 18), pole_bonus=1, fastest_lap_bonus=1)
    assert points_available(rules, True, 3).total == 81
    assert points_available(rules, False, 3).per_race == 25
    assert points_available(rules, False, 0).total == 0


def test_tally_is_most_first():
    assert tally(["b", "a", "b"]) == [("b", 2), ("a", 1)]


def _inferred_at(cls_race, entry_id: int):
    """The race with ``entry_id``'s result marked inferred."""
    session, cls = cls_race
    results = [
        replace(r.result, certainty=Certainty.INFERRED) if r.entry.id == entry_id else r.result
        for r in cls.rows
    ]
    return session, classify_race(session, results, (), ENTRIES)


def test_driver_record_is_inferred_only_when_a_counted_podium_is():
    known = [race(1, [1, 2, 3, 4], pole=1), race(2, [1, 2, 3, 4], pole=1)]
    assert driver_record(A, known) == Record(wins=2, podiums=2, poles=2, inferred=False)
    assert driver_record(A, [known[0], _inferred_at(known[1], 1)]).inferred is True
    assert driver_record(A, [_inferred_at(known[0], 1), known[1]]).inferred is True
    # An inferred 4th place is not a podium: nothing counted is inferred.
    assert driver_record(GUEST, [_inferred_at(known[0], 4)]).inferred is False


def test_head_to_head_counts_only_races_where_both_have_a_place():
    out = [replace(r, status=Status.DNF) if r.entry_id == 1 else r for r in _results(1)]
    session = Session(1, 1, "R1", SessionKind.RACE, complete=True)
    dnf = (session, classify_race(session, out, (), ENTRIES))
    absent = race(2, [2, 3, 4])  # A did not start
    h = head_to_head(A, B, [dnf, absent, race(3, [1, 2, 3, 4])], [])
    assert (h.races_both, h.finished_ahead) == (1, (1, 0))
    assert h.inferred is False


def test_head_to_head_counts_only_grids_where_both_are_known():
    one_grid = race(1, [1, 2, 3, 4], grid=[1, 2, 3, 4])
    session, cls = one_grid
    results = [replace(r.result, grid=None) if r.entry.id == 2 else r.result for r in cls.rows]
    half = (session, classify_race(session, results, (), ENTRIES))
    h = head_to_head(A, B, [half, race(2, [2, 1, 3, 4], grid=[1, 2, 3, 4])], [])
    assert (h.grids_both, h.started_ahead) == (1, (1, 0))


def test_head_to_head_is_inferred_when_either_counted_place_or_grid_is():
    no_grid = race(1, [1, 2, 3, 4])
    for who in (1, 2):  # a place only
        assert head_to_head(A, B, [_inferred_at(no_grid, who)], []).inferred is True
    assert head_to_head(A, B, [_inferred_at(no_grid, 3)], []).inferred is False
    assert head_to_head(A, B, [], []).inferred is False  # nothing in common: nothing inferred
    base = race(1, [1, 2, 3, 4], grid=[2, 1, 3, 4])
    # A grid counted with an inferred row, where the places are not both known.
    session, cls = base
    out = [
        replace(r.result, status=Status.DNF, certainty=Certainty.INFERRED)
        if r.entry.id == 1
        else r.result
        for r in cls.rows
    ]
    grid_only = (session, classify_race(session, out, (), ENTRIES))
    h = head_to_head(A, B, [grid_only], [])
    assert (h.races_both, h.grids_both, h.inferred) == (0, 1, True)
    h = head_to_head(B, A, [grid_only], [])
    assert (h.races_both, h.grids_both, h.inferred) == (0, 1, True)


def test_head_to_head_counts_each_driver_s_active_penalties():
    pens = [
        penalty(1, 1, 1, PenaltyType.REPRIMAND),
        penalty(2, 1, 2, PenaltyType.TIME, 5),
        penalty(3, 1, 2, PenaltyType.REPRIMAND),
    ]
    assert head_to_head(A, B, [race(1, [1, 2, 3, 4])], pens).penalties == (1, 2)


def test_no_championships_no_class_winners():
    assert class_winners((), {}) == []


def test_points_available_race_by_race_of_each_kind():
    sprint = ScoringRules((8, 7, 6), fastest_lap_bonus=1)
    rules = ScoringRules((25, 18), pole_bonus=1, fastest_lap_bonus=2, kinds=(("sprint", sprint),))
    assert points_available(rules, True, 3) == PointsLeft(3, 28, 84)
    assert points_available(rules, True, 3, ["sprint", None, None]) == PointsLeft(3, 28, 9 + 56)
    assert points_available(rules, False, 2, ["sprint", None]) == PointsLeft(2, 25, 8 + 25)


def test_standing_of_finds_the_driver_s_row_or_none():
    table = standings_table(standings_row(3, 40), standings_row(5, 30))
    assert standing_of(table, 5) == table.rows[1]
    assert standing_of(table, 4) is None


def _results(sid: int) -> list[Result]:
    return [r.result for r in race(sid, [1, 2, 3, 4])[1].rows]


def test_points_available_count_the_qualifying_points_only_where_a_race_carries_them():
    rules = ScoringRules((25, 18), qualifying_scale=(3, 2, 1))
    both = points_available(rules, True, 2, [None, None])
    assert both == PointsLeft(2, 28, 2 * (25 + 3))
    once = points_available(rules, True, 2, [None, None], [True, False])
    assert once == PointsLeft(2, 28, 25 + 3 + 25)
