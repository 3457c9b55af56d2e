"""Hostile text in every editor field and archived item: a built site and its feeds run no script."""

import json
import re
from html.parser import HTMLParser

import feedparser
import pytest
from conftest import build, write

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>"
Q = json.dumps(XSS)  # a JSON string is a valid double-quoted YAML scalar
SITE = {
    "content/briefing/actors.yml": f"""
        evil:
          name: {Q}
          role: {Q}
          affiliation: {Q}
          aliases: [Evil]
          links: [https://ok.test/]
          description: {json.dumps(XSS + " [x](javascript:alert(4))")}
    """,
    "content/briefing/issues.yml": f"""
        bad-issue:
          title: {Q}
          question: {Q}
          keywords: [hostile]
          description: {Q}
    """,
    "content/briefing/feeds.yml": f"""
        wire:
          title: {Q}
          url: https://wire.test/feed
    """,
    "content/notes/2025-01-01.md": f"""
        ---
        date: 2025-01-01
        title: {Q}
        summary: {Q}
        tags: [evil]
        sources:
          - id: src
            title: {Q}
            publisher: {Q}
            url: 'https://ok.test/"><script>alert(5)</script>'
        positions:
          - actor: evil
            issue: bad-issue
            stance: supports
            quote: {Q}
            note: {Q}
            source: src
        ---
        {XSS} [click](javascript:alert(6)) <a href="JaVaScRiPt:alert(7)">y</a> <iframe src=//evil.test></iframe>
        <noscript><!-- </noscript><img src=x onerror=alert(8)> --></noscript> [z]({{briefing}}2025-02-30) [w]({{actor}}nobody)
    """,
}
ITEM = {
    "id": "i", "feed": "wire", "title": f"Evil {XSS}", "link": 'https://wire.test/a?x="><script>',
    "published": "2025-01-01T10:00:00+00:00", "summary": f"<p>Evil</p>{XSS}<a href=javascript:alert(9)>j</a>",
    "author": XSS, "publisher": XSS, "fetched": "2025-01-01T11:00:00+00:00",
}  # fmt: skip
BAD_TAGS = {"script", "svg", "math", "iframe", "img", "object", "embed", "form", "base", "meta", "style"}


# The site's own scripts, loaded from its own files by the search page; nothing else may run.
OWN_SCRIPTS = ("https://x.test/pagefind/", "https://x.test/theme/js/")


class Runnable(HTMLParser):
    """Collects what a browser would run or load: bad elements, event handlers, script URLs."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        own = (
            (tag == "script" and (named.get("src") or "").startswith(OWN_SCRIPTS))
            or (tag == "svg" and named.get("class") == "timeline")  # the site's charts; handlers still caught
            or (
                tag == "meta"
                and named.get("http-equiv", "content-security-policy").lower() == "content-security-policy"
            )
        )
        if tag in BAD_TAGS and not own:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value!r}>")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = write(tmp_path_factory.mktemp("hostile"), SITE)
    (base / "content/archive").mkdir()
    (base / "content/archive/2025-01.jsonl").write_text(json.dumps(ITEM) + "\n", encoding="utf-8")
    return build(base / "content", base / "output", SITEURL="https://x.test", RELATIVE_URLS=False)


def test_no_page_carries_anything_runnable(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 8
    for path in pages:
        found = Runnable(path.read_text(encoding="utf-8")).found
        assert found == [], f"{path.relative_to(hostile_site)}: {found}"


def test_the_hostile_text_is_shown_as_text(hostile_site):
    html = (hostile_site / "briefings/2025/01/01/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Evil" in html and "ok.test" in html


@pytest.mark.parametrize(
    "feed",
    [
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/actors/evil.atom.xml",
        "feeds/issues/bad-issue.rss.xml",
    ],
)
def test_feeds_stay_well_formed_and_carry_nothing_runnable(hostile_site, feed):
    parsed = feedparser.parse((hostile_site / feed).read_bytes(), sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    body = entry.content[0].value if "content" in entry else entry.summary
    assert "Supports" in body
    assert Runnable(body).found == []
