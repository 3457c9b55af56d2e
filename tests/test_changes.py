"""The feeds of stance changes and changes.json: one entry per move, none for a restatement, ids
that survive a correction; linked from the actor's and issue's pages."""

import csv
import json

import feedparser
import pytest
from conftest import build, write

SITE = "https://example.test/digest"
NOTE = """\
date: {day}
title: Day {day}
sources:
  - {{id: wire, url: "https://wire.test/{day}", title: "Report of {day}", publisher: Wire}}
positions:
  - {{actor: ann, issue: troops, stance: {stance}, evidence: {evidence}, source: wire, quote: "Words of {day}"}}
"""
MOVES = [
    ("2025-03-01", "conditional", "on-record"),  # new
    ("2025-03-02", "conditional", "on-record"),  # a restatement: no entry
    ("2025-03-03", "supports", "reported"),  # changed, on a report alone
    ("2025-03-04", "opposes", "official-text"),  # reversed
]


def story(folder, corrected=False, timed=False, **options):
    files = {
        "content/briefing/actors.yml": "ann:\n  name: Ann Example\nbob:\n  name: Bob\n",
        "content/briefing/issues.yml": "troops:\n  title: Peacekeepers & <troops>\n",
        "content/briefing/feeds.yml": "",
        "content/notes/2025-03-05.yml": (
            "date: 2025-03-05\ntitle: Withdrawn\npositions:\n"
            "  - {actor: ann, issue: troops, stance: opposes, withdrawn: true, evidence: on-record}\n"
        ),
    }
    for day, stance, evidence in MOVES:
        files[f"content/notes/{day}.yml"] = NOTE.format(day=day, stance=stance, evidence=evidence)
    if timed:  # the editor gives the note its time of day
        files["content/notes/2025-03-03.yml"] = files["content/notes/2025-03-03.yml"].replace(
            "date: 2025-03-03", "date: 2025-03-03T18:00:00+00:00", 1
        )
    if corrected:
        files["content/notes/2025-03-03.yml"] += (
            "corrected:\n  - {date: 2025-03-06, text: The quote was fixed}\n"
        )
    write(folder, files)
    return build(
        folder / "content", folder / "output", SITEURL=SITE, FEED_DOMAIN=SITE, RELATIVE_URLS=False,
        BRIEFING_SEARCH=False, **options,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return story(tmp_path_factory.mktemp("changes"))


def body(entry):
    return entry.content[0].value if "content" in entry else entry.description


def parsed(site, path):
    feed = feedparser.parse((site / path).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    return feed


TITLES = [
    "Ann Example · Peacekeepers & <troops>: Opposes → No known position (withdrawn)",
    "Ann Example · Peacekeepers & <troops>: Supports → Opposes (reversal)",
    "Ann Example · Peacekeepers & <troops>: Conditional → Supports",
    "Ann Example · Peacekeepers & <troops>: No known position → Conditional",
]


@pytest.mark.parametrize(
    "path",
    [
        "feeds/changes.atom.xml",
        "feeds/changes.rss.xml",
        "feeds/actors/ann.changes.atom.xml",
        "feeds/actors/ann.changes.rss.xml",
        "feeds/issues/troops.changes.atom.xml",
        "feeds/issues/troops.changes.rss.xml",
    ],
)
def test_one_entry_per_move_and_none_for_a_restatement(site, path):
    feed = parsed(site, path)
    titles = [e.title.replace("\u2039", "<").replace("\u203a", ">") for e in feed.entries]
    assert titles == TITLES
    changed = feed.entries[2]
    assert changed.link == f"{SITE}/briefings/2025/03/03/#change-2025-03-03-ann--troops"
    assert "Words of 2025-03-03" in body(changed) and 'href="https://wire.test/2025-03-03"' in body(changed)
    assert "It rests on: reported (not confirmed by Ann Example: reported only)." in body(changed)
    assert "It rests on: official text." in body(feed.entries[1])


def test_each_entry_links_to_its_line_in_what_changed(site):
    page = (site / "briefings/2025/03/04/index.html").read_text(encoding="utf-8")
    line = page[page.index('id="change-2025-03-04-ann--troops"') :].split("</li>")[0]
    assert 'class="mark mark-reversed">Reversed</strong>' in line
    assert "not confirmed" not in line  # an official text is the actor's own word
    day3 = (site / "briefings/2025/03/03/index.html").read_text(encoding="utf-8")
    assert "(not confirmed by Ann Example: reported only)" in day3


def test_an_actor_without_moves_has_an_empty_feed_and_pages_link_theirs(site, tmp_path):
    empty = parsed(site, "feeds/actors/bob.changes.atom.xml")
    assert empty.entries == [] and empty.feed.updated == "1970-01-01T00:00:00+00:00"  # not the clock
    again = story(tmp_path)  # another build, cold: the same bytes
    assert (again / "feeds/actors/bob.changes.atom.xml").read_bytes() == (
        site / "feeds/actors/bob.changes.atom.xml"
    ).read_bytes()
    title = parsed(site, "feeds/issues/troops.changes.rss.xml").feed.title
    assert title.endswith("Peacekeepers & \u2039troops\u203a: changes of stance"), title
    for page, feed in (("actors/ann", "feeds/actors/ann"), ("issues/troops", "feeds/issues/troops")):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert (
            f'<link href="{SITE}/{feed}.changes.atom.xml" type="application/atom+xml" rel="alternate"' in html
        )
        assert f'<a href="{SITE}/{feed}.changes.rss.xml">RSS feed of changes</a>' in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{SITE}/feeds/changes.atom.xml">Atom</a>' in home


def test_a_correction_keeps_each_entry_id_and_updates_its_time(site, tmp_path):
    again = story(tmp_path, corrected=True)
    before = {e.title: e for e in parsed(site, "feeds/changes.atom.xml").entries}
    after = {e.title: e for e in parsed(again, "feeds/changes.atom.xml").entries}
    assert {t: e.id for t, e in before.items()} == {t: e.id for t, e in after.items()}
    assert len({e.id for e in after.values()}) == 4
    corrected = next(t for t in after if "Conditional → Supports" in t)
    assert after[corrected].updated.startswith("2025-03-06") and before[corrected].updated.startswith(
        "2025-03-03"
    )
    others = [t for t in after if t != corrected]
    assert all(after[t].updated == before[t].updated for t in others)


def test_a_warm_build_dates_an_entry_by_its_notes_new_time(tmp_path):
    cached = {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}
    story(tmp_path, **cached)
    site = story(tmp_path, timed=True, **cached)
    entry = next(
        e for e in parsed(site, "feeds/changes.atom.xml").entries if "Conditional → Supports" in e.title
    )
    assert entry.published == "2025-03-03T18:00:00+00:00"


def test_the_open_data_lists_every_move(site):
    rows = list(csv.DictReader((site / "data/changes.csv").open(encoding="utf-8")))
    assert [(r["date"], r["change"], r["from"], r["to"], r["evidence"]) for r in rows] == [
        ("2025-03-01", "new", "", "conditional", "on-record"),
        ("2025-03-03", "changed", "conditional", "supports", "reported"),
        ("2025-03-04", "reversed", "supports", "opposes", "official-text"),
        ("2025-03-05", "withdrawn", "opposes", "", "on-record"),
    ]
    as_json = json.loads((site / "data/changes.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in as_json] == [r["id"] for r in rows]
    assert as_json[1]["briefing"] == "briefings/2025/03/03/#change-2025-03-03-ann--troops"
