"""A local Discord stand-in for end-to-end tests of the real bot process (no network)."""

from tests.fakediscord.server import (
    INTERACTION_DEADLINE_S,
    Exchange,
    FakeDiscord,
    GatewayFrame,
    InteractionRecord,
)

__all__ = [
    "INTERACTION_DEADLINE_S",
    "Exchange",
    "FakeDiscord",
    "GatewayFrame",
    "InteractionRecord",
]
