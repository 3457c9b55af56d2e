"""The append-only store of fetched feed items: JSON Lines, one file per month, atomic writes."""

import json
import os
import tempfile
from datetime import datetime

from .model import FeedItem
from .problems import Problem
from .sanitize import clean_html, plain_text
from .urls import normalise_link, safe_url

SUFFIX = ".jsonl"
FIELDS = ("id", "feed", "title", "link", "published", "summary", "author", "publisher")


def to_record(item, fetched):
    """The archived form of an item: stable keys, ISO dates, one line of JSON."""
    record = {f: getattr(item, f) for f in FIELDS}
    record["published"] = item.published.isoformat()
    record["fetched"] = fetched.isoformat()
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def _from_record(record):
    """An item from its archived form, cleaned again: the archive is text anyone could edit."""
    if not isinstance(record, dict) or any(not isinstance(record.get(f), str) for f in FIELDS):
        raise ValueError(f"each item needs the text fields {', '.join(FIELDS)}")
    published = datetime.fromisoformat(record["published"])
    if published.tzinfo is None:
        raise ValueError("'published' has no UTC offset")
    if record["link"] and safe_url(record["link"]) != record["link"]:
        raise ValueError("'link' is not an http(s) address")
    return FeedItem(
        id=record["id"],
        feed=record["feed"],
        title=plain_text(record["title"]),
        link=record["link"],
        published=published,
        summary=clean_html(record["summary"]),
        author=plain_text(record["author"]),
        publisher=plain_text(record["publisher"]),
    )


def files(archive_dir):
    if not os.path.isdir(archive_dir):
        return []
    return sorted(os.path.join(archive_dir, f) for f in os.listdir(archive_dir) if f.endswith(SUFFIX))


def read_file(path, root, problems):
    """Return the items of one archive file; a broken line is a problem, never skipped silently."""
    items = []
    rel = os.path.relpath(path, root)
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                items.append(_from_record(json.loads(line.decode("utf-8"))))
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


def read(archive_dir, root, problems):
    """Every archived item once, in file order (two branches that both fetched can merge twins)."""
    items, seen = [], set()
    for path in files(archive_dir):
        for item in read_file(path, root, problems):
            keys = item_keys(item)
            if not keys & seen:
                items.append(item)
            seen |= keys
    return items


def item_keys(item):
    """What makes two items one: the same guid in the same feed, or the same normalised link."""
    return {(item.feed, item.id)} | ({normalise_link(item.link)} if item.link else set())


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
    # mkstemp makes the file private (0600); the archive is ordinary, shared text.
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        os.fchmod(fd, mode)
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
