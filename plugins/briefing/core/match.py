"""Which actors and issues a text mentions: case-, diacritic- and word-boundary-aware."""

import functools
import hashlib
import json
import re
import unicodedata

from ahocorasick_rs import AhoCorasick

from .text import collapse, ignorable

_WORD = re.compile(r"\w")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def normalise(text):
    """Fold case, strip diacritics and invisible characters (a soft hyphen, a zero-width space) and
    collapse whitespace, so 'ZELENSKİY' and 'Zelen\u00adskiy' meet 'Zelenskiy'."""
    if text.isascii():  # nothing to decompose, and casefold is lower
        return collapse(text.lower())
    stripped = unicodedata.normalize("NFKD", text)
    # A text holds a few distinct non-ASCII characters (marks and invisible ones among them):
    # finding them in C and removing each is cheaper than mapping every character.
    for char in set(_NON_ASCII.findall(stripped)):
        if unicodedata.combining(char) or ignorable(char):
            stripped = stripped.replace(char, "")
    return collapse(stripped.casefold())


def _terms(terms):
    # Longest first, in the order the pattern tries them; then alphabetical, so the pattern, and
    # the fingerprints made of it, are the same in every run (a set's order is not).
    return sorted({normalise(t) for t in terms if normalise(t)}, key=lambda t: (-len(t), t))


def _pattern(terms):
    """The regular expression an entity's terms stand for: what the fingerprints are made of."""
    # \w on both sides keeps 'Macron' out of 'Macronism' and 'ceasefire' out of 'ceasefires'.
    return r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)"


def _entities(named_terms):
    """(key, normalised terms) of every entity that has a term, in definition order."""
    return [(key, terms) for key, names in named_terms if (terms := _terms(names))]


class Matcher:
    """Finds the actors (by name and aliases) and issues (by title and keywords) in text.

    One Aho-Corasick automaton holds every term of every entity and finds them all in one pass
    over the text, whatever their number; a hit counts where it starts and ends a word.
    """

    def __init__(self, actors, issues):
        self._actors = _entities((a.id, (a.name, *a.aliases)) for a in actors.values())
        self._issues = _entities((i.id, (i.title, *i.keywords)) for i in issues.values())
        owners = {}  # term -> the entities (numbered actors first, then issues) it names
        for number, (_, terms) in enumerate(self._actors + self._issues):
            for term in terms:
                owners.setdefault(term, []).append(number)
        self._terms, self._owners = list(owners), [tuple(o) for o in owners.values()]

    @functools.cached_property
    def _automaton(self):
        return AhoCorasick(self._terms)

    def __getstate__(self):
        # The automaton cannot be pickled (a build's worker processes get the matcher): built again.
        return {k: v for k, v in self.__dict__.items() if k != "_automaton"}

    @functools.cached_property
    def fingerprint(self):
        """A hash of every actor's and issue's pattern: what decides what an item mentions."""
        entities = self._actors + self._issues
        return hashlib.sha256(json.dumps([(k, _pattern(t)) for k, t in entities]).encode()).hexdigest()

    def rules_of(self, feed):
        """A fingerprint of what decides which of a feed's items are kept."""
        entities = self._actors + self._issues
        tracked = [_pattern(t) for _, t in entities] if feed.only_matching else []
        rules = [
            feed.only_matching,
            [p.pattern for p in feed.include],
            [p.pattern for p in feed.exclude],
            tracked,
        ]
        return hashlib.sha256(json.dumps(rules).encode()).hexdigest()[:16]

    def mentions(self, text, normalised=False):
        """Return (actor ids, issue ids) mentioned in the text (`normalised` already), in definition order."""
        text = text if normalised else normalise(text)
        found = set()
        for term, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            owners = self._owners[term]
            if found.issuperset(owners):  # a name said again: nothing new to check
                continue
            # \w on both sides keeps 'Macron' out of 'Macronism' and 'ceasefire' out of 'ceasefires'.
            if not (start and _WORD.match(text, start - 1)) and not _WORD.match(text, end):
                found.update(owners)
        actors = len(self._actors)
        numbers = sorted(found)
        return (
            tuple(self._actors[n][0] for n in numbers if n < actors),
            tuple(self._issues[n - actors][0] for n in numbers if n >= actors),
        )


def passes_rules(feed, item):
    """Whether a feed's include and exclude patterns keep an item (title, summary or link)."""
    fields = (item.title, item.summary, item.link)
    if feed.include and not any(p.search(f) for p in feed.include for f in fields):
        return False
    return not any(p.search(f) for p in feed.exclude for f in fields)


def item_mentions(matcher, item):
    # normalise(title + "\n" + text), each part normalised alone: each is likelier to be collapsed
    # already (cheaply checked) without the newline, and normalise works character by character.
    words = " ".join(filter(None, (normalise(item.title), normalise(item.text))))
    return matcher.mentions(words, normalised=True)


def admits(feed, item, matcher):
    """Whether a feed keeps an item: its rules, then, unless it keeps all, a tracked mention."""
    if not passes_rules(feed, item):
        return False
    return not feed.only_matching or any(item_mentions(matcher, item))
