"""Load and validate the editors' notes: one day's record each, its positions and their
evidence, in YAML or Markdown with front matter, with file:line errors."""

from datetime import datetime, time

from . import yamlfile
from .checker import Checker
from .fields import CORRECTION, NOTE, POSITION, SOURCE
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


def _moment(value, tz):
    """(briefing date, moment) of a date or datetime an editor wrote, the date taken in the site's
    time zone; (None, None) for None."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        moment = value.astimezone(tz)
        return moment.date(), moment
    return value, datetime.combine(value, time(), tz)


def _sources(check, mapping, limit):
    sources = {}
    check.at_most(mapping, "sources", limit, "BRIEFING_MAX_SOURCES_PER_NOTE")
    for entry in check.records(mapping, "sources", SOURCE):
        values = check.read(entry, SOURCE, "a source")
        if values["id"] in sources:
            check.error(
                entry.lines["id"],
                f"source id {values['id']!r} is used twice in this note",
                "give each source its own id",
            )
        if values["id"]:
            sources[values["id"]] = Source(**values)
    return sources


def _positions(check, mapping, day, known, sources):
    positions = []
    check.at_most(mapping, "positions", known["max_positions"], "BRIEFING_MAX_POSITIONS_PER_NOTE")
    for entry in check.records(mapping, "positions", POSITION):
        values = check.read(entry, POSITION, "a position")
        values["evidence"] = values["evidence"] or ""  # not stated: a warning (invoke check), not an error
        source = _cited(check, entry, sources)
        if values["actor"] and values["issue"] and values["stance"] and day:
            positions.append(Position(date=day, source=source, path=check.path, line=entry.line, **values))
    return positions


def _cited(check, entry, sources):
    """The Source a position cites: one of its note's, by id, or an address of its own."""
    if "source" not in entry:
        return None
    ref = check.text(entry, "source")
    if ref in sources:
        return sources[ref]
    if is_web_url(ref):
        return Source(url=ref)
    listed = ", ".join(sources) or "none"
    check.error(
        entry.lines["source"],
        f"unknown source {ref!r}",
        f"use a source id of this note ({listed}) or a full https:// address",
    )
    return None


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
    check = Checker(rel, problems, known)
    mapping = check.mapping(data, 1, "a note", "start it with date: and title: lines")
    if mapping is None:
        return None
    check.keys(mapping, NOTE, "this note")
    values = check.read(mapping, NOTE, "this note")
    day, moment = _moment(values.pop("date"), tz)
    sources = _sources(check, mapping, known["max_sources"])
    positions = _positions(check, mapping, day, known, sources)
    corrections = _corrections(check, mapping, day, tz)
    if day is None or "title" not in mapping:
        return None
    return Note(
        path=rel,
        date=day,
        time=moment,
        **values,
        sources=tuple(sources.values()),
        positions=tuple(positions),
        body=check.markdown(body, body_line) if body.strip() else "",
        corrections=corrections,
    )


def _corrections(check, mapping, day, tz):
    corrections = []
    for entry in check.records(mapping, "corrected", CORRECTION):
        values = check.read(entry, CORRECTION, "a correction")
        when, moment = _moment(values.pop("date"), tz)
        if when and day and when < day:
            check.error(
                entry.lines["date"],
                f"the correction is dated {when}, before the note ({day})",
                "give the date the correction was made",
            )
        elif when and entry.get("text"):
            corrections.append(Correction(date=when, time=moment, **values))
    return tuple(corrections)
