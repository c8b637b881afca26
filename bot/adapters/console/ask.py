"""``parcferme ask "/race monza 1"``: Discord-like command lines, answered by the real tree.

The line is turned into the INTERACTION_CREATE payload a Discord client would send (positional
values in option order, ``name:value`` pairs, quotes for spaces, subcommands), dispatched
through the bot's own command tree, and what the bot sent is printed as text or JSON.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord import AppCommandOptionType, app_commands

from bot.adapters.console.harness import Call, Harness, User, interaction_payload, snowflake
from bot.errors import LineError
from bot.i18n import FRENCH, FRENCH_NAMES, lang_of, tr
from bot.rendering.fan import ERROR_COLOUR


@dataclass
class ParsedLine:
    names: list[str]  # ["penalty", "add"]
    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)


def parse_line(line: str) -> ParsedLine:
    line = line.strip()
    if not line.startswith("/"):
        raise LineError("A command starts with /, e.g. /standings rookie (try /help).")
    try:
        tokens = shlex.split(line[1:])
    except ValueError as exc:
        raise LineError(f"Could not read that line: {exc}.") from None
    if not tokens:
        raise LineError("Which command? Try /help.")
    parsed = ParsedLine(names=[tokens[0].lower()])
    last_named: str | None = None
    for token in tokens[1:]:
        m = re.match(r"^([a-z_][a-z0-9_-]{0,31}):(.*)$", token, re.S)
        if m:
            last_named = m.group(1)
            parsed.named[last_named] = m.group(2)
        elif last_named is not None:
            # As in Discord's client: a value runs until the next "name:".
            parsed.named[last_named] = f"{parsed.named[last_named]} {token}".strip()
        else:
            parsed.positional.append(token)
    return parsed


def _attachment(raw: str, resolved: dict[str, Any]) -> str:
    """A local file given as an attachment option: registered as Discord resolves one."""
    path = Path(raw).expanduser().resolve()
    if not path.is_file():
        raise LineError(f"No file at {raw}.")
    attachment_id = str(snowflake())
    resolved.setdefault("attachments", {})[attachment_id] = {
        "id": attachment_id,
        "filename": path.name,
        "size": path.stat().st_size,
        "url": f"file://{path}",
        "proxy_url": f"file://{path}",
        "content_type": "text/csv",
    }
    return attachment_id


async def read_local_file(attachment: discord.Attachment) -> bytes:
    """The console's attachment reader: the files it registers are local (``file://``)."""
    if attachment.url.startswith("file://"):
        local = Path(attachment.url.removeprefix("file://"))
        return await asyncio.to_thread(local.read_bytes)
    return await attachment.read()


def real_name(word: str, names: list[str], lang: str) -> str:
    """The name a client sends for ``word`` typed as the user's client shows it: a French
    client shows "/classement" and "apres_manche", and sends "standings" and "after_round"
    (the names the command tree's translator gives, :mod:`bot.adapters.discord.translator`)."""
    if lang != "fr" or word in names:
        return word
    return next((n for n in names if FRENCH_NAMES.get(n) == word), word)


def _choice_value(param: app_commands.Parameter, raw: str, lang: str) -> str:
    """A choice typed by its shown name ("définitif") is sent as its value ("final")."""
    for choice in param.choices:
        shown = {choice.name, FRENCH.get(choice.name), FRENCH_NAMES.get(choice.name)}
        if lang == "fr" and raw.casefold() in {s.casefold() for s in shown if s}:
            return str(choice.value)
    return raw


