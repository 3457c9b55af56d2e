"""Actor and issue pages, their indexes and their Atom/RSS feeds, written with Pelican's writer."""

import html
import logging
import operator
import os
from collections import defaultdict
from datetime import UTC, datetime
from functools import cache, partial

import jinja2
import orjson
from pelican.generators import Generator
from pelican.writers import Writer

from ..core import changes, charts, exports, safefile
from ..core.digest import actor_rows, news_rows, recorded_with, stale, stances_by_issue
from ..core.problems import ContentError
from ..core.scorecard import chosen, scorecard
from ..core.text import in_sentence
from ..core.urls import archived_copy, dead_among, is_web_url
from . import search, templating
from .articles import POOL_MIN, content_href, write_pages
from .cache import fingerprint
from .changefeeds import write_change_feeds
from .feeds import Teaser, teaser
from .load import load_all, load_dead_links
from .outputs import Beside, Outputs, new_build, write_feed, write_page
from .settings import url_for

logger = logging.getLogger(__name__)


class BriefingGenerator(Generator):
    """Loads the digest for the whole build and writes the pages that are not articles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Loaded here rather than in generate_context: Pelican builds every generator before it
        # empties the output folder, so bad content stops the build while the old site is whole.
        safefile.new_run()
        new_build()
        try:
            self.context["briefing_digest"], sources, files = load_all(self.settings)
            self.context["briefing_dead_links"] = load_dead_links(self.settings)
        except ContentError as e:
            for problem in e.problems:
                logger.error("%s", problem)
            logger.error("briefing: %d problem(s) in the content; nothing was built", len(e.problems))
            raise SystemExit(1) from None
        digest = self.context["briefing_digest"]
        self.context["briefing_stale"] = stale(digest, self.settings["BRIEFING_STALE_STANCE_DAYS"])
        # The home page's (writer.py keys the index's first page by it too).
        self.context["briefing_home_scorecard"] = self.scorecard(
            self.settings["BRIEFING_SCORECARD_ACTORS"], self.settings["BRIEFING_SCORECARD_ISSUES"]
        )
        self.context["briefing_url"] = partial(url_for, self.settings)
        self.context["briefing_content_href"] = partial(content_href, self.settings)
        self.context["briefing_sources"] = sources
        self.context["briefing_files"] = files  # what an editor's page may show (articles.clean)
        successes = [s.last_success for _, s in sources if s.last_success]
        self.context["briefing_last_ingested"] = datetime.fromisoformat(max(successes)) if successes else None

    def scorecard(self, actors, issues):
        """The scorecard of the actors and issues scorecard.chosen gives for these (None: all recorded)."""
        digest, settings = self.context["briefing_digest"], self.settings
        shown = (chosen(digest, "actor", actors), chosen(digest, "issue", issues))
        return scorecard(digest, *shown, settings["BRIEFING_RECENT_DAYS"], self.context["briefing_stale"])

    def write_briefings(self):
        """Write the briefing pages, and start indexing them, as soon as every generator has its
        context: before Pelican's own pages, so that an edited note's page is out sooner
        (invoke regenerate) and Pagefind works while the rest of the site is written."""
        # What every page prints beyond the settings, theme and code: the menu, the last ingestion.
        shown = (
            [(p.url, p.title) for p in self.context.get("pages", ())],
            self.context["briefing_last_ingested"],
        )
        self.outputs = Outputs(
            self.settings, self.output_path, self.context.get("briefing_site_hash", b""), fingerprint(shown)
        )
        # The open data and the actors' and issues' feeds send no signal and share nothing with the
        # pages but the cache: written by a process of their own while this one writes the pages,
        # when many briefings changed (and so much of them).
        many = self.context.get("briefing_bodies_rendered", 0) >= POOL_MIN
        self.files = Beside(self.outputs, self._write_files, many)
        write_pages(self, self.outputs)
        search.start(self.settings, self.output_path)

    def _appearances(self, kind):
        """(id, actor or issue, the briefings it appears in, newest first) of every actor or issue."""
        digest, articles = self.context["briefing_digest"], self.context.get("briefing_articles", {})
        if kind == "actor":
            entries, dates = digest.actors, digest.dates_by_actor
        else:
            entries, dates = digest.issues, digest.dates_by_issue
        for key, entry in entries.items():
            yield key, entry, [articles[d] for d in reversed(dates.get(key, ())) if d in articles]

    def _index(self, kind):
        """What the list of actors or of issues shows beyond their names: the counts, and for the
        issues everyone's standings and the scorecard (5,000 cells at 100 actors and 50 issues)."""
        digest = self.context["briefing_digest"]
        if kind == "actor":
            return [len(digest.dates_by_actor.get(key, ())) for key in digest.actors]
        counts = [len(digest.changes_by_issue.get(key, ())) for key in digest.issues]
        return counts, stances_by_issue(digest), self.context["briefing_scorecard"]

    def _write_files(self):
        """The actors' and issues' feeds, the change feeds and the open data (see write_briefings)."""
        writer = Writer(self.output_path, settings=self.settings)  # Pelican's, for feeds: no page is written
        for kind in ("actor", "issue"):
            for key, entry, appears in self._appearances(kind):
                self._write_feeds(writer, kind, key, entry, appears)
        write_change_feeds(self, writer)
        self._write_data(self.context["briefing_digest"], self.context.get("briefing_articles", {}))

    def generate_output(self, writer):
        digest, outputs = self.context["briefing_digest"], self.outputs
        # The issues page's: everyone with a recorded stance, up to the most active BRIEFING_FULL_*.
        full = (
            self.settings["BRIEFING_FULL_SCORECARD_ACTORS"],
            self.settings["BRIEFING_FULL_SCORECARD_ISSUES"],
        )
        self.context["briefing_scorecard"] = self.scorecard(*full)
        articles = self.context.get("briefing_articles", {})
        relative = self.settings["RELATIVE_URLS"]
        last = digest.briefings[-1].date if digest.briefings else None  # where every timeline ends
        # How a page lists each briefing, worked out once as its key's bytes: each is listed on dozens
        # of pages (self-delimiting, so joined they still name each listed briefing).
        listing = {d: fingerprint((a.url, a.title, d)) for d, a in articles.items()}
        dead_links = self.context["briefing_dead_links"]
        for kind in ("actor", "issue"):
            changes_of = digest.changes_by_actor if kind == "actor" else digest.changes_by_issue
            for key, entry, appears in self._appearances(kind):
                pairs = [(key, o) if kind == "actor" else (o, key) for o in recorded_with(digest, kind, key)]
                listed = b"".join(listing[a.briefing.date] for a in appears)
                changes = changes_of.get(key, ())
                # A source found dead is shown so: the pages citing it are rendered again.
                dead = dead_among([c.position.source.url for c in changes if c.position.source], dead_links)
                shows = (changes, [digest.current.get(p) for p in pairs], listed, last, dead)
                write_page(
                    outputs,
                    self.context,
                    self.settings[f"BRIEFING_{kind.upper()}_SAVE_AS"].format(id=key),
                    self.get_template(kind),
                    relative,
                    shows,
                    url=url_for(self.settings, kind, key),
                    briefing_articles_of=appears,
                    **{kind: entry},
                )
            name, template = self.settings[f"BRIEFING_{kind.upper()}S_SAVE_AS"], self.get_template(f"{kind}s")
            write_page(outputs, self.context, name, template, relative, self._index(kind))
        self.context["briefing_position_fields"] = exports.POSITION_FIELDS
        self.context["briefing_change_fields"] = exports.CHANGE_FIELDS
        pages = (
            (self.settings["BRIEFING_SOURCES_SAVE_AS"], "sources"),
            (self.settings["BRIEFING_OPML_SAVE_AS"], "sources_opml"),
            (f"{self.settings['BRIEFING_DATA_PATH']}/index.html", "data"),
        )
        for save_as, template in pages:
            if save_as:
                writer.write_file(save_as, self.get_template(template), self.context, relative)
        search.start(self.settings, self.output_path, site=True)  # every page is written
        self.files.join()
        outputs.prune()

    def _write_data(self, digest, articles):
        """positions.csv/.json, actors.json, issues.json and one JSON per briefing."""
        folder = self.settings["BRIEFING_DATA_PATH"]
        page_of, stale_pairs = partial(url_for, self.settings), self.context["briefing_stale"]
        for name, inputs, make in _data_files(digest, articles, page_of, stale_pairs):
            self.outputs.write(f"{folder}/{name}", inputs, make, page=False)

    def _write_feeds(self, writer, kind, key, entry, appears):
        title = entry.name if kind == "actor" else entry.title
        digest, stances = self.context["briefing_digest"], self.settings["BRIEFING_STANCES"]
        shown = appears[: self.settings["FEED_MAX_ITEMS"]]
        # Each briefing's body key stands for all of it (its date, title, corrections and the teaser
        # here): a feed whose briefings are unchanged is found by them, without working out teasers.
        briefings = [a.body_key for a in shown]

        @cache
        def entries():
            template = self.get_template("feed_teaser")
            return [Teaser(a, teaser(template, a, kind, key, digest, stances)) for a in shown]

        for feed_type in ("atom", "rss"):
            path = url_for(self.settings, f"{kind}-{feed_type}", key)
            if path:
                # Escaped: Pelican strips tags from a feed's title ('Tax & <spend>' lost '<spend>').
                kwargs = {"feed_type": feed_type, "feed_title": html.escape(title, quote=False)}
                write_feed(self.outputs, writer, entries, self.context, path, briefings, **kwargs)


