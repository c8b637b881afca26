"""No fan answer on the 2023 record contradicts a published fact (issue 10).

The facts are read from the season as seeded from its files (outcomes, standings facts that
name a leader, rival or gap, published positions and class positions, published season
counts), never written here; every fan answer is rendered for every championship and every
``after_round``, and read back as text. An answer may say less than the facts (the record is
incomplete); it may not rank, order, count or measure a gap against them.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from bot.rendering import fan as render
from bot.services.championship import ChampionshipService, SeasonView

RANKED = re.compile(r"^`?\s*(\d+)([.=])`?\s+\*\*(.+?)\*\*.*?gap (—|-\d+)", re.M)


def text_of(reply: render.Reply) -> str:
    parts = [reply.content or ""]
    for embed in reply.pages:
        e = embed.to_dict()
        parts += [e.get("title", ""), e.get("description", "")]
        parts += [f["name"] + "\n" + f["value"] for f in e.get("fields", [])]
        parts.append(e.get("footer", {}).get("text", ""))
    return "\n".join(parts)


@dataclass
class Facts:
    """What was published, as the season files hold it."""

    final: dict[str, dict[str, int]] = field(default_factory=dict)  # champ -> name -> place
    margin: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # champ -> 1st, 2nd
    leader: dict[tuple[str, int], str] = field(default_factory=dict)  # (champ, round) -> name
    gap: dict[tuple[str, int], tuple[str, str, int]] = field(default_factory=dict)
    podiums: dict[tuple[str, str | None], int] = field(default_factory=dict)  # at least
    wins: dict[tuple[str, str | None], int] = field(default_factory=dict)  # at least


def published(view: SeasonView) -> Facts:
    facts = Facts()
    season = view.season
    for o in season.outcomes:
        facts.final.setdefault(o.championship, {})[o.name] = o.position
    for champ, places in facts.final.items():
        first = next((n for n, p in places.items() if p == 1), None)
        second = next((n for n, p in places.items() if p == 2), None)
        margin = next(
            (
                o.margin_points
                for o in season.outcomes
                if o.championship == champ and o.position == 1
            ),
            None,
        )
        if first and second and margin is not None:
            facts.margin[champ] = (first, second, margin)
    for n in season.standings_notes:
        if n.after_session is not None or n.leader is None:
            continue  # a fact inside a round is not the table after it
        facts.leader[(n.championship, n.after_round)] = n.leader
        if n.rival is not None and n.gap_points is not None:
            facts.gap[(n.championship, n.after_round)] = (n.leader, n.rival, n.gap_points)
    # Counts from published places: the series' own place overall, the class or rookie rank.
    wins: dict[tuple[str, str | None], int] = defaultdict(int)
    podiums: dict[tuple[str, str | None], int] = defaultdict(int)
    sessions = {s.id: s for s in season.sessions}
    classes = {c.eligible.klass: c.slug for c in season.championships if c.eligible.klass}
    rookie = next((c.slug for c in season.championships if c.eligible.rookie), None)
    for r in season.results:
        e = view.entries[r.entry_id]
        s = sessions[r.session_id]
        place = r.series_position if s.shared_with else r.position
        ranked = [(None, place)]
        if e.klass in classes:
            ranked.append((classes[e.klass], r.class_position))
        if e.rookie and rookie:
            ranked.append((rookie, r.rookie_position))
        for champ, p in ranked:
            if p is not None and not e.guest:
                wins[(e.driver, champ)] += p == 1
                podiums[(e.driver, champ)] += p <= 3
    for f in getattr(season, "facts", ()):
        target = wins if f.what == "wins" else podiums if f.what == "podiums" else None
        if target is not None:
            key = (f.driver, f.championship)
            target[key] = max(target[key], f.count)
    facts.wins, facts.podiums = dict(wins), dict(podiums)
    return facts


def ranked_rows(text: str) -> list[tuple[int, bool, str, int | None]]:
    """(position, shared, name, gap) of every ranked line an answer shows."""
    return [
        (int(m[1]), m[2] == "=", m[3], None if m[4] == "—" else int(m[4][1:]))
        for m in RANKED.finditer(text)
    ]


def standings_problems(facts: Facts, champ: str, upto: int, final: bool, text: str) -> list[str]:
    rows = ranked_rows(text)
    if not rows:
        return []
    problems = []
    by_name = {name: (pos, shared, gap) for pos, shared, name, gap in rows}
    expected = dict(facts.final.get(champ, {})) if final else {}
    leader = facts.leader.get((champ, upto))
    if leader:
        expected.setdefault(leader, 1)
    for name, place in expected.items():
        shown = by_name.get(name)
        if shown is None or shown[0] != place or (place == 1 and shown[1]):
            problems.append(f"{champ} after {upto}: {name} is published {place}, shown {shown}")
    gaps = [facts.margin[champ]] if final and champ in facts.margin else []
    if (champ, upto) in facts.gap:
        gaps.append(facts.gap[(champ, upto)])
    for first, second, points in gaps:
        a, b = by_name.get(first), by_name.get(second)
        if a and b and (b[2] or 0) - (a[2] or 0) != points:
            problems.append(f"{champ} after {upto}: {second} published {points} behind {first}")
    return problems


COUNT = re.compile(r"(\d+) (wins|podiums)")


def count_problems(facts: Facts, who: str, text: str, champ_name: str | None = None) -> list[str]:
    """Counts stated for one driver, against the published ones (known counts are lower
    bounds, so a stated count below a published one contradicts it)."""
    problems = []
    for number, what in COUNT.findall(text):
        known = (facts.wins if what == "wins" else facts.podiums).get((who, champ_name), 0)
        if int(number) < known:
            problems.append(f"{who}: {number} {what} shown, {known} published")
    return problems


@pytest.fixture
def view(service: ChampionshipService) -> SeasonView:
    v = service.latest()
    assert (v.season.series_slug, v.season.year) == ("pccf", 2023)
    return v


def test_the_facts_are_read_from_the_season(view: SeasonView):
    facts = published(view)
    assert facts.final["pro-am"]["Jérôme Boullery"] == 1
    assert facts.margin["drivers"] == ("Dorian Boccolacci", "Alessandro Ghiretti", 24)
    assert facts.gap[("drivers", 5)] == ("Alessandro Ghiretti", "Dorian Boccolacci", 2)
    assert facts.wins[("Jérôme Boullery", "pro-am")] == 3


def test_standings_never_rank_against_a_published_fact(view: SeasonView):
    facts = published(view)
    problems = []
    last = view.season.last_round
    for champ in view.championships:
        for upto in range(1, last + 1):
            table = view.standings(champ.slug, upto)
            text = text_of(render.standings_reply(view, table, "en"))
            problems += standings_problems(facts, champ.slug, upto, table.final, text)
    assert problems == []


def test_standings_on_an_incomplete_record_lead_with_what_was_published(view: SeasonView):
    for champ in view.championships:
        for upto in range(1, view.season.last_round + 1):
            table = view.standings(champ.slug, upto)
            if table.complete:
                continue
            text = text_of(render.standings_reply(view, table, "en"))
            assert ranked_rows(text) == [], (champ.slug, upto)
            assert "gap" not in text
            published_at = [
                n.text
                for n in view.season.standings_notes
                if n.championship == champ.slug and n.after_round <= upto
            ]
            outcome = table.final and view.outcomes(champ.slug)
            lead = text.split("Points known from published results")[0]
            if outcome:
                assert "Champion: " in lead, (champ.slug, upto)
            elif published_at:
                assert any(t in lead for t in published_at), (champ.slug, upto)


def test_drivers_never_shown_below_or_against_what_was_published(view: SeasonView):
    facts = published(view)
    problems = []
    names = {c.slug: c.name for c in view.championships}
    for entry in view.season.entries:
        text = text_of(render.driver_reply(view, entry, "en"))
        record = text.split("Record\n", 1)[1].split("\nChampionships", 1)[0]
        for line in record.splitlines():
            slug = next((s for s, n in names.items() if line.startswith(f"{n}: ")), None)
            problems += count_problems(facts, entry.driver, line, slug)
        for champ in view.championships:
            shown = re.search(rf"^{re.escape(champ.name)}: (\d+)\w\w on", text, re.M)
            if shown is None:
                continue
            place = facts.final.get(champ.slug, {}).get(entry.driver)
            if place is not None and place != int(shown[1]):
                problems.append(f"{entry.driver}: {champ.slug} {shown[1]} shown, {place} published")
            if not view.standings(champ.slug).complete:
                problems.append(f"{entry.driver}: a {champ.slug} place ranked from lower bounds")
    assert problems == []


def test_compare_never_measures_a_gap_against_a_published_one(view: SeasonView):
    facts = published(view)
    problems = []
    named = sorted(
        {n for places in facts.final.values() for n in places}
        | {n for key in facts.gap.values() for n in key[:2]}
    )
    by_name = {e.driver: e for e in view.season.entries}
    for first, second in itertools.permutations([n for n in named if n in by_name], 2):
        a, b = by_name[first], by_name[second]
        text = text_of(render.compare_reply(view, a, b, "en"))
        shown = re.search(r"\*\*Points\*\*: ≥?(\d+) – ≥?(\d+)", text)
        overall = view.championships[0].slug
        if overall in facts.margin:
            p1, p2, margin = facts.margin[overall]
            if shown and {first, second} == {p1, p2}:
                ahead = int(shown[1]) - int(shown[2])
                if (ahead if first == p1 else -ahead) != margin:
                    problems.append(f"{first} vs {second}: points shown, {margin} published")
        for line in text.splitlines():
            pair = re.match(r"\*\*(Wins|Podiums)\w*\*\*: (\d+) – (\d+)", line)
            if pair:
                what = pair[1].lower()
                problems += count_problems(facts, first, f"{pair[2]} {what}")
                problems += count_problems(facts, second, f"{pair[3]} {what}")
    assert problems == []


def test_winners_tally_never_below_the_published_counts(view: SeasonView):
    facts = published(view)
    text = text_of(render.winners_reply(view, None, "en"))
    tally = dict(re.findall(r"^(.+?): (\d+)$", text.split("Tally\n", 1)[1], re.M))
    for (name, champ), wins in facts.wins.items():
        if champ is None and wins and name in tally:
            assert int(tally[name]) >= wins, name


def test_title_keeps_starting_from_the_published_gap(view: SeasonView):
    facts = published(view)
    for (champ, upto), (leader, rival, gap) in facts.gap.items():
        text = text_of(render.title_reply(view, champ, upto, "en"))
        assert "Published:" in text and str(gap) in text, (champ, upto)
        assert leader.split()[-1] in text and rival.split()[-1] in text


def every_answer(view: SeasonView) -> list[tuple[str, str]]:
    """(what, text) of every fan answer on the season, every championship and round."""
    out = []
    last = view.season.last_round
    for champ in view.championships:
        for upto in range(1, last + 1):
            table = view.standings(champ.slug, upto)
            out.append(
                (f"standings {champ.slug} {upto}", text_of(render.standings_reply(view, table)))
            )
            if not champ.is_teams:
                out.append(
                    (
                        f"title {champ.slug} {upto}",
                        text_of(render.title_reply(view, champ.slug, upto)),
                    )
                )
        out.append((f"winners {champ.slug}", text_of(render.winners_reply(view, champ.slug))))
    for race in view.race_views():
        out.append((f"race {race.session.id}", text_of(render.race_reply(view, race))))
    for entry in view.season.entries:
        out.append((f"driver {entry.driver}", text_of(render.driver_reply(view, entry))))
    out.append(("poles", text_of(render.poles_reply(view))))
    out.append(("calendar", text_of(render.calendar_reply(view))))
    out.append(("penalties", text_of(render.penalties_reply(view, view.penalties(), ""))))
    return out


def test_no_answer_ranks_or_measures_gaps_from_lower_bounds(view: SeasonView):
    """On this record no championship table is complete: nothing may be ranked from it."""
    assert not any(view.standings(c.slug).complete for c in view.championships)
    problems = [
        what
        for what, text in every_answer(view)
        if ranked_rows(text)
        or re.search(r"gap -\d", text)
        or re.search(r"\d(st|nd|rd|th) on [≥\d]", text)
    ]
    assert problems == []


def test_class_winner_tallies_never_below_the_published_class_wins(view: SeasonView):
    facts = published(view)
    for champ in view.championships[1:]:
        if champ.is_teams:
            continue
        text = text_of(render.winners_reply(view, champ.slug, "en"))
        if "Tally\n" not in text:
            continue
        tally = dict(re.findall(r"^(.+?): (\d+)$", text.split("Tally\n", 1)[1], re.M))
        for (name, slug), wins in facts.wins.items():
            if slug == champ.slug and name in tally:
                assert int(tally[name]) >= wins, (champ.slug, name)