def _option(
    param: app_commands.Parameter,
    raw: str,
    resolved: dict[str, Any] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    if param.choices:
        raw = _choice_value(param, raw, lang)
    value: Any = raw
    kind = param.type
    if kind is AppCommandOptionType.attachment:
        return {
            "type": kind.value,
            "name": param.display_name,
            "value": _attachment(raw, resolved if resolved is not None else {}),
        }
    if kind is AppCommandOptionType.integer:
        try:
            value = int(raw)
        except ValueError:
            value = raw  # sent as typed: the bot answers as it would to a bad value
    elif kind is AppCommandOptionType.number:
        try:
            value = float(raw)
        except ValueError:
            value = raw
    elif kind is AppCommandOptionType.boolean:
        value = raw.lower() in ("1", "true", "yes", "y", "on")
    return {"type": kind.value, "name": param.display_name, "value": value}


_YEAR = re.compile(r"\d{4}")


def _accepts(param: app_commands.Parameter, token: str) -> bool:
    """Could this token be the start of ``param``'s value (for splitting a typed line)?"""
    if param.type in (AppCommandOptionType.integer, AppCommandOptionType.number):
        return bool(re.fullmatch(r"-?\d+(\.\d+)?", token))
    if param.name == "season":
        return bool(_YEAR.search(token))
    return param.type is not AppCommandOptionType.string


def assign_positional(params: list[app_commands.Parameter], tokens: list[str]) -> dict[str, str]:
    """Spread typed words over options as a person means them.

    ``/race le castellet 2`` -> circuit "le castellet", number 2; ``/driver jerome boullery``
    -> name "jerome boullery"; a string option takes words until one that the next option
    (a number, a season year) can take.
    """
    out: dict[str, str] = {}
    i = 0
    for n, param in enumerate(params):
        if i >= len(tokens):
            break
        if param.type is not AppCommandOptionType.string:
            out[param.display_name] = tokens[i]
            i += 1
            continue
        if param.name == "season" and not _YEAR.search(tokens[i]) and n > 0:
            continue
        words = [tokens[i]]
        i += 1
        rest = params[n + 1 :]
        while i < len(tokens) and not any(_accepts(p, tokens[i]) for p in rest[:1]):
            race_number = param.name == "race" and tokens[i].isdigit() and len(tokens[i]) <= 2
            if (
                rest
                and rest[0].name != "season"
                and rest[0].type is AppCommandOptionType.string
                and not race_number
            ):
                break  # the next word belongs to the next text option
            words.append(tokens[i])
            i += 1
        out[param.display_name] = " ".join(words)
    if i < len(tokens) and params:
        last = params[-1].display_name
        out[last] = " ".join([out[last], *tokens[i:]]) if last in out else " ".join(tokens[i:])
    return out


def build_command_data(
    tree: app_commands.CommandTree[Any],
    parsed: ParsedLine,
    *,
    focused: str | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """The ``data`` of an APPLICATION_COMMAND interaction for this line, typed with the names
    a client in ``lang`` shows.

    An unknown command is still sent (with the name as typed), so the bot gives the answer a
    Discord user would get.
    """
    name = real_name(parsed.names[0], [c.name for c in tree.get_commands()], lang)
    command = tree.get_command(name)
    data: dict[str, Any] = {"id": str(abs(hash(name)) % 10**18), "name": name, "type": 1}
    options: list[dict[str, Any]] = []
    resolved: dict[str, Any] = {}
    positional = list(parsed.positional)
    container = options
    while isinstance(command, app_commands.Group):
        if not positional:
            break
        sub_name = real_name(positional.pop(0).lower(), [c.name for c in command.commands], lang)
        sub = command.get_command(sub_name)
        node: dict[str, Any] = {
            "type": (
                AppCommandOptionType.subcommand_group.value
                if isinstance(sub, app_commands.Group)
                else AppCommandOptionType.subcommand.value
            ),
            "name": sub_name,
            "options": [],
        }
        container.append(node)
        container = node["options"]
        command = sub
    if isinstance(command, app_commands.Command):
        params = list(command.parameters)
        by_name = {p.display_name: p for p in params}
        given: dict[str, str] = {}
        if focused is not None:
            focused = real_name(focused, list(by_name), lang)
        for typed, value in parsed.named.items():
            key = real_name(typed, list(by_name), lang)
            if key not in by_name and focused != key:
                # Discord's client offers only the command's own options: never drop one.
                names = ", ".join(by_name) or "none"
                raise LineError(
                    f"/{command.qualified_name} has no option {key} (options: {names})."
                )
            given[key] = value
        free = [p for p in params if p.display_name not in given]
        given.update(assign_positional(free, positional))
        for key, value in given.items():
            param = by_name.get(key)
            if param is None:
                container.append({"type": 3, "name": key, "value": value})
                continue
            option = _option(param, value, resolved, lang)
            if focused == key:
                option["focused"] = True
                option["value"] = value
            container.append(option)
    elif positional:
        container.extend(
            {"type": 3, "name": f"arg{i}", "value": v} for i, v in enumerate(positional)
        )
    if options:
        data["options"] = options
    if resolved:
        data["resolved"] = resolved
    return data


def find_button(calls: list[Call], harness: Harness, label: str) -> dict[str, Any] | None:
    """The latest message the bot sent or edited that has a button with this label."""
    for message in reversed(list(harness.adapter.messages.values())):
        for row in message.get("components") or []:
            for comp in row.get("components") or []:
                if comp.get("type") == 2 and str(comp.get("label", "")).lower() == label.lower():
                    return {
                        "message": message,
                        "custom_id": comp["custom_id"],
                        "disabled": comp.get("disabled", False),
                    }
    return None


async def ask(
    harness: Harness, line: str, *, user: User, presses: list[str] | None = None
) -> list[Call]:
    parsed = parse_line(line)
    tree = harness.client.tree  # type: ignore[attr-defined]
    data = build_command_data(tree, parsed, lang=lang_of(user.locale))
    calls = await harness.dispatch(interaction_payload(2, data, user))
    for label in presses or []:
        button = find_button(calls, harness, label)
        if button is None:
            raise LineError(f"No button labelled {label!r} on the latest reply.")
        press = {"custom_id": button["custom_id"], "component_type": 2}
        calls += await harness.dispatch(
            interaction_payload(3, press, user, message=button["message"])
        )
    return calls


async def autocomplete(harness: Harness, line: str, option: str, *, user: User) -> list[str]:
    """Ask the bot's own autocomplete, as Discord does while a user types."""
    parsed = parse_line(line)
    tree = harness.client.tree  # type: ignore[attr-defined]
    data = build_command_data(tree, parsed, focused=option, lang=lang_of(user.locale))
    calls = await harness.dispatch(interaction_payload(4, data, user))
    for call in calls:
        body = call.body or {}
        if body.get("type") == 8:
            return [str(c["value"]) for c in (body.get("data") or {}).get("choices", [])]
    return []


# -- printing ----------------------------------------------------------------------------------
def is_error(calls: list[Call]) -> bool:
    for call in calls:
        data = _message_data(call)
        for embed in (data or {}).get("embeds") or []:
            if embed.get("color") == ERROR_COLOUR.value:
                return True
    return False


def _message_data(call: Call) -> dict[str, Any] | None:
    body = call.body
    if not isinstance(body, dict):
        return None
    if call.path.endswith("/callback"):
        return body.get("data") if body.get("type") in (4, 7) else None
    return body


_TIMESTAMP = re.compile(r"<t:(\d+)(?::([tTdDfFR]))?>")


def plain(text: str) -> str:
    def stamp(m: re.Match[str]) -> str:
        when = dt.datetime.fromtimestamp(int(m.group(1)), dt.UTC)
        return when.strftime("%Y-%m-%d") if m.group(2) in ("d", "D", None) else when.isoformat()

    text = _TIMESTAMP.sub(stamp, text)
    text = text.replace("**", "").replace("~~", "").replace("`", "")
    return text.replace("\u3000", "   ")


def render_text(calls: list[Call], lang: str = "en") -> str:
    """What the bot sent, as text; the console's own words in ``lang``."""
    blocks: list[str] = []
    for call in calls:
        data = _message_data(call)
        if not data:
            if isinstance(call.body, dict) and call.body.get("type") == 5:
                blocks.append(tr(lang, "(thinking…)"))
            continue
        out: list[str] = []
        flags = data.get("flags") or 0
        if flags & 64:
            out.append(tr(lang, "(only you can see this)"))
        if data.get("content"):
            out.append(plain(data["content"]))
        for embed in data.get("embeds") or []:
            if embed.get("title"):
                title = plain(embed["title"])
                out += [title, "=" * min(len(title), 78)]
            if embed.get("description"):
                out.append(plain(embed["description"]))
            for f in embed.get("fields") or []:
                out += ["", f"## {plain(f['name'])}", plain(f["value"])]
            if (embed.get("footer") or {}).get("text"):
                out += ["", f"-- {plain(embed['footer']['text'])}"]
        for f in data.get("files") or []:
            out.append(
                tr(
                    lang,
                    "image: {path} ({size} bytes; alt text: {alt})",
                    path=f["path"],
                    size=f"{f['bytes']:,}",
                    alt=f["description"],
                )
            )
        buttons = [
            f"[{c.get('label')}]" + (" " + tr(lang, "(disabled)") if c.get("disabled") else "")
            for row in data.get("components") or []
            for c in row.get("components") or []
            if c.get("type") == 2
        ]
        if buttons:
            out.append(tr(lang, "buttons: {labels}", labels=" ".join(buttons)))
        blocks.append("\n".join(out))
    return "\n\n".join(blocks)


def render_json(calls: list[Call]) -> str:
    return json.dumps([c.as_dict() for c in calls], ensure_ascii=False, indent=2)
