"""What a build works out, kept between builds under a hash of everything it is made from.

Rendering the briefings, and reading and matching the archive, are most of a build; an edit
touches a day or two, a fetch the current month. The next build reads the rest back. Used when
CACHE_CONTENT is on. The cache is local and written only here, so its pickles are trusted.
"""

import contextlib
import copyreg
import dataclasses
import hashlib
import io
import operator
import os
import pickle
import shutil
import tempfile
import time
import weakref
from datetime import date, datetime
from itertools import compress
from pathlib import Path

import pelican
from markupsafe import Markup

from ..core import digest, model
from ..core.files import write_atomic
from ..core.urls import dead_among
from .packs import Packs

# Settings that differ between two builds of the same site without changing a body.
_VOLATILE = {"OUTPUT_PATH"}
_CODE = Path(__file__).parent.parent  # the whole plugin, every layer


def _code_hash():
    code = hashlib.sha256()
    for path in sorted(_CODE.rglob("*.py")):
        code.update(path.read_bytes())
    return code.digest()


def _by_fields(cls):
    """A reducer giving a dataclass as its class and the tuple of its field values.

    Its __dict__ would also hold a cached_property's value (FeedItem.text) when something read
    it, which says nothing the fields do not; and a tuple is cheaper to write than a dict.
    """
    names = [f.name for f in dataclasses.fields(cls)]
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (get(obj),))
    return lambda obj: (cls, get(obj))


_FROM_ISO = datetime.fromisoformat


def _aware(moment):
    # A time zone pickles through a bound method, which costs a lookup each time.
    return _FROM_ISO, (moment.isoformat(),)


class Parts:
    """Digests of a build's notes, positions, archived items and mentions, worked out once when they
    are read and kept with them in the caches: fingerprint writes such an object as its digest, not its
    fields. A note's is a hash of its path and text and of all else it depends on; a position's and an
    item's a hash of its fingerprint; a mention's, of its item's and what it mentions: what shows only
    them is kept while they are unchanged.

    Looked up by identity within one build, each object held so that its id stays its own; its digest
    follows content only, so the same note gives the same key in every build.
    """

    def __init__(self):
        self.by_id = {}

    def add(self, obj, digest):
        self.by_id[id(obj)] = (obj, digest)

    def add_all(self, objs, digests):
        """add() each object with its digest, the objects whose digest is None left out."""
        self.by_id.update(compress(zip(map(id, objs), zip(objs, digests, strict=True), strict=True), digests))

    def get(self, obj):
        found = self.by_id.get(id(obj))
        return found[1] if found is not None and found[0] is obj else None


_PARTS = [Parts()]  # the parts of the content this process loaded last


def new_parts():
    """A new, empty Parts that fingerprint reads from now on: a build loading its content starts one."""
    _PARTS[0] = Parts()
    return _PARTS[0]


def _part(digest):
    """What a registered part stands as in a fingerprint: never called, only written by reference."""
    return digest


def _or_part(reduce):
    """A reducer writing a registered part as its digest, anything else as `reduce` does."""

    def reducer(obj):
        found = _PARTS[0].by_id.get(id(obj))
        if found is not None and found[0] is obj:
            return _part, (found[1],)
        return reduce(obj)

    return reducer


_CLASSES = [c for m in (model, digest) for c in vars(m).values() if dataclasses.is_dataclass(c)]
_DISPATCH = {**{c: _by_fields(c) for c in _CLASSES}, datetime: _aware}
# Notes, their positions, archived items and what each mentions are most of a briefing: written as
# their digests.
_PART_CLASSES = (model.Note, model.Position, model.FeedItem, model.Mention)
_FINGERPRINT = _DISPATCH | {c: _or_part(_DISPATCH[c]) for c in _PART_CLASSES}
# What a fingerprint pickles by reference, given up front so each is written once, not each time.
_GLOBALS = [*_CLASSES, date, datetime, _FROM_ISO, _part]


_GLOBALS_MEMO = {id(g): (i, g) for i, g in enumerate(_GLOBALS)}


def fingerprint(value):
    """Bytes that change whenever anything in value does (model dataclasses, dates, containers),
    however its objects happen to be shared: far cheaper than repr() of dataclasses. Sets are to
    be left out: their order changes from run to run. A note, position or item of the content loaded
    last is written as its digest (Parts)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.dispatch_table = _FINGERPRINT
    pickler.memo = _GLOBALS_MEMO  # copied by the pickler, never changed
    # Fast mode memoizes nothing more: a string or a position met twice is written out twice,
    # so the bytes follow values only (a memo would follow which objects a loader shared).
    pickler.fast = True
    pickler.dump(value)
    return out.getvalue()


MAKE = {}  # each class _restorer was given: the function making one of its objects from its field values


def _restorer(cls):
    """A reducer writing an object of a frozen slots dataclass as a function that sets its fields
    straight into a new object, without __init__: three times as fast to read back (200,000 items
    and 80,000 positions a warm build), and what the caches hold was made by __init__ once already,
    the strings it shared (interned) written once and read back shared by pickle's memo."""
    names = [f.name for f in dataclasses.fields(cls)]
    args = ", ".join(f"a{n}" for n in range(len(names)))
    sets = "".join(f"    s{n}(obj, a{n})\n" for n in range(len(names)))
    setters = {f"s{n}": vars(cls)[name].__set__ for n, name in enumerate(names)}  # the slots' own
    scope = {"new": object.__new__, "cls": cls, **setters}
    name = f"_new_{cls.__name__}"
    exec(f"def {name}({args}):\n    obj = new(cls)\n{sets}    return obj\n", scope)  # as dataclasses does
    globals()[name] = MAKE[cls] = make = scope[name]  # pickled by reference: found here by its name
    make.__module__ = __name__
    get = operator.attrgetter(*names)
    return lambda obj: (make, get(obj))


