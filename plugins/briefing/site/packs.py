"""Many blobs kept in a few files: a cold ten-year build renders 3,650 briefing bodies, and a file
for each cost the file system more than writing them (a new inode each, and a folder lock that two
workers wait on): most of the build's system time.
"""

import os
import pickle
import uuid
import weakref
from collections import Counter
from pathlib import Path

from ..core.files import write_atomic

INDEX = "index.pickle"
SUFFIX = ".pack"
MANY = 8  # more packs than this, and the small ones are merged


class Packs:
    """Blobs by key, appended to pack files of a folder and found through its index, which save()
    writes. Each process appends to a pack of its own: a forked worker's put() returns the entry,
    which the process that saves records with add()."""

    def __init__(self, folder, load=True):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.index = {}  # key -> (pack name, offset, size)
        if load:
            try:
                index = pickle.loads((self.folder / INDEX).read_bytes())
            except FileNotFoundError:
                index = {}
            there = set(os.listdir(self.folder))  # a pack removed by hand takes its blobs with it
            self.index = {key: entry for key, entry in index.items() if entry[0] in there}
        self._readers = {}  # pack name -> a descriptor to read it
        self._pack = []  # [pid, descriptor, name, size] of the pack this process appends to, if any
        weakref.finalize(self, _close, self._readers, self._pack)

    def __contains__(self, key):
        return key in self.index

    def get(self, key):
        name, offset, size = self.index[key]
        if name not in self._readers:
            self._readers[name] = os.open(self.folder / name, os.O_RDONLY)
        data = os.pread(self._readers[name], size, offset)
        if len(data) != size:
            raise RuntimeError(f"the build cache in {self.folder} is damaged: run `invoke rebuild`")
        return data

    def put(self, key, data):
        """Append data under key; returns (key, its index entry), for add() in the saving process."""
        if not self._pack or self._pack[0] != os.getpid():  # the first, or a forked worker's
            name = uuid.uuid4().hex + SUFFIX
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
            self._pack[:] = [os.getpid(), os.open(self.folder / name, flags, 0o644), name, 0]
        _, descriptor, name, offset = self._pack
        # Unbuffered: a pool's worker is ended without flushing anything.
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        self._pack[3] += len(data)
        self.index[key] = entry = (name, offset, len(data))
        return key, entry

    def add(self, entries):
        """Record the (key, entry) pairs that forked workers' put() returned."""
        self.index.update(entries)

    def save(self, used):
        """Keep the blobs of the `used` keys and forget the rest. A pack mostly forgotten, or one of
        many small ones, is written again into one with the others; then the index is written, and
        packs it does not name are removed."""
        self.index = {key: entry for key, entry in self.index.items() if key in used}
        live = Counter()
        for name, _, size in self.index.values():
            live[name] += size
        sizes = {name: os.path.getsize(self.folder / name) for name in live}
        total = sum(live.values())
        again = {name for name in live if live[name] * 2 < sizes[name]}
        if len(live) > MANY:
            again |= {name for name in live if sizes[name] * MANY < total}
        _close({}, self._pack)
        if len(again) > 1 or any(live[name] < sizes[name] for name in again):
            for key, entry in sorted(self.index.items(), key=lambda item: item[1]):
                if entry[0] in again:
                    self.put(key, self.get(key))
            _close({}, self._pack)
        index = pickle.dumps(self.index, pickle.HIGHEST_PROTOCOL)
        write_atomic(str(self.folder / INDEX), index, durable=False)
        kept = {INDEX} | {name for name, _, _ in self.index.values()}
        for name in os.listdir(self.folder):
            if name not in kept:  # a pack left behind, or a stray of an older cache
                if name in self._readers:
                    os.close(self._readers.pop(name))
                os.unlink(self.folder / name)


def _close(readers, pack):
    """Close the descriptors of these readers, and stop appending to this process's pack (the next
    put() starts another)."""
    for descriptor in readers.values():
        os.close(descriptor)
    readers.clear()
    if pack and pack[0] == os.getpid():
        os.close(pack[1])
    pack.clear()
