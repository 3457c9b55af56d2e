"""Load and validate what editors write: actors, issues, feeds and notes, with file:line errors."""

import difflib
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, time

import markdown
import re2
from markupsafe import Markup

from . import images, safefile, yamlfile
from .confusables import skeleton
from .machine import cores
from .match import normalise
from .model import Actor, Correction, Feed, Issue, Note, Position, Source
from .problems import ContentError, Problem
from .sanitize import clean_html
from .text import clean_name, visible
from .urls import is_web_url

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # whole ids only: fullmatch, never match with '$'
# Ids become folder and file names (with '.atom.xml' after them): far below any file system's limit.
MAX_ID = 64
ID_RULE = f"lowercase letters, digits and single hyphens, at most {MAX_ID} characters, e.g. keir-starmer"
# Ids become file names; Windows cannot create these, so a clone there would lose the page.
RESERVED = {"con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt") for n in range(10))}
ACTOR_KINDS = ("person", "government", "organisation")
NOTE_SUFFIXES = (".yml", ".yaml", ".md")

ACTOR_KEYS = ("name", "kind", "role", "affiliation", "aliases", "links", "description")
ISSUE_KEYS = ("title", "question", "keywords", "description")
FEED_KEYS = ("title", "url", "only_matching", "include", "exclude")
NOTE_KEYS = ("date", "title", "summary", "tags", "sources", "positions", "corrected")
CORRECTION_KEYS = ("date", "text")
SOURCE_KEYS = ("id", "title", "url", "publisher")
POSITION_KEYS = ("actor", "issue", "stance", "quote", "source", "note", "withdrawn")


def is_id(text):
    """Whether the text is an id: the whole of it, within MAX_ID (also used for stance ids)."""
    return isinstance(text, str) and len(text) <= MAX_ID and ID.fullmatch(text) is not None


