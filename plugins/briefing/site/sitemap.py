"""sitemap.xml, the same for the same content: each page's lastmod is the date of its newest content.

Replaces the pelican-sitemap plugin, which stamped every generated page with the build's clock,
with its URLs and its SITEMAP setting (exclude, priorities, changefreqs).
"""

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.request import pathname2url
from xml.sax.saxutils import escape

from pelican.contents import Article, Page

from .outputs import real_path

logger = logging.getLogger(__name__)

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd"
xmlns:xhtml="http://www.w3.org/1999/xhtml"
xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
"""
FOOTER = "\n</urlset>\n"
# pelican-sitemap's defaults, for what SITEMAP leaves out.
CHANGEFREQS = {"articles": "monthly", "pages": "monthly", "indexes": "daily"}
PRIORITIES = {"articles": 0.5, "pages": 0.5, "indexes": 0.5}


@dataclass(frozen=True)
class Entry:
    """One written page as the sitemap lists it."""

    url: str  # relative to SITEURL, without a trailing index.html
    kind: str  # a key of CHANGEFREQS
    lastmod: datetime | None  # None: the site has no dated content yet
    listed: bool  # False for drafts and private content


_written = {}  # real path of each page written by the build under way -> its Entry
# id of a list of articles -> (the list, its newest): Pelican's index pages share one list of
# every article, and each would otherwise look through all of them. The list is kept so its id stays its own.
_newest = {}


def newest(articles):
    """The latest date or correction of these articles (briefings); None for none."""
    known = _newest.get(id(articles))
    if known is None or known[0] is not articles:
        value = max((a.modified if getattr(a, "modified", None) else a.date for a in articles), default=None)
        known = _newest[id(articles)] = (articles, value)
    return known[1]


def entry(url, context):
    """The Entry of a page written with that template context."""
    content = context.get("article") or context.get("page")
    if isinstance(content, Article | Page):
        url = content.url
        kind = "articles" if isinstance(content, Article) else "pages"
        own = getattr(content, "modified", None) or getattr(content, "date", None)
        listed = content.status == "published" and getattr(content, "private", "") != "True"
    else:
        kind, own, listed = "indexes", None, True
    # An actor's or issue's page: the briefings it lists; any other page: the articles in its
    # context (a period archive's own, elsewhere all of them), so the newest briefing.
    lastmod = own or newest(context.get("briefing_articles_of") or context.get("dates") or ())
    return Entry(re.sub(r"(?:^|(?<=/))index\.html$", "", url), kind, lastmod, listed)


def written(path, context):
    """Note a page as Pelican's writer (or the plugin) writes it."""
    output = context.get("OUTPUT_PATH", "")
    # A page's path is its output folder's, joined: cut it off, cheaper than relpath.
    name = path[len(output) + 1 :] if path.startswith(output + os.sep) else os.path.relpath(path, output)
    _written[real_path(path)] = entry(pathname2url(name), context)


def render(entries, siteurl, config):
    """The sitemap of these entries, sorted by URL, without those SITEMAP excludes."""
    changefreqs = CHANGEFREQS | config.get("changefreqs", {})
    priorities = PRIORITIES | config.get("priorities", {})
    excluded = [re.compile(pattern) for pattern in config.get("exclude", ())]
    shown = sorted(
        (e for e in entries if e.listed and not any(p.search(e.url) for p in excluded)), key=lambda e: e.url
    )
    parts = [HEADER]
    for e in shown:
        lastmod = f"<lastmod>{_w3c(e.lastmod)}</lastmod>\n" if e.lastmod else ""
        parts.append(
            f"\n<url>\n<loc>{escape(f'{siteurl}/{e.url}')}</loc>\n{lastmod}"
            f"<changefreq>{changefreqs[e.kind]}</changefreq>\n<priority>{priorities[e.kind]}</priority>\n</url>\n"
        )
    parts.append(FOOTER)
    return "".join(parts)


def write(pelican):
    """Write OUTPUT_PATH/sitemap.xml from the pages this build wrote."""
    output = os.path.realpath(pelican.output_path)
    entries = [e for path, e in _written.items() if path.startswith(output + os.sep)]
    _written.clear()
    _newest.clear()
    text = render(entries, pelican.settings["SITEURL"], pelican.settings.get("SITEMAP", {}))
    with open(os.path.join(output, "sitemap.xml"), "w", encoding="utf-8") as f:
        f.write(text)


def _w3c(moment):
    """2025-03-02T00:00:00+00:00: W3C datetime, as pelican-sitemap wrote it."""
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "-00:00"
    return moment.isoformat(timespec="seconds")
