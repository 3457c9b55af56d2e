"""Each note as parse_note left it, with its problems, kept between builds and checks.

Parsing and checking some 11,000 notes (YAML, Markdown, sanitising) was most of `invoke check`;
an edit touches one or two. The file starts with a hash of everything a note's result depends on
besides its own path and text (this plugin's code, the libraries that parse it, the actors,
issues, stances and limits, the time zone): when that changes, nothing of the file is used.
"""

import hashlib
import pickle
from importlib.metadata import version
from pathlib import Path

from ..core.files import write_atomic
from .cache import _PARTS, Seen, _code_hash, fingerprint, stored

_LIBRARIES = ("markdown", "nh3", "PyYAML", "google-re2")


# The entries this process read or wrote last, by file: (salt, the file's size, mtime and inode, entries).
# A preview loop (invoke regenerate) builds again and again: it reads the file only when another run
# changed it. Entries are keyed by content, so any of them is right under the same salt.
_KEPT = {}


class Notes:
    """A mapping of a note's key (of its path and text) to (note, problems), read from and written to
    CACHE_PATH; a note file unchanged since the run that read it (cache.Seen) is known without reading it.

    The file is the salt and then chunks, each a length and a pickle of entries: a run appends what
    it parsed, rather than writing every note again after an edit, until old entries are many.
    """

    def __init__(self, settings, *depends):
        self.file = Path(settings["CACHE_PATH"], "briefing-notes.pickle")
        salt = hashlib.sha256(_code_hash())
        salt.update(repr((depends, [version(name) for name in _LIBRARIES])).encode())
        self.salt, self.old, self.used = salt.digest(), {}, {}
        # off with pelican --ignore-cache and invoke check --ignore-cache
        load = settings.get("LOAD_CONTENT_CACHE", True)
        self.seen = Seen(self.file.with_suffix(".seen"), load)
        if load and self.file.exists():
            kept = _KEPT.get(self.file)
            if kept is not None and kept[:2] == (self.salt, _stat(self.file)):
                self.old = kept[2]
            else:
                self.old = self._read()
                _KEPT.clear()
                _KEPT[self.file] = (self.salt, _stat(self.file), self.old)

    def _read(self):
        entries = {}
        with open(self.file, "rb") as f:
            # Only a file made with the same salt is unpickled: another's classes may be gone.
            if f.read(len(self.salt)) != self.salt:
                return entries
            while len(head := f.read(_HEAD)) == _HEAD:
                chunk = f.read(int.from_bytes(head))
                if len(chunk) < int.from_bytes(head):
                    break  # cut short by a run that stopped while appending
                entries.update(pickle.loads(chunk))
        return entries

    def key(self, path, text, signature=None):
        """The key of the note at this path (relative to the site) with this text; `signature`, the file's
        stat signature taken before it was read (safefile.signature), is recorded with it."""
        key = hashlib.sha256(f"{path}\0{text}".encode(errors="surrogatepass")).digest()
        self.seen.add(path, signature, key)
        return key

    def known(self, path, signature):
        """The key of the note file at this path when it is unchanged and its result kept, else None."""
        key = self.seen.get(path, signature)
        return key if key in self.old else None

    def get(self, key):
        found = self.old.get(key)
        return found and found[:2]

    def __setitem__(self, key, value):
        """Keep the result; its note and positions are parts (cache.Parts) of the content loaded,
        each position's digest worked out when its note is parsed and kept with it."""
        note, problems = value
        old = self.old.get(key)
        if old is not None:
            positions = old[2]
        else:
            positions = [hashlib.sha256(fingerprint(p)).digest() for p in note.positions] if note else ()
        self.used[key] = (note, problems, positions)
        if note is not None:
            parts = _PARTS[0]
            parts.add(note, hashlib.sha256(self.salt + key).digest())
            parts.add_all(note.positions, positions)

    def save(self):
        """Write what this run used, and only it, when that differs from what was read: what it parsed
        is appended while what the file holds that this run did not use is a quarter of it or less."""
        self.seen.save()
        new = {k: v for k, v in self.used.items() if k not in self.old}
        unused = len(self.old) - (len(self.used) - len(new))
        if not new and not unused:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        if self.old and unused <= len(self.used) // 4:
            chunk = stored(new)
            with open(self.file, "ab") as f:  # one write: a run reading meanwhile sees all of it or none
                f.write(len(chunk).to_bytes(_HEAD) + chunk)
            entries = self.old | new
        else:
            chunk = stored(self.used)
            write_atomic(str(self.file), self.salt + len(chunk).to_bytes(_HEAD) + chunk, durable=False)
            entries = self.used
        _KEPT.clear()
        _KEPT[self.file] = (self.salt, _stat(self.file), entries)


_HEAD = 8  # bytes giving a chunk's length


def _stat(path):
    """What changes when another run writes the file."""
    found = path.stat()
    return found.st_size, found.st_mtime_ns, found.st_ino
