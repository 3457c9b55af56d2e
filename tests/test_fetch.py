"""invoke fetch against real HTTP servers on 127.0.0.1: polite, bounded, and it never loses an item."""

import fcntl
import gzip
import json
import re
import selectors
import shutil
import subprocess
import sys
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import write
from feedserver import (
    Server,
    compressed,
    conditional,
    drip,
    endless,
    gzip_bomb,
    hundred_megabytes,
    rss,
    sequence,
    slow_headers,
    slow_trailers,
)

from briefing.core import sanitize
from briefing.core.digest import merge_outlets
from briefing.core.match import Matcher
from briefing.core.model import Actor, Feed, Issue
from briefing.ingest import archive, parse, state
from briefing.ingest.fetch import FetchRefused, fetch_all, limits_from
from briefing.site.settings import DEFAULTS

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
LIMITS = replace(
    limits_from(DEFAULTS), deadline=2, connect_timeout=1, read_timeout=1, max_bytes=1_000_000, backoff=0.05
)
MATCHER = Matcher({"macron": Actor("macron", "Macron")}, {"truce": Issue("truce", "Truce")})
HOSTILE = (
    "Macron speaks <script>alert(0)</script>",
    "https://news.test/a?utm_source=rss&utm_medium=x",
    "a-1",
    '<p>Text</p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">go</a>',
)
GOOD = rss(HOSTILE, ("Truce in London", "https://news.test/b", "b-1", "<p>B</p>"))


@pytest.fixture
def server():
    s = Server()
    yield s
    s.stop()


def feed(server, name, **options):
    return Feed(id=name, title=name.title(), url=f"{server.base}/{name}.xml", **options)


def fetch(tmp_path, *feeds, now=NOW, limits=LIMITS):
    results = fetch_all({f.id: f for f in feeds}, tmp_path / "archive", tmp_path, limits, 8, now, MATCHER)
    return {r.feed: r for r in results}


def records(tmp_path):
    paths = map(Path, archive.files(tmp_path / "archive"))
    return [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines()]


def states(tmp_path):
    return state.load(tmp_path / "archive", tmp_path, [])


def test_one_failing_feed_does_not_stop_the_others(tmp_path, server):
    server.routes |= {
        "/good.xml": (200, GOOD),
        "/broken.xml": (500, b"oops"),
        "/garbage.xml": (200, b"\x00\x01 not a feed"),
    }
    results = fetch(tmp_path, feed(server, "broken"), feed(server, "good"), feed(server, "garbage"))
    assert [results[n].status for n in ("broken", "good", "garbage")] == ["failed", "ok", "failed"]
    assert "HTTP 500" in results["broken"].message
    assert results["good"].new == 2
    assert {r["id"] for r in records(tmp_path)} == {"a-1", "b-1"}
    health = states(tmp_path)
    assert (health["broken"].failures, health["broken"].http_status, health["good"].failures) == (1, 500, 0)


def test_items_are_sanitised_linked_and_dated_in_utc(tmp_path, server):
    server.routes["/good.xml"] = (200, GOOD)
    fetch(tmp_path, feed(server, "good"))
    (item,) = [r for r in records(tmp_path) if r["id"] == "a-1"]
    assert item["title"] == "Macron speaks"
    assert item["link"] == "https://news.test/a"
    for bad in ("<script", "alert(1)", "onerror", "javascript:", "<img"):
        assert bad not in item["summary"]
    assert item["published"] == "2025-03-03T10:00:00+00:00"


def test_conditional_get_costs_nothing_the_second_time(tmp_path, server):
    server.routes["/good.xml"] = conditional(GOOD)
    fetch(tmp_path, feed(server, "good"))
    before = records(tmp_path)
    again = fetch(tmp_path, feed(server, "good"), now=NOW + timedelta(hours=1))
    assert again["good"].status == "not modified" and again["good"].new == 0
    assert records(tmp_path) == before
    health = states(tmp_path)["good"]
    assert (health.etag, health.http_status, health.last_success) == (
        '"v1"',
        304,
        (NOW + timedelta(hours=1)).isoformat(),
    )


