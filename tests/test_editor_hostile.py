"""What an editor's files and pages can do to the build: each is a file:line problem, never a hang,
a traceback or a page the site cannot write. Checked by `invoke check` and by a real build."""

import os

import pytest
from conftest import ROOT, build
from pelican.settings import read_settings
from test_content import make_site

from briefing.site import settings
from tasks import checks

NOTE = "date: 2025-03-04\ntitle: Later\n"


def problems(settings):
    found, _ = checks.run(settings)
    return [str(p) for p in found]


def assert_refused(tmp_path, settings, expected, **overrides):
    """`invoke check` reports `expected` (and exits 1), and the build stops before writing a page."""
    found = problems(settings)
    assert any(expected in p for p in found), found
    assert checks.report(*checks.run(settings)) == 1
    with pytest.raises(SystemExit) as stopped:
        build(settings["PATH"], tmp_path / "output", **overrides)
    assert stopped.value.code == 1
    assert not (tmp_path / "output" / "index.html").exists()
    return found


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/hostname"])
def test_a_note_linked_outside_the_site_is_a_problem_not_a_read(tmp_path, target):
    settings = make_site(tmp_path, {})
    (tmp_path / "content/notes/linked.yml").symlink_to(target)
    found = assert_refused(tmp_path, settings, f"content/notes/linked.yml: this links to {target}")
    assert any("replace the link with the file itself" in p for p in found)


def test_a_named_pipe_among_the_notes_is_a_problem_not_a_hang(tmp_path):
    settings = make_site(tmp_path, {})
    os.mkfifo(tmp_path / "content/notes/pipe.yml")
    assert_refused(tmp_path, settings, "content/notes/pipe.yml: this is a named pipe")


def test_a_linked_folder_of_notes_is_named_not_skipped(tmp_path):
    settings = make_site(tmp_path, {"elsewhere/later.yml": NOTE})
    (tmp_path / "content/notes/more").symlink_to(tmp_path / "elsewhere")
    assert_refused(tmp_path, settings, "content/notes/more: this folder is a link")


def test_a_link_inside_the_site_is_read_as_the_file(tmp_path):
    settings = make_site(tmp_path, {"drafts/later.yml": NOTE})
    (tmp_path / "content/notes/later.yml").symlink_to(tmp_path / "drafts/later.yml")
    assert problems(settings) == []


def test_a_note_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    settings = make_site(tmp_path, {})
    with open(tmp_path / "content/notes/huge.yml", "wb") as f:
        f.truncate(3_000_000)  # sparse: measured, never read
    assert_refused(tmp_path, settings, "content/notes/huge.yml: the file is larger than 2000000 bytes")


def test_data_files_linked_outside_are_problems(tmp_path):
    settings = make_site(tmp_path, {"outside.yml": "x:\n  title: X\n"})
    os.remove(tmp_path / "content/briefing/issues.yml")
    (tmp_path / "content/briefing/issues.yml").symlink_to(tmp_path.parent)
    (tmp_path / "content/briefing/feeds.yml").symlink_to(tmp_path / "nowhere.yml")
    found = problems(settings)
    assert any(p.startswith("content/briefing/issues.yml: this links to") for p in found), found
    assert any(p.startswith("content/briefing/feeds.yml: the file cannot be read") for p in found), found


@pytest.mark.parametrize("cached", [False, True])
def test_archive_and_fetch_state_must_be_ordinary_files(tmp_path, cached):
    settings = make_site(tmp_path, {})
    archive = tmp_path / "content/archive"
    archive.mkdir()
    (archive / "2025-03.jsonl").symlink_to("/dev/zero")
    os.mkfifo(archive / "feeds.json")
    found = assert_refused(
        tmp_path,
        settings,
        "content/archive/2025-03.jsonl: this links to /dev/zero",
        CACHE_CONTENT=cached,
        CACHE_PATH=str(tmp_path / "cache"),
    )
    assert sum("2025-03.jsonl" in p for p in found) == 1  # once, with or without the cache


def test_fetch_state_linked_outside_is_a_problem(tmp_path):
    settings = make_site(tmp_path, {})
    (tmp_path / "content/archive").mkdir()
    (tmp_path / "content/archive/feeds.json").symlink_to(tmp_path.parent / "x.json")
    assert any(p.startswith("content/archive/feeds.json: this links to") for p in problems(settings))


@pytest.mark.parametrize(
    ("written", "line"),
    [
        ("date: 9999-12-31", 1),
        ("date: 0001-01-01T00:00:00+14:00", 1),
        ("date: '1066-10-14'", 1),
        ("date: 2025-03-04\ncorrected:\n  - date: 9999-01-01\n    text: Fixed.", 3),
    ],
)
def test_a_date_outside_the_sane_years_is_a_problem_not_an_overflow(tmp_path, written, line):
    settings = make_site(tmp_path, {"content/notes/odd.yml": f"{written}\ntitle: Odd\n"})
    found = assert_refused(tmp_path, settings, f"content/notes/odd.yml:{line}: the year ")
    assert "is outside 1900..2200; check the date for a typo" in "\n".join(found)


