"""The scorecard: who stands where at a glance, on the issues page whole and on the home page for
the most active; each cell said in full for screen readers and linked to the briefing that set it."""

import re
from datetime import date

from browsing import chromium, serve
from conftest import build, write
from test_digest import digest, note

from briefing.core.scorecard import chosen, scorecard


def test_cells_say_when_the_stance_was_set_and_whether_it_is_recent_or_stale():
    d = digest([
        note("2025-03-01", ("ann", "tax", "supports"), ("bob", "war", "opposes")),
        note("2025-03-20", ("ann", "tax", "supports")),  # restated: still set on 1 March
        note("2025-06-01", ("ann", "war", "conditional")),
        note("2025-06-05", ("bob", "tax", "supports")),
    ])  # fmt: skip
    card = scorecard(d, ("ann", "bob"), ("tax", "war"), recent_days=7, stale={("bob", "war")})
    assert [actor for actor, _ in card.rows] == ["ann", "bob"]
    (tax, war), (bob_tax, bob_war) = (cells for _, cells in card.rows)
    assert (tax.set_by.date, tax.latest.date, tax.recent, tax.stale) == (
        date(2025, 3, 1), date(2025, 3, 20), False, False,
    )  # fmt: skip
    assert war.set_by.stance == "conditional" and war.recent  # 4 days before the last briefing
    assert bob_tax.recent and bob_war.stale and not bob_war.recent


def test_a_stance_set_again_after_a_change_or_a_withdrawal_is_set_anew():
    d = digest([
        note("2025-03-01", ("ann", "tax", "supports")),
        note("2025-03-02", ("ann", "tax", "opposes")),
        note("2025-03-03", ("ann", "tax", "supports")),
    ])  # fmt: skip
    ((_, (cell, war)),) = scorecard(d, ("ann",), ("tax", "war"), 7, frozenset()).rows
    assert cell.set_by.date == date(2025, 3, 3)
    assert war is None  # no known position


def test_the_actors_and_issues_shown_are_the_most_active_or_those_named():
    d = digest([
        note("2025-03-01", ("bob", "tax", "supports"), ("bob", "war", "opposes"), ("cy", "war", "opposes")),
        note("2025-03-02", ("bob", "tax", "supports"), ("ann", "war", "supports")),
    ])  # fmt: skip
    assert chosen(d, "actor", 2) == ("ann", "bob")  # bob 3, ann and cy 1 each: the first in order
    assert chosen(d, "actor", None) == ("ann", "bob", "cy")
    assert chosen(d, "actor", ["cy", "nobody"]) == ("cy",)
    assert chosen(d, "issue", 1) == ("war",)


NOTE = """\
date: {day}
title: Day {day}
positions:
  - {{actor: {actor}, issue: {issue}, stance: {stance}, evidence: on-record}}
"""


def story(folder, days, **settings):
    files = {
        "content/briefing/actors.yml": "ann:\n  name: Ann Example\nbob:\n  name: Bob\n",
        "content/briefing/issues.yml": "tax:\n  title: Tax\nwar:\n  title: War\n",
        "content/briefing/feeds.yml": "",
    }
    for day, actor, issue, stance in days:
        files[f"content/notes/{day}-{actor}.yml"] = NOTE.format(
            day=day, actor=actor, issue=issue, stance=stance
        )
    write(folder, files)
    options = {"BRIEFING_SEARCH": False, "CACHE_CONTENT": True, "CACHE_PATH": str(folder / "cache")}
    return build(folder / "content", folder / "out", **options, **settings)


DAYS = [
    ("2025-01-01", "ann", "tax", "supports"),
    ("2025-01-02", "bob", "war", "opposes"),
    *[(f"2025-02-{n:02}", "ann", "war", "conditional") for n in range(1, 13)],  # twelve briefings
]


