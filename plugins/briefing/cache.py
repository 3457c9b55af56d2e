"""What a build works out, kept between builds under a hash of everything it is made from.

Rendering the briefings, and reading and matching the archive, are most of a build; an edit
touches a day or two, a fetch the current month. The next build reads the rest back. Used when
CACHE_CONTENT is on. The cache is local and written only here, so its pickles are trusted.
"""

import hashlib
import os
import pickle
import shutil
import tempfile
import weakref
from pathlib import Path

import pelican

from . import archive, safefile
from .archive import write_atomic
from .match import item_mentions

# Settings that differ between two builds of the same site without changing a body.
_VOLATILE = {"OUTPUT_PATH"}
_CODE = Path(__file__).parent


def _code_hash():
    code = hashlib.sha256()
    for path in sorted(_CODE.glob("*.py")):
        code.update(path.read_bytes())
    return code.digest()


def _prune(folder, used):
    """Forget what this build did not use: the cache holds one site, not its history."""
    for name in os.listdir(folder):
        if name not in used:
            os.unlink(folder / name)


class MatchedArchive:
    """Each archive file's items and what each mentions, under a hash of the file and the matcher."""

    def __init__(self, settings, matcher):
        self.folder = Path(settings["CACHE_PATH"], "briefing-archive")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.matcher, self.used, self.mentions = matcher, set(), {}
        self.load = settings.get("LOAD_CONTENT_CACHE", True)  # off with pelican --ignore-cache
        self.salt = _code_hash() + matcher.fingerprint.encode()

    def read(self, archive_dir, root, problems):
        """archive.read, each unchanged file read back with its mentions; then drop unused files."""
        items = archive.read(archive_dir, root, problems, self._read_file)
        _prune(self.folder, self.used)
        return items

    def _read_file(self, path, root, problems):
        handle = safefile.open_or_report(path, root, safefile.DATA_MAX_BYTES, problems)
        if handle is None:
            return []
        with handle as f:
            key = hashlib.sha256(self.salt + f.read()).hexdigest()
        self.used.add(key)
        if self.load and (self.folder / key).exists():
            with open(self.folder / key, "rb") as f:
                tagged = pickle.load(f)
        else:
            before = len(problems)
            tagged = [
                (item, item_mentions(self.matcher, item)) for item in archive.read_file(path, root, problems)
            ]
            if len(problems) == before:  # a file with a problem is read again, and reported, next time
                write_atomic(str(self.folder / key), pickle.dumps(tagged), durable=False)
        self.mentions.update(((item.feed, item.id), found) for item, found in tagged)
        return [item for item, _ in tagged]


class Bodies:
    """Rendered briefing bodies on disk, each under a hash of its briefing and of the site around it.

    A build holds only their keys: a body (about 110 KB at scale) is read back when a page or feed
    prints it. Without CACHE_CONTENT the folder is the build's own, removed when it ends.
    """

    def __init__(self, settings, digest):
        self.cached = settings["CACHE_CONTENT"]
        if self.cached:
            self.folder = Path(settings["CACHE_PATH"], "briefing-bodies")
            self.folder.mkdir(parents=True, exist_ok=True)
        else:
            self.folder = Path(tempfile.mkdtemp(prefix="briefing-bodies-"))
            weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        site = hashlib.sha256()
        for name, value in sorted(settings.items()):
            if name.isupper() and name not in _VOLATILE:
                site.update(f"{name}={value!r}\n".encode())
        site.update(repr((digest.actors, digest.issues, digest.stances)).encode())
        # The templates (Pelican's own theme among them), and this plugin's code (its filters), shape every
        # body and page too.
        templates = [Path(settings["THEME"], "templates"), *map(Path, settings["THEME_TEMPLATES_OVERRIDES"])]
        for path in [p for t in templates for p in sorted(t.rglob("*.html"))]:
            site.update(path.read_bytes())
        site.update(_code_hash() + pelican.__version__.encode())
        self.site, self.used = site.digest(), set()
        self.load = self.cached and settings.get("LOAD_CONTENT_CACHE", True)

    def key(self, briefing):
        return hashlib.sha256(self.site + repr(briefing).encode()).hexdigest()

    def missing(self, key):
        """Whether the body of this key must be rendered: not in the cache, or the cache is not read."""
        self.used.add(f"{key}.html")
        return not (self.load and (self.folder / f"{key}.html").exists())

    def write(self, key, body):
        write_atomic(str(self.folder / f"{key}.html"), body.encode("utf-8"), durable=False)

    def read(self, key):
        return (self.folder / f"{key}.html").read_text(encoding="utf-8")

    def prune(self):
        if self.cached:
            _prune(self.folder, self.used)