def site(tmp_path, files, **overrides):
    """A small site with the project's own Pelican settings (page URLs, direct templates, sitemap)."""
    make_site(tmp_path, files)
    config = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(tmp_path / "content"), "THEME": str(ROOT / "themes/briefing"), **overrides},
    )
    settings.complete(config)
    return config


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("Actors", "actors/index.html"),
        ("Data", "data/index.html"),
        ("Sources", "sources/index.html"),
        ("Search", "search/index.html"),
        ("Briefings", "briefings/index.html"),
        ("Feeds", "feeds/index.html"),
        ("Theme", "theme/index.html"),
        ("Pagefind", "pagefind/index.html"),
    ],
)
def test_a_page_cannot_take_a_path_the_site_writes_itself(tmp_path, title, written):
    config = site(tmp_path, {"content/pages/mine.md": f"Title: {title}\n\nText.\n"})
    found = assert_refused(
        tmp_path, config, f"content/pages/mine.md:1: this page would be written to {written}"
    )
    assert "add a line 'Slug: another-name'" in "\n".join(found)


def test_two_pages_cannot_share_an_address(tmp_path):
    config = site(
        tmp_path, {"content/pages/a.md": "Title: About\n\nA\n", "content/pages/b.md": "Title: About\n\nB\n"}
    )
    assert_refused(
        tmp_path, config, "content/pages/b.md:1: this page would be written to about/index.html, as"
    )


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ('Url: x"><meta http-equiv="refresh" content="0;url=https://evil.test">', ":2: url 'x\"><meta"),
        ("Save_as: ../../escaped.html", ":2: save_as '../../escaped.html' is not a safe relative path"),
        ("Save_as: /etc/cron.d/x", ":2: save_as '/etc/cron.d/x' is not a safe relative path"),
        ("Url: about us/", ":2: url 'about us/' is not a safe relative path"),
        ("Slug: About Us", ":2: slug 'About Us' is not usable in an address"),
        ("Template: ../../base", ":2: unknown page template '../../base'; use one of: page"),
        ("Template: briefing", ":2: unknown page template 'briefing'"),
        ("Status: public", ":2: unknown status 'public'; use one of: published, hidden, draft"),
        ("Timezone: Mars/Olympus", ": Pelican cannot read this page"),
    ],
)
def test_page_metadata_that_becomes_a_path_or_url_is_checked(tmp_path, metadata, expected):
    config = site(tmp_path, {"content/pages/about.md": f"Title: About\n{metadata}\n\nText.\n"})
    assert_refused(tmp_path, config, f"content/pages/about.md{expected}")


def test_a_page_without_a_usable_address_or_title_is_a_problem(tmp_path):
    config = site(
        tmp_path, {"content/pages/a.md": "Title: !!!\n\nA\n", "content/pages/b.md": "Slug: b\n\nB\n"}
    )
    found = problems(config)
    assert "content/pages/a.md:1: the title gives this page no usable address" in "\n".join(found)
    assert "content/pages/b.md:1: this page has no title" in "\n".join(found)


def test_a_stray_article_and_a_linked_page_are_problems(tmp_path):
    config = site(tmp_path, {"content/stray.md": "Title: Stray\nDate: 2025-03-02\n\nText\n"})
    (tmp_path / "content/pages").mkdir()
    (tmp_path / "content/pages/zero.md").symlink_to("/dev/zero")
    found = assert_refused(
        tmp_path, config, "content/stray.md: Pelican would publish this file as an article"
    )
    assert any(p.startswith("content/pages/zero.md: this links to /dev/zero") for p in found), found


def test_good_page_metadata_builds_and_page_text_follows_the_text_rule(tmp_path):
    page = (
        "Title: Ab\u200bout \u202eus\u202c\n"
        "Slug: about-us\n"
        "Url: about-us/\n"
        "Save_as: about-us/index.html\n"
        "Template: page\n"
        "Status: published\n"
        "Summary: In short\x0cthe desk\n\n"
        "Who we \u202eare\u202c.\x01\n"
    )
    config = site(tmp_path, {"content/pages/about.md": page})
    assert problems(config) == []
    out = build(config["PATH"], tmp_path / "output")
    html = (out / "about-us/index.html").read_text(encoding="utf-8")
    assert "<title>About us" in html and "Who we are." in html
    assert not any(c in html for c in "\u200b\u202e\u202c\x01\x0c")


def test_a_static_link_from_a_page_reaches_the_file(tmp_path):
    files = {"content/pages/report.md": "Title: Report\n\nRead [the report]({static}/files/report.pdf).\n"}
    config = site(tmp_path, files, STATIC_PATHS=["files"])
    (tmp_path / "content/files").mkdir()
    (tmp_path / "content/files/report.pdf").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
    )
    assert problems(config) == []
    out = build(config["PATH"], tmp_path / "output", STATIC_PATHS=["files"])
    assert (out / "files/report.pdf").read_bytes().startswith(b"%PDF-1.4")
    assert 'href="../files/report.pdf"' in (out / "report/index.html").read_text(encoding="utf-8")


def test_a_static_file_linked_outside_is_a_problem(tmp_path):
    config = site(tmp_path, {}, STATIC_PATHS=["files"])
    (tmp_path / "content/files").mkdir()
    (tmp_path / "content/files/zero.pdf").symlink_to("/dev/zero")
    assert_refused(
        tmp_path, config, "content/files/zero.pdf: this links to /dev/zero", STATIC_PATHS=["files"]
    )
