"""The one HTML cleaner (nh3) every untrusted or editor-written fragment goes through."""

import html
import re

import markupsafe
import nh3

from .text import clean_text, collapse

# Ordinary text formatting only: no images (tracking pixels), no forms, frames or styles.
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan"}, "th": {"colspan"}}
_SCHEMES = {"http", "https", "mailto"}
# Built once: nh3.clean() builds its configuration again on every call, three times the cleaning.
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes=_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
# Editors' own notes and pages may show images too: images.place keeps those of the site's own.
_WITH_IMAGES = nh3.Cleaner(
    tags=_TAGS | {"img"},
    attributes=_ATTRIBUTES | {"img": {"src", "alt", "title", "width", "height", "loading", "decoding"}},
    url_schemes=_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), strip_comments=True)
# Bounds on what one field may cost: a longer fragment is cut (the cleaner closes what the cut
# leaves open), and one nested deeper is read as text, because the HTML parser's tree building
# grows quadratically with depth (100,000 nested <div>s: 18 s). No article nests this deep.
MAX_FIELD = 100_000
MAX_DEPTH = 256
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)[^>]*>")
_CUT_TAG = re.compile(r"<[a-zA-Z/][^>]*\Z")  # what the cut left of a last tag
# Elements that never nest: void ones, and those whose end tag a parser implies at the next sibling.
_FLAT = {
    "area", "base", "br", "col", "dd", "dt", "embed", "hr", "img", "input", "li", "link", "meta",
    "option", "p", "param", "source", "td", "th", "tr", "track", "wbr",
}  # fmt: skip


def _bounded(fragment):
    """(the fragment cut to MAX_FIELD, whether it nests too deeply to parse as HTML)."""
    fragment = fragment or ""
    if len(fragment) > MAX_FIELD:
        fragment = fragment[:MAX_FIELD]
    if fragment.count("<") <= MAX_DEPTH:  # each level opens with a '<': too few to nest too deep
        return fragment, False
    depth = 0
    for match in _TAG.finditer(fragment):
        if match.group(2).lower() in _FLAT or match.group(0).endswith("/>"):
            continue
        depth += -1 if match.group(1) else 1
        if depth > MAX_DEPTH:
            return fragment, True
    return fragment, False


def _tag_free(fragment):
    """The text of markup too deep to parse: every tag dropped unparsed, entities decoded."""
    return html.unescape(_TAG.sub(" ", _CUT_TAG.sub("", fragment)))


# A fragment the cleaner gives back unchanged, provably and checked in C: text without '<', '>',
# '&' (but for the four references the cleaner writes), CR (read as LF) or no-break space
# (written '&nbsp;'), in paragraphs and inline elements without attributes, none nested in
# another: nothing for the HTML parser to fix or the cleaner to drop. Most archived summaries
# are this (tests/test_sanitize.py checks fragments of this form against the cleaner).
_INLINE = (
    "abbr", "b", "cite", "code", "del", "em", "i", "ins", "q", "s", "small", "strong", "sub", "sup", "u",
)  # fmt: skip
_TEXT = r"(?:[^<>&\r\xa0]++|&(?:amp|lt|gt|nbsp);)"
_ELEMENT = "|".join(f"<{tag}>{_TEXT}*+</{tag}>" for tag in _INLINE)
_ALREADY_CLEAN = re.compile(rf"(?:{_TEXT}|{_ELEMENT}|<p>(?:{_TEXT}|{_ELEMENT})*+</p>)*+")


def clean_html(fragment, images=False):
    """Return the fragment with everything but plain formatting and safe links removed, marked
    safe: the one place safe HTML is made, so templates (which escape everything) print it as it is.
    `images`: keep <img> too, for an editor's own text (images.place then keeps the site's own).

    Idempotent (clean_html(clean_html(x)) == clean_html(x)), so that an unchanged feed is never
    archived again as changed: the HTML parser drops a <pre>'s first newline each time, the
    cleaner's output may be longer than MAX_FIELD and be cut again. Cleaning is repeated until
    nothing changes, which takes one pass for what is already clean (the archive, at build).
    """
    # What the cleaner keeps, the text rule may not: both must leave it alone.
    plain = fragment and len(fragment) <= MAX_FIELD and _ALREADY_CLEAN.fullmatch(fragment)
    if plain and clean_text(fragment) == fragment:
        return markupsafe.Markup(fragment)
    cleaner = _WITH_IMAGES if images else _CLEANER
    out = _clean_once(fragment, cleaner)
    for _ in range(_PASSES):
        if out == fragment:
            break
        fragment, out = out, _clean_once(out, cleaner)
    else:
        out = _as_text(out)  # never seen; the text form is a fixed point
    return markupsafe.Markup(out)


_PASSES = 4


def _as_text(fragment):
    # quote=False: the cleaner writes quotes as they are, so escaping them would not be stable.
    text = clean_text(" ".join(_tag_free(fragment).split()))
    return f"<p>{html.escape(text, quote=False)}</p>"


def _clean_once(fragment, cleaner=_CLEANER):
    fragment, too_deep = _bounded(fragment)
    if too_deep:
        return _as_text(fragment)
    cleaned = cleaner.clean(fragment)
    # The cleaner writes character references out as characters: '&#x1b;' would become a control
    # character no feed can carry, '&#x202e;' a reversing override.
    return clean_text(cleaned)


def plain_text(fragment):
    """Return the text of an HTML fragment, whitespace collapsed, markup and scripts gone."""
    fragment, too_deep = _bounded(fragment)
    text = _tag_free(fragment) if too_deep else html.unescape(_TEXT_ONLY.clean(fragment))
    return " ".join(clean_text(text).split())  # split() splits where \s matches


# In clean_html's output each '<' opens a tag (text has '&lt;'), attribute values are in double
# quotes (theirs escaped), comments are gone, and parsing it gives the same tree back.
_CLEAN_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')


def text_of_clean(clean):
    """plain_text of clean_html's output, read off it by dropping its tags rather than by parsing it again."""
    if len(clean) > MAX_FIELD or _bounded(clean)[1]:  # plain_text would read it otherwise
        return plain_text(clean)
    return collapse(clean_text(html.unescape(_CLEAN_TAG.sub("", clean))))


def excerpt(text, length):
    """Return at most `length` characters of the text, cut at a word."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
