"""merge_outlets: one item per story, each outlet's words its own, whatever order items come in."""

from datetime import UTC, datetime, timedelta

from briefing.digest import merge_outlets
from briefing.model import FeedItem

T0 = datetime(2025, 3, 2, 9, tzinfo=UTC)


def item(n, publisher, summary, link="https://wire.test/story?utm_source=x", title="Talks resume"):
    return FeedItem(
        id=str(n), feed=publisher.lower(), title=title, link=link,
        published=T0 + timedelta(minutes=n), summary=summary, publisher=publisher,
    )  # fmt: skip


def test_outlets_with_one_link_and_title_merge_only_where_their_text_is_the_same():
    items = [
        item(0, "Wire", "<p>Talks resume in Geneva.</p>"),
        item(1, "Post", "<p>Talks resume, officials say.</p>"),
        # The same text as the first, up to case and accents: the first's story, its link kept.
        item(2, "Herald", "<p>TALKS RESUME IN GENÈVA.</p>".replace("È", "E"), link="https://WIRE.test/story"),
        item(3, "Daily", "<p>talks resume, officials say.</p>"),
        item(4, "Gazette", "<p>Something else.</p>", title="Other"),
    ]
    stories = merge_outlets(reversed(items))
    assert [(s.publisher, s.also) for s in stories] == [
        ("Wire", (("Herald", "https://WIRE.test/story"),)),
        ("Post", (("Daily", "https://wire.test/story?utm_source=x"),)),
        ("Gazette", ()),
    ]