def test_the_archive_keeps_what_it_held_and_appends_only(tmp_path, server):
    server.routes |= {
        "/good.xml": (200, GOOD),
        "/more.xml": (200, rss(("Macron again", "https://news.test/c", "c-1", "<p>C</p>"))),
    }
    fetch(tmp_path, feed(server, "good"))
    (path,) = map(Path, archive.files(tmp_path / "archive"))
    before = path.read_bytes()
    assert fetch(tmp_path, feed(server, "good"))["good"].new == 0
    assert path.read_bytes() == before
    assert fetch(tmp_path, feed(server, "more"))["more"].new == 1
    after = path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1


def test_an_item_changed_at_the_source_is_updated_not_duplicated(tmp_path, server):
    first = rss(("Macron speaks", "https://news.test/a", "a-1", "<p>Old</p>"))
    second = rss(("Macron speaks, corrected", "https://news.test/a", "a-1", "<p>New</p>"))
    server.routes["/good.xml"] = sequence((200, first), (200, second))
    fetch(tmp_path, feed(server, "good"))
    result = fetch(tmp_path, feed(server, "good"), now=NOW + timedelta(hours=2))["good"]
    assert (result.new, result.changed) == (0, 1)
    lines = records(tmp_path)
    assert [r["title"] for r in lines] == ["Macron speaks", "Macron speaks, corrected"]
    assert lines[1]["changed"] == (NOW + timedelta(hours=2)).isoformat()
    (item,) = archive.read(tmp_path / "archive", tmp_path, [])
    assert (item.title, item.summary, item.changed) == (
        "Macron speaks, corrected",
        "<p>New</p>",
        NOW + timedelta(hours=2),
    )


def test_changing_guids_with_the_same_link_are_one_item(tmp_path, server):
    server.routes["/good.xml"] = sequence(
        (200, rss(("Macron", "https://news.test/a", "guid-1", "<p>x</p>"))),
        (200, rss(("Macron", "https://news.test/a?utm_source=z", "guid-2", "<p>x</p>"))),
    )
    fetch(tmp_path, feed(server, "good"))
    assert fetch(tmp_path, feed(server, "good"))["good"].new == 0
    assert len(records(tmp_path)) == 1


def test_the_same_story_from_two_outlets_is_merged_with_both_links(tmp_path, server):
    server.routes |= {
        "/wire.xml": (200, rss(("Macron speaks", "https://wire.test/a?utm_source=x", "w-1", "<p>W</p>"))),
        "/paper.xml": (
            200,
            rss(("Macron  SPEAKS", "https://WIRE.test/a#top", "p-1", "W", "Mon, 03 Mar 2025 11:00:00 +0000")),
        ),
    }
    fetch(tmp_path, feed(server, "wire"), feed(server, "paper"))
    (story,) = merge_outlets(archive.read(tmp_path / "archive", tmp_path, []))
    assert (story.feed, story.also) == ("wire", (("Paper", "https://wire.test/a"),))  # fragment dropped


def test_only_matching_items_are_kept_unless_the_feed_keeps_all(tmp_path, server):
    body = rss(
        ("Macron speaks", "https://n.test/1", "1", "x"), ("Rail timetable", "https://n.test/2", "2", "y")
    )
    server.routes |= {"/picky.xml": (200, body), "/all.xml": (200, body)}
    results = fetch(
        tmp_path, feed(server, "picky", only_matching=True), feed(server, "all", only_matching=False)
    )
    assert (results["picky"].new, results["all"].new) == (1, 2)


