"""The hostile corpus (tests/hostile/) in every field of fetched feeds and editors' files, built into
a site: no page or feed carries anything runnable, and in a real browser nothing runs and nothing
is requested from another host, with the Content-Security-Policy and without it."""

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

import feedparser
import pytest
from browsing import chromium, serve, watched_tab
from conftest import ROOT, build, write
from feedserver import Server
from pelican import signals
from pelican.settings import read_settings
from test_images import png

from briefing.ingest import fetch
from briefing.site import settings

HERE = Path(__file__).parent / "hostile"


def _lines(name):
    text = (HERE / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


PAYLOADS = _lines("payloads.txt")
URLS = _lines("urls.txt")
ISSUES = 3
# An editor's web address (it must be one, with no spaces) that tries to leave its attribute.
BREAKOUT = "https://ok.test/?q=\"'><script>alert(1)</script>"
# What editors may still write: formatting and ordinary links. (It comes first in a note: an
# unclosed <style> or <textarea> payload swallows the rest, as it would in a browser.)
CONTROL = "Editors may still write **bold** and [links](https://ok.test/page)."
WHEN = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
# Every metadata field of an editor's page, a payload in each: Pelican's own, and keys a
# template might print. (Date and Modified must parse as dates; Slug and Url are checked at the
# entrance, so a hostile Url is set past the checks, by SMUGGLED_URL.)
META = {
    "Title": 0, "Summary": 3, "Author": 6, "Authors": 7, "Category": 8, "Tags": 9, "Lang": 5,
    "Description": 1, "Keywords": 2, "Subtitle": 4, "Updated": 35, "Published": 36, "Image": 12,
}  # fmt: skip
# What a reviewer's Url did: every page carrying the page in its menu redirected to another host.
SMUGGLED_URL = 'x"><meta http-equiv="refresh" content="0;url=http://evil.test/refresh">'
XHTML = (
    '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script>'
    '<a href="javascript:alert(1)">x</a><img src="x" onerror="alert(1)"/></div>'
)
# The site's own files: its theme and the search page's Pagefind bundle; and editors' images.
OWN_FILES = re.compile(r"^(https://x\.test/|(\.{1,2}/)*)(pagefind|theme)/")
OWN_IMAGES = re.compile(r"^(https://x\.test/|(\.{1,2}/)*)images/[^/]+$")
# An editor's image must be a file of the site, with alt text, or the build stops (test_images.py):
# in an editor's text, each payload's images are made one, so that the build shows what becomes
# of their handlers and of all else around them.
IMAGE = "images/x.png"


def editor_text(payload):
    return payload.replace("<img", f'<img alt="An image" src="../{IMAGE}"')


BAD_TAGS = {
    "script", "svg", "math", "iframe", "frame", "img", "object", "embed", "form", "base", "meta",
    "style", "link", "video", "audio", "source", "input", "button", "textarea", "template",
}  # fmt: skip


def _attr(url):
    """A URL line as an XML attribute value: its entities stay for the XML parser to decode."""
    return '"' + url.replace('"', "&quot;").replace("<", "&lt;") + '"'


def rss_feed():
    items = "".join(
        f"""<item><title>Evil{i} {escape(p)}</title><link>{URLS[i % len(URLS)]}</link>
        <guid isPermaLink="false">rss-{i}</guid><pubDate>Wed, 01 Jan 2025 10:00:00 +0000</pubDate>
        <author>{escape(p)}</author><category>{escape(p)}</category>
        <enclosure url={_attr(URLS[i % len(URLS)])} type="image/png" length="1"/>
        <description><![CDATA[{p}]]></description>
        <content:encoded><![CDATA[<p>Evil{i}</p>{p}]]></content:encoded></item>"""
        for i, p in enumerate(PAYLOADS)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(PAYLOADS[0])}</title><link>javascript:alert(1)</link>{items}</channel></rss>"
    ).encode()


