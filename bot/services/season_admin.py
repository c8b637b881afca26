"""Running a new season from Discord: its rounds, sessions and state (planned, previewed).

The change types and their pure planning are in :mod:`bot.services.admin.calendar` and
:mod:`bot.services.admin.sessions`; here is what needs the database (the circuits a series
has raced at) and creating a season (:mod:`bot.services.season_create`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.domain.models import Round, Session, SessionKind
from bot.errors import Invalid
from bot.i18n import Phrase
from bot.services import circuits
from bot.services.admin import AdminService, Plan, clean_text
from bot.services.admin.calendar import RoundAdd, plan_round_edit, plan_season_status
from bot.services.admin.plan import plan_of
from bot.services.admin.sessions import plan_session_set
from bot.services.championship import SeasonView
from bot.services.season_create import SeasonCreation
from bot.storage import season_changes

MAX_ROUNDS = 40
MAX_RACES = 9


class SeasonAdmin(SeasonCreation):
    def __init__(self, admin: AdminService, data_dir: Path) -> None:
        self.admin = admin
        self.service = admin.service
        self.data_dir = data_dir

    plan_season_status = staticmethod(plan_season_status)
    plan_round_edit = staticmethod(plan_round_edit)
    plan_session_set = staticmethod(plan_session_set)

    async def known_circuits(self, view: SeasonView) -> list[circuits.Circuit]:
        rows = await season_changes.series_rounds(self.service.db, view.season.series_slug)
        return circuits.from_rounds(rows) + circuits.catalogue(self.data_dir / "circuits.csv")

    async def plan_round_add(
        self,
        view: SeasonView,
        circuit: str,
        start: dt.date,
        end: dt.date | None,
        number: int | None,
        races: int,
        timezone: str | None,
    ) -> Plan:
        season = view.season
        end = end or start
        if end < start:
            raise Invalid("The round cannot end before it starts.")
        if (end - start).days > 6:
            raise Invalid("A round lasts a week at most.")
        if not 1 <= races <= MAX_RACES:
            raise Invalid("A round has 1 to {n} races.", n=MAX_RACES)
        if len(season.rounds) >= MAX_ROUNDS:
            raise Invalid("A season has {n} rounds at most.", n=MAX_ROUNDS)
        number = number or season.last_round + 1
        if not 1 <= number <= MAX_ROUNDS:
            raise Invalid("A round number is 1 to {n}.", n=MAX_ROUNDS)
        if any(r.number == number for r in season.rounds):
            raise Invalid("{season} already has a round {n}.", season=season.name, n=number)
        found = circuits.find(circuit, await self.known_circuits(view))
        name = clean_text(circuit, "team name", 60)
        known = found or circuits.Circuit(circuits.slugify(name), name, name, "", None, ())
        zone = circuits.check_timezone(timezone) if timezone else known.timezone
        slug = known.slug
        if any(r.slug == slug for r in season.rounds):
            slug = f"{slug}-{number}"
        rnd = Round(
            id=-number,
            number=number,
            slug=slug,
            circuit=known.circuit,
            town=known.town,
            country=known.country,
            start_date=start,
            end_date=end,
            aliases=known.aliases,
            timezone=zone,
        )
        next_id = -1 - max((abs(s.id) for s in season.sessions), default=0)
        new_sessions = [
            Session(next_id, number, "Q", SessionKind.QUALIFYING, date=start, final=False)
        ]
        for k in range(1, races + 1):
            day = start if races == 1 else min(end, start + dt.timedelta(days=k - 1))
            new_sessions.append(
                Session(next_id - k, number, f"R{k}", SessionKind.RACE, date=day, final=False)
            )
        where = f"{rnd.circuit} ({rnd.town}, {rnd.country})" if rnd.town else rnd.circuit
        summary = Phrase(
            "round {n}: {where}, {start} to {end}, {races} race(s){zone}",
            n=number,
            where=where,
            start=start.isoformat(),
            end=end.isoformat(),
            races=races,
            zone=f" · {zone}" if zone else "",
        )
        change = RoundAdd(season.id, rnd, tuple(new_sessions))
        return await self.admin.off_loop(plan_of, view, change, summary)
