"""Points of one race and their totals (bot.domain.standings): ranks, bonuses, deductions,
unknowns."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.classification import RaceClassification, classify_race
from bot.domain.models import (
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
from bot.domain.standings import (
    RaceScore,
    as_points,
    compute_standings,
    compute_standings_series,
    score_race,
)
from tests.factories import make_season, penalty, with_orders
from tests.helpers import classified, standings_of

RULES = ScoringRules((10, 6, 4), pole_bonus=1, fastest_lap_bonus=2)
DRIVERS = Championship("drivers", "Drivers", bonuses=True)
PLAIN = Championship("drivers", "Drivers")
AM = Championship("am", "Am", rank=RankBasis.CLASS, eligible=Eligibility(klass="Am"))
ROOKIE = Championship("rookie", "Rookie", rank=RankBasis.ROOKIE, eligible=Eligibility(rookie=True))

# Driver ids are ten times the entry ids, so a score's key is seen to be the driver's.
A = Entry(1, 10, "Alpha", 1, "Team 1", klass="Pro", rookie=False)
B = Entry(2, 20, "Bravo", 1, "Team 1", klass="Am", rookie=True)
C = Entry(3, 30, "Charlie", 2, "Team 2", klass="Am", rookie=False)
D = Entry(4, 40, "Delta", 2, "Team 2", klass="Am", rookie=True)
E = Entry(5, 50, "Echo", 3, "Team 3", klass=None, rookie=None)  # class and rookie unknown
ENTRIES = {e.id: e for e in (A, B, C, D)}


def race(complete: bool = True, **kw: object) -> Session:
    return Session(7, 1, "R1", SessionKind.RACE, complete=complete, **kw)  # type: ignore[arg-type]


def done(entry_id: int, place: int, **kw: object) -> Result:
    """A finisher of a complete race (20 laps, 1 s apart)."""
    return Result(7, entry_id, flag_position=place, laps=20, time_ms=1_000_000 + place, **kw)  # type: ignore[arg-type]


def known(entry_id: int, position: int | None, **kw: object) -> Result:
    """A car of a partial record: its published position (None: not published)."""
    return Result(7, entry_id, position=position, **kw)  # type: ignore[arg-type]


def classify(
    session: Session, results: list[Result], entries=ENTRIES, pens=()
) -> RaceClassification:
    return classify_race(session, results, pens, entries)


def by_key(scores: list[RaceScore]) -> dict[int, RaceScore]:
    return {s.key: s for s in scores}


def test_a_complete_race_scores_every_admitted_car():
    # C wins, A 2nd, B 3rd; D did not start. Pole A, fastest lap C.
    session = race(pole_entry_id=1, fastest_lap_entry_id=3)
    cls = classify(session, [done(3, 1), done(1, 2), done(2, 3)])
    assert score_race(RULES, DRIVERS, cls) == [
        RaceScore(7, 10, 2, 6 + 1, True, True, 1),
        RaceScore(7, 20, 3, 4, True, True, 2),
        RaceScore(7, 30, 1, 10 + 2, True, True, 3),
        RaceScore(7, 40, None, 0, True, False, 4),  # absent from a complete record: absent
    ]


def test_bonuses_count_only_where_the_championship_counts_them():
    session = race(pole_entry_id=1, fastest_lap_entry_id=1)
    cls = classify(session, [done(3, 1), done(1, 2), done(2, 3)])
    assert by_key(score_race(RULES, DRIVERS, cls))[10].points == 6 + 1 + 2
    assert by_key(score_race(RULES, PLAIN, cls))[10].points == 6


def test_a_bonus_worth_nothing_does_not_stop_the_other():
    rules = replace(RULES, pole_bonus=0)
    session = race(pole_entry_id=None, fastest_lap_entry_id=2)
    cls = classify(session, [done(3, 1), done(1, 2), done(2, 3)])
    scores = by_key(score_race(rules, DRIVERS, cls))
    # No pole bonus: its unknown holder makes nothing unknown. The fastest lap counts.
    assert scores[20] == RaceScore(7, 20, 3, 4 + 2, True, True, 2)
    assert all(s.exact for s in scores.values())


def test_an_unknown_bonus_holder_makes_every_total_a_lower_bound():
    session = race(pole_entry_id=None, fastest_lap_entry_id=3)
    cls = classify(session, [done(3, 1), done(1, 2), done(2, 3)])
    scores = by_key(score_race(RULES, DRIVERS, cls))
    assert [scores[k].exact for k in (10, 20, 30, 40)] == [False] * 4
    assert scores[30].points == 12  # the known part
    assert all(s.exact for s in score_race(RULES, PLAIN, cls))


def test_a_car_out_of_the_race_scores_nothing_but_took_part():
    cls = classify(race(), [done(3, 1), done(1, 2), replace(done(2, 3), status=Status.DNF)])
    assert by_key(score_race(RULES, PLAIN, cls))[20] == RaceScore(7, 20, None, 0, True, True, 2)


def test_class_points_go_by_place_among_the_class():
    # A (Pro) wins, then D, C, B (all Am): D is the Am winner.
    cls = classify(race(), [done(1, 1), done(4, 2), done(3, 3), done(2, 4)])
    assert score_race(RULES, AM, cls) == [
        RaceScore(7, 20, 3, 4, True, True, 2),
        RaceScore(7, 30, 2, 6, True, True, 3),
        RaceScore(7, 40, 1, 10, True, True, 4),
    ]
    assert [(s.key, s.rank) for s in score_race(RULES, ROOKIE, cls)] == [(20, 2), (40, 1)]


def test_a_published_class_place_wins_over_the_count():
    # The source says D was 2nd of the Am class (a car outside our entry list beat him).
    cls = classify(race(), [done(1, 1), done(4, 2, class_position=2), done(3, 3), done(2, 4)])
    scores = by_key(score_race(RULES, AM, cls))
    assert (scores[40].rank, scores[40].points) == (2, 6)
    assert (scores[30].rank, scores[30].points) == (2, 6)  # counted: the 2nd Am on the road


def test_an_unknown_class_ahead_leaves_the_class_place_unknown():
    # E (class unknown) finishes ahead of D: D might be the 1st or the 2nd Am.
    entries = {**ENTRIES, 5: E}
    cls = classify(race(), [done(5, 1), done(4, 2), done(3, 3)], entries)
    scores = by_key(score_race(RULES, AM, cls))
    assert scores[40] == RaceScore(7, 40, None, 0, False, True, 4)
    # Behind D nobody is unknown: but C's place depends on E too.
    assert scores[30].exact is False and scores[30].rank is None


def test_a_partial_record_scores_what_it_settles():
    # Published: A 1st, C 3rd; B listed without a position; D not listed at all.
    session = race(complete=False)
    cls = classify(session, [known(1, 1), known(3, 3), known(2, None)])
    assert score_race(RULES, PLAIN, cls) == [
        RaceScore(7, 10, 1, 10, True, True, 1),
        RaceScore(7, 20, None, 0, False, True, 2),  # took part, place unknown
        RaceScore(7, 30, 3, 4, True, True, 3),  # 2nd place unpublished, but B or D holds it
        RaceScore(7, 40, None, 0, False, None, 4),  # the record does not say
    ]


def test_a_published_points_place_is_used_as_given():
    session = race(complete=False)
    cls = classify(session, [known(1, 1), known(3, 3, series_position=2), known(2, 2)])
    # 2nd on the road (B) is a guest? No: the source ranks C 2nd of the points-eligible cars.
    assert by_key(score_race(RULES, PLAIN, cls))[30] == RaceScore(7, 30, 2, 6, True, True, 3)


# -- totals -------------------------------------------------------------------------------
def season_of(*orders: list[int], penalties=()):
    season = make_season(
        rounds=len(orders), races_per_round=1, entries=6, pole_bonus=0, fastest_lap_bonus=0
    )
    return replace(with_orders(season, orders), penalties=tuple(penalties))


def test_points_deductions_count_in_their_race_only_while_active():
    season = season_of(
        [1, 2, 3, 4, 5, 6],
        [2, 1, 3, 4, 5, 6],
        penalties=(
            penalty(1, 1, 1, PenaltyType.POINTS, 5),
            penalty(2, 2, 2, PenaltyType.POINTS, 3),
            penalty(3, 1, 3, PenaltyType.POINTS, 7, revoked_at="2099-05-01"),
            penalty(4, 1, 4, PenaltyType.POINTS, None),  # a deduction of unknown size
            penalty(5, 1, 5, PenaltyType.TIME, 4),  # not a deduction
        ),
    )
    after1 = {r.key: r for r in standings_of(season, "drivers", 1).rows}
    assert (after1[1].points, after1[1].deductions) == (25 - 5, 5)
    assert (after1[2].points, after1[2].deductions) == (20, 0)
    assert (after1[3].points, after1[3].deductions) == (17, 0)
    assert (after1[4].points, after1[4].deductions) == (14, 0)
    full = {r.key: r for r in standings_of(season, "drivers").rows}
    assert (full[1].points, full[1].deductions) == (25 + 20 - 5, 5)
    assert (full[2].points, full[2].deductions) == (20 + 25 - 3, 3)


def test_a_deduction_counts_only_in_championships_that_admit_the_driver():
    # Classes cycle Pro, Pro-Am, Am: 3 and 6 are Am. 3's deduction is in the drivers' and
    # the Am tables, and adds no row for him to the Pro-Am one.
    season = season_of([1, 2, 3, 4, 5, 6], penalties=(penalty(1, 1, 3, PenaltyType.POINTS, 5),))
    assert {r.key: r.points for r in standings_of(season, "am").rows} == {3: 25 - 5, 6: 20}
    assert {r.key: r.points for r in standings_of(season, "pro-am").rows} == {2: 25, 5: 20}
    assert {r.key: r.points for r in standings_of(season, "drivers").rows}[3] == 17 - 5


def test_a_deduction_for_a_driver_who_scored_nothing_shows_him():
    # 6 did not start the race (5 cars) but is docked 5 points there: he is in the table.
    season = season_of([1, 2, 3, 4, 5], penalties=(penalty(1, 1, 6, PenaltyType.POINTS, 5),))
    rows = {r.key: r for r in standings_of(season, "drivers").rows}
    assert (rows[6].points, rows[6].deductions, rows[6].name) == (-5, 5, "Testdriver 06")


def test_a_deduction_for_an_entry_not_in_the_list_is_ignored():
    season = season_of([1, 2, 3, 4, 5, 6], penalties=(penalty(1, 1, 99, PenaltyType.POINTS, 5),))
    assert (
        sum(r.points for r in standings_of(season, "drivers").rows) == 25 + 20 + 17 + 14 + 12 + 10
    )


def test_the_table_says_what_it_counted():
    season = season_of([1, 2, 3, 4, 5, 6], [2, 1, 3, 4, 5, 6], [3, 2, 1, 4, 5, 6])
    champ = season.championship("drivers")
    assert champ is not None
    cls = classified(season)
    after2 = compute_standings(season, champ, cls, 2)
    assert (after2.after_round, after2.after_race, after2.races_counted) == (2, "R1", 2)
    assert after2.races == (1, 2) and after2.races_complete == 2 and not after2.final
    assert after2.unknown_results == 0 and after2.complete
    full = compute_standings(season, champ, cls)
    assert (full.after_round, full.races_counted, full.races, full.final) == (3, 3, (1, 2, 3), True)
    # Out of range rounds are brought into the season; round 0 is the table before any race.
    assert compute_standings(season, champ, cls, 9).after_round == 3
    before = compute_standings(season, champ, cls, -1)
    assert (before.after_round, before.races_counted, before.rows, before.after_race) == (
        0,
        0,
        (),
        None,
    )
    # A provisional season's table is never final.
    assert not compute_standings(replace(season, status="provisional"), champ, cls).final


def test_standings_after_each_round_in_one_pass():
    season = season_of([1, 2, 3, 4, 5, 6], [2, 1, 3, 4, 5, 6], [3, 2, 1, 4, 5, 6])
    champ = season.championship("drivers")
    assert champ is not None
    cls = classified(season)
    series = compute_standings_series(season, champ, cls)
    assert sorted(series) == [0, 1, 2, 3]
    for rnd, table in series.items():
        assert table == compute_standings(season, champ, cls, rnd)
    some = compute_standings_series(season, champ, cls, rounds=(2, 1))
    assert sorted(some) == [1, 2] and some[2] == series[2]
    # Precomputed race scores are used as given.
    fake = {("drivers", 1): [RaceScore(1, 6, 1, 99, True, True)]}
    assert compute_standings(season, champ, cls, 1, race_scores=fake).rows[0].points == 99


def test_unknown_results_are_counted_and_make_the_table_incomplete():
    session = race(complete=False)
    cls = classify(session, [known(1, 1), known(3, 3), known(2, None)])
    season = make_season(rounds=1, races_per_round=1, entries=4, pole_bonus=0, fastest_lap_bonus=0)
    season = replace(
        season,
        entries=tuple(ENTRIES.values()),
        sessions=(replace(session, id=1),),
        results=(),
    )
    table = compute_standings(season, PLAIN, {1: replace(cls, session=replace(session, id=1))})
    rows = {r.key: r for r in table.rows}
    assert table.unknown_results == 2 and not table.complete and table.races_complete == 0
    assert rows[10].exact and rows[10].unknown_races == 0
    assert not rows[20].exact and rows[20].unknown_races == 1
    assert rows[40].points == 0 and rows[40].unknown_races == 1


# -- a bonus with a top-N condition -----------------------------------------------------------
TOP2 = replace(RULES, pole_bonus=0, fastest_lap_top=2)


def test_the_fastest_lap_scores_from_a_finish_in_the_top_n_only():
    # Top 2: from 2nd the bonus counts (the boundary), from 3rd it does not.
    for holder, place, bonus in ((1, 2, 2), (2, 3, 0), (3, 1, 2)):
        cls = classify(race(fastest_lap_entry_id=holder), [done(3, 1), done(1, 2), done(2, 3)])
        scores = by_key(score_race(TOP2, DRIVERS, cls))
        got = scores[holder * 10]
        assert (got.rank, got.points - RULES.points_for(place), got.exact) == (place, bonus, True)
        assert all(s.exact for s in scores.values())


def test_a_fastest_lap_by_a_car_out_of_the_race_scores_nothing_and_is_known():
    cls = classify(
        race(fastest_lap_entry_id=2),
        [done(3, 1), done(1, 2), replace(done(2, 3), status=Status.DNF)],
    )
    scores = by_key(score_race(TOP2, DRIVERS, cls))
    assert scores[20] == RaceScore(7, 20, None, 0, True, True, 2)


def test_a_fastest_lap_by_a_car_without_a_result_scores_nothing():
    # D holds the fastest lap but the complete record has no result for it.
    cls = classify(race(fastest_lap_entry_id=4), [done(3, 1), done(1, 2), done(2, 3)])
    scores = by_key(score_race(TOP2, DRIVERS, cls))
    assert scores[40] == RaceScore(7, 40, None, 0, True, False, 4)
    # Without a top-N condition the holder's bonus does not need a finish.
    assert by_key(score_race(replace(TOP2, fastest_lap_top=None), DRIVERS, cls))[40].points == 2


def test_a_fastest_lap_by_a_classified_car_whose_place_is_unpublished_is_unknown():
    # A partial record: B is classified, its place not published: the bonus may or may not
    # count, so B's total is a lower bound.
    session = race(complete=False, fastest_lap_entry_id=2)
    results = [known(1, 1), known(3, 2), replace(known(2, None), status=Status.CLASSIFIED)]
    scores = by_key(score_race(TOP2, DRIVERS, classify(session, results)))
    assert (scores[20].points, scores[20].exact) == (0, False)
    assert scores[10].exact and scores[30].exact


def test_a_fastest_lap_from_a_published_points_place_without_the_overall_one_is_unknown():
    # Partial record: B's points place is published (2nd), its overall place is not; whether
    # B was in the top 2 for the fastest lap is unknown, so its total is a lower bound.
    session = race(complete=False, fastest_lap_entry_id=2)
    results = [known(1, 1), replace(known(2, None, series_position=2), status=Status.CLASSIFIED)]
    got = by_key(score_race(TOP2, DRIVERS, classify(session, results)))[20]
    assert (got.rank, got.points, got.exact) == (2, 6, False)


# -- kinds of race and reduced points ---------------------------------------------------------
SPRINT = ScoringRules((3, 2, 1))
HALF = replace(
    RULES, pole_bonus=0, fastest_lap_bonus=0, kinds=(("sprint", SPRINT),), reduced_fraction=(1, 2)
)


def test_a_sprint_scores_on_its_own_scale():
    cls = classify(race(scoring="sprint"), [done(3, 1), done(1, 2), done(2, 3)])
    assert {k: s.points for k, s in by_key(score_race(HALF, PLAIN, cls)).items()} == {
        30: 3,
        10: 2,
        20: 1,
        40: 0,
    }


def test_a_reduced_race_scores_the_fraction_and_a_full_race_all_of_it():
    results = [done(3, 1), done(1, 2), done(2, 3)]
    full = by_key(score_race(HALF, PLAIN, classify(race(), results)))
    assert [full[k].points for k in (30, 10, 20)] == [10, 6, 4]
    half = by_key(score_race(HALF, PLAIN, classify(race(reduced=True), results)))
    assert [half[k].points for k in (30, 10, 20)] == [5, 3, 2]
    third = replace(HALF, reduced_fraction=(1, 3))
    got = by_key(score_race(third, PLAIN, classify(race(reduced=True), results)))
    assert [got[k].points for k in (30, 10, 20)] == [3.333333, 2, 1.333333]
    # A reduced race where the rules have no fraction scores in full.
    none = replace(HALF, reduced_fraction=None)
    got = by_key(score_race(none, PLAIN, classify(race(reduced=True), results)))
    assert [got[k].points for k in (30, 10, 20)] == [10, 6, 4]


def test_points_are_shown_whole_when_whole_and_to_six_places_otherwise():
    assert as_points(12.0) == 12 and isinstance(as_points(12.0), int)
    assert as_points(12.5) == 12.5
    assert as_points(25 / 3) == 8.333333
    assert as_points(7) == 7 and isinstance(as_points(7), int)
