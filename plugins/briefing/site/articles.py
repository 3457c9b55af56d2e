"""The only module that builds or changes Pelican content: each Briefing becomes an Article, and
an editor's own pages go through the one HTML cleaner like everything else."""

import ctypes
import html
import logging
import multiprocessing
import os
from datetime import date, time
from functools import cache
from types import SimpleNamespace
from urllib.parse import urljoin

from markupsafe import Markup
from pelican.contents import Article, Content, Static
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime, order_content

from ..core import images
from ..core.machine import cores
from ..core.sanitize import clean_html
from ..core.text import clean_name, clean_text
from .cache import Bodies
from .outputs import page_renderer, write_page
from .settings import LINK_KINDS, url_for

logger = logging.getLogger(__name__)


class BriefingArticle(Article):
    """An Article whose HTML may link {actor}id, {issue}id and {briefing}YYYY-MM-DD, its body on disk.

    Pelican resolves these like its own {filename} links, per page for relative URLs and
    absolute in feeds, so one rendering of a briefing serves its page and every feed. The body is
    read when a page or feed prints it and never kept: a build holds every briefing at once.
    """

    def __init__(self, bodies, key, **kwargs):
        super().__init__("", **kwargs)
        self._bodies, self.body_key = bodies, key

    def get_content(self, siteurl):
        flag, body = (text := self._bodies.read(self.body_key))[0], text[1:]
        body = body.replace(_HERE, _site_prefix(self.settings, siteurl))
        return body if flag == _DONE else self._update_content(body, siteurl)

    def _link_replacer(self, siteurl, m):
        what, key = m.group("what"), m.group("value")
        if what not in LINK_KINDS:
            return super()._link_replacer(siteurl, m)
        if not _exists(self._context["briefing_digest"], what, key):
            # Only an editor's hand-written link can miss; ours always point at something real.
            logger.warning("briefing: the briefing of %s links to an unknown %s %r", self.slug, what, key)
            return m.group(0)
        target = url_for(self.settings, what, key)
        if self.settings["RELATIVE_URLS"]:
            origin = os.path.join(siteurl, target)
        else:
            origin = urljoin(siteurl if siteurl.endswith("/") else siteurl + "/", target)
        return f"{m.group('markup')}{m.group('quote')}{origin}{m.group('quote')}"


# A body is kept with each link of ours already made site-relative behind _HERE, which a page or
# feed replaces with its site URL in one pass. Its first character says whether anything (an
# editor's {static} link, a link to an unknown actor) is left for Pelican's link replacer.
# clean_text keeps NUL out of every text, so the only NULs in a body are the marks.
_HERE, _PELICAN, _DONE = "\0", "P", "-"


def content_href(settings, kind, key):
    """A body's link to a briefing, actor or issue: marked site-relative, or left to the replacer."""
    target = url_for(settings, kind, key)
    return _HERE + target if _concatenates(target) else f"{{{kind}}}{key}"


def _site_prefix(settings, siteurl):
    """What joins a site-relative URL onto siteurl exactly as BriefingArticle._link_replacer does."""
    if settings["RELATIVE_URLS"]:
        return os.path.join(siteurl, "")
    return siteurl if siteurl.endswith("/") else siteurl + "/"


@cache  # a few hundred targets, each linked thousands of times
def _concatenates(target):
    """Whether joining target onto any site URL is plain concatenation (no scheme, no dot segments)."""
    return (
        not target.startswith("/")
        and all(urljoin(base, target) == base + target for base in ("https://h.invalid/p/", "/"))
        and os.path.join("p", target) == "p/" + target
    )


def _prepare(body, settings, digest):
    """The body as kept: each link an editor wrote to a known briefing, actor or issue marked as the
    template marks its own (content_href), the rest flagged for Pelican's link replacer."""
    if "{" not in body and "%7b" not in body.lower():  # no link left to resolve: most bodies
        return _DONE + body
    links = Content._get_intrasite_link_regex(SimpleNamespace(settings=settings))

    def mark(m):
        what, key = m.group("what"), m.group("value")
        if what in LINK_KINDS and _exists(digest, what, key):
            target = url_for(settings, what, key)
            if _concatenates(target):
                return f"{m.group('markup')}{m.group('quote')}{_HERE}{target}{m.group('quote')}"
        return m.group(0)

    body = links.sub(mark, body)
    return (_PELICAN if links.search(body) else _DONE) + body


