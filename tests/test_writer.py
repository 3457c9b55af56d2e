"""Pelican's own listing pages and site feeds in a warm build: the files a cold build writes, each
put in place from the cache only while what it shows is unchanged."""

import os
import shutil
from datetime import datetime

import pytest
from conftest import ROOT, build, write
from pelican import signals
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import order_content
from pelican.writers import FileOverwriteFailedError, Writer
from test_build import council, replace_in, same_file  # noqa: F401 - council is a fixture

from briefing.site.writer import CachingWriter

CACHED = {"DEFAULT_PAGINATION": 2}  # every listing paginated over several pages


def cached(tmp_path):
    return {**CACHED, "CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}


def files_of(site):
    return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts)


def assert_same_site(cold, warm):
    names = files_of(cold)
    assert names == files_of(warm)
    for name in names:
        assert (cold / name).read_bytes() == (warm / name).read_bytes(), name


def listing_pages(site):
    """Pelican's index pages, archives, period archives and site feeds of a built site."""
    return [
        *site.glob("index*.html"),
        site / "briefings/index.html",
        *site.glob("briefings/[0-9][0-9][0-9][0-9]/index.html"),
        *site.glob("briefings/[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"),
        *site.glob("feeds/all.*.xml"),
    ]


@pytest.mark.parametrize("relative", [True, False])
def test_a_warm_build_writes_every_listing_page_and_feed_as_a_cold_one(tmp_path, relative):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    urls = {} if relative else {"SITEURL": "https://x.test/d", "RELATIVE_URLS": False}
    first = build(tmp_path / "content", tmp_path / "first", **cached(tmp_path), **urls)
    warm = build(tmp_path / "content", tmp_path / "warm", **cached(tmp_path), **urls)
    cold = build(tmp_path / "content", tmp_path / "cold", **CACHED, **urls)
    assert_same_site(cold, warm)
    kept = len(list((tmp_path / "cache/briefing-listings").iterdir()))
    pages = listing_pages(first)
    assert len(list(first.glob("index*.html"))) >= 5  # 13 briefings, two a page
    assert all(same_file(p, warm / p.relative_to(first)) for p in pages)  # linked, not rendered
    # An edited body: the warm build still writes what a cold one does, the sitemap included.
    note = tmp_path / "content/notes/2025-03-13-putin-conditions.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    warm = build(tmp_path / "content", tmp_path / "warm2", **cached(tmp_path), **urls)
    cold = build(tmp_path / "content", tmp_path / "cold2", **CACHED, **urls)
    assert_same_site(cold, warm)
    assert "A line added later." in (warm / "feeds/all.atom.xml").read_text(encoding="utf-8")
    # The index pages that list other briefings are those the first build wrote.
    assert same_file(first / "index7.html", warm / "index7.html")
    # The cache keeps what the last build wrote, not every version: the outputs it replaced are gone.
    assert len(list((tmp_path / "cache/briefing-listings").iterdir())) == kept


# A theme whose index pages show the bodies of the briefings on each page, and on every page the title
# and summary of the newest: what a page is given, whole, and any article's listing fields.
INDEX = """
    {% extends "base.html" %}
    {% block content %}{% for a in articles_page.object_list %}{{ a.content|safe }}{% endfor %}
    <aside>Latest: {{ articles[0].title|safe }}. {{ articles[0].summary|safe }}</aside>{% endblock %}
"""


def theme(folder):
    write(folder, {"theme/index.html": INDEX})
    return {"THEME_TEMPLATES_OVERRIDES": [str(folder / "theme")]}


def test_a_title_changed_reaches_every_listing_page_and_feed(council):  # noqa: F811
    first = build(council / "content", council / "out1", **cached(council), **theme(council))
    replace_in(council / "content/notes/2024-11-07.yml", "title: Union answers", "title: Union refuses")
    warm = build(council / "content", council / "out2", **cached(council), **theme(council))
    assert_same_site(build(council / "content", council / "cold", **CACHED, **theme(council)), warm)
    pages = listing_pages(warm)
    assert len(pages) == 2 + 1 + 1 + 1 + 2  # two index pages, archives, a year, a month, two feeds
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Union refuses" in text and "Union answers" not in text, page
    assert "Union answers" in (first / "index2.html").read_text(encoding="utf-8")


