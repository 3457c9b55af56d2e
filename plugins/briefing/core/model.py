"""The typed model shared by every stage: small frozen dataclasses, next to no behaviour.

A ten-year build holds 190,000 feed items and 70,000 positions at once: each class has slots
rather than a __dict__, and the ids and names repeated across them are shared, not copied.
"""

import operator
import re
import sys
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from .sanitize import text_of_clean


def _intern(obj, *names):
    """Share the named string fields with every other object holding the same text."""
    for name in names:
        object.__setattr__(obj, name, sys.intern(getattr(obj, name)))


def _pickled_by_fields(cls):
    """Pickle the class's objects as the class and the tuple of their field values, built again
    through __init__: the slots dataclass default (a list made with fields() each time, read back
    the same way) costs a fifth more, and workers send 200,000 items to the build's process."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def reduce(obj):
        return cls, values(obj)

    cls.__reduce__ = reduce
    return cls


_tuples = {}


def _shared(values):
    """One tuple for all equal tuples of ids (what an item mentions repeats across thousands)."""
    return _tuples.setdefault(values, values)


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str = "person"
    role: str = ""
    affiliation: str = ""
    aliases: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    description: str = ""  # sanitised HTML


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    title: str
    question: str = ""
    keywords: tuple[str, ...] = ()
    description: str = ""  # sanitised HTML


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    url: str
    only_matching: bool = True  # keep only items that mention a tracked actor or issue
    include: tuple[re.Pattern, ...] = ()  # if any, an item must match one (title, summary or link)
    exclude: tuple[re.Pattern, ...] = ()  # an item matching one is dropped


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    url: str
    id: str = ""
    title: str = ""
    publisher: str = ""

    def __post_init__(self):
        _intern(self, "publisher")


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Position:
    actor: str
    issue: str
    stance: str
    date: date
    quote: str = ""
    evidence: str = ""  # what the claim rests on, of the site's vocabulary; "" when not stated
    source: Source | None = None
    note: str = ""
    withdrawn: bool = False  # the actor no longer holds this stance: back to no known position
    path: str = ""  # where the editor recorded it, for messages
    line: int = 0

    def __post_init__(self):
        _intern(self, "actor", "issue", "stance", "evidence")


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Correction:
    """A later correction of a note, shown to readers and dating the feed entry's update."""

    date: date
    time: datetime
    text: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Note:
    path: str
    date: date
    time: datetime
    title: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    positions: tuple[Position, ...] = ()
    body: str = ""  # sanitised HTML of a Markdown note's text
    corrections: tuple[Correction, ...] = ()


UNTITLED = "(untitled)"


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class FeedItem:
    id: str
    feed: str
    title: str
    link: str
    published: datetime | None  # aware, UTC; None only between parsing and archiving
    summary: str = ""  # sanitised HTML
    author: str = ""
    publisher: str = ""
    changed: datetime | None = None  # when the source last changed the item, if it did
    also: tuple[tuple[str, str], ...] = ()  # (publisher, link) of other outlets with the same story

    def __post_init__(self):
        _intern(self, "feed", "author", "publisher")

    @property
    def text(self):
        """The summary's text, read off it when asked (matching and the excerpt, once each): kept,
        it would be most of what an item holds beside the summary itself."""
        return text_of_clean(self.summary)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Mention:
    """A feed item with the actors and issues it mentions."""

    item: FeedItem
    actors: tuple[str, ...]
    issues: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "actors", _shared(self.actors))
        object.__setattr__(self, "issues", _shared(self.issues))


@dataclass(frozen=True, slots=True)
class Standing:
    """An actor's latest stance on an issue as of a briefing, and how it moved."""

    position: Position
    mark: str = ""  # "new", "changed", "reversed", "withdrawn" or "" since the previous briefing
    previous: Position | None = None  # the stance it changed from, when changed or reversed


@dataclass(frozen=True)
class Briefing:
    date: date
    notes: tuple[Note, ...]
    mentions: tuple[Mention, ...]
    positions: tuple[Position, ...]
    actors: tuple[str, ...]  # active that day, in display order
    standings: dict[tuple[str, str], Standing] = field(hash=False)
    new_actors: tuple[str, ...] = ()  # active for the first time
    withdrawn: tuple[Standing, ...] = ()  # stances withdrawn that day, with the one each ended
    previous: date | None = None
    next: date | None = None
