"""Penalty planning and undo's checks (bot.services.admin.penalties, .undo) called directly on a
fictional season: what a penalty may be, where it can be worked out, what the plan changes, and
when an audit row can be undone. tests/test_admin_changes.py holds the inverses.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain.models import Penalty, PenaltyType, Status
from bot.errors import Conflict, Invalid, UserError
from bot.services.admin import Actor, AdminService
from bot.services.admin.penalties import (
    PenaltyAdd,
    PenaltyRevoke,
    penalty_in,
    plan_penalty_add,
    plan_penalty_revoke,
)
from bot.services.admin.plan import Undoes
from bot.services.admin.undo import check_later, plan_undo, recorded_change, undoable
from bot.services.championship import SeasonView
from bot.storage.changes import AuditRow, Target
from tests.factories import make_season
from tests.helpers import bot_with_season

ME = Actor(1, "steward")


def view(**session_changes: object) -> SeasonView:
    season = make_season(rounds=2, races_per_round=1, entries=4, pole_bonus=0, fastest_lap_bonus=0)
    if session_changes:
        first = replace(season.sessions[0], **session_changes)  # type: ignore[arg-type]
        season = replace(season, sessions=(first, *season.sessions[1:]))
    return SeasonView(season)


def said(error: pytest.ExceptionInfo[UserError]) -> str:
    return error.value.message("en")


def add(v: SeasonView, ptype: PenaltyType, value: int | None, entry_id: int | None = 1):
    """Plan a penalty in the first race for ``entry_id`` (None: its winner)."""
    race = v.race(1, 1)
    assert race is not None
    entry = race.classification.rows[0].entry if entry_id is None else v.entries[entry_id]
    return plan_penalty_add(v, entry, race, ptype, "unsafe release", value, ME)


@pytest.mark.parametrize(
    ("ptype", "low", "high", "unit"),
    [
        (PenaltyType.TIME, 1, 300, "seconds"),
        (PenaltyType.POSITIONS, 1, 60, "places"),
        (PenaltyType.POINTS, 1, 200, "points"),
        (PenaltyType.GRID, 1, 60, "grid places"),
    ],
)
def test_a_penalty_with_a_value_takes_one_in_its_range(ptype, low, high, unit):
    v = view()
    for ok in (low, high):
        assert add(v, ptype, ok).change.penalty.value == ok
    for bad in (low - 1, high + 1):
        with pytest.raises(Invalid) as e:
            add(v, ptype, bad)
        assert said(e) == f"{bad} {unit} is out of range: {low} to {high}."
    with pytest.raises(Invalid) as e:
        add(v, ptype, None)
    assert said(e) == f"A {ptype.value} penalty needs a value ({unit}, {low} to {high})."


@pytest.mark.parametrize("ptype", [PenaltyType.DSQ, PenaltyType.REPRIMAND])
def test_a_disqualification_or_a_reprimand_takes_no_value(ptype):
    assert add(view(), ptype, None).change.penalty.value is None
    with pytest.raises(Invalid) as e:
        add(view(), ptype, 5)
    assert said(e) == f"A {ptype.value} penalty takes no value."


def test_an_unspecified_penalty_cannot_be_given():
    with pytest.raises(Invalid) as e:
        add(view(), PenaltyType.UNSPECIFIED, None)
    assert said(e) == "Pick a penalty type: time, positions, dsq, points, grid or reprimand."


def test_a_driver_without_a_result_in_the_race_cannot_be_penalised_there():
    v = view()
    season = replace(
        v.season, results=tuple(r for r in v.season.results if (r.session_id, r.entry_id) != (1, 2))
    )
    with pytest.raises(Invalid) as e:
        add(SeasonView(season), PenaltyType.REPRIMAND, None, entry_id=2)
    assert said(e).startswith("Testdriver 02 has no result in ")


def test_a_partial_record_takes_no_penalty_that_moves_cars():
    partial = view(complete=False)
    with pytest.raises(Invalid) as e:
        add(partial, PenaltyType.TIME, 5)
    assert "has no times: use positions (after importing" in said(e)
    for ptype, value in ((PenaltyType.POSITIONS, 3), (PenaltyType.DSQ, None)):
        with pytest.raises(Invalid) as e:
            add(partial, ptype, value)
        assert f"so a {ptype.value} penalty cannot be worked out on it" in said(e)
    # Penalties that move nobody in the race are fine there.
    for ptype, value in ((PenaltyType.POINTS, 5), (PenaltyType.REPRIMAND, None)):
        assert add(partial, ptype, value).change.penalty.type is ptype


def test_a_time_penalty_needs_the_race_times():
    v = view()
    no_time = tuple(
        replace(r, time_ms=None) if (r.session_id, r.entry_id) == (1, 1) else r
        for r in v.season.results
    )
    with pytest.raises(Invalid) as e:
        add(SeasonView(replace(v.season, results=no_time)), PenaltyType.TIME, 5)
    assert said(e).endswith("has no times: use positions.")
    no_laps = tuple(
        replace(r, laps=None) if (r.session_id, r.entry_id) == (1, 3) else r
        for r in v.season.results
    )
    with pytest.raises(Invalid):
        add(SeasonView(replace(v.season, results=no_laps)), PenaltyType.TIME, 5)
    assert add(v, PenaltyType.TIME, 5).change.penalty.value == 5


def test_a_disqualified_driver_cannot_be_disqualified_again():
    plan = add(view(), PenaltyType.DSQ, None)
    race = plan.candidate.race(1, 1)
    assert race is not None and race.classification.row(1).status is Status.DSQ
    with pytest.raises(Invalid) as e:
        add(plan.candidate, PenaltyType.DSQ, None)
    assert said(e).startswith("Testdriver 01 is already disqualified from ")


def test_a_planned_penalty_is_the_next_id_for_that_car_and_race_decided_by_the_admin():
    v = view()
    existing = Penalty(7, 2, 3, PenaltyType.REPRIMAND)
    v = SeasonView(replace(v.season, penalties=(existing,)))
    plan = add(v, PenaltyType.POINTS, 5)
    p = plan.change.penalty
    assert (p.id, p.session_id, p.entry_id, p.type, p.value) == (8, 1, 1, PenaltyType.POINTS, 5)
    assert (p.reason, p.decided_by, p.active) == ("unsafe release", "steward", True)
    assert plan.change == PenaltyAdd(p, 1)
    assert plan.candidate.season.penalties == (existing, p)
    assert plan.change.targets() == (Target("session", 1), Target("entry", 1))
    assert plan.change.changed == (1,) and plan.change.from_round == 1
    assert plan.race is not None and plan.replan is not None
    assert plan.replan(v).change == plan.change
    assert add(view(), PenaltyType.POINTS, 5).change.penalty.id == 1  # the first one


def test_a_revoke_keeps_the_penalty_and_says_who_why_and_when():
    given = add(view(), PenaltyType.POINTS, 5)
    after = given.candidate
    p = after.season.penalties[-1]
    plan = plan_penalty_revoke(after, p, "footage", ME)
    new = plan.change.new
    assert (new.id, new.revoked_by, new.revoke_reason, new.active) == (
        p.id,
        "steward",
        "footage",
        False,
    )
    assert new.revoked_at is not None
    assert plan.change == PenaltyRevoke(p, new, 1)
    assert plan.candidate.season.penalties == (new,)
    assert plan.change.targets() == (Target("penalty", p.id), Target("session", 1))
    with pytest.raises(Invalid) as e:
        plan_penalty_revoke(plan.candidate, new, "again", ME)
    assert said(e) == f"Penalty #{p.id} is already revoked (footage)."
    # Planned again on a view where the penalty is gone: refused, nothing changed.
    assert plan.replan is not None
    with pytest.raises(Conflict):
        plan.replan(view())
    reinstate = plan.change.inverse(plan.candidate).change
    assert reinstate == PenaltyRevoke(new, p, 1, "penalty.reinstate")
    assert reinstate.targets() == (Target("penalty", p.id),)


# -- undo's checks -----------------------------------------------------------------------------
def audit(id: int, action: str, *targets: Target, season: int | None = 1, undone_by=None):
    return AuditRow(
        id, f"2099-01-0{id}", 1, "steward", action, season, targets, None, None, undone_by
    )


SESSION_1 = Target("session", 1)


def test_what_cannot_be_undone_whatever_came_after():
    undoable(audit(1, "penalty.add", SESSION_1))
    for row, text in (
        (audit(1, "penalty.add", undone_by=4), "#1 was already undone (by #4)."),
        (audit(2, "undo", SESSION_1), "An undo cannot itself be undone: make the change again."),
        (audit(3, "penalty.add", season=None), "#3 cannot be undone."),
    ):
        with pytest.raises(Invalid) as e:
            undoable(row)
        assert said(e) == text
    with pytest.raises(Invalid) as e:
        recorded_change(audit(5, "season.delete"))
    assert said(e) == "#5 (season.delete) cannot be undone."


def test_a_later_change_to_the_same_thing_must_be_undone_first():
    row = audit(1, "penalty.add", SESSION_1, Target("entry", 2))
    check_later(row, [audit(2, "penalty.add", Target("session", 2)), audit(3, "undo", SESSION_1)])
    with pytest.raises(Conflict) as e:
        check_later(
            row, [audit(2, "result.import", Target("session", 2)), audit(4, "x", SESSION_1)]
        )
    assert said(e) == "#4 (x, 2099-01-04) changed the same thing after #1: undo #4 first."


def test_an_undo_plan_names_the_row_it_undoes_and_is_not_planned_again():
    given = add(view(), PenaltyType.POINTS, 5)
    p = given.candidate.season.penalties[-1]
    row = AuditRow(
        9, "2099-01-09", 1, "steward", "penalty.add", 1, (), None,
        {**given.change.after(), "penalty_id": p.id}, None,
    )  # fmt: skip
    plan = plan_undo(given.candidate, row)
    assert plan.undoes == Undoes(9, "penalty.add") and plan.replan is None
    assert plan.summary.message("en").startswith("undo #9: remove penalty #")
    assert plan.candidate.season.penalties == ()


def test_a_penalty_gone_since_the_preview_is_said_by_its_number():
    with pytest.raises(Conflict) as e:
        penalty_in(view(), 42)
    assert said(e) == (
        "Penalty #42 is no longer there (undone since the preview): nothing was changed."
    )
    given = add(view(), PenaltyType.POINTS, 5)
    gone = PenaltyAdd(given.change.penalty, 1)
    with pytest.raises(Conflict) as e:
        gone.inverse(view())
    assert said(e) == f"Penalty #{given.change.penalty.id} is no longer there."
    undo = gone.inverse(given.candidate)
    assert undo.summary.message("en") == f"remove penalty #{given.change.penalty.id}"


async def test_given_revoked_reinstated_and_removed_in_the_database(tmp_path: Path):
    # The penalty is written, revoked, the revoke undone and the penalty undone, each read
    # back from the database.
    season = make_season(rounds=1, races_per_round=1, entries=4, pole_bonus=0, fastest_lap_bonus=0)
    async with bot_with_season(tmp_path, season, 1) as env:
        admin: AdminService = env.client.admin  # type: ignore[attr-defined]

        def stored() -> dict[int, Penalty]:
            return {p.id: p for p in admin.service.latest().season.penalties}

        plan = add(admin.service.latest(), PenaltyType.POINTS, 5, entry_id=None)
        given = await admin.apply(plan, ME)
        pid = given.info["penalty_id"]
        assert stored() == {pid: replace(plan.change.penalty, id=pid)}
        revoke = await admin.plan_penalty_revoke(pid, "footage", ME)
        revoked = await admin.apply(revoke, ME)
        p = stored()[pid]
        assert (p.revoked_by, p.revoke_reason, p.revoked_at) == (
            "steward",
            "footage",
            revoke.change.new.revoked_at,
        )
        reinstated = await admin.apply(await admin.plan_undo(revoked.audit_id, ME), ME)
        assert stored()[pid] == replace(plan.change.penalty, id=pid)
        assert reinstated.audit_id > revoked.audit_id
        await admin.apply(await admin.plan_undo(given.audit_id, ME), ME)
        assert stored() == {}


def test_a_revoke_plan_says_what_it_revokes_in_its_round_and_is_planned_again_the_same():
    v = view()
    first = Penalty(1, 1, 2, PenaltyType.REPRIMAND)
    second = Penalty(2, 2, 3, PenaltyType.POINTS, 4)  # round 2's race
    v = SeasonView(replace(v.season, penalties=(first, second)))
    plan = plan_penalty_revoke(v, second, "footage", ME)
    new = plan.change.new
    assert plan.summary.message("en") == "revoke penalty #2 (Testdriver 03) — footage"
    assert plan.change.round_number == 2
    assert plan.race is not None and plan.race.session.id == 2
    assert plan.candidate.season.penalties == (first, new)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", new.revoked_at or "")
    assert plan.replan is not None
    again = plan.replan(v).change
    assert (again.old, again.new.revoke_reason, again.new.revoked_by) == (
        second,
        "footage",
        "steward",
    )
    back = plan.change.inverse(plan.candidate)
    assert back.summary.message("en") == "reinstate penalty #2"
    assert back.change.round_number == 2


def test_refusals_name_the_race():
    v = view(complete=False)
    race = v.race(1, 1)
    assert race is not None
    with pytest.raises(Invalid) as e:
        add(v, PenaltyType.TIME, 5)
    assert said(e).startswith(
        f"{race.label} has no times: use positions (after importing its full "
    )
    season = replace(
        v.season, results=tuple(r for r in v.season.results if (r.session_id, r.entry_id) != (1, 2))
    )
    with pytest.raises(Invalid) as e:
        add(SeasonView(season), PenaltyType.REPRIMAND, None, entry_id=2)
    assert said(e) == f"Testdriver 02 has no result in {race.label}: pick a driver who raced."
