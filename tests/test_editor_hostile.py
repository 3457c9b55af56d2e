"""What an editor's files and pages can do to the build: each is a file:line problem, never a hang,
a traceback or a page the site cannot write. Checked by `invoke check` and by a real build."""

import os

import pytest
from conftest import build
from test_content import make_site

from briefing import check

NOTE = "date: 2025-03-04\ntitle: Later\n"


def problems(settings):
    found, _ = check.run(settings)
    return [str(p) for p in found]


def assert_refused(tmp_path, settings, expected, **overrides):
    """`invoke check` reports `expected` (and exits 1), and the build stops before writing a page."""
    found = problems(settings)
    assert any(expected in p for p in found), found
    assert check.report(*check.run(settings)) == 1
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