class Extra:
    """An ordinary Pelican article, as another plugin or reader gives one, its body set by the test."""

    def __init__(self, **metadata):
        self.body, self.metadata = "<p>First body.</p>", metadata

    def add(self, generator):
        article = Article(
            self.body,
            metadata={
                "title": "An ordinary article",
                "date": datetime(2024, 11, 8),
                "save_as": "",
                **self.metadata,
            },
            settings=generator.settings,
            source_path=os.path.join(generator.path, "extra.md"),
            context=generator.context,
        )
        order = generator.settings["ARTICLE_ORDER_BY"]
        generator.articles = order_content([*generator.articles, article], order_by=order)

    def build(self, folder, name, **options):
        signals.article_generator_pretaxonomy.connect(self.add)
        try:
            return build(folder / "content", folder / name, **options, **theme(folder))
        finally:
            signals.article_generator_pretaxonomy.disconnect(self.add)


def test_an_ordinary_articles_new_body_reaches_every_page_that_shows_it(council):  # noqa: F811
    # Without a summary Pelican cuts one from the body: the newest's summary is on every index page.
    extra = Extra()
    extra.build(council, "out1", **cached(council))
    extra.body = "<p>Second body.</p>"
    warm = extra.build(council, "out2", **cached(council))
    assert "<p>Second body.</p><section" in (warm / "index.html").read_text(encoding="utf-8")
    assert "Latest: An ordinary article. <p>Second body.</p>" in (warm / "index2.html").read_text(
        encoding="utf-8"
    )
    assert_same_site(extra.build(council, "cold", **CACHED), warm)


def test_an_ordinary_articles_body_changes_only_the_page_it_is_listed_on(council):  # noqa: F811
    # With a summary, only the page given the article shows its body.
    extra = Extra(summary="Always the same.")
    first = extra.build(council, "out1", **cached(council))
    extra.body = "<p>Second body.</p>"
    warm = extra.build(council, "out2", **cached(council))
    index = (warm / "index.html").read_text(encoding="utf-8")
    assert "Second body." in index and "First body." not in index
    assert same_file(first / "index2.html", warm / "index2.html")
    assert_same_site(extra.build(council, "cold", **CACHED), warm)


def test_a_warm_build_sends_the_signals_a_cold_one_sends(council):  # noqa: F811
    """Plugins that follow what is written (search, sitemap) see every page and feed either way."""

    def record(options):
        sent = []
        receivers = {
            signals.content_written: lambda path, context: sent.append(
                ("page", path, context["output_file"])
            ),
            signals.feed_generated: lambda context, feed: sent.append(("built", feed.feed["feed_url"])),
            signals.feed_written: lambda path, context, feed: sent.append(("feed", path, len(feed.items))),
        }
        for signal, receiver in receivers.items():
            signal.connect(receiver)
        try:
            build(council / "content", council / "out", **options)
        finally:
            for signal, receiver in receivers.items():
                signal.disconnect(receiver)
        # The actors', issues' and change feeds are the plugin's own, built only when their entries change.
        ours = ("/feeds/actors/", "/feeds/issues/", "/feeds/changes.")
        return sorted(s for s in sent if not any(feed in s[1] for feed in ours))

    build(council / "content", council / "out", **cached(council))
    warm, cold = record(cached(council)), record(CACHED)
    assert warm == cold
    assert ("feed", str(council / "out/feeds/all.atom.xml"), 3) in warm
    assert ("page", str(council / "out/index2.html"), "index2.html") in warm


def test_the_caching_writer_keeps_pelicans_rule_of_one_write_per_file(tmp_path):
    """What _claim answers is what Pelican's own writer does (Writer._open_w) for the same writes."""
    settings = {**DEFAULT_CONFIG, "CACHE_CONTENT": False}
    ours, pelicans = CachingWriter(str(tmp_path), settings), Writer(str(tmp_path), settings)
    path = str(tmp_path / "index.html")

    def outcome(claim, override):
        try:
            return claim(override)
        except FileOverwriteFailedError:
            return "refused"

    def pelicans_claim(override):
        with pelicans._open_w(path, "utf-8", override) as f:
            return f.name != os.devnull

    answers = [outcome(lambda o: ours._claim(path, o), o) for o in (False, False, True, False, True)]
    assert answers == [outcome(pelicans_claim, o) for o in (False, False, True, False, True)]
    assert answers == [True, "refused", True, False, "refused"]
