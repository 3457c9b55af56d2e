"""Pure: every table of the site as data, with stable ids (CSV and JSON are written by pages.py)."""

import csv
import io
from collections import Counter
from pathlib import PurePath

from .changes import anchor, moves

# Each field of positions.csv and positions.json, and what it means; the data page shows these.
POSITION_FIELDS = {
    "id": "stable id: date/actor/issue, and /note when several notes record the pair that day",
    "date": "the briefing date (YYYY-MM-DD) the position was recorded on",
    "actor": "actor id (see actors.json)",
    "actor_name": "the actor's display name",
    "issue": "issue id (see issues.json)",
    "issue_title": "the issue's title",
    "stance": "stance id: one of the site's stance vocabulary",
    "stance_label": "the stance in words",
    "evidence": "what the claim rests on: one of the site's evidence vocabulary, or empty when not stated",
    "evidence_label": "the evidence in words",
    "withdrawn": "true when the actor withdrew this stance: from this date no position is known",
    "quote": "the actor's words, verbatim, if recorded",
    "note": "the editor's comment, if any",
    "source_url": "where the claim comes from",
    "source_title": "the source's title, if given",
    "source_publisher": "the source's publisher, if given",
    "briefing": "the briefing page's address, relative to the site",
}


# Each field of changes.csv and changes.json: one row per stance that moved (never a restatement).
CHANGE_FIELDS = {
    "id": "stable id: date/actor/issue (one change per pair and day)",
    "date": "the briefing date (YYYY-MM-DD) of the change",
    "actor": "actor id",
    "issue": "issue id",
    "change": "new, changed, reversed (between the opposite stances) or withdrawn",
    "from": "the stance id held before, empty when none was known",
    "to": "the stance id held after, empty when withdrawn",
    "evidence": "what the change rests on (evidence id), empty when not stated",
    "source_url": "where the claim comes from",
    "briefing": "the change's line in its briefing, relative to the site",
}


def change_rows(digest, page_of):
    """One dict per change of stance, oldest first, with CHANGE_FIELDS as keys."""
    found = [c for pair in digest.changes_by_pair.values() for c in moves(pair)]
    found.sort(key=lambda c: (c.position.date, c.position.actor, c.position.issue))
    return [
        {
            "id": f"{c.position.date.isoformat()}/{c.position.actor}/{c.position.issue}",
            "date": c.position.date.isoformat(),
            "actor": c.position.actor,
            "issue": c.position.issue,
            "change": c.mark,
            "from": c.previous.stance if c.previous else "",
            "to": "" if c.position.withdrawn else c.position.stance,
            "evidence": c.position.evidence,
            "source_url": c.position.source.url if c.position.source else "",
            "briefing": f"{page_of('briefing', c.position.date)}#{anchor(c.position)}",
        }
        for c in found
    ]


def position_rows(digest, page_of, briefings=None):
    """One dict per position recorded in `briefings` (by default every one), oldest first, with
    POSITION_FIELDS as keys."""
    rows = []
    for briefing in digest.briefings if briefings is None else briefings:
        pairs = Counter((p.actor, p.issue) for p in briefing.positions)
        for p in briefing.positions:
            base = f"{p.date.isoformat()}/{p.actor}/{p.issue}"
            source = p.source
            rows.append({
                # Named by the note, not by order, so adding a note never renumbers another's.
                "id": base if pairs[(p.actor, p.issue)] == 1 else f"{base}/{_note_name(p.path)}",
                "date": p.date.isoformat(),
                "actor": p.actor,
                "actor_name": digest.actors[p.actor].name,
                "issue": p.issue,
                "issue_title": digest.issues[p.issue].title,
                "stance": p.stance,
                "stance_label": digest.stances[p.stance],
                "evidence": p.evidence,
                "evidence_label": digest.evidence[p.evidence] if p.evidence else "Not stated",
                "withdrawn": p.withdrawn,
                "quote": p.quote,
                "note": p.note,
                "source_url": source.url if source else "",
                "source_title": source.title if source else "",
                "source_publisher": source.publisher if source else "",
                "briefing": page_of("briefing", p.date),
            })  # fmt: skip
    return rows


def _note_name(path):
    return PurePath(path).stem


def actors_data(digest, page_of, stale):
    return [
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind,
            "role": a.role,
            "affiliation": a.affiliation,
            "aliases": list(a.aliases),
            "links": list(a.links),
            "page": page_of("actor", a.id),
            "current": _current(digest, lambda key, a=a: key[0] == a.id, 1, stale),
        }
        for a in digest.actors.values()
    ]


def issues_data(digest, page_of, stale):
    return [
        {
            "id": i.id,
            "title": i.title,
            "question": i.question,
            "keywords": list(i.keywords),
            "page": page_of("issue", i.id),
            "current": _current(digest, lambda key, i=i: key[1] == i.id, 0, stale),
        }
        for i in digest.issues.values()
    ]


def _current(digest, wanted, other, stale):
    """The latest stance on each issue (of an actor) or of each actor (on an issue); `stale`, the
    pairs not restated for BRIEFING_STALE_STANCE_DAYS (digest.stale)."""
    return {
        key[other]: {
            "stance": s.position.stance,
            "date": s.position.date.isoformat(),
            "evidence": s.position.evidence,
            "stale": key in stale,
        }
        for key, s in digest.current.items()
        if wanted(key)
    }


def briefing_data(briefing, rows, page_of):
    """One briefing as data: its notes, its rows of positions.json, its standings and news."""
    return {
        "date": briefing.date.isoformat(),
        "page": page_of("briefing", briefing.date),
        "previous": briefing.previous.isoformat() if briefing.previous else None,
        "next": briefing.next.isoformat() if briefing.next else None,
        "notes": [
            {
                "title": n.title,
                "summary": n.summary,
                "tags": list(n.tags),
                "sources": [
                    {"id": s.id, "url": s.url, "title": s.title, "publisher": s.publisher} for s in n.sources
                ],
            }
            for n in briefing.notes
        ],
        "positions": rows,
        "standings": [
            {
                "actor": a,
                "issue": i,
                "stance": s.position.stance,
                "date": s.position.date.isoformat(),
                "mark": s.mark,
            }
            for (a, i), s in briefing.standings.items()
        ],
        "news": [
            {
                "title": m.item.title,
                "link": m.item.link,
                "publisher": m.item.publisher,
                "published": m.item.published.isoformat(),
                "actors": list(m.actors),
                "issues": list(m.issues),
                "also": [{"publisher": p, "link": link} for p, link in m.item.also],
            }
            for m in briefing.mentions
        ],
    }


# A cell starting with one of these is run as a formula by spreadsheets (=HYPERLINK(...), +cmd|...).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows, fields):
    """CSV of the rows; a text cell a spreadsheet would run as a formula starts with ' (OWASP's
    advice), so it is read as text. The JSON files carry every value as it is."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([_cell(row[field]) for field in fields] for row in rows)
    return out.getvalue()


def _cell(value):
    if isinstance(value, bool):
        return str(value).lower()  # true/false as JSON spells them, rather than Python's True/False
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
