"""Whole builds of small sites written here: another topic, a broken note, stable feed ids."""

import json
import shutil
from datetime import date, timedelta

import feedparser
import pytest
from conftest import ROOT, build, write
from pelican import Pelican
from pelican.settings import read_settings

from briefing.ingest import state
from briefing.site import articles
from briefing.site.packs import Packs

# A topic with nothing in common with the sample: a city council's budget fight.
COUNCIL = {
    "content/briefing/actors.yml": """
        ana-lopez:
          name: Ana López
          kind: person
          role: Mayor
          affiliation: Riverton
          aliases: [Mayor López]
        transit-union:
          name: Riverton Transit Union
          kind: organisation
          aliases: [RTU]
    """,
    "content/briefing/issues.yml": """
        bus-fares:
          title: Free buses
          question: Should buses be free?
          keywords: [fare-free, bus fares]
    """,
    "content/briefing/feeds.yml": """
        gazette:
          title: Riverton Gazette
          url: feeds/gazette.xml
    """,
    "content/notes/2024-11-05.md": """
        ---
        date: 2024-11-05
        title: Budget <em>week</em> opens
        summary: The council starts on the budget.
        positions:
          - actor: ana-lopez
            issue: bus-fares
            stance: supports
            quote: Buses should be free.
            source: https://gazette.test/1
        ---
        The mayor set out her plan. <script>alert(1)</script>
    """,
    "content/notes/2024-11-07.yml": """
        date: 2024-11-07
        title: Union answers
        positions:
          - actor: transit-union
            issue: bus-fares
            stance: conditional
          - actor: ana-lopez
            issue: bus-fares
            stance: conditional
            note: Now wants a trial first.
    """,
}
ITEM = {
    "id": "g-1", "feed": "gazette", "title": "RTU weighs fare-free buses", "link": "https://gazette.test/2",
    "published": "2024-11-06T09:00:00+00:00", "summary": "<p>The union met.</p>", "author": "",
    "publisher": "Riverton Gazette", "fetched": "2024-11-06T10:00:00+00:00",
}  # fmt: skip


@pytest.fixture
def council(tmp_path):
    write(tmp_path, COUNCIL)
    (tmp_path / "content/archive").mkdir()
    (tmp_path / "content/archive/2024-11.jsonl").write_text(json.dumps(ITEM) + "\n", encoding="utf-8")
    return tmp_path


def test_another_topic_builds(council):
    site = build(council / "content", council / "output")
    first = (site / "briefings/2024/11/05/index.html").read_text(encoding="utf-8")
    assert "Ana López" in first and "Supports" in first
    # An editor's title keeps no markup; their Markdown keeps no script.
    assert "Budget &lt;em&gt;week&lt;/em&gt; opens" in first and "<script" not in first
    item_day = (site / "briefings/2024/11/06/index.html").read_text(encoding="utf-8")
    assert "RTU weighs fare-free buses" in item_day and "Riverton Transit Union" in item_day
    later = (site / "briefings/2024/11/07/index.html").read_text(encoding="utf-8")
    assert 'stance-conditional">Conditional</span> <strong class="mark mark-changed">Changed' in later
    assert (site / "actors/transit-union/index.html").exists()
    assert (site / "issues/bus-fares/index.html").exists()
    parsed = feedparser.parse((site / "feeds/issues/bus-fares.atom.xml").read_bytes())
    assert [e.title for e in parsed.entries] == [
        "Union answers",
        "Briefing for 6 November 2024",
        "Budget \u2039em\u203aweek\u2039/em\u203a opens",  # brackets no feed reader takes for a tag
    ]


def test_feed_ids_are_stable_across_rebuilds(council):
    first = build(council / "content", council / "out1", SITEURL="https://x.test", RELATIVE_URLS=False)
    second = build(council / "content", council / "out2", SITEURL="https://x.test", RELATIVE_URLS=False)
    ids = [
        [e.id for e in feedparser.parse((s / "feeds/all.atom.xml").read_bytes()).entries]
        for s in (first, second)
    ]
    assert ids[0] == ids[1] and len(ids[0]) == 3


