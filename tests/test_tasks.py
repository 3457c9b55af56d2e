"""A build with bad content stops before it touches the site, writes nothing outside its output
folder, and the preview loop rebuilds after each save."""

import os
import shutil
import signal
import subprocess
import time

import pytest
from conftest import ROOT, build, write


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
    shutil.copy(ROOT / "pelicanconf.py", tmp_path / "pelicanconf.py")
    for name in ("plugins", "themes", "tasks"):
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