def clean(content):
    """Clean a page or article that Pelican read from an editor's file, as notes are cleaned: the
    text rule on every string, the one HTML cleaner on the body and summary.

    Python-Markdown passes raw HTML through, scripts and javascript: links included.
    """
    if isinstance(content, BriefingArticle | Static):
        return  # built here from cleaned parts; a static file is copied, never shown as text
    if hasattr(content, "image_problems"):
        return  # cleaned already: pagecheck cleans what it reads, the plugin registered or not
    for key, value in content.metadata.items():
        if isinstance(value, str):
            content.metadata[key] = clean_name(value) if key == "title" else clean_text(value)
            if key not in ("url", "save_as"):  # Pelican keeps these two as override_url, override_save_as
                setattr(content, key, content.metadata[key])
    # The site's files, given to the build's context by the briefing generator (and to pagecheck's),
    # say which images the page may show; the problems are pagecheck's to report.
    files = content._context.get("briefing_files")
    body = clean_html(clean_text(content._content), images=files is not None)
    content.image_problems = []
    if files is not None:
        source = os.path.join(files.folder, content.relative_source_path)
        body, content.image_problems = images.place(body, source, files)
    content._content = Markup(body)
    # Pelican's templates print titles as HTML; an editor's title is text, shown as written.
    content.title = html.escape(content.metadata.get("title", ""))
    if "summary" in content.metadata:
        content.metadata["summary"] = content._summary = clean_html(content.metadata["summary"])


def _exists(digest, what, key):
    if what == "briefing":
        try:
            date.fromisoformat(key)
        except ValueError:
            return False
        return True
    return key in (digest.actors if what == "actor" else digest.issues)


def _title(briefing):
    if briefing.notes:
        return briefing.notes[0].title
    return f"Briefing for {briefing.date:%-d %B %Y}"


def _summary(briefing, digest):
    summaries = [n.summary for n in briefing.notes if n.summary]
    if summaries:
        return summaries[0]
    names = [digest.actors[a].name for a in briefing.actors[:4]]
    count = len(briefing.mentions)
    about = f" mentioning {', '.join(names)}" if names else ""
    return f"{count} news item{'s' if count != 1 else ''}{about}."


def inject(generator):
    """Add one Article per briefing before Pelican builds its taxonomies, archives and feeds."""
    digest = generator.context.get("briefing_digest")
    if digest is None:
        return
    settings = generator.settings
    reader = BaseReader(settings)
    bodies = Bodies(settings, digest, generator.context["briefing_dead_links"])
    by_date, missing = {}, []
    for briefing in digest.briefings:
        raw = {
            "title": html.escape(_title(briefing)),
            "category": settings["BRIEFING_CATEGORY"],
            "tags": sorted({t for n in briefing.notes for t in n.tags}),
            "slug": briefing.date.isoformat(),
        }
        metadata = {k: reader.process_metadata(k, v) for k, v in raw.items() if v}
        metadata |= {
            # What Pelican's reader makes of "YYYY-MM-DD", without parsing it again for each briefing.
            "date": SafeDatetime.combine(briefing.date, time()),
            # Pelican's summary is HTML: the text, escaped; the theme gives it its paragraph.
            "summary": html.escape(_summary(briefing, digest)),
            "url": url_for(settings, "briefing", briefing.date),
            # Empty, so that Pelican's writer skips the page: write_pages writes it, one at a time.
            "save_as": "",
            "page_save_as": settings["BRIEFING_SAVE_AS"].format(date=briefing.date),
            "template": "briefing",
            "briefing": briefing,
        }
        corrections = [c for n in briefing.notes for c in n.corrections]
        if corrections:
            # The feed entry keeps its id and gets an <updated> time: corrected, not duplicated.
            metadata["modified"] = max(c.time for c in corrections)
        key = bodies.key(briefing)
        if bodies.missing(key):
            missing.append((key, briefing))
        source = os.path.join(generator.path, settings["BRIEFING_NOTES_DIR"], f"{briefing.date}.briefing")
        article = BriefingArticle(
            bodies, key, metadata=metadata, settings=settings, source_path=source, context=generator.context
        )
        if not article.is_valid():
            raise RuntimeError(f"briefing {briefing.date} is not a valid article")  # a bug, not bad content
        by_date[briefing.date] = article
    _render_bodies(generator, bodies, missing)
    bodies.prune()
    generator.context["briefing_site_hash"] = bodies.site
    generator.context["briefing_bodies_rendered"] = len(missing)
    generator.articles = order_content(
        [*generator.articles, *by_date.values()], order_by=settings["ARTICLE_ORDER_BY"]
    )
    generator.context["briefing_articles"] = by_date