def test_a_broken_note_stops_the_build_and_keeps_the_old_site(council, caplog):
    site = build(council / "content", council / "output", DELETE_OUTPUT_DIRECTORY=True)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    write(
        council,
        {
            "content/notes/2024-11-08.yml": "date: 2024-11-08\ntitle: X\npositions:\n  - actor: ana-lopes\n    issue: bus-fares\n    stance: supports\n"
        },
    )
    with pytest.raises(SystemExit) as exited:
        build(council / "content", council / "output", DELETE_OUTPUT_DIRECTORY=True)
    assert exited.value.code == 1
    assert (
        "content/notes/2024-11-08.yml:4: unknown actor 'ana-lopes'; did you mean 'ana-lopez'?" in caplog.text
    )
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_sources_page_opml_and_last_ingested(council):
    write(council, {"content/briefing/feeds.yml": COUNCIL["content/briefing/feeds.yml"] + """
        wire:
          title: Riverton <Wire>
          url: https://wire.test/feed.xml
    """})  # fmt: skip
    state.save(council / "content/archive", {
        "gazette": state.FeedState(url="feeds/gazette.xml", status="ok", last_attempt="2024-11-30T08:00:00+00:00", last_success="2024-11-30T08:00:00+00:00",
                                   first_attempt="2024-11-01T08:00:00+00:00", last_new_item="2024-11-06T10:00:00+00:00"),
        "wire": state.FeedState(url="https://wire.test/feed.xml", fetch_url="https://wire.test/moved.xml", status="failed",
                                http_status=500, failures=3, error="HTTP 500", last_attempt="2024-11-29T08:00:00+00:00"),
    })  # fmt: skip
    site = build(council / "content", council / "output")
    sources = (site / "sources/index.html").read_text(encoding="utf-8")
    gazette = sources[
        sources.index("Riverton Gazette") : sources.index("</tr>", sources.index("Riverton Gazette"))
    ]
    assert "ok" in gazette and "Stale" in gazette  # nothing new for 24 days, more than 14
    wire = sources[sources.index("Riverton &lt;Wire&gt;") :]
    assert (
        "failed" in wire
        and "HTTP 500" in wire
        and "<td>3</td>" in wire
        and "Moved to https://wire.test/moved.xml" in wire
    )
    opml = (site / "sources.opml").read_text(encoding="utf-8")
    assert (
        '<outline type="rss" text="Riverton &lt;Wire&gt;"' in opml
        and 'xmlUrl="https://wire.test/moved.xml"' in opml
    )
    assert "gazette.xml" not in opml  # a local sample is no address for a feed reader
    index = (site / "index.html").read_text(encoding="utf-8")
    assert (
        'News last ingested <time datetime="2024-11-30T08:00:00+00:00">30 November 2024, 08:00 UTC</time>'
        in index
    )


def test_a_withdrawal_shows_in_what_changed_history_and_chart(council):
    write(council, {"content/notes/2024-11-09.yml": """
        date: 2024-11-09
        title: The union steps back
        positions:
          - actor: transit-union
            issue: bus-fares
            stance: conditional
            withdrawn: true
            note: Says it no longer takes a position while members vote.
    """})  # fmt: skip
    site = build(council / "content", council / "output")
    day = (site / "briefings/2024/11/09/index.html").read_text(encoding="utf-8")
    changes = day[day.index('id="changes"') :]
    assert (
        'mark-withdrawn">Withdrawn</strong> <a href="../../../../actors/transit-union/">Riverton Transit Union</a>'
        in changes
    )
    assert "No known position" in changes[: changes.index("</section>")]
    actor = (site / "actors/transit-union/index.html").read_text(encoding="utf-8")
    assert (
        "Conditional from 7 November 2024 (evidence not stated); No known position (withdrawn) from 9 November 2024."
        in actor
    )
    assert "No known position" in actor[actor.index('id="current"') : actor.index('id="over-time"')]


