FRENCH: dict[str, str] = {}
FRENCH_NAMES: dict[str, str] = {}
