"""The append-only store of fetched feed items: JSON Lines, one file per month, atomic writes."""

import json
import os
import tempfile
from datetime import datetime

from .model import FeedItem
from .problems import Problem
from .urls import normalise_link

SUFFIX = ".jsonl"
FIELDS = ("id", "feed", "title", "link", "published", "summary", "author", "publisher")


def to_record(item, fetched):
    """The archived form of an item: stable keys, ISO dates, one line of JSON."""
    record = {f: getattr(item, f) for f in FIELDS}
    record["published"] = item.published.isoformat()
    record["fetched"] = fetched.isoformat()
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def _from_record(record):
    if not isinstance(record, dict) or any(not isinstance(record.get(f), str) for f in FIELDS):
        raise ValueError(f"each item needs the text fields {', '.join(FIELDS)}")
    published = datetime.fromisoformat(record["published"])
    if published.tzinfo is None:
        raise ValueError("'published' has no UTC offset")
    return FeedItem(**{f: record[f] for f in FIELDS if f != "published"}, published=published)


def files(archive_dir):
    if not os.path.isdir(archive_dir):
        return []
    return sorted(os.path.join(archive_dir, f) for f in os.listdir(archive_dir) if f.endswith(SUFFIX))


def read_file(path, root, problems):
    """Return the items of one archive file; a broken line is a problem, never skipped silently."""
    items = []
    rel = os.path.relpath(path, root)
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                items.append(_from_record(json.loads(line)))
            except ValueError as e:
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


def read(archive_dir, root, problems):
    """Every archived item, in file order."""
    return [item for path in files(archive_dir) for item in read_file(path, root, problems)]


def seen_keys(items):
    """The keys that make a newly fetched item a duplicate: its feed's guid and its normal link."""
    keys = set()
    for item in items:
        keys.add((item.feed, item.id))
        if item.link:
            keys.add(normalise_link(item.link))
    return keys


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
        new = "".join(line + "\n" for line in lines).encode("utf-8")
        _write_atomic(path, old + new)


def _write_atomic(path, data):
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
