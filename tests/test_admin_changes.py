"""Admin change types: their inverses called directly, audit targets as stored, and the
reduced-points flag (issue 12) through the service and the real command tree."""

from __future__ import annotations

import importlib
import sqlite3
from dataclasses import replace
from pathlib import Path

import discord
import pytest

from bot.adapters.console.ask import ask
from bot.adapters.console.harness import Harness, User
from bot.domain.models import Certainty, PenaltyType, Season, Session
from bot.errors import Invalid
from bot.services.admin import Actor, AdminService
from bot.services.admin.entries import EntryRounds, plan_entry_rounds
from bot.services.admin.penalties import PenaltyAdd, PenaltyDelete, plan_penalty_add
from bot.services.admin.race_state import SessionReduced, plan_result_points
from bot.services.admin.undo import RECORDED, recorded_change
from bot.services.championship import SeasonView
from bot.storage import changes, repository
from bot.storage.changes import AuditRow, Target, parse_targets, targets_text
from tests.factories import make_season
from tests.helpers import assert_valid, bot_with_season, outcome, press, text_of

ADMIN = User(id=1_300_000_000_000_000_300, name="steward", admin=True)
FRENCH_ADMIN = User(id=1_300_000_000_000_000_301, name="commissaire", admin=True, locale="fr")
ROLE = 1_400_000_000_000_000_003
ME = Actor(1, "steward")


def halves_season():
    """A complete fictional season whose rules give half points on a reduced race (and no
    bonus, which a reduced race keeps whole)."""
    season = make_season(
        rounds=2, races_per_round=2, entries=6, seed=5, pole_bonus=0, fastest_lap_bonus=0
    )
    return replace(season, scoring=replace(season.scoring, reduced_fraction=(1, 2)))


def view_of(season) -> SeasonView:
    return SeasonView(season)


def row(action: str, targets: str, before: object, after: object, *, id: int = 7) -> AuditRow:
    return AuditRow(id, "2026-11-30T00:00:00Z", 1, "steward", action, 1,
                    parse_targets(targets), before, after, None)  # fmt: skip


# -- audit targets ---------------------------------------------------------------------------------
def test_targets_read_back_as_stored_including_names_with_spaces():
    stored = "driver:anna de la berg session:4 entry:17 round:3:2 session-code:2:R1"
    targets = parse_targets(stored)
    assert targets == (
        Target("driver", "anna de la berg"),
        Target("session", 4),
        Target("entry", 17),
        Target("round", "3:2"),
        Target("session-code", "2:R1"),
    )
    assert targets_text(targets) == stored


async def test_an_applied_change_stores_its_targets_in_the_format_old_rows_have(tmp_path: Path):
    async with bot_with_season(tmp_path, halves_season(), ROLE) as env:
        admin: AdminService = env.client.admin  # type: ignore[attr-defined]
        view = admin.service.latest()
        race = view.race(1, 1)
        assert race is not None
        entry = race.classification.rows[0].entry
        plan = plan_penalty_add(view, entry, race, PenaltyType.POINTS, "x", 3, ME)
        applied = await admin.apply(plan, ME)
        pid = applied.info["penalty_id"]
        con = sqlite3.connect(admin.service.db.path)
        (target,) = con.execute(
            "SELECT target FROM audit_log WHERE id = ?", (applied.audit_id,)
        ).fetchone()
        con.close()
        assert target == f"session:{race.session.id} entry:{entry.id} penalty:{pid}"


# -- inverses, called directly ---------------------------------------------------------------------
def test_a_given_penalty_is_undone_by_removing_that_penalty():
    view = view_of(halves_season())
    race = view.race(1, 1)
    assert race is not None
    entry = race.classification.rows[0].entry
    added = plan_penalty_add(view, entry, race, PenaltyType.POINTS, "x", 5, ME)
    after = added.candidate
    penalty = after.season.penalties[-1]
    recorded = row(
        "penalty.add",
        f"session:{race.session.id} entry:{entry.id} penalty:{penalty.id}",
        None,
        {**added.change.after(), "penalty_id": penalty.id},
    )
    change = recorded_change(recorded)
    assert change == PenaltyAdd(penalty, 0)
    undo = change.inverse(after)
    assert undo.change == PenaltyDelete(penalty, 1)
    assert undo.candidate.season.penalties == view.season.penalties
    assert undo.candidate.standings("drivers").rows == view.standings("drivers").rows


