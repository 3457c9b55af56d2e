"""The sample site, built for real: pages, tables and feeds agree with the notes."""

import csv
import json
import re
from xml.etree import ElementTree

import feedgenerator
import feedparser
import pytest
from feedgenerator.django.utils.xmlutils import UnserializableContentError

from briefing.site.feeds import finish_feed


def page(site, path):
    return (site / path / "index.html").read_text(encoding="utf-8")


def row(html, header_text):
    """The <tr> whose row header contains the text."""
    for tr in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        if re.search(r'<th scope="row">[^<]*<a [^>]*>' + re.escape(header_text) + "</a>", tr):
            return tr
    raise AssertionError(f"no row for {header_text!r}")


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start : end if end != -1 else None]


def test_london_summit_briefing_has_its_tables(sample_site):
    html = page(sample_site, "briefings/2025/03/02")
    assert "<h1>London summit" in html
    actors = section(html, "actors")
    assert "<caption" in actors and 'scope="col"' in actors
    assert "Prime Minister" in row(actors, "Keir Starmer")
    assert row(actors, "Volodymyr Zelenskiy")
    positions = section(html, "positions")
    zelenskiy = row(positions, "Volodymyr Zelenskiy")
    # Several rows per actor: find the one on territorial concessions.
    rows = [
        tr for tr in re.findall(r"<tr>.*?</tr>", positions, flags=re.S) if "Territorial concessions" in tr
    ]
    assert zelenskiy
    (territory,) = rows
    assert "Volodymyr Zelenskiy" in territory
    assert 'class="stance stance-opposes">Opposes</span>' in territory
    assert 'href="https://invezz.com/news/2025/03/02/european-leaders-to-draft' in territory


def test_standings_show_latest_stance_and_marks(sample_site):
    html = page(sample_site, "briefings/2025/03/11")
    standings = section(html, "standings")
    assert "No known position" in standings
    # Trump on the ceasefire: unclear on 28 February, supports on 11 March.
    assert 'Supports</span> <strong class="mark mark-changed">Changed</strong>' in row(
        standings, "Donald Trump"
    )
    # Rubio's first recorded stance is that day's.
    assert 'class="mark mark-new">New</strong>' in row(standings, "Marco Rubio")
    # Starmer recorded nothing that day: he is in the standings of today, not of that day, so a
    # briefing page stays the size of its day however long the story runs.
    assert "Keir Starmer" not in standings
    # A row per pair the day records, with the stance before it: Trump was unclear on 28 February.
    trump = row(standings, "Donald Trump")
    assert "Air-and-sea ceasefire" in trump
    assert re.search(
        r'data-label="Before"><span class="stance stance-unclear">Unclear</span>.*28 February 2025', trump
    )
    assert "No known position" in row(standings, "Marco Rubio")  # new: nothing before
    # Today's standings, issue by issue: each actor under the stance they hold, and no one else.
    now = section(page(sample_site, "issues"), "standings")
    cells = dict(re.findall(r'<td data-label="(\w+)">(.*?)</td>', row(now, "Air-and-sea ceasefire")))
    assert "Donald Trump" in cells["Supports"] and "Donald Trump" not in cells["Opposes"]
    assert 'class="mark' not in now and "No known position" not in now
    # The stance before links to the briefing that recorded it.
    assert 'href="https://example.test/digest/briefings/2025/02/28/"' in trump


def test_actor_and_issue_pages_agree_with_the_briefing(sample_site):
    actor = page(sample_site, "actors/volodymyr-zelenskiy")
    current = section(actor, "current")
    territory = row(current, "Territorial concessions")
    assert "Opposes" in territory and "2 March 2025" in territory
    assert "https://example.test/digest/briefings/2025/03/02/" in section(actor, "briefings")
    issue = page(sample_site, "issues/territorial-concessions")
    assert "Opposes" in row(section(issue, "current"), "Volodymyr Zelenskiy")
    # A row per actor with a stance; the others are counted, not listed.
    assert re.search(r"<p>No known position for the other \d+ actors\.</p>", section(issue, "current"))
    assert 'rel="alternate"' in issue and "feeds/issues/territorial-concessions.atom.xml" in issue


def test_feed_items_are_matched_sanitised_and_linked(sample_site):
    html = page(sample_site, "briefings/2025/03/03")
    news = section(html, "news")
    assert "Macron floats month-long truce" in news
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    # Tracking parameters are gone from archived links.
    assert "utm_" not in html


def test_index_archive_and_about(sample_site):
    index = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'id="scorecard-home"' in index
    listed = index[index.index('<article class="summary">') :]  # after the scorecard, newest first
    assert listed.index("2025/03/20") < listed.index("2025/03/18")
    assert "briefings/2025/03/" in page(sample_site, "briefings")
    assert "2 March 2025" in page(sample_site, "briefings/2025/03")
    assert "supports" in page(sample_site, "about-and-methodology").lower()


