"""Hostile feeds at the entrance, served for real on 127.0.0.1: what they carry, cost and claim."""

import json
import os
import shutil
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import ROOT, build, write
from feedserver import Server, rss
from test_fetch import LIMITS, NOW, feed, fetch, records, states

from briefing.core import content, files
from briefing.core.digest import merge_outlets
from briefing.core.model import Feed
from briefing.core.text import clean_name
from briefing.ingest import archive
from briefing.ingest.fetch import FetchRefused

# What the text rule lets through nowhere: C0/C1 controls, bidi overrides and isolates.
FORBIDDEN = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), *"\u202a\u202b\u202c\u202d\u202e"} - {
    "\t",
    "\n",
    "\r",
}


@pytest.fixture
def server():
    s = Server()
    yield s
    s.stop()


def carries_forbidden(text):
    return any(c in FORBIDDEN for c in text)


def test_control_and_bidi_characters_never_reach_the_archive(tmp_path, server):
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><item>'
        "<title>Macron &#x1b;[31mred</title><link>https://news.test/a&#x7;b</link><guid>g&#x1b;1</guid>"
        "<author>\u202etlOH arimA</author><pubDate>Mon, 03 Mar 2025 10:00:00 +0000</pubDate>"
        "<description>Macron\x0cspeaks &#x85; &#xfffe;</description></item></channel></rss>"
    ).encode()
    server.routes["/ctl.xml"] = (200, body)
    assert fetch(tmp_path, feed(server, "ctl"))["ctl"].new == 1
    (record,) = records(tmp_path)
    for key in ("title", "link", "id", "author", "summary", "publisher"):
        assert not carries_forbidden(record[key]), key
    assert record["title"] == "Macron [31mred"
    assert record["author"] == "tlOH arimA"  # shown as written, never turned around
    assert record["link"] == "https://news.test/ab"


def test_a_control_character_already_archived_no_longer_stops_the_build(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    month = tmp_path / "content/archive/2025-03.jsonl"
    first = json.loads(month.read_text(encoding="utf-8").splitlines()[0])
    bad = {
        **first,
        "id": "bad\x1b",
        "title": "Zelenskiy \x1b[2J says \u202eon",
        "summary": "<p>Zelenskiy\x0cspeaks\x1b</p>",
        "author": "\u202eeman",
        "link": "https://example.org/x\x1by",
    }
    # A raw line as an older fetch wrote it: ensure_ascii=False keeps the control bytes raw.
    with month.open("a", encoding="utf-8") as f:
        f.write(json.dumps(bad, ensure_ascii=False) + "\n")
    output = build(tmp_path / "content", tmp_path / "output")
    for path in output.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".csv"):
            text = path.read_text(encoding="utf-8")
            assert "\x1b" not in text and "\x0c" not in text and "\u202e" not in text, path
    assert any("says on" in p.read_text(encoding="utf-8") for p in output.rglob("*.xml"))


def keyword_bomb(tag, count):
    tags = f"<{tag}>k</{tag}>" * count
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>T</title><item><title>Macron</title><link>https://b.test/1</link>{tags}</item>"
        "</channel></rss>"
    ).encode()


def test_feeds_that_would_parse_for_minutes_are_refused_before_parsing(tmp_path, server):
    # 60,000 keywords in one item (43 s to parse), a 10 MB feed of categories (over ten minutes).
    server.routes |= {
        "/keywords.xml": (200, keyword_bomb("media:keywords", 60_000)),
        "/categories.xml": (200, keyword_bomb("category", 400_000)),
        "/good.xml": (200, rss(("Macron speaks", "https://n.test/1", "1", "x"))),
    }
    limits = replace(LIMITS, max_bytes=12_000_000)
    results = fetch(tmp_path, *(feed(server, n) for n in ("keywords", "categories", "good")), limits=limits)
    assert results["keywords"].status == results["categories"].status == "failed"
    assert "BRIEFING_FETCH_MAX_ITEM_ELEMENTS (500)" in results["keywords"].message
    assert "BRIEFING_FETCH_MAX_ELEMENTS (100000)" in results["categories"].message
    assert results["good"].new == 1
    assert states(tmp_path)["categories"].error == results["categories"].message


def test_an_item_within_the_element_limits_is_read(tmp_path, server):
    server.routes["/tags.xml"] = (200, keyword_bomb("category", 400))
    assert fetch(tmp_path, feed(server, "tags"))["tags"].new == 1


def load_feeds(tmp_path, yaml):
    write(tmp_path, {"content/briefing/feeds.yml": yaml})
    problems = []
    feeds = content.read_feeds(tmp_path / "content/briefing/feeds.yml", problems, tmp_path)
    return feeds, [str(p) for p in problems]