def test_undoing_a_penalty_already_gone_is_refused():
    view = view_of(halves_season())
    gone = row("penalty.add", "penalty:99", None, {
        "id": 99, "session_id": 1, "entry_id": 1, "type": "points", "value": 5, "reason": "x",
        "decided_at": "", "decided_by": "", "certainty": "confirmed", "penalty_id": 99,
    })  # fmt: skip
    with pytest.raises(Exception, match="no longer there"):
        recorded_change(gone).inverse(view)


def test_entry_rounds_are_undone_to_the_rounds_before():
    season = halves_season()
    later = {s.id for s in season.sessions if s.round_number == 2}
    view = view_of(replace(season, results=tuple(
        r for r in season.results if r.session_id not in later
    )))  # fmt: skip
    entry = view.season.entries[2]
    plan = plan_entry_rounds(view, entry, frozenset({1}))
    assert plan.change == EntryRounds(entry, frozenset({1}))
    recorded = row("entry.rounds", f"entry:{entry.id}", plan.change.before(), plan.change.after())
    back = recorded_change(recorded).inverse(plan.candidate)
    assert back.candidate.entries[entry.id].rounds is None


@pytest.mark.parametrize(
    "module",
    ["bot.services.admin", "bot.rendering.fan", "bot.storage.seasonfiles", "bot.storage.database",
     "bot.domain.standings", "bot.adapters.dpy_private", "bot.i18n"],
)  # fmt: skip
def test_star_import_gives_every_public_name_listed(module: str):
    names: dict[str, object] = {}
    exec(f"from {module} import *", names)  # fails on a listed name the module lacks
    listed = importlib.import_module(module).__all__
    assert [n for n in listed if n.startswith("_")] == []  # nothing private exported
    assert set(listed) <= set(names)


# -- every undoable action: rebuilt from its audit row, undone exactly, on a real database ---------
def round_trip_season():
    """Three rounds, the last not raced yet; a provisional season whose rules give half points
    on a reduced race (so every undoable action can be made on it); the first pole is only
    inferred (an undo must not make it confirmed)."""
    full = make_season(rounds=3, races_per_round=2, entries=6, seed=5)
    later = {s.id for s in full.sessions if s.round_number == 3}
    first = replace(full.sessions[0], pole_certainty=Certainty.INFERRED)
    return replace(
        full,
        sessions=(first, *full.sessions[1:]),
        results=tuple(r for r in full.results if r.session_id not in later),
        status="provisional",
        scoring=replace(full.scoring, reduced_fraction=(1, 2)),
    )


PENALTY = "/penalty add driver:Testdriver 01 race:alpha 1 type:time reason:x value:5"
CSV = "position,car,laps,time,gap\n1,6,20,30:00.000,\n2,5,20,,+1.5\n3,3,20,,+2.5\n"
ACTION_LINES = {  # (what is confirmed first, the action) as an admin types them
    "penalty.add": ((), PENALTY),
    "penalty.revoke": ((PENALTY,), "/penalty revoke id:{penalty} reason:appeal"),
    "result.import": ((), "/result import race:alpha 2 file:{csv}"),
    "result.set": ((), "/result set race:alpha 1 driver:Testdriver 06 position:1"),
    "result.status": ((), "/result status race:alpha 1 state:provisional"),
    "result.reduced": ((), "/result status race:alpha 2 points:reduced"),
    "entry.add": ((), "/entry add driver:Nouveau Venu car_number:88 rounds:2-3"),
    "entry.edit": ((), "/entry edit driver:Testdriver 04 class:Am car_number:77"),
    "entry.rounds": ((), ""),  # no command of its own: through the service
    "entry.withdraw": ((), "/entry withdraw driver:Testdriver 05"),
    "season.status": ((), "/season status state:final"),
    "round.add": ((), "/round add circuit:monza start_date:2099-06-01"),
    "round.edit": ((), "/round edit round:charlie start_date:2099-05-01 end_date:2099-05-02"),
    "session.set": ((), "/session add round:charlie session:R3 date:2099-04-29"),
    "pole.set": ((), "/pole set race:alpha 1 driver:Testdriver 02 time:1:43.768"),
    "fastest-lap.set": ((), "/fastest-lap set race:alpha 1 driver:Testdriver 05 time:1:27.512"),
    "qualifying.import": ((), "/result import race:charlie q1 file:{csv}"),
}


