"""Pure: group notes and matched items into dated briefings, with standings and what changed."""

import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import timedelta

from .match import item_mentions, normalise, passes_rules
from .model import UNTITLED, Briefing, Mention, Position, Standing
from .sanitize import excerpt
from .text import in_sentence
from .urls import normalise_link


@dataclass(frozen=True)
class Change:
    """A recorded position and what it did to the standings: 'new', 'changed', 'reversed',
    'withdrawn' or 'reaffirmed'."""

    position: Position
    mark: str
    previous: Position | None = None  # the stance held as the day began, if any


@dataclass(frozen=True)
class Digest:
    actors: dict
    issues: dict
    stances: dict
    evidence: dict  # evidence id -> the words readers see
    briefings: tuple[Briefing, ...]
    current: dict = field(hash=False)  # (actor, issue) -> Standing after the last briefing
    changes_by_actor: dict = field(hash=False)  # actor -> tuple[Change], oldest first
    changes_by_issue: dict = field(hash=False)
    changes_by_pair: dict = field(hash=False)  # (actor, issue) -> tuple[Change], for the timelines
    dates_by_actor: dict = field(hash=False)  # actor -> tuple[date] of briefings they appear in
    dates_by_issue: dict = field(hash=False)

    def evidence_words(self, evidence):
        """What a position rests on, as it reads in a sentence: 'on record', 'evidence not stated'."""
        return in_sentence(self.evidence[evidence]) if evidence else "evidence not stated"


def match_items(items, feeds, matcher, known=None, keys=None):
    """Tag each item with what it mentions, keep what its feed's rules keep, one item per story.

    The rules are applied again here, before stories are merged, so that a rule an editor adds
    later also hides what is already archived, and never takes other outlets' reports with it.
    `known` maps (feed, id) to mentions already worked out with this matcher, and `keys` to
    story_keys of the item (the build cache works both out where it reads the archive).
    """
    tags, kept, known = {}, [], known or {}
    for item in items:
        key = (item.feed, item.id)
        found = known[key] if key in known else item_mentions(matcher, item)
        tags[key] = found
        feed = feeds.get(item.feed)
        if feed is not None and not passes_rules(feed, item):
            continue
        if any(found) or (feed is not None and not feed.only_matching):
            kept.append(item)
    return [Mention(item, *tags[(item.feed, item.id)]) for item in merge_outlets(kept, keys)]


def story_keys(item):
    """(normalised title, or "" when untitled; normalised link, or "" when none): what
    merge_outlets compares items by."""
    title = "" if item.title == UNTITLED else normalise(item.title)
    link = normalise_link(item.link) if item.link else ""
    # The link itself when already normal: one string, not two, where keys are kept per item.
    return title, item.link if link == item.link else link


def merge_outlets(items, keys=None):
    """One item per story, and no feed speaking for another.

    One publisher's items are one story when they share a link, or a title on one day. Items of
    different publishers are one story only when they say the same (link, title and summary), so
    the one that leads replaces no other outlet's words: an item under another outlet's link
    with its own title or summary stays its own item, and so does the outlet's. The earliest
    report leads; every other outlet's link is kept with it. `keys` may map (feed, id) to the
    item's story_keys, worked out beforehand.
    """
    kept, story_of, stories, keys = [], {}, {}, keys or {}
    for item in sorted(items, key=lambda i: (i.published, i.feed, i.id)):
        title, link = keys.get((item.feed, item.id)) or story_keys(item)
        found = story_of.get(("link", item.publisher, link)) if link else None
        if title:
            by_title = ("title", item.publisher, title, item.published.date())
            found = story_of.get(by_title, found)
        story = stories.setdefault((link, title), _Texts()) if link and title else None
        if found is None and story is not None:
            found = story.get(item)
        if found is None:
            found = len(kept)
            kept.append(item)
        elif item.publisher != kept[found].publisher and item.link:
            kept[found] = replace(kept[found], also=(*kept[found].also, (item.publisher, item.link)))
        if title:
            story_of.setdefault(by_title, found)
        if link:
            story_of.setdefault(("link", item.publisher, link), found)
        if story is not None:
            story.add(item, found)
    return kept


