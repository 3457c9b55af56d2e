"""The search index: Pagefind bundles by period, rebuilt only for the pages that changed."""

import html
import json
import os
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, build

from briefing.site.search import _build, bundle_of, groups


def test_briefings_go_by_year_and_by_month_in_the_newest_year():
    newest = date(2025, 3, 11)
    assert bundle_of(date(2023, 12, 31), newest) == "2023"
    assert bundle_of(date(2024, 6, 1), newest) == "2024"
    assert bundle_of(date(2025, 1, 31), newest) == "2025-01"
    assert bundle_of(newest, newest) == "2025-03"
    dated = {"/o/b/1.html": date(2024, 5, 1), "/o/b/2.html": newest, "/elsewhere/3.html": date(2030, 1, 1)}
    # A page written by an earlier build into another folder does not move the newest year.
    assert groups(["/o/index.html", "/o/b/1.html", "/o/b/2.html"], dated) == {
        "": ["/o/index.html"],
        "2024": ["/o/b/1.html"],
        "2025-03": ["/o/b/2.html"],
    }


def contents(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def bundle_files(folder):
    return {p.relative_to(folder): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def site(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def test_each_bundle_is_indexed_again_only_when_its_pages_change(site):
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(site / "cache")}
    output = build(site / "content", site / "output", **options)
    search = output / "pagefind"
    # The site's own bundle, with the UI, and the sample's two months of briefings merged into it.
    assert json.loads((search / "bundles.json").read_text(encoding="utf-8")) == ["2025-03", "2025-02"]
    assert (search / "pagefind-ui.js").is_file() and (search / "2025-02" / "pagefind-entry.json").is_file()
    february, march = bundle_files(search / "2025-02"), bundle_files(search / "2025-03")

    note = site / "content" / "notes" / "2025-03-02-london-summit.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nAdded after publication.\n", encoding="utf-8")
    again = build(site / "content", site / "other", **options)
    # Put back from the cache, the very same files; the edited month indexed again.
    assert bundle_files(again / "pagefind" / "2025-02") == february
    assert set(bundle_files(again / "pagefind" / "2025-03").values()).isdisjoint(march.values())
    # The cache holds what the last build used, no more.
    assert len(list((site / "cache" / "briefing-search").iterdir())) == 3


def test_a_cold_and_a_warm_build_write_the_same_index(site):
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(site / "cache")}
    cold = build(site / "content", site / "cold", **options)
    warm = build(site / "content", site / "warm", **options)
    fresh = build(site / "content", site / "fresh", CACHE_CONTENT=True, CACHE_PATH=str(site / "new"))
    written = contents(cold / "pagefind")
    assert contents(warm / "pagefind") == written
    assert contents(fresh / "pagefind") == written


def test_builds_into_the_same_folder_keep_the_index(site, caplog):
    """As `invoke regenerate` does: every build writes into the output folder of the one before."""
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(site / "cache")}
    build(site / "content", site / "output", **options)
    note = site / "content" / "notes" / "2025-03-02-london-summit.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nAdded after publication.\n", encoding="utf-8")
    build(site / "content", site / "output", **options)
    again = contents(build(site / "content", site / "output", **options) / "pagefind")
    fresh = build(site / "content", site / "fresh", CACHE_CONTENT=True, CACHE_PATH=str(site / "new"))
    assert "search index not built" not in caplog.text
    assert again == contents(fresh / "pagefind")


