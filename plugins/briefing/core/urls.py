"""URL checks: which schemes may reach a page, and the normal form used to spot duplicates."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .text import clean_name

_SAFE_SCHEMES = ("http", "https", "mailto")
# Query parameters that only track the reader; two links differing in these are one story.
_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|yclid)$")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# An http(s) address of printable ASCII, no space and no bracket (an IPv6 host urlsplit checks):
# neither the text rule, nor the removal of controls, nor urlsplit can change or refuse it.
_PLAIN_WEB = re.compile(r"https?://[!-Z\\^-~]*")
# A link normalise_link gives back as it is: http(s), a lowercase host (no user, no brackets),
# a path, and no whitespace, query or fragment to take apart.
_NORMAL_LINK = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]+)?/[!-\"$->@-~]*")
# The longest item link or guid kept; a longer one is dropped (one 9 MB link made 9 MB pages).
MAX_LINK = 2_000


def archived_copy(url, day):
    """The Internet Archive's Wayback address of `url` as of `day`: it answers with the snapshot
    nearest that day, so a source outlives its page."""
    return f"https://web.archive.org/web/{day:%Y%m%d}/{url}"


def dead_among(urls, dead):
    """(address, the day it died) of each of `urls` in `dead`: what a page citing them shows of them."""
    return [(url, dead[url]) for url in urls if url in dead]


def safe_url(url):
    """Return the URL if its scheme is http, https or mailto, else an empty string; the text rule
    (clean_name) applies, and spaces and controls are removed."""
    if isinstance(url, str) and _PLAIN_WEB.fullmatch(url):  # nearly every link of a feed
        return url
    url = _CONTROL.sub("", clean_name(url)) if isinstance(url, str) else ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in _SAFE_SCHEMES else ""


def is_web_url(url):
    """Tell whether the text is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not _CONTROL.search(url)


def normalise_link(url):
    """Return the link without tracking parameters or fragment, scheme and host lowercased."""
    if _NORMAL_LINK.fullmatch(url):  # most links: nothing to take apart and put back together
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    query = parts.query
    if query:  # most links have none: nothing to take apart and put back together
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, v) for k, v in pairs if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))
