"""Hypothesis strategies for interactions a bot must survive, and a fast way to draw many.

A ``FuzzCase`` is the interaction's ``data`` and who sends it; ids and tokens are added when
it is sent (``FuzzCase.payload``). ``expects_answer`` says whether Discord's user must get an
answer: component presses with custom ids the bot never made are dropped by discord.py's
view store without an answer (Discord then shows "This interaction failed"), which is
discord.py's documented behaviour for unknown components, so those only must not be
answered wrongly.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.fakediscord import payloads as p

ZERO_WIDTH_AND_BIDI = [
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",  # right-to-left override
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]
ODD_PIECES = [
    *ZERO_WIDTH_AND_BIDI,
    "é",
    "É",
    "ß",
    "İ",
    "ı",
    "a\u0301",
    "🏎️",
    "👨‍👩‍👧",
    "🇫🇷",
    "\x00",
    "\n",
    "\t",
    " ",
    "%s",
    "{0}",
    "%(x)s",
    "<@123456789012345678>",
    "@everyone",
    "@here",
    "<#1>",
    "`",
    "```",
    "**",
    "||",
    "\\",
    "'",
    '"',
    ";--",
    "' OR 1=1 --",
    "٣",
    "Ⅻ",
    "ｍｏｎｚａ",
    "𝓜𝓸𝓷𝔃𝓪",
    "مونزا",
    "מונזה",
    "モンツァ",
    "../../etc/passwd",
    "#98",
    "-1",
    "1e309",
]
# Words the bot knows, so that fuzzed values also reach the real lookups and renderers.
KNOWN_WORDS = [
    "monza",
    "le castellet",
    "castellet",
    "paul ricard",
    "spielberg",
    "austria",
    "red bull ring",
    "barcelona",
    "catalunya",
    "montmelo",
    "le mans",
    "sarthe",
    "nevers",
    "magny-cours",
    "nogaro",
    "boccolacci",
    "paque",
    "klein",
    "sebastien",
    "jerome boullery",
    "98",
    "2023",
    "2022",
    "1999",
    "drivers",
    "pro-am",
    "am",
    "rookie",
    "teams",
    "junior",
    "overall",
    "monza 2",
]
SPECIAL_INTS = [
    0,
    -1,
    1,
    2,
    6,
    7,
    99,
    100,
    2**31 - 1,
    2**31,
    2**53,
    2**53 + 1,
    2**63 - 1,
    2**63,
    -(2**63),
    10**30,
    -(10**30),
]
LOCALES = ["en-US", "en-GB", "fr", "de", "es-ES", "ja", "zh-CN", "ar", "he", "zz-ZZ"]
USERS = [p.Member(1_300_000_000_000_100_000 + i, f"fuzz-fan-{i}") for i in range(6)]


def odd_text() -> st.SearchStrategy[str]:
    """Unicode, zero-width and right-to-left marks, markup, known names, and very long text."""
    pieces = st.lists(st.sampled_from(ODD_PIECES + KNOWN_WORDS), min_size=1, max_size=6)
    long_text = st.builds(
        lambda unit, n: (unit * (n // len(unit) + 1))[:n],
        st.text(min_size=1, max_size=8) | st.sampled_from(ODD_PIECES),
        st.integers(101, 6000) | st.just(6000),
    )
    return st.one_of(
        st.sampled_from(KNOWN_WORDS),
        st.text(max_size=40),
        pieces.map("".join),
        st.builds(lambda a, b: a + b, st.sampled_from(KNOWN_WORDS), st.sampled_from(ODD_PIECES)),
        long_text,
        st.just(""),
    )


def odd_int() -> st.SearchStrategy[int]:
    return st.one_of(
        st.integers(-3, 12), st.sampled_from(SPECIAL_INTS), st.integers(-(2**70), 2**70)
    )


def odd_number() -> st.SearchStrategy[float]:
    return st.floats(allow_nan=False, allow_infinity=False)


def any_scalar() -> st.SearchStrategy[Any]:
    """A value of any JSON scalar type: what a wrong option type looks like."""
    return st.one_of(odd_text(), odd_int(), odd_number(), st.booleans())


def value_for(option_type: int) -> st.SearchStrategy[Any]:
    right: st.SearchStrategy[Any]
    if option_type == p.INTEGER:
        right = odd_int()
    elif option_type == p.NUMBER:
        right = odd_number() | odd_int()
    elif option_type == p.BOOLEAN:
        right = st.booleans()
    else:
        right = odd_text()
    # Mostly the declared type, sometimes another one.
    return st.one_of(right, right, right, any_scalar())


def option_name() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=32),
        st.text(min_size=1, max_size=40),
        st.sampled_from(["season", "name", "circuit", "number", "class", "Season", "round"]),
    )


# Built once: Hypothesis validates a strategy the first time it is drawn from, which is slow
# when a composite makes new ones for every example.
ODD_TEXT = odd_text()
OPTION_NAME = option_name()
VALUE_FOR = {t: value_for(t) for t in (p.STRING, p.INTEGER, p.BOOLEAN, p.NUMBER)}
OPTION_TYPES = st.sampled_from([p.STRING, p.INTEGER, p.NUMBER, p.BOOLEAN])
USER = st.sampled_from(USERS)
LOCALE = st.sampled_from(LOCALES)
DIGIT = st.integers(0, 9)


@dataclass(frozen=True)
class FuzzCase:
    kind: int  # interaction type: 2 command, 3 component, 4 autocomplete
    data: dict[str, Any]
    user: p.Member
    in_guild: bool
    locale: str
    expects_answer: bool
    category: str
    message: dict[str, Any] | None = None

    def payload(self) -> dict[str, Any]:
        return p.interaction(
            self.kind,
            self.data,
            self.user,
            in_guild=self.in_guild,
            message=self.message,
            locale=self.locale,
        )


def _options(
    draw: st.DrawFn, declared: Sequence[Mapping[str, Any]], focused: str | None = None
) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = []
    for o in declared:
        if o["type"] in (p.SUB_COMMAND, p.SUB_COMMAND_GROUP):
            continue
        keep = o["name"] == focused or draw(DIGIT) < (9 if o.get("required") else 5)
        if not keep:
            continue
        if o["name"] == focused:  # what the user has typed so far: always a string
            value: Any = draw(ODD_TEXT)
            options.append({"type": o["type"], "name": o["name"], "value": value, "focused": True})
        else:
            value = draw(VALUE_FOR.get(o["type"], ODD_TEXT))
            options.append({"type": type_of(value), "name": o["name"], "value": value})
    for _ in range(draw(DIGIT) % 4 if draw(DIGIT) < 2 else 0):
        value = draw(VALUE_FOR[draw(OPTION_TYPES)])
        options.append({"type": type_of(value), "name": draw(OPTION_NAME), "value": value})
    return list(draw(st.permutations(options))) if len(options) > 1 else options


def _known_path(draw: st.DrawFn, node: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Options for ``node``: through one of its subcommand groups and subcommands, if it has
    them (``/penalty add …``), then odd values for the options there."""
    declared = node.get("options") or []
    subs = [o for o in declared if o["type"] in (p.SUB_COMMAND, p.SUB_COMMAND_GROUP)]
    if not subs:
        return _options(draw, declared)
    sub = draw(st.sampled_from(subs))
    return [{"type": sub["type"], "name": sub["name"], "options": _known_path(draw, sub)}]


