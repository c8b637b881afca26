"""Pure championship logic: classification, penalties, points, standings. No discord, no SQL."""
