"""The append-only store of fetched items: JSON Lines, one file per month, atomic writes.

Lines are never rewritten. An item that changes at its source gets a new line with the same
feed and id and a `changed` time; readers keep the latest line of each item.
"""

import hashlib
import json
import os
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from itertools import repeat

import orjson

from ..core import safefile
from ..core.files import write_atomic
from ..core.match import normalise
from ..core.model import UNTITLED, FeedItem
from ..core.problems import Problem
from ..core.sanitize import clean_html
from ..core.text import clean_name, clean_text
from ..core.urls import MAX_LINK, normalise_link, safe_url

SUFFIX = ".jsonl"
FIELDS = ("id", "feed", "title", "link", "published", "summary", "author", "publisher")
_COMPARED = ("title", "link", "summary", "author")  # what makes an item "changed" at the source


def to_record(item, fetched):
    """The archived form of an item: stable keys, ISO dates, one line of JSON."""
    record = {f: getattr(item, f) for f in FIELDS}
    record["published"] = item.published.isoformat()
    record["fetched"] = fetched.isoformat()
    if item.changed:
        record["changed"] = item.changed.isoformat()
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def file_name(item):
    return f"{item.published:%Y-%m}{SUFFIX}"


def _moment(record, key):
    moment = datetime.fromisoformat(record[key])
    if moment.tzinfo is None:
        raise ValueError(f"'{key}' has no UTC offset")
    return moment


def _from_record(record):
    """An item from its archived form, through the same text rule and HTML cleaner as a feed's,
    since the archive is text anyone can edit and lines archived before a rule keep their bytes."""
    if not isinstance(record, dict) or not all(map(isinstance, map(record.get, FIELDS), repeat(str))):
        raise ValueError(f"each item needs the text fields {', '.join(FIELDS)}")
    link = safe_url(record["link"])
    if record["link"] and not link:
        raise ValueError("'link' is not an http(s) address")
    item_id = clean_name(record["id"])
    if len(item_id) > MAX_LINK:  # still one item, under a bounded name
        item_id = hashlib.sha256(item_id.encode()).hexdigest()[:32]
    summary = clean_html(clean_text(record["summary"]))
    return FeedItem(
        id=item_id,
        feed=record["feed"],
        title=clean_name(record["title"]) or UNTITLED,  # text, escaped wherever it is shown
        link=link if len(link) <= MAX_LINK else "",
        published=_moment(record, "published"),
        summary=summary,
        author=clean_name(record["author"]),
        publisher=clean_name(record["publisher"]),
        changed=_moment(record, "changed") if isinstance(record.get("changed"), str) else None,
    )


def files(archive_dir):
    if not os.path.isdir(archive_dir):
        return []
    return sorted(os.path.join(archive_dir, f) for f in os.listdir(archive_dir) if f.endswith(SUFFIX))


def read_file(path, root, problems):
    """Return the items of one archive file; a broken line is a problem, never skipped silently."""
    handle = safefile.open_or_report(path, root, safefile.DATA_MAX_BYTES, problems)
    if handle is None:
        return []
    with handle as f:
        data = f.read()
    return parse(data, os.path.relpath(path, root), problems)


def parse(data, rel, problems):
    """The items of an archive file's bytes (`rel` names the file in problems)."""
    items = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append(_from_record(_record(line)))
        except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            problems.append(
                Problem(
                    rel,
                    number,
                    f"this archived item cannot be read ({e})",
                    "restore the line from git (git checkout -- the file); the archive is"
                    " written by `invoke fetch` and never edited by hand",
                )
            )
    return items


def _record(line):
    """The JSON value of an archive line, as json.loads reads it."""
    try:
        # Twice as fast. What orjson refuses and json takes (a lone surrogate escaped, NaN) is read
        # by json: what json refuses raises as before, and its text rule cleans what it took.
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line.decode("utf-8"))


def read(archive_dir, root, problems):
    """The latest version of every archived item, in the order they were first archived."""
    return latest(read_file(path, root, problems) for path in files(archive_dir))


def latest(items_by_file):
    """The latest version of every item of the files' items (in file order), in first-archived order."""
    found = {}
    for items in items_by_file:
        for item in items:
            key = (item.feed, item.id)
            found[key] = replace(item, published=found[key].published) if key in found else item
    return list(found.values())


class Index:
    """What the archive holds, to tell a feed's new items from known and changed ones."""

    def __init__(self, items, recent):
        """`recent`: how long an undated item's title still names it (a timedelta)."""
        self._items, self._links, self._titles, self._recent = {}, {}, {}, recent
        for item in items:
            self._add(item)

    def _add(self, item):
        self._items[(item.feed, item.id)] = item
        title = normalise(item.title)
        if item.link:
            self._links[(item.feed, normalise_link(item.link), title)] = item.id
        self._titles[(item.feed, title)] = item  # the latest item of the feed with this title

    def _known(self, item, ids, now):
        """(the archived id of an item or None when it is new, the fields that tell a change)."""
        if (item.feed, item.id) in self._items:
            return item.id, _COMPARED
        # The same link and title under a new guid is a feed regenerating its guids; a new
        # title on a shared link (a live blog, a homepage link) is a new item.
        found = item.link and self._links.get((item.feed, normalise_link(item.link), normalise(item.title)))
        compared = _COMPARED
        if not found and item.published is None:
            # Undated, and guid and link both new: a session id in them (?sid=...) changes each
            # fetch. The title of a recent item of the same feed names the same item (else it
            # would open a briefing a day with the same news), and its ever-new link is no change.
            titled = self._titles.get((item.feed, normalise(item.title)))
            found = titled.id if titled and now - titled.published <= self._recent else None
            compared = tuple(f for f in _COMPARED if f != "link")
        return (found if found and found not in ids else None), compared

    def update(self, items, now):
        """The items of one fetch of one feed to archive: new ones dated, changed ones marked.

        Changed means the source changed: fields are compared as both were cleaned, and cleaning
        is idempotent, so an archived line read back equals the same source parsed again.
        """
        ids = {item.id for item in items}
        out, done = [], set()
        for item in items:
            if item.id in done:
                continue  # a feed listing one guid twice: the first stands
            done.add(item.id)
            known_id, compared = self._known(item, ids, now)
            if known_id is None:
                fresh = replace(item, published=item.published or now)
            else:
                old = self._items[(item.feed, known_id)]
                if all(getattr(old, f) == getattr(item, f) for f in compared):
                    continue
                fresh = replace(item, id=known_id, published=old.published, changed=now)
            self._add(fresh)
            out.append(fresh)
        return out


def append(archive_dir, lines_by_file):
    """Add lines at the end of archive files; each file is replaced atomically, old bytes kept."""
    os.makedirs(archive_dir, exist_ok=True)
    for name, lines in sorted(lines_by_file.items()):
        path = os.path.join(archive_dir, name)
        old = b""
        if os.path.exists(path):
            with open(path, "rb") as f:
                old = f.read()
            if old and not old.endswith(b"\n"):
                old += b"\n"
        write_atomic(path, old + "".join(line + "\n" for line in lines).encode("utf-8"))


def group_lines(items, fetched):
    """Archive lines for items, by the month file each belongs to."""
    lines = defaultdict(list)
    for item in items:
        lines[file_name(item)].append(to_record(item, fetched))
    return lines
