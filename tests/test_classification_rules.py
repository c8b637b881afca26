"""Race classification (bot.domain.classification) called directly: complete and partial
records, penalties, ranks among a championship's cars."""

from __future__ import annotations
