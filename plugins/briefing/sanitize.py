"""The one HTML cleaner (nh3) every untrusted or editor-written fragment goes through."""

import html
import re

import nh3

# Ordinary text formatting only: no images (tracking pixels), no forms, frames or styles.
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em",
    "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan"}, "th": {"colspan"}}
_SCHEMES = {"http", "https", "mailto"}
_SPACE = re.compile(r"\s+")


def clean_html(fragment):
    """Return the fragment with everything but plain formatting and safe links removed."""
    return nh3.clean(
        fragment or "",
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(fragment):
    """Return the text of an HTML fragment, whitespace collapsed, markup and scripts gone."""
    text = nh3.clean(fragment or "", tags=set(), strip_comments=True)
    return _SPACE.sub(" ", html.unescape(text)).strip()


def excerpt(fragment, length):
    """Return at most `length` characters of the fragment's text, cut at a word."""
    text = plain_text(fragment)
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
