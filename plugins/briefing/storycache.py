"""What digest.match_items made of the archive, kept between builds and checks.

Applying the feeds' rules and merging outlets' reports into stories goes over every archived item
(193,000 in ten years) and cost more than the rest of `invoke check`. It changes only when the
archive, the feeds' rules, the actors and issues (the matcher) or the code do: the result is kept
under a hash of all of them, as each story's leading item, its other outlets and what it mentions.
"""

import hashlib
import pickle
from dataclasses import replace
from pathlib import Path

from .archive import write_atomic
from .cache import _PARTS, _code_hash
from .model import Mention


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

    def match(self, items, match_items):
        """match_items() of these items, or the same read back from the last run that made it."""
        if self.load and _KEPT and _KEPT[0] == self.key:  # the last build of this process made it
            return _again(items, *_KEPT[1:])
        if self.load and self.file.exists():
            with open(self.file, "rb") as f:
                if f.read(len(self.key)) == self.key:
                    kept = pickle.load(f)
                    return self._keep(kept, _rebuild(items, kept))
        mentions = match_items()
        # The same files give the same items in the same order: a story is its item's place.
        where = {(item.feed, item.id): n for n, item in enumerate(items)}
        kept = [(where[(m.item.feed, m.item.id)], m.item.also, m.actors, m.issues) for m in mentions]
        self.file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(str(self.file), self.key + pickle.dumps(kept, pickle.HIGHEST_PROTOCOL), durable=False)
        for (n, *_), mention in zip(kept, mentions, strict=True):
            _add_part(items[n], mention.item)
        return self._keep(kept, mentions)

    def _keep(self, kept, mentions):
        _KEPT[:] = [self.key, kept, mentions]
        return mentions


# [key, what the file keeps, the mentions] of the last match in this process: a preview loop (invoke
# regenerate) builds again and again, mostly from the same archive, whose items it keeps (cache._KEPT).
_KEPT = []


def _again(items, kept, mentions):
    """The mentions of the last match of the same archive, their items' digests given again."""
    parts = _PARTS[0]
    for (n, *_), mention in zip(kept, mentions, strict=True):
        if mention.item.also == items[n].also:
            if (digest := parts.get(items[n])) is not None:
                parts.add(mention.item, digest)
        else:
            _add_part(items[n], mention.item)
    return mentions


def _add_part(archived, item):
    """Give an item that merge_outlets gave other outlets' links a digest of its archived one's and them."""
    if item is not archived and (digest := _PARTS[0].get(archived)) is not None:
        _PARTS[0].add(item, hashlib.sha256(digest + repr(item.also).encode()).digest())


def _rebuild(items, kept):
    mentions = []
    for n, also, actors, issues in kept:
        item = items[n]
        if item.also != also:
            item = replace(item, also=also)
            _add_part(items[n], item)
        mentions.append(Mention(item, actors, issues))
    return mentions
