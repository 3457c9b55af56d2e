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

from .archive import write_atomic
from .cache import _code_hash

_LIBRARIES = ("markdown", "nh3", "PyYAML", "google-re2")


class Notes:
    """A mapping of (path, text) to (note, problems), read from and written to CACHE_PATH."""

    def __init__(self, settings, *depends):
        self.file = Path(settings["CACHE_PATH"], "briefing-notes.pickle")
        salt = hashlib.sha256(_code_hash())
        salt.update(repr((depends, [version(name) for name in _LIBRARIES])).encode())
        self.salt, self.old, self.used, self._last = salt.digest(), {}, {}, (None, None)
        # off with pelican --ignore-cache and invoke check --ignore-cache
        if settings.get("LOAD_CONTENT_CACHE", True) and self.file.exists():
            with open(self.file, "rb") as f:
                # Only a file made with the same salt is unpickled: another's classes may be gone.
                if f.read(len(self.salt)) == self.salt:
                    self.old = pickle.load(f)

    def _key(self, key):
        # A note is looked up, then stored: its text is hashed once.
        if key != self._last[0]:
            path, text = key
            self._last = (key, hashlib.sha256(f"{path}\0{text}".encode(errors="surrogatepass")).digest())
        return self._last[1]

    def get(self, key):
        return self.old.get(self._key(key))

    def __setitem__(self, key, value):
        self.used[self._key(key)] = value

    def save(self):
        """Write what this run used, and only it, when that differs from what was read."""
        if self.used.keys() != self.old.keys():
            self.file.parent.mkdir(parents=True, exist_ok=True)
            data = self.salt + pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(str(self.file), data, durable=False)