def atom_feed():
    entries = "".join(
        f"""<entry><id>atom-{i}</id><title type="html">Evil{i} {escape(p)}</title>
        <link rel="alternate" href={_attr(URLS[i % len(URLS)])}/>
        <link rel="enclosure" href={_attr(URLS[i % len(URLS)])} type="image/png"/>
        <updated>2025-01-01T10:00:00Z</updated>
        <author><name>{escape(p)}</name><uri>{URLS[i % len(URLS)]}</uri><email>{escape(p)}</email></author>
        <category term={quoteattr(p)} label={quoteattr(p)}/>
        <summary type="html">{escape(p)}</summary>
        <content type="html">{escape(f"<p>Evil{i}</p>{p}")}</content></entry>"""
        for i, p in enumerate(PAYLOADS)
    )
    # Typed text/plain (feedparser leaves it unsanitised) and inline XHTML.
    entries += f"""<entry><id>atom-text</id><title type="text">Evil0 {escape(PAYLOADS[0])}</title>
        <updated>2025-01-01T10:00:00Z</updated><content type="text">{escape(PAYLOADS[5])}</content></entry>
        <entry><id>atom-xhtml</id><title type="xhtml">{XHTML.replace("<div", "<div>Evil1 <b", 1)}</b></div></title>
        <updated>2025-01-01T10:00:00Z</updated><content type="xhtml">{XHTML}</content></entry>"""
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(PAYLOADS[1])}</title><id>hostile</id><updated>2025-01-01T10:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


def editor_files(server):
    """Actors, issues, feeds, a note and a page, the payloads in every field an editor writes."""
    q = json.dumps  # a JSON string is a valid double-quoted YAML scalar
    actors = "".join(
        f"evil-{i}:\n  name: {q(f'Evil{i} {p}')}\n  role: {q(p)}\n  affiliation: {q(p)}\n"
        f"  aliases: [Evil{i}]\n  links: [{q(BREAKOUT)}]\n  description: {q(p)}\n"
        for i, p in enumerate(PAYLOADS)
    )
    issues = "".join(
        f"bad-{n}:\n  title: {q(f'Bad{n} {PAYLOADS[n]}')}\n  question: {q(PAYLOADS[n + 10])}\n"
        f"  keywords: [Bad{n}]\n  description: {q(PAYLOADS[n + 20])}\n"
        for n in range(ISSUES)
    )
    positions = "".join(
        f"  - actor: evil-{i}\n    issue: bad-{i % ISSUES}\n    stance: supports\n"
        f"    quote: {q(p)}\n    note: {q(p)}\n    source: src\n"
        for i, p in enumerate(PAYLOADS)
    )
    links = "[md](javascript:alert(1)) [md2](JaVaScRiPt:alert(1)) <javascript:alert(1)>"
    return {
        "content/briefing/actors.yml": actors,
        "content/briefing/issues.yml": issues,
        "content/briefing/feeds.yml": f"""
            rss:
              title: {q(PAYLOADS[2])}
              url: {server.base}/hostile.rss
            atom:
              title: {q(PAYLOADS[3])}
              url: {server.base}/hostile.atom
        """,
        "content/notes/2025-01-01.md": (
            f"---\ndate: 2025-01-01\ntitle: {q(PAYLOADS[4])}\nsummary: {q(PAYLOADS[6])}\n"
            f"sources:\n  - id: src\n    title: {q(PAYLOADS[8])}\n    publisher: {q(PAYLOADS[9])}\n"
            f"    url: {q(BREAKOUT)}\n"
            f"positions:\n{positions}---\n"
            + "\n\n".join([CONTROL, links, *map(editor_text, PAYLOADS)])
            + "\n"
        ),
        "content/pages/hostile.md": metadata() + "\n" + "\n\n".join(map(editor_text, PAYLOADS)) + "\n",
    }


def metadata(**fixed):
    fields = {name: PAYLOADS[n] for name, n in META.items()} | fixed
    return "".join(f"{name}: {value}\n" for name, value in fields.items())


def smuggle_url(generator):
    """Give every editor's page a hostile address, as if it had passed the checks."""
    for page in generator.pages:
        page.override_url = SMUGGLED_URL


def build_hostile(base, **overrides):
    """Serve the hostile feeds, fetch them for real into the archive, and build the site."""
    server = Server()
    server.routes |= {"/hostile.rss": (200, rss_feed()), "/hostile.atom": (200, atom_feed())}
    try:
        write(base, editor_files(server))
        (base / "content/images").mkdir()
        (base / "content" / IMAGE).write_bytes(png(2, 2))
        config = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(base / "content")})
        settings.complete(config)
        problems, results = fetch.run(config, WHEN)
    finally:
        server.stop()
    assert problems == [] and {r.status for r in results} == {"ok"}, (problems, results)
    assert sum(r.new for r in results) == 2 * len(PAYLOADS) + 2
    signals.page_generator_finalized.connect(smuggle_url)
    try:
        return build(base / "content", base / "output", **overrides)
    finally:
        signals.page_generator_finalized.disconnect(smuggle_url)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    return build_hostile(base, SITEURL="https://x.test", RELATIVE_URLS=False)