class _Checker:
    """Collects problems for one file and reads typed values out of a yamlfile.Map."""

    def __init__(self, path, problems, files=None):
        # files: the site's static files (images.Files), which a note's Markdown may show
        self.path, self.problems, self.files = path, problems, files

    def error(self, line, message, fix):
        self.problems.append(Problem(self.path, line, message, fix))

    def mapping(self, value, line, what, fix):
        if isinstance(value, yamlfile.Map):
            return value
        self.error(getattr(value, "line", line), f"{what} must be a mapping of keys to values", fix)
        return None

    def keys(self, mapping, allowed, required, what, line=None):
        """Report unknown keys, and missing or empty required ones (at `line`, else the mapping's)."""
        for key in mapping:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                fix = f"did you mean '{hint[0]}'?" if hint else f"use only {', '.join(allowed)}"
                self.error(mapping.lines[key], f"unknown key {key!r} in {what}", fix)
        for key in required:
            if key not in mapping:
                self.error(line or mapping.line, f"{what} has no '{key}'", f"add '{key}:' (it is required)")
            elif mapping[key] is None or (isinstance(mapping[key], str) and not mapping[key].strip()):
                self.error(mapping.lines[key], f"'{key}' of {what} is empty", f"write a value after '{key}:'")

    def text(self, mapping, key, default=""):
        value = mapping.get(key, default)
        if value is None:  # an empty optional key; keys() reports an empty required one
            return default
        if isinstance(value, int | float) and not isinstance(value, bool):
            return mapping.raw.get(key, str(value))  # as written: a quote of '1.50' stays 1.50
        if isinstance(value, str):
            return value.strip()
        self.error(
            mapping.lines[key],
            f"'{key}' must be text, not {_kind(value)}",
            f'put the value in quotes: {key}: "..."',
        )
        return default

    def name(self, mapping, key, what=None):
        """A name or title, invisible characters removed; for a required one (`what` names its
        owner), a problem when nothing visible is left."""
        value, raw = clean_name(self.text(mapping, key)), mapping.get(key)
        if what and isinstance(raw, str) and raw.strip() and not visible(value):
            self.error(
                mapping.lines[key],
                f"the {key} of {what} has no letter, digit or symbol a reader can see ({raw!a})",
                f"write the {key} in words; invisible and control characters are removed",
            )
        return value

    def names(self, mapping, key):
        """A list of names the matcher looks for, as (name, line): each needs a letter or digit."""
        found = []

        def valid(text, line):
            name = clean_name(text)
            if not any(c.isalnum() for c in name):
                self.error(
                    line,
                    f"{text!a} in '{key}' has no letter or digit, so no text can be matched against it",
                    "write it as it is printed in the press, or remove the entry",
                )
                return False
            found.append((name, line))
            return True

        self.texts(mapping, key, valid)
        return tuple(found)

    def texts(self, mapping, key, valid=None):
        """A list of texts; `valid(text, line)` may report and drop an entry."""
        value = mapping.get(key, yamlfile.Seq())
        if not isinstance(value, list):
            self.error(mapping.lines[key], f"'{key}' must be a list", f"write it as {key}: [first, second]")
            return ()
        out = []
        for item, line in zip(value, value.lines, strict=True):
            if not isinstance(item, str) or not item.strip():
                self.error(
                    line, f"each entry of '{key}' must be text, not {_kind(item)}", "put the entry in quotes"
                )
            elif valid is None or valid(item.strip(), line):
                out.append(item.strip())
        return tuple(out)

    def patterns(self, mapping, key):
        """A list of regular expressions, each compiled here so a mistake names its line.

        RE2 takes time linear in the text whatever the pattern: with Python's engine, a pattern
        such as (a+)+$ and a crafted title held a fetch, and every build, for minutes.
        """
        compiled = []
        options = re2.Options()
        options.case_sensitive, options.log_errors = False, False

        def valid(text, line):
            try:
                compiled.append(re2.compile(text, options))
            except re2.error as e:
                try:
                    re.compile(text)
                except re.error as broken:
                    message = f"{text!r} is not a valid regular expression ({broken})"
                    fix = "fix the pattern, or escape special characters such as ( [ . * + ? with a backslash"
                else:
                    reason = e.args[0].decode(errors="replace") if e.args else ""
                    message = f"{text!r} uses what the site's pattern engine (RE2) cannot run ({reason})"
                    fix = (
                        r"write it without backreferences (\1) or lookaround ((?=...), (?!...), (?<=...),"
                        " (?<!...)): match the text itself, and put what must not match in 'exclude'"
                    )
                self.error(line, message, fix)
                return False
            return True

        self.texts(mapping, key, valid)
        return tuple(compiled)

    def at_most(self, mapping, key, limit, setting):
        """Report a list longer than the setting allows, at its first entry too many."""
        value = mapping.get(key)
        if isinstance(value, list) and len(value) > limit:
            self.error(
                value.lines[limit],
                f"this note has {len(value)} {key}, more than {setting} allows ({limit})",
                "split it into several notes of the same date",
            )

    def flag(self, mapping, key, default=False):
        """A yes/no value; `default` when it is left out, or when it is neither (reported)."""
        value = mapping.get(key, default)
        if isinstance(value, bool):
            return value
        self.error(
            mapping.lines[key],
            f"'{key}' must be true or false",
            f"write {key}: {str(not default).lower()}, or leave it out",
        )
        return default

    def web_url(self, text, line):
        if is_web_url(text):
            return True
        self.error(line, f"{text!r} is not a web address", "write a full address starting with https://")
        return False

    def records(self, mapping, key, what, allowed, required):
        """Yield each mapping of a list such as a note's positions, its keys checked."""
        value = mapping.get(key, yamlfile.Seq())
        example = f"'- {required[0]}: ...'"
        if not isinstance(value, list):
            self.error(
                mapping.lines[key],
                f"'{key}' must be a list",
                f"write each {what} as {example} on its own line",
            )
            return
        for raw, line in zip(value, value.lines, strict=True):
            also = ", ".join(f"{k}:" for k in required[1:])
            entry = self.mapping(raw, line, f"a {what}", f"write it as {example} with {also}")
            if entry is not None:
                self.keys(entry, allowed, required, f"a {what}")
                yield entry

    def id(self, key, line, what):
        if is_id(key) and key not in RESERVED:
            return True
        if isinstance(key, str) and key in RESERVED:
            self.error(line, f"{key!r} is a name Windows reserves for a device", f"choose another {what} id")
        elif isinstance(key, str) and len(key) > MAX_ID:
            self.error(
                line,
                f"the {what} id {key[:MAX_ID]!r}... is {len(key)} characters long",
                f"shorten it: ids become file names; use {ID_RULE}",
            )
        else:
            self.error(line, f"{key!r} is not a valid {what} id", f"use {ID_RULE}")
        return False

    def markdown(self, text, line):
        """Editor Markdown to sanitised HTML: formatting stays, scripts and unsafe links go; with the
        site's files known, its images and links to them are placed (images.place)."""
        try:
            converted = _converter().reset().convert(text)
        except RecursionError:
            _CONVERTER.md = None  # left mid-document: the next text gets a new one
            self.error(
                line,
                "the Markdown nests lists too deeply to render",
                "nest lists fewer levels deep ('* * * x' opens a list inside a list for every '*')",
            )
            return ""
        if self.files is None:
            return clean_html(converted)
        placed, problems = images.place(clean_html(converted, images=True), self.path, self.files)
        for written, message, fix in problems:
            self.error(images.line_of(text, written, line), message, fix)
        return Markup(placed)

    def local_path(self, text, line):
        """A sample feed's path: relative, inside the site's folder, portable."""
        parts = text.split("/")
        if "\\" in text or text.startswith("/") or ":" in parts[0] or ".." in parts:
            self.error(
                line,
                f"{text!r} is not a path inside the site's folder",
                "write an https:// address, or a relative path with / such as samples/feeds/wire.xml",
            )

    def url(self, mapping, key):
        value = self.text(mapping, key)
        return value if value and self.web_url(value, mapping.lines[key]) else ""

    def known(self, mapping, key, known, what):
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None  # reported as empty by keys()
        if not isinstance(value, str):
            self.error(
                mapping.lines[key],
                f"'{key}' must be one {what} id, not {_kind(value)}",
                f"write a single id, e.g. {key}: {next(iter(known), 'some-id')}",
            )
            return None
        if value in known:
            return value
        hint = difflib.get_close_matches(str(value), list(known), n=1)
        fix = (
            f"did you mean '{hint[0]}'?"
            if hint
            else f"use one of: {', '.join(known) or '(none defined yet)'}"
        )
        self.error(mapping.lines[key], f"unknown {what} {value!r}", fix)
        return None


