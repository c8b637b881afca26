"""Discord's limits in one place: the guard every outgoing message passes, and a checker.

discord.py checks almost none of these before sending; Discord answers 400. So every embed
the renderers build goes through :func:`fit_embed`, and :func:`payload_problems` checks a
whole JSON payload (used by the tests and the local Discord stand-in).
"""

from __future__ import annotations

import re
from typing import Any

import discord

CONTENT = 2000
EMBEDS_PER_MESSAGE = 10
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
COMMAND_NAME_RE = re.compile(r"^[-_'\w]{1,32}$")
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
COMMAND_TOTAL = 8000

ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def clip_lines(lines: list[str], limit: int, more: str = "… and {n} more") -> str:
    """Join whole lines up to ``limit`` characters, saying how many were left out."""
    out: list[str] = []
    used = 0
    for i, raw in enumerate(lines):
        line = clip(raw, limit)
        rest = len(lines) - i
        tail = len(more.format(n=rest)) + 1 if rest > 1 else 0
        if used + len(line) + 1 + tail > limit and out:
            out.append(more.format(n=rest))
            break
        out.append(line)
        used += len(line) + 1
    return clip("\n".join(out), limit)


def embed_size(embed: discord.Embed) -> int:
    total = len(embed.title or "") + len(embed.description or "")
    total += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    total += len(embed.footer.text or "") + len(embed.author.name or "")
    return total


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Bring one embed within every limit (cutting text, never dropping it silently)."""
    if embed.title:
        embed.title = clip(embed.title, TITLE)
    if embed.description:
        embed.description = clip(embed.description, DESCRIPTION)
    if len(embed.fields) > FIELDS:
        kept = embed.fields[: FIELDS - 1]
        dropped = len(embed.fields) - len(kept)
        embed.clear_fields()
        for f in kept:
            embed.add_field(name=f.name, value=f.value, inline=f.inline)
        embed.add_field(name="…", value=f"{dropped} more not shown", inline=False)
    for i, f in enumerate(list(embed.fields)):
        embed.set_field_at(
            i,
            name=clip(f.name or "\u200b", FIELD_NAME),
            value=clip(f.value or "\u200b", FIELD_VALUE),
            inline=bool(f.inline),
        )
    if embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, FOOTER))
    if embed.author.name:
        embed.set_author(name=clip(embed.author.name, AUTHOR))
    # The 6,000 total: shorten the description first, then drop trailing fields.
    excess = embed_size(embed) - EMBED_TOTAL
    if excess > 0 and embed.description:
        keep = max(0, len(embed.description) - excess - 1)
        embed.description = clip(embed.description, keep) if keep else None
    while embed_size(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def fit_content(text: str) -> str:
    return clip(text, CONTENT)


# -- checking a payload (what Discord would refuse with 400) --------------------------------
def payload_problems(body: dict[str, Any]) -> list[str]:
    """Every way a message/interaction-response body breaks Discord's limits."""
    problems: list[str] = []
    data = body.get("data", body) if "type" in body and "data" in body else body
    if not isinstance(data, dict):
        return problems
    choices = data.get("choices")
    if choices is not None:
        if len(choices) > CHOICES:
            problems.append(f"{len(choices)} autocomplete choices (max {CHOICES})")
        for c in choices:
            if not 1 <= len(str(c.get("name", ""))) <= CHOICE_NAME:
                problems.append(f"choice name length {len(str(c.get('name', '')))}")
            if isinstance(c.get("value"), str) and len(c["value"]) > CHOICE_VALUE:
                problems.append(f"choice value length {len(c['value'])}")
    content = data.get("content")
    if content is not None and len(content) > CONTENT:
        problems.append(f"content {len(content)} > {CONTENT}")
    embeds = data.get("embeds") or []
    if len(embeds) > EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds > {EMBEDS_PER_MESSAGE}")
    total = 0
    for e in embeds:
        for key, limit in (("title", TITLE), ("description", DESCRIPTION)):
            n = len(e.get(key) or "")
            total += n
            if n > limit:
                problems.append(f"embed {key} {n} > {limit}")
        fields = e.get("fields") or []
        if len(fields) > FIELDS:
            problems.append(f"{len(fields)} fields > {FIELDS}")
        for f in fields:
            name, value = f.get("name") or "", f.get("value") or ""
            total += len(name) + len(value)
            if not name or len(name) > FIELD_NAME:
                problems.append(f"field name length {len(name)}")
            if not value or len(value) > FIELD_VALUE:
                problems.append(f"field value length {len(value)}")
        footer = (e.get("footer") or {}).get("text") or ""
        author = (e.get("author") or {}).get("name") or ""
        total += len(footer) + len(author)
        if len(footer) > FOOTER:
            problems.append(f"footer {len(footer)} > {FOOTER}")
        if len(author) > AUTHOR:
            problems.append(f"author {len(author)} > {AUTHOR}")
    if total > EMBED_TOTAL:
        problems.append(f"embeds total {total} > {EMBED_TOTAL}")
    if (content or embeds) and "allowed_mentions" in data:
        parse = (data.get("allowed_mentions") or {}).get("parse")
        if parse:
            problems.append(f"allowed_mentions.parse is {parse}: mentions must be off")
    return problems


def command_problems(command: dict[str, Any]) -> list[str]:
    """Discord's rules for one command definition (from ``Command.to_dict``)."""
    problems: list[str] = []

    def walk(node: dict[str, Any], depth: int) -> int:
        size = len(node.get("name", "")) + len(node.get("description", ""))
        name = node.get("name", "")
        if not COMMAND_NAME_RE.match(name) or name != name.lower():
            problems.append(f"bad name {name!r}")
        desc = node.get("description", "")
        described = node.get("type", 1) in (1, 2) or "options" in node or depth
        if described and not 1 <= len(desc) <= COMMAND_DESCRIPTION:
            problems.append(f"{name}: description length {len(desc)}")
        for loc in (node.get("name_localizations") or {}).values():
            size += len(loc)
        for loc in (node.get("description_localizations") or {}).values():
            size += len(loc)
        options = node.get("options") or []
        if len(options) > COMMAND_OPTIONS:
            problems.append(f"{name}: {len(options)} options")
        choices = node.get("choices") or []
        if len(choices) > CHOICES:
            problems.append(f"{name}: {len(choices)} choices")
        if choices and node.get("autocomplete"):
            problems.append(f"{name}: choices and autocomplete together")
        for c in choices:
            size += len(str(c.get("name", ""))) + len(str(c.get("value", "")))
            if not 1 <= len(str(c.get("name", ""))) <= CHOICE_NAME:
                problems.append(f"{name}: choice name length")
        if depth > 2:
            problems.append(f"{name}: nested too deep")
        for o in options:
            size += walk(o, depth + 1)
        return size

    total = walk(command, 0)
    if total > COMMAND_TOTAL:
        problems.append(f"{command.get('name')}: {total} characters > {COMMAND_TOTAL}")
    return problems
