"""A new season run from Discord through the real command tree: the fictional scenario of
``tests/live_season_scenario.py`` step by step, the standings after every round against the
hand-computed tables, and what fans see (calendar, poles, a season with no result yet)."""

from __future__ import annotations

import re
import shlex
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.console.ask import ask, autocomplete, find_button
from bot.adapters.console.commands import offline
from bot.adapters.console.harness import Call, Harness, User, interaction_payload
from bot.adapters.discord.announce import ChannelAnnouncer
from bot.storage.seasonfiles import load_season_folder
from tests.helpers import bot_with_season, outcome, press, settings_for, text_of
from tests.live_season_scenario import EXPECTED, Step, steps_round, steps_setup
from tests.replay import DATA

ADMIN = User(id=1_300_000_000_000_000_300, name="press-officer", admin=True)
FAN = User(id=1_300_000_000_000_000_301, name="fan")
ROW = re.compile(r"^`?\s*\d+[.=]`?\s+\**(.+?)\**(?:\s+#\d+)?\s+—\s+(≥?)(-?\d+) pts", re.M)


def table(text: str) -> dict[str, int]:
    rows = ROW.findall(text)
    assert all(not bound for _, bound, _ in rows), text  # every total is exact
    return {name: int(points) for name, _, points in rows}


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Harness]:
    async with offline(settings_for(tmp_path / "live.db")) as h:
        yield h


async def _press(harness: Harness, calls: list[Call], label: str) -> list[Call]:
    button = find_button(calls, harness, label)
    assert button is not None, f"no {label} button in {text_of(calls[-1].body.get('data', {}))}"
    data = {"custom_id": button["custom_id"], "component_type": 2}
    return await harness.dispatch(interaction_payload(3, data, ADMIN, message=button["message"]))


def _line(step: Step, tmp: Path, last_penalty: int) -> str:
    parts = [f"/{step.command}"]
    for name, value in step.options.items():
        given = last_penalty if value == "LAST" else value
        text = str(given).lower() if isinstance(given, bool) else str(given)
        parts.append(shlex.quote(f"{name}:{text}"))
    if step.file is not None:
        path = tmp / step.file[0]
        path.write_bytes(step.file[1])
        parts.append(f"file:{path}")
    return " ".join(parts)


async def run(harness: Harness, steps: list[Step], tmp: Path) -> None:
    for step in steps:
        last = max((p.id for p in harness.client.service.latest().season.penalties), default=0)  # type: ignore[attr-defined]
        calls = await ask(harness, _line(step, tmp, last), user=ADMIN)
        preview = text_of(calls[0].body["data"])
        assert "Preview" in preview, (step.command, preview)
        assert step.expect in preview, (step.command, preview)
        done = await _press(harness, calls, "Confirm")
        assert "Done" in text_of(outcome(done)), (
            step.command,
            text_of(outcome(done)),
        )


async def fan(harness: Harness, line: str) -> str:
    return text_of((await ask(harness, line, user=FAN))[0].body["data"])


async def test_a_season_from_nothing(live: Harness, tmp_path: Path) -> None:
    await run(live, steps_setup(), tmp_path)
    for line in ("/standings", "/title", "/chart"):
        answer = await fan(live, line)
        assert "2031 Vortex Trophy has no result yet" in answer and "2023" in answer, line
    for line in ("/winners", "/poles", "/winners class:am"):
        answer = await fan(live, line)
        assert "to come" in answer and "unknown" not in answer, (line, answer)
    calendar = await fan(live, "/calendar")
    assert "CANCELLED" in calendar and "circuit resurfacing" in calendar
    assert "<t:1933765500:f>" in calendar  # 15:05 in Monza (CEST) is 13:05 UTC
    for number in (1, 2, 3):
        await run(live, steps_round(number), tmp_path)
        for champ, expected in EXPECTED[number].items():
            text = await fan(live, f"/standings championship:{champ}")
            got = table(text)
            assert got == expected, (number, champ, got)
    poles = await fan(live, "/poles")
    assert "**Spa — race 1** — Vortex Driver 03 #3 (2:10.100)" in poles  # from the file
    assert "**Spa — race 2** — Vortex Driver 05 #5 (2:15.000)" in poles  # set by hand
    calls = await ask(live, "/season status state:final", user=ADMIN)
    await _press(live, calls, "Confirm")
    assert "final" in text_of((await ask(live, "/season status", user=ADMIN))[0].body["data"])