def _own(tag, named):
    """The site's own scripts, styles, charts, links and policy: what its templates write."""
    if tag == "script":
        return bool(OWN_FILES.match(named.get("src") or ""))
    if tag == "link":
        return named.get("rel") != "stylesheet" or bool(OWN_FILES.match(named.get("href") or ""))
    if tag == "svg":
        return named.get("class") == "timeline"  # the charts; their attributes are still checked
    if tag == "img":  # an editor's image of the site's own, described
        return bool(OWN_IMAGES.match(named.get("src") or "")) and bool(named.get("alt"))
    if tag == "meta":
        return named.get("http-equiv", "content-security-policy").lower() == "content-security-policy"
    return False


class Runnable(HTMLParser):
    """Collects what a browser would run or load: bad elements, event handlers, script URLs."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag in BAD_TAGS and not _own(tag, named):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if (
                name.startswith("on")
                or name == "srcdoc"
                or url.startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def test_no_page_carries_anything_runnable(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > len(PAYLOADS) + 10  # an actor page per payload, and the rest of the site
    for path in pages:
        found = Runnable(path.read_text(encoding="utf-8")).found
        assert found == [], f"{path.relative_to(hostile_site)}: {found}"


def test_the_payloads_are_shown_as_text_and_formatting_survives(hostile_site):
    html = (hostile_site / "briefings/2025/01/01/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # an editor's title, shown as written
    assert "<strong>bold</strong>" in html
    assert '<a href="https://ok.test/page" rel="noopener noreferrer nofollow">links</a>' in html
    page = (hostile_site / "alert1" / "index.html").read_text(encoding="utf-8")  # an editor's page
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page


def test_every_metadata_field_of_a_page_is_text_wherever_printed(hostile_site):
    """Title, summary, author, tags, lang, custom keys and a smuggled Url: in the menu of every page,
    the <title>, og/meta tags and the page itself, each is escaped text, never markup."""
    pages = {
        p.relative_to(hostile_site).as_posix(): p.read_text(encoding="utf-8")
        for p in hostile_site.rglob("*.html")
    }
    menu = '<a href="https://x.test/x&#34;&gt;&lt;meta http-equiv=&#34;refresh&#34; content=&#34;0;url='
    for path, html in pages.items():
        assert SMUGGLED_URL not in html and 'http-equiv="refresh"' not in html, path
        assert menu in html, path  # the editor's page is in every page's menu, its address as text
    title = "&lt;script&gt;alert(1)&lt;/script&gt;"
    html = pages["alert1/index.html"]
    assert f"<title>{title} · " in html and f'<meta property="og:title" content="{title}">' in html
    assert f"<h1>{title}</h1>" in html
    assert '<meta name="description" content="&#34;&gt;">' in html  # the summary, its tags gone


def test_links_from_feeds_are_safe_and_marked_outbound(hostile_site):
    html = (hostile_site / "briefings/2025/01/01/index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(https?://(?:news|evil)\.test[^"]*)"( rel="[^"]*")?', html)
    assert len(links) >= 2  # the hostile URLs that are http(s) stay, as links
    assert all(rel == ' rel="noopener noreferrer nofollow"' for _, rel in links), links


def test_the_sites_own_feeds_stay_well_formed_and_inert(hostile_site):
    feeds = sorted(hostile_site.glob("feeds/**/*.xml"))
    assert len(feeds) >= 2 * (len(PAYLOADS) + ISSUES) + 2
    for path in feeds:
        ElementTree.parse(path)  # well-formed XML, or this raises
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        for entry in parsed.entries:
            assert re.match(r"https://x\.test/", entry.link), (path, entry.link)
            for text in (entry.title, entry.get("summary", ""), *(c.value for c in entry.get("content", []))):
                assert Runnable(text).found == [], (path, text[:200])
    ElementTree.parse(hostile_site / "sources.opml")  # feed titles, from editors


# In the page, after the browser parsed it (mutation XSS shows only here): handlers, script URLs,
# elements that run or load things, and outbound links from feeds without rel.
INSPECT = """() => {
  const found = [];
  const own = /^\\/(pagefind|theme)\\//;
  const local = (url) => { const u = new URL(url, location.href); return u.origin === location.origin && own.test(u.pathname); };
  for (const el of document.querySelectorAll("*")) {
    if (el.closest(".pagefind-ui")) continue;  // the search page's own widget
    for (const a of el.attributes) {
      const value = a.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (a.name.startsWith("on") || a.name === "srcdoc" || /^(javascript|data|vbscript):/.test(value)) {
        found.push(`${el.tagName} ${a.name}=${a.value}`);
      }
    }
  }
  for (const el of document.querySelectorAll("script[src], link[rel=stylesheet]")) {
    if (!local(el.src || el.href)) found.push(el.outerHTML);
  }
  const bad = "script:not([src]), iframe, frame, object, embed, base, form, style, video, audio, "
    + "input, button, textarea, math, svg:not(.timeline), meta[http-equiv=refresh]";
  for (const el of document.querySelectorAll(bad)) {
    if (!el.closest(".pagefind-ui")) found.push(el.outerHTML.slice(0, 120));
  }
  for (const img of document.querySelectorAll("img")) {  // only editors' images of the site's own
    const u = new URL(img.getAttribute("src") || "", location.href);
    if (u.origin !== location.origin || !/^\\/images\\/[^/]+$/.test(u.pathname) || !img.alt) {
      found.push(img.outerHTML.slice(0, 120));
    }
  }
  for (const a of document.querySelectorAll("a[href]")) {
    const host = new URL(a.href, location.href).hostname;
    if (/(news|evil)\\.test$/.test(host) && !["noopener", "noreferrer", "nofollow"].every(r => a.relList.contains(r))) {
      found.push(`outbound link without rel: ${a.outerHTML.slice(0, 120)}`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module", params=["policy", "no policy"])
def served(request, tmp_path_factory):
    """The hostile site as `invoke serve` shows it; without its CSP, the cleaning alone must hold."""
    base = tmp_path_factory.mktemp("hostile-served")
    policy = {} if request.param == "policy" else {"BRIEFING_CONTENT_SECURITY_POLICY": ""}
    output = build_hostile(base, **policy)
    with serve(output) as url:
        yield output, url, request.param


def visit(browser, urls):
    """Load pages in turn; yield what each ran or loaded: dialogs, requests for other hosts, CSP
    violations, and what the DOM holds that could run."""
    with watched_tab(browser) as (tab, outside, violations):
        dialogs = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for url in urls:
            tab.goto(url)
            # Some handlers fire a moment after load (ontoggle, onfocus of autofocus).
            tab.wait_for_timeout(100)
            seen = {
                "left": [] if tab.url == url else [tab.url],  # a refresh or script moved the tab
                "dialogs": dialogs[:],
                "outside": outside[:],
                "csp": violations[:],
                "dom": tab.evaluate(INSPECT),
            }
            del dialogs[:], outside[:], violations[:]
            yield url, seen


def test_in_a_browser_no_payload_runs_or_calls_out(browser, served):
    output, url, _ = served
    pages = sorted(url + p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    assert len(pages) > len(PAYLOADS) + 10
    for page, seen in visit(browser, pages):
        assert seen == {"left": [], "dialogs": [], "outside": [], "csp": [], "dom": []}, page


def test_the_browser_check_catches_a_payload_that_was_not_cleaned(browser, served):
    """The harness can fail: an uncleaned page trips it, and the site's policy blocks what it can."""
    output, url, policy = served
    meta = ""
    if policy == "policy":
        csp = settings.DEFAULTS["BRIEFING_CONTENT_SECURITY_POLICY"]
        meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
    (output / "canary.html").write_text(
        f"<!doctype html><html lang=en><head>{meta}<title>canary</title></head><body>"
        '<img src=x onerror=alert(1)><img src="http://evil.test/pixel.gif" alt="">'
        '<a href="javascript:alert(1)">x</a></body></html>',
        encoding="utf-8",
    )
    ((_, seen),) = visit(browser, [url + "canary.html"])
    assert seen["dom"]
    if policy == "policy":
        assert seen["dialogs"] == [] and seen["outside"] == [] and seen["csp"], seen
    else:
        assert seen["dialogs"] == ["1"] and seen["outside"] == ["http://evil.test/pixel.gif"], seen