_CONVERTER = threading.local()


def _converter():
    """One Markdown converter per thread, reset between texts: making one cost more than most
    conversions (1.2 ms), and each left 90 KB of reference cycles for the garbage collector."""
    if getattr(_CONVERTER, "md", None) is None:
        _CONVERTER.md = markdown.Markdown(extensions=["extra", "sane_lists", "smarty"])
    return _CONVERTER.md


def _kind(value):
    if value is None:
        return "empty"
    return {
        bool: "yes/no",
        int: "a number",
        float: "a number",
        date: "a date",
        datetime: "a date and time",
    }.get(type(value), "a list or mapping")


def _read_text(path, root, problems):
    try:
        return safefile.read_text(path, root)
    except ContentError as e:
        problems.extend(e.problems)
        return None


def _entries(path, problems, root, what, allowed, required):
    """Yield (checker, id, entry) for each valid-looking entry of a file mapping ids to entries.

    A missing or empty file has no entries.
    """
    rel = os.path.relpath(path, root)
    # lexists: a link to nowhere is reported, not taken for a missing file.
    text = _read_text(path, root, problems) if os.path.lexists(path) else ""
    try:
        data = yamlfile.load(text, rel) if text else None
    except ContentError as e:
        problems.extend(e.problems)
        return
    if data is None:
        return
    check = _Checker(rel, problems)
    if check.mapping(data, 1, f"the {what} file", f"write one entry per {what} id, e.g. some-id:") is None:
        return
    for key, value in data.items():
        line = data.lines[key]
        entry = check.mapping(value, line, f"{what} {key!r}", f"give it {' and '.join(required)} keys")
        if check.id(key, line, what) and entry is not None:
            check.keys(entry, allowed, required, f"{what} {key!r}", line)
            yield check, key, entry


def read_actors(path, problems, root):
    actors, terms = {}, []
    for check, key, entry in _entries(path, problems, root, "actor", ACTOR_KEYS, ("name",)):
        kind = entry.get("kind", "person")
        if kind not in ACTOR_KINDS:
            check.error(
                entry.lines["kind"], f"unknown kind {kind!r}", f"use one of: {', '.join(ACTOR_KINDS)}"
            )
            kind = "person"
        aliases = check.names(entry, "aliases")
        actors[key] = Actor(
            id=key,
            name=check.name(entry, "name", f"actor {key!r}"),
            kind=kind,
            role=check.name(entry, "role"),
            affiliation=check.name(entry, "affiliation"),
            aliases=tuple(alias for alias, _ in aliases),
            links=check.texts(entry, "links", check.web_url),
            description=check.markdown(check.text(entry, "description"), entry.lines.get("description")),
        )
        terms.append((check, key, "name", actors[key].name, entry.lines.get("name")))
        terms.extend((check, key, "alias", alias, line) for alias, line in aliases)
    _distinct(terms, "actor")
    return actors