def test_include_and_exclude_rules(tmp_path, server):
    body = rss(
        ("Macron speaks", "https://n.test/1", "1", "x"),
        ("Macron opinion", "https://n.test/opinion/2", "2", "y"),
    )
    server.routes["/good.xml"] = (200, body)
    rules = {"exclude": (re.compile("/opinion/", re.I),), "include": (re.compile("macron", re.I),)}
    assert fetch(tmp_path, feed(server, "good", **rules))["good"].new == 1


@pytest.mark.parametrize(
    ("route", "words"),
    [
        (drip, "deadline"),
        (slow_headers, "deadline"),
        (slow_trailers, "deadline"),
        (endless, "larger than 1000000 bytes"),
        (gzip_bomb, "larger than 1000000 bytes once decompressed"),
        ((404, b"no"), "HTTP 404"),
        ((200, b"<html><body>Please log in</body></html>", None, "text/html"), "an HTML page, not a feed"),
        ((200, b""), "the response was empty"),
        ((200, b"<rss version='2.0'><channel><title>x</tit"), "not a readable feed"),
    ],
    ids=[
        "slow-drip",
        "slow-headers",
        "slow-trailers",
        "endless-body",
        "gzip-bomb",
        "not-found",
        "login-page",
        "empty-body",
        "invalid-xml",
    ],
)
def test_bad_answers_are_reported_and_bounded(tmp_path, server, route, words):
    server.routes |= {"/bad.xml": route, "/good.xml": (200, GOOD)}
    results = fetch(tmp_path, feed(server, "bad"), feed(server, "good"))
    assert results["bad"].status == "failed" and words in results["bad"].message
    assert results["bad"].seconds < LIMITS.deadline + 1
    assert results["good"].new == 2
    assert states(tmp_path)["bad"].error == results["bad"].message


def test_last_modified_alone_also_gives_304(tmp_path, server):
    server.routes["/good.xml"] = conditional(GOOD, etag="")
    fetch(tmp_path, feed(server, "good"))
    assert states(tmp_path)["good"].last_modified == "Mon, 03 Mar 2025 10:00:00 GMT"
    assert fetch(tmp_path, feed(server, "good"))["good"].status == "not modified"


def test_a_tls_failure_is_named(tmp_path, server):
    # (A DNS failure takes the same path; it is not tested, as it would query the resolver.)
    server.routes["/good.xml"] = (200, GOOD)
    tls = Feed(id="tls", title="T", url=server.base.replace("http:", "https:") + "/good.xml")
    results = fetch(tmp_path, tls, feed(server, "good"))
    assert results["tls"].message.startswith("TLS failed")
    assert results["good"].new == 2


def test_a_wrongly_declared_encoding_is_read_with_a_warning(tmp_path, server):
    latin = rss(("Macron à Londres", "https://n.test/fr", "fr", "<p>été</p>")).replace(b"utf-8", b"us-ascii")
    server.routes["/latin.xml"] = (200, latin.decode("utf-8").encode("latin-1"))
    result = fetch(tmp_path, feed(server, "latin"))["latin"]
    assert result.status == "ok" and result.new == 1
    assert "read up to a problem" in result.message


def test_a_truncated_feed_keeps_the_items_before_the_cut(tmp_path, server):
    server.routes["/cut.xml"] = (200, GOOD[: GOOD.index(b"</item>") + 7] + b"<item><title>Macron, cut")
    result = fetch(tmp_path, feed(server, "cut"))["cut"]
    assert result.status == "ok" and "read up to a problem" in result.message
    assert "a-1" in {r["id"] for r in records(tmp_path)}
    assert states(tmp_path)["cut"].warning == result.message


def test_xml_entity_tricks_are_refused(tmp_path, server):
    laughs = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><item><title>&b;</title></item></channel></rss>'
    external = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>'
    server.routes |= {"/laughs.xml": (200, laughs), "/external.xml": (200, external)}
    results = fetch(tmp_path, feed(server, "laughs"), feed(server, "external"))
    assert all("declares XML entities" in r.message for r in results.values())
    assert records(tmp_path) == []


