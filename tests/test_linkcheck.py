"""invoke check-links: real servers on 127.0.0.1 (never the internet), no request to a private address
unless allowed, before or after a redirect, a deadline that holds, and a store that remembers."""

import functools
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from http.server import ThreadingHTTPServer

import pytest
from conftest import ROOT, write
from feedserver import Handler, Server, drip, slow_headers
from test_content import make_site

from briefing.ingest import linkcheck, links
from briefing.site import settings
from tasks import links as task

FAST = {
    "BRIEFING_LINKS_ALLOW_PRIVATE": True,
    "BRIEFING_FETCH_TIMEOUT": 1.5,
    "BRIEFING_FETCH_CONNECT_TIMEOUT": 1,
    "BRIEFING_FETCH_READ_TIMEOUT": 1,
    "BRIEFING_FETCH_RETRIES": 0,
    "BRIEFING_FETCH_WORKERS": 4,
}
NOW = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)


def limits(**overrides):
    config = {"PATH": "content", **FAST, **overrides}
    settings.complete(config)
    return linkcheck.limits_of(config)


@pytest.fixture
def server():
    s = Server()
    yield s
    s.stop()


def silent(h):
    """Accepts the request and says nothing for longer than any test waits."""
    time.sleep(5)


def moved(to):
    return 302, b"", {"Location": to}


# -- the answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "route, status, http_status, error",
    [
        ((200, b"page"), "ok", 200, ""),
        ((204, b""), "ok", 204, ""),
        ((404, b"no"), "failed", 404, "HTTP 404"),
        ((410, b"gone"), "failed", 410, "HTTP 410 Gone"),
        ((500, b"oops"), "failed", 500, "HTTP 500"),
        ((403, b"bots go away"), "unknown", 403, "HTTP 403: the site turns scripts away"),
        ((429, b"slow down"), "unknown", 429, "HTTP 429: the site turns scripts away"),
    ],
)
def test_each_answer_is_an_outcome(server, route, status, http_status, error):
    server.routes["/a"] = route
    outcome = linkcheck.check(server.base + "/a", limits())
    assert (outcome.status, outcome.http_status, outcome.error) == (status, http_status, error)


def test_a_redirect_chain_ending_in_a_page_is_ok_and_one_ending_at_a_login_page_failed(server):
    server.routes |= {
        "/old": moved("/new"),
        "/new": (200, b"page"),
        "/story": moved("/account/sign-in?next=/story"),
    }
    server.routes["/account/sign-in?next=/story"] = (200, b"<form>")
    assert linkcheck.check(server.base + "/old", limits()).status == "ok"
    outcome = linkcheck.check(server.base + "/story", limits())
    assert outcome.status == "failed" and outcome.error.startswith("redirects to a login page (")
    # A page whose own address has such a word in it is not a redirect to a login page.
    server.routes["/authors/login-tips"] = (200, b"page")
    assert linkcheck.check(server.base + "/authors/login-tips", limits()).status == "ok"


def test_the_body_of_a_page_is_not_read(server):
    """A status is the answer: a page whose body never ends is checked at once."""
    server.routes["/drip"] = drip
    started = time.monotonic()
    assert linkcheck.check(server.base + "/drip", limits()).status == "ok"
    assert time.monotonic() - started < 1


def test_the_user_agent_is_the_fetchs(server):
    agents = []
    server.routes["/ua"] = lambda h: (agents.append(h.headers["User-Agent"]), h.reply(200))
    linkcheck.check(server.base + "/ua", limits(BRIEFING_USER_AGENT="digest-bot/1 (ops@example.test)"))
    assert agents == ["digest-bot/1 (ops@example.test)"]


@pytest.mark.parametrize("route", [silent, slow_headers], ids=["silent", "dripping headers"])
def test_a_slow_server_fails_within_the_total_deadline(server, route):
    server.routes["/slow"] = route
    started = time.monotonic()
    outcome = linkcheck.check(server.base + "/slow", limits(BRIEFING_FETCH_READ_TIMEOUT=5))
    assert time.monotonic() - started < 3
    assert (outcome.status, outcome.error) == ("failed", "took longer than BRIEFING_FETCH_TIMEOUT")


def test_a_read_timeout_fails(server):
    server.routes["/slow"] = silent
    outcome = linkcheck.check(server.base + "/slow", limits(BRIEFING_FETCH_READ_TIMEOUT=0.3))
    assert (outcome.status, outcome.error) == ("failed", "timed out")


