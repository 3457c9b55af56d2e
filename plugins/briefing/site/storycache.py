"""What digest.match_items made of the archive, kept between builds and checks.

Applying the feeds' rules and merging outlets' reports into stories goes over every archived item
(193,000 in ten years) and cost more than the rest of `invoke check`. It changes only when the
archive, the feeds' rules, the actors and issues (the matcher) or the code do: the result is kept
under a hash of all of them, as each story's leading item (its place in the archive's files, its date
and its other outlets' links), what it mentions, and its item's digest and its own (cache.Parts). A
build whose archive is unchanged reads this and the items of the archive, not what the matcher made
of each (archivecache.MatchedArchive).
"""

import hashlib
import pickle
from dataclasses import replace
from itertools import accumulate, chain
from pathlib import Path

from ..core.files import write_atomic
from ..core.model import Mention
from .cache import _PARTS, MAKE, _code_hash


class Stories:
    """match_items of an archive folder, read back when nothing it is made from has changed."""

    def __init__(self, settings, files, feeds, matcher):
        """`files`: (name, cache key) of each archive file, as MatchedArchive.start keyed them."""
        self.file = Path(settings["CACHE_PATH"], "briefing-stories.pickle")
        key = hashlib.sha256(_code_hash() + matcher.fingerprint.encode())
        # Compiled patterns have no stable repr: their text stands for them.
        rules = [
            replace(f, include=[p.pattern for p in f.include], exclude=[p.pattern for p in f.exclude])
            for f in feeds.values()
        ]
        key.update(repr((rules, files)).encode())
        self.key = key.digest()
        self.load = settings.get("LOAD_CONTENT_CACHE", True)  # off with --ignore-cache

    def read(self, items_by_file):
        """The mentions the last match of the same archive made, their items' digests (cache.Parts)
        given again, or None when there is none: a warm build reads this and the archive's items, not
        what the matcher made of each. `items_by_file()`: the items of each file, as MatchedArchive.items."""
        if not self.load:  # off with --ignore-cache
            return None
        if _KEPT and _KEPT[0] == self.key:  # the last build of this process made it
            mentions, digests, mention_digests = _KEPT[1:]
        else:
            try:
                with open(self.file, "rb") as f:
                    if f.read(len(self.key)) != self.key:
                        return None
                    *kept, digests, mention_digests = pickle.load(f)
            except FileNotFoundError:
                return None
            mentions = _rebuild(items_by_file(), *kept)
        _PARTS[0].add_all([m.item for m in mentions], digests)
        _PARTS[0].add_all(mentions, mention_digests)
        _KEPT[:] = [self.key, mentions, digests, mention_digests]
        return mentions

    def match(self, items, match_items, archived):
        """match_items() of these items (archive.latest of the files), kept for read(); `archived`, the
        MatchedArchive that read them (its `where` and `by_file`)."""
        mentions = match_items()
        parts, latest, places, dated = _PARTS[0], None, [], {}
        offsets = list(accumulate(map(len, archived.by_file), initial=0))
        for number, mention in enumerate(mentions):
            item = mention.item
            if parts.get(item) is None and item.also:  # merge_outlets gave it other outlets' links
                latest = latest or {(i.feed, i.id): i for i in items}
                if (digest := parts.get(latest[item.feed, item.id])) is not None:
                    parts.add(item, hashlib.sha256(digest + repr(item.also).encode()).digest())
            file, n = archived.where[item.feed, item.id]
            places.append(offsets[file] + n)
            # What archive.latest (the first-archived date) and merge_outlets (other outlets) changed.
            if item.published != archived.by_file[file][n].published or item.also:
                dated[number] = (item.published, item.also)
        # Lists, not a tuple for each: a tenth of the time to read back.
        kept = (places, dated, *([getattr(m, f) for m in mentions] for f in ("actors", "issues")))
        digests = [parts.get(m.item) for m in mentions]
        mention_digests = list(map(_mention_digest, mentions, digests))
        parts.add_all(mentions, mention_digests)
        kept += (digests, mention_digests)
        self.file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(str(self.file), self.key + pickle.dumps(kept, pickle.HIGHEST_PROTOCOL), durable=False)
        _KEPT[:] = [self.key, mentions, digests, mention_digests]
        return mentions


# [key, mentions, their items' digests, their own] of the last match in this process: a preview loop
# (invoke regenerate) builds again and again, mostly from the same archive.
_KEPT = []


def _mention_digest(mention, item_digest):
    """A mention's digest: its item's and what it mentions; None when its item has none."""
    if item_digest is None:
        return None
    return hashlib.sha256(item_digest + repr((mention.actors, mention.issues)).encode()).digest()


def _rebuild(items_by_file, places, dated, actors, issues):
    """The mentions kept: each item taken from its place in the archive's files (numbered across them),
    with the first-archived date archive.latest gave it and the other outlets' links merge_outlets gave it."""
    archived = list(chain.from_iterable(items_by_file))
    items = list(map(archived.__getitem__, places))
    for number, (published, also) in dated.items():
        items[number] = replace(items[number], published=published, also=also)
    return list(map(MAKE[Mention], items, actors, issues))  # what they mention, shared as it was written
