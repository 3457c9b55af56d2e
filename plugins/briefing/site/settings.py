"""Every BRIEFING_* setting, declared once with its default, and its validation."""

import copy
from datetime import date

from ..core.checker import is_id
from ..core.text import clean_name

DEFAULTS = {
    # Where the editors' files live, relative to Pelican's PATH (content/).
    "BRIEFING_DATA_DIR": "briefing",
    "BRIEFING_NOTES_DIR": "notes",
    "BRIEFING_ARCHIVE_DIR": "archive",
    # The stance vocabulary: id (what editors write) -> the word readers see.
    "BRIEFING_STANCES": {
        "supports": "Supports",
        "opposes": "Opposes",
        "conditional": "Conditional",
        "unclear": "Unclear",
    },
    # A move from one of these stances to the other is a reversal (None: no such pair).
    "BRIEFING_OPPOSITE_STANCES": ("supports", "opposes"),
    # What a position's claim rests on (its `evidence`): id -> the words readers see. A missing
    # one reads "not stated"; the methodology page explains each.
    "BRIEFING_EVIDENCE": {
        "official-text": "Official text",
        "on-record": "On record",
        "spokesperson": "Spokesperson",
        "reported": "Reported",
        "anonymous": "Anonymous sources",
    },
    # Evidence that "What changed" and the change feeds flag: a change resting only on it is
    # not yet confirmed by the actor.
    "BRIEFING_EVIDENCE_UNCONFIRMED": ("reported", "anonymous"),
    # The Pelican category every briefing is filed under.
    "BRIEFING_CATEGORY": "Briefings",
    "BRIEFING_URL": "briefings/{date:%Y}/{date:%m}/{date:%d}/",
    "BRIEFING_SAVE_AS": "briefings/{date:%Y}/{date:%m}/{date:%d}/index.html",
    "BRIEFING_ACTOR_URL": "actors/{id}/",
    "BRIEFING_ACTOR_SAVE_AS": "actors/{id}/index.html",
    "BRIEFING_ACTORS_SAVE_AS": "actors/index.html",
    "BRIEFING_ISSUE_URL": "issues/{id}/",
    "BRIEFING_ISSUE_SAVE_AS": "issues/{id}/index.html",
    "BRIEFING_ISSUES_SAVE_AS": "issues/index.html",
    # Open data: the folder for CSV and JSON, and the licence they are published under.
    "BRIEFING_DATA_PATH": "data",
    "BRIEFING_DATA_LICENSE": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    # Sent as a <meta> tag on every page (GitHub Pages cannot set headers): only the site's own
    # files load, no inline script or style runs. Pagefind's search compiles WebAssembly and
    # draws its icon from a data: URL.
    "BRIEFING_CONTENT_SECURITY_POLICY": (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'self'"
    ),
    # The theme templates an editor's page (content/pages/) may name in its Template: metadata.
    "BRIEFING_PAGE_TEMPLATES": ("page",),
    # Build a Pagefind full-text index after the site is written (the search page uses it).
    "BRIEFING_SEARCH": True,
    # The public list of feeds with their health, and the same list as OPML for feed readers.
    "BRIEFING_SOURCES_SAVE_AS": "sources/index.html",
    "BRIEFING_OPML_SAVE_AS": "sources.opml",
    # Per-actor and per-issue feeds; None switches that feed off.
    "BRIEFING_ACTOR_FEED_ATOM": "feeds/actors/{id}.atom.xml",
    "BRIEFING_ACTOR_FEED_RSS": "feeds/actors/{id}.rss.xml",
    "BRIEFING_ISSUE_FEED_ATOM": "feeds/issues/{id}.atom.xml",
    "BRIEFING_ISSUE_FEED_RSS": "feeds/issues/{id}.rss.xml",
    # Feeds of stance changes only (new, changed, reversed, withdrawn; never a restatement): the site's,
    # and each actor's and issue's. None switches that feed off.
    "BRIEFING_CHANGES_FEED_ATOM": "feeds/changes.atom.xml",
    "BRIEFING_CHANGES_FEED_RSS": "feeds/changes.rss.xml",
    "BRIEFING_ACTOR_CHANGES_FEED_ATOM": "feeds/actors/{id}.changes.atom.xml",
    "BRIEFING_ACTOR_CHANGES_FEED_RSS": "feeds/actors/{id}.changes.rss.xml",
    "BRIEFING_ISSUE_CHANGES_FEED_ATOM": "feeds/issues/{id}.changes.atom.xml",
    "BRIEFING_ISSUE_CHANGES_FEED_RSS": "feeds/issues/{id}.changes.rss.xml",
    # The scorecard (actors x issues) on the home page: a number shows the most active actors or
    # issues, that many; a list of ids shows those. The issues page's: BRIEFING_FULL_SCORECARD_*.
    "BRIEFING_SCORECARD_ACTORS": 8,
    "BRIEFING_SCORECARD_ISSUES": 6,
    # The issues page's: every actor and issue with a recorded stance, up to the most active this
    # many, so that the page's size is bounded (100 x 50 is 5,000 cells, about 1 MB).
    "BRIEFING_FULL_SCORECARD_ACTORS": 100,
    "BRIEFING_FULL_SCORECARD_ISSUES": 50,
    # How the scorecard shows each stance in its cell, beside its colour; a stance not listed
    # shows the first letter of its word.
    "BRIEFING_STANCE_SYMBOLS": {"supports": "+", "opposes": "−", "conditional": "±", "unclear": "?"},
    # A stance set in the last this many days is marked as recent in the scorecard.
    "BRIEFING_RECENT_DAYS": 7,
    # invoke check-links: a cited source that failed this many checks in a row is shown as dead,
    # its archived copy first. Loopback, private and link-local addresses are never requested
    # unless allowed (the tests' servers are on 127.0.0.1).
    "BRIEFING_LINKS_DEAD_AFTER": 3,
    # The longest one run may go on starting checks, in seconds; the addresses left are checked
    # first by the next run, so a long archive is checked in turns rather than holding the job.
    "BRIEFING_LINKS_RUN_SECONDS": 1800,
    "BRIEFING_LINKS_ALLOW_PRIVATE": False,
    # The most news items a briefing's page and feed entry list; the rest are in its open data.
    "BRIEFING_MAX_NEWS_ITEMS": 100,
    # Length of the plain-text excerpt shown for a feed item, in characters.
    "BRIEFING_EXCERPT_LENGTH": 280,
    # invoke fetch: seconds one feed may take in all (retries included), and per step.
    "BRIEFING_FETCH_TIMEOUT": 30,
    "BRIEFING_FETCH_CONNECT_TIMEOUT": 10,
    "BRIEFING_FETCH_READ_TIMEOUT": 15,
    # The largest feed accepted, in bytes after decompression.
    "BRIEFING_FETCH_MAX_BYTES": 10_000_000,
    # The most items one feed may list; a longer feed is refused before it is parsed.
    "BRIEFING_FETCH_MAX_ITEMS": 2_000,
    # The most XML elements in a whole feed, and in one item, also counted before parsing: the
    # parser's time grows with the first and with the square of the second (60,000 tags in one
    # item: 43 s). At these limits the worst feed parses in about 2 s.
    "BRIEFING_FETCH_MAX_ELEMENTS": 100_000,
    "BRIEFING_FETCH_MAX_ITEM_ELEMENTS": 500,
    # An item dated more than this many days before the fetch that first sees it is filed on
    # the day it is seen, so that no feed can open or rewrite a briefing day long published.
    # As long as BRIEFING_STALE_DAYS: a feed that was down for less keeps its items' own days.
    "BRIEFING_FETCH_MAX_AGE_DAYS": 14,
    "BRIEFING_FETCH_MAX_REDIRECTS": 5,
    # Retries after 429 or 5xx (Retry-After honoured), the first after this many seconds, doubling.
    "BRIEFING_FETCH_RETRIES": 2,
    "BRIEFING_FETCH_BACKOFF": 1.0,
    # Feeds fetched at once.
    "BRIEFING_FETCH_WORKERS": 16,
    # The most positions, and sources, one note may hold: a note is one day's record, and every
    # position is shown on several pages, so one note of thousands would make huge pages.
    "BRIEFING_MAX_POSITIONS_PER_NOTE": 200,
    "BRIEFING_MAX_SOURCES_PER_NOTE": 100,
    # A stance still shown as current that is older than this, in days, is marked as not restated
    # since (pages, scorecard, open data), and invoke check warns about it.
    "BRIEFING_STALE_STANCE_DAYS": 90,
    # A feed with no new item for this many days is shown as stale on the sources page.
    "BRIEFING_STALE_DAYS": 14,
    # Sent with every request; operators should add a contact address or URL.
    "BRIEFING_USER_AGENT": "briefing-digest/0.1 (Pelican feed digest)",
}

