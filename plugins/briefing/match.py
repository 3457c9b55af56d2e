"""Which actors and issues a text mentions: case-, diacritic- and word-boundary-aware."""

import hashlib
import json
import re
import unicodedata

from .sanitize import plain_text

_SPACE = re.compile(r"\s+")


def normalise(text):
    """Fold case, strip diacritics and collapse whitespace, so 'ZELENSKİY' meets 'Zelenskiy'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


def _pattern(terms):
    terms = sorted({normalise(t) for t in terms if normalise(t)}, key=len, reverse=True)
    if not terms:
        return None
    # \w on both sides keeps 'Macron' out of 'Macronism' and 'ceasefire' out of 'ceasefires'.
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")


class Matcher:
    """Finds the actors (by name and aliases) and issues (by title and keywords) in text."""

    def __init__(self, actors, issues):
        self._actors = [(a.id, p) for a in actors.values() if (p := _pattern((a.name, *a.aliases)))]
        self._issues = [(i.id, p) for i in issues.values() if (p := _pattern((i.title, *i.keywords)))]

    def rules_of(self, feed):
        """A fingerprint of what decides which of a feed's items are kept."""
        tracked = [p.pattern for _, p in self._actors + self._issues] if feed.only_matching else []
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
        return (
            tuple(aid for aid, pattern in self._actors if pattern.search(text)),
            tuple(iid for iid, pattern in self._issues if pattern.search(text)),
        )


def passes_rules(feed, item):
    """Whether a feed's include and exclude patterns keep an item (title, summary or link)."""
    fields = (item.title, item.summary, item.link)
    if feed.include and not any(p.search(f) for p in feed.include for f in fields):
        return False
    return not any(p.search(f) for p in feed.exclude for f in fields)


def item_mentions(matcher, item):
    return matcher.mentions(f"{item.title}\n{plain_text(item.summary)}")


def admits(feed, item, matcher):
    """Whether a feed keeps an item: its rules, then, unless it keeps all, a tracked mention."""
    if not passes_rules(feed, item):
        return False
    return not feed.only_matching or any(item_mentions(matcher, item))