def type_of(value: Any) -> int:
    """The option type Discord tags a value with. A value of another type than the command
    declares arrives so tagged when the definitions Discord holds are older than the bot's
    code (changed, not yet synced); Discord never tags a value with a type it does not have."""
    if isinstance(value, bool):
        return p.BOOLEAN
    if isinstance(value, int):
        return p.INTEGER
    if isinstance(value, float):
        return p.NUMBER
    return p.STRING


def _sender(draw: st.DrawFn) -> tuple[p.Member, bool, str]:
    user = draw(USER)
    in_guild = draw(DIGIT) > 0  # one in ten from a DM
    return user, in_guild, draw(LOCALE)


def commands(definitions: Sequence[Mapping[str, Any]]) -> st.SearchStrategy[FuzzCase]:
    """APPLICATION_COMMAND: known commands with missing, extra, mistyped and odd options;
    unknown commands and subcommands."""
    variants = st.sampled_from(["known"] * 7 + ["unknown command", "unknown subcommand"])
    chosen = st.sampled_from(list(definitions))
    unknown_name = (
        st.sampled_from(["penalty", "results", "Race", "race ", "admin", "standing"])
        | st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=32)
        | st.text(min_size=1, max_size=40)
    )
    sub_name = st.sampled_from(["add", "revoke", "list"]) | OPTION_NAME
    sub_type = st.sampled_from([p.SUB_COMMAND, p.SUB_COMMAND_GROUP])
    known = {d["name"] for d in definitions}

    @st.composite
    def build(draw: st.DrawFn) -> FuzzCase:
        user, in_guild, locale = _sender(draw)
        variant = draw(variants)
        definition = draw(chosen)
        name = definition["name"]
        if variant == "unknown command":
            name = draw(unknown_name)
            if name in known:
                name = f"{name}-gone"
        options = _known_path(draw, definition)
        if variant == "unknown subcommand":
            options = [{"type": draw(sub_type), "name": draw(sub_name), "options": options}]
        data: dict[str, Any] = {"id": str(p.snowflake()), "name": name, "type": 1}
        if in_guild and draw(DIGIT) < 5:
            data["guild_id"] = str(p.GUILD_ID)
        if options:
            data["options"] = options
        return FuzzCase(p.APPLICATION_COMMAND, data, user, in_guild, locale, True, variant)

    return build()