def test_publishconf_gives_absolute_addresses_and_pages_files(council, monkeypatch, chdir_root):
    monkeypatch.setenv("SITEURL", "https://someone.github.io/riverton/")
    settings = read_settings(str(chdir_root / "publishconf.py"), override={
        "PATH": str(council / "content"), "OUTPUT_PATH": str(council / "out"), "THEME": str(chdir_root / "themes/briefing"),
        "PLUGIN_PATHS": [str(chdir_root / "plugins")], "BRIEFING_SEARCH": False,
        # A custom domain for GitHub Pages, as Pelican publishes any such file.
        "STATIC_PATHS": ["extra/CNAME"], "EXTRA_PATH_METADATA": {"extra/CNAME": {"path": "CNAME"}},
    })  # fmt: skip
    write(council, {"content/extra/CNAME": "news.example.org\n"})
    Pelican(settings).run()
    out = council / "out"
    page = (out / "briefings/2024/11/05/index.html").read_text(encoding="utf-8")
    assert 'href="https://someone.github.io/riverton/actors/ana-lopez/"' in page
    assert '<link rel="canonical" href="https://someone.github.io/riverton/briefings/2024/11/05/">' in page
    feed = feedparser.parse((out / "feeds/all.atom.xml").read_bytes())
    assert feed.feed.id == "https://someone.github.io/riverton/feeds/all.atom.xml"
    assert all(e.link.startswith("https://someone.github.io/riverton/briefings/") for e in feed.entries)
    assert (out / "CNAME").read_text() == "news.example.org\n"


def test_a_correction_shows_on_the_page_and_updates_the_feed_entry(council):
    before = build(
        council / "content",
        council / "out1",
        SITEURL="https://x.test",
        RELATIVE_URLS=False,
        FEED_DOMAIN="https://x.test",
    )
    note = council / "content/notes/2024-11-05.md"
    text = note.read_text(encoding="utf-8").replace(
        "positions:",
        "corrected:\n  - date: 2024-11-08T10:00:00+00:00\n    text: An earlier version gave the wrong <b>fare</b>.\npositions:",
    )
    note.write_text(text, encoding="utf-8")
    after = build(
        council / "content",
        council / "out2",
        SITEURL="https://x.test",
        RELATIVE_URLS=False,
        FEED_DOMAIN="https://x.test",
    )
    page = (after / "briefings/2024/11/05/index.html").read_text(encoding="utf-8")
    assert (
        '<time datetime="2024-11-08">8 November 2024</time>: An earlier version gave the wrong &lt;b&gt;fare&lt;/b&gt;.'
        in page
    )
    old, new = (feedparser.parse((s / "feeds/all.atom.xml").read_bytes()) for s in (before, after))
    assert [e.id for e in old.entries] == [e.id for e in new.entries]
    (entry,) = [e for e in new.entries if e.link.endswith("/2024/11/05/")]
    assert entry.updated.startswith("2024-11-08T10:00:00")
    assert "Corrections" in entry.content[0].value


