"""The season views: built on first use, a bounded number kept, nothing else holding them."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from bot.services import seeding
from bot.services.championship import ChampionshipService, SeasonView
from bot.services.lookup import Lookup
from bot.storage import repository
from tests.factories import make_season
from tests.helpers import SEASONS_DIR, classified, standings_of


async def test_evicted_season_views_are_freed(tmp_path: Path):
    db, _ = await seeding.open_ready(tmp_path / "many.db", SEASONS_DIR)
    try:
        async with db.transaction() as tx:
            for year in range(2090, 2096):
                await repository.insert_season(tx, make_season(rounds=1, year=year), "x")
        service = ChampionshipService(db, keep=2)
        await service.load()
        lookup = Lookup(service)
        refs: list[weakref.ref[object]] = []
        for year in range(2090, 2095):
            view = await lookup.season(str(year))
            lookup.index(view)  # name indexes are built and kept with the view
            refs.append(weakref.ref(view))
            del view
        gc.collect()
        alive = [r for r in refs if r() is not None]
        assert len(alive) <= 1  # keep=2: the latest season and the last one asked about
        assert service.latest().season.year == 2095
    finally:
        await db.close()


def test_a_season_view_holds_what_the_engine_computes():
    season = make_season()
    view = SeasonView(season)
    assert view.classifications == classified(season)
    for champ in season.championships:
        assert view.standings(champ.slug).rows == standings_of(season, champ.slug).rows


async def test_a_seasons_rows_become_models_off_the_event_loop(
    service: ChampionshipService, monkeypatch
):
    """Turning a season's rows into models held the loop 5-9 ms on a long season's first
    visit (benchmarks/looplag.py): it is done in the worker thread that builds the view."""
    import threading

    threads: list[threading.Thread] = []
    real = repository.season_from_rows

    def spy(read: repository.SeasonRows) -> object:
        threads.append(threading.current_thread())
        return real(read)

    monkeypatch.setattr(repository, "season_from_rows", spy)
    season_id = service.latest().season.id
    await service.reload(season_id)
    assert threads and threading.main_thread() not in threads
