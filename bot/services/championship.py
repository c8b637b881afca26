"""Use cases of the fan commands: everything derived from a season, computed once.

A :class:`SeasonView` holds a season's classifications, race scores and standings; fan
commands read it without touching the database. An admin change rebuilds the view of that
season from the database after its transaction commits (:meth:`ChampionshipService.reload`).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from bot.domain.classification import RaceClassification, classify_race
from bot.domain.models import (
    Championship,
    Entry,
    Outcome,
    Penalty,
    QualifyingPlace,
    Result,
    Round,
    Season,
    Session,
    StandingsNote,
)
from bot.domain.standings import RaceScore, Standings, compute_standings_series, score_race
from bot.errors import NotFound
from bot.storage import repository
from bot.storage.database import Database
from bot.storage.repository import SeasonRef


@dataclass(frozen=True, slots=True)
class RaceView:
    round: Round
    session: Session
    classification: RaceClassification
    penalties: tuple[Penalty, ...]

    @property
    def label(self) -> str:
        return race_label(self.round, self.session)


def race_label(rnd: Round, session: Session) -> str:
    return f"{short_circuit(rnd)} — race {session.number}"


def short_circuit(rnd: Round) -> str:
    """A short display name: 'Monza', 'Paul Ricard', 'Red Bull Ring'."""
    spaced = rnd.slug.replace("-", " ").title()
    hyphenated = rnd.slug.title()
    return hyphenated if hyphenated.lower() in rnd.circuit.lower() else spaced


class SeasonView:
    """A season and everything derived from it. Immutable once built."""

    def __init__(
        self,
        season: Season,
        *,
        base: SeasonView | None = None,
        changed: frozenset[int] | None = None,
    ) -> None:
        """``base`` and ``changed``: a view of the same season before a change that touched
        only the races in ``changed``; every other race's classification and scores are
        reused from it instead of being worked out again."""
        self.season = season
        self.entries: dict[int, Entry] = {e.id: e for e in season.entries}
        self.rounds: dict[int, Round] = {r.number: r for r in season.rounds}
        results: dict[int, list[Result]] = defaultdict(list)
        for r in season.results:
            results[r.session_id].append(r)
        self.penalties_by_session: dict[int, list[Penalty]] = defaultdict(list)
        for p in season.penalties:
            self.penalties_by_session[p.session_id].append(p)
        qualifying: dict[int, list[QualifyingPlace]] = defaultdict(list)
        for q in season.qualifying:
            qualifying[q.session_id].append(q)
        self.sessions: dict[int, Session] = {s.id: s for s in season.sessions}
        self.races: tuple[Session, ...] = season.races
        reusable = (
            base is not None
            and changed is not None
            and base.season.entries is season.entries
            and base.season.scoring is season.scoring
            and base.season.championships is season.championships
        )

        def reuse(s: Session) -> bool:
            return (
                reusable
                and base is not None
                and changed is not None
                and s.id not in changed
                and base.sessions.get(s.id) is s
            )

        self.classifications: dict[int, RaceClassification] = {}
        self._scores: dict[tuple[str, int], list[RaceScore]] = {}
        for s in self.races:
            if reuse(s) and base is not None:
                self.classifications[s.id] = base.classifications[s.id]
                continue
            self.classifications[s.id] = classify_race(
                s,
                results.get(s.id, ()),
                self.penalties_by_session.get(s.id, ()),
                self.entries,
                qualifying.get(s.id, ()),
            )
        for champ in season.championships:
            if champ.is_teams:
                continue
            for s in self.races:
                key = (champ.slug, s.id)
                if reuse(s) and base is not None and key in base._scores:
                    self._scores[key] = base._scores[key]
                else:
                    self._scores[key] = score_race(
                        season.scoring, champ, self.classifications[s.id]
                    )
        self._standings: dict[tuple[str, int], Standings] = {}
        # Answers worked out from this view (rendered replies), kept as long as the view is.
        self.memo: dict[tuple[object, ...], object] = {}

    # -- lookups ----------------------------------------------------------------------------
    def race(self, round_number: int, number: int) -> RaceView | None:
        for s in self.races:
            if s.round_number == round_number and s.number == number:
                return RaceView(
                    self.rounds[round_number],
                    s,
                    self.classifications[s.id],
                    tuple(self.penalties_by_session.get(s.id, ())),
                )
        return None

    @property
    def last_run_round(self) -> int:
        """The last round with a result (a season under way is ranked after it); the last
        round of a season with no result at all."""
        run = [s.round_number for s in self.races if self.classifications[s.id].rows]
        return max(run, default=self.season.last_round)

    @property
    def counted(self) -> dict[int, RaceClassification]:
        """The races standings count: a season under way leaves out the races after its last
        result or pole that have neither yet (still to run, not unknown); a final season
        counts all."""
        if self.season.status == "final":
            return self.classifications

        def begun(s: Session) -> bool:
            return bool(self.classifications[s.id].rows) or s.pole_entry_id is not None

        last = max((i for i, s in enumerate(self.races) if begun(s)), default=-1)
        return {s.id: self.classifications[s.id] for i, s in enumerate(self.races) if i <= last}

    def races_left(self, table: Standings) -> list[Session]:
        """The races a table does not count yet (the rest of its round, if it is under way)."""
        return [s for s in self.races if s.id not in table.races]

    def races_of_round(self, round_number: int) -> list[Session]:
        return [s for s in self.races if s.round_number == round_number]

    def entries_by_driver(self, driver_id: int) -> Entry:
        return next(e for e in self.season.entries if e.driver_id == driver_id)

    def race_views(self) -> list[RaceView]:
        return [
            RaceView(
                self.rounds[s.round_number],
                s,
                self.classifications[s.id],
                tuple(self.penalties_by_session.get(s.id, ())),
            )
            for s in self.races
        ]

    def standings(self, slug: str, after_round: int | None = None) -> Standings:
        champ = self.season.championship(slug)
        if champ is None:
            raise NotFound(
                "There is no {slug} championship.",
                tuple(c.slug for c in self.championships),
                slug=slug,
            )
        last = self.season.last_round
        upto = self.last_run_round if after_round is None else max(0, min(after_round, last))
        cached = self._standings.get((slug, upto))
        if cached is None:
            # Every round at once: one pass over the races instead of one per round.
            series = compute_standings_series(
                self.season, champ, self.counted, race_scores=self._scores
            )
            for rnd, table in series.items():
                self._standings[(slug, rnd)] = table
            cached = self._standings[(slug, upto)]
        return cached

    def progression(
        self, slug: str, driver_ids: list[int]
    ) -> tuple[list[str], list[tuple[str, list[float], bool]]]:
        """Cumulative points race by race for these drivers (a drivers' championship)."""
        labels = [race_label(self.rounds[s.round_number], s) for s in self.races]
        names = {e.driver_id: e.driver for e in self.season.entries}
        out: list[tuple[str, list[float], bool]] = []
        for driver_id in driver_ids:
            total: float = 0
            exact, points = True, []
            for s in self.races:
                score = next((x for x in self.scores(slug, s.id) if x.key == driver_id), None)
                if score is not None:
                    total += score.points
                    exact = exact and score.exact
                points.append(total)
            out.append((names.get(driver_id, "?"), points, exact))
        return labels, out

    def scores(self, slug: str, session_id: int) -> list[RaceScore]:
        return self._scores.get((slug, session_id), [])

    @property
    def championships(self) -> tuple[Championship, ...]:
        return self.season.championships

    def outcomes(self, slug: str) -> list[Outcome]:
        return [o for o in self.season.outcomes if o.championship == slug]

    def standings_notes(self, slug: str, after_round: int) -> list[StandingsNote]:
        return [
            n
            for n in self.season.standings_notes
            if n.championship == slug and n.after_round == after_round
        ]

    def penalties(self) -> list[tuple[RaceView | None, Session, Penalty]]:
        """Every penalty, newest first (by session date, then id)."""
        out: list[tuple[RaceView | None, Session, Penalty]] = []
        for p in self.season.penalties:
            session = self.sessions[p.session_id]
            view = self.race(session.round_number, session.number) if session.number else None
            out.append((view, session, p))
        out.sort(key=lambda t: (t[1].round_number, t[1].number, t[2].id), reverse=True)
        return out


async def build_view(read: repository.SeasonRows) -> SeasonView:
    """A season's view from its rows, with every standings table worked out, built in a
    worker thread.

    Tens of milliseconds of models, classification and standings for a long season (turning
    the rows into models alone held the loop 5-9 ms): on the event loop they would hold every
    other answer back (issue 13: no interaction holds the loop more than 5 ms). The view is
    only read once built, so building it elsewhere is safe.
    """
    return await asyncio.to_thread(_complete_view, read)


def _complete_view(read: repository.SeasonRows) -> SeasonView:
    season = repository.season_from_rows(read)
    view = SeasonView(season)
    for champ in season.championships:
        view.standings(champ.slug)  # every round's table, in one pass
    return view


class ChampionshipService:
    """Season views: the latest season built at start, others on first use, a few kept.

    Views are derived once and kept until a change to their season replaces them, so a fan's
    question never waits on the database; a history of hundreds of seasons stays small in
    memory because only the latest and the most recently asked-about are kept.
    """

    def __init__(self, db: Database, *, keep: int = 16) -> None:
        self.db = db
        self.keep = keep
        self._refs: list[SeasonRef] = []
        self._latest_id: int | None = None
        self._views: OrderedDict[int, SeasonView] = OrderedDict()
        self._loading: dict[int, asyncio.Task[SeasonView]] = {}
        self.refs_version = 0  # bumped whenever the list of seasons is read again
        self._epoch = 0  # bumped by every install: a build started before one is not kept
        self._generation = db.foreign_generation  # the other processes' writes seen so far

    async def load(self) -> None:
        self._generation = self.db.foreign_generation
        self._refs = await repository.list_seasons(self.db)
        self.refs_version += 1
        self._views.clear()
        self._latest_id = _fans_default(self._refs)
        if self._latest_id is not None:
            await self.get(self._latest_id)

    async def get(self, season_id: int) -> SeasonView:
        """The view of one season, built from the database the first time it is asked for."""
        view = self._views.get(season_id)
        if view is not None:
            self._views.move_to_end(season_id)
            return view
        task = self._loading.get(season_id)
        if task is None:  # one load per season, however many ask at once
            task = asyncio.ensure_future(self._build(season_id))
            self._loading[season_id] = task
        try:
            return await asyncio.shield(task)
        finally:
            self._loading.pop(season_id, None)

    async def _build(self, season_id: int) -> SeasonView:
        epoch = self._epoch
        # One read transaction on the reader connection: committed rows only, one state.
        async with self.db.snapshot() as reader:
            read = await repository.read_season(reader, season_id)
        view = await build_view(read)
        if epoch == self._epoch:  # a change installed meanwhile is newer than what we read
            self._keep(view)
        return view

    def install(self, view: SeasonView) -> None:
        """Make ``view`` the one readers get for its season (an atomic swap), after the
        transaction that wrote it committed."""
        self._epoch += 1
        self._keep(view)

    @property
    def stale(self) -> bool:
        """Another process has written since the views were built."""
        return self.db.foreign_generation != self._generation

    async def refresh_if_stale(self) -> bool:
        """Reload the views when another process has committed since they were built (cheap
        when it has not: one ``PRAGMA data_version``). True when they were reloaded."""
        generation = await self.db.check_foreign_changes()
        if generation == self._generation:
            return False
        refs = await repository.list_seasons(self.db)
        latest_id = _fans_default(refs)
        self._epoch += 1
        latest: SeasonView | None = None
        if latest_id is not None:
            async with self.db.snapshot() as reader:
                read = await repository.read_season(reader, latest_id)
            latest = await build_view(read)
        # Swap everything at once: readers keep the old views until the new ones are ready.
        self._refs, self._latest_id = refs, latest_id
        self.refs_version += 1
        self._views = OrderedDict()
        if latest is not None:
            self._views[latest.season.id] = latest
        self._generation = generation
        return True

    def _keep(self, view: SeasonView) -> None:
        self._views[view.season.id] = view
        self._views.move_to_end(view.season.id)
        while len(self._views) > max(1, self.keep):
            oldest = next(iter(self._views))
            if oldest == self._latest_id:
                self._views.move_to_end(oldest)
                oldest = next(iter(self._views))
            self._views.pop(oldest)

    async def reload(self, season_id: int) -> SeasonView:
        """Rebuild one season's view from the database after a committed change."""
        self._refs = await repository.list_seasons(self.db)
        self.refs_version += 1
        # Build first, then swap: readers keep the old view until the new one is in place
        # (popping it first left a window in which the latest season had no view at all).
        async with self.db.snapshot() as reader:  # committed rows only, one state
            read = await repository.read_season(reader, season_id)
        view = await build_view(read)
        self._latest_id = _fans_default(self._refs)
        self.install(view)
        if self._latest_id is not None and self._latest_id not in self._views:
            await self.get(self._latest_id)
        return view

    @property
    def seasons(self) -> list[SeasonRef]:
        return list(self._refs)

    async def newest(self) -> SeasonView:
        """The newest season, rounds or not: where an admin builds the next season."""
        if not self._refs:
            raise NotFound("The database holds no season yet.")
        return await self.get(max(self._refs, key=lambda r: (r.year, r.id)).id)

    def latest(self) -> SeasonView:
        if self._latest_id is None:
            raise NotFound("The database holds no season yet.")
        return self._views[self._latest_id]


def _fans_default(refs: list[SeasonRef]) -> int | None:
    """Fans' default season: the newest one with a round on its calendar (a season being set
    up stays out of their way until then)."""
    if not refs:
        return None
    with_rounds = [r for r in refs if r.rounds] or refs
    return max(with_rounds, key=lambda r: (r.year, r.id)).id
