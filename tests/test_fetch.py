"""invoke fetch's core against a real HTTP server on 127.0.0.1: one feed failing, the archive kept."""

import json
import re
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import write

from briefing import archive
from briefing.fetch import fetch_all
from briefing.model import Feed

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def rss(*items):
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{g}</guid>"
        f"<pubDate>Mon, 03 Mar 2025 10:00:00 +0000</pubDate><description><![CDATA[{d}]]></description></item>"
        for t, link, g, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


HOSTILE = (
    "Macron speaks <script>alert(0)</script>",
    "https://news.test/a?utm_source=rss&utm_medium=x",
    "a-1",
    '<p>Text</p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">go</a>',
)
ROUTES = {
    "/good.xml": (200, rss(HOSTILE, ("Zelensky in London", "https://news.test/b", "b-1", "<p>B</p>"))),
    "/same-story.xml": (200, rss(("Macron speaks", "https://NEWS.test/a", "other-guid", "<p>dup</p>"))),
    "/broken.xml": (500, b"oops"),
    "/garbage.xml": (200, b"\x00\x01 not a feed at all"),
    "/more.xml": (200, rss(("Rutte on spending", "https://news.test/c", "c-1", "<p>C</p>"))),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status, body = ROUTES.get(self.path, (404, b"missing"))
        self.send_response(status)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def feeds(server, *names):
    return {n: Feed(id=n, title=n.title(), url=f"{server}/{n}.xml") for n in names}


def fetch(tmp_path, server, *names):
    results = fetch_all(feeds(server, *names), tmp_path / "archive", tmp_path, 5, "test-agent", NOW)
    return {r.feed: r for r in results}


def records(tmp_path):
    return [
        json.loads(line) for p in archive.files(tmp_path / "archive") for line in open(p, encoding="utf-8")
    ]


def test_one_failing_feed_does_not_stop_the_others(tmp_path, server):
    results = fetch(tmp_path, server, "broken", "good", "garbage")
    assert (results["broken"].ok, results["good"].ok, results["garbage"].ok) == (False, True, False)
    assert "500" in results["broken"].message
    assert results["good"].new == 2
    assert {r["id"] for r in records(tmp_path)} == {"a-1", "b-1"}


def test_items_are_sanitised_and_links_normalised(tmp_path, server):
    fetch(tmp_path, server, "good")
    (item,) = [r for r in records(tmp_path) if r["id"] == "a-1"]
    assert item["title"] == "Macron speaks"
    assert item["link"] == "https://news.test/a"
    for bad in ("<script", "alert(1)", "onerror", "javascript:", "<img"):
        assert bad not in item["summary"]
    assert item["published"] == "2025-03-03T10:00:00+00:00"


def test_the_archive_keeps_what_it_held(tmp_path, server):
    fetch(tmp_path, server, "good")
    (path,) = map(Path, archive.files(tmp_path / "archive"))
    before = path.read_bytes()
    again = fetch(tmp_path, server, "good", "same-story")
    assert again["good"].new == 0
    # The same story from another feed, its link differing only in case and tracking: a duplicate.
    assert again["same-story"].new == 0
    assert path.read_bytes() == before
    assert fetch(tmp_path, server, "more")["more"].new == 1
    after = path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1


def test_an_unreadable_archive_is_never_written_to(tmp_path, server):
    folder = tmp_path / "archive"
    folder.mkdir()
    broken = folder / "2025-03.jsonl"
    broken.write_text('{"id": "x"\n', encoding="utf-8")
    (result,) = fetch_all(feeds(server, "good"), folder, tmp_path, 5, "test-agent", NOW)
    assert not result.ok
    assert "archive/2025-03.jsonl:1: this archived item cannot be read" in result.message
    assert broken.read_text(encoding="utf-8") == '{"id": "x"\n'


def test_invoke_fetch_reports_each_feed_and_fails_only_when_all_fail(tmp_path, server):
    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "pelicanconf.py", tmp_path)
    (tmp_path / "themes").symlink_to(root / "themes")
    write(
        tmp_path,
        {
            "content/briefing/feeds.yml": f"good:\n  title: Good\n  url: {server}/good.xml\nbroken:\n  title: Broken\n  url: {server}/broken.xml\n"
        },
    )
    invoke = [sys.executable, "-m", "invoke", "--search-root", str(root), "fetch"]
    run = subprocess.run(invoke, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert re.search(r"good\s+ok\s+2 new", run.stdout) and re.search(r"broken\s+FAILED", run.stdout)
    assert len(archive.files(tmp_path / "content/archive")) == 1
    write(tmp_path, {"content/briefing/feeds.yml": f"broken:\n  title: Broken\n  url: {server}/broken.xml\n"})
    run = subprocess.run(invoke, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1 and "every feed failed" in run.stderr
    write(tmp_path, {"content/briefing/feeds.yml": "broken:\n  url: x\n"})
    run = subprocess.run(invoke, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1 and "content/briefing/feeds.yml:2: feed 'broken' has no 'title'" in run.stderr
