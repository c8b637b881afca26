"""A race's state: its classification provisional or final, its points full or reduced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.models import Season
from bot.errors import Invalid
from bot.i18n import Phrase
from bot.services.admin.plan import (
    Change,
    Plan,
    RaceChange,
    Written,
    plan_of,
    race_of,
    with_session,
)
from bot.services.admin.text import race_phrase
from bot.services.championship import RaceView, SeasonView
from bot.storage import changes
from bot.storage.changes import AuditRow
from bot.storage.database import Transaction


@dataclass(frozen=True, slots=True)
class SessionFinal(RaceChange):
    """A race's classification marked final (or provisional again)."""

    session_id: int
    round_number: int
    final: bool
    action = "result.status"

    def season_after(self, season: Season) -> Season:
        return with_session(season, self.session_id, final=self.final)

    def before(self) -> Any:
        return {"final": not self.final}

    def after(self) -> Any:
        return {"final": self.final}

    async def write(self, tx: Transaction) -> Written:
        await changes.set_session_final(tx, self.session_id, self.final)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        return cls(int(row.targets[0].id), 0, bool(row.after["final"]))

    def inverse(self, view: SeasonView) -> Plan:
        return plan_result_status(view, race_of(view, self.session_id), not self.final)


@dataclass(frozen=True, slots=True)
class SessionReduced(RaceChange):
    """A race flagged as scoring the season's reduced-points fraction (stopped early), or
    scoring full points again."""

    session_id: int
    round_number: int
    reduced: bool
    fraction: tuple[int, int] | None  # the season's, as it was when the change was made
    action = "result.reduced"

    def season_after(self, season: Season) -> Season:
        return with_session(season, self.session_id, reduced=self.reduced)

    def before(self) -> Any:
        return {"reduced": not self.reduced}

    def after(self) -> Any:
        share = f"{self.fraction[0]}/{self.fraction[1]}" if self.fraction else None
        return {"reduced": self.reduced, "fraction": share}

    async def write(self, tx: Transaction) -> Written:
        await changes.set_session_reduced(tx, self.session_id, self.reduced)
        return Written()

    @classmethod
    def recorded(cls, row: AuditRow) -> Change:
        return cls(int(row.targets[0].id), 0, bool(row.after["reduced"]), None)

    def inverse(self, view: SeasonView) -> Plan:
        return plan_result_points(view, race_of(view, self.session_id), not self.reduced)


def plan_result_status(view: SeasonView, race: RaceView, final: bool) -> Plan:
    session = race.session
    if session.final == final:
        raise Invalid(
            "{race} is already final." if final else "{race} is already provisional.",
            race=race.label,
        )
    return plan_of(
        view,
        SessionFinal(session.id, session.round_number, final),
        Phrase(
            "{race} is now final" if final else "{race} is now provisional",
            race=race_phrase(race),
        ),
        race=(session.round_number, session.number),
    )


def plan_result_points(view: SeasonView, race: RaceView, reduced: bool) -> Plan:
    """Full points for a race, or the season's reduced share (a race stopped early)."""
    session = race.session
    fraction = view.season.scoring.reduced_fraction
    if reduced and fraction is None:
        raise Invalid(
            "{season}'s rules give no reduced points: add [scoring.reduced] to its season.toml "
            "(/season rules shows the rules in force).",
            season=view.season.name,
        )
    if session.reduced == reduced:
        raise Invalid(
            "{race} already scores reduced points."
            if reduced
            else "{race} already scores full points.",
            race=race.label,
        )
    share = f"{fraction[0]}/{fraction[1]}" if fraction else ""
    return plan_of(
        view,
        SessionReduced(session.id, session.round_number, reduced, fraction),
        Phrase(
            "{race} now scores reduced points ({share})"
            if reduced
            else "{race} now scores full points",
            race=race_phrase(race),
            share=share,
        ),
        race=(session.round_number, session.number),
    )
