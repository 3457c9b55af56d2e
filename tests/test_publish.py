"""Atomic publishing: a failed or killed build never takes the published site down."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT, build, write

from briefing.publish import build_atomically


def site(folder, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(text, encoding="utf-8")


def test_a_complete_build_replaces_the_site_and_keeps_retained_entries(tmp_path):
    output = tmp_path / "output"
    site(output, "old")
    (output / "stale.html").write_text("a page no longer built", encoding="utf-8")
    (output / ".git").mkdir()
    build_atomically(output, lambda folder: site(Path(folder), "new"), retain=[".git"])
    assert (output / "index.html").read_text(encoding="utf-8") == "new"
    assert not (output / "stale.html").exists() and (output / ".git").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_failed_build_leaves_the_site_as_it_was(tmp_path):
    output = tmp_path / "output"
    site(output, "old")

    def half_then_fail(folder):
        site(Path(folder), "half")
        raise SystemExit(1)

    with pytest.raises(SystemExit):
        build_atomically(output, half_then_fail)
    assert (output / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_what_a_killed_build_left_is_cleared_and_a_half_swap_undone(tmp_path):
    site(tmp_path / ".output.previous", "previous")  # killed between the two renames of a swap
    ended = subprocess.Popen(["true"])  # its pid stands for a build process that is gone
    ended.wait()
    dead = ended.pid
    site(tmp_path / f".output.partial-{dead}", "half")
    seen = []
    build_atomically(
        tmp_path / "output", lambda folder: seen.append((tmp_path / "output" / "index.html").read_text())
    )
    assert seen == ["previous"]  # restored before the build began
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_no_page_is_written_outside_the_output_folder(tmp_path):
    write(
        tmp_path,
        {
            "content/pages/escape.md": "Title: Escape\nSave_as: ../../escaped.html\n\nText\n",
            "content/pages/slug.md": "Title: Slug\nSlug: ../../../slugged\n\nText\n",
        },
    )
    with pytest.raises(SystemExit):  # each is a problem with its file and line (test_editor_hostile)
        build(tmp_path / "content", tmp_path / "deep" / "output")
    assert not list(tmp_path.rglob("escaped.html")) and not list(tmp_path.rglob("slugged*"))


@pytest.fixture
def project(tmp_path):
    """A copy of the project whose `invoke build` the tests may break and kill."""
    for name in ("pelicanconf.py", "tasks.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("plugins", "themes"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def invoke_build(project, **options):
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/invoke"), "build"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the test can kill all of it
        **options,
    )


def test_invoke_build_with_broken_content_keeps_the_published_site(project):
    assert invoke_build(project).wait() == 0
    before = (project / "output/index.html").read_bytes()
    (project / "content/briefing/actors.yml").write_text("broken: [\n", encoding="utf-8")
    run = invoke_build(project)
    assert run.wait() != 0
    assert "actors.yml" in run.stdout.read().decode()
    assert (project / "output/index.html").read_bytes() == before
    assert not list(project.glob(".output.*"))


def test_invoke_build_killed_midway_keeps_the_published_site(project):
    assert invoke_build(project).wait() == 0
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    run = invoke_build(project)
    deadline = time.monotonic() + 60
    while not any(project.glob(".output.partial-*/briefings/*")):
        assert run.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    after = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    assert after == before
    assert invoke_build(project).wait() == 0
    assert not list(project.glob(".output.*"))


def test_invoke_regenerate_rebuilds_after_a_save_and_waits_out_a_mistake(project):
    """The preview loop: a saved note reaches its page; a broken file is reported, and its fix rebuilds."""
    run = subprocess.Popen(
        [str(ROOT / ".venv/bin/invoke"), "regenerate"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    note, page = (
        project / "content/notes/2025-03-02-london-summit.md",
        project / "output/briefings/2025/03/02/index.html",
    )

    def shows(text):
        deadline = time.monotonic() + 90
        while not (page.exists() and text in page.read_text(encoding="utf-8")):
            assert run.poll() is None and time.monotonic() < deadline, run.stdout.read().decode()
            time.sleep(0.1)

    try:
        shows("London")
        # Saved while the first build still runs (its page is out before the search index): built next.
        note.write_text(note.read_text(encoding="utf-8") + "\nSaved in the preview loop.\n", encoding="utf-8")
        shows("Saved in the preview loop.")
        actors = project / "content/briefing/actors.yml"
        good = actors.read_text(encoding="utf-8")
        time.sleep(2)
        actors.write_text("broken: [\n", encoding="utf-8")
        time.sleep(3)
        assert run.poll() is None  # still watching
        actors.write_text(good, encoding="utf-8")
        note.write_text(note.read_text(encoding="utf-8") + "\nAnd fixed again.\n", encoding="utf-8")
        shows("And fixed again.")
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        output = run.communicate()[0].decode()
    assert "actors.yml" in output and "Fix the problems above and save" in output