def test_resource_attacks_are_refused_or_bounded_and_the_rest_goes_on(tmp_path, server):
    limits = replace(LIMITS, max_bytes=13_000_000, deadline=30)
    blowup = b"a" * 50_000
    quadratic = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + blowup + b'">]><rss version="2.0"><channel>'
        b"<item><title>" + b"&a;" * 50_000 + b"</title></item></channel></rss>"
    )
    million = b'<rss version="2.0"><channel><title>M</title>' + b"<item/>" * 1_000_000 + b"</channel></rss>"
    huge_field = rss(("Macron " + "word " * 400_000, "https://news.test/h", "h-1", "text " * 2_000_000))
    nested = rss(
        ("Macron nests", "https://news.test/n", "n-1", "<div>" * 10_000 + "deep" + "</div>" * 10_000)
    )
    server.routes |= {
        "/quadratic.xml": (200, quadratic),
        "/million.xml": (200, million),
        "/hundred.xml": hundred_megabytes,
        "/field.xml": (200, huge_field),
        "/nested.xml": (200, nested),
        "/good.xml": (200, GOOD),
    }
    names = ("quadratic", "million", "hundred", "field", "nested", "good")
    results = fetch(tmp_path, *(feed(server, name) for name in names), limits=limits)
    assert "declares XML entities" in results["quadratic"].message
    assert "lists 1000000 items, more than BRIEFING_FETCH_MAX_ITEMS (2000)" in results["million"].message
    assert "larger than 13000000 bytes" in results["hundred"].message
    assert {results[n].status for n in ("field", "nested", "good")} == {"ok"}
    kept = {r["feed"]: r for r in records(tmp_path)}
    assert len(kept["field"]["title"]) == parse.MAX_TITLE and kept["field"]["title"].endswith("…")
    assert len(kept["field"]["summary"]) <= sanitize.MAX_FIELD + len("<p></p>")
    # Too deep to parse as HTML in bounded time: kept as its text.
    assert kept["nested"]["summary"] == "<p>deep</p>"
    assert set(kept) == {"field", "nested", "good"}


def test_redirects_permanent_remembered_loops_stopped(tmp_path, server):
    server.routes |= {
        "/old.xml": (301, b"", {"Location": "/good.xml"}),
        "/good.xml": (200, GOOD),
        "/loop.xml": (302, b"", {"Location": "/loop.xml"}),
    }
    results = fetch(tmp_path, feed(server, "old"), feed(server, "loop"))
    assert results["old"].new == 2 and "moved permanently" in results["old"].message
    assert "more than 5 redirects" in results["loop"].message
    assert states(tmp_path)["old"].fetch_url == f"{server.base}/good.xml"
    fetch(tmp_path, feed(server, "old"))
    assert server.hits["/old.xml"] == 1 and server.hits["/good.xml"] == 2


def test_gone_stops_polling_until_the_address_changes(tmp_path, server):
    server.routes["/gone.xml"] = (410, b"")
    assert fetch(tmp_path, feed(server, "gone"))["gone"].status == "gone"
    assert fetch(tmp_path, feed(server, "gone"))["gone"].status == "gone"
    assert server.hits["/gone.xml"] == 1
    server.routes["/new.xml"] = (200, GOOD)
    moved = Feed(id="gone", title="Gone", url=f"{server.base}/new.xml")
    assert fetch(tmp_path, moved)["gone"].new == 2


