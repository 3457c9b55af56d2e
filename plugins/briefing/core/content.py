"""Load and validate what editors write about the story's cast and sources: actors, issues and
feeds, with file:line errors. (Notes: notes.py.)"""

import os

from . import safefile, yamlfile
from .checker import Checker
from .confusables import skeleton
from .fields import ACTOR, FEED, ISSUE
from .match import normalise
from .model import Actor, Feed, Issue
from .problems import ContentError
from .text import visible
from .urls import is_web_url


def read_text(path, root, problems):
    try:
        return safefile.read_text(path, root)
    except ContentError as e:
        problems.extend(e.problems)
        return None


def _entries(path, problems, root, record):
    """Yield (checker, id, entry) for each valid-looking entry of a file mapping ids to entries
    (a fields.Record).

    A missing or empty file has no entries.
    """
    what, required = record.what, record.required
    rel = os.path.relpath(path, root)
    # lexists: a link to nowhere is reported, not taken for a missing file.
    text = read_text(path, root, problems) if os.path.lexists(path) else ""
    try:
        data = yamlfile.load(text, rel) if text else None
    except ContentError as e:
        problems.extend(e.problems)
        return
    if data is None:
        return
    check = Checker(rel, problems)
    if check.mapping(data, 1, f"the {what} file", f"write one entry per {what} id, e.g. some-id:") is None:
        return
    for key, value in data.items():
        line = data.lines[key]
        entry = check.mapping(value, line, f"{what} {key!r}", f"give it {' and '.join(required)} keys")
        if check.id(key, line, what) and entry is not None:
            check.keys(entry, record, f"{what} {key!r}", line)
            yield check, key, entry


def read_actors(path, problems, root):
    return _tracked(path, problems, root, ACTOR, Actor, ("name", "aliases", "alias"))


def read_issues(path, problems, root):
    return _tracked(path, problems, root, ISSUE, Issue, ("title", "keywords", "keyword"))


def _tracked(path, problems, root, record, cls, terms):
    """Actors or issues by id, each entry read by its description (`terms`: the field naming it,
    the field listing its other terms, and what one is called): no two may be matched by one term."""
    title, listed, term = terms
    found, seen = {}, []
    for check, key, entry in _entries(path, problems, root, record):
        values = check.read(entry, record, f"{record.what} {key!r}")
        names = values.pop(listed)
        found[key] = cls(id=key, **{listed: tuple(name for name, _ in names)}, **values)
        seen.append((check, key, title, values[title], entry.lines.get(title)))
        seen.extend((check, key, term, name, line) for name, line in names)
    _distinct(seen, record.what)
    return found


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
    for check, key, entry in _entries(path, problems, root, FEED):
        url = check.text(entry, "url")  # an address, or a file of the site (a sample)
        if url and "://" in url and not is_web_url(url):
            check.error(
                entry.lines["url"],
                f"{url!r} is not an http(s) address",
                "write an address starting with https:// or a path to a local file",
            )
        elif url and "://" not in url:
            check.local_path(url, entry.lines["url"])
        feeds[key] = Feed(id=key, url=url, **check.read(entry, FEED, f"feed {key!r}"))
    return feeds