def replace_in(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_rebuild_renders_again_only_the_briefings_that_changed(council):
    cache = council / "cache"
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(cache)}  # LOAD_CONTENT_CACHE: pelicanconf.py
    first = build(council / "content", council / "out1", **options)
    packs = Packs(cache / "briefing-bodies")
    bodies = set(packs.index)
    assert len(bodies) == 3  # one per briefing
    # A body read back from the cache, not rendered again: a marker put in it shows in the feed.
    marked = next(key for key in bodies if b"starts on the budget" in packs.get(key))
    packs.put(marked, packs.get(marked) + b"<p>from the cache</p>")
    packs.save(bodies)
    replace_in(council / "content/notes/2024-11-07.yml", "Now wants a trial first.", "Wants a trial.")
    site = build(council / "content", council / "out2", **options)
    assert "from the cache" in (site / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "Wants a trial." in (site / "briefings/2024/11/07/index.html").read_text(encoding="utf-8")
    assert "Wants a trial." in (site / "actors/ana-lopez/index.html").read_text(encoding="utf-8")  # not stale
    # A page whose inputs did not change is the file the first build wrote, linked from the cache.
    page = "briefings/2024/11/{}/index.html"
    assert same_file(first / page.format("05"), site / page.format("05"))
    assert not same_file(first / page.format("07"), site / page.format("07"))
    now = set(Packs(cache / "briefing-bodies").index)
    assert len(now) == 3 and len(now & bodies) == 2  # the changed one replaced, not kept
    # pelican --ignore-cache (invoke rebuild) renders everything again.
    fresh = build(council / "content", council / "out3", **(options | {"LOAD_CONTENT_CACHE": False}))
    assert "from the cache" not in (fresh / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert not same_file(first / page.format("05"), fresh / page.format("05"))


def same_file(a, b):
    return a.stat().st_ino == b.stat().st_ino


def test_a_warm_build_writes_the_same_site_as_a_cold_one(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}
    cold = build(tmp_path / "content", tmp_path / "cold", **options)
    warm = build(tmp_path / "content", tmp_path / "warm", **options)
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(warm) for p in warm.rglob("*") if p.is_file())
    assert len(files) > 100
    for name in files:
        assert (cold / name).read_bytes() == (warm / name).read_bytes(), name
    briefings = list(cold.glob("briefings/*/*/*/index.html"))
    assert briefings and all(same_file(p, warm / p.relative_to(cold)) for p in briefings)


def test_an_edited_note_changes_only_the_pages_that_show_it(council):
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(council / "cache")}
    first = build(council / "content", council / "out1", **options)
    replace_in(council / "content/notes/2024-11-05.md", "The mayor set out her plan.", "She set out a plan.")
    second = build(council / "content", council / "out2", **options)
    changed = {
        str(p.relative_to(first))
        for p in first.rglob("*.html")
        if p.read_bytes() != (second / p.relative_to(first)).read_bytes()
    }
    assert changed == {"briefings/2024/11/05/index.html"}
    assert "She set out a plan." in (second / "briefings/2024/11/05/index.html").read_text(encoding="utf-8")
    # Every other briefing page, actor and issue page and their feeds is the file the first build
    # wrote, put in place from the cache.
    reused = [*first.glob("briefings/*/*/*/index.html"), *first.glob("actors/*/index.html")]
    reused += [
        *first.glob("issues/*/index.html"),
        *first.glob("feeds/actors/*"),
        *first.glob("feeds/issues/*"),
    ]
    reused = {str(p.relative_to(first)) for p in reused} - changed
    assert len(reused) == 2 + 2 + 1 + 4 + 2 + 6  # and the 6 change feeds: the edit moved no stance
    assert all(same_file(first / name, second / name) for name in reused)


def test_links_an_editor_writes_in_a_note_resolve_on_the_page_and_in_feeds(council, caplog):
    replace_in(
        council / "content/notes/2024-11-05.md",
        "The mayor set out her plan.",
        "[The mayor]({actor}ana-lopez) set out [her plan]({issue}bus-fares), [then]({briefing}2024-11-07);"
        " [someone]({actor}nobody) disagreed.",
    )
    site = build(council / "content", council / "output", SITEURL="https://x.test/d", RELATIVE_URLS=False)
    page = (site / "briefings/2024/11/05/index.html").read_text(encoding="utf-8")
    feed = (site / "feeds/all.atom.xml").read_text(encoding="utf-8")
    for text in (page, feed.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')):
        assert '<a href="https://x.test/d/actors/ana-lopez/" rel' in text
        assert '<a href="https://x.test/d/issues/bus-fares/" rel' in text
        assert '<a href="https://x.test/d/briefings/2024/11/07/" rel' in text
        assert '<a href="{actor}nobody" rel' in text  # left as written, and reported
    assert "links to an unknown actor 'nobody'" in caplog.text
    relative = build(council / "content", council / "relative")
    page = (relative / "briefings/2024/11/05/index.html").read_text(encoding="utf-8")
    assert '<a href="../../../../actors/ana-lopez/" rel' in page


def test_actor_and_issue_pages_stay_bounded_as_the_story_grows(council):
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(57)]  # to 26 February
    write(
        council,
        {
            f"content/notes/{day}.yml": f"date: {day}\ntitle: Day {n}\npositions:\n  - actor: ana-lopez\n"
            f"    issue: bus-fares\n    stance: {('supports', 'opposes')[n % 2]}\n"
            f"    source: https://gazette.test/{n}\n"
            for n, day in enumerate(days)
        },
    )
    site = build(council / "content", council / "output")
    # 59 positions for her, 60 on the issue (the union's too): the latest 50 are shown.
    for page, earlier in (("actors/ana-lopez", 9), ("issues/bus-fares", 10)):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        history = html[html.index('id="history"') : html.index('id="briefings"')]
        assert history.count("<tr>") == 1 + 50  # the header row, then the positions
        assert f"{earlier} earlier positions are in the" in history and "26 February 2025" in history
        listed = html[html.index('id="briefings"') :]
        assert listed.count("<li>") == 50 and "Earlier briefings are in the" in listed


