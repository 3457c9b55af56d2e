"""sitemap.xml: the same for the same content, each lastmod the date of the page's newest content."""

import json
from xml.etree import ElementTree

import pytest
from conftest import build, write
from test_build import COUNCIL, ITEM

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://x.test"


@pytest.fixture
def content(tmp_path):
    write(tmp_path, COUNCIL)
    (tmp_path / "content/archive").mkdir()
    (tmp_path / "content/archive/2024-11.jsonl").write_text(json.dumps(ITEM) + "\n", encoding="utf-8")
    note = tmp_path / "content/notes/2024-11-05.md"
    correction = "corrected:\n  - date: 2024-11-08T10:00:00+00:00\n    text: The fare was wrong.\npositions:"
    note.write_text(note.read_text(encoding="utf-8").replace("positions:", correction), encoding="utf-8")
    write(tmp_path, {
        "content/pages/history.md": "Title: History\nDate: 2024-10-01\n\nHow it began.\n",
        "content/pages/contact.md": "Title: Contact\n\nWrite to us.\n",
    })  # fmt: skip
    return tmp_path / "content"


def sitemap(content, output):
    site = build(content, output, SITEURL=SITE, RELATIVE_URLS=False, BRIEFING_SEARCH=False)
    return (site / "sitemap.xml").read_bytes()


def test_two_builds_of_one_content_write_the_same_sitemap(content):
    first = sitemap(content, content.parent / "one")
    assert sitemap(content, content.parent / "two") == first
    ElementTree.fromstring(first)  # well-formed XML


def test_each_lastmod_is_the_date_of_the_newest_content_on_that_page(content):
    root = ElementTree.fromstring(sitemap(content, content.parent / "output"))
    urls = {
        u.find("s:loc", NS).text.removeprefix(SITE + "/"): (
            u.find("s:lastmod", NS).text,
            u.find("s:changefreq", NS).text,
            u.find("s:priority", NS).text,
        )
        for u in root.findall("s:url", NS)
    }
    corrected, last_day = "2024-11-08T10:00:00+00:00", "2024-11-07T00:00:00+00:00"
    # A briefing: its date, or its latest correction.
    assert urls["briefings/2024/11/05/"] == (corrected, "weekly", "0.8")
    assert urls["briefings/2024/11/07/"] == (last_day, "weekly", "0.8")
    assert urls["briefings/2024/11/06/"][0] == "2024-11-06T00:00:00+00:00"
    # An actor or issue page: the newest of the briefings it lists (the union is not on the 5th).
    assert urls["actors/ana-lopez/"] == (corrected, "daily", "0.6")
    assert urls["actors/transit-union/"][0] == last_day
    assert urls["issues/bus-fares/"][0] == corrected
    # The index, archives and other site pages: the newest briefing.
    for url in ("", "briefings/", "briefings/2024/", "briefings/2024/11/", "actors/", "sources/", "data/"):
        assert urls[url] == (corrected, "daily", "0.6"), url
    # A page: its own date, or else the newest briefing.
    assert urls["history/"] == ("2024-10-01T00:00:00+01:00", "monthly", "0.5")
    assert urls["contact/"] == (corrected, "monthly", "0.5")
    # What SITEMAP excludes stays out.
    assert not [u for u in urls if u.startswith(("search/", "404")) or u.endswith((".opml", "robots.txt"))]
