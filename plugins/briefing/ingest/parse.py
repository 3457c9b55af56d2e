"""Feed bytes to sanitised FeedItems: entity tricks refused, non-feeds named, dates made plausible."""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

import feedparser

from ..core.model import UNTITLED, FeedItem
from ..core.sanitize import clean_html, plain_text
from ..core.text import clean_name, clean_text
from ..core.urls import MAX_LINK, normalise_link, safe_url

# feedparser's loose parser expands entities without limit and may read local files for external
# ones; no real feed declares its own, so any declaration refuses the whole document.
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
# Items counted in the bytes before parsing: feedparser would build every item first (1,000,000:
# 8 s).
_ITEM = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")
# Elements too: feedparser compares each new tag of an item with all the
# earlier ones (60,000 <media:keywords> in one item: 43 s), and costs about 10 us an element.
# CDATA is skipped (feedparser does not parse inside it); an unclosed one runs to the end.
_ELEMENT = re.compile(rb"<!\[CDATA\[.*?(?:\]\]>|\Z)|<(?:[\w.-]+:)?(item|entry)[\s/>]|<[A-Za-z_]", re.DOTALL)
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


def parse(data, feed, fetched, base_url="", content_type="", *, limits):
    """Parse feed bytes; raise NotAFeed for an empty body, an HTML page, entities, broken XML
    or more items or elements than `limits` (a download.Limits) allow."""
    if not data.strip():
        raise NotAFeed("the response was empty")
    # NULs removed: in UTF-16 or UTF-32 the markup is spelled out with them in between.
    ascii_view = data.replace(b"\x00", b"")
    if _ENTITY.search(ascii_view):
        raise NotAFeed("the feed declares XML entities (a known attack); refused")
    _check_size(ascii_view, limits)
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
    items, counts = [], {"impossible": 0, "old": 0, "long": 0}
    oldest = fetched - timedelta(days=limits.max_age_days)
    for entry in parsed.entries:
        item, dating, long_links = _item(entry, feed, fetched, base_url, oldest)
        items.append(item)
        counts[dating] = counts.get(dating, 0) + 1
        counts["long"] += long_links
    warnings += [message.format(n=counts[key], **vars(limits)) for key, message in _COUNTED if counts[key]]
    return Parsed(items=tuple(items), warning="; ".join(warnings))


_COUNTED = (
    ("impossible", "{n} item(s) had an impossible date and were filed when fetched"),
    (
        "old",
        "{n} item(s) were dated more than {max_age_days} days before this fetch first saw them and"
        " were filed when fetched (BRIEFING_FETCH_MAX_AGE_DAYS)",
    ),
    ("long", f"{{n}} link(s) or guid(s) longer than {MAX_LINK} characters were dropped"),
)


def _check_size(data, limits):
    """Refuse, before parsing, a feed with too many items, elements, or elements in one item."""
    items = sum(1 for _ in _ITEM.finditer(data))
    if items > limits.max_items:
        raise NotAFeed(
            f"the feed lists {items} items, more than BRIEFING_FETCH_MAX_ITEMS ({limits.max_items}); "
            "refused (raise the setting if the feed is real)"
        )
    elements = in_item = most = 0
    for match in _ELEMENT.finditer(data):
        if match.group(0).startswith(b"<!"):
            continue  # CDATA
        if match.group(1):
            most, in_item = max(most, in_item), 0
        elements, in_item = elements + 1, in_item + 1
        if elements > limits.max_elements:  # counting stops here: the rest may be huge
            raise NotAFeed(
                f"the feed has more than BRIEFING_FETCH_MAX_ELEMENTS ({limits.max_elements}) XML elements;"
                " refused (raise the setting if the feed is real)"
            )
    most = max(most, in_item)
    if most > limits.max_item_elements:
        raise NotAFeed(
            f"an item of the feed has {most} XML elements, more than BRIEFING_FETCH_MAX_ITEM_ELEMENTS"
            f" ({limits.max_item_elements}); refused (raise the setting if the feed is real)"
        )


def _when(entry, fetched, oldest):
    """(UTC moment or None to file it when fetched, how it was dated: 'ok', 'impossible' or 'old').

    Before 1995 or after tomorrow is impossible; before `oldest` is a feed backdating an item
    into a briefing day already published, so it is filed on the day it was first seen.
    """
    # dict.get: feedparser's own get maps updated to published, with a deprecation warning.
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if not parsed:
        return None, "ok"
    try:
        moment = datetime(*parsed[:6], tzinfo=UTC)
    except ValueError:
        return None, "impossible"
    if moment < EARLIEST or moment > fetched + FUTURE_GRACE:
        return None, "impossible"
    if moment < oldest:
        return None, "old"
    return min(moment, fetched), "ok"


def _text(entry, key):
    """A text field: as it is when the feed says it is plain text, its text when it is HTML."""
    detail = entry.get(f"{key}_detail") or {}
    value = entry.get(key, "")
    text = clean_name(value if detail.get("type") == "text/plain" else plain_text(value))
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def _link(base_url, url):
    """(a safe, normalised link or "", whether it was dropped for its length)."""
    try:
        link = safe_url(urljoin(base_url, url))
    except ValueError:  # urljoin refuses some broken hosts
        return "", False
    if len(link) > MAX_LINK:
        return "", True
    return (normalise_link(link) if link else ""), False


def _item(entry, feed, fetched, base_url, oldest):
    """(the FeedItem, how it was dated, how many over-long links or guids were dropped)."""
    title = _text(entry, "title")
    link, long_link = _link(base_url, entry.get("link", ""))
    published, dating = _when(entry, fetched, oldest)
    content = entry.get("content") or [{}]
    summary = clean_html(clean_text(content[0].get("value") or entry.get("summary", "")))
    guid = clean_name(entry.get("id") or "")
    long_guid = len(guid) > MAX_LINK
    guid = "" if long_guid else guid or link
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
        publisher=clean_name(feed.title),
    )
    return item, dating, long_link + long_guid
