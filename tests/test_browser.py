"""The sample site in a real headless Chromium: accessibility (axe), layout at phone and desktop
widths, and search. Pages are served from 127.0.0.1; any request for another host is refused."""

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT, build
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # Debian's, unless told otherwise
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PAGES = {
    "index": "",
    "briefing": "briefings/2025/03/02/",
    "actor": "actors/volodymyr-zelenskiy/",
    "issue": "issues/territorial-concessions/",
    "search": "search/",
    "search results": "search/?q=Zelenskiy",
}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The sample built with relative URLs, as `invoke serve` shows it, served on 127.0.0.1."""
    base = tmp_path_factory.mktemp("browser")
    shutil.copytree(ROOT / "content", base / "content")
    output = build(base / "content", base / "output")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    # Playwright gives every launch a fresh, temporary user-data-dir.
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(params=[True], ids=["js"])
def javascript(request):
    return request.param


@pytest.fixture(params=["light"])
def scheme(request):
    return request.param


@pytest.fixture
def page(browser, javascript, scheme):
    context = browser.new_context(java_script_enabled=javascript, color_scheme=scheme)
    tab = context.new_page()
    outside = []

    def local_only(route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", local_only)
    yield tab
    context.close()
    assert outside == [], f"requests for other hosts: {outside}"


@pytest.mark.parametrize("scheme", ["light", "dark"], indirect=True)
@pytest.mark.parametrize("name", PAGES)
def test_no_accessibility_violations(page, site_url, name):
    page.goto(site_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    if "?q=" in PAGES[name]:
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [320, 390, 768, 1280])
def test_the_page_never_scrolls_sideways(page, site_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in (PAGES["briefing"], "briefings/2025/03/11/", PAGES["actor"], "issues/"):
        page.goto(site_url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} at {width}px scrolls {overflow}px sideways"
        tables = page.locator("table").count()
        assert tables > 0 and page.locator("table").first.is_visible()


def test_search_finds_an_actor_by_name(page, site_url):
    page.goto(site_url + "search/?q=Zelenskiy")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15000)
    links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")
    assert any(link.endswith("/actors/volodymyr-zelenskiy/") for link in links), links


@pytest.mark.parametrize("javascript", [False], ids=["no-js"])
def test_pages_read_fully_without_javascript(page, site_url):
    page.goto(site_url + PAGES["briefing"])
    assert page.locator("table").count() >= 3
    positions = page.get_by_role("table", name="Positions recorded on 2 March 2025")
    row = positions.get_by_role("row").filter(has_text="Territorial concessions")
    assert row.is_visible() and "Opposes" in row.inner_text()
    page.goto(site_url + PAGES["search"])
    assert page.get_by_text("Search needs JavaScript").is_visible()