def autocompletes(definitions: Sequence[Mapping[str, Any]]) -> st.SearchStrategy[FuzzCase]:
    """AUTOCOMPLETE on every option that has it (subcommands' too), with odd focused values
    and odd neighbours."""
    targets = st.sampled_from(
        [(d, path, option) for d in definitions for path, option in _autocompleted(d, [])]
    )

    @st.composite
    def build(draw: st.DrawFn) -> FuzzCase:
        user, in_guild, locale = _sender(draw)
        definition, path, focused = draw(targets)
        declared = (path[-1] if path else definition).get("options") or []
        options = _options(draw, declared, focused=focused)
        for sub in reversed(path):
            options = [{"type": sub["type"], "name": sub["name"], "options": options}]
        data = {"id": str(p.snowflake()), "name": definition["name"], "type": 1}
        data["options"] = options
        return FuzzCase(p.AUTOCOMPLETE, data, user, in_guild, locale, True, "autocomplete")

    return build()


def _autocompleted(
    node: Mapping[str, Any], path: list[Mapping[str, Any]]
) -> Iterator[tuple[list[Mapping[str, Any]], str]]:
    """(the subcommands leading to it, the option) for every option with autocomplete."""
    for o in node.get("options") or []:
        if o["type"] in (p.SUB_COMMAND, p.SUB_COMMAND_GROUP):
            yield from _autocompleted(o, [*path, o])
        elif o.get("autocomplete"):
            yield path, o["name"]


def unknown_components() -> st.SearchStrategy[FuzzCase]:
    """Presses of buttons and selects the bot never made, on messages it may not know."""
    component_types = st.sampled_from([2, 2, 2, 3, 5, 6, 7, 8])
    custom_ids = ODD_TEXT.map(lambda s: s[:100] or "x")
    select_values = st.lists(ODD_TEXT.map(lambda s: s[:100]), max_size=3)
    contents = ODD_TEXT.map(lambda s: s[:2000])

    @st.composite
    def build(draw: st.DrawFn) -> FuzzCase:
        user, in_guild, locale = _sender(draw)
        component_type = draw(component_types)
        custom_id = draw(custom_ids)
        values = draw(select_values) if component_type != 2 else None
        button = {"type": 2, "style": 1, "label": "?", "custom_id": custom_id}
        message = {
            "id": str(p.snowflake()),
            "channel_id": str(p.CHANNEL_ID),
            "type": 0,
            "content": draw(contents),
            "embeds": [],
            "components": [{"type": 1, "components": [button]}],
            "attachments": [],
            "author": p.bot_user(),
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": "2023-06-01T12:00:00+00:00",
            "edited_timestamp": None,
            "flags": 0,
        }
        data = p.component_data(custom_id, component_type, values)
        return FuzzCase(
            p.MESSAGE_COMPONENT, data, user, in_guild, locale, False, "unknown component", message
        )

    return build()


