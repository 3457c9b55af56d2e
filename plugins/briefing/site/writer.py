"""Pelican's own outputs (its index pages, archives and other direct templates, period archives, tag,
category and author pages, and the site's feeds) put in place from the output cache while what they
show is unchanged: at ten years they are hundreds of pages, rendered again by every build.

A page's key covers the site (settings, theme, code: briefing_site_hash), one digest a build of the
listing fields of every article and page (url, save_as, title, date, status, language, category, tags,
authors, translations and all other metadata, the summary or, without one, the text it is cut from),
the static files' URLs, the last ingestion, then the page's own name, template, pagination (number and
count), the arguments Pelican gives it, and the whole of the articles it is given to show: its page of
each paginated list, or the lists themselves when not paginated (for a briefing its body_key, for any
other article its text). A feed is built as Pelican builds it and keyed by all it holds.

So a theme's templates for these pages may show the settings, any article's or page's listing fields
and what Pelican builds from them (its taxonomies, period archives, paginators), the last ingestion,
and the body only of the articles a page is given to list: not, say, the newest article's body on
every page of the index, nor the digest's actors, stances and news, which the plugin's own pages
show; the home page (the index's first page) alone may show the scorecard of briefing_home_scorecard.
A briefing's `briefing` stands in its body_key. Every other output is rendered by Pelican's writer
as before, and every page and feed sends the signals Pelican's writer sends.
"""

import hashlib
import io
import logging

from pelican import signals
from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .cache import fingerprint
from .outputs import Outputs, page_context

logger = logging.getLogger(__name__)

_build = {}  # the shared context of the build under way, from all_generators_finalized to its writer
_MISSING = object()
_ATTRIBUTES = ("date", "category", "tags", "author", "authors")  # what templates read off an article
# Lists of the context whose articles and pages, and their translations, are all a site lists.
_LISTS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")


def remember(generators):
    """Keep the context every generator shares for the writer Pelican makes next."""
    _build["context"] = generators[0].context if generators else None


def get_writer(pelican):
    return CachingWriter


class CachingWriter(Writer):
    """Pelican's writer, putting its listing pages and site feeds in place from the output cache."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.shared = _build.pop("context", None)
        self.outputs, self._refs, self._lists = None, {}, {}
        if self.shared is not None and self.settings.get("CACHE_CONTENT"):
            self.outputs = _outputs(self.settings, output_path, self.shared, self._refs)
        if self.outputs is not None:
            signals.finalized.connect(self._finish)

    def _finish(self, pelican):
        signals.finalized.disconnect(self._finish)
        self.outputs.prune()

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        # Pelican names the template of each listing page it writes; the plugin's own pages, which
        # show the digest, and articles' and pages' own pages come without one and are rendered.
        if not name or template_name is None or self.outputs is None:
            args = (relative_urls, paginated, template_name, override_output, url)
            return super().write_file(name, template, context, *args, **kwargs)
        if paginated is None:  # as Pelican's writer does
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        # An article given alone is shown whole (Pelican gives its listing pages none).
        alone = [_whole(v) for v in kwargs.values() if isinstance(v, Content)]
        given = (template.name, template_name, url, self._extras(context), self._plain(kwargs), alone)
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            shown = [self._whole(v) for v in paginated.values()]
            self._write(name, template, context, relative_urls, override_output, kwargs, (given, shown))
            return
        settings = self.settings
        per_page = settings["PAGINATED_TEMPLATES"][template_name] or settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, val, settings, per_page) for key, val in paginated.items()}
        count = next(iter(paginators.values())).num_pages
        for page_num in range(count):
            paginated_kwargs, shown = kwargs.copy(), []
            for key, paginator in paginators.items():
                page = paginator.page(page_num + 1)
                paginated_kwargs.update(
                    {
                        f"{key}_paginator": paginator,
                        f"{key}_page": page,
                        f"{key}_previous_page": paginator.page(page_num) if page_num > 0 else None,
                        f"{key}_next_page": (
                            paginator.page(page_num + 2) if page_num + 1 < paginator.num_pages else None
                        ),
                    }
                )
                shown.append([_whole(c) for c in page.object_list])
            inputs = (given, page_num, count, shown)
            if template_name == "index" and page_num == 0:  # the home page shows the scorecard too
                inputs += (context.get("briefing_home_scorecard"),)
            self._write(
                page.save_as, template, context, relative_urls, override_output, paginated_kwargs, inputs
            )

    def write_feed(
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        if not path or self.outputs is None:
            return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
        # Built as Pelican builds it (feed_generated sent), not written: its key is all it holds.
        args = (feed_type, override_output, feed_title)
        feed = super().write_feed(elements, context, None, url or path, *args)
        complete_path = sanitised_join(self.output_path, path)
        if self._claim(complete_path, override_output):

            def render():
                text = io.StringIO()
                feed.write(text, "utf-8")
                return text.getvalue()

            self.outputs.write(path, ("feed", type(feed).__name__, feed.feed, feed.items), render, page=False)
        signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed

    def _write(self, name, template, context, relative_urls, override, kwargs, inputs):
        """Write one page as Pelican's writer does (its _write_file), from the cache when it can."""
        local = page_context(context, name, relative_urls, **kwargs)
        if local["localsiteurl"]:  # what Pelican's writer leaves in the context, rendered or not
            context["localsiteurl"] = local["localsiteurl"]
        path = sanitised_join(self.output_path, name)
        if self._claim(path, override):
            self.outputs.write(name, ("listing", relative_urls, inputs), lambda: template.render(local))
        signals.content_written.send(path, context=local)

    def _claim(self, path, override):
        """Whether to write path, by Pelican's rule of one write per file (Writer._open_w, its errors
        and skips), without opening it as _open_w does: a file made only to be replaced by a link
        into the cache cost 0.2 s of a warm ten-year build."""
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{path}" a second time')
            logger.info('Skipping "%s", not overwriting', path)
            return False
        if path in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" as Pelican has already written to it'
                )
            logger.info('Overwriting "%s"', path)
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    def _extras(self, context):
        """What a context copied from the shared one adds or changes (a period archive's period)."""
        if context is self.shared:
            return None
        return {
            key: self._plain(value)
            for key, value in context.items()
            # Pelican's writer sets localsiteurl for each page it renders.
            if key != "localsiteurl" and self.shared.get(key, _MISSING) is not value
        }

    def _plain(self, value):
        """value for a key: each article or page as its place in the site-wide digest."""
        if isinstance(value, Content):
            return self._refs.get(id(value)) or _listed(value)
        if isinstance(value, list | tuple):
            found = self._lists.get(id(value))
            if found is None or found[0] is not value:
                found = self._lists[id(value)] = (value, _digest([self._plain(v) for v in value]))
            return found[1]
        if isinstance(value, dict):
            return {k: self._plain(v) for k, v in value.items()}
        return _plain(value)

    def _whole(self, contents):
        """The whole of a list of articles a page is given: kept a build, a list is given many times."""
        key = ("whole", id(contents))
        found = self._lists.get(key)
        if found is None or found[0] is not contents:
            found = self._lists[key] = (contents, _digest([_whole(c) for c in contents]))
        return found[1]