def test_every_address_is_checked_concurrently_and_each_hosts_one_at_a_time(server):
    server.routes |= {f"/{i}": silent for i in range(3)}
    other = Server()
    try:
        other.routes["/x"] = silent
        urls = [f"{server.base}/{i}" for i in range(3)] + [
            other.base.replace("127.0.0.1", "localhost") + "/x"
        ]
        started = time.monotonic()
        found = linkcheck.check_all(urls, limits(BRIEFING_FETCH_TIMEOUT=0.5), workers=4)
        # The two hosts side by side; one host's three addresses one after another.
        assert 1.4 < time.monotonic() - started < 4
        assert set(found) == set(urls) and {o.status for o in found.values()} == {"failed"}
    finally:
        other.stop()


# -- private addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.7", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("fd00:ec2::254", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", ""),
        ("2606:4700::1111", ""),
        ("::ffff:8.8.8.8", ""),
        ("2002:7f00:1::1", "loopback"),  # 6to4 around 127.0.0.1
        ("2002:a9fe:a9fe::1", "link-local"),  # around the metadata service
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),  # Teredo around 10.0.0.1 (obfuscated)
    ],
)
def test_the_address_classifier(address, kind):
    assert linkcheck.forbidden(address) == kind


def test_a_name_is_judged_by_what_it_resolves_to():
    with pytest.raises(
        linkcheck.download.DownloadError, match=r"localhost is at (127\.0\.0\.1|::1), a loopback"
    ):
        linkcheck.addresses("localhost", 80)


def test_a_loopback_address_is_never_requested_unless_allowed(server):
    server.routes["/a"] = (200, b"page")
    for url in (server.base + "/a", server.base.replace("127.0.0.1", "localhost") + "/a"):
        outcome = linkcheck.check(url, limits(BRIEFING_LINKS_ALLOW_PRIVATE=False))
        assert outcome.status == "failed" and "a loopback address" in outcome.error
    assert server.hits == {}
    assert linkcheck.check(server.base + "/a", limits()).status == "ok"


def test_the_metadata_service_is_refused_without_a_connection():
    started = time.monotonic()
    outcome = linkcheck.check(
        "http://169.254.169.254/latest/meta-data/", limits(BRIEFING_LINKS_ALLOW_PRIVATE=False)
    )
    assert (outcome.status, outcome.http_status) == ("failed", 0)
    assert "169.254.169.254, a link-local address" in outcome.error
    assert time.monotonic() - started < 0.5  # refused, not timed out trying


def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(server):
    """127.0.0.1 stands for a public site here, 127.0.0.2 for the private one it redirects to."""
    private = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    private.routes, private.hits, private.daemon_threads = {"/secret": (200, b"secret")}, {}, True
    threading.Thread(target=private.serve_forever, daemon=True).start()
    try:
        server.routes["/a"] = moved(f"http://127.0.0.2:{private.server_address[1]}/secret")

        def judge(ip):
            return "" if ip == "127.0.0.1" else linkcheck.forbidden(ip)

        guarded = replace(limits(), addresses=functools.partial(linkcheck.addresses, judge=judge))
        outcome = linkcheck.check(server.base + "/a", guarded)
        assert outcome.status == "failed" and "127.0.0.2, a loopback address" in outcome.error
        assert server.hits == {"/a": 1} and private.hits == {}
    finally:
        private.shutdown()
        private.server_close()


# -- the store -----------------------------------------------------------------------------------


def test_failures_in_a_row_make_a_link_dead_and_an_ok_revives_it():
    state = links.LinkState()
    for day in range(3):
        state = links.after(state, "failed", NOW + timedelta(days=7 * day), 404, "HTTP 404")
        assert links.dead(state, 3) == (day == 2)
    assert links.dead_since(state) == date(2025, 3, 3)
    # A site that turns scripts away says nothing: the run of failures neither grows nor ends.
    state = links.after(state, "unknown", NOW + timedelta(days=21), 403, "HTTP 403")
    assert (state.failures, links.dead(state, 3), links.dead_since(state)) == (3, True, date(2025, 3, 3))
    assert state.error == "HTTP 404"  # the reason it is dead, not what the last check said
    state = links.after(state, "ok", NOW + timedelta(days=28), 200)
    assert (state.failures, state.failing_since, state.error, links.dead(state, 3)) == (0, "", "", False)
    assert links.dead_since(state) is None and state.last_ok == "2025-03-31T06:00:00+00:00"
    assert [status for _, status in state.history] == ["failed", "failed", "failed", "unknown", "ok"]


def test_the_history_is_capped():
    state = links.LinkState()
    for day in range(links.HISTORY + 5):
        state = links.after(state, "ok", NOW + timedelta(days=day), 200)
    assert len(state.history) == links.HISTORY
    assert state.history[-1] == ((NOW + timedelta(days=links.HISTORY + 4)).isoformat(), "ok")


