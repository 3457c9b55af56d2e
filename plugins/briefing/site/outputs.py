"""Writing the plugin's output files: each rendered once, then put in place from the cache while
nothing it is made from changes.

A build writes into an emptied output folder (publishconf.py) or into what the last build left; a
file whose inputs are unchanged is hard-linked from the cache instead of rendered again, or left as
it is when it is that link already.
"""

import contextlib
import functools
import hashlib
import io
import logging
import os
import pickle
from pathlib import Path

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from ..core.files import write_atomic
from ..core.machine import cores
from ..core.safefile import real_folder
from .cache import _prune, fingerprint

logger = logging.getLogger(__name__)


def page_context(context, name, relative, **kwargs):
    """The context Pelican's writer gives a template it renders into `name` (Writer.write_file)."""
    local = context.copy()
    local["localsiteurl"] = local.get("localsiteurl", None)
    if relative:
        local["SITEURL"] = local["localsiteurl"] = _to_root(os.path.dirname(name))
    local["output_file"] = name
    local.update(kwargs)
    return local


@functools.cache
def _to_root(folder):
    """The relative URL from a page in this folder to the site's root, as Pelican's writer makes it."""
    return path_to_url(get_relative_path(os.path.join(folder, "page.html")))


# (Outputs, cache key) of each file this build put in place from the cache, by its real path: what
# it holds, known without reading it (the search keys its bundles by its bytes' digest).
written = {}
_opened = []  # the Outputs of the build under way, whose digests are kept when it ends