def _digest(value):
    return hashlib.sha256(fingerprint(value)).digest()


def _whole(content):
    """What a page shows of an article it lists beyond its listing fields: its body."""
    return content.source_path, getattr(content, "body_key", None) or content._content


def _plain(value):
    """A metadata value as it can be fingerprinted: a category, tag or author by its name and slug."""
    if isinstance(value, URLWrapper):
        return type(value).__name__, value.name, value.slug
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _listed(content):
    """An article's or page's listing fields: everything about it but its body."""
    metadata = content.metadata
    fields = {k: v if type(v) is str else _plain(v) for k, v in metadata.items() if k != "briefing"}
    for name in _ATTRIBUTES:  # Pelican's defaults (DEFAULT_CATEGORY, AUTHOR) are not in the metadata
        value = getattr(content, name, None)
        if value is not metadata.get(name):
            fields[name] = _plain(value)
    return (
        type(content).__name__,
        content.source_path,
        content.url,
        content.save_as,
        content.title,
        content.status,
        content.lang,
        fields,
        # Without summary metadata Pelican cuts the summary from the text.
        None if "summary" in metadata else content._content,
        [t.source_path for t in content.translations],
    )


def _contents(context):
    """Every article and page of the site, translations included, each once, in a stable order."""
    seen, found = set(), []
    todo = [c for name in _LISTS for c in context.get(name, ())]
    for content in todo:  # each one's translations are met after every other
        if id(content) not in seen:
            seen.add(id(content))
            found.append(content)
            todo.extend(content.translations)
    return found


def _outputs(settings, output_path, context, refs):
    """The output cache of Pelican's listing pages and feeds, its salt the site-wide digest; or None
    when this site cannot be digested (a plugin's metadata that does not pickle)."""
    if not context.get("briefing_site_hash"):  # the settings, theme and code are in every key
        return None
    try:
        contents = _contents(context)
        static = sorted((path, s.url) for path, s in context.get("static_content", {}).items())
        listed = _digest(([_listed(c) for c in contents], static, context.get("briefing_last_ingested")))
    except Exception:  # anything pickle refuses: the site is then written as Pelican writes it
        logger.warning("briefing: Pelican's listing pages are rendered again: their content does not digest")
        return None
    refs.update((id(c), ("content", c.source_path)) for c in contents)
    return Outputs(settings, output_path, context["briefing_site_hash"], listed, "briefing-listings")
