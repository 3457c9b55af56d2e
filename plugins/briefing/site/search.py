"""Full-text search: Pagefind bundles of the written site, each indexed again only when its pages change.

Briefings are split by year, and by month in the newest year, where new days and most edits fall;
the rest of the site (actors, issues, pages) is one bundle at pagefind/, which the search page
loads and merges the others into (pagefind/bundles.json lists them). Each bundle is kept in
CACHE_PATH under a hash of the pages it indexes and linked back into place while they are unchanged.
"""

import functools
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

from pagefind.service import get_executable

from ..core.machine import cores
from . import outputs
from .outputs import real_path

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"  # the site bundle's folder in the output, and every other bundle's parent
MANIFEST = "bundles.json"
_dated = {}  # output path -> date of the briefing written there, for the build under way


def written(path, context):
    """Remember which written pages are briefings (articles), and their dates."""
    article = context.get("article")
    if article is not None:
        _dated[real_path(path)] = article.date.date()


def bundle_of(day, newest):
    """The bundle a briefing of that day goes in: its year, or its month in the newest year."""
    return f"{day:%Y}" if day.year < newest.year else f"{day:%Y-%m}"


def groups(pages, dated):
    """{bundle name ("" for the site bundle): [page paths]} for the written pages."""
    days = {page: dated[page] for page in pages if page in dated}
    newest = max(days.values(), default=None)
    found = {}
    for page in pages:
        day = days.get(page)
        found.setdefault("" if day is None else bundle_of(day, newest), []).append(page)
    return found


def start(settings, output_path, site=False):
    """Start indexing the briefings' bundles once their pages are written, or with site=True the
    site's own once every other page is, so that Pagefind works while the rest of the site (feeds,
    open data) is written (with CACHE_CONTENT, where the bundles are kept)."""
    if not (settings["BRIEFING_SEARCH"] and settings["CACHE_CONTENT"]):
        return
    output = Path(output_path).resolve()
    cache = Path(settings["CACHE_PATH"], "briefing-search")
    cache.mkdir(parents=True, exist_ok=True)
    load = settings.get("LOAD_CONTENT_CACHE", True)
    if site:
        bundles = {"": [page for page in _pages(output) if page not in _dated and _searchable(page)]}
    else:
        _started.clear()  # what a build that stopped midway started is of no use
        bundles = groups(sorted(_dated), _dated)
    # Newest first: the bundle an edit or a new day changes is most often the newest, and its
    # Pagefind then starts at once, while the pool threads hash the others' pages.
    for name in sorted(bundles, reverse=True):
        _started[name] = (bundles[name], _submit(output, bundles[name], cache, load))


