"""The model holds little: what a ten-year archive repeats is shared, and nothing is kept twice."""

import pickle
import sys
from datetime import UTC, date, datetime

from briefing.core.match import Matcher
from briefing.core.model import Actor, Correction, FeedItem, Issue, Mention, Note, Position, Source
from briefing.core.sanitize import plain_text
from briefing.ingest import archive


def _item(n, feed, publisher):
    # Strings built at run time, as parsing JSON or YAML builds them: equal, never the same object.
    return FeedItem(
        id=str(n), feed="".join(feed), title="t", link="", published=None,
        summary=f"<p>Talks &amp; more {n}</p>", author="".join(["A", "nna"]), publisher="".join(publisher),
    )  # fmt: skip


def test_items_share_their_feed_author_and_publisher_and_keep_no_copy_of_their_text():
    a, b = _item(1, ["wi", "re"], ["The ", "Wire"]), _item(2, ["wir", "e"], ["The W", "ire"])
    assert (a.feed, a.author, a.publisher) == (b.feed, b.author, b.publisher)
    assert a.feed is b.feed and a.author is b.author and a.publisher is b.publisher
    assert a.text == plain_text(a.summary) == "Talks & more 1"
    assert not hasattr(a, "__dict__")  # slots: nothing besides the fields, no text kept beside them
    assert pickle.loads(pickle.dumps(a)) == a


def test_positions_and_mentions_share_their_ids():
    def position(day):
        return Position("".join(["ana", "-k"]), "".join(["gas"]), "".join(["sup", "ports"]), day)

    p, q = position(1), position(2)
    assert p.actor is q.actor and p.issue is q.issue and p.stance is q.stance
    m = Mention(_item(1, "w", "W"), tuple(["ana-k", "bo"]), ("gas",))
    n = Mention(_item(2, "w", "W"), tuple(["ana-k", "bo"]), ("gas",))
    assert m.actors is n.actors and m.issues is n.issues


def test_archived_items_keep_their_text_and_what_they_mention(tmp_path):
    line = (
        '{"id": "1", "feed": "wire", "title": "Gas deal", "link": "https://x.test/1",'
        ' "published": "2025-03-02T09:00:00+00:00", "summary": "<p>Ana K &lt;3 <b>gas</b></p>",'
        ' "author": "", "publisher": "Wire"}\n'
    )
    (item,) = archive.parse(line.encode(), "a.jsonl", problems := [])
    assert not problems and item.text == "Ana K <3 gas"
    matcher = Matcher({"ana-k": Actor("ana-k", "Ana K")}, {"gas": Issue("gas", "Gas", keywords=("gas",))})
    assert matcher.mentions(f"{item.title}\n{item.text}") == (("ana-k",), ("gas",))


def test_what_a_worker_sends_comes_back_equal_and_shared():
    day = date(2025, 3, 1)
    source = Source("https://x.test/a", "s", "T", "".join(["The ", "Wire"]))
    note = Note(
        "n.yml", day, datetime(2025, 3, 1, tzinfo=UTC), "T", sources=(source,),
        positions=(Position("ana", "gas", "supports", day, source=source),),
        corrections=(Correction(day, datetime(2025, 3, 1, tzinfo=UTC), "x"),),
    )  # fmt: skip
    items = [_item(n, ["wi", "re"], ["The ", "Wire"]) for n in (1, 2)]
    mentions = [Mention(item, ("".join(["an", "a"]),), ()) for item in items]
    note2, items2, mentions2 = pickle.loads(pickle.dumps((note, items, mentions)))
    assert (note2, items2, mentions2) == (note, items, mentions)
    assert note2.positions[0].source is note2.sources[0]
    assert items2[0].feed is items2[1].feed is sys.intern("wire")
    assert mentions2[0].actors is mentions2[1].actors
