"""Editors' Pelican pages (content/pages/) read as the build reads them, without building: every
value that becomes a URL, a path or a template checked, and no page where the site writes its own."""

import os
import re

from pelican.contents import Page
from pelican.readers import Readers
from pelican.settings import DEFAULT_CONFIG

from ..core import images, safefile
from ..core.problems import ContentError, Problem
from .articles import clean

# What may become a path under output/ or a URL in every page's menu: no quote, space or <>.
SAFE_PATH = re.compile(r"^[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)*/?$")
PATH_RULE = "letters, digits, - _ . and /, relative (no leading /, no ..), e.g. about/index.html"
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
STATUSES = ("published", "hidden", "draft")
# Written by tools whose output is not named by a setting: Pagefind's index, GitHub Pages' files.
TOOL_PATHS = ("pagefind/", "CNAME", ".nojekyll")


def ours(settings, path):
    """The plugin's own folders under the content folder, which are no static files or pages."""
    folders = ("BRIEFING_DATA_DIR", "BRIEFING_NOTES_DIR", "BRIEFING_ARCHIVE_DIR")
    return [os.path.join(path, settings[k]) for k in folders]


def problems(settings, path, root, files):
    """Every problem of the pages and stray articles Pelican would read from path; `files`, the
    site's static files (images.static_files), which a page may show."""
    settings = {**DEFAULT_CONFIG, **settings, "CACHE_CONTENT": False}
    found = []
    mine = ours(settings, path)
    pages = [os.path.join(path, p) for p in settings["PAGE_PATHS"]]
    readers = Readers(settings)
    suffixes = tuple(f".{e}" for e in readers.extensions)
    static = {os.path.join(path, p) for p in settings["STATIC_PATHS"]}
    for folder in settings["ARTICLE_PATHS"]:
        for file in safefile.walk(os.path.join(path, folder), root, found, skip=[*mine, *pages, *static]):
            if file.endswith(suffixes):
                found.append(
                    Problem(
                        os.path.relpath(file, root),
                        None,
                        "Pelican would publish this file as an article, which this site has no page for",
                        "move it to content/pages/ for a page, or write it as a note in content/notes/",
                    )
                )
    written = {}
    reserved = _reserved(settings)
    for folder in pages:
        for file in safefile.walk(folder, root, found, skip=mine):
            if file.endswith(suffixes):
                found.extend(_page(file, path, root, settings, readers, reserved, written, files))
    return found


def _page(file, path, root, settings, readers, reserved, written, files):
    rel = os.path.relpath(file, root)
    try:
        text = safefile.read_text(file, root)
    except ContentError as e:
        return e.problems
    context = {"briefing_files": files}  # as the build gives it: articles.clean places the images
    try:
        page = readers.read_file(path, os.path.relpath(file, path), content_class=Page, context=context)
    except Exception as e:  # a reader fails on bad metadata with whatever it raises
        return [Problem(rel, None, f"Pelican cannot read this page ({e})", "fix the line it names")]
    clean(page)  # as content_object_init does in a build; invoke check registers no plugin
    found = [Problem(rel, images.line_of(text, src, 1), what, fix) for src, what, fix in page.image_problems]

    def error(key, message, fix):
        found.append(Problem(rel, _line(text, key) or _line(text, "title") or 1, message, fix))

    _metadata(page, settings, error)
    if not found:
        _place(page, rel, reserved, written, error)
    return found


def _metadata(page, settings, error):
    """Report each metadata value of the page that cannot become its URL, path or template."""
    meta = page.metadata
    for key in ("url", "save_as"):
        value = meta.get(key)
        if isinstance(value, str) and value and (not SAFE_PATH.match(value) or ".." in value.split("/")):
            error(key, f"{key} {value!r} is not a safe relative path", f"use {PATH_RULE}")
    if "title" not in meta:
        error("title", "this page has no title", "add a line 'Title: ...' at the top")
    elif "slug" in meta and not SLUG.match(str(meta["slug"])):
        error(
            "slug",
            f"slug {meta['slug']!r} is not usable in an address",
            "use lowercase letters, digits and -",
        )
    elif not SLUG.match(getattr(page, "slug", "") or ""):
        error("title", "the title gives this page no usable address", "add a line 'Slug: some-name'")
    if "status" in meta and meta["status"] not in STATUSES:
        error("status", f"unknown status {meta['status']!r}", f"use one of: {', '.join(STATUSES)}")
    templates = settings["BRIEFING_PAGE_TEMPLATES"]
    if "template" in meta and meta["template"] not in templates:
        error(
            "template", f"unknown page template {meta['template']!r}", f"use one of: {', '.join(templates)}"
        )


def _place(page, rel, reserved, written, error):
    """Report a page written where the site writes its own files, or where another page is."""
    meta = page.metadata
    save_as = os.path.normpath(page.save_as) if page.save_as else ""
    key = "save_as" if "save_as" in meta else "slug" if "slug" in meta else "title"
    clash = _clash(save_as, reserved)
    if clash:
        error(
            key,
            f"this page would be written to {save_as}, among the site's own files ({clash})",
            "give it another title, or add a line 'Slug: another-name'",
        )
    elif save_as in written:
        error(
            key, f"this page would be written to {save_as}, as {written[save_as]} is", "give it another slug"
        )
    elif save_as:
        written[save_as] = rel


def _line(text, key):
    """The line of a metadata key: 'Key:' in Markdown or reST, <meta name="key"> in HTML."""
    key = re.escape(key)
    found = re.search(rf"^\s*:?{key}\s*:|<meta\s+name=[\"']{key}[\"']", text, re.IGNORECASE | re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _reserved(settings):
    """The folders and files the site writes itself, from the settings that name them."""
    paths = [
        v
        for k, v in settings.items()
        if isinstance(v, str)
        and (k.endswith(("_SAVE_AS", "_FEED_ATOM", "_FEED_RSS")) or k in ("FEED_ALL_ATOM", "FEED_ALL_RSS"))
        and not k.startswith(("PAGE_", "DRAFT_", "ARTICLE_"))
    ]
    paths += [settings.get(f"{t.upper()}_SAVE_AS", f"{t}.html") for t in settings["DIRECT_TEMPLATES"]]
    paths += [f"{settings['THEME_STATIC_DIR']}/", f"{settings['BRIEFING_DATA_PATH']}/", *TOOL_PATHS]
    paths += [f"{p}/" for p in settings["STATIC_PATHS"] if p]
    if isinstance(settings.get("SITEMAP"), dict):
        paths.append(f"sitemap.{settings['SITEMAP'].get('format', 'xml')}")
    reserved = {}
    for p in filter(None, paths):
        head = p.split("/")[0]
        if "{" not in head:
            reserved.setdefault(head if "/" in p else f"={p}", p)
    return reserved


def _clash(save_as, reserved):
    """What of the site's own output save_as would overwrite or sit among, or None."""
    head = save_as.split("/")[0]
    return reserved.get(f"={save_as}") or (reserved.get(head) if "/" in save_as else None)
