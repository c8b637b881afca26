"""The seeded 2023 Porsche Carrera Cup France against the public record.

The expected facts are written here (from the reference fact base), so the project never
needs ../shared to run.
"""

from __future__ import annotations

from bot.domain.models import Certainty, PenaltyType
from bot.services.championship import ChampionshipService

# (round, race) -> (winner, pole) as published
WINNERS_AND_POLES = {
    (1, 1): ("Alessandro Ghiretti", "Marvin Klein"),
    (1, 2): ("Alessandro Ghiretti", "Alessandro Ghiretti"),
    (2, 1): ("Dorian Boccolacci", "Dorian Boccolacci"),
    (2, 2): ("Marvin Klein", "Dorian Boccolacci"),
    (3, 1): ("Dylan Pereira", "Dorian Boccolacci"),  # guest on the road; Klein first in PCCF
    (4, 1): ("Marvin Klein", "Marvin Klein"),
    (4, 2): ("Marvin Klein", "Marvin Klein"),
    (5, 1): ("Dorian Boccolacci", "Dorian Boccolacci"),
    (5, 2): ("Dorian Boccolacci", "Dorian Boccolacci"),
    (6, 1): ("Dorian Boccolacci", "Dorian Boccolacci"),
    (6, 2): ("Dorian Boccolacci", "Dorian Boccolacci"),
}

# (round, race) -> {championship: class winner} where published
CLASS_WINNERS = {
    (1, 1): {"pro-am": "Bashar Mardini", "am": "Gilles Colombani", "rookie": "Benjamin Paque"},
    (1, 2): {"pro-am": "Jérôme Boullery", "am": "Sébastien Poisson", "rookie": "Benjamin Paque"},
    (2, 1): {"pro-am": "Marc Guillot", "am": "Sébastien Poisson", "rookie": "Benjamin Paque"},
    (2, 2): {"pro-am": "Christophe Lapierre", "am": "Ludovic Loeul", "rookie": "Mathys Jaubert"},
    (3, 1): {"pro-am": "Christophe Lapierre", "am": "Ludovic Loeul", "rookie": "Mathys Jaubert"},
    (4, 1): {"pro-am": "Jérôme Boullery", "am": "Sébastien Poisson", "rookie": "Benjamin Paque"},
    (4, 2): {"pro-am": "Marc Guillot", "am": "Sébastien Poisson", "rookie": "Benjamin Paque"},
    (5, 1): {"pro-am": "Marc Guillot", "rookie": "Benjamin Paque"},
    (6, 1): {
        "pro-am": "Sébastien Dussolliet",
        "am": "Sébastien Poisson",
        "rookie": "Benjamin Paque",
    },
    (6, 2): {"pro-am": "Jérôme Boullery"},
}


def view(service: ChampionshipService):
    v = service.latest()
    assert v.season.year == 2023 and v.season.series_slug == "pccf"
    return v


def name_of(v, entry_id):
    return v.entries[entry_id].driver if entry_id else None


async def test_calendar_has_six_rounds_and_eleven_races(service):
    v = view(service)
    assert [r.slug for r in v.season.rounds] == [
        "barcelona",
        "magny-cours",
        "le-mans",
        "red-bull-ring",
        "monza",
        "paul-ricard",
    ]
    assert len(v.races) == 11
    assert [len(v.races_of_round(n)) for n in range(1, 7)] == [2, 2, 1, 2, 2, 2]
    assert str(v.rounds[1].start_date) == "2023-04-21" and str(v.rounds[6].end_date) == "2023-10-08"


async def test_every_race_winner_and_pole(service):
    v = view(service)
    for (rnd, num), (winner, pole) in WINNERS_AND_POLES.items():
        race = v.race(rnd, num)
        assert race is not None
        assert race.classification.winner is not None
        assert race.classification.winner.entry.driver == winner, (rnd, num)
        assert name_of(v, race.session.pole_entry_id) == pole, (rnd, num)