def test_bodies_and_pages_rendered_by_the_worker_pool_are_those_rendered_alone(council, monkeypatch):
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(articles.POOL_MIN)]
    write(
        council,
        {
            f"content/notes/{day}.yml": f"date: {day}\ntitle: Day {n}\npositions:\n  - actor: ana-lopez\n"
            f"    issue: bus-fares\n    stance: {('supports', 'opposes')[n % 2]}\n"
            for n, day in enumerate(days)
        },
    )
    # Pages are rendered by the pool into the cache, so both builds keep one.
    pooled = build(
        council / "content", council / "pooled", CACHE_CONTENT=True, CACHE_PATH=str(council / "c1")
    )
    monkeypatch.setattr(articles, "POOL_MIN", 10**6)
    alone = build(council / "content", council / "alone", CACHE_CONTENT=True, CACHE_PATH=str(council / "c2"))
    pages = sorted(p.relative_to(alone) for p in alone.glob("briefings/*/*/*/index.html"))
    assert len(pages) == len(days) + 3
    assert all((pooled / p).read_bytes() == (alone / p).read_bytes() for p in pages)
    assert (pooled / "feeds/all.atom.xml").read_bytes() == (alone / "feeds/all.atom.xml").read_bytes()


def test_cached_matches_follow_a_change_of_aliases(council):
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(council / "cache")}
    first = build(council / "content", council / "out1", **options)
    assert "2024/11/06" not in (first / "actors/ana-lopez/index.html").read_text(encoding="utf-8")
    replace_in(council / "content/briefing/actors.yml", "[Mayor López]", "[Mayor López, fare-free]")
    second = build(council / "content", council / "out2", **options)
    assert "2024/11/06" in (second / "actors/ana-lopez/index.html").read_text(encoding="utf-8")
    assert len(list((council / "cache/briefing-archive").iterdir())) == 1  # the old matches pruned


def test_a_warm_build_shows_every_change_of_a_position_an_item_or_a_neighbour(council):
    """Each edit reaches the pages and open data of a warm build, which match a cold build's."""
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(council / "cache")}
    build(council / "content", council / "out0", **options)
    archive = council / "content/archive/2024-11.jsonl"
    edits = [
        # one field of a position: its quote
        (
            lambda: replace_in(council / "content/notes/2024-11-05.md", "Buses should", "Buses must"),
            "Buses must",
        ),
        # one field of an archived item: its title
        (lambda: replace_in(archive, "RTU weighs fare-free buses", "RTU backs fare-free buses"), "RTU backs"),
        # a neighbour: a briefing after the last one, which the last one now links to
        (
            lambda: write(council, {"content/notes/2024-11-09.yml": "date: 2024-11-09\ntitle: Vote day\n"}),
            "2024/11/09",
        ),
    ]
    pages = {"Buses must": "2024/11/05", "RTU backs": "2024/11/06", "2024/11/09": "2024/11/07"}
    for n, (edit, shown) in enumerate(edits, start=1):
        edit()
        warm = build(council / "content", council / f"out{n}", **options)
        page = (warm / f"briefings/{pages[shown]}/index.html").read_text(encoding="utf-8")
        assert shown in page, shown
        data = (warm / f"data/briefings/{pages[shown].replace('/', '-')}.json").read_text(encoding="utf-8")
        assert shown.replace("/", "-") in data or shown in data, shown
        cold = build(council / "content", council / f"cold{n}")
        files = sorted(
            p.relative_to(cold) for p in cold.rglob("*") if p.is_file() and "pagefind" not in p.parts
        )
        for name in files:
            assert (cold / name).read_bytes() == (warm / name).read_bytes(), name
    assert "Buses must" in (warm / "data/positions.csv").read_text(encoding="utf-8")