def test_retries_after_5xx_and_429_honouring_retry_after(tmp_path, server):
    server.routes |= {
        "/flaky.xml": sequence((503, b""), (200, GOOD)),
        "/busy.xml": sequence(
            (429, b"", {"Retry-After": "1"}), (200, rss(("Truce", "https://n.test/t", "t", "x")))
        ),
        "/later.xml": (429, b"", {"Retry-After": "3600"}),
    }
    results = fetch(tmp_path, feed(server, "flaky"), feed(server, "busy"), feed(server, "later"))
    assert (results["flaky"].new, results["busy"].new) == (2, 1)
    assert results["busy"].seconds >= 1
    assert results["later"].status == "failed" and server.hits["/later.xml"] == 1
    retry_after = datetime.fromisoformat(states(tmp_path)["later"].retry_after)
    assert retry_after > datetime.now(UTC) + timedelta(minutes=50)
    assert fetch(tmp_path, feed(server, "later"), now=datetime.now(UTC))["later"].status == "waiting"
    assert server.hits["/later.xml"] == 1
    assert (
        fetch(tmp_path, feed(server, "later"), now=retry_after + timedelta(seconds=1))["later"].status
        == "failed"
    )
    assert server.hits["/later.xml"] == 2


def test_a_retry_after_of_years_is_capped(tmp_path, server):
    server.routes["/later.xml"] = (503, b"", {"Retry-After": "99999999999999"})
    fetch(tmp_path, feed(server, "later"))
    retry_after = datetime.fromisoformat(states(tmp_path)["later"].retry_after)
    assert retry_after < datetime.now(UTC) + timedelta(days=2, minutes=1)


def test_missing_and_future_dates_follow_the_policy(tmp_path, server):
    server.routes["/good.xml"] = (200, rss(
        ("Macron undated", "https://n.test/1", "1", "x", ""),
        ("Macron future", "https://n.test/2", "2", "x", "Mon, 03 Mar 2031 10:00:00 +0000"),
        ("Macron ancient", "https://n.test/3", "3", "x", "Sat, 01 Jan 0001 00:00:00 +0000"),
    ))  # fmt: skip
    result = fetch(tmp_path, feed(server, "good"))["good"]
    assert {r["published"] for r in records(tmp_path)} == {NOW.isoformat()}
    assert "2 item(s) had an impossible date" in result.message
    # Seen again later, the undated item keeps the moment it was first archived.
    assert fetch(tmp_path, feed(server, "good"), now=NOW + timedelta(days=1))["good"].new == 0