async def _confirm(harness: Harness, line: str) -> str:
    calls = await ask(harness, line, user=ADMIN)
    assert "Preview" in text_of(calls[0].body["data"]), text_of(calls[0].body["data"])
    return text_of(outcome(await _press(harness, calls, "Confirm")))


def _undo_id(answer: str) -> int:
    found = re.search(r"/undo (\d+)", answer)
    assert found, answer
    return int(found.group(1))


async def test_every_season_change_undoes_exactly(live: Harness, tmp_path: Path) -> None:
    await run(live, steps_setup(), tmp_path)
    await run(live, steps_round(1), tmp_path)
    service = live.client.service  # type: ignore[attr-defined]

    def state() -> tuple[object, ...]:
        season = service.latest().season
        return (season.rounds, season.sessions, season.entries, season.results, season.status)

    for line in (
        '/pole set race:"monza 2" driver:"Vortex Driver 07" time:1:44.000',
        '/fastest-lap set race:"monza 1" driver:"Vortex Driver 19"',
        "/round add circuit:imola start_date:2031-08-02 end_date:2031-08-03",
        "/round edit round:spa start_date:2031-05-17 end_date:2031-05-18",
        '/round cancel round:zandvoort reason:"no permit"',
        "/session add round:spa session:R2 date:2031-05-11 start_time:14:00",
        '/entry withdraw driver:"Vortex Driver 20"',
        "/season status state:final",
    ):
        before = state()
        before_tables = {
            c.slug: service.latest().standings(c.slug).rows
            for c in service.latest().season.championships
        }
        done = await _confirm(live, line)
        assert state() != before, line
        await _confirm(live, f"/undo {_undo_id(done)}")
        assert _same_but_ids(state(), before), line
        after_tables = {
            c.slug: service.latest().standings(c.slug).rows
            for c in service.latest().season.championships
        }
        assert after_tables == before_tables, line


def _same_but_ids(now: tuple[object, ...], before: tuple[object, ...]) -> bool:
    """A restored session or round gets a new row id; everything else is the same."""

    def strip(items: object) -> object:
        return sorted(repr({**vars_of(i), "id": 0}) for i in items)  # type: ignore[attr-defined]

    return all(strip(a) == strip(b) for a, b in zip(now[:2], before[:2], strict=True)) and (
        now[2:] == before[2:]
    )


def vars_of(item: object) -> dict[str, object]:
    return {k: getattr(item, k) for k in item.__slots__}  # type: ignore[attr-defined]


async def test_qualifying_and_race_import_undo_restore_pole_grid_and_fastest_lap(
    live: Harness, tmp_path: Path
) -> None:
    await run(live, steps_setup(), tmp_path)
    await run(live, steps_round(1)[:2], tmp_path)  # q1 and race 1
    service = live.client.service  # type: ignore[attr-defined]
    race = service.latest().race(1, 1)
    assert race.session.pole_entry_id is not None and race.session.fastest_lap_entry_id is not None
    assert {r.result.grid for r in race.classification.rows} == set(range(1, 21))
    audit = await ask(live, "/audit limit:2", user=ADMIN)
    ids = [int(x) for x in re.findall(r"#(\d+)", text_of(audit[0].body["data"]))][:2]
    await _confirm(live, f"/undo {max(ids)}")  # the race import: fastest lap goes with it
    race = service.latest().race(1, 1)
    assert race.session.fastest_lap_entry_id is None and not race.classification.rows
    await _confirm(live, f"/undo {min(ids)}")  # the qualifying: pole goes
    assert service.latest().race(1, 1).session.pole_entry_id is None


