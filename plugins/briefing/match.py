"""Which actors and issues a text mentions: case-, diacritic- and word-boundary-aware."""

import functools
import hashlib
import json
import re
import sys
import unicodedata

from .text import IGNORABLE

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


@functools.cache
def _unseen():
    """Every combining mark and invisible character, mapped to nothing: str.translate drops them
    in C, not per character."""
    table = {c: None for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))}
    table.update((c, None) for first, last in IGNORABLE for c in range(first, last + 1))
    return table


def normalise(text):
    """Fold case, strip diacritics and invisible characters (a soft hyphen, a zero-width space) and
    collapse whitespace, so 'ZELENSKİY' and 'Zelen\u00adskiy' meet 'Zelenskiy'."""
    if text.isascii():  # nothing to decompose, and casefold is lower
        return _SPACE.sub(" ", text.lower()).strip()
    stripped = unicodedata.normalize("NFKD", text).translate(_unseen())
    return _SPACE.sub(" ", stripped.casefold()).strip()


def _terms(terms):
    # Longest first, so that the longer of two overlapping terms wins; then alphabetical, so the
    # pattern, and the fingerprints made of it, are the same in every run (a set's order is not).
    return sorted({normalise(t) for t in terms if normalise(t)}, key=lambda t: (-len(t), t))


def _pattern(terms):
    # \w on both sides keeps 'Macron' out of 'Macronism' and 'ceasefire' out of 'ceasefires'.
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")


class _Finder:
    """One kind of entity: a pattern each, searched only where the text holds one of a term's words.

    With a hundred actors, searching every pattern in every item cost 150 searches an item. Every
    word of a term ('handle' in '@handle') is a whole word of any text the term matches, so a set
    lookup of the term's first word rules most entities out, whatever character the term starts with.
    """

    def __init__(self, named_terms):
        self.entities, self.by_word, self.always = [], {}, set()
        for key, names in named_terms:
            terms = _terms(names)
            if not terms:
                continue
            index = len(self.entities)
            self.entities.append((key, _pattern(terms)))
            for term in terms:
                first = _WORD.search(term)
                if first is None:  # punctuation alone ('+++'): no word to look up
                    self.always.add(index)
                else:
                    self.by_word.setdefault(first.group(), set()).add(index)

    def find(self, text, words):
        candidates = set(self.always).union(*(self.by_word[w] for w in words if w in self.by_word))
        return tuple(self.entities[i][0] for i in sorted(candidates) if self.entities[i][1].search(text))


class Matcher:
    """Finds the actors (by name and aliases) and issues (by title and keywords) in text."""

    def __init__(self, actors, issues):
        self._actors = _Finder((a.id, (a.name, *a.aliases)) for a in actors.values())
        self._issues = _Finder((i.id, (i.title, *i.keywords)) for i in issues.values())

    @functools.cached_property
    def fingerprint(self):
        """A hash of every actor's and issue's pattern: what decides what an item mentions."""
        entities = self._actors.entities + self._issues.entities
        return hashlib.sha256(json.dumps([(k, p.pattern) for k, p in entities]).encode()).hexdigest()

    def rules_of(self, feed):
        """A fingerprint of what decides which of a feed's items are kept."""
        entities = self._actors.entities + self._issues.entities
        tracked = [p.pattern for _, p in entities] if feed.only_matching else []
        rules = [
            feed.only_matching,
            [p.pattern for p in feed.include],
            [p.pattern for p in feed.exclude],
            tracked,
        ]
        return hashlib.sha256(json.dumps(rules).encode()).hexdigest()[:16]

    def mentions(self, text):
        """Return (actor ids, issue ids) mentioned in the text, in definition order."""
        text = normalise(text)
        words = set(_WORD.findall(text))
        return self._actors.find(text, words), self._issues.find(text, words)


def passes_rules(feed, item):
    """Whether a feed's include and exclude patterns keep an item (title, summary or link)."""
    fields = (item.title, item.summary, item.link)
    if feed.include and not any(p.search(f) for p in feed.include for f in fields):
        return False
    return not any(p.search(f) for p in feed.exclude for f in fields)


def item_mentions(matcher, item):
    return matcher.mentions(f"{item.title}\n{item.text}")


def admits(feed, item, matcher):
    """Whether a feed keeps an item: its rules, then, unless it keeps all, a tracked mention."""
    if not passes_rules(feed, item):
        return False
    return not feed.only_matching or any(item_mentions(matcher, item))
