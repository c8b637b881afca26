"""Turning what a user typed into a season, a race, a driver or a championship.

Case- and accent-insensitive, partial and alias input; an ambiguous or unknown name raises
:class:`NotFound` with "did you mean" suggestions, never a guess presented as an answer.
Autocomplete uses the same index, best match first, at most 25 choices.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.domain.models import Championship, Entry, Round
from bot.errors import Invalid, NotFound
from bot.services.championship import (
    ChampionshipService,
    RaceView,
    SeasonView,
    race_label,
    short_circuit,
)

MAX_CHOICES = 25
MAX_INPUT = 100  # longer input is cut before matching: no name is that long


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """'Jérôme  BOULLERY' -> 'jerome boullery' (accents, case, punctuation, spacing)."""
    text = unicodedata.normalize("NFKD", text[:MAX_INPUT])
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", " ", text.casefold().replace("_", " "))
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Named:
    """One thing a user may name, with every form that names it."""

    label: str
    value: str
    keys: tuple[str, ...]  # folded forms


class NameIndex:
    def __init__(self, items: Iterable[Named]) -> None:
        self.items = tuple(items)
        self._keys: list[tuple[str, Named]] = [(k, n) for n in self.items for k in n.keys]
        # People type the same prefixes again and again: keep the last answers.
        self._choices: OrderedDict[tuple[str, int], list[Named]] = OrderedDict()

    def resolve(self, text: str, what: str) -> Named:
        """``what``: circuit, driver, championship or season (picks the messages)."""
        query = fold(text)
        if not query:
            raise NotFound(_MESSAGES[what][0], self.suggest("", 5))
        exact = _unique(n for k, n in self._keys if k == query)
        if len(exact) == 1:
            return exact[0]
        starts = _unique(
            n
            for k, n in self._keys
            if k.startswith(query) or any(w.startswith(query) for w in k.split())
        )
        if len(starts) == 1 and not exact:
            return starts[0]
        contains = _unique(n for k, n in self._keys if query in k)
        if len(contains) == 1 and not exact and not starts:
            return contains[0]
        candidates = exact or starts or contains
        if candidates:
            labels = tuple(n.label for n in candidates[:5])
            raise NotFound(_MESSAGES[what][1], labels, name=_clip(text))
        raise NotFound(_MESSAGES[what][2], self.suggest(text, 3), name=_clip(text))

    def suggest(self, text: str, limit: int = MAX_CHOICES) -> tuple[str, ...]:
        return tuple(n.label for n in self.choices(text, limit))

    def choices(self, text: str, limit: int = MAX_CHOICES) -> list[Named]:
        """Best match first; every item when the input is empty."""
        key = (fold(text), limit)
        found = self._choices.get(key)
        if found is None:
            found = self._rank(text, limit)
            self._choices[key] = found
            if len(self._choices) > 512:
                self._choices.popitem(last=False)
        return list(found)

    def _rank(self, text: str, limit: int) -> list[Named]:
        query = fold(text)
        if not query:
            return list(self.items[:limit])
        ranked: dict[str, tuple[float, Named]] = {}
        for key, named in self._keys:
            if key == query:
                score = 300.0
            elif key.startswith(query):
                score = 200.0 - len(key) / 100
            elif any(w.startswith(query) for w in key.split()):
                score = 150.0 - len(key) / 100
            elif query in key:
                score = 120.0
            else:
                continue
            if score > ranked.get(named.value, (0.0, named))[0]:
                ranked[named.value] = (score, named)
        if len(ranked) < limit:
            keys = [k for k, _ in self._keys]
            for _key, score, index in process.extract(
                query, keys, scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=60
            ):
                named = self._keys[index][1]
                if named.value not in ranked:
                    ranked[named.value] = (float(score) - 100, named)
        ordered = sorted(ranked.values(), key=lambda t: -t[0])
        return [n for _, n in ordered[:limit]]


_MESSAGES = {
    "circuit": (
        "Which circuit? Give a name.",
        "“{name}” could be several circuits.",
        "No circuit called “{name}”.",
    ),
    "driver": (
        "Which driver? Give a name.",
        "“{name}” could be several drivers.",
        "No driver called “{name}”.",
    ),
    "championship": (
        "Which championship? Give a name.",
        "“{name}” could be several championships.",
        "No championship called “{name}”.",
    ),
    "season": (
        "Which season? Give a year.",
        "“{name}” could be several seasons.",
        "No season called “{name}”.",
    ),
}


def _unique(items: Iterable[Named]) -> list[Named]:
    seen: dict[str, Named] = {}
    for n in items:
        seen.setdefault(n.value, n)
    return list(seen.values())


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the indexes of one season ---------------------------------------------------------------
def _round_keys(rnd: Round) -> tuple[str, ...]:
    forms = [rnd.slug, rnd.slug.replace("-", " "), rnd.circuit, rnd.town, rnd.country]
    forms += list(rnd.aliases)
    return tuple(dict.fromkeys(fold(f) for f in forms if f))


class SeasonIndex:
    """Name indexes of one season, built once per season view."""

    def __init__(self, view: SeasonView) -> None:
        self.view = view
        self.rounds = NameIndex(
            Named(label=f"{r.circuit} ({r.town})", value=str(r.number), keys=_round_keys(r))
            for r in view.season.rounds
        )
        race_items = []
        for s in view.races:
            rnd = view.rounds[s.round_number]
            label = race_label(rnd, s)
            keys = (*(f"{k} {s.number}" for k in _round_keys(rnd)), fold(label))
            race_items.append(Named(label=label, value=f"{s.round_number}:{s.number}", keys=keys))
        self.races = NameIndex(race_items)
        seen: set[int] = set()
        driver_items = []
        for e in view.season.entries:
            if e.driver_id in seen:
                continue
            seen.add(e.driver_id)
            forms = [fold(e.driver)]
            parts = forms[0].split()
            if len(parts) > 1:
                forms.append(" ".join(parts[1:]))  # the family name alone
            if e.car_number is not None and not e.guest:
                forms.append(str(e.car_number))
            label = e.driver + (f" #{e.car_number}" if e.car_number is not None else "")
            driver_items.append(Named(label=label, value=str(e.driver_id), keys=tuple(forms)))
        self.drivers = NameIndex(driver_items)
        self.championships = NameIndex(
            Named(
                label=c.name,
                value=c.slug,
                keys=tuple(dict.fromkeys(fold(x) for x in (c.slug, c.name, *c.aliases))),
            )
            for c in view.season.championships
        )

    def round(self, text: str) -> Round:
        named = self.rounds.resolve(text, "circuit")
        return self.view.rounds[int(named.value)]

    def race(self, text: str, number: int | None = None) -> RaceView:
        """'monza 1', 'Monza — race 1', 'le castellet 2', or a circuit plus ``number``."""
        text = text.strip()
        m = re.match(r"^(.*?)[\s—–-]*(?:\b(?:race|r|course|manche)\s*)?(\d{1,2})\s*$", text, re.I)
        if m and m.group(1).strip() and number is None:
            base, number = m.group(1), int(m.group(2))
        else:
            base = text
        rnd = self.round(base)
        races = self.view.races_of_round(rnd.number)
        if number is None:
            if len(races) == 1:
                number = races[0].number
            else:
                numbers = " / ".join(str(s.number) for s in races)
                raise Invalid(
                    "{place} had {count} races: say which ({numbers}).",
                    place=short_circuit(rnd),
                    count=len(races),
                    numbers=numbers,
                )
        race = self.view.race(rnd.number, number)
        if race is None:
            if len(races) == 1:
                raise Invalid("{place} had one race.", place=short_circuit(rnd))
            raise Invalid(
                "{place} had {count} races, not {number}.",
                place=short_circuit(rnd),
                count=len(races),
                number=number,
            )
        return race

    def driver(self, text: str, round_number: int | None = None) -> Entry:
        """The driver's entry; with ``round_number``, the one entered that round (a driver
        who changed team has an entry per team)."""
        named = self.drivers.resolve(text, "driver")
        driver_id = int(named.value)
        entries = [e for e in self.view.season.entries if e.driver_id == driver_id]
        if round_number is not None:
            entered = [e for e in entries if e.enters(round_number)]
            entries = entered or entries
        return entries[0]

    def championship(self, text: str | None) -> Championship:
        if not text:
            return self.view.season.championships[0]
        query = fold(text)
        topic_note = self.view.season.note(query)
        known = {fold(c.slug) for c in self.view.season.championships}
        if topic_note and query not in known:
            raise Invalid("{note}", note=topic_note)
        named = self.championships.resolve(text, "championship")
        champ = self.view.season.championship(named.value)
        assert champ is not None
        return champ


class Lookup:
    """Seasons and per-season indexes for every command; rebuilt when a season changes."""

    def __init__(self, service: ChampionshipService) -> None:
        self.service = service
        self._seasons: NameIndex | None = None
        self._seasons_key = -1

    def index(self, view: SeasonView) -> SeasonIndex:
        """The name indexes of a season, kept with its view (and gone with it)."""
        index = view.memo.get(("name-index",))
        if not isinstance(index, SeasonIndex):
            index = SeasonIndex(view)
            view.memo[("name-index",)] = index
        return index

    async def season(self, text: str | None) -> SeasonView:
        if not text or not text.strip():
            return self.service.latest()
        season_id = int(self._season_index().resolve(text, "season").value)
        return await self.service.get(season_id)

    def _season_index(self) -> NameIndex:
        """Every season by name; built once per list of seasons (it changes only on seeding)."""
        key = self.service.refs_version
        if self._seasons_key == key and self._seasons is not None:
            return self._seasons
        refs = self.service.seasons
        ordered = sorted(refs, key=lambda r: (-r.year, r.series_slug))
        per_year: dict[int, int] = {}
        for ref in ordered:
            per_year[ref.year] = per_year.get(ref.year, 0) + 1
        items = []
        for ref in ordered:
            keys: tuple[str, ...] = (
                fold(f"{ref.series_slug} {ref.year}"),
                fold(f"{ref.year} {ref.series_slug}"),
                fold(ref.name),
                fold(f"{ref.series_name} {ref.year}"),
            )
            # A bare year names a season when only one series ran that year.
            if per_year[ref.year] == 1:
                keys = (*keys, str(ref.year))
            items.append(Named(label=ref.name, value=str(ref.id), keys=keys))
        self._seasons, self._seasons_key = NameIndex(items), key
        return self._seasons

    def season_choices(self, text: str) -> list[Named]:
        return self._season_index().choices(text)


# -- what was picked, again in a newer view of its season -------------------------------------
def race_in(view: SeasonView, race: RaceView) -> RaceView:
    """``race`` in ``view`` (a Confirm plans again on the season as it is then)."""
    found = view.race(race.round.number, race.session.number)
    if found is None:
        raise NotFound(_MESSAGES["circuit"][2], name=race.label)
    return found


def round_in(view: SeasonView, rnd: Round) -> Round:
    """``rnd`` as ``view`` has it (its dates or state may have changed since)."""
    found = next((r for r in view.season.rounds if r.id == rnd.id), None)
    if found is None:
        raise NotFound(_MESSAGES["circuit"][2], name=rnd.circuit)
    return found


def entry_in(view: SeasonView, entry: Entry) -> Entry:
    """``entry`` as ``view`` has it (its team or class may have changed since)."""
    found = view.entries.get(entry.id)
    if found is None:
        raise NotFound(_MESSAGES["driver"][2], name=entry.driver)
    return found
