"""One cleaner for HTML and one rule for URLs."""

import random
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import pytest

from briefing.core.sanitize import _ALREADY_CLEAN, MAX_FIELD, _clean_once, clean_html, excerpt, plain_text
from briefing.core.text import clean_name
from briefing.core.urls import _CONTROL, normalise_link, safe_url


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<svg><script>alert(1)</script></svg>",
        "<noscript><!-- </noscript><img src=x onerror=alert(1)> --></noscript>",
        '<iframe src="https://evil.test/"></iframe>',
    ],
)
def test_nothing_executable_survives(payload):
    cleaned = clean_html(payload).lower()
    for bad in ("<script", "onerror", "javascript:", "style=", "<iframe", "<img", "<svg"):
        assert bad not in cleaned


def test_formatting_and_safe_links_survive():
    cleaned = clean_html('<p>A <strong>b</strong> <a href="https://x.test/">c</a></p>')
    assert (
        cleaned
        == '<p>A <strong>b</strong> <a href="https://x.test/" rel="noopener noreferrer nofollow">c</a></p>'
    )


def test_plain_text_and_excerpt():
    assert plain_text("<p>Tom &amp; Jerry</p><script>x()</script>") == "Tom & Jerry"
    assert excerpt("one two three four", 10) == "one two…"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x.test/a", "https://x.test/a"),
        ("mailto:a@x.test", "mailto:a@x.test"),
        ("javascript:alert(1)", ""),
        (" JAVASCRIPT:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("vbscript:x", ""),
    ],
)
def test_safe_url(url, safe):
    assert safe_url(url) == safe


def test_normalise_link_drops_tracking_and_fragment():
    assert (
        normalise_link("HTTPS://Example.ORG/a?utm_source=x&id=3&fbclid=y#top") == "https://example.org/a?id=3"
    )


def test_markup_nested_too_deeply_to_parse_quickly_is_kept_as_text():
    deep = "<div>" * 10_000 + "<script>alert(1)</script>x &amp; y" + "</div>" * 10_000
    assert clean_html(deep) == "<p>alert(1) x &amp; y</p>"
    assert plain_text(deep) == "alert(1) x & y"
    # Ordinary depth, and paragraphs and list items whose end tags a parser implies, stay HTML.
    assert clean_html("<ul>" + "<li>a" * 1000 + "</ul>").count("<li>") == 1000
    assert clean_html("<blockquote>" * 20 + "q").startswith("<blockquote><blockquote>")


def test_a_field_is_cut_to_a_bounded_length():
    assert len(clean_html("<p>" + "word " * 100_000 + "</p>")) <= MAX_FIELD + len("<p></p>")


def _corpus():
    """Every hostile payload, as it is, nested too deeply to parse and past the length cap, and
    every summary of the sample feeds, with the three that once cleaned differently twice."""
    root = Path(__file__).resolve().parent.parent
    payloads = [
        line
        for line in (root / "tests/hostile/payloads.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    summaries = [
        entry.get("summary", "") + "".join(c.value for c in entry.get("content", []))
        for path in sorted((root / "samples/feeds").iterdir())
        for entry in feedparser.parse(path.read_bytes()).entries
    ]
    deep = [f"{'<div>' * 300}{p}\u00a0it's{'</div>' * 300}" for p in payloads]
    capped = [
        '<a href="https://x.test/?a=1&b=2">l</a> ' * (MAX_FIELD // 30),
        "x" * (MAX_FIELD - 3) + "<b>&</b>",
    ]
    blank_pre = ["<pre>\n\n  code\n</pre>", "<pre>\nx</pre>", "<pre>\n\n\n</pre>"]
    return payloads + summaries + deep + capped + blank_pre


@pytest.mark.parametrize("fragment", _corpus())
def test_cleaning_twice_is_cleaning_once(fragment):
    once = clean_html(fragment)
    assert clean_html(once) == once


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c&d=e#f",
        "http://user:pw@example.org:8080/%7Ex/;p?q=\"'<>{}|^`~",
        "https://xn--bcher-kva.example/",
        "https://example.org:notaport/",
        "https://",
    ],
)
def test_a_plain_web_address_is_kept_as_the_full_check_would_keep_it(url):
    # safe_url takes such an address as it is: the text rule, the control removal and urlsplit agree.
    assert safe_url(url) == url
    assert _CONTROL.sub("", clean_name(url)) == url and urlsplit(url).scheme in ("http", "https")


@pytest.mark.parametrize(
    "url", ["http://[::1/", "http://]x/", "https://a b/", "https://a\u00adb/", "HTTPS://x/"]
)
def test_an_address_off_the_plain_form_gets_the_full_check(url):
    try:
        scheme = urlsplit(_CONTROL.sub("", clean_name(url))).scheme.lower()
    except ValueError:
        scheme = ""
    assert safe_url(url) == (_CONTROL.sub("", clean_name(url)) if scheme in ("http", "https") else "")


def _already_clean_fragments(count, seed):
    """Random fragments of the form clean_html takes as it is, with what the form allows in text."""
    pieces = [
        "a", "word", " ", "  ", "\n", "\t", '"', "'", "é", "e\u0301", "Ω", "東京", "\U0001f600", "\u2028",
        "&amp;", "&lt;", "&gt;", "&nbsp;", "amp;", "/", "=", "!", "?", "#", ";", "-", "]",
    ]  # fmt: skip
    tags = [
        "abbr",
        "b",
        "cite",
        "code",
        "del",
        "em",
        "i",
        "ins",
        "q",
        "s",
        "small",
        "strong",
        "sub",
        "sup",
        "u",
    ]
    rand = random.Random(seed)

    def text():
        return "".join(rand.choice(pieces) for _ in range(rand.randrange(6)))

    def inline():
        tag = rand.choice(tags)
        return text() if rand.random() < 0.5 else f"<{tag}>{text()}</{tag}>"

    for _ in range(count):
        parts = [
            f"<p>{''.join(inline() for _ in range(rand.randrange(4)))}</p>"
            if rand.random() < 0.6
            else inline()
            for _ in range(rand.randrange(5))
        ]
        yield "".join(parts)


def test_what_clean_html_takes_as_it_is_the_cleaner_gives_back_unchanged():
    for fragment in _already_clean_fragments(20_000, seed=12):
        assert _ALREADY_CLEAN.fullmatch(fragment)
        assert _clean_once(fragment) == fragment
        assert clean_html(fragment) == fragment


@pytest.mark.parametrize(
    "fragment",
    [
        "<p><p>nested</p></p>",
        "<b><i>nested</i></b>",
        "<p>a\rb</p>",
        "<p>a\xa0b</p>",
        "<B>upper</B>",
        "<p >space</p>",
        "<p>a > b</p>",
        "<p>&quot;</p>",
        "<b>open",
        "<p>\x1b[31m</p>",
        "<p>\u202eevil</p>",
        "<script>x</script>",
    ],
)
def test_anything_else_is_cleaned_as_before(fragment):
    # Not of the form, or held back by the text rule: the full cleaner (two passes or more) decides.
    out = _clean_once(fragment)
    while out != _clean_once(out):
        out = _clean_once(out)
    assert clean_html(fragment) == out


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a/b-c_d.html",
        "http://example.org:8080/",
        "https://example.org//double/slash;params",
        "https://EXAMPLE.org/Path",
        "https://example.org",
        "https://example.org/a?",
        "https://example.org/a#",
        "https://user@example.org/a",
        "https://[::1]/a",
    ],
)
def test_a_normal_link_is_what_taking_it_apart_and_back_gives(url):
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)])
    expected = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))
    assert normalise_link(url) == expected
