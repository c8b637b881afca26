"""The model's own rules (bot.domain.models): who enters a round, who is eligible, what a
place pays."""

from __future__ import annotations
