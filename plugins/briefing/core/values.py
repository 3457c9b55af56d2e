"""Typed values read out of a yamlfile.Map, one method per kind of field (fields.Field.kind), each
mistake a problem with its file, line and fix."""

import difflib
import re
import threading
from datetime import date, datetime

import markdown
import re2
from markupsafe import Markup

from . import images, yamlfile
from .problems import Problem
from .sanitize import clean_html
from .text import clean_name, visible
from .urls import is_web_url

# Years a note or correction may be dated in: wider than any story, narrow enough that a typo
# (9999, 0001) is caught here and not later as an overflow in date arithmetic.
YEARS = (1900, 2200)


# The ids a note is checked against, by the kind of field that holds one, and their key in `known`.
KNOWN = {"actor": "actors", "issue": "issues", "stance": "stances", "evidence": "evidence"}


class Values:
    """Collects problems for one file and reads each kind of value out of a yamlfile.Map."""

    def __init__(self, path, problems, known=None):
        # known: what a note is checked against: the actors, issues, stances and evidence in use
        # (KNOWN), and the site's static files (images.Files), which its Markdown may show
        known = known or {}
        self.path, self.problems, self.files = path, problems, known.get("files")
        self.ids = {kind: known[name] for kind, name in KNOWN.items() if name in known}

    def error(self, line, message, fix):
        self.problems.append(Problem(self.path, line, message, fix))

    def choice(self, mapping, field):
        value = mapping.get(field.name, field.default)
        if value in field.values:
            return value
        self.error(
            mapping.lines[field.name],
            f"unknown {field.name} {value!r}",
            f"use one of: {', '.join(field.values)}",
        )
        return field.default

    def date(self, mapping, field):
        """The date, or datetime with its UTC offset, an editor wrote; None when it is neither
        (reported) or left out (reported by keys() when required)."""
        value, line = mapping.get(field.name), mapping.lines.get(field.name)
        if value is None:
            return None
        fix = f"write the date as YYYY-MM-DD, e.g. {field.name}: {field.example}"
        if isinstance(value, str):
            try:
                text = value.strip()
                value = (
                    datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)
                )
            except ValueError:
                self.error(line, f"{value!r} is not a date", fix)
                return None
        if not isinstance(value, date):
            self.error(line, f"'{field.name}' must be a date, not {kind_of(value)}", fix)
        elif not YEARS[0] <= value.year <= YEARS[1]:
            self.error(
                line,
                f"the year {value.year} is outside {YEARS[0]}..{YEARS[1]}",
                f"check the date for a typo; {fix}",
            )
        elif isinstance(value, datetime) and value.tzinfo is None:
            self.error(
                line,
                "the date and time has no UTC offset",
                f"add the offset, e.g. {field.name}: {field.example}T17:30:00+00:00, or give only the date",
            )
        else:
            return value
        return None

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
            f"'{key}' must be text, not {kind_of(value)}",
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
                    line,
                    f"each entry of '{key}' must be text, not {kind_of(item)}",
                    "put the entry in quotes",
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
                f"'{key}' must be one {what} id, not {kind_of(value)}",
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


def kind_of(value):
    if value is None:
        return "empty"
    return {
        bool: "yes/no",
        int: "a number",
        float: "a number",
        date: "a date",
        datetime: "a date and time",
    }.get(type(value), "a list or mapping")
