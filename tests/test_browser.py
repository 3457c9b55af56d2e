"""The sample site in a real headless Chromium: accessibility (axe), layout at phone and desktop
widths, and search. Pages are served from 127.0.0.1; any request for another host is refused."""

import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import chromium, serve, watched_tab
from conftest import ROOT, build

PAGES = {
    "index": "",
    "briefing": "briefings/2025/03/02/",
    "actor": "actors/volodymyr-zelenskiy/",
    "issue": "issues/territorial-concessions/",
    "issues and scorecard": "issues/",
    "search": "search/",
    "search results": "search/?q=Zelenskiy",
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The sample built with relative URLs, as `invoke serve` shows it, served on 127.0.0.1."""
    base = tmp_path_factory.mktemp("browser")
    shutil.copytree(ROOT / "content", base / "content")
    with serve(build(base / "content", base / "output")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(params=[True], ids=["js"])
def javascript(request):
    return request.param


@pytest.fixture(params=["light"])
def scheme(request):
    return request.param


@pytest.fixture
def page(browser, javascript, scheme):
    with watched_tab(browser, java_script_enabled=javascript, color_scheme=scheme) as (tab, outside, csp):
        yield tab
    assert outside == [], f"requests for other hosts: {outside}"
    assert csp == [], f"the site breaks its own Content-Security-Policy: {csp}"


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
    for path in ("", PAGES["briefing"], "briefings/2025/03/11/", PAGES["actor"], "issues/"):
        page.goto(site_url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} at {width}px scrolls {overflow}px sideways"
        tables = page.locator("table").count()
        assert tables > 0 and page.locator("table").first.is_visible()


@pytest.mark.parametrize(
    "query, found",
    [
        ("Zelenskiy", "actors/volodymyr-zelenskiy/"),
        ("territorial concessions", "issues/territorial-concessions/"),
        ("Jeddah", "briefings/2025/03/11/"),  # in March's bundle, merged into the site's
        ("Oval Office", "briefings/2025/02/28/"),  # in February's
    ],
)
def test_search_finds_actors_issues_and_briefings_first(page, site_url, query, found):
    page.goto(site_url + "search/?q=" + query)
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")  # every bundle has answered
    links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")
    assert site_url + found in links[:2], links


@pytest.mark.parametrize("javascript", [False], ids=["no-js"])
def test_pages_read_fully_without_javascript(page, site_url):
    page.goto(site_url + PAGES["briefing"])
    assert page.locator("table").count() >= 3
    positions = page.get_by_role("table", name="Positions recorded on 2 March 2025")
    row = positions.get_by_role("row").filter(has_text="Territorial concessions")
    assert row.is_visible() and "Opposes" in row.inner_text()
    page.goto(site_url + PAGES["search"])
    assert page.get_by_text("Search needs JavaScript").is_visible()
    page.goto(site_url + "issues/")
    cell = page.get_by_role(
        "link", name="Keir Starmer on Coalition of the willing: supports since 2 March 2025"
    )
    assert cell.is_visible() and cell.get_attribute("href").endswith(
        "#change-2025-03-02-keir-starmer--coalition-of-the-willing"
    )


def test_the_scorecard_prints_whole_on_a_page(page, site_url):
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    page.goto(site_url + "issues/")
    box, width = page.evaluate("""() => {
        const box = document.querySelector('.scorecard-wrap');
        return [[box.clientWidth, box.scrollWidth, box.querySelector('table').getBoundingClientRect().right],
                document.documentElement.clientWidth];
    }""")
    assert box[1] <= box[0] and box[2] <= width, (box, width)  # nothing cut off, nothing past the page
