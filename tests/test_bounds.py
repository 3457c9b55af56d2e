"""Output grows with the content, never with a product of it: real builds of large made-up days."""

import json
from pathlib import Path

import pytest
from conftest import build, write

DAY = "2025-03-01"
PAGE = Path("briefings/2025/03/01/index.html")
FEED = "feed: {title: Wire, url: https://wire.test/feed}\n"


def crowded_day_site(base, n):
    """n actors and n issues, and notes of one day with n positions: actor k on issue k (a note
    holds at most 100 here, below BRIEFING_MAX_POSITIONS_PER_NOTE)."""
    actors = "".join(f"actor-{k}:\n  name: Actor {k}\n" for k in range(n))
    issues = "".join(f"issue-{k}:\n  title: Issue {k}\n" for k in range(n))
    notes = {
        f"content/notes/day-{first}.yml": f"date: {DAY}\ntitle: A crowded day\npositions:\n"
        + "".join(
            f"  - {{actor: actor-{k}, issue: issue-{k}, stance: supports}}\n"
            for k in range(first, first + 100)
        )
        for first in range(0, n, 100)
    }
    return write(base, {
        "content/briefing/actors.yml": actors,
        "content/briefing/issues.yml": issues,
        "content/briefing/feeds.yml": FEED,
        **notes,
    })  # fmt: skip


def sizes(base):
    output = build(base / "content", base / "output", BRIEFING_SEARCH=False)
    total = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    return (output / PAGE).stat().st_size, total, output


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """(briefing page bytes, site bytes, output) for 100 and for 400 positions."""
    return {n: sizes(crowded_day_site(tmp_path_factory.mktemp(f"n{n}"), n)) for n in (100, 400)}


def test_a_briefing_of_many_pairs_grows_linearly(crowded):
    (page_100, site_100, _), (page_400, site_400, output) = crowded[100], crowded[400]
    assert page_400 < 1_000_000, page_400  # an N x N matrix made 11 MB of it
    # Four times the positions: about four times the bytes, where a matrix gives sixteen.
    assert page_400 / page_100 < 5, (page_100, page_400)
    assert site_400 / site_100 < 5, (site_100, site_400)
    html = (output / PAGE).read_text(encoding="utf-8")
    standings = html[html.index('id="standings"') : html.index('id="news"') if 'id="news"' in html else None]
    assert standings.count("<tr>") == 400 + 1  # a row per recorded pair, and the header
    assert "No known position" in standings  # each pair is new: nothing before it


def test_actor_and_issue_pages_list_only_what_is_recorded(crowded):
    _, _, output = crowded[400]
    actor = (output / "actors/actor-7/index.html").read_text(encoding="utf-8")
    current = actor[actor.index('id="current"') : actor.index('id="over-time"')]
    assert (
        current.count('data-label="Stance"') == 1 and "No known position on the other 399 issues." in current
    )
    issues = (output / "issues/index.html").read_text(encoding="utf-8")
    standings = issues[issues.index('id="standings"') :]
    assert standings.count('href="/actors/') + standings.count("actors/actor-") >= 400
    assert "No known position" not in standings


def news_site(base, n):
    items = "".join(
        json.dumps({
            "id": f"i{k}", "feed": "feed", "title": f"Actor 0 speaks, take {k}", "link": f"https://wire.test/{k}",
            "published": f"{DAY}T{k // 60 % 24:02d}:{k % 60:02d}:00+00:00", "summary": "", "author": "",
            "publisher": "Wire", "fetched": f"{DAY}T23:59:00+00:00",
        }) + "\n"
        for k in range(n)
    )  # fmt: skip
    return write(base, {
        "content/briefing/actors.yml": "actor-0:\n  name: Actor 0\n",
        "content/briefing/issues.yml": "issue-0:\n  title: Issue 0\n",
        "content/briefing/feeds.yml": FEED,
        "content/archive/2025-03.jsonl": items,
    })  # fmt: skip


def test_a_day_of_many_news_items_lists_the_first_and_says_where_the_rest_are(tmp_path):
    base = news_site(tmp_path, 250)
    output = build(base / "content", base / "output", BRIEFING_SEARCH=False, BRIEFING_MAX_NEWS_ITEMS=30)
    html = (output / PAGE).read_text(encoding="utf-8")
    assert html.count('<p class="news-title">') == 30
    assert (
        "220 more news items of this day are not listed here. All 250 are in this briefing's open data: "
        "<code>data/briefings/2025-03-01.json</code>"
    ) in html
    feed = (output / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert feed.count("news-title") == 30 and "220 more news items" in feed
    data = json.loads((output / "data/briefings/2025-03-01.json").read_text(encoding="utf-8"))
    assert len(data["news"]) == 250