def file_digest(path):
    """The sha256 of a file's bytes."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").digest()


class Outputs:
    """Output files, each kept in the cache under a hash of what it is made from (CACHE_CONTENT)."""

    def __init__(self, settings, output_path, site, shown=b"", folder="briefing-outputs"):
        # `site`: a hash of the settings, theme and code; `shown`: what every page also prints.
        self.output_path, self.site, self.salt, self.used = output_path, site, site + shown, set()
        self.made = set()  # folders known to exist
        self.fresh = set()  # keys rendered by this build (in its workers too)
        self.folder = Path(settings["CACHE_PATH"], folder) if settings["CACHE_CONTENT"] else None
        self.load = settings.get("LOAD_CONTENT_CACHE", True)
        self.digests = {}  # key -> the sha256 of its file's bytes, kept between builds
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._digests_file = self.folder.with_name(self.folder.name + ".digests")
            if self.load and self._digests_file.exists():
                self.digests = pickle.loads(self._digests_file.read_bytes())
            _opened.append(self)

    def rendered(self, keys):
        """Note outputs this build rendered into the cache (here or in its workers): their bytes are new."""
        self.fresh.update(keys)
        for key in keys:
            self.digests.pop(key, None)

    def digest(self, key):
        """The sha256 of the bytes of the output of this key, remembered or read once from the cache."""
        found = self.digests.get(key)
        if found is None:
            found = self.digests[key] = file_digest(self.folder / key)
        return found

    def keep_digests(self):
        """Keep the digests of the outputs this build used, for the next."""
        kept = {key: self.digests[key] for key in self.used if key in self.digests}
        write_atomic(str(self._digests_file), pickle.dumps(kept, pickle.HIGHEST_PROTOCOL), durable=False)

    def key(self, name, inputs, page=True):
        """The cache key of `name` made from `inputs` (see write); None without CACHE_CONTENT."""
        if self.folder is None:
            return None
        return hashlib.sha256((self.salt if page else self.site) + fingerprint((name, inputs))).hexdigest()

    def missing(self, key):
        """Whether the output of this key must be rendered: not in the cache, or the cache is not read."""
        return key not in self.fresh and not (self.load and os.path.exists(os.path.join(self.folder, key)))

    def store(self, key, text, name):
        """Write a rendered output at `name` in the output folder and keep it in the cache (in a
        worker process too), as one file under two names: written in its own folder, and linked
        from the cache's, where a file written and renamed costs a new inode and two folder locks
        that the other workers wait on."""
        path = sanitised_join(self.output_path, name)
        self._make_folder(path)
        data = _encoded(text)
        _unlink(path)  # never write through an old link into the cache
        with open(path, "xb") as f:
            f.write(data)
        try:
            os.link(path, self.folder / key)
        except OSError:  # another file system; or with the cache not read, a stale copy to replace
            write_atomic(str(self.folder / key), data, durable=False)

    def write(self, name, inputs, render, page=True, alias=None):
        """Write `name` in the output folder: rendered by render() (text, or UTF-8 bytes), or from
        the cache when a build rendered it before from the same inputs (any value cache.fingerprint
        takes, naming all of them; for a page, the menu and last ingestion too). Returns its path.

        `alias`: other inputs that determine the output too, cheaper to work out but changing more
        often (a feed's briefings by their body keys, for the teasers it shows of them); `inputs` is
        then a function giving them, called only when the cache has nothing under the alias, and the
        output is kept under both."""
        path = sanitised_join(self.output_path, name)
        if self.folder is None:
            self._make_folder(path)
            _unlink(path)
            with open(path, "wb") as f:
                f.write(_encoded(render()))
            return path
        if alias is None:
            key = self.key(name, inputs, page)
        else:
            key = self.key(name, alias, page)
            if self.missing(key):
                exact = self.key(name, inputs(), page)
                self.used.add(exact)
                if self.missing(exact):
                    self.store(exact, render(), name)
                    self.rendered([exact])
                if exact != key:  # the same when the alias is all it shows (a feed with no entry)
                    _link_file(self.folder / exact, self.folder / key)
                    self.rendered([key])
        self.used.add(key)
        cached = os.path.join(self.folder, key)
        held = _stat(cached) if self.load or key in self.fresh else None
        if held is None:
            self.store(key, render(), name)
            self.rendered([key])
        elif not _in_place(path, held):  # else this build's worker, or the last build, put it there
            self._make_folder(path)
            _link_file(cached, path)
        return self._written(path, key)

    def _written(self, path, key):
        written[real_path(path)] = (self, key)
        logger.info('Writing "%s"', path)
        return path

    def _make_folder(self, path):
        folder = os.path.dirname(path)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)

    def prune(self):
        """Forget the outputs this build did not write: the cache holds one site, not its history."""
        if self.folder:
            _prune(self.folder, self.used)


class Beside:
    """work() run by a forked process beside this one, writing outputs that send no signal: join()
    waits for it and takes the cache keys it used. When there is little to render (`much` false),
    or with one core or no fork, join() runs it here: after a fork this process copies each page of
    memory it then writes to (0.25 s of a warm ten-year build), more than such work costs."""

    def __init__(self, outputs, work, much):
        self.outputs, self.pid, self.work = outputs, None, work
        if not much or cores() < 2 or not hasattr(os, "fork"):
            return
        readable, writable = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(readable)
            code = 1
            try:
                self.work()
                with os.fdopen(writable, "wb") as f:
                    pickle.dump(outputs.used, f)
                code = 0
            except BaseException:
                logger.exception("briefing: writing the open data and feeds failed")
            finally:
                os._exit(code)  # never this process's exit handlers: they are the build's
        os.close(writable)
        self.readable = readable

    def join(self):
        if self.pid is None:
            self.work()
            return
        with os.fdopen(self.readable, "rb") as f:
            used = f.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("briefing: the open data and feeds were not written (the error is above)")
        self.outputs.used |= pickle.loads(used)


def _link_file(source, destination):
    """destination made a hard link to source (a copy across file systems), whatever it was."""
    _unlink(destination)
    try:
        os.link(source, destination)
    except OSError:  # another file system, or one without hard links
        with open(source, "rb") as src, open(destination, "wb") as dst:
            dst.write(src.read())


def _unlink(path):
    with contextlib.suppress(FileNotFoundError):  # a used folder: never write through an old link
        os.unlink(path)


def _stat(path):
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _in_place(path, held):
    """Whether path is a link to the file of this stat already."""
    try:
        return os.path.samestat(os.lstat(path), held)
    except FileNotFoundError:
        return False


def page_renderer(context, name, template, relative, **kwargs):
    """(the context Pelican's writer would render `name` with, a function rendering it)."""
    local = page_context(context, name, relative, **kwargs)

    def render():
        if local["localsiteurl"]:  # as Pelican's writer does: an article's content reads it from there
            context["localsiteurl"] = local["localsiteurl"]
        return template.render(local)

    return local, render


def write_page(outputs, context, name, template, relative, inputs, **kwargs):
    """Write the page `name` as Pelican's writer would (Writer.write_file), from the cache when
    `inputs` (everything the page shows beyond the site's settings, theme and code) are unchanged."""
    local, render = page_renderer(context, name, template, relative, **kwargs)
    path = outputs.write(name, ("page", inputs), render)
    signals.content_written.send(path, context=local)
    return path


def _encoded(text):
    return text if isinstance(text, bytes) else text.encode("utf-8")


def write_feed(outputs, writer, entries, context, name, cheap, **kwargs):
    """Write the feed `name` with Pelican's writer (Writer.write_feed), from the cache when `cheap`
    (what determines it without rendering an entry; see Outputs.write's `alias`) or else what its
    entries show is unchanged; entries() gives its entries, called only when needed."""

    def shows():
        return [
            (e.url, e.title, e.date, getattr(e, "modified", None), e.get_content(None)) for e in entries()
        ]

    def render():
        text = io.StringIO()
        writer.write_feed(entries(), context, None, url=name, **kwargs).write(text, "utf-8")
        return text.getvalue()

    return outputs.write(name, lambda: ("feed", kwargs, shows()), render, alias=("feed", kwargs, cheap))


def real_path(path):
    """os.path.realpath of a file the build wrote (the file itself is written, never a link)."""
    found = _real.get(path)
    if found is None:  # worked out once a build: the search and the sitemap ask for each page too
        folder, name = os.path.split(os.path.abspath(path))
        found = _real[path] = os.path.join(real_folder(folder), name)
    return found


_real = {}  # path -> real_path(path), for the build under way


def new_build():
    """Forget what an earlier build in this process wrote (invoke regenerate), even one that failed."""
    _opened.clear()
    written.clear()
    _real.clear()


def finish():
    """End the build: keep its outputs' digests for the next."""
    for outputs in _opened:
        outputs.keep_digests()
    new_build()