def test_the_store_round_trips_and_is_written_atomically(tmp_path):
    archive = tmp_path / "content" / "archive"
    states = {"https://b.test/": links.after(links.LinkState(), "failed", NOW, 0, "timed out")}
    states["https://a.test/"] = links.after(links.LinkState(), "ok", NOW, 200)
    links.save(archive, states)
    text = (archive / links.FILE).read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith('"https://a.test/": {')  # one address a line, sorted
    problems = []
    assert links.load(archive, tmp_path, problems) == states and problems == []
    # A new file renamed over the old one, never the old one rewritten in place: a reader (the
    # build) sees the old states or the new, never half of each.
    before = os.stat(archive / links.FILE).st_ino
    links.save(archive, {})
    assert os.stat(archive / links.FILE).st_ino != before
    assert os.listdir(archive) == [links.FILE]
    assert links.load(archive, tmp_path, problems) == {} and problems == []


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        '{"https://a.test/": []}',
        '{"https://a.test/": {"failures": "3"}}',
        '{"https://a.test/": {"failures": -1}}',
        '{"https://a.test/": {"status": "dead"}}',
        '{"https://a.test/": {"failing_since": "last week"}}',
        '{"https://a.test/": {"history": [["2025-03-03T06:00:00+00:00"]]}}',
        '{"https://a.test/": {"history": [[3, "ok"]]}}',
        '{"https://a.test/": {"history": [["2025-03-03", "fine"]]}}',
    ],
)
def test_a_corrupt_store_is_a_problem_with_its_path(tmp_path, text):
    write(tmp_path, {"content/archive/links.json": text})
    problems = []
    assert links.load(tmp_path / "content" / "archive", tmp_path, problems) == {}
    (problem,) = problems
    assert problem.path == "content/archive/links.json" and "cannot be read" in problem.message


def test_a_missing_store_is_no_check_yet(tmp_path):
    problems = []
    assert links.load(tmp_path / "archive", tmp_path, problems) == {} and problems == []


# -- the task ------------------------------------------------------------------------------------


# The sample site's own note cites an address on the internet: replaced, since no test requests one.
OFFLINE = {"content/notes/good.yml": "date: 2025-03-02\ntitle: No sources\n"}


def note(name, *urls, actor="keir-starmer"):
    """A note listing `urls` as its sources, the first cited by a position."""
    sources = "".join(f"  - id: s{i}\n    url: {url}\n" for i, url in enumerate(urls))
    position = (
        f"  - actor: {actor}\n    issue: territorial-concessions\n    stance: supports\n    source: s0\n"
    )
    return {
        f"content/notes/{name}.yml": f"date: 2025-03-03\ntitle: {name}\nsources:\n{sources}positions:\n{position}"
    }


def test_run_merges_with_the_store_and_forgets_addresses_no_longer_cited(tmp_path, server):
    server.routes |= {"/ok": (200, b"page"), "/gone": (410, b"")}
    config = make_site(tmp_path, OFFLINE | note("a", server.base + "/ok", server.base + "/gone")) | FAST
    archive = tmp_path / "content" / "archive"
    links.save(archive, {"https://old.test/": links.LinkState(status="ok")})
    problems, report = task.run(config, NOW)
    assert problems == []
    assert set(report.states) == {server.base + "/ok", server.base + "/gone"}
    assert report.cited[server.base + "/gone"] == ("content/notes/a.yml",)
    assert links.load(archive, tmp_path, []) == report.states
    assert report.states[server.base + "/gone"].error == "HTTP 410 Gone"


def test_a_run_stops_at_its_time_limit_and_the_next_takes_the_rest_first(tmp_path, server):
    """An archive of thousands of sources is checked in turns, never holding the job for hours."""
    server.routes |= {f"/{i}": (200, b"page") for i in range(3)}
    urls = [f"{server.base}/{i}" for i in range(3)]
    config = make_site(tmp_path, OFFLINE | note("a", *urls)) | FAST | {"BRIEFING_LINKS_RUN_SECONDS": 1e-9}
    _, first = task.run(config, NOW)  # each host's first check starts; none after the limit
    assert len(first.states) == 1 and first.waiting == 2
    assert "; 2 not checked this run, first in line for the next" in task.lines(first)[0]
    _, second = task.run(config, NOW + timedelta(days=7))
    assert len(second.states) == 2 and set(first.states) < set(second.states)
    _, third = task.run(config, NOW + timedelta(days=14))  # the last never checked
    assert set(third.states) == set(urls)
    _, fourth = task.run(config, NOW + timedelta(days=21))  # then the one checked longest ago
    (oldest,) = first.states
    assert fourth.states[oldest].checked.startswith("2025-03-24") and len(fourth.states[oldest].history) == 2