@pytest.mark.parametrize(
    "path",
    [
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/actors/volodymyr-zelenskiy.atom.xml",
        "feeds/actors/volodymyr-zelenskiy.rss.xml",
        "feeds/issues/territorial-concessions.atom.xml",
        "feeds/issues/territorial-concessions.rss.xml",
    ],
)
def test_feeds_parse_back_with_the_positions(sample_site, path):
    parsed = feedparser.parse((sample_site / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = [e for e in parsed.entries if e.title.startswith("London summit")]
    assert entry.link == "https://example.test/digest/briefings/2025/03/02/"
    body = entry.content[0].value if "content" in entry else entry.summary
    assert "Starmer hosted Zelenskiy" in body
    if path.startswith("feeds/all."):  # the whole briefing, its tables and links
        assert 'href="https://example.test/digest/actors/volodymyr-zelenskiy/"' in body
        assert "<table" in body
    else:  # what concerns this actor or issue, in a few lines
        assert "<li>Volodymyr Zelenskiy: Opposes on Territorial concessions (reported)</li>" in body
        assert "<table" not in body


def test_actor_feed_holds_only_their_briefings(sample_site):
    parsed = feedparser.parse((sample_site / "feeds/actors/mark-rutte.atom.xml").read_bytes())
    links = {e.link for e in parsed.entries}
    assert "https://example.test/digest/briefings/2025/03/02/" in links
    assert "https://example.test/digest/briefings/2025/02/28/" not in links


def test_what_changed_is_computed_from_the_standings(sample_site):
    html = page(sample_site, "briefings/2025/03/11")
    changes = html[html.index('id="changes"') : html.index("</section>", html.index('id="changes"'))]
    # Trump on the ceasefire moved from unclear (28 February) to supports.
    trump = next(li for li in changes.split("<li ") if "Donald Trump" in li and "Air-and-sea ceasefire" in li)
    assert "Changed" in trump and trump.index("Unclear") < trump.index("→") < trump.index("Supports")
    assert "New actor" in changes and "Marco Rubio" in changes
    # The US paused military aid on 4 March and resumed it on 11 March: from opposes to supports.
    aid = next(
        li for li in changes.split("<li ") if "United States administration" in li and "military aid" in li
    )
    assert 'class="mark mark-reversed">Reversed</strong>' in aid and aid.index("Opposes") < aid.index(
        "Supports"
    )
    # The pause itself rested on unnamed officials: the change says it is not confirmed.
    paused = page(sample_site, "briefings/2025/03/04")
    paused = paused[paused.index('id="changes"') : paused.index("</section>", paused.index('id="changes"'))]
    aid = next(li for li in paused.split("<li ") if "United States administration" in li)
    assert "(not confirmed by United States administration: anonymous sources only)" in aid
    assert "not confirmed" not in next(li for li in paused.split("<li ") if "Volodymyr Zelenskiy" in li)
    first = page(sample_site, "briefings/2025/02/28")
    assert first.count('class="mark mark-new">New actor') >= 2


def test_open_data_matches_the_tables(sample_site):
    rows = list(csv.DictReader((sample_site / "data/positions.csv").open(encoding="utf-8")))
    as_json = json.loads((sample_site / "data/positions.json").read_text(encoding="utf-8"))
    assert rows == [{k: str(v).lower() if isinstance(v, bool) else v for k, v in r.items()} for r in as_json]
    (territory,) = [r for r in rows if r["id"] == "2025-03-02/volodymyr-zelenskiy/territorial-concessions"]
    assert (territory["stance"], territory["stance_label"]) == ("opposes", "Opposes")
    assert (territory["evidence"], territory["evidence_label"]) == ("reported", "Reported")
    assert territory["source_url"].startswith("https://invezz.com/")
    assert len({r["id"] for r in rows}) == len(rows)
    actors = {a["id"]: a for a in json.loads((sample_site / "data/actors.json").read_text(encoding="utf-8"))}
    assert actors["volodymyr-zelenskiy"]["current"]["territorial-concessions"] == {
        "stance": "opposes",
        "date": "2025-03-02",
        "evidence": "reported",
        "stale": False,
    }
    day = json.loads((sample_site / "data/briefings/2025-03-02.json").read_text(encoding="utf-8"))
    assert day["positions"] == [r for r in as_json if r["date"] == "2025-03-02"]
    assert day["next"] == "2025-03-03" and day["news"]
    data_page = page(sample_site, "data")
    assert "CC BY 4.0" in data_page and "<code>stance_label</code>" in data_page
    assert "data/briefings/2025-03-02.json" in page(sample_site, "briefings/2025/03/02")


def test_actor_and_issue_pages_chart_stances_over_time(sample_site):
    actor = section(page(sample_site, "actors/volodymyr-zelenskiy"), "over-time")
    assert actor.count('<svg class="timeline"') == 7
    assert (
        "Conditional from 28 February 2025 (on record); Supports from 4 March 2025 (official text)." in actor
    )
    issue = section(page(sample_site, "issues/territorial-concessions"), "over-time")
    assert "Volodymyr Zelenskiy on Territorial concessions, over time" in issue


def test_every_atom_feed_has_its_own_id(sample_site):
    ids = [feedparser.parse(p.read_bytes()).feed.id for p in sorted(sample_site.rglob("*.atom.xml"))]
    assert len(set(ids)) == len(ids)
    assert "https://example.test/digest/feeds/actors/mark-rutte.atom.xml" in ids


@pytest.mark.parametrize("kind", [feedgenerator.Atom1Feed, feedgenerator.Rss201rev2Feed])
def test_the_feed_exit_applies_the_text_rule_to_every_string(kind):
    """A string that slipped past every entrance (here an item built directly) cannot break a feed."""
    bad = "Escape\x1b[31m, \x00nul, \ufffe and \u202ereversed"

    def feed():
        f = kind(bad, "https://x.test/", bad, feed_url="https://x.test/feed.xml", author_name=bad)
        f.add_item(bad, "https://x.test/1", bad, content=f"<p>{bad}</p>", author_name=bad, categories=[bad])
        return f

    with pytest.raises(UnserializableContentError):
        feed().writeString("utf-8")  # unguarded, the writer stops the build
    guarded = feed()
    finish_feed({}, guarded)
    xml = guarded.writeString("utf-8")
    ElementTree.fromstring(xml)
    parsed = feedparser.parse(xml)
    assert not parsed.bozo and parsed.entries[0].title == "Escape[31m, nul,  and reversed"
    assert parsed.entries[0].author == parsed.feed.title == "Escape[31m, nul,  and reversed"
