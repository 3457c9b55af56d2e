"""merge_outlets: one item per story, each outlet's words its own, whatever order items come in."""

from datetime import UTC, datetime, timedelta

import pytest

from briefing.core.digest import merge_outlets, story_keys
from briefing.core.model import UNTITLED, FeedItem
from briefing.core.urls import normalise_link

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


def test_story_keys_worked_out_beforehand_merge_the_same():
    """The build cache works out each item's story keys where it reads the archive: the merge is the
    same with them as without, whatever the items' links and titles."""
    items = [
        item(0, "Wire", "<p>A</p>"),
        item(1, "Wire", "<p>B</p>", link="HTTPS://Wire.TEST/story#top"),
        item(2, "Post", "<p>A</p>", link="https://wire.test/story?utm_medium=y"),
        item(3, "Post", "<p>C</p>", link="", title="Talks Resume"),
        item(4, "Herald", "<p>D</p>", link="https://herald.test/a?id=3&fbclid=z", title=UNTITLED),
        item(5, "Herald", "<p>E</p>", link="https://herald.test/a?id=3"),
    ]
    keys = {(i.feed, i.id): story_keys(i) for i in items}
    assert merge_outlets(items, keys) == merge_outlets(items)
    assert keys["wire", "1"] == ("talks resume", "https://wire.test/story")
    assert keys["post", "3"] == ("talks resume", "") and keys["herald", "4"] == (
        "",
        "https://herald.test/a?id=3",
    )
    # A link already normal is kept as it is, not as a copy.
    assert keys["herald", "5"][1] is items[5].link


@pytest.mark.parametrize(
    ("link", "normal"),
    [
        ("HTTPS://Example.ORG", "https://example.org/"),
        ("https://example.org/a/b#part", "https://example.org/a/b"),
        ("https://example.org/a?", "https://example.org/a"),
        ("  https://example.org/a?b=1&utm_source=x&c=%20d ", "https://example.org/a?b=1&c=+d"),
        ("https://example.org/a?utm_source=x", "https://example.org/a"),
        ("http://[::1", "http://[::1"),
    ],
)
def test_normalise_link(link, normal):
    assert normalise_link(link) == normal