def _same_order(season):
    """The season with its rows in one order (a change may put the rows it rewrote last)."""
    return replace(
        season,
        results=tuple(sorted(season.results, key=lambda r: (r.session_id, r.entry_id))),
        penalties=tuple(sorted(season.penalties, key=lambda p: p.id)),
        qualifying=tuple(sorted(season.qualifying, key=repr)),
    )


async def _confirmed(env: Harness, line: str) -> None:
    calls = await ask(env, line, user=ADMIN)
    assert "Preview" in text_of(calls[0].body["data"]), text_of(calls[0].body["data"])
    assert "Done" in text_of(outcome(await press(env, calls, "Confirm", ADMIN)))


def test_every_undoable_action_is_round_tripped_below():
    assert set(RECORDED) == {*ACTION_LINES, "season.create"}
    with pytest.raises(Invalid, match="cannot be undone"):
        recorded_change(row("season.create", "season:1", None, {"season_id": 1}))
    with pytest.raises(Invalid, match="cannot be undone"):
        recorded_change(row("something.else", "", None, None))


@pytest.mark.parametrize("action", sorted(ACTION_LINES))
async def test_each_action_is_rebuilt_from_its_row_and_its_inverse_restores_the_season(
    tmp_path: Path, action: str
):
    async with bot_with_season(tmp_path, round_trip_season(), ROLE) as env:
        admin: AdminService = env.client.admin  # type: ignore[attr-defined]
        db = admin.service.db
        season_id = admin.service.latest().season.id
        setup, line = ACTION_LINES[action]
        for first in setup:
            await _confirmed(env, first)
        before = await repository.load_season(db, season_id)
        csv = tmp_path / "file.csv"
        csv.write_text(CSV, encoding="utf-8")
        penalty = max((p.id for p in before.penalties), default=0)
        if line:
            await _confirmed(env, line.format(csv=csv, penalty=penalty))
        else:
            view = admin.service.latest()
            entry = view.season.entries[2]
            await admin.apply(plan_entry_rounds(view, entry, frozenset({1, 2})), ME)
        (done,) = await changes.list_audit(db, 1)
        assert done.action == action
        rebuilt = recorded_change(done)
        assert type(rebuilt) is RECORDED[action]
        changed = await admin.service.get(season_id)
        assert changed.season != before  # the action did something
        # Its inverse, planned on the season after it, is the season before it exactly ...
        assert _same_order(rebuilt.inverse(changed).candidate.season) == _same_order(before)
        # ... and so is what the database holds once the undo is applied.
        await _confirmed(env, f"/undo id:{done.id}")
        assert _same_order(await repository.load_season(db, season_id)) == _same_order(before)
        assert (await changes.get_audit(db, done.id)).undone_by is not None  # type: ignore[union-attr]


# -- reduced points: the service ---------------------------------------------------------------
def _race_points(view: SeasonView, round_number: int, number: int) -> dict[int, float]:
    race = view.race(round_number, number)
    assert race is not None
    return {s.key: s.points for s in view.scores("drivers", race.session.id)}


