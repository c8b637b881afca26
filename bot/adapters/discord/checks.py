"""Who may write to the championship: its own server's admins, hint and lock declared together.

Modelled on RoboDanny's ``hybrid_permissions_check``: :func:`is_championship_admin` sets
``default_permissions`` (Manage Server: Discord hides the commands from other members) *and*
adds the runtime check that is the real lock, so one can never be declared without the other.
The lock: the interaction comes from the home guild (``PARCFERME_HOME_GUILD_ID``; without it
no one can write), and the member has Manage Server there or one of the admin roles
(``Member.roles``, the public API).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.adapters.discord.errors import Forbidden

log = logging.getLogger(__name__)

ADMIN_PERMISSIONS = discord.Permissions(manage_guild=True)

NO_HOME = (
    "Admin commands are off: the bot's owner must first set PARCFERME_HOME_GUILD_ID to the "
    "championship's server id (in .env) and restart the bot. Only that server's admins can "
    "change the championship."
)
NOT_HOME = "Admin commands only work in the championship's own server."
NO_GUILD = "Admin commands only work in the championship's server."
NOT_ADMIN = (
    "Only the championship's admins can do this (Manage Server, or an admin role set by the "
    "bot's owner)."
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class AdminPolicy:
    """Where and by whom the championship may be changed."""

    home_guild_id: int | None
    role_ids: frozenset[int]

    @classmethod
    def of(cls, home_guild_id: int | None, role_ids: Iterable[int]) -> AdminPolicy:
        return cls(home_guild_id, frozenset(role_ids))

    def refusal(self, interaction: discord.Interaction) -> str | None:
        """Why this interaction may not write (None: it may)."""
        if self.home_guild_id is None:
            return NO_HOME
        if interaction.guild_id is None:
            return NO_GUILD
        if interaction.guild_id != self.home_guild_id:
            return NOT_HOME
        member = interaction.user
        if not isinstance(member, discord.Member):
            return NOT_ADMIN
        if interaction.permissions.manage_guild:
            return None
        if any(role.id in self.role_ids for role in member.roles):
            return None
        return NOT_ADMIN


def policy_of(interaction: discord.Interaction) -> AdminPolicy:
    """The policy the bot was built with (``client.admin_policy``); refuse all without one."""
    policy = getattr(interaction.client, "admin_policy", None)
    return policy if isinstance(policy, AdminPolicy) else AdminPolicy(None, frozenset())


async def check_championship_admin(interaction: discord.Interaction) -> bool:
    """The runtime lock: True, or :class:`Forbidden` with the reason (and a log line)."""
    reason = policy_of(interaction).refusal(interaction)
    if reason is None:
        return True
    command = interaction.command.qualified_name if interaction.command else "?"
    log.warning(
        "refused /%s for user %s in guild %s", command, interaction.user.id, interaction.guild_id
    )
    raise Forbidden(reason)


def is_championship_admin() -> Callable[[T], T]:
    """``default_permissions`` (the hint) and the runtime check (the lock), together."""
    hint = app_commands.default_permissions(manage_guild=True)
    lock = app_commands.check(check_championship_admin)
    guild_only = app_commands.guild_only()

    def decorator(func: Any) -> Any:
        return guild_only(hint(lock(func)))

    return decorator


class AdminGroup(app_commands.Group):
    """A command group for the championship's admins: the hint (``default_permissions``,
    server only) and the lock (:func:`check_championship_admin` on every subcommand)."""

    def __init__(self, *, name: str, description: str) -> None:
        super().__init__(
            name=name,
            description=description,
            default_permissions=ADMIN_PERMISSIONS,
            guild_only=True,
        )

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await check_championship_admin(interaction)