def test_a_pattern_that_backtracks_for_ever_in_python_costs_nothing(tmp_path, server):
    # With Python's engine, (a+)+$ against 60 a's and a ! would take longer than the universe.
    crafted = "Macron " + "a" * 60 + "!"
    feeds, problems = load_feeds(
        tmp_path,
        f"""
        evil:
          title: Evil
          url: {server.base}/evil.xml
          only_matching: false
          include: ['(a+)+$', 'MACRON']
          exclude: ['(x+x+)+y']
        """,
    )
    assert problems == []
    server.routes["/evil.xml"] = (200, rss((crafted, "https://n.test/1", "1", "x" * 60)))
    assert fetch(tmp_path, *feeds.values())["evil"].new == 1  # kept by the case-insensitive MACRON


def test_patterns_the_linear_engine_refuses_name_their_line_and_what_to_write(tmp_path):
    _, problems = load_feeds(
        tmp_path,
        """
        f:
          title: F
          url: https://f.test/feed
          include:
            - '(a)\\1'
            - 'Macron(?! Jr)'
        """,
    )
    assert [p.split(":")[1] for p in problems] == ["5", "6"]
    assert all("RE2" in p and "backreferences" in p and "exclude" in p for p in problems)


def test_the_archive_reader_applies_the_text_rule_to_every_field(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    line = {
        "id": "a\x1b", "feed": "f", "title": "\u202eT\x0c\x1bU", "link": "https://x.test/a\x7f",
        "published": "2025-03-01T10:00:00+00:00", "summary": "<p>S\x0cT\x1b</p>", "author": "\u2067A",
        "publisher": "P\u200b", "fetched": "2025-03-01T11:00:00+00:00",
    }  # fmt: skip
    (folder / "2025-03.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = []
    (item,) = archive.read(folder, tmp_path, problems)
    assert problems == []
    assert (item.id, item.title, item.link, item.summary, item.author, item.publisher) == (
        "a",
        "T U",
        "https://x.test/a",
        "<p>S T</p>",
        "A",
        "P",
    )
    assert clean_name(item.title) == item.title


def test_reversed_names_come_out_with_no_bidi_control(tmp_path, server):
    server.routes["/rev.xml"] = (
        200,
        rss(("\u202bMacron\u202c \u2066x\u2069", "https://n.test/1", "1", "<p>\u202ex</p>")),
    )
    fetch(tmp_path, feed(server, "rev"))
    (record,) = records(tmp_path)
    assert record["title"] == "Macron x" and record["summary"] == "<p>x</p>"


def test_no_feed_can_speak_for_another_outlet(tmp_path, server):
    real = ("Macron announces a truce", "https://real.test/story", "r-1", "<p>Real words</p>")
    earlier = "Sun, 02 Mar 2025 10:00:00 +0000"
    # Another outlet's link in other case, with tracking and a fragment, dated a day earlier.
    fake = ("Macron surrenders", "HTTPS://REAL.test/story?utm_source=x#f", "e-1", "<p>Lies</p>", earlier)
    copied = (real[0], real[1], "e-2", "<p>Other words</p>", earlier)
    server.routes |= {"/real.xml": (200, rss(real)), "/evil.xml": (200, rss(fake, copied))}
    fetch(tmp_path, feed(server, "real"), feed(server, "evil"))
    stories = merge_outlets(archive.read(tmp_path / "archive", tmp_path, []))
    shown = {(s.publisher, s.title, s.text, s.link) for s in stories}
    assert ("Real", real[0], "Real words", real[1]) in shown  # the outlet's own words on its link
    # The hostile feed's two items share a link: one story of its own, never one of the outlet's.
    assert len(stories) == 2 and all(s.also == () for s in stories)


def test_a_backdated_item_is_filed_when_first_seen(tmp_path, server):
    server.routes["/old.xml"] = (
        200,
        rss(
            ("Macron in 1995", "https://o.test/1", "1", "x", "Thu, 01 Jun 1995 10:00:00 +0000"),
            ("Macron last month", "https://o.test/2", "2", "x", "Sat, 01 Feb 2025 10:00:00 +0000"),
            ("Macron last week", "https://o.test/3", "3", "x", "Mon, 03 Mar 2025 10:00:00 +0000"),
        ),
    )
    result = fetch(tmp_path, feed(server, "old"))["old"]
    assert "2 item(s) were dated more than 14 days before" in result.message
    assert "BRIEFING_FETCH_MAX_AGE_DAYS" in states(tmp_path)["old"].warning
    dates = {r["id"]: r["published"] for r in records(tmp_path)}
    assert dates == {"1": NOW.isoformat(), "2": NOW.isoformat(), "3": "2025-03-03T10:00:00+00:00"}
    # Known items keep their day when the fetch comes back: nothing moves.
    fetch(tmp_path, feed(server, "old"), now=NOW + timedelta(days=1))
    assert len(records(tmp_path)) == 3


def test_an_over_long_link_is_dropped_and_the_item_kept(tmp_path, server):
    long = "https://l.test/" + "a" * 9_000_000
    server.routes["/long.xml"] = (200, rss(("Macron", long, long, "x")))
    limits = replace(LIMITS, max_bytes=20_000_000)
    result = fetch(tmp_path, feed(server, "long"), limits=limits)["long"]
    assert result.new == 1 and "2 link(s) or guid(s) longer than 2000 characters" in result.message
    (record,) = records(tmp_path)
    assert record["link"] == "" and len(record["id"]) == 32


def test_the_archive_reader_bounds_links_and_ids(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    line = {
        "id": "i" * 5000, "feed": "f", "title": "T", "link": "https://x.test/" + "a" * 5000,
        "published": "2025-03-01T10:00:00+00:00", "summary": "", "author": "", "publisher": "P",
        "fetched": "2025-03-01T11:00:00+00:00",
    }  # fmt: skip
    (folder / "2025-03.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    (item,) = archive.read(folder, tmp_path, [])
    assert item.link == "" and len(item.id) == 32


def test_an_unchanged_feed_is_never_archived_again(tmp_path, server):
    # Three summaries that cleaned differently twice: each fetch archived them again as changed.
    summaries = (
        "<pre>\n\n  code</pre>",
        '<a href="https://x.test/?a=1&amp;b=2">l</a> ' * 3000,
        "<div>" * 300 + "it's" + "</div>" * 300,
    )
    items = [(f"Macron {i}", f"https://u.test/{i}", str(i), s) for i, s in enumerate(summaries)]
    server.routes["/same.xml"] = (200, rss(*items))  # no ETag: the whole feed comes every time
    assert fetch(tmp_path, feed(server, "same"))["same"].new == 3
    again = fetch(tmp_path, feed(server, "same"), now=NOW + timedelta(hours=1))["same"]
    assert (again.new, again.changed, len(records(tmp_path))) == (0, 0, 3)


def test_undated_items_with_a_rotating_session_id_are_recognised(tmp_path, server):
    hits = iter(range(1000))

    def rotating(h):
        sid = next(hits)
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Macron</title>'
            f"<link>https://s.test/a?sid={sid}</link><guid>https://s.test/a?sid={sid}</guid>"
            "<description>x</description></item></channel></rss>"
        ).encode()
        h.reply(200, body)

    server.routes["/sid.xml"] = rotating
    for hours in (0, 1, 5, 24, 24 * 7, 24 * LIMITS.max_age_days):
        fetch(tmp_path, feed(server, "sid"), now=NOW + timedelta(hours=hours))
    assert len(records(tmp_path)) == 1  # no briefing a day with the same news
    # Past the window in which an item may still be filed on its own day, the title is news again.
    fetch(tmp_path, feed(server, "sid"), now=NOW + timedelta(days=LIMITS.max_age_days + 1))
    assert len(records(tmp_path)) == 2


def test_a_symlinked_lock_is_refused_and_its_target_untouched(tmp_path, server):
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive/.fetch.lock").symlink_to(target)
    server.routes["/good.xml"] = (200, rss(("Macron", "https://g.test/1", "1", "x")))
    with pytest.raises(FetchRefused, match="symbolic link; remove it"):
        fetch(tmp_path, feed(server, "good"))
    assert target.read_text(encoding="utf-8") == "keep me"
    assert records(tmp_path) == []


def test_a_write_killed_before_its_rename_leaves_nothing_for_the_next_run(tmp_path, server):
    folder = tmp_path / "archive"
    folder.mkdir()
    # What a fetch killed between write and rename leaves: a temporary file beside the archive.
    stray = folder / f"{files.TEMPORARY}k1ll3d"
    stray.write_bytes(b'{"half": ')
    (folder / ".fetch.lock").write_text("", encoding="utf-8")
    server.routes["/good.xml"] = (200, rss(("Macron", "https://g.test/1", "1", "x")))
    assert fetch(tmp_path, feed(server, "good"))["good"].new == 1
    assert sorted(p.name for p in folder.iterdir()) == [".fetch.lock", "2025-03.jsonl", "feeds.json"]


@pytest.mark.parametrize("kind", ["fifo", "outside", "device"])
def test_a_local_sample_feed_must_be_an_ordinary_file_inside_the_site(tmp_path, server, kind):
    """A named pipe would hold the fetch for ever, a device or a link out would be read unreviewed."""
    local = tmp_path / "samples/wire.xml"
    local.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(local)
    else:
        local.symlink_to("/etc/hostname" if kind == "outside" else "/dev/zero")
    server.routes["/good.xml"] = (200, rss(("Macron", "https://g.test/1", "1", "x")))
    wire = Feed(id="wire", title="Wire", url="samples/wire.xml")
    results = fetch(tmp_path, wire, feed(server, "good"))
    assert results["wire"].status == "failed"
    assert "samples/wire.xml: this" in results["wire"].message
    assert results["good"].new == 1