def test_a_reduced_race_scores_the_seasons_fraction_and_is_undone_to_full_points():
    view = view_of(halves_season())
    race = view.race(1, 2)
    assert race is not None
    full = _race_points(view, 1, 2)
    plan = plan_result_points(view, race, True)
    assert plan.change == SessionReduced(race.session.id, 1, True, (1, 2))
    assert plan.change.after() == {"reduced": True, "fraction": "1/2"}
    halved = _race_points(plan.candidate, 1, 2)
    assert halved == {entry: points / 2 for entry, points in full.items()}
    assert _race_points(plan.candidate, 1, 1) == _race_points(view, 1, 1)
    recorded = row("result.reduced", f"session:{race.session.id}", plan.change.before(),
                   plan.change.after())  # fmt: skip
    back = recorded_change(recorded).inverse(plan.candidate)
    assert _race_points(back.candidate, 1, 2) == full
    assert back.candidate.standings("drivers").rows == view.standings("drivers").rows


def test_reduced_points_are_refused_where_the_rules_have_none_or_the_race_already_is():
    plain = view_of(make_season(rounds=1, races_per_round=1, entries=4, seed=2))
    race = plain.race(1, 1)
    assert race is not None
    with pytest.raises(Invalid, match=r"rules give no reduced points"):
        plan_result_points(plain, race, True)
    with pytest.raises(Invalid, match="already scores full points"):
        plan_result_points(plain, race, False)
    halves = view_of(halves_season())
    first = halves.race(1, 1)
    assert first is not None
    reduced = plan_result_points(halves, first, True).candidate
    again = reduced.race(1, 1)
    assert again is not None
    with pytest.raises(Invalid, match="already scores reduced points"):
        plan_result_points(reduced, again, True)


# -- reduced points: through the command tree ------------------------------------------------------
async def test_result_status_points_reduced_previewed_confirmed_audited_undone(tmp_path: Path):
    async with bot_with_season(tmp_path, halves_season(), ROLE) as env:
        service = env.client.service  # type: ignore[attr-defined]
        announced: list[discord.Embed] = []

        async def announcer(client: object, embed: discord.Embed) -> None:
            announced.append(embed)

        env.client.get_cog("AdminCog").announcer = announcer  # type: ignore[attr-defined]
        before = service.latest().standings("drivers").rows
        calls = await ask(env, "/result status race:alpha 2 points:reduced", user=ADMIN)
        assert_valid(calls)
        text = text_of(calls[0].body["data"])
        assert "Alpha — race 2 now scores reduced points (1/2)" in text
        assert "pts" in text  # the standings it moves
        assert not service.latest().race(1, 2).session.reduced  # a preview writes nothing
        done = outcome(await press(env, calls, "Confirm", ADMIN))
        assert "Done" in text_of(done)
        assert service.latest().race(1, 2).session.reduced
        audit = await changes.list_audit(service.db, 1)
        assert audit[0].action == "result.reduced"
        assert audit[0].after["fraction"] == "1/2"
        assert [e.title for e in announced] == ["Results updated"]
        assert "now scores reduced points (1/2)" in (announced[0].description or "")
        assert max(_race_points(service.latest(), 1, 2).values()) == 12.5  # 25 halved
        table = text_of((await ask(env, "/standings", user=ADMIN))[0].body["data"])
        assert ".5" in table
        calls = await ask(env, f"/undo {audit[0].id}", user=ADMIN)
        assert "now scores full points" in text_of(calls[0].body["data"])
        await press(env, calls, "Confirm", ADMIN)
        assert not service.latest().race(1, 2).session.reduced
        assert service.latest().standings("drivers").rows == before
        assert (await changes.list_audit(service.db, 1))[0].action == "undo.result.reduced"


async def test_result_status_points_in_french_and_refusals(tmp_path: Path):
    async with bot_with_season(tmp_path, halves_season(), ROLE) as env:
        calls = await ask(env, "/result status race:alpha 1 points:reduced", user=FRENCH_ADMIN)
        text = text_of(calls[0].body["data"])
        assert "rapporte désormais des points réduits (1/2)" in text
        for line in ("/result status race:alpha 1",
                     "/result status race:alpha 1 state:final points:full"):  # fmt: skip
            calls = await ask(env, line, user=ADMIN)
            assert "Give a state or points, one at a time." in text_of(calls[0].body["data"])
        calls = await ask(env, "/result status race:alpha 1 points:full", user=ADMIN)
        assert "already scores full points" in text_of(calls[0].body["data"])