async def test_refusals_are_clear_and_change_nothing(live: Harness, tmp_path: Path) -> None:
    await run(live, steps_setup()[:3], tmp_path)
    fan_calls = await ask(live, "/round add circuit:monza start_date:2031-09-01", user=FAN)
    assert "Only the championship's admins" in text_of(fan_calls[0].body["data"])
    for line, expected in (
        ('/season create series:"Vortex Trophy" year:2031', "already has a 2031 season"),
        ("/round add circuit:monza start_date:2031-13-01", "is not a date"),
        ("/round add circuit:monza start_date:2031-09-02 end_date:2031-09-01", "end before"),
        ("/round add circuit:Nowhereland start_date:2031-09-01 timezone:Mars/Base", "time zone"),
        ("/session add round:monza session:R1 date:2031-04-12 start_time:25:00", "time of day"),
        ("/session add round:monza session:X9 date:2031-04-12", "Q or R1 to R9"),
        ("/session add round:monza session:R1 date:2031-06-12", "outside round 1"),
        ('/entry add driver:"Solo Guest" guest:true rounds:7', "has no round 7"),
        ('/result import race:"monza qualifying" file:x.csv', "Say which race's grid"),
    ):
        (tmp_path / "x.csv").write_text("position,car\n1,1\n")
        before = live.client.service.latest().season  # type: ignore[attr-defined]
        calls = await ask(live, line.replace("x.csv", str(tmp_path / "x.csv")), user=ADMIN)
        text = text_of(calls[0].body["data"])
        assert expected in text and "went wrong" not in text, (line, text)
        assert live.client.service.latest().season is before  # type: ignore[attr-defined]


async def test_french_admin_sees_french(live: Harness, tmp_path: Path) -> None:
    await run(live, steps_setup()[:2], tmp_path)
    calls = await ask(
        live, "/round add circuit:spa start_date:2031-05-10", user=User(admin=True, locale="fr")
    )
    text = text_of(calls[0].body["data"])
    assert "manche 2\u202f: Circuit de Spa-Francorchamps" in text and "1 course" not in text


async def test_pole_announced_without_mentions_and_autocomplete(
    live: Harness, tmp_path: Path
) -> None:
    await run(live, steps_setup(), tmp_path)
    await run(live, steps_round(1), tmp_path)
    sent: list[dict[str, object]] = []

    class Channel:
        async def send(self, **kwargs: object) -> None:
            sent.append(kwargs)

    cog = live.client.get_cog("AdminCog")  # type: ignore[attr-defined]
    cog.announcer = ChannelAnnouncer(42)  # what the Discord runner gives the bot
    cog.client.get_partial_messageable = lambda _id: Channel()
    await _confirm(live, '/pole set race:"monza 1" driver:"Vortex Driver 03"')
    assert len(sent) == 1 and sent[0]["allowed_mentions"].to_dict() == {"parse": []}  # type: ignore[attr-defined]
    assert "pole Vortex Driver 03" in sent[0]["embed"].description  # type: ignore[attr-defined]
    rounds = await autocomplete(live, "/session add round:zan", "round", user=ADMIN)
    assert rounds[0] == "zandvoort"
    sessions = await autocomplete(live, "/session add round:monza session:r", "session", user=ADMIN)
    assert sessions[:2] == ["R1", "R2"]


async def test_a_new_season_does_not_copy_what_names_the_old_one_s_drivers(
    tmp_path: Path,
) -> None:
    # F1 2018 takes Sahara Force India out of the constructors' table from round 13: 2019's
    # rules must not carry that exclusion (nor nominated drivers), which name 2018's teams.
    season = load_season_folder(DATA / "f1-2018").season
    async with bot_with_season(tmp_path, season, admin_role=1_400_000_000_000_000_003) as h:
        calls = await ask(h, '/season create series:"f1" year:2019', user=ADMIN)
        text = text_of(calls[0].body["data"])
        assert "Not copied: they name 2018 Formula One World Championship's drivers and" in text
        assert "Constructors: exclusions" in text
        assert "Sahara Force India" not in text  # the rules in words are the new season's
        await press(h, calls, "Confirm", ADMIN)
        service = h.client.service  # type: ignore[attr-defined]
        new = next(r for r in service.seasons if r.year == 2019)
        view = await service.get(new.id)
        teams = view.season.championship("teams")
        assert teams is not None and teams.exclusions == () and teams.nominated == ()
        old = next(r for r in service.seasons if r.year == 2018)
        kept = (await service.get(old.id)).season.championship("teams")
        assert kept is not None and kept.exclusions  # the earlier season keeps its own
