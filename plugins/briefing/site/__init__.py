"""The Pelican glue: the briefings as articles, the plugin's pages, feeds, open data and search,
its settings, and the caches that make a build cost what changed."""