async def test_reduced_points_refused_for_a_season_whose_rules_have_none(tmp_path: Path):
    plain = make_season(rounds=1, races_per_round=2, entries=4, seed=4)
    async with bot_with_season(tmp_path, plain, ROLE) as env:
        calls = await ask(env, "/result status race:alpha 1 points:reduced", user=ADMIN)
        text = text_of(calls[0].body["data"])
        assert "rules give no reduced points" in text and "Preview" not in text


async def test_an_audit_row_as_earlier_versions_wrote_it_is_still_undone(tmp_path: Path):
    """Rows from before the change types: the same stored target text and JSON, undone."""
    async with bot_with_season(tmp_path, halves_season(), ROLE) as env:
        service = env.client.service  # type: ignore[attr-defined]
        calls = await ask(env, "/entry add driver:Nouveau Venu car_number:88", user=ADMIN)
        await press(env, calls, "Confirm", ADMIN)
        entry = next(e for e in service.latest().season.entries if e.driver == "Nouveau Venu")
        con = sqlite3.connect(service.db.path)
        (audit_id, target) = con.execute(
            "SELECT id, target FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        con.close()
        assert target == f"driver:nouveau venu entry:{entry.id}"  # as the old code stored it
        calls = await ask(env, f"/undo {audit_id}", user=ADMIN)
        assert "remove the entry of Nouveau Venu" in text_of(calls[0].body["data"])
        await press(env, calls, "Confirm", ADMIN)
        assert all(e.driver != "Nouveau Venu" for e in service.latest().season.entries)


async def test_a_cancelled_round_is_undone_with_its_sessions_as_they_were(tmp_path: Path):
    # Round 3 (charlie, no result yet): a sprint with its own scale, a race flagged for
    # reduced points, an inferred pole and a fastest lap. Cancelling removes the sessions;
    # undoing puts each back whole (it used to keep only code, date and start time).
    base = round_trip_season()
    entry = base.entries[1].id

    def changed(s: Session) -> Session:
        if s.round_number == 3 and s.code == "R1":
            return replace(s, scoring="sprint", pole_entry_id=entry, pole_time_ms=83_000,
                           pole_certainty=Certainty.INFERRED, note="reverse grid")  # fmt: skip
        if s.round_number == 3:
            return replace(s, reduced=True, fastest_lap_entry_id=entry, fastest_lap_ms=81_500)
        return s

    sessions = [changed(s) for s in base.sessions]
    sprint = replace(base.scoring, kinds=(), scale=(3, 2, 1))
    season = replace(
        base,
        sessions=tuple(sessions),
        scoring=replace(base.scoring, kinds=(("sprint", sprint),)),
    )

    def by_code(s: Season) -> list[Session]:
        return sorted(
            (replace(x, id=0) for x in s.sessions if x.round_number == 3), key=lambda x: x.code
        )

    async with bot_with_season(tmp_path, season, ROLE) as env:
        admin: AdminService = env.client.admin  # type: ignore[attr-defined]
        db = admin.service.db
        season_id = admin.service.latest().season.id
        before = await repository.load_season(db, season_id)
        assert [(s.scoring, s.reduced) for s in by_code(before)] == [
            ("sprint", False),
            (None, True),
        ]
        await _confirmed(env, "/round edit round:charlie state:cancelled note:floods")
        assert by_code(await repository.load_season(db, season_id)) == []
        (done,) = await changes.list_audit(db, 1)
        await _confirmed(env, f"/undo id:{done.id}")
        after = by_code(await repository.load_season(db, season_id))
        for a, b in zip(after, by_code(before), strict=True):
            assert a == b, (a, b)
