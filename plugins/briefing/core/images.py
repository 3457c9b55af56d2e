"""Images and files of the site's own, as editors' notes and pages show them.

An image is a file of the site (under STATIC_PATHS) that its alt text describes; it is given its
width and height, so that the page does not jump as it loads, and loaded lazily. An image of
another host is never shown (the Content-Security-Policy allows the site's own). The site's files
are served from its own origin, so none may be what a browser runs there: a page, a script, or an
SVG with either in it.
"""

import html
import os
import posixpath
import re
import xml.parsers.expat
from dataclasses import dataclass, field

import imagesize

from . import safefile
from .problems import ContentError, Problem

IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")
# What a browser opens as a page or runs as a script.
RUNNABLE = (
    ".html", ".htm", ".shtml", ".xhtml", ".xht", ".xml", ".xsl", ".xslt", ".svgz", ".js", ".mjs", ".wasm",
)  # fmt: skip
# How a note or page names a file of the site: Pelican's {static} and {attach}, or a relative path.
_LINKED = re.compile(r"^\{(static|attach)\}")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# The cleaner writes every tag and attribute the same way: <img name="value" ...>.
_IMG = re.compile(r"<img\b([^>]*)>")
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")')
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
ALT_FIX = "describe what it shows: ![a map of the front line in March](../images/front-line.png)"


@dataclass(frozen=True)
class Files:
    """The site's static files: the content folder (from the site's root), and each file under
    STATIC_PATHS by its path under that folder, with the (width, height) of an image, else None."""

    folder: str
    sizes: dict = field(hash=False)


def static_files(settings, path, root, skip=()):
    """(Files of the content folder `path`, the problems of those files)."""
    found, problems = {}, []
    for static in settings.get("STATIC_PATHS", ()):
        named = os.path.join(path, static)
        # An entry may name one file (extra/CNAME), which Pelican copies as it does a folder's.
        files = [named] if os.path.isfile(named) else safefile.walk(named, root, problems, skip=skip)
        for file in files:
            rel = os.path.relpath(file, root)
            name = os.path.relpath(file, path).replace(os.sep, "/")
            try:
                with safefile.open_file(file, root, safefile.DATA_MAX_BYTES) as f:
                    found[name] = _size(f, rel, problems) if name.lower().endswith(IMAGES) else None
            except ContentError as e:
                problems.extend(e.problems)
                continue
            if name.lower().endswith(RUNNABLE):
                problems.append(
                    Problem(
                        rel,
                        None,
                        "a browser would open or run this file as part of the site, so it is not published",
                        "publish documents as PDF, images as PNG, JPEG, WebP or SVG without scripts",
                    )
                )
    return Files(os.path.relpath(path, root).replace(os.sep, "/"), found), problems


def _size(f, rel, problems):
    """(width, height) of an image, or None when its header does not say; an SVG is checked first."""
    if rel.lower().endswith(".svg"):
        data = f.read()
        if not _safe_svg(data, rel, problems):
            return None
        f.seek(0)
    width, height = imagesize.get(f)  # an SVG's may be fractional
    return (round(width), round(height)) if width >= 1 and height >= 1 else None


# What an SVG may hold and still be only a picture: no script, no event handler, no embedded page,
# nothing fetched from elsewhere, and no entities (which can multiply a small file into gigabytes).
_SVG_RUNS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}


