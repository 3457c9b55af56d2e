"""The feeds of stance changes: the site's, and each actor's and issue's (Atom and RSS), one entry
per new, changed, reversed or withdrawn stance, never a restatement."""

import html
from functools import cache

from ..core import changes
from .feeds import plain
from .outputs import write_feed
from .settings import url_for


class ChangeEntry:
    """A stance change as Pelican's feed writer reads an entry (Writer._add_item_to_the_feed).

    Its link is the change's line in its briefing, and its date the note's: Pelican makes the entry
    id of the two (a tag URI), so a correction of the note keeps the id and moves `modified` only.
    """

    def __init__(self, note, title, url, content):
        self.title = html.escape(title, quote=False)  # the writer strips tags, and unescapes
        self.url, self.summary, self._content = url, None, content
        self.date = plain(note.time)
        if note.corrections:
            self.modified = plain(max(c.time for c in note.corrections))

    def get_content(self, siteurl):
        return self._content


def _dated(note):
    return note.time, note.corrections


def write_change_feeds(generator, writer):
    """Every change feed the settings name, each written again only when what it shows changed."""
    digest, settings = generator.context["briefing_digest"], generator.settings
    limit = settings["FEED_MAX_ITEMS"]
    notes = cache(lambda: {n.path: n for b in digest.briefings for n in b.notes})
    feeds = []
    if any(settings[f"BRIEFING_CHANGES_FEED_{t}"] for t in ("ATOM", "RSS")):
        feeds.append(("", None, "changes of stance", changes.latest_moves(digest.changes_by_pair, limit)))
    for kind, entries in (("actor", digest.actors), ("issue", digest.issues)):
        if not any(settings[f"BRIEFING_{kind.upper()}_CHANGES_FEED_{t}"] for t in ("ATOM", "RSS")):
            continue  # switched off: not worked out either
        changes_of = digest.changes_by_actor if kind == "actor" else digest.changes_by_issue
        for key, entry in entries.items():
            shown = changes.moves(changes_of.get(key, ()))[-limit:][::-1]  # newest first
            name = entry.name if kind == "actor" else entry.title
            feeds.append((f"{kind}-", key, f"{name}: changes of stance", shown))
    template, made = generator.get_template("feed_change"), {}

    def entry(change):
        """The change's entry, made once though it is in three feeds (the site's, its actor's and
        its issue's): the same Change object is in each list of changes."""
        if id(change) not in made:
            p = change.position
            url = f"{url_for(settings, 'briefing', p.date)}#{changes.anchor(p)}"
            words = changes.title(change, digest)
            link = f"{generator.context['SITEURL']}/{url}"
            content = template.render(change=change, title=words, link=link, briefing_digest=digest)
            made[id(change)] = ChangeEntry(notes()[p.path], words, url, content)
        return made[id(change)]

    for feed in feeds:
        _write(generator, writer, feed, notes, entry)


def _write(generator, writer, feed, notes, entry):
    prefix, key, title, shown = feed
    settings = generator.settings
    # What the entries show: each change, the stance before it, and its note's time and corrections.
    cheap = [(c.position, c.previous, c.mark, _dated(notes()[c.position.path])) for c in shown]

    @cache
    def entries():
        return [entry(c) for c in shown]

    for feed_type in ("atom", "rss"):
        path = url_for(settings, f"{prefix}changes-{feed_type}", key)
        if path:
            kwargs = {"feed_type": feed_type, "feed_title": html.escape(title, quote=False)}  # as the entries
            write_feed(generator.outputs, writer, entries, generator.context, path, cheap, **kwargs)
