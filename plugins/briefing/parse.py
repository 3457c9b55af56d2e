"""Feed bytes to sanitised FeedItems: entity tricks refused, non-feeds named, dates made plausible."""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

import feedparser

from .model import UNTITLED, FeedItem
from .sanitize import clean_html, plain_text
from .urls import normalise_link, safe_url

# feedparser's loose parser expands entities without limit and may read local files for external
# ones; no real feed declares its own, so any declaration refuses the whole document.
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
# Counted in the bytes before parsing: feedparser would build every item first (1,000,000: 8 s).
_ITEM = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")
_HTML = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html)", re.IGNORECASE)
MAX_TITLE = 500  # characters of a title or author kept; a feed's 10 MB title is an attack
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)  # before RSS existed: a broken date, not an old item
FUTURE_GRACE = timedelta(days=1)  # clocks and time zones drift; beyond this, a date is wrong


class NotAFeed(ValueError):
    """The body is not a feed we can read; the message says what it is instead."""


@dataclass(frozen=True)
class Parsed:
    items: tuple[FeedItem, ...]  # an undated item has published=None: the archive dates it
    warning: str = ""


def parse(data, feed, fetched, base_url="", content_type="", *, max_items):
    """Parse feed bytes; raise NotAFeed for an empty body, an HTML page, entities, broken XML
    or more than `max_items` items."""
    if not data.strip():
        raise NotAFeed("the response was empty")
    # NULs removed: in UTF-16 or UTF-32 the markup is spelled out with them in between.
    ascii_view = data.replace(b"\x00", b"")
    if _ENTITY.search(ascii_view):
        raise NotAFeed("the feed declares XML entities (a known attack); refused")
    count = sum(1 for _ in _ITEM.finditer(ascii_view))
    if count > max_items:
        raise NotAFeed(
            f"the feed lists {count} items, more than BRIEFING_FETCH_MAX_ITEMS ({max_items}); "
            "refused (raise the setting if the feed is real)"
        )
    # feedparser's own sanitiser is slow and leaky; nh3 cleans every field below instead. No base
    # URL is given to it: it would turn a relative guid into a URL that changes when the feed moves.
    parsed = feedparser.parse(data, sanitize_html=False)
    problem = parsed.get("bozo_exception")
    if not parsed.entries:
        if content_type.startswith("text/html") or _HTML.match(data):
            raise NotAFeed("an HTML page, not a feed (a login page, or a site that moved its feed?)")
        if parsed.bozo or not parsed.version:
            raise NotAFeed(f"not a readable feed ({problem or 'no RSS or Atom found'})")
    warnings = (
        [f"read up to a problem ({problem}); kept the {len(parsed.entries)} items it could read"]
        if (parsed.bozo and parsed.entries)
        else []
    )
    items, implausible = [], 0
    for entry in parsed.entries:
        item, plausible = _item(entry, feed, fetched, base_url)
        items.append(item)
        implausible += not plausible
    if implausible:
        warnings.append(f"{implausible} item(s) had an impossible date and were filed when fetched")
    return Parsed(items=tuple(items), warning="; ".join(warnings))


def _when(entry, fetched):
    """(UTC moment or None when undated, plausible?): dates before 1995 or after tomorrow are not."""
    # dict.get: feedparser's own get maps updated to published, with a deprecation warning.
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if not parsed:
        return None, True
    try:
        moment = datetime(*parsed[:6], tzinfo=UTC)
    except ValueError:
        return None, False
    if moment < EARLIEST or moment > fetched + FUTURE_GRACE:
        return None, False
    return min(moment, fetched), True


def _text(entry, key):
    """A text field: as it is when the feed says it is plain text, its text when it is HTML."""
    detail = entry.get(f"{key}_detail") or {}
    value = entry.get(key, "")
    text = " ".join(value.split()) if detail.get("type") == "text/plain" else plain_text(value)
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def _item(entry, feed, fetched, base_url):
    title = _text(entry, "title")
    link = safe_url(urljoin(base_url, entry.get("link", "")))
    link = normalise_link(link) if link else ""
    published, plausible = _when(entry, fetched)
    content = entry.get("content") or [{}]
    summary = clean_html(content[0].get("value") or entry.get("summary", ""))
    guid = entry.get("id") or link
    if not guid:
        # Only what the feed says: an undated item hashed with the fetch time would return daily.
        dated = dict.get(entry, "published") or dict.get(entry, "updated") or ""
        said = f"{feed.id}\n{title}\n{dated}\n{summary}"
        guid = hashlib.sha256(said.encode()).hexdigest()[:32]
    item = FeedItem(
        id=guid,
        feed=feed.id,
        title=title or UNTITLED,
        link=link,
        published=published,
        summary=summary,
        author=_text(entry, "author"),
        publisher=feed.title,
    )
    return item, plausible