def interactions(definitions: Sequence[Mapping[str, Any]]) -> st.SearchStrategy[FuzzCase]:
    """The mix the fuzz test sends: ~60 % commands, ~30 % autocomplete, ~10 % components."""
    return st.one_of(
        commands(definitions),
        commands(definitions),
        commands(definitions),
        commands(definitions),
        commands(definitions),
        commands(definitions),
        autocompletes(definitions),
        autocompletes(definitions),
        autocompletes(definitions),
        unknown_components(),
    )


def draw_many(strategy: st.SearchStrategy[Any], count: int, seed_value: int) -> list[Any]:
    """``count`` examples of ``strategy``, drawn by Hypothesis's own engine (reproducible by
    seed), without running a test per example: they are collected, then sent in batches."""
    drawn: list[Any] = []
    attempt = 0
    while len(drawn) < count and attempt < 5:

        @settings(
            max_examples=count - len(drawn),
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @seed(seed_value + attempt)
        @given(strategy)
        def collect(case: Any) -> None:
            drawn.append(case)

        collect()
        attempt += 1
    return drawn[:count]


def draw_in_chunks(
    strategy: st.SearchStrategy[Any], count: int, seed_value: int, chunk: int = 500
) -> Iterator[list[Any]]:
    """``draw_many`` in chunks (seeds ``seed_value``, ``seed_value + 1000`` …), so that sending
    can start before all are drawn."""
    done = 0
    for n in itertools.count():
        if done >= count:
            return
        size = min(chunk, count - done)
        yield draw_many(strategy, size, seed_value + 1000 * n)
        done += size


# -- what a case exercises (for the figures a run prints) ----------------------------------------
_TYPE_CHECKS = {
    p.STRING: lambda v: isinstance(v, str),
    p.INTEGER: lambda v: isinstance(v, int) and not isinstance(v, bool),
    p.NUMBER: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    p.BOOLEAN: lambda v: isinstance(v, bool),
}


def _any(_: Any) -> bool:
    return True


def features(case: FuzzCase, definitions: Sequence[Mapping[str, Any]]) -> set[str]:
    """The odd things in a case: mistyped, extra or missing options, long or invisible text,
    huge numbers, a DM."""
    found = {case.category}
    if not case.in_guild:
        found.add("from a DM")
    declared = {d["name"]: d for d in definitions}.get(case.data.get("name", ""))
    if declared and declared.get("default_member_permissions") is not None:
        found.add("admin command, by a member")
    options = case.data.get("options") or []
    while options and options[0].get("type") in (p.SUB_COMMAND, p.SUB_COMMAND_GROUP):
        inner = {o["name"]: o for o in (declared or {}).get("options") or []}
        declared = inner.get(options[0]["name"])
        options = options[0].get("options") or []
    by_name = {o["name"]: o for o in (declared or {}).get("options") or []}
    names = [o["name"] for o in options]
    for o in options:
        spec = by_name.get(o["name"])
        value = o.get("value")
        if spec is None or names.count(o["name"]) > 1:
            found.add("extra or repeated option")
        elif not o.get("focused") and not _TYPE_CHECKS.get(spec["type"], _any)(value):
            found.add("mistyped option")
        if isinstance(value, str):
            if len(value) > 100:
                found.add("text over 100 characters")
            if any(c in value for c in ZERO_WIDTH_AND_BIDI):
                found.add("zero-width or bidi text")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
            found.add("number beyond 2**53")
    if declared and case.kind == p.APPLICATION_COMMAND and case.category == "known":
        required = {o["name"] for o in declared.get("options") or [] if o.get("required")}
        if required - set(names):
            found.add("required option missing")
    return found