_URL_KEYS = ("BRIEFING_URL", "BRIEFING_ACTOR_URL", "BRIEFING_ISSUE_URL")
_POSITIVE = (
    "BRIEFING_EXCERPT_LENGTH",
    "BRIEFING_MAX_NEWS_ITEMS",
    "BRIEFING_FETCH_TIMEOUT",
    "BRIEFING_FETCH_CONNECT_TIMEOUT",
    "BRIEFING_FETCH_READ_TIMEOUT",
    "BRIEFING_FETCH_MAX_BYTES",
    "BRIEFING_FETCH_MAX_ITEMS",
    "BRIEFING_FETCH_MAX_ELEMENTS",
    "BRIEFING_FETCH_MAX_ITEM_ELEMENTS",
    "BRIEFING_FETCH_MAX_AGE_DAYS",
    "BRIEFING_FETCH_BACKOFF",
    "BRIEFING_FETCH_WORKERS",
    "BRIEFING_STALE_DAYS",
    "BRIEFING_STALE_STANCE_DAYS",
    "BRIEFING_MAX_POSITIONS_PER_NOTE",
    "BRIEFING_MAX_SOURCES_PER_NOTE",
    "BRIEFING_RECENT_DAYS",
    "BRIEFING_LINKS_DEAD_AFTER",
    "BRIEFING_LINKS_RUN_SECONDS",
)


