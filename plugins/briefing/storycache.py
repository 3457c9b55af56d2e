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

from . import archive, safefile
from .archive import write_atomic
from .cache import _code_hash
from .model import Mention


class Stories:
    """match_items of an archive folder, read back when nothing it is made from has changed."""

    def __init__(self, settings, archive_dir, root, feeds, matcher):
        self.file = Path(settings["CACHE_PATH"], "briefing-stories.pickle")
        key = hashlib.sha256(_code_hash() + matcher.fingerprint.encode())
        # Compiled patterns have no stable repr: their text stands for them.
        rules = [
            replace(f, include=[p.pattern for p in f.include], exclude=[p.pattern for p in f.exclude])
            for f in feeds.values()
        ]
        key.update(repr(rules).encode())
        for path in archive.files(archive_dir):
            with safefile.open_file(path, root, safefile.DATA_MAX_BYTES) as f:
                key.update(f"\0{Path(path).name}\0".encode() + hashlib.sha256(f.read()).digest())
        self.key = key.digest()
        self.load = settings.get("LOAD_CONTENT_CACHE", True)  # off with --ignore-cache

    def match(self, items, match_items):
        """match_items() of these items, or the same read back from the last run that made it."""
        if self.load and self.file.exists():
            with open(self.file, "rb") as f:
                if f.read(len(self.key)) == self.key:
                    return _rebuild(items, pickle.load(f))
        mentions = match_items()
        # The same files give the same items in the same order: a story is its item's place.
        where = {(item.feed, item.id): n for n, item in enumerate(items)}
        kept = [(where[(m.item.feed, m.item.id)], m.item.also, m.actors, m.issues) for m in mentions]
        self.file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(str(self.file), self.key + pickle.dumps(kept, pickle.HIGHEST_PROTOCOL), durable=False)
        return mentions


def _rebuild(items, kept):
    mentions = []
    for n, also, actors, issues in kept:
        item = items[n]
        mentions.append(Mention(item if item.also == also else replace(item, also=also), actors, issues))
    return mentions