def test_concurrent_fetches_of_one_archive_are_refused(tmp_path, server):
    (tmp_path / "archive").mkdir()
    with open(tmp_path / "archive" / ".fetch.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(FetchRefused, match="another fetch is running"):
            fetch(tmp_path, feed(server, "good"))


def test_one_slow_feed_does_not_hold_up_the_others(tmp_path, server):
    server.routes |= {"/slow.xml": drip, **{f"/f{i}.xml": (200, GOOD) for i in range(12)}}
    feeds = {f.id: f for f in [feed(server, "slow")] + [feed(server, f"f{i}") for i in range(12)]}
    finished = []
    fetch_all(
        feeds,
        tmp_path / "archive",
        tmp_path,
        LIMITS,
        4,
        NOW,
        MATCHER,
        on_result=lambda r: finished.append(r.feed),
    )
    # The slow feed was started first and is the last to finish: nothing waited behind it.
    assert finished[-1] == "slow" and len(finished) == 13


def test_an_unreadable_archive_is_never_written_to(tmp_path, server):
    folder = tmp_path / "archive"
    folder.mkdir()
    broken = folder / "2025-03.jsonl"
    broken.write_text('{"id": "x"\n', encoding="utf-8")
    server.routes["/good.xml"] = (200, GOOD)
    with pytest.raises(FetchRefused, match=r"archive/2025-03.jsonl:1: this archived item cannot be read"):
        fetch(tmp_path, feed(server, "good"))
    assert broken.read_text(encoding="utf-8") == '{"id": "x"\n'


def test_invoke_fetch_reports_each_feed_and_fails_only_when_all_fail(tmp_path, server):
    # A server's words in the summary, here a redirect target, are shown, never read as markup.
    server.routes |= {
        "/good.xml": (301, b"", {"Location": "/new[/x].xml"}),
        "/new[/x].xml": (200, GOOD),
        "/broken.xml": (500, b""),
    }
    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "pelicanconf.py", tmp_path)
    (tmp_path / "themes").symlink_to(root / "themes")
    write(tmp_path, {
        "content/briefing/actors.yml": "macron:\n  name: Macron\n",
        "content/briefing/feeds.yml": f"good:\n  title: Good\n  url: {server.base}/good.xml\nbroken:\n  title: Broken\n  url: {server.base}/broken.xml\n",
    })  # fmt: skip
    invoke = [sys.executable, "-m", "invoke", "--search-root", str(root), "fetch"]
    run = subprocess.run(invoke, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert re.search(r"good: ok, 1 new", run.stdout) and re.search(r"broken: failed", run.stdout)
    assert "Fetch summary" in run.stdout and "HTTP 500" in run.stdout and "new[/x].xml" in run.stdout
    write(
        tmp_path,
        {"content/briefing/feeds.yml": f"broken:\n  title: Broken\n  url: {server.base}/broken.xml\n"},
    )
    run = subprocess.run(invoke, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1 and "every feed failed" in run.stderr
    write(tmp_path, {"content/briefing/feeds.yml": "broken:\n  url: x\n  include: ['(']\n"})
    run = subprocess.run(invoke, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1 and "content/briefing/feeds.yml:1: feed 'broken' has no 'title'" in run.stderr
    assert "content/briefing/feeds.yml:3: '(' is not a valid regular expression" in run.stderr


KILLED_FETCH = """
import sys
import zlib
from datetime import datetime, UTC
sys.path[:0] = [{plugins!r}, {tests!r}]
from briefing.ingest import download
from dataclasses import replace
from briefing.ingest.fetch import fetch_all, limits_from
from briefing.core.match import Matcher
from briefing.core.model import Feed
from briefing.site.settings import DEFAULTS
feeds = {{f"f{{i}}": Feed(id=f"f{{i}}", title="F", url="{base}/f" + str(i) + ".xml", only_matching=False) for i in range(8)}}
feeds["slow"] = Feed(id="slow", title="S", url="{base}/slow.xml", only_matching=False)
limits = replace(limits_from(DEFAULTS), deadline=60, read_timeout=30)
fetch_all(feeds, {archive!r}, {root!r}, limits, 4, datetime.now(UTC), Matcher({{}}, {{}}),
          on_result=lambda r: print(r.feed, flush=True))
"""


def test_a_fetch_killed_mid_run_loses_nothing_it_finished(tmp_path, server):
    server.routes |= {"/slow.xml": drip}
    for i in range(8):
        server.routes[f"/f{i}.xml"] = (200, rss((f"Item {i}", f"https://n.test/{i}", f"g{i}", "x")))
    root = Path(__file__).resolve().parent.parent
    script = KILLED_FETCH.format(
        plugins=str(root / "plugins"), tests=str(root / "tests"), base=server.base,
        archive=str(tmp_path / "archive"), root=str(tmp_path),
    )  # fmt: skip
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    finished = []
    with selectors.DefaultSelector() as ready:
        ready.register(child.stdout, selectors.EVENT_READ)
        while len(finished) < 8 and ready.select(timeout=30):  # the slow feed is still dripping
            finished.append(child.stdout.readline().strip())
    child.kill()  # SIGKILL: no cleanup runs
    child.wait(timeout=10)
    problems = []
    items = archive.read(tmp_path / "archive", tmp_path, problems)
    health = state.load(tmp_path / "archive", tmp_path, problems)
    assert problems == []
    assert sorted(finished) == [f"f{i}" for i in range(8)]
    assert {i.feed for i in items} == set(finished) and len(items) == 8
    assert set(health) == set(finished)
    # The lock died with the process: the next fetch runs.
    server.routes["/slow.xml"] = (200, rss(("Slow", "https://n.test/s", "s", "x")))
    assert fetch(tmp_path, feed(server, "slow", only_matching=False))["slow"].new == 1


def test_one_fetch_listing_a_guid_twice_keeps_the_first(tmp_path, server):
    server.routes["/good.xml"] = (
        200,
        rss(("Macron 1", "https://n.test/1", "g", "a"), ("Macron 2", "https://n.test/2", "g", "b")),
    )
    assert fetch(tmp_path, feed(server, "good"))["good"].new == 1
    assert fetch(tmp_path, feed(server, "good"))["good"].new == 0
    assert [r["title"] for r in records(tmp_path)] == ["Macron 1"]


def test_a_live_blog_sharing_one_link_keeps_every_entry(tmp_path, server):
    live = rss(
        ("Macron live: 10:00", "https://n.test/live", "l1", "a"),
        ("Macron live: 11:00", "https://n.test/live", "l2", "b"),
    )
    server.routes["/live.xml"] = (200, live)
    assert fetch(tmp_path, feed(server, "live"))["live"].new == 2
    assert fetch(tmp_path, feed(server, "live"))["live"].new == 0
    assert len(archive.read(tmp_path / "archive", tmp_path, [])) == 2


def test_a_title_with_escaped_markup_stays_the_same_across_fetches(tmp_path, server):
    server.routes["/good.xml"] = (200, rss(("Macron on &lt;div&gt; soup", "https://n.test/1", "1", "x")))
    fetch(tmp_path, feed(server, "good"))
    again = fetch(tmp_path, feed(server, "good"))["good"]
    assert (again.new, again.changed) == (0, 0)
    (item,) = archive.read(tmp_path / "archive", tmp_path, [])
    assert item.title == "Macron on <div> soup"


def test_compressed_bodies(tmp_path, server):
    body = rss(("Macron", "https://n.test/1", "1", "x"))
    raw = zlib.compressobj(wbits=-15)
    server.routes |= {
        "/gzip.xml": compressed(gzip.compress(body), "gzip"),
        "/deflate.xml": compressed(zlib.compress(body), "deflate"),
        "/rawdeflate.xml": compressed(raw.compress(body) + raw.flush(), "deflate"),
        "/members.xml": compressed(gzip.compress(body[:100]) + gzip.compress(body[100:]), "gzip"),
        "/cut.xml": compressed(gzip.compress(body)[:-20], "gzip"),
    }
    names = ("gzip", "deflate", "rawdeflate", "members", "cut")
    results = fetch(tmp_path, *(feed(server, n, only_matching=False) for n in names))
    assert [results[n].status for n in names] == ["ok", "ok", "ok", "ok", "failed"]
    assert "cut short" in results["cut"].message


def test_an_entity_declaration_in_utf16_is_refused_too(tmp_path, server):
    doc = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaaaaaaaa">]><rss version="2.0"><channel><item><title>Macron &a;</title></item></channel></rss>'
    server.routes["/wide.xml"] = (200, doc.encode("utf-16"))
    assert "declares XML entities" in fetch(tmp_path, feed(server, "wide"))["wide"].message


def test_changed_rules_fetch_the_whole_feed_again(tmp_path, server):
    body = rss(("Macron speaks", "https://n.test/1", "1", "x"), ("Rail news", "https://n.test/2", "2", "y"))
    server.routes["/good.xml"] = conditional(body)
    assert fetch(tmp_path, feed(server, "good"))["good"].new == 1
    assert fetch(tmp_path, feed(server, "good"))["good"].status == "not modified"
    # The editor now keeps every item of this feed: the rail item must be looked at again.
    assert fetch(tmp_path, feed(server, "good", only_matching=False))["good"].new == 1


def test_a_broken_state_file_is_a_problem_not_a_crash(tmp_path, server):
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive/feeds.json").write_text('{"good": {"failures": "2"}}', encoding="utf-8")
    with pytest.raises(
        FetchRefused, match=r"archive/feeds.json: the fetch state cannot be read \('failures' should be int"
    ):
        fetch(tmp_path, feed(server, "good"))