def test_the_issues_page_and_the_home_page_show_it(tmp_path):
    site = story(tmp_path, DAYS, DEFAULT_PAGINATION=10, BRIEFING_SCORECARD_ACTORS=1)
    issues = (site / "issues/index.html").read_text(encoding="utf-8")
    grid = issues[
        issues.index('<table class="scorecard"') : issues.index("</table>", issues.index("scorecard"))
    ]
    assert grid.count('<tr><th scope="row">') == 2
    # Ann on tax, set on 1 January: linked to its line in that day's What changed.
    cell = re.search(r'<td class="stance-supports"><a href="([^"]+)">(.*?)</a></td>', grid).groups()
    assert cell[0] == "../briefings/2025/01/01/#change-2025-01-01-ann--tax"
    assert cell[1] == (
        '<span aria-hidden="true">+</span><span class="visually-hidden">Ann Example on Tax: supports since'
        " 1 January 2025, on record</span>"
    )
    day = (site / "briefings/2025/01/01/index.html").read_text(encoding="utf-8")
    assert 'id="change-2025-01-01-ann--tax"' in day
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (
        'id="scorecard-home"' in home
        and "Bob" not in home[home.index("scorecard-home") :].split("</table>")[0]
    )
    assert "scorecard" not in (site / "index2.html").read_text(encoding="utf-8")


def test_recent_and_stale_marks_and_a_warm_home_page_follow_the_story(tmp_path):
    site = story(tmp_path, DAYS, BRIEFING_STALE_STANCE_DAYS=30)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<td class="stance-supports stale"><a' in home and "+°</span>" in home
    assert "not restated since 1 January 2025" in home
    assert '<td class="stance-conditional"><a' in home  # set on 1 February: not in the last 7 days
    assert (
        '<td class="stance-opposes stale"><a href="./briefings/2025/01/02/#change-2025-01-02-bob--war">'
        in home
    )
    # An editor corrects Bob's stance in an old note, on no briefing the home page lists: the home
    # page, put in place from the cache otherwise, shows it.
    days = [("2025-01-02", "bob", "war", "supports") if d[1] == "bob" else d for d in DAYS]
    site = story(tmp_path, days, BRIEFING_STALE_STANCE_DAYS=30)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (
        '<td class="stance-supports stale"><a href="./briefings/2025/01/02/#change-2025-01-02-bob--war">'
        in home
    )
    issues = (site / "issues/index.html").read_text(encoding="utf-8")  # kept in the cache too
    assert (
        '<td class="stance-supports stale"><a href="../briefings/2025/01/02/#change-2025-01-02-bob' in issues
    )


def test_it_stays_usable_at_a_hundred_actors_and_fifty_issues(tmp_path):
    """5,000 cells, the most the issues page shows (of 120 actors and 60 issues here): the page stays
    light, never scrolls sideways, and the names stay in view."""
    actors = "".join(f"actor-{a}:\n  name: Actor Number {a}\n" for a in range(120))
    issues = "".join(f"issue-{i}:\n  title: The open question number {i}\n" for i in range(60))
    files = {"content/briefing/actors.yml": actors, "content/briefing/issues.yml": issues}
    files["content/briefing/feeds.yml"] = ""
    stances = ("supports", "opposes", "conditional", "unclear")
    for day in range(1, 29):
        positions = "".join(
            f"  - {{actor: actor-{(day * 7 + n) % 120}, issue: issue-{(day * 3 + n * 11) % 60},"
            f" stance: {stances[(day + n) % 4]}, evidence: reported}}\n"
            for n in range(60)
        )
        files[f"content/notes/2025-02-{day:02}.yml"] = (
            f"date: 2025-02-{day:02}\ntitle: Day {day}\npositions:\n{positions}"
        )
    write(tmp_path, files)
    site = build(tmp_path / "content", tmp_path / "out", BRIEFING_SEARCH=False)
    page = (site / "issues/index.html").read_bytes()
    grid = page[page.index(b'<table class="scorecard"') : page.index(b"</table>", page.index(b"scorecard"))]
    assert grid.count(b'<tr><th scope="row">') == 100 and grid.count(b"<td") == 100 * 50 + 1  # and its corner
    assert len(page) < 1_500_000, len(page)
    assert (
        b"The 100 most active of the 120 actors with a recorded stance, on the 50 most debated of 60 issues"
        in page
    )
    with serve(site) as url, chromium() as browser:
        tab = browser.new_page(viewport={"width": 320, "height": 700})
        for path in ("issues/", ""):
            tab.goto(url + path)
            assert (
                tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                <= 0
            )
        tab.goto(url + "issues/")
        box = tab.locator(".scorecard-wrap").first
        box.evaluate("b => { b.scrollLeft = 3000; }")
        kept = tab.evaluate("""() => {
            const box = document.querySelector('.scorecard-wrap'), name = box.querySelector('tbody th');
            return [box.scrollLeft, name.getBoundingClientRect().left - box.getBoundingClientRect().left];
        }""")
        assert kept[0] > 1000 and abs(kept[1]) <= 1, kept  # scrolled, and the actor's name still in view
