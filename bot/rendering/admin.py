"""Admin answers: previews (before → after), confirmations, audit log, announcements."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain.classification import RaceClassification
from bot.domain.models import Entry, Penalty
from bot.rendering.fan import COLOUR, Reply, ordinal, penalty_text, season_title
from bot.rendering.limits import clip, clip_lines, fit_embed
from bot.services.admin import Applied, Plan
from bot.services.championship import SeasonView
from bot.storage.changes import AuditRow

PREVIEW_COLOUR = discord.Colour(0xF1C40F)
DONE_COLOUR = discord.Colour(0x2ECC71)


def _class_rank(cls: RaceClassification, entry: Entry) -> int | None:
    if not entry.klass:
        return None
    klass = entry.klass
    return cls.rank(entry.id, lambda e: None if e.klass is None else e.klass == klass)


def _place(cls: RaceClassification, entry: Entry) -> str:
    row = cls.row(entry.id)
    if row is None:
        return "—"
    if row.position is not None:
        text = ordinal(row.position)
    elif row.status is not None and row.status.value != "classified":
        text = row.status.value
    else:
        text = "?"
    rank = _class_rank(cls, entry) if row.position is not None else None
    if rank is not None:
        text += f" ({entry.klass} {ordinal(rank)})"
    return text


def race_changes(plan: Plan) -> list[str]:
    if plan.race is None:
        return []
    session = plan.race.session
    before = plan.base.classifications.get(session.id)
    after = plan.candidate.classifications.get(session.id)
    if before is None or after is None:
        return []
    lines = []
    for row in after.rows:
        old, new = _place(before, row.entry), _place(after, row.entry)
        if old != new:
            lines.append(f"{row.entry.driver}: {old} → {new}")
    return lines


def standings_changes(plan: Plan, limit: int = 6) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for champ in plan.candidate.championships:
        if plan.base.season.championship(champ.slug) is None:
            continue
        old = {r.key: r for r in plan.base.standings(champ.slug).rows}
        new = plan.candidate.standings(champ.slug).rows
        lines = []
        for r in new:
            o = old.get(r.key)
            if o is None:
                if r.points:
                    lines.append(f"{r.name}: new, {ordinal(r.position)} ({r.points} pts)")
                continue
            if (o.position, o.points) != (r.position, r.points):
                lines.append(
                    f"{r.name}: {ordinal(o.position)} → {ordinal(r.position)} "
                    f"({o.points} → {r.points} pts)"
                )
        if lines:
            extra = len(lines) - limit
            shown = lines[:limit] + ([f"… and {extra} more"] if extra > 0 else [])
            out.append((champ.name, shown))
    return out


def preview_reply(plan: Plan, expires_s: int) -> Reply:
    view = plan.candidate
    embed = discord.Embed(
        title=clip(f"Preview — {plan.summary}", 256),
        description=f"{season_title(view)} · nothing has changed yet.",
        colour=PREVIEW_COLOUR,
    )
    race_lines = race_changes(plan)
    if plan.race is not None:
        embed.add_field(
            name=f"{plan.race.label}: before → after",
            value=clip_lines(race_lines, 1000) if race_lines else "no position changes",
            inline=False,
        )
    moved = standings_changes(plan)
    for name, lines in moved[:8]:
        embed.add_field(name=f"{name} standings", value=clip_lines(lines, 1000), inline=False)
    if not moved:
        embed.add_field(name="Standings", value="no standings table moves", inline=False)
    last = view.season.last_round
    if moved and plan.from_round < last:
        embed.add_field(
            name="Also",
            value=f"the tables after rounds {plan.from_round}–{last} move with it "
            "(/standings after_round shows them)",
            inline=False,
        )
    embed.set_footer(text=f"Confirm applies it; Cancel drops it; expires in {expires_s // 60} min.")
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def applied_reply(applied: Applied) -> Reply:
    embed = discord.Embed(
        title=clip(f"Done — {applied.plan.summary}", 256),
        description=f"Audit #{applied.audit_id}."
        + (
            ""
            if applied.plan.action.startswith("undo")
            else f" `/undo {applied.audit_id}` reverts it."
        ),
        colour=DONE_COLOUR,
    )
    if "penalty_id" in applied.info:
        embed.add_field(name="Penalty", value=f"#{applied.info['penalty_id']}", inline=True)
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def notice(text: str) -> Reply:
    return Reply(
        pages=[fit_embed(discord.Embed(description=clip(text, 4000), colour=COLOUR))],
        ephemeral=True,
    )


def announcement(applied: Applied) -> discord.Embed | None:
    """The public "stewards' decision" / "results updated" embed, or None for other changes."""
    plan = applied.plan
    view = applied.view
    if plan.action.startswith("penalty"):
        title = "Stewards' decision"
    elif plan.action.startswith(("result", "undo.result")):
        title = "Results updated"
    elif plan.action.startswith("undo.penalty"):
        title = "Stewards' decision withdrawn"
    else:
        return None
    embed = discord.Embed(title=title, description=clip(plan.summary, 1000), colour=COLOUR)
    moved = race_changes(plan)
    if moved:
        embed.add_field(name="Classification", value=clip_lines(moved, 1000), inline=False)
    embed.set_footer(text=season_title(view))
    return fit_embed(embed)


def penalty_list_reply(view: SeasonView, items: Sequence[tuple[str, Penalty]]) -> Reply:
    lines = []
    for label, p in items:
        driver = view.entries[p.entry_id].driver
        who = f" — decided by {p.decided_by}" if p.decided_by else ""
        when = f" on {p.decided_at[:10]}" if p.decided_at else ""
        revoked = (
            f" — revoked by {p.revoked_by or 'unknown'}"
            + (f" on {p.revoked_at[:10]}" if p.revoked_at else "")
            if not p.active
            else ""
        )
        lines.append(f"`#{p.id}` {label} · **{driver}**: {penalty_text(p)}{who}{when}{revoked}")
    embed = discord.Embed(
        title=f"{season_title(view)} — penalties (admin)",
        description=clip_lines(lines, 4000) if lines else "No penalty recorded.",
        colour=COLOUR,
    )
    embed.set_footer(text="including revoked ones · /penalty revoke <id> <reason>")
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def audit_reply(rows: Sequence[AuditRow]) -> Reply:
    lines = []
    for r in rows:
        undone = f" — undone by #{r.undone_by}" if r.undone_by else ""
        summary = _audit_summary(r)
        lines.append(
            f"`#{r.id}` {r.at[:16].replace('T', ' ')} · {r.actor_name or '?'} · "
            f"**{r.action}** {summary}{undone}"
        )
    embed = discord.Embed(
        title="Audit log",
        description=clip_lines(lines, 4000) if lines else "No change recorded yet.",
        colour=COLOUR,
    )
    embed.set_footer(text="newest first · /undo <id> reverts one change")
    return Reply(pages=[fit_embed(embed)], ephemeral=True)


def _audit_summary(r: AuditRow) -> str:
    def short(value: object) -> str:
        if value is None:
            return "—"
        if isinstance(value, dict):
            keys = (
                "type",
                "value",
                "reason",
                "revoke_reason",
                "final",
                "driver",
                "class",
                "car_number",
                "team",
                "complete",
                "penalty_id",
                "entry_id",
                "undoes",
            )
            parts = [f"{k}={value[k]}" for k in keys if k in value and value[k] is not None]
            if "results" in value:
                parts.append(f"{len(value['results'])} results")
            return ", ".join(parts) or "…"
        return str(value)

    return clip(f"({short(r.before)} → {short(r.after)})", 300)