def get_generators(pelican):
    return BriefingGenerator


def write_briefings(generators):
    """Every generator has its context (the menu, static files): write the briefing pages."""
    for generator in generators:
        if isinstance(generator, BriefingGenerator):
            generator.write_briefings()


def add_filters(generator):
    """Give the theme the filters and tests its macros use, and keep its compiled templates."""
    if generator.settings["CACHE_CONTENT"]:
        # Compiling the theme's templates is a good part of a build that renders little. Jinja
        # checks each template's source against what it compiled.
        folder = os.path.join(generator.settings["CACHE_PATH"], "briefing-templates")
        os.makedirs(folder, exist_ok=True)
        generator.env.bytecode_cache = jinja2.FileSystemBytecodeCache(folder)
    generator.env.filters["news_rows"] = partial(
        news_rows, excerpt_length=generator.settings["BRIEFING_EXCERPT_LENGTH"]
    )
    generator.env.globals["stances_by_issue"] = jinja2.pass_context(
        lambda c: stances_by_issue(c["briefing_digest"])
    )
    generator.env.globals["recorded_with"] = jinja2.pass_context(
        lambda c, of, key: recorded_with(c["briefing_digest"], of, key)
    )
    generator.env.filters["actor_rows"] = actor_rows
    generator.env.filters["change_anchor"] = changes.anchor
    generator.env.filters["in_sentence"] = in_sentence
    unconfirmed = generator.settings["BRIEFING_EVIDENCE_UNCONFIRMED"]
    generator.env.filters["unconfirmed"] = jinja2.pass_context(
        lambda c, p: changes.unconfirmed(p, c["briefing_digest"], unconfirmed)
    )
    symbols, stances = generator.settings["BRIEFING_STANCE_SYMBOLS"], generator.settings["BRIEFING_STANCES"]
    generator.env.filters["stance_symbol"] = lambda stance: symbols.get(stance) or stances[stance][:1]
    generator.env.globals["once"] = templating.once()
    generator.env.tests["contains"] = operator.contains
    generator.env.tests["web_url"] = is_web_url
    generator.env.filters["archived_copy"] = archived_copy
    generator.env.filters["utc"] = _utc
    generator.env.globals["stance_timeline"] = _stance_timeline
    # A current stance not restated for BRIEFING_STALE_STANCE_DAYS (digest.stale).
    generator.env.filters["stale_stance"] = jinja2.pass_context(
        lambda c, p: (p.actor, p.issue) in c["briefing_stale"]
    )
    generator.env.filters["stale"] = lambda s: s.stale(generator.settings["BRIEFING_STALE_DAYS"])


