"""Load and validate the editors' notes: one day's record each, its positions and their
evidence, in YAML or Markdown with front matter, with file:line errors."""

import os
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, time

from . import safefile, yamlfile
from .checker import Checker, kind_of
from .content import read_text
from .fields import CORRECTION, NOTE, POSITION, SOURCE
from .machine import cores
from .model import Correction, Note, Position, Source
from .problems import ContentError, Problem
from .urls import is_web_url

NOTE_SUFFIXES = (".yml", ".yaml", ".md")


def _split_front_matter(text, rel, problems):
    """Return (yaml text, markdown body) of a Markdown note."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        problems.append(
            Problem(
                rel,
                1,
                "a Markdown note must start with YAML front matter",
                "put a line '---', the keys (date:, title:, ...), then '---' at the top",
            )
        )
        return None, None
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "".join(lines[1:number]), "".join(lines[number + 1 :])
    problems.append(
        Problem(
            rel, 1, "the front matter is never closed", "add a line '---' after the last key, before the text"
        )
    )
    return None, None


# Years a note or correction may be dated in: wider than any story, narrow enough that a typo
# (9999, 0001) is caught here and not later as an overflow in date arithmetic.
YEARS = (1900, 2200)


def _note_date(check, mapping, tz):
    """Return (briefing date, moment) of a note, the date taken in the site's time zone."""
    if mapping.get("date") is None:  # missing or empty: reported by keys()
        return None, None
    value = _date_value(check, mapping["date"], mapping.lines["date"])
    if value is None:
        return None, None
    if isinstance(value, datetime):
        moment = value.astimezone(tz)
        return moment.date(), moment
    return value, datetime.combine(value, time(), tz)


def _date_value(check, value, line):
    """The date, or datetime with its UTC offset, an editor wrote; None when it is neither (reported)."""
    if isinstance(value, str):
        try:
            value = (
                datetime.fromisoformat(value.strip())
                if "T" in value or " " in value.strip()
                else date.fromisoformat(value.strip())
            )
        except ValueError:
            check.error(
                line, f"{value!r} is not a date", "write the date as YYYY-MM-DD, e.g. date: 2025-03-02"
            )
            return None
    if not isinstance(value, date):
        check.error(
            line,
            f"'date' must be a date, not {kind_of(value)}",
            "write the date as YYYY-MM-DD, e.g. date: 2025-03-02",
        )
        return None
    if not YEARS[0] <= value.year <= YEARS[1]:
        check.error(
            line,
            f"the year {value.year} is outside {YEARS[0]}..{YEARS[1]}",
            "check the date for a typo; write it as YYYY-MM-DD, e.g. date: 2025-03-02",
        )
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        check.error(
            line,
            "the date and time has no UTC offset",
            "add the offset, e.g. 2025-03-02T17:30:00+00:00, or give only the date",
        )
        return None
    return value


def _sources(check, mapping, limit):
    sources = {}
    check.at_most(mapping, "sources", limit, "BRIEFING_MAX_SOURCES_PER_NOTE")
    for entry in check.records(mapping, "sources", SOURCE):
        sid = entry.get("id")
        if "id" in entry and check.id(sid, entry.lines["id"], "source"):
            if sid in sources:
                check.error(
                    entry.lines["id"],
                    f"source id {sid!r} is used twice in this note",
                    "give each source its own id",
                )
            sources[sid] = Source(
                url=check.url(entry, "url"),
                id=sid,
                title=check.name(entry, "title"),
                publisher=check.name(entry, "publisher"),
            )
    return sources


def _positions(check, mapping, day, known, sources):
    positions = []
    check.at_most(mapping, "positions", known["max_positions"], "BRIEFING_MAX_POSITIONS_PER_NOTE")
    for entry in check.records(mapping, "positions", POSITION):
        actor = check.known(entry, "actor", known["actors"], "actor") if "actor" in entry else None
        issue = check.known(entry, "issue", known["issues"], "issue") if "issue" in entry else None
        stance = check.known(entry, "stance", known["stances"], "stance") if "stance" in entry else None
        source = None
        if "source" in entry:
            ref = check.text(entry, "source")
            if ref in sources:
                source = sources[ref]
            elif is_web_url(ref):
                source = Source(url=ref)
            else:
                listed = ", ".join(sources) or "none"
                check.error(
                    entry.lines["source"],
                    f"unknown source {ref!r}",
                    f"use a source id of this note ({listed}) or a full https:// address",
                )
        if actor and issue and stance and day:
            positions.append(
                Position(
                    actor=actor,
                    issue=issue,
                    stance=stance,
                    withdrawn=check.flag(entry, "withdrawn"),
                    date=day,
                    quote=check.text(entry, "quote"),
                    source=source,
                    note=check.text(entry, "note"),
                    path=check.path,
                    line=entry.line,
                )
            )
    return positions


WITHDRAWN = {True: " (withdrawn)", False: ""}


def check_conflicts(notes, problems):
    """One actor cannot take two different stances on one issue on the same day."""
    first = {}
    for note in notes:
        for p in note.positions:
            other = first.setdefault((p.date, p.actor, p.issue), p)
            if (other.stance, other.withdrawn) != (p.stance, p.withdrawn):
                problems.append(
                    Problem(
                        p.path,
                        p.line,
                        f"{p.actor} is also recorded as '{other.stance}'{WITHDRAWN[other.withdrawn]}"
                        f" on {p.issue} that day"
                        f" ({other.path}:{other.line})",
                        "keep one stance per actor, issue and day; a later change belongs in a later note",
                    )
                )


def parse_note(text, rel, problems, known, tz):
    """Parse and check the text of one .yml or .md note; problems are appended, None returned
    when unusable. Pure: what it gives depends on its arguments alone (the note cache relies on it)."""
    body, body_line = "", None
    if rel.endswith(".md"):
        front, body = _split_front_matter(text, rel, problems)
        if front is None:
            return None
        text = "\n" + front  # the blank line stands for the opening '---', so lines match the file
        body_line = text.count("\n") + 2  # the line after the closing '---'
    try:
        data = yamlfile.load(text, rel)
    except ContentError as e:
        problems.extend(e.problems)
        return None
    check = Checker(rel, problems, known.get("files"))
    mapping = check.mapping(data, 1, "a note", "start it with date: and title: lines")
    if mapping is None:
        return None
    check.keys(mapping, NOTE.keys, NOTE.required, "this note")
    day, moment = _note_date(check, mapping, tz)
    tags = check.texts(mapping, "tags", lambda tag, line: check.id(tag, line, "tag"))
    sources = _sources(check, mapping, known["max_sources"])
    positions = _positions(check, mapping, day, known, sources)
    corrections = _corrections(check, mapping, day, tz)
    title = check.name(mapping, "title", "this note")
    if day is None or "title" not in mapping:
        return None
    return Note(
        path=rel,
        date=day,
        time=moment,
        title=title,
        summary=check.text(mapping, "summary"),
        tags=tags,
        sources=tuple(sources.values()),
        positions=tuple(positions),
        body=check.markdown(body, body_line) if body.strip() else "",
        corrections=corrections,
    )


def _corrections(check, mapping, day, tz):
    corrections = []
    for entry in check.records(mapping, "corrected", CORRECTION):
        when, moment = _note_date(check, entry, tz)
        if when and day and when < day:
            check.error(
                entry.lines["date"],
                f"the correction is dated {when}, before the note ({day})",
                "give the date the correction was made",
            )
        elif when and entry.get("text"):
            corrections.append(Correction(date=when, time=moment, text=check.text(entry, "text")))
    return tuple(corrections)


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