def _safe_svg(data, rel, problems):
    parser = xml.parsers.expat.ParserCreate()
    found = []

    def refuse(message):
        found.append(Problem(rel, parser.CurrentLineNumber, message, "remove it, or export the image as PNG"))

    def element(name, attributes):
        local = name.rsplit(":", 1)[-1].lower()
        if local in _SVG_RUNS:
            refuse(f"this SVG has a <{name}> element, which a browser runs")
        for key, value in attributes.items():
            short = key.rsplit(":", 1)[-1].lower()
            if short.startswith("on"):
                refuse(f"this SVG has an event handler ({key}), which a browser runs")
            elif short == "href" and not value.strip().startswith("#"):
                refuse(f"this SVG links to {value!r}: it may only refer to its own parts (#id)")
            elif "url(" in value.replace(" ", "").lower() and "url(#" not in value.replace(" ", "").lower():
                refuse(f"this SVG loads {value!r} from elsewhere")

    def entity(*_):
        refuse("this SVG declares an entity, which can make a small file enormous")

    parser.StartElementHandler = element
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        found.append(Problem(rel, e.lineno, f"this SVG is not well-formed XML ({e})", "export it again"))
    problems.extend(found[:5])  # the first few say what to fix
    return not found


def place(fragment, source, files):
    """(the cleaned HTML fragment of the file `source` (its path from the site's root) with each
    image made the site's own, problems as (what the editor wrote, message, fix)).

    An image is kept when it names a file of the site: its source becomes {static}/path (Pelican
    makes that a URL, per page), with its width and height and lazy loading. A link to a file of the
    site (a relative one, or {attach}) becomes {static} too: a briefing's page is not where its
    note is, and has no folder of its own to attach a file to."""
    problems, static = [], files.sizes
    source = posixpath.relpath(source.replace(os.sep, "/"), files.folder)

    def image(match):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        written = html.unescape(attributes.get("src", ""))
        target = _target(written, source)
        if target is None:
            # The cleaner leaves no src of a data: or javascript: address: nothing to quote then.
            what = (
                f"{written!r} is not a file of this site"
                if written
                else "this image is not a file of this site"
            )
            problems.append((written, what, _PUT))
            return ""
        if target not in static:
            problems.append((written, f"there is no file {target} among the site's static files", _WHERE))
            return ""
        if not html.unescape(attributes.get("alt", "")).strip():
            problems.append((written, "this image has no alt text", ALT_FIX))
        kept = {"src": html.escape(f"{{static}}/{target}"), "alt": attributes.get("alt", "")}
        if "title" in attributes:
            kept["title"] = attributes["title"]
        if static[target]:
            kept["width"], kept["height"] = map(str, static[target])
        kept |= {"loading": "lazy", "decoding": "async"}
        return "<img " + " ".join(f'{key}="{value}"' for key, value in kept.items()) + ">"

    def link(match):
        written = html.unescape(match.group(2))
        target = _target(written, source)
        if target not in static:
            return match.group(0)
        return match.group(1) + html.escape(f"{{static}}/{target}") + match.group(3)

    return _HREF.sub(link, _IMG.sub(image, fragment)), problems


_PUT = "put it under content/images/ and write its path from here: ../images/map.png"
_WHERE = "check the file's name, and that its folder is in STATIC_PATHS (pelicanconf.py)"


def _target(written, source):
    """The path under the content folder that an editor's src or href names, or None when it names
    no file of the site: another host, an absolute path, a data: or javascript: address."""
    linked = _LINKED.match(written)
    path = written[linked.end() :] if linked else written
    path = path.split("#", 1)[0].split("?", 1)[0]
    if not path or (not linked and (path.startswith(("/", "#")) or _SCHEME.match(path))) or "\\" in path:
        return None
    if path.startswith("/"):  # {static}/images/x.png: from the content folder
        joined = path.lstrip("/")
    else:  # from the folder of the note or page
        joined = posixpath.join(posixpath.dirname(source.replace(os.sep, "/")), path)
    normal = posixpath.normpath(joined)
    return None if normal.startswith("../") or normal == ".." else normal


def line_of(text, written, first):
    """The line of `text` (which starts on line `first`) where `written` appears as a whole address
    (in Markdown's parentheses or an attribute's quotes), else `first`."""
    found = written and re.search(rf"(?<=[(\"'=\s]){re.escape(written)}(?=[)\"'\s])", text)
    return first + text.count("\n", 0, found.start()) if found else first
