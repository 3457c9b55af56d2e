"""The notes folder read: each note file parsed (in worker processes when many) or taken from the
note cache, problems in path order, then the notes checked against each other."""

import os
from concurrent.futures import ProcessPoolExecutor

from . import safefile
from .content import read_text
from .machine import cores
from .notes import NOTE_SUFFIXES, check_conflicts, parse_note
from .problems import Problem


def load_notes(notes_dir, problems, root, known, tz, cache=None):
    """Every note under notes_dir, checked one by one and then against each other.

    `cache`, a notecache.Notes of what parse_note gave, (note, problems), is read for each file and
    given each file's result: an unchanged file is not parsed again (nor read, when its stat signature
    says so), and its problems are reported all the same. The others are parsed by a _Parser, perhaps
    in other processes; each file's problems are reported in path order all the same.
    """
    files, parser, notes = [], _Parser(known, tz), []
    # Normal, so that each file's path under the site's root is what follows the root's (relpath took
    # a tenth of a warm load).
    notes_dir, start = os.path.normpath(notes_dir), len(os.path.join(root, ""))
    inside = notes_dir.startswith(os.path.join(root, ""))
    try:
        for path in safefile.walk(notes_dir, root, problems):
            rel = path[start:] if inside else os.path.relpath(path, root)
            found = []
            if not path.endswith(NOTE_SUFFIXES):
                found.append(
                    Problem(
                        rel,
                        None,
                        "this is not a note file",
                        "name notes *.yml or *.md, or move other files out of the notes folder",
                    )
                )
                files.append((None, None, found, None))
                continue
            key, text, result = _cached_note(path, rel, root, found, cache)
            if text is not None and result is None:
                parser.add(text, rel)
            files.append((key, text, found, result))
        parsed = parser.results()
        for key, text, read, cached in files:
            problems.extend(read)
            if key is None and text is None:
                continue  # not a note, or not read
            result = cached if cached is not None else next(parsed)
            if cache is not None:
                cache[key] = result
            note, found = result
            problems.extend(found)
            if note is not None:
                notes.append(note)
    finally:
        parser.close()
    notes.sort(key=lambda n: (n.time, n.path))
    check_conflicts(notes, problems)
    return tuple(notes)


def _cached_note(path, rel, root, problems, cache):
    """(the note's cache key, its text, the result kept for it) of a note file: without a cache, the
    text alone; a file the cache knows unchanged is not read (its text None)."""
    if cache is None:
        return None, read_text(path, root, problems), None
    signature = safefile.signature(path, root)
    key = cache.known(rel, signature)
    if key is not None:
        return key, None, cache.get(key)
    text = read_text(path, root, problems)
    if text is None:
        return None, None, None
    key = cache.key(rel, text, signature)
    return key, text, cache.get(key)


# Notes a worker process parses at a time: enough to outweigh sending them, few enough to share
# the notes evenly; fewer to parse (an edit or two) are parsed here, with no process started.
CHUNK = 200
_PARSING = {}  # a worker process's (known, tz), given once when the process starts


def _parse(text, rel, known, tz):
    found = []
    return parse_note(text, rel, found, known, tz), found


def _start_parser(known, tz):
    _PARSING["args"] = (known, tz)


def _parse_chunk(chunk):
    return [_parse(text, rel, *_PARSING["args"]) for text, rel in chunk]


class _Parser:
    """parse_note of each note added, in order: in worker processes once there is more than a chunk
    of them, as a cold load has thousands, and the archive is read by other workers meanwhile."""

    def __init__(self, known, tz):
        self.known, self.tz, self.chunk, self.chunks, self.pool = known, tz, [], [], None

    def add(self, text, rel):
        self.chunk.append((text, rel))
        if len(self.chunk) == CHUNK and (self.pool or cores() > 1):
            self.pool = self.pool or ProcessPoolExecutor(
                cores(), initializer=_start_parser, initargs=(self.known, self.tz)
            )
            self.chunks.append(self.pool.submit(_parse_chunk, self.chunk))
            self.chunk = []

    def results(self):
        """An iterator of (note, problems) of each note added, in order."""
        last = [_parse(text, rel, self.known, self.tz) for text, rel in self.chunk]
        for chunk in self.chunks:
            yield from chunk.result()
        yield from last

    def close(self):
        if self.pool:
            self.pool.shutdown(cancel_futures=True)