# Below this many bodies to render, forking workers costs more than it saves.
POOL_MIN = 40
_job = {}  # what a forked worker renders, set before the pool forks: nothing is pickled but indexes
_malloc_trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's; elsewhere nothing to call


def _release_free_memory():
    """Hand the C heap's free pages back to the system. Loading frees hundreds of MB (a cold ten-year
    load, 140 MB) between what it keeps, so the heap cannot shrink by itself: every page of it stays
    in the build's memory and in that of each worker forked from it."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def _on_every_core(work, count):
    """Call work(0) .. work(count - 1), in forked workers when they are many (see _job)."""
    cpus = cores()
    if count < POOL_MIN or cpus < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(index) for index in range(count)]
    with multiprocessing.get_context("fork").Pool(cpus) as pool:
        return pool.map(work, range(count), chunksize=8)


def _render_bodies(generator, bodies, missing):
    """Render and store the bodies of `missing` (key, briefing) pairs, on every core when they are many."""
    _release_free_memory()
    template = generator.get_template("briefing_body")
    _job.update(generator=generator, bodies=bodies, missing=missing, template=template)
    try:
        bodies.add(_on_every_core(_render_body, len(missing)))
    finally:
        _job.clear()


def _render_body(index):
    generator, (key, briefing) = _job["generator"], _job["missing"][index]
    body = _job["template"].render({**generator.context, "briefing": briefing, "in_content": True})
    return _job["bodies"].write(key, _prepare(body, generator.settings, generator.context["briefing_digest"]))


def write_pages(generator, outputs):
    """Write each briefing's page, as Pelican's writer would have written it: the pages the cache
    lacks are rendered into it first, on every core, then each is put in place."""
    template = generator.get_template("briefing")
    context, relative = generator.context, generator.settings["RELATIVE_URLS"]
    pages = []
    for article in context.get("briefing_articles", {}).values():
        # The body's key covers the briefing, its neighbours' dates and the site's settings and theme.
        shown = (article.body_key, article.title, article.summary, article.metadata.get("modified"))
        inputs = ("page", shown)
        kwargs = {"article": article, "category": article.category, "url": article.url, "blog": True}
        pages.append((article.page_save_as, inputs, kwargs, outputs.key(article.page_save_as, inputs)))
    missing = [page for page in pages if page[3] is not None and outputs.missing(page[3])]
    _job.update(context=context, template=template, relative=relative, outputs=outputs, missing=missing)
    try:
        outputs.rendered(_on_every_core(_render_page, len(missing)))
    finally:
        _job.clear()
    for name, (_, shown), kwargs, _ in pages:
        write_page(outputs, context, name, template, relative, shown, **kwargs)


def _render_page(index):
    name, _, kwargs, key = _job["missing"][index]
    _, render = page_renderer(_job["context"], name, _job["template"], _job["relative"], **kwargs)
    _job["outputs"].store(key, render(), name)
    return key