def complete(settings):
    """Fill in every missing BRIEFING_* setting with a copy of its default (a site that changes
    its stances changes no other build's), then validate them all."""
    given = set(settings)
    for name, value in DEFAULTS.items():
        if name not in settings:
            settings[name] = copy.deepcopy(value)
    # A site with a vocabulary of its own keeps of these defaults what its vocabulary has.
    if "BRIEFING_OPPOSITE_STANCES" not in given and not set(settings["BRIEFING_OPPOSITE_STANCES"]) <= set(
        settings["BRIEFING_STANCES"]
    ):
        settings["BRIEFING_OPPOSITE_STANCES"] = None
    if "BRIEFING_EVIDENCE_UNCONFIRMED" not in given:
        evidence = settings["BRIEFING_EVIDENCE"]
        settings["BRIEFING_EVIDENCE_UNCONFIRMED"] = tuple(
            e for e in settings["BRIEFING_EVIDENCE_UNCONFIRMED"] if e in evidence
        )
    validate(settings)


def validate(settings):
    """Raise ValueError naming the setting when a BRIEFING_* value cannot work."""
    unknown = sorted(k for k in settings if k.startswith("BRIEFING_") and k not in DEFAULTS)
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown setting; known ones are {', '.join(DEFAULTS)}")
    _validate_vocabulary("BRIEFING_STANCES", settings["BRIEFING_STANCES"])
    _validate_vocabulary("BRIEFING_EVIDENCE", settings["BRIEFING_EVIDENCE"])
    _validate_symbols(settings["BRIEFING_STANCE_SYMBOLS"], settings["BRIEFING_STANCES"])
    opposites = settings["BRIEFING_OPPOSITE_STANCES"]
    if opposites is not None and (
        isinstance(opposites, str)
        or len(opposites) != 2
        or not set(opposites) <= set(settings["BRIEFING_STANCES"])
    ):
        raise ValueError("BRIEFING_OPPOSITE_STANCES must be two stance ids of BRIEFING_STANCES, or None")
    unconfirmed = settings["BRIEFING_EVIDENCE_UNCONFIRMED"]
    if isinstance(unconfirmed, str) or not all(e in settings["BRIEFING_EVIDENCE"] for e in unconfirmed):
        raise ValueError("BRIEFING_EVIDENCE_UNCONFIRMED must be a list of ids of BRIEFING_EVIDENCE")
    for kind in ("ACTORS", "ISSUES"):
        for name in (f"BRIEFING_SCORECARD_{kind}", f"BRIEFING_FULL_SCORECARD_{kind}"):
            shown = settings[name]
            number = isinstance(shown, int) and not isinstance(shown, bool) and shown > 0
            ids = "FULL" not in name and isinstance(shown, list | tuple) and shown and all(map(is_id, shown))
            if not number and not ids:
                also = "" if "FULL" in name else ", or a list of ids"
                raise ValueError(f"{name} must be a whole number above 0{also}, not {shown!r}")
    for name in _URL_KEYS:
        if not settings[name].endswith("/"):
            raise ValueError(f"{name} must end with '/' so that pages keep stable folder URLs")
    templates = settings["BRIEFING_PAGE_TEMPLATES"]
    if isinstance(templates, str) or not templates or not all(isinstance(t, str) and t for t in templates):
        raise ValueError("BRIEFING_PAGE_TEMPLATES must be a non-empty list of template names, e.g. ('page',)")
    _validate_numbers(settings)