def test_a_build_into_a_used_folder_leaves_its_own_index_and_nothing_else(site):
    """Bundles in place are kept, changed ones replaced, and whatever else is in the folder removed."""
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(site / "cache")}
    search = build(site / "content", site / "output", **options) / "pagefind"
    (search / "2019").mkdir()
    (search / "2019" / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    (search / "fragment" / "stale.pf_fragment").write_bytes(b"old")
    actors = site / "content" / "briefing" / "actors.yml"
    # A new role: every actor page, so the site's own bundle, changes; the briefings' bundles too.
    actors.write_text(
        actors.read_text(encoding="utf-8").replace("role: ", "role: Acting ", 1), encoding="utf-8"
    )
    again = contents(build(site / "content", site / "output", **options) / "pagefind")
    fresh = build(site / "content", site / "fresh", CACHE_CONTENT=True, CACHE_PATH=str(site / "new"))
    assert again == contents(fresh / "pagefind")


class _Searchable(HTMLParser):
    """The text of a page that Pagefind indexes (in data-pagefind-body, outside data-pagefind-ignore),
    and the ids of the tables it leaves out."""

    VOID = frozenset({"br", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self):
        super().__init__()
        self.stack, self.text, self.ignored_tables, self.quotes = [], [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        body, ignored = self.stack[-1][:2] if self.stack else (False, False)
        body, ignored = body or "data-pagefind-body" in attrs, ignored or "data-pagefind-ignore" in attrs
        if "data-pagefind-ignore" in attrs and attrs.get("aria-labelledby"):
            self.ignored_tables.add(attrs["aria-labelledby"].rsplit("-", 3)[0])
        if tag not in self.VOID:
            self.stack.append((body, ignored, tag))

    def handle_endtag(self, tag):
        # An end tag also closes what it encloses and left open (a <p> ended by its </li>).
        while any(open_tag == tag for *_, open_tag in self.stack) and self.stack.pop()[2] != tag:
            pass

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] and not self.stack[-1][1]:
            self.text.append(data)


def test_search_indexes_what_a_briefing_says_once(sample_site):
    page = (sample_site / "briefings" / "2025" / "03" / "02" / "index.html").read_text(encoding="utf-8")
    found = _Searchable()
    found.feed(page)
    searchable = " ".join(found.text)
    # The tables that repeat the page's own positions and names cost Pagefind a quarter of its work.
    assert found.ignored_tables == {"actors", "standings"}
    assert "Mentions:" in page and "Mentions:" not in searchable
    quotes = re.findall(r"<q>(.*?)</q>", page)
    excerpts = re.findall(r'<p class="news-excerpt">(.*?)</p>', page)
    assert quotes and excerpts
    for said in quotes + excerpts:
        assert html.unescape(re.sub(r"<[^>]+>", "", said)) in searchable


def test_pages_with_nothing_to_index_do_not_make_a_bundle_change(site):
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(site / "cache")}
    first = build(site / "content", site / "output", **options)
    indexed = bundle_files(first / "pagefind")
    del indexed[Path("bundles.json")]  # written by each build
    # Other index pages (lists of briefings, which Pagefind does not index), the same pages otherwise.
    again = build(site / "content", site / "other", DEFAULT_PAGINATION=2, **options)
    assert (first / "index.html").read_bytes() != (again / "index.html").read_bytes()
    assert {
        name: node for name, node in bundle_files(again / "pagefind").items() if name in indexed
    } == indexed


@pytest.mark.parametrize(
    "pages",
    [
        ["a/index.html", "plain/index.html"],
        ["a/index.html", "café, {x}/index.html"],
        # One folder holds them, and a page not in the bundle: the glob names their folder first.
        ["y/a/index.html", "y/b/c/index.html"],
    ],
)
def test_a_bundle_indexes_exactly_its_pages_wherever_they_are(tmp_path, pages):
    """Read where they are when a glob can name them, else linked into a folder of their own."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    page = '<html lang="en"><head><title>{0}</title></head><body><main data-pagefind-body>{0} text</main></body></html>'
    for name in (*pages, "not-in-the-bundle/index.html", "y/not-in-the-bundle/index.html"):
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(page.format(name), encoding="utf-8")
    cache.mkdir()
    assert _build(output, [str(output / name) for name in pages], cache, "k")
    entry = json.loads((cache / "k" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 2
    assert os.listdir(cache) == ["k"]  # no folder of linked pages left behind
