"""The briefing digest: dated briefings with actor and position tables, built from notes and feeds."""

from pelican import signals

from .site import articles, feeds, pages, search, settings, sitemap, taxonomy, writer


def register():
    signals.initialized.connect(settings.initialize)
    signals.get_generators.connect(pages.get_generators)
    signals.generator_init.connect(pages.add_filters)
    signals.content_object_init.connect(articles.clean)
    signals.feed_generated.connect(feeds.finish_feed)
    # Before taxonomies: injected any later, briefings would miss categories, archives and feeds.
    signals.article_generator_pretaxonomy.connect(articles.inject)
    signals.article_generator_pretaxonomy.connect(taxonomy.share)
    signals.article_generator_finalized.connect(taxonomy.skip_unwritten)
    signals.article_generator_init.connect(taxonomy.group_period_archives)
    signals.all_generators_finalized.connect(pages.write_briefings)
    # Pelican's listing pages and site feeds, put in place from the cache while unchanged.
    signals.all_generators_finalized.connect(writer.remember)
    signals.get_writer.connect(writer.get_writer)
    # After every page is written, so the index covers the whole site.
    signals.content_written.connect(search.written)
    signals.content_written.connect(sitemap.written)
    signals.finalized.connect(sitemap.write)
    signals.finalized.connect(search.index)
