"""Pure: the stance changes of the story (new, changed, reversed, withdrawn; never a restatement),
as the change feeds and the open data name them."""

import heapq
import operator

from .digest import MOVED

# A withdrawal counts only when a stance was held: withdrawing what was never recorded moves nothing.
MOVES = ("new", *MOVED, "withdrawn")
_NEWEST = operator.attrgetter("position.date", "position.actor", "position.issue")


def moves(changes):
    """The changes (digest.Change, oldest first) that moved a stance: one per pair and day, though
    two notes of the day may record it."""
    found = {}
    for c in changes:
        if c.mark in MOVES and (c.mark != "withdrawn" or c.previous):
            found.setdefault((c.position.date, c.position.actor, c.position.issue), c)
    return list(found.values())


def latest_moves(changes_by, limit):
    """The `limit` latest moves of all lists of changes in `changes_by` (a digest's changes_by_pair),
    newest first."""
    return heapq.nlargest(limit, (c for changes in changes_by.values() for c in moves(changes)), key=_NEWEST)


def anchor(position):
    """The id of a change's line in its briefing's "What changed", which its feed entry links to
    (the date too: a page may show several briefings)."""
    return f"change-{position.date.isoformat()}-{position.actor}--{position.issue}"


def unconfirmed(position, digest, unconfirmed_evidence):
    """'not confirmed by Ann: reported only' when the position rests only on others' word
    (BRIEFING_EVIDENCE_UNCONFIRMED), else ''."""
    if position.evidence not in unconfirmed_evidence:
        return ""
    name = digest.actors[position.actor].name
    return f"not confirmed by {name}: {digest.evidence_words(position.evidence)} only"


def title(change, digest):
    """'Emmanuel Macron · European peacekeepers: Conditional → Supports', in plain text."""
    p = change.position
    before = digest.stances[change.previous.stance] if change.previous else "No known position"
    after = "No known position (withdrawn)" if p.withdrawn else digest.stances[p.stance]
    reversal = " (reversal)" if change.mark == "reversed" else ""
    return f"{digest.actors[p.actor].name} · {digest.issues[p.issue].title}: {before} → {after}{reversal}"
