"""Everything one build reads from content/, validated, matched and digested (no Pelican here)."""

import gc
import os
from contextlib import contextmanager
from functools import partial
from zoneinfo import ZoneInfo

from ..core import digest, images
from ..core.match import Matcher
from ..core.notefiles import load_notes
from ..core.problems import ContentError
from ..core.sources import load_feeds, load_tracked, locations
from ..ingest import archive, links, state
from . import pagecheck
from .archivecache import MatchedArchive
from .cache import new_parts
from .notecache import Notes
from .storycache import Stories


def load_digest(settings, files=None):
    """Return the Digest of the site at settings['PATH'], or raise ContentError with every problem;
    `files`, its static files (images.static_files) when they are known already."""
    path, root, archive_dir = locations(settings)
    problems = []
    actors, issues = load_tracked(settings, problems)
    feeds = load_feeds(settings, problems)
    if problems:
        # Notes are checked against actors and issues: report broken definitions first, alone.
        raise ContentError(problems)
    known = {
        "actors": actors,
        "issues": issues,
        "stances": settings["BRIEFING_STANCES"],
        "evidence": settings["BRIEFING_EVIDENCE"],
        "max_positions": settings["BRIEFING_MAX_POSITIONS_PER_NOTE"],
        "max_sources": settings["BRIEFING_MAX_SOURCES_PER_NOTE"],
        # What a note's images are checked against (their files' problems are reported with the pages'):
        # when a file is added or changed, every note is parsed again.
        "files": files or images.static_files(settings, path, root, pagecheck.ours(settings, path))[0],
    }
    tz = ZoneInfo(settings["TIMEZONE"])
    new_parts()  # the notes and items read below are registered there as they are read
    matcher = Matcher(actors, issues)
    cached = MatchedArchive(settings, matcher) if settings.get("CACHE_CONTENT") else None
    if cached:  # worker processes read and match the archive while the notes load here
        cached.start(archive_dir, root)
    # Besides its path and text, a note's result depends on the code, known and tz alone.
    checked = Notes(settings, known, tz) if settings.get("CACHE_CONTENT") else None
    notes_dir = os.path.join(path, settings["BRIEFING_NOTES_DIR"])
    notes = load_notes(notes_dir, problems, root, known, tz, checked)
    if checked is not None:
        checked.save()
    stories = Stories(settings, cached.files, feeds, matcher) if cached else None
    mentions = stories.read(cached.items) if cached and cached.unchanged else None
    if mentions is None:
        items = cached.finish(problems) if cached else archive.read(archive_dir, root, problems)
    if problems:
        raise ContentError(problems)
    if mentions is None:
        worked_out = (cached.mentions, cached.keys) if cached else ()
        match = partial(digest.match_items, items, feeds, matcher, *worked_out)
        mentions = stories.match(items, match, cached) if cached else match()
    return digest.build(actors, issues, vocabulary(settings), notes, mentions, tz)


def vocabulary(settings):
    """(stances, evidence, the two stances a move between is a reversal) of digest.build."""
    opposites = settings["BRIEFING_OPPOSITE_STANCES"]
    return settings["BRIEFING_STANCES"], settings["BRIEFING_EVIDENCE"], tuple(opposites or ())


def load_sources(settings):
    """Each feed of feeds.yml with its fetch state, for the sources page; raise on bad content."""
    problems = []
    feeds = load_feeds(settings, problems)
    _, root, archive_dir = locations(settings)
    states = state.load(archive_dir, root, problems)
    if problems:
        raise ContentError(problems)
    return tuple((feed, state.for_feed(states, feed)) for feed in feeds.values())


def load_dead_links(settings):
    """{address: the day it began failing} of every cited source that invoke check-links found dead
    (BRIEFING_LINKS_DEAD_AFTER checks in a row); raise on a damaged links.json."""
    problems = []
    _, root, archive_dir = locations(settings)
    after = settings["BRIEFING_LINKS_DEAD_AFTER"]
    states = links.load(archive_dir, root, problems)
    if problems:
        raise ContentError(problems)
    return {url: links.dead_since(s) for url, s in states.items() if links.dead(s, after)}


@contextmanager
def _collector_paused():
    """Loading makes millions of objects and next to no reference cycles (2,500 on a 1,000-day site),
    yet each collection walks all the objects made so far: half of a warm check went on them.

    What was loaded then lives as long as the build, and is frozen: left out of later collections
    (walking it once more cost 0.7 s at ten years) until the next load, which thaws it.
    """
    enabled = gc.isenabled()
    gc.unfreeze()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()


def load_all(settings):
    """(digest, sources, static files) of the site, or ContentError with every problem: content, then
    Pelican's pages and the site's files."""
    with _collector_paused():
        return _load_all(settings)


def _load_all(settings):
    path, root, _ = locations(settings)
    files, pages = images.static_files(settings, path, root, pagecheck.ours(settings, path))
    pages += pagecheck.problems(settings, path, root, files)
    try:
        digest, sources = load_digest(settings, files), load_sources(settings)
    except ContentError as e:
        raise ContentError([*e.problems, *pages]) from None
    if pages:
        raise ContentError(pages)
    return digest, sources, files
