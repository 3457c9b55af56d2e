"""Pelican's categories, tags and authors at ten years: one object per name, shared by every article
that carries it, and no work for those the site writes nothing for.

Pelican slugifies a name the first time its object is hashed, and each briefing comes with objects
of its own: grouping ten years of briefings into categories, tags and authors slugified the same few
names tens of thousands of times. Shared objects are equal to those they replace, so every page is
the same.
"""

from itertools import chain

from pelican.urlwrappers import URLWrapper

_SINGLE, _LISTS = ("category", "author"), ("tags", "authors")


def share(generator):
    """Give each article the first object of each name (article_generator_pretaxonomy, after
    the briefings are added)."""
    first = {}

    def shared(value):
        # An object whose slug was set, or worked out, is left as it is.
        if isinstance(value, URLWrapper) and value._slug is None and value._slug_from_name:
            return first.setdefault((type(value), value.name), value)
        return value

    for article in chain(generator.articles, generator.translations, generator.hidden_articles):
        metadata = article.metadata
        for name in _SINGLE:
            value = getattr(article, name, None)
            if value is not None and (new := shared(value)) is not value:
                setattr(article, name, new)
                if metadata.get(name) is value:
                    metadata[name] = new
        for name in _LISTS:
            values = getattr(article, name, None)
            if isinstance(values, list):
                values[:] = map(shared, values)  # in place: the metadata holds the same list


def skip_unwritten(generator):
    """Leave out of Pelican's output loops the tags, categories and authors that get neither pages
    nor feeds: for each one it lists its articles by date, comparing every article with every other
    (0.5 s for tags at ten years), only to write nothing. The templates' `tags`, `categories` and
    `authors`, set before this signal (article_generator_finalized), stay."""
    settings = generator.settings
    for kind, name, empty in (("TAG", "tags", {}), ("CATEGORY", "categories", []), ("AUTHOR", "authors", [])):
        if not any(settings.get(f"{kind}_{what}") for what in ("SAVE_AS", "FEED_ATOM", "FEED_RSS")):
            setattr(generator, name, empty)


def group_period_archives(generator):
    """Group the articles of Pelican's year, month and day archives in one pass (article_generator_init).

    Pelican lists an archive's articles by testing each article's membership in that period's list of
    dates: at ten years, 27 million comparisons, a tenth of a warm build. Its own grouping is kept
    and given no articles to test; each archive then gets those whose date it holds, in the same
    order (Pelican's content is equal only to itself)."""
    build = generator._build_period_archives

    def grouped(sorted_articles, articles, settings):
        archives = build(sorted_articles, [], settings)
        for periods in archives.values():
            where = {}
            for archive in periods:
                archive["articles"] = []
                where.update(dict.fromkeys(map(id, archive["dates"]), archive["articles"]))
            for article in articles:
                if (found := where.get(id(article))) is not None:
                    found.append(article)
        return archives

    generator._build_period_archives = grouped