def _utc(moment):
    """An ISO time or datetime as readers see it: '10 March 2025, 12:00 UTC'."""
    if not moment:
        return "never"
    moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return moment.astimezone(UTC).strftime("%-d %B %Y, %H:%M UTC")


def _data_files(digest, articles, page_of, stale_pairs):
    """(name, what it is made from besides the settings and the actors', issues' and stances' names,
    a function making its text) of each open data file. A text is made only when the cache lacks
    it, one at a time: together they run to 100s of MB."""
    rows = cache(lambda: exports.position_rows(digest, page_of))
    by_date = cache(lambda: _grouped(rows(), "date"))

    def rows_of(b):
        # From every row when they were made for positions.csv (a cold build); else its own only:
        # a warm build writes the one or two briefings that changed.
        if rows.cache_info().currsize:
            return by_date()[b.date.isoformat()]
        return exports.position_rows(digest, page_of, [b])

    positions = fingerprint([b.positions for b in digest.briefings])
    # The changes first, made and let go before every position's row is made and kept: together
    # they held the build's peak memory over 1 GiB at ten years.
    changes = partial(exports.change_rows, digest, page_of)
    yield "changes.csv", positions, lambda: exports.to_csv(changes(), exports.CHANGE_FIELDS)
    yield "changes.json", positions, lambda: _json(changes())
    yield "positions.csv", positions, lambda: exports.to_csv(rows(), exports.POSITION_FIELDS)
    yield "positions.json", positions, lambda: _json(rows())
    current = (digest.current, sorted(stale_pairs))  # sorted: a set's order differs between processes
    yield "actors.json", current, lambda: _json(exports.actors_data(digest, page_of, stale_pairs))
    yield "issues.json", current, lambda: _json(exports.issues_data(digest, page_of, stale_pairs))
    for b in digest.briefings:
        # The body's key stands for the briefing (neighbours' dates included) and the settings.
        yield (
            f"briefings/{b.date}.json",
            articles[b.date].body_key,
            partial(lambda b: _json(exports.briefing_data(b, rows_of(b), page_of)), b),
        )


def _grouped(rows, key):
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _json(data):
    """Compact JSON as UTF-8 bytes (those of json.dumps with separators=(",", ":") and
    ensure_ascii=False), written by orjson: six times faster, and a list is not held in pieces;
    bytes, not text, so that positions.json (50 MB at ten years) is not held twice more."""
    return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)


@jinja2.pass_context
def _stance_timeline(context, actor, issue, start):
    """The timeline (charts.Timeline) of one actor's stance on one issue, from `start` to the last
    briefing, which the theme draws (timeline_chart).

    The page gives the start (its first recorded position), not the first briefing: one briefing
    dated decades early would otherwise squeeze every chart into a sliver.
    """
    digest = context["briefing_digest"]
    recorded = digest.changes_by_pair.get((actor, issue), ())
    return charts.timeline(recorded, start, digest.briefings[-1].date, digest.stances, digest.evidence_words)
