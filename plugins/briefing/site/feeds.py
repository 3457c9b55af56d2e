"""What the plugin adds to Pelican's feeds: an actor's or issue's feed entries as teasers, and the
last guard at the exit of every feed."""

from datetime import UTC, datetime

from ..core.text import clean_text


class Teaser:
    """A briefing as an actor's or issue's feed carries it: what concerns them, then a link.

    The whole briefing is in the site's main feed; a hundred actor and issue feeds each
    repeating it would make the output grow as actors times briefings.
    """

    def __init__(self, article, content):
        # What Pelican's feed writer reads of an entry (Writer._add_item_to_the_feed), each only if
        # the briefing has it.
        self.title, self.url, self.summary, self._content = (
            article.title,
            article.url,
            article.summary,
            content,
        )
        for name in ("category", "tags", "author"):
            if hasattr(article, name):
                setattr(self, name, getattr(article, name))
        # Pelican's SafeDatetime formats in Python, and a feed formats each entry's dates three
        # times: as plain datetimes, the same text, formatted in C (30,000 entries at ten years).
        self.date = plain(article.date)
        if hasattr(article, "modified"):
            self.modified = plain(article.modified)

    def get_content(self, siteurl):
        return self._content


def plain(moment):
    return datetime.combine(moment.date(), moment.timetz())


def teaser(template, article, kind, key, digest, stances):
    """The teaser of a briefing in this actor's or issue's feed (feed_teaser.html)."""
    briefing = article.briefing
    return template.render(
        article=article,
        positions=[p for p in briefing.positions if getattr(p, kind) == key],
        mentioned=sum(key in (m.actors if kind == "actor" else m.issues) for m in briefing.mentions),
        briefing_digest=digest,
        stances=stances,
    )


NOTHING_YET = datetime(1970, 1, 1, tzinfo=UTC)


def finish_feed(context, feed):
    """Give each feed its own address as its Atom id (Pelican gives all of them the site's), keep
    its titles text whichever way a feed reader reads them, and apply the text rule to every string
    it carries: the last guard at the exit, so no string that slipped past an entrance (a control
    character, say) can stop the feed writer."""
    feed.feed["id"] = feed.feed["feed_url"]
    if not feed.items:
        # feedgenerator dates a feed with no entry by the clock: the same site would differ from one
        # build to the next, and a warm build from a cold one. The epoch says "nothing yet" as well.
        feed.latest_post_date = lambda: NOTHING_YET
    feed.feed.update(_clean_strings(feed.feed))
    feed.feed["title"] = _inert(feed.feed["title"])
    for item in feed.items:
        item.update(_clean_strings(item))
        item["title"] = _inert(item["title"])


def _clean_strings(value):
    """The value with clean_text applied to every string in it, however deeply nested."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: _clean_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_strings(v) for v in value]
    return value  # dates, numbers, None and the like carry no text


def _inert(text):
    # Pelican writes titles as plain text, but many readers (feedparser among them) take an RSS
    # title that looks like HTML for HTML: a title quoting "<img onerror=...>" would become one.
    return text.replace("<", "\u2039").replace(">", "\u203a")
