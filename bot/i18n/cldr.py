"""What CLDR (through Babel) decides per language: plural forms, ordinals, decimals, country names.

Babel's rules are exact but slow to call (a plural rule works on ``Decimal`` operands, about
20 µs), so every answer is remembered: while answering, a count's form or an ordinal is a dict
lookup (``functools.lru_cache``) after its first use.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.numbers import format_decimal

LOCALES = {"en": Locale("en"), "fr": Locale("fr")}
_PLURAL_TAGS = ("zero", "one", "two", "few", "many", "other")  # gettext's order of forms (Babel)
_PLURAL_RULES = {lang: locale.plural_form for lang, locale in LOCALES.items()}
_ORDINAL_RULES = {lang: locale.ordinal_form for lang, locale in LOCALES.items()}
_ORDINAL_SUFFIX = {
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
    "fr": {"one": "er", "other": "e"},
}
_TERRITORIES = {lang: dict(locale.territories) for lang, locale in LOCALES.items()}
_ISO_BY_ENGLISH = {name: code for code, name in _TERRITORIES["en"].items()}
# Nationalities are written as sports bodies write them: ISO 3166 alpha-3 codes, which CLDR
# knows as aliases of its two-letter ones ("CHE" -> "CH"), or IOC/FIA codes where those differ
# from ISO's, which it does not: these are listed here.
_IOC_CODES = {
    "ANG": "AO", "BAR": "BB", "BUL": "BG", "CHI": "CL", "CRO": "HR", "DEN": "DK", "GER": "DE",
    "GRE": "GR", "HAI": "HT", "INA": "ID", "IRI": "IR", "KSA": "SA", "KUW": "KW", "LAT": "LV",
    "MAS": "MY", "MON": "MC", "NED": "NL", "PAR": "PY", "PHI": "PH", "POR": "PT", "RSA": "ZA",
    "SLO": "SI", "SUI": "CH", "TPE": "TW", "UAE": "AE", "URU": "UY", "ZIM": "ZW",
}  # fmt: skip
_ALPHA3 = {
    code: regions[0]
    for code, regions in get_global("territory_aliases").items()
    if len(code) == 3 and code.isalpha() and len(regions) == 1
}
_CACHE = 4096


def plural_forms(lang: str) -> tuple[str, ...]:
    """The CLDR categories of ``lang`` in gettext's order: French ("one", "many", "other")."""
    tags = _PLURAL_RULES[lang].tags
    return tuple(t for t in _PLURAL_TAGS if t in tags or t == "other")


@lru_cache(maxsize=_CACHE)
def plural_category(n: float, lang: str) -> str:
    """"one" for 1 in English, for 0 and 1 (and 1.5) in French; "other", "many"…"""
    return str(_PLURAL_RULES[lang](n))


@lru_cache(maxsize=_CACHE)
def plural_index(n: float, lang: str) -> int:
    """Which gettext plural form (msgstr[i]) ``n`` takes in ``lang``."""
    return plural_forms(lang).index(plural_category(n, lang))


@lru_cache(maxsize=_CACHE)
def ordinal(n: int, lang: str = "en") -> str:
    """1st, 2nd, 3rd, 11th / 1er, 2e: the suffix by CLDR's ordinal rules."""
    return f"{n}{_ORDINAL_SUFFIX[lang][_ORDINAL_RULES[lang](n)]}"


@lru_cache(maxsize=_CACHE)
def decimal(value: float, lang: str, places: int = 3) -> str:
    """``value`` with exactly ``places`` decimals and the language's decimal sign (12,345)."""
    return str(format_decimal(value, format="0." + "0" * places, locale=LOCALES[lang]))


def number(value: float, lang: str) -> str:
    """Points and counts: no decimals when whole, else up to three (12.5 / 12,5)."""
    if value == int(value):
        return str(int(value))
    return _fraction(value, lang)


@lru_cache(maxsize=_CACHE)
def _fraction(value: float, lang: str) -> str:
    return str(format_decimal(value, format="0.###", locale=LOCALES[lang]))


def country(name: str, lang: str) -> str:
    """A country stored by its English name ("Italy"), in ``lang`` ("Italie") by CLDR's names.

    A name CLDR does not know is shown as stored.
    """
    if lang == "en" or (code := _ISO_BY_ENGLISH.get(name)) is None:
        return name
    return str(_TERRITORIES[lang].get(code, name))


@lru_cache(maxsize=_CACHE)
def nationality(code: str, lang: str) -> str:
    """A nationality stored as a country code ("FRA", "SUI", "CH") as CLDR names the country
    in ``lang`` ("France", "Suisse"); a code it does not know is shown as stored."""
    key = code.strip().upper()
    iso = _IOC_CODES.get(key) or _ALPHA3.get(key) or key
    return str(_TERRITORIES[lang].get(iso, code))
