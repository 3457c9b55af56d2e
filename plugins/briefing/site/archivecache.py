"""The archive's month files read and matched by worker processes, each kept in the build cache
under a hash of the file and the matcher: a build reads back what no fetch changed."""

import hashlib
import io
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..core import safefile
from ..core.digest import story_keys
from ..core.files import write_atomic
from ..core.machine import cores
from ..core.match import item_mentions
from ..ingest import archive
from .cache import _PARTS, Seen, _code_hash, _prune, fingerprint, stored


def _tag(matcher, data, rel):
    """(an archive file's items, each with what it mentions, its story keys and its digest (a Parts),
    as two pickles one after the other, the items first (read alone by items()); the file's problems):
    worked out here, in workers, not in the build's process."""
    problems = []
    items = archive.parse(data, rel, problems)
    mentions = [item_mentions(matcher, item) for item in items]
    # Most items of a real archive mention nothing and are not merged or shown: no keys kept for them.
    keys = [story_keys(item) if any(found) else None for item, found in zip(items, mentions, strict=True)]
    digests = [
        hashlib.sha256(fingerprint(item)).digest() if k else None for item, k in zip(items, keys, strict=True)
    ]
    return stored(items) + stored((mentions, keys, digests)), problems


_WORKER = {}  # a worker process's matcher, given once when the process starts


def _start_worker(matcher):
    _WORKER["matcher"] = matcher


def _tag_in_worker(data, rel):
    return _tag(_WORKER["matcher"], data, rel)


def _tag_files(matcher, tasks):
    """(a process pool or None, an iterator of _tag of each (bytes, name) task, in order), begun at
    once: in worker processes, one file a task, when there are cores and files to share."""
    workers = min(len(tasks), cores())
    if workers < 2:
        return None, (_tag(matcher, data, rel) for data, rel in tasks)
    pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(matcher,))
    return pool, pool.map(_tag_in_worker, *zip(*tasks, strict=True))


def _unpickle(f, count):
    """The next `count` pickles of a binary file object."""
    return [pickle.load(f) for _ in range(count)]


# Each archive file's items and mentions as the last build of this process read them, by cache key:
# a preview loop (invoke regenerate) builds again and again in one process, and its items are
# immutable, so the next build takes them as they are instead of unpickling 200,000 items again.
_KEPT = {}


class MatchedArchive:
    """Each archive file's items and what each mentions, under a hash of the file and the matcher.

    The files not in the cache are read and matched by _tag_files and merged in file order: the
    same items, mentions and problems, in the same order, as one process reading file by file.
    """

    def __init__(self, settings, matcher):
        self.folder = Path(settings["CACHE_PATH"], "briefing-archive")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.matcher, self.used, self.mentions, self.keys, self.where = matcher, set(), {}, {}, {}
        self.load = settings.get("LOAD_CONTENT_CACHE", True)  # off with pelican --ignore-cache
        self.salt = _code_hash() + matcher.fingerprint.encode()
        self._opened, self._pool, self._tagged = [], None, iter(())

    def read(self, archive_dir, root, problems):
        """archive.read, each unchanged file read back with its mentions; then drop unused files."""
        return self.start(archive_dir, root).finish(problems)

    def start(self, archive_dir, root):
        """Open the archive's files and set workers reading those not in the cache; finish() takes
        what they read, so that the caller can load something else meanwhile."""
        seen = Seen(Path(self.folder.parent, "briefing-archive.seen"), self.load)
        paths = archive.files(archive_dir)
        opened = [(os.path.relpath(path, root), *self._open(path, root, seen)) for path in paths]
        seen.save()
        self.files = [(rel, key) for rel, key, _, _ in opened]  # what the storycache is keyed by
        tasks = [(data, rel) for rel, _, data, _ in opened if data is not None]
        # Nothing to read and nothing wrong: what the archive says may be read back whole (storycache).
        self.unchanged = not tasks and all(key and not opening for _, key, _, opening in opened)
        # Each file's bytes are let go once its task is done, not kept here until finish().
        self._opened = [(key, data is not None, opening) for _, key, data, opening in opened]
        self._pool, self._tagged = _tag_files(self.matcher, tasks)
        return self

    def finish(self, problems):
        """The latest version of every item of the files start() opened, their problems reported;
        `where` then gives the place (file number, item number) of each item's latest version in
        `by_file`, the items of each file."""
        items_by_file, kept, parts = [], {}, _PARTS[0]
        try:
            for number, (key, to_read, opening) in enumerate(self._opened):
                reading = []
                if to_read:
                    blob, reading = next(self._tagged)
                    if not reading:  # a file with a problem is read again, and reported, next time
                        write_atomic(str(self.folder / key), blob, durable=False)
                    tagged = _unpickle(io.BytesIO(blob), 2)
                elif key in _KEPT:  # read by an earlier build of this process (invoke regenerate)
                    tagged = _KEPT[key]
                elif key:  # cached
                    with open(self.folder / key, "rb") as f:
                        tagged = _unpickle(f, 2)
                else:  # not to be opened
                    tagged = [], ([], [], [])
                if key and not reading:
                    kept[key] = tagged
                problems.extend(opening + reading)
                items, (mentions, keys, digests) = tagged
                for n, (item, found, story, digest) in enumerate(
                    zip(items, mentions, keys, digests, strict=True)
                ):
                    self.mentions[item.feed, item.id] = found
                    self.where[item.feed, item.id] = (number, n)
                    if story:  # an item mentioning nothing is seldom news: written in full if it is
                        self.keys[item.feed, item.id] = story
                        parts.add(item, digest)
                items_by_file.append(items)
        finally:
            if self._pool:
                self._pool.shutdown(cancel_futures=True)
        _prune(self.folder, self.used)
        _KEPT.clear()
        _KEPT.update(kept)
        self.by_file = items_by_file
        return archive.latest(items_by_file)

    def items(self):
        """Instead of finish(), when start() found every file in the cache: the items of each file,
        as they were archived (not merged by archive.latest); drop unused files."""
        _prune(self.folder, self.used)
        found = []
        for key, _, _ in self._opened:
            if key in _KEPT:
                found.append(_KEPT[key][0])
            else:
                with open(self.folder / key, "rb") as f:
                    found.append(pickle.load(f))  # the items alone, not what the matcher made of them
        return found

    def _open(self, path, root, seen):
        """(the file's cache key, its bytes when they are to be read, the problem opening it).

        A file that `seen` knows unchanged is not opened when its key is in the cache."""
        rel, found, data = os.path.relpath(path, root), [], None
        signature = safefile.signature(path, root)
        digest = seen.get(rel, signature)
        if digest is None or not self._cached(digest):
            handle = safefile.open_or_report(path, root, safefile.DATA_MAX_BYTES, found)
            if handle is None:
                return None, None, found
            with handle as f:
                data = f.read()
            digest = hashlib.sha256(data).digest()
            seen.add(rel, signature, digest)
        key = self._key(digest)
        self.used.add(key)
        return key, None if self._cached(digest) else data, found

    def _key(self, digest):
        return hashlib.sha256(self.salt + digest).hexdigest()

    def _cached(self, digest):
        return self.load and (self.folder / self._key(digest)).exists()