class _Texts:
    """The stories under one link and title, by their items' normalised text: worked out only once
    a second item has that link and title, as normalising every summary was most of the merge."""

    def __init__(self):
        self.waiting, self.found = [], {}

    def _settle(self):
        for item, index in self.waiting:
            self.found.setdefault(normalise(item.text), index)
        self.waiting.clear()

    def get(self, item):
        if not self.waiting and not self.found:
            return None
        self._settle()
        return self.found.get(normalise(item.text))

    def add(self, item, index):
        self.waiting.append((item, index))


def _mark(previous, position, opposites):
    if position.withdrawn:
        return "withdrawn"
    if previous is None:
        return "new"
    if previous.stance == position.stance:
        return "reaffirmed"
    return "reversed" if {previous.stance, position.stance} == opposites else "changed"


MOVED = ("changed", "reversed")  # marks of a standing that has a previous stance


def _unique(values):
    return tuple(dict.fromkeys(values))


_BY_TIME = operator.attrgetter("item.published", "item.title")  # a lambda took twice as long


def build(actors, issues, vocabulary, notes, mentions, tz):
    """Return the Digest: one Briefing per date with a note or a matched item, oldest first.

    `vocabulary`: the site's stances and evidence ({id: words}), and the two stances a move between
    is a reversal (a set, empty when there are none)."""
    stances, evidence, opposites = vocabulary
    notes_by_date, mentions_by_date = defaultdict(list), defaultdict(list)
    for note in notes:
        notes_by_date[note.date].append(note)
    for mention in sorted(mentions, key=_BY_TIME):
        mentions_by_date[mention.item.published.astimezone(tz).date()].append(mention)
    dates = sorted(set(notes_by_date) | set(mentions_by_date))
    story = _Story(actors, issues, set(opposites))
    briefings = [story.day(day, notes_by_date[day], mentions_by_date[day]) for day in dates]
    last = briefings[-1].standings if briefings else {}
    briefings = [
        replace(b, previous=dates[i - 1] if i else None, next=dates[i + 1] if i + 1 < len(dates) else None)
        for i, b in enumerate(briefings)
    ]
    frozen = {name: {k: tuple(v) for k, v in found.items()} for name, found in story.found.items()}
    return Digest(
        actors=actors,
        issues=issues,
        stances=stances,
        evidence=evidence,
        briefings=tuple(briefings),
        current={k: last.get(k) or Standing(p) for k, p in story.standings.items()},
        **frozen,
    )


class _Story:
    """What build() knows as it goes through the days: the standings as of the day, each actor's,
    issue's and pair's changes, and the days each actor and issue appears in."""

    def __init__(self, actors, issues, opposites):
        self.actors, self.issues, self.standings, self.ever_active = actors, issues, {}, set()
        self.opposites = opposites
        self.found = {
            name: defaultdict(list)
            for name in (
                "changes_by_actor",
                "changes_by_issue",
                "changes_by_pair",
                "dates_by_actor",
                "dates_by_issue",
            )
        }

    def day(self, day, notes, mentions):
        """The Briefing of a day, its positions recorded in the standings."""
        positions = [p for n in notes for p in n.positions]
        before, marks, withdrawn = self._record(positions)
        active = _unique(
            [p.actor for p in positions]
            + [t for n in notes for t in n.tags if t in self.actors]
            + [a for m in mentions for a in m.actors]
        )
        touched = _unique(
            [p.issue for p in positions]
            + [t for n in notes for t in n.tags if t in self.issues]
            + [i for m in mentions for i in m.issues]
        )
        for actor in active:
            self.found["dates_by_actor"][actor].append(day)
        for issue in touched:
            self.found["dates_by_issue"][issue].append(day)
        briefing = Briefing(
            date=day,
            notes=tuple(notes),
            mentions=tuple(mentions),
            positions=tuple(positions),
            actors=active,
            standings=_day_standings(self.standings, positions, marks, before),
            new_actors=tuple(a for a in active if a not in self.ever_active),
            withdrawn=tuple(withdrawn),
        )
        self.ever_active.update(active)
        return briefing

    def _record(self, positions):
        """Record a day's positions: (the standings as the day began, kept only for the pairs it
        touches, as copying them all every day would cost days x pairs; each pair's mark; the
        standings withdrawn)."""
        before, marks, withdrawn = {}, {}, []
        by_actor, by_issue, by_pair = (self.found[f"changes_by_{k}"] for k in ("actor", "issue", "pair"))
        for position in positions:
            key = (position.actor, position.issue)
            if key not in before:
                before[key] = self.standings.get(key)
            change = Change(position, _mark(before[key], position, self.opposites), before[key])
            by_actor[position.actor].append(change)
            by_issue[position.issue].append(change)
            by_pair[key].append(change)
            if position.withdrawn:
                if self.standings.pop(key, None) is not None:
                    withdrawn.append(Standing(position, "withdrawn", before.get(key)))
                marks.pop(key, None)
                continue
            self.standings[key] = position
            marks[key] = "" if change.mark == "reaffirmed" else change.mark
        return before, marks, withdrawn