def _validate_vocabulary(name, vocabulary):
    if not isinstance(vocabulary, dict) or not vocabulary:
        raise ValueError(f"{name} must be a non-empty mapping of id to label")
    for key, label in vocabulary.items():
        if not isinstance(key, str) or not is_id(key) or not isinstance(label, str) or not label.strip():
            raise ValueError(f"{name}: {key!r} must be an id mapped to a label")


def _validate_symbols(symbols, stances):
    """Each stance's symbol (its word's first letter when not given) tells it from the others."""
    if not isinstance(symbols, dict) or not all(isinstance(v, str) and v for v in symbols.values()):
        raise ValueError("BRIEFING_STANCE_SYMBOLS must map stance ids to short texts")
    shown = [symbols.get(stance) or label[:1] for stance, label in stances.items()]
    if len(set(shown)) < len(shown):
        raise ValueError(f"BRIEFING_STANCE_SYMBOLS: two stances would show the same symbol ({shown})")


def _validate_numbers(settings):
    for name in _POSITIVE:
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{name} must be a positive number, not {value!r}")
    for name in ("BRIEFING_FETCH_RETRIES", "BRIEFING_FETCH_MAX_REDIRECTS"):
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number, 0 or more, not {value!r}")


# What each kind of link points to; the briefing kind is keyed by date, the others by id.
_URL_SETTINGS = {
    "briefing": "BRIEFING_URL",
    "actor": "BRIEFING_ACTOR_URL",
    "issue": "BRIEFING_ISSUE_URL",
    "actor-atom": "BRIEFING_ACTOR_FEED_ATOM",
    "actor-rss": "BRIEFING_ACTOR_FEED_RSS",
    "issue-atom": "BRIEFING_ISSUE_FEED_ATOM",
    "issue-rss": "BRIEFING_ISSUE_FEED_RSS",
    "changes-atom": "BRIEFING_CHANGES_FEED_ATOM",
    "changes-rss": "BRIEFING_CHANGES_FEED_RSS",
    "actor-changes-atom": "BRIEFING_ACTOR_CHANGES_FEED_ATOM",
    "actor-changes-rss": "BRIEFING_ACTOR_CHANGES_FEED_RSS",
    "issue-changes-atom": "BRIEFING_ISSUE_CHANGES_FEED_ATOM",
    "issue-changes-rss": "BRIEFING_ISSUE_CHANGES_FEED_RSS",
}
LINK_KINDS = ("briefing", "actor", "issue")


def url_for(settings, kind, key=None):
    """The site-relative URL of a briefing (key: a date or ISO date), actor, issue, their feeds, or
    the site's feed of changes (no key)."""
    pattern = settings[_URL_SETTINGS[kind]]
    if not pattern:
        return ""
    if kind == "briefing":
        return pattern.format(date=key if isinstance(key, date) else date.fromisoformat(key))
    return pattern.format(id=key)


_SHOWN = ("SITENAME", "SITESUBTITLE", "AUTHOR")


def initialize(pelican):
    """Complete and check the BRIEFING_* settings; keep the editors' data out of Pelican's readers."""
    settings = pelican.settings
    complete(settings)
    # Shown on every page and in every feed: held to the text rule, like all text that comes in.
    for key in _SHOWN:
        if isinstance(settings.get(key), str):
            settings[key] = clean_name(settings[key])
    for key in ("BRIEFING_STANCES", "BRIEFING_EVIDENCE", "BRIEFING_STANCE_SYMBOLS"):
        settings[key] = {k: clean_name(v) for k, v in settings[key].items()}
    # Notes, the archive and the data files are read by this plugin, never published as they are.
    ours = [settings[k] for k in ("BRIEFING_DATA_DIR", "BRIEFING_NOTES_DIR", "BRIEFING_ARCHIVE_DIR")]
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        settings[key] = [*settings[key], *ours]
