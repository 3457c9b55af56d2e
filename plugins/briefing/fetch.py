"""Fetch every feed, parse it with feedparser from the bytes, sanitise, append new items to the archive."""

import hashlib
import logging
import os
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

from . import archive
from .load import load_feeds, locations
from .model import FeedItem
from .sanitize import clean_html, plain_text
from .urls import is_web_url, normalise_link, safe_url

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 20_000_000
ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class Result:
    feed: str
    ok: bool
    new: int = 0
    message: str = ""


def download(url, root, timeout, user_agent):
    """Return the bytes of a feed: an http(s) URL, or a local file relative to the site root."""
    if not is_web_url(url):
        with open(os.path.join(root, url), "rb") as f:
            data = f.read(MAX_FEED_BYTES + 1)
    else:
        request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": ACCEPT})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        raise ValueError(f"the feed is larger than {MAX_FEED_BYTES} bytes")
    return data


def _when(entry, fetched):
    """The item's date in UTC; none given, or one in the future, means the moment it was fetched."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return fetched
    moment = datetime(*parsed[:6], tzinfo=UTC)
    return min(moment, fetched)


def parse_items(data, feed, fetched, base_url=""):
    """Turn feed bytes into sanitised FeedItems; raise ValueError when nothing usable is there."""
    # feedparser's own sanitiser is slow and leaky; nh3 cleans every field below instead. No base
    # URL is given to it: it would turn a relative guid into a URL that changes when the feed moves.
    parsed = feedparser.parse(data, sanitize_html=False)
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a readable feed ({parsed.get('bozo_exception')})")
    if parsed.bozo:
        logger.warning("briefing: feed %s parsed with a problem: %s", feed.id, parsed.get("bozo_exception"))
    items = []
    for entry in parsed.entries:
        title = plain_text(entry.get("title", ""))
        link = safe_url(urljoin(base_url, entry.get("link", "")))
        link = normalise_link(link) if link else ""
        published = _when(entry, fetched)
        content = entry.get("content") or [{}]
        summary = content[0].get("value") or entry.get("summary", "")
        guid = entry.get("id") or link
        if not guid:
            # Only what the feed says: an undated item hashed with the fetch time would return daily.
            said = f"{feed.id}\n{title}\n{entry.get('published') or entry.get('updated') or ''}\n{summary}"
            guid = hashlib.sha256(said.encode()).hexdigest()[:32]
        items.append(
            FeedItem(
                id=guid,
                feed=feed.id,
                title=title or "(untitled)",
                link=link,
                published=published,
                summary=clean_html(summary),
                author=plain_text(entry.get("author", "")),
                publisher=feed.title,
            )
        )
    return items


def fetch_all(feeds, archive_dir, root, timeout, user_agent, now=None):
    """Fetch each feed in turn and archive its new items; one failing feed never stops the others."""
    fetched = (now or datetime.now(UTC)).replace(microsecond=0)
    problems = []
    held = archive.read(archive_dir, root, problems)
    if problems:
        # Appending beside lines we cannot read could bury them: refuse, and say where.
        return [Result(feed="archive", ok=False, message="; ".join(map(str, problems)))]
    seen = set().union(*map(archive.item_keys, held))
    results = []
    for feed in feeds.values():
        try:
            base = feed.url if is_web_url(feed.url) else ""
            items = parse_items(download(feed.url, root, timeout, user_agent), feed, fetched, base)
        except Exception as e:
            logger.warning("briefing: feed %s failed: %s", feed.id, e)
            results.append(Result(feed=feed.id, ok=False, message=str(e) or type(e).__name__))
            continue
        lines = defaultdict(list)
        for item in items:
            keys = archive.item_keys(item)
            if keys & seen:
                continue
            seen |= keys
            lines[f"{item.published:%Y-%m}{archive.SUFFIX}"].append(archive.to_record(item, fetched))
        archive.append(archive_dir, lines)
        results.append(Result(feed=feed.id, ok=True, new=sum(map(len, lines.values()))))
    return results


def run(settings, now):
    """Fetch the feeds of feeds.yml; return (problems in feeds.yml, one Result per feed)."""
    problems = []
    feeds = load_feeds(settings, problems)
    if problems:
        return problems, []
    _, root, archive_dir = locations(settings)
    timeout, agent = settings["BRIEFING_FETCH_TIMEOUT"], settings["BRIEFING_USER_AGENT"]
    return [], fetch_all(feeds, archive_dir, root, timeout, agent, now)