def _pages(output):
    """The real path of every HTML page under the output folder (a resolved path)."""
    found, folders = [], [str(output)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.name.endswith(".html"):
                    found.append(os.path.realpath(entry.path) if entry.is_symlink() else entry.path)
    return sorted(found)


# bundle name -> (its pages, the future of _bundle's answer for them), as start() found them: the
# pages are not written again, so index() takes that answer instead of reading them again.
_started = {}


def _submit(output, files, cache, load):
    """Start _bundle in the pool, with the cache keys of those files this build wrote from the cache."""
    known = {path: outputs.written[path] for path in files if path in outputs.written}
    return _pool().submit(_bundle, output, files, known, cache, load)


def _bundle(output, files, known, cache, load):
    """(the key of these pages, whether their bundle is in cache/key): built unless the cache has it.
    Run by the pool: the pages are hashed, as they are indexed, while the build goes on."""
    key = _key(output, files, known)
    if load and (cache / key).is_dir():
        return key, True
    return key, _build(output, files, cache, key)


@functools.cache
def _pool():
    return ThreadPoolExecutor(max_workers=cores())  # each thread waits on a Pagefind


def index(pelican):
    """Build every bundle whose pages changed, and put them all in place under OUTPUT_PATH/pagefind/.

    A failure is a warning, as search only enhances the site.
    """
    dated, started = dict(_dated), dict(_started)
    _dated.clear()
    _started.clear()
    try:
        if pelican.settings["BRIEFING_SEARCH"]:
            _index(pelican.settings, Path(pelican.output_path).resolve(), dated, started)
    finally:
        outputs.finish()  # the build's last step


def _index(settings, output, dated, started):
    """index() of a build's output folder, given the pages it dated and the bundles it started."""
    target = output / BUNDLE
    found = groups([page for page in _pages(output) if page in dated or _searchable(page)], dated)
    with tempfile.TemporaryDirectory() as scratch:
        keep = settings["CACHE_CONTENT"]
        cache = Path(settings["CACHE_PATH"], "briefing-search") if keep else Path(scratch)
        cache.mkdir(parents=True, exist_ok=True)
        load = keep and settings.get("LOAD_CONTENT_CACHE", True)
        jobs = {}
        for name, files in found.items():
            begun, job = started.get(name, (None, None))
            jobs[name] = job if begun == files else _submit(output, files, cache, load)
        done = {name: job.result() for name, job in jobs.items()}  # name -> (key, bundle ready)
        ready = {name: cache / key for name, (key, ready) in done.items() if ready}
        _place_all(ready, target)
        merged = sorted((name for name in ready if name), reverse=True)
        if target.is_dir():
            (target / MANIFEST).write_text(json.dumps(merged) + "\n", encoding="utf-8")
        if keep:
            keys = {key for key, _ in done.values()}
            for entry in os.listdir(cache):
                if entry not in keys:
                    shutil.rmtree(cache / entry, ignore_errors=True)


def _searchable(path):
    """Whether Pagefind would index the page: a list of briefings or an archive has nothing of its
    own to index, and left out it neither costs Pagefind a read nor makes the bundle change."""
    with open(path, "rb") as f:
        return b"data-pagefind-body" in f.read()


@functools.cache
def _pagefind_version():
    return version("pagefind_bin")


def _key(output, files, known):
    """A hash of the pages' paths and bytes, and of the Pagefind that indexes them. A page this build
    put in place from the output cache (`known`: (Outputs, key)) has its bytes' digest kept there."""
    key = hashlib.sha256(_pagefind_version().encode())
    for path in files:
        key.update(b"\0" + os.path.relpath(path, output).encode() + b"\0")
        kept = known.get(path)
        key.update(kept[0].digest(kept[1]) if kept else outputs.file_digest(path))
    return key.hexdigest()


# Pagefind reads a bundle's pages where they are when a glob can name them: paths of plain characters,
# in one argument of a command (Linux takes 128 KiB); else they are linked into a folder of their own.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]+")
_MAX_GLOB = 100_000


def _glob(relative):
    """A glob naming exactly these paths. Their common folder is written out before the braces:
    Pagefind then walks that folder alone, not the whole site (4,000 folders at ten years) for
    each bundle."""
    common = os.path.commonpath([os.path.dirname(path) for path in relative]) if relative else ""
    if not common:
        return "{" + ",".join(relative) + "}"
    return f"{common}/{{" + ",".join(path[len(common) + 1 :] for path in relative) + "}"


def _build(output, files, cache, key):
    """Index the files into cache/key; False, with a warning, when Pagefind fails."""
    # Folders of this run's own: two builds of one bundle (a preview loop's) never share one.
    bundle = Path(tempfile.mkdtemp(prefix=f"{key}.tmp-", dir=cache))
    relative = [os.path.relpath(path, output) for path in files]
    site, glob, stage = output, _glob(relative), None
    if not relative or len(glob) > _MAX_GLOB or not all(map(_PLAIN_PATH.fullmatch, relative)):
        # A folder holding only these pages, at their own paths, gives their URLs.
        site = stage = Path(tempfile.mkdtemp(prefix=f"{key}.pages-", dir=cache))
        for path, name in zip(files, relative, strict=True):
            _link(Path(path), stage / name)
        glob = "**/*.{html}"
    command = [str(get_executable()), "--site", str(site), "--glob", glob]
    command += ["--output-path", str(bundle), "--silent"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        logger.warning("briefing: search index not built: %s", e)
        return False
    finally:
        if stage:
            shutil.rmtree(stage, ignore_errors=True)
    if run.returncode != 0:
        shutil.rmtree(bundle, ignore_errors=True)
        logger.warning(
            "briefing: search index not built (pagefind: %s)", (run.stderr or run.stdout).strip()[-500:]
        )
        return False
    shutil.rmtree(cache / key, ignore_errors=True)  # built anew when the cache is not read
    try:
        bundle.rename(cache / key)
    except OSError:  # the same pages, indexed meanwhile by another build: that bundle stands
        shutil.rmtree(bundle, ignore_errors=True)
    return True


# Pagefind's own file in every bundle, placed last: when it is the cached one, the rest is too.
_ENTRY = "pagefind-entry.json"


def _place_all(bundles, target):
    """Make target hold these bundles ({name: cached folder}; "" is the site's own, at target's top,
    the others in folders of their name there) and nothing else. A bundle an earlier build into this
    output folder placed from the same cached folder is there already (its thousands of files are
    left as they are); any other is removed and linked in afresh."""
    site = bundles.get("")
    # The site bundle's names at target's top, when it is in place already.
    kept = set(os.listdir(site)) if site and _placed(site, target) else set()
    if target.is_dir():
        for entry in os.listdir(target):
            placed = target / entry
            if entry in kept or (entry and entry in bundles and _placed(bundles[entry], placed)):
                continue
            if placed.is_dir() and not placed.is_symlink():
                shutil.rmtree(placed)
            else:
                placed.unlink()
    for name, bundle in bundles.items():
        folder = target / name if name else target
        if not _placed(bundle, folder):
            _place(bundle, folder)


def _placed(bundle, folder):
    """Whether folder holds the bundle already, linked from its cached folder."""
    try:
        return os.path.samestat(os.lstat(folder / _ENTRY), os.stat(bundle / _ENTRY))
    except FileNotFoundError:
        return False


def _place(bundle, target):
    paths = sorted(bundle.rglob("*"), key=lambda path: path.name == _ENTRY)
    for path in paths:
        if path.is_file():
            _link(path, target / path.relative_to(bundle))


def _link(source, destination):
    """A hard link, or a copy where the two folders are on different file systems."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(destination):  # a build into a used folder (invoke regenerate)
        os.unlink(destination)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copyfile(source, destination)