_NEW_STR = str.__new__


def _markup(text):
    """Markup of text already escaped, without Markup.__new__ (a Python call for each summary)."""
    return _NEW_STR(Markup, text)


# What the caches are written with: read back without running each object's __init__ again.
_STORED = copyreg.dispatch_table | {
    **{
        c: _restorer(c)
        for c in (model.FeedItem, model.Mention, model.Note, model.Position, model.Source, model.Correction)
    },
    Markup: lambda text: (_markup, (str(text),)),
}


def stored(value):
    """The bytes of a pickle of value for a cache: pickle.loads reads them back."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _STORED
    pickler.dump(value)
    return out.getvalue()


# How long before a run a file must have last changed for its stat signature to be trusted: a file
# changed again within the same tick of the file system's clock as the run that read it would keep
# its signature (git's "racily clean" entries). A time in whole seconds may come from a file system
# that keeps no less (FAT: 2 s); any other, from one that keeps 10 ms or finer (exFAT; ext4, NTFS
# and APFS keep nanoseconds, stamped by a kernel clock a few ms coarse): generous for each.
_RACY_NS, _RACY_FINE_NS = 2_000_000_000, 100_000_000


class Seen:
    """The content digest of each file a run read, under the file's stat signature (safefile.signature):
    the next run takes a file whose signature is the same as unchanged, without reading it.

    A signature is trusted only if the file last changed well before the run that read it; other
    files are read and hashed again. An edit changes the size, mtime or ctime (which os.utime cannot
    set back), a file replaced the inode.
    """

    def __init__(self, file, load):
        self.file, self.now, self.old, self.new, self.read = Path(file), time.time_ns(), {}, {}, False
        self.recorded = 0
        if load:
            with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
                self.recorded, self.old = pickle.loads(self.file.read_bytes())

    def get(self, name, signature):
        """The digest recorded for the file under this name and signature, or None: it is to be read."""
        found = self.old.get(name)
        if signature is None or found is None or found[0] != signature or _racy(signature[1], self.recorded):
            return None
        self.new[name] = found
        return found[1]

    def add(self, name, signature, digest):
        """Record the digest of a file read, under the signature it had before it was read."""
        self.read = True
        if signature is not None:
            self.new[name] = (signature, digest)

    def save(self):
        """Write the files of this run, when it read any or some are gone."""
        if self.read or self.new.keys() != self.old.keys():
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(str(self.file), pickle.dumps((self.now, self.new), pickle.HIGHEST_PROTOCOL), False)


def _racy(mtime, recorded):
    """Whether a file last changed at mtime (ns) is too close to the run that recorded it to be known
    unchanged by its signature."""
    return mtime >= recorded - (_RACY_FINE_NS if mtime % 1_000_000_000 else _RACY_NS)


def _prune(folder, used):
    """Forget what this build did not use: the cache holds one site, not its history. A file linked
    under a name the build used is used (an output found by its alias, outputs.Outputs.write)."""
    with os.scandir(folder) as found:
        entries = list(found)
    kept = {entry.inode() for entry in entries if entry.name in used}
    for entry in entries:
        if entry.name not in used and entry.inode() not in kept:
            os.unlink(folder / entry.name)


class Bodies:
    """Rendered briefing bodies on disk, each under a hash of its briefing and of the site around it.

    A build holds only their keys: a body (about 110 KB at scale) is read back when a page or feed
    prints it. They are kept in a few pack files (packs.py), not a file each. Without CACHE_CONTENT
    the folder is the build's own, removed when it ends.
    """

    def __init__(self, settings, digest, dead_links):
        self.cached, self.dead_links = settings["CACHE_CONTENT"], dead_links
        if self.cached:
            folder = Path(settings["CACHE_PATH"], "briefing-bodies")
        else:
            folder = Path(tempfile.mkdtemp(prefix="briefing-bodies-"))
            weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
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
        self.packs = Packs(folder, load=self.cached and settings.get("LOAD_CONTENT_CACHE", True))

    def key(self, briefing):
        # A source found dead is shown so: its briefing alone is rendered again.
        dead = dead_among([url for note in briefing.notes for url in digest.cited(note)], self.dead_links)
        return hashlib.sha256(self.site + fingerprint((briefing, dead) if dead else briefing)).hexdigest()

    def missing(self, key):
        """Whether the body of this key must be rendered: not in the cache, or the cache is not read."""
        self.used.add(key)
        return key not in self.packs

    def write(self, key, body):
        """Keep a rendered body (in a forked worker too); returns what add() records of it."""
        return self.packs.put(key, body.encode("utf-8"))

    def add(self, written):
        """Record the bodies forked workers wrote (what their write() returned)."""
        self.packs.add(written)

    def read(self, key):
        return self.packs.get(key).decode("utf-8")

    def prune(self):
        if self.cached:
            self.packs.save(self.used)