def read_issues(path, problems, root):
    issues, terms = {}, []
    for check, key, entry in _entries(path, problems, root, "issue", ISSUE_KEYS, ("title",)):
        keywords = check.names(entry, "keywords")
        issues[key] = Issue(
            id=key,
            title=check.name(entry, "title", f"issue {key!r}"),
            question=check.text(entry, "question"),
            keywords=tuple(keyword for keyword, _ in keywords),
            description=check.markdown(check.text(entry, "description"), entry.lines.get("description")),
        )
        terms.append((check, key, "title", issues[key].title, entry.lines.get("title")))
        terms.extend((check, key, "keyword", keyword, line) for keyword, line in keywords)
    _distinct(terms, "issue")
    return issues


def _distinct(terms, what):
    """Report a name, alias, title or keyword of one entry that another's cannot be told from:
    the same to the matcher (case, diacritics, invisible characters), or to a reader (the same
    Unicode skeleton, as 'Keir Stаrmer' with a Cyrillic 'а' has). Whole terms are compared."""
    seen = {}
    for check, key, kind, term, line in terms:
        if not visible(term):
            continue  # reported where it was read
        for found in (("same", normalise(term)), ("look", skeleton(term))):
            other = seen.setdefault(found, (key, kind, term, line))
            if other[0] != key:
                _clash(check, what, (key, kind, term, line), other, found[0])
                break


def _clash(check, what, mine, other, how):
    def shown(key, kind, term, line):
        written = "" if term.isascii() else f" (written {term!a})"
        return f"the {kind} {term!r}{written} of {what} {key!r}"

    kind, line = mine[1], mine[3]
    where, theirs = shown(*mine), f"{shown(*other)} (line {other[3]})"
    if how == "same":
        check.error(
            line,
            f"{where} is also {theirs}: text naming it would be tied to both",
            f"keep it on one {what} only, or make it longer so that it names one",
        )
    else:
        check.error(
            line,
            f"{where} looks the same as {theirs}",
            "retype it if it holds look-alike letters of another alphabet; if the two are really"
            f" different, tell them apart in the {kind} (a middle name, a qualifier)",
        )


def read_feeds(path, problems, root):
    feeds = {}
    for check, key, entry in _entries(path, problems, root, "feed", FEED_KEYS, ("title", "url")):
        only = check.flag(entry, "only_matching", default=True)
        url = check.text(entry, "url")
        if url and "://" in url and not is_web_url(url):
            check.error(
                entry.lines["url"],
                f"{url!r} is not an http(s) address",
                "write an address starting with https:// or a path to a local file",
            )
        elif url and "://" not in url:
            check.local_path(url, entry.lines["url"])
        feeds[key] = Feed(
            id=key,
            title=check.name(entry, "title", f"feed {key!r}"),
            url=url,
            only_matching=only,
            include=check.patterns(entry, "include"),
            exclude=check.patterns(entry, "exclude"),
        )
    return feeds


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
            f"'date' must be a date, not {_kind(value)}",
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
    for entry in check.records(mapping, "sources", "source", SOURCE_KEYS, ("id", "url")):
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
    for entry in check.records(mapping, "positions", "position", POSITION_KEYS, ("actor", "issue", "stance")):
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
    check = _Checker(rel, problems, known.get("files"))
    mapping = check.mapping(data, 1, "a note", "start it with date: and title: lines")
    if mapping is None:
        return None
    check.keys(mapping, NOTE_KEYS, ("date", "title"), "this note")
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
    for entry in check.records(mapping, "corrected", "correction", CORRECTION_KEYS, CORRECTION_KEYS):
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
        return None, _read_text(path, root, problems), None
    signature = safefile.signature(path, root)
    key = cache.known(rel, signature)
    if key is not None:
        return key, None, cache.get(key)
    text = _read_text(path, root, problems)
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