def test_the_turns_go_to_the_never_checked_then_the_failing_then_the_oldest():
    states = {
        "b": links.LinkState(status="ok", checked="2025-03-01T06:00:00+00:00"),
        "c": links.LinkState(status="failed", checked="2025-03-10T06:00:00+00:00", failures=1),
        "d": links.LinkState(status="ok", checked="2025-02-01T06:00:00+00:00"),
    }
    assert sorted("abcd", key=lambda url: task._turn(states.get(url))) == ["a", "c", "d", "b"]
    # A hand-made entry without a history is a state with none.
    assert links._state({"status": "ok", "checked": "2025-03-01T06:00:00+00:00"}).history == ()


def test_a_corrupt_store_stops_the_run_and_is_kept(tmp_path):
    config = make_site(tmp_path, OFFLINE | {"content/archive/links.json": "{oops"}) | FAST
    problems, report = task.run(config, NOW)
    assert report is None and [p.path for p in problems] == ["content/archive/links.json"]
    assert (tmp_path / "content/archive/links.json").read_text(encoding="utf-8") == "{oops"


def invoke_check_links(site, summary):
    command = [sys.executable, "-m", "invoke", "--search-root", str(ROOT), "check-links"]
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    return subprocess.run(
        command, cwd=site, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_task_end_to_end_reports_dead_links_in_the_job_summary(tmp_path, server):
    server.routes |= {"/ok": (200, b"page"), "/missing": (404, b"")}
    cited = note("a", server.base + "/ok", server.base + "/missing")
    make_site(tmp_path, OFFLINE | cited | note("b", server.base + "/missing", actor="volodymyr-zelenskiy"))
    conf = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    extra = "".join(f"{k} = {v!r}\n" for k, v in FAST.items()) + "BRIEFING_LINKS_DEAD_AFTER = 2\n"
    (tmp_path / "pelicanconf.py").write_text(conf + extra, encoding="utf-8")
    (tmp_path / "themes").symlink_to(ROOT / "themes")
    summary = tmp_path / "summary.md"
    first = invoke_check_links(tmp_path, summary)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "2 cited address(es): 1 ok, 0 dead, 1 failing" in first.stdout
    assert (
        f"failing (1 of 2): {server.base}/missing (HTTP 404); cited by content/notes/a.yml, content/notes/b.yml"
        in first.stdout
    )
    assert "None of the 2 cited links is dead." in summary.read_text(encoding="utf-8")
    second = invoke_check_links(tmp_path, summary)
    assert second.returncode == 0, second.stdout + second.stderr  # dead links are a report, not a failure
    today = datetime.now(UTC).date()
    assert f"dead since {today}: {server.base}/missing (HTTP 404)" in second.stdout
    section = summary.read_text(encoding="utf-8").split("## Dead links")[-1]
    assert (
        f"- `{server.base}/missing`: dead since {today}, `HTTP 404`; cited by `content/notes/a.yml`, `content/notes/b.yml`"
        in section
    )
    stored = json.loads((tmp_path / "content/archive/links.json").read_text(encoding="utf-8"))
    assert stored[server.base + "/missing"]["failures"] == 2 and server.hits["/missing"] == 2


def test_the_task_fails_only_when_it_cannot_run(tmp_path):
    make_site(tmp_path, {"content/notes/a.yml": "title: no date\n"})
    (tmp_path / "pelicanconf.py").write_text(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "themes").symlink_to(ROOT / "themes")
    run = invoke_check_links(tmp_path, tmp_path / "summary.md")
    assert run.returncode == 1 and "content/notes/a.yml:1: this note has no 'date'" in run.stderr
    assert not (tmp_path / "content/archive/links.json").exists()


@pytest.fixture
def tls_server(tmp_path, monkeypatch):
    """A server on 127.0.0.1 with a certificate for localhost that this process trusts."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    openssl = shutil.which("openssl") or pytest.fail("openssl is not installed")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read by ssl.create_default_context
    s = Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    s.socket = context.wrap_socket(s.socket, server_side=True)
    yield s
    s.stop()


def test_a_connection_to_the_checked_address_still_checks_the_certificate_against_the_name(tls_server):
    tls_server.routes["/a"] = (200, b"page")
    port = tls_server.server_address[1]
    guarded = replace(limits(), addresses=functools.partial(linkcheck.addresses, judge=lambda ip: ""))
    assert linkcheck.check(f"https://localhost:{port}/a", guarded).status == "ok"
    outcome = linkcheck.check(f"https://127.0.0.1:{port}/a", guarded)  # the certificate names localhost only
    assert (
        outcome.status == "failed" and outcome.error.startswith("TLS failed") and tls_server.hits == {"/a": 1}
    )