async def test_le_mans_klein_is_first_in_pccf_and_guests_score_nothing(service):
    v = view(service)
    race = v.race(3, 1)
    scores = {v.entries[e.id].driver: e for e in race.classification.field}
    drivers_scores = {s.key: s for s in v.scores("drivers", race.session.id)}
    klein = next(e for e in scores.values() if e.driver == "Marvin Klein")
    pereira = next(e for e in scores.values() if e.driver == "Dylan Pereira")
    assert pereira.guest and pereira.driver_id not in drivers_scores
    assert drivers_scores[klein.driver_id].rank == 1
    jaubert = next(e for e in scores.values() if e.driver == "Mathys Jaubert")
    assert drivers_scores[jaubert.driver_id].rank == 4  # published PCCF rank


async def test_class_winners(service):
    v = view(service)
    for (rnd, num), winners in CLASS_WINNERS.items():
        race = v.race(rnd, num)
        for slug, expected in winners.items():
            firsts = [
                v.entries_by_driver(s.key).driver
                for s in v.scores(slug, race.session.id)
                if s.rank == 1
            ]
            assert firsts == [expected], (rnd, num, slug)


async def test_monza_r1_am_winner_is_not_guessed(service):
    v = view(service)
    race = v.race(5, 1)
    assert [s for s in v.scores("am", race.session.id) if s.rank == 1] == []


async def test_penalties_keep_their_recorded_effects(service):
    v = view(service)
    pens = {
        (
            v.sessions[p.session_id].round_number,
            v.sessions[p.session_id].code,
            v.entries[p.entry_id].driver,
        ): p
        for p in v.season.penalties
    }
    assert len(pens) == 12
    klein = pens[(1, "R2", "Marvin Klein")]
    assert (
        klein.type is PenaltyType.TIME
        and klein.value == 5
        and "track limits" in klein.reason.lower()
    )
    paque = pens[(5, "R2", "Benjamin Paque")]
    assert paque.type is PenaltyType.TIME and paque.value == 5
    assert v.race(5, 2).classification.row(paque.entry_id).position == 15
    poisson = pens[(6, "R1", "Sébastien Poisson")]
    assert poisson.type is PenaltyType.TIME and poisson.value == 5
    dussolliet = pens[(6, "R1", "Sébastien Dussolliet")]
    assert dussolliet.type is PenaltyType.DSQ and not dussolliet.active  # reinstated
    assert v.race(6, 1).classification.row(dussolliet.entry_id).status.value == "classified"
    # Paque, Paul Ricard R2: 2nd at the flag, penalised, classified position unknown.
    late = pens[(6, "R2", "Benjamin Paque")]
    row = v.race(6, 2).classification.row(late.entry_id)
    assert row.flag_position == 2 and row.position is None
    for driver in ("Dorian Boccolacci", "Benjamin Paque", "Frédéric Ancel", "Ludovic Loeul"):
        assert pens[(4, "Q", driver)].type is PenaltyType.GRID


async def test_champions_and_published_margins(service):
    v = view(service)
    outcome = {(o.championship, o.position): o for o in v.season.outcomes}
    assert outcome[("drivers", 1)].name == "Dorian Boccolacci"
    assert outcome[("drivers", 1)].margin_points == 24
    assert outcome[("drivers", 2)].name == "Alessandro Ghiretti"
    assert outcome[("rookie", 1)].name == "Benjamin Paque"
    assert outcome[("rookie", 2)].name == "Mathys Jaubert"
    assert outcome[("am", 1)].name == "Sébastien Poisson"
    assert outcome[("pro-am", 1)].name == "Jérôme Boullery"
    assert outcome[("pro-am", 2)].certainty is Certainty.INFERRED
    assert "CLRT" in outcome[("teams", 1)].name


async def test_computed_2023_tables_are_never_presented_as_complete(service):
    v = view(service)
    for champ in v.championships:
        table = v.standings(champ.slug)
        assert not table.complete and table.unknown_results > 0
        assert any(not row.exact for row in table.rows)
    assert v.season.scoring.certainty is Certainty.INFERRED
    assert v.season.championship("junior") is None and "Jaubert" in (v.season.note("junior") or "")