def _day_standings(standings, positions, marks, before):
    """The standings as of a day of the (actor, issue) pairs its positions record, and no others.

    Never the cross product of the day's actors and issues: one note with 400 positions, each a
    different actor on a different issue, would make 160,000 cells of it. The pairs grow as the
    day's notes do; everyone's standings are on the Issues page.
    """
    table = {}
    for key in _unique((p.actor, p.issue) for p in positions):
        position = standings.get(key)
        if position is None:
            continue  # withdrawn that day
        mark = marks.get(key, "")
        table[key] = Standing(position, mark, before.get(key) if mark in MOVED else None)
    return table


def actor_rows(briefing, actors):
    """(actor id, role, affiliation, the positions they took, how many news items name them) per
    active actor; `actors` is the digest's."""
    said, named = defaultdict(list), Counter()
    for position in briefing.positions:
        said[position.actor].append(position)
    for mention in briefing.mentions:
        named.update(mention.actors)
    return [
        (actor, actors[actor].role, actors[actor].affiliation, said.get(actor, ()), named[actor])
        for actor in briefing.actors
    ]


def news_rows(mentions, excerpt_length):
    """What each news item's entry prints, formatted once here rather than cell by cell in a template:
    (link, title, publisher, author, ISO time, time of day, excerpt, [(kind, id) it mentions])."""
    return [
        (
            m.item.link,
            m.item.title,
            m.item.publisher,
            m.item.author,
            m.item.published.isoformat(),
            m.item.published.strftime("%H:%M UTC"),
            excerpt(m.item.text, excerpt_length),
            [("actor", a) for a in m.actors] + [("issue", i) for i in m.issues],
        )
        for m in mentions
    ]


def stances_by_issue(digest):
    """Who holds each stance on each issue now: [(issue, {stance: [actor, ...]})], in display order.

    As big as the recorded pairs, never actors x issues: 1,000 actors each with a stance on a
    different issue make 1,000 names, not a million cells of "no known position".
    """
    held = defaultdict(lambda: defaultdict(list))
    order = {a: n for n, a in enumerate(digest.actors)}
    for actor, issue in sorted(digest.current, key=lambda pair: order[pair[0]]):
        held[issue][digest.current[(actor, issue)].position.stance].append(actor)
    return [(issue, held[issue]) for issue in digest.issues if issue in held]


def cited(note):
    """The addresses a note's sources and positions cite, once each."""
    return _unique([s.url for s in note.sources] + [p.source.url for p in note.positions if p.source])


def stale(digest, days):
    """The (actor, issue) pairs whose current stance was recorded more than `days` before the latest
    briefing: still shown, as "not restated since" (by days of the story, not of the clock, so a
    build is the same whenever it runs)."""
    if not digest.briefings:
        return frozenset()
    cutoff = digest.briefings[-1].date - timedelta(days=days)
    return frozenset(pair for pair, s in digest.current.items() if s.position.date < cutoff)


def recorded_with(digest, of, key):
    """The issues an actor (of='actor'), or the actors on an issue, with any recorded position,
    in display order: what an actor's or issue's page has a row or a timeline for."""
    changes = (digest.changes_by_actor if of == "actor" else digest.changes_by_issue).get(key, ())
    others = {getattr(c.position, "issue" if of == "actor" else "actor") for c in changes}
    return [other for other in (digest.issues if of == "actor" else digest.actors) if other in others]
