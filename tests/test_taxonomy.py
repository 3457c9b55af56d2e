"""Every briefing carrying a category, tag or author name holds the one object of that name, and
Pelican's taxonomies group them as before."""

import shutil
from collections import defaultdict

import pytest
from conftest import ROOT, build
from pelican import signals
from pelican.generators import ArticlesGenerator


def test_articles_share_one_object_per_category_tag_and_author_name(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    seen = {}

    def keep(generator):
        seen["articles"], seen["tags"] = list(generator.articles), dict(generator.tags)

    signals.article_generator_finalized.connect(keep)
    try:
        output = build(tmp_path / "content", tmp_path / "output", TAG_SAVE_AS="tag/{slug}.html")
    finally:
        signals.article_generator_finalized.disconnect(keep)
    objects = defaultdict(set)
    for article in seen["articles"]:
        for value in [article.category, *getattr(article, "tags", ()), *article.authors]:
            objects[type(value), value.name].add(id(value))
    assert len(seen["articles"]) > 10 and any(kind.__name__ == "Tag" for kind, _ in objects)
    assert all(len(ids) == 1 for ids in objects.values()), objects
    # Each tag lists every briefing that carries it, on its page too.
    for tag, articles in seen["tags"].items():
        assert articles == [a for a in seen["articles"] if tag in getattr(a, "tags", ())]
        page = (output / f"tag/{tag.slug}.html").read_text(encoding="utf-8")
        assert all(a.url in page for a in articles)


@pytest.mark.parametrize(
    "settings, page, feed",
    [
        (
            {
                "TAG_SAVE_AS": "tag/{slug}.html",
                "TAG_URL": "tag/{slug}.html",
                "TAG_FEED_ATOM": "feeds/tag/{slug}.atom.xml",
            },
            "tag/us-minerals-deal.html",
            "feeds/tag/us-minerals-deal.atom.xml",
        ),
        (
            {"CATEGORY_SAVE_AS": "category/{slug}.html", "AUTHOR_FEED_ATOM": "feeds/author/{slug}.atom.xml"},
            "category/briefings.html",
            "feeds/author/the-briefing-desk.atom.xml",
        ),
    ],
)
def test_tag_category_and_author_pages_and_feeds_are_written_when_the_site_asks_for_them(
    tmp_path, settings, page, feed
):
    # This site's settings write none: Pelican is then spared listing their articles.
    shutil.copytree(ROOT / "content", tmp_path / "content")
    output = build(tmp_path / "content", tmp_path / "output", **settings)
    for name in (page, feed):
        assert "briefings/2025/03/11/" in (output / name).read_text(encoding="utf-8")
    default = build(tmp_path / "content", tmp_path / "default")
    assert not (default / page).exists() and not (default / feed).exists()


def test_period_archives_list_the_articles_pelican_itself_lists(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    seen = {}

    def keep(generator):
        seen["generator"] = generator

    signals.article_generator_finalized.connect(keep)
    try:
        build(
            tmp_path / "content",
            tmp_path / "output",
            DAY_ARCHIVE_SAVE_AS="{date:%Y}/{date:%m}/{date:%d}/all.html",
        )
    finally:
        signals.article_generator_finalized.disconnect(keep)
    generator = seen["generator"]
    pelicans = ArticlesGenerator._build_period_archives(
        generator, generator.dates, generator.articles, generator.settings
    )
    assert generator.period_archives == pelicans
    assert pelicans["year"] and len(pelicans["month"]) > 1 and len(pelicans["day"]) > 1
    assert sum(len(archive["articles"]) for archive in pelicans["day"]) == len(generator.articles)
