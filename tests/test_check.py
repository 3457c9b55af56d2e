"""invoke check: every problem at once with file and line, warnings apart, the right exit status."""

import subprocess
import sys
from pathlib import Path

from conftest import write
from test_content import ACTORS, make_site
from test_images import png

from tasks import checks


def test_clean_content_passes_and_warnings_do_not_fail(tmp_path, capsys):
    actors = ACTORS + "nobody:\n  name: Never Mentioned\n"
    problems, found = checks.run(make_site(tmp_path, {"content/briefing/actors.yml": actors}))
    assert problems == []
    assert any("'nobody'" in w for w in found) and any("'keir-starmer'" in w for w in found)
    # A position that does not say what it rests on still builds, read as "not stated".
    assert "1 position(s) in 1 note(s) do not say what they rest on (content/notes/good.yml:7);" in "\n".join(
        found
    )
    assert checks.report(problems, found) == 0
    out = capsys.readouterr().out
    assert "warning: actor 'nobody'" in out and "content is fine, 3 warning(s)" in out


def test_every_problem_is_listed_with_file_and_line(tmp_path, capsys):
    settings = make_site(tmp_path, {
        "content/notes/a.yml": "date: 2025-03-03\ntitle: A\npositions:\n  - actor: keir-starmr\n    issue: territorial-concessions\n    stance: supports\n",
        "content/notes/b.md": "---\ndate: 2025-02-30\ntitle: B\n---\nText\n",
        "content/notes/c.yml": "date: 2025-03-04\ntitle: C\npositions:\n  - actor: keir-starmer\n    issue: territorial-concessions\n    stance: suports\n",
    })  # fmt: skip
    problems, found = checks.run(settings)
    assert [str(p).split(";")[0] for p in problems] == [
        "content/notes/a.yml:4: unknown actor 'keir-starmr'",
        "content/notes/b.md:2: '2025-02-30' is not a possible value (day is out of range for month)",
        "content/notes/c.yml:6: unknown stance 'suports'",
    ]
    assert checks.report(problems, found) == 1
    assert "did you mean 'keir-starmer'?" in capsys.readouterr().out


def test_a_source_no_position_cites_and_an_old_stance_are_warnings(tmp_path):
    old = "date: 2024-01-01\ntitle: Old\npositions:\n  - actor: keir-starmer\n    issue: territorial-concessions\n    stance: unclear\n"
    unused = "date: 2025-03-05\ntitle: U\nsources:\n  - id: bbc\n    url: https://bbc.test/a\n"
    problems, found = checks.run(
        make_site(tmp_path, {"content/notes/old.yml": old, "content/notes/unused.yml": unused})
    )
    assert problems == []
    assert "content/notes/unused.yml: source 'bbc' is cited by no position" in "\n".join(found)
    assert (
        "content/notes/old.yml:4: keir-starmer on territorial-concessions was last recorded 429 days"
        in "\n".join(found)
    )


def test_the_console_command_exits_non_zero_on_problems(tmp_path):
    root = Path(__file__).resolve().parent.parent
    # A page's image without alt text too: a check registers no plugin, and still sees it.
    make_site(
        tmp_path,
        {
            "content/notes/a.yml": "title: no date\n",
            "content/pages/maps.md": "Title: Maps\n\n![](../images/map.png)\n",
        },
    )
    (tmp_path / "content/images").mkdir()
    (tmp_path / "content/images/map.png").write_bytes(png(4, 3))
    (tmp_path / "pelicanconf.py").write_text(
        (root / "pelicanconf.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "themes").symlink_to(root / "themes")
    # The second run reads the cache the first wrote; the third ignores it: all say the same.
    command = [sys.executable, "-m", "invoke", "--search-root", str(root), "check"]
    runs = [
        subprocess.run(
            [*command, *options], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
        )
        for options in ([], [], ["--ignore-cache"])
    ]
    assert [run.returncode for run in runs] == [1, 1, 1]
    assert (
        "content/notes/a.yml:1: this note has no 'date'; add 'date:' (it is required), e.g. 'date: 2025-03-02'"
        in runs[0].stdout
    )
    assert "content/pages/maps.md:3: this image has no alt text" in runs[0].stdout
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert (tmp_path / "cache" / "briefing-notes.pickle").exists()


def cached_site(tmp_path, files):
    """make_site, checked with the note cache the build and `invoke check` use."""
    return make_site(tmp_path, files) | {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}


def note(actor="keir-starmer", stance="supports"):
    return f"date: 2025-03-03\ntitle: A\npositions:\n  - actor: {actor}\n    issue: territorial-concessions\n    stance: {stance}\n"  # fmt: skip


def test_a_check_after_an_edit_reports_the_new_problem_and_no_stale_one(tmp_path):
    settings = cached_site(tmp_path, {"content/notes/a.yml": note(actor="keir-starmr")})
    first, _ = checks.run(settings)
    assert [p.message for p in first] == ["unknown actor 'keir-starmr'"]
    write(tmp_path, {"content/notes/a.yml": note(stance="suports")})
    second, _ = checks.run(settings)
    assert [(p.path, p.line, p.message) for p in second] == [
        ("content/notes/a.yml", 6, "unknown stance 'suports'")
    ]
    write(tmp_path, {"content/notes/a.yml": note()})
    assert checks.run(settings)[0] == []


def test_a_cached_note_with_a_problem_still_reports_it_every_time(tmp_path):
    settings = cached_site(tmp_path, {
        "content/notes/a.yml": note(actor="keir-starmr"),
        "content/notes/b.yml": note(stance="opposes"),
        "content/notes/c.yml": note(),
    })  # fmt: skip
    fresh = checks.run(settings)
    assert [str(p).split(";")[0] for p in fresh[0]] == [
        "content/notes/a.yml:4: unknown actor 'keir-starmr'",
        # Between notes: checked again when both come from the cache.
        "content/notes/c.yml:4: keir-starmer is also recorded as 'opposes' on territorial-concessions"
        " that day (content/notes/b.yml:4)",
    ]
    cache = tmp_path / "cache" / "briefing-notes.pickle"
    written = cache.read_bytes()
    # Read back (the cache is not rewritten), it says what a check without the cache says.
    assert checks.run(settings) == fresh == checks.run(settings | {"LOAD_CONTENT_CACHE": False})
    assert cache.read_bytes() == written


def test_the_note_cache_follows_a_change_of_actors(tmp_path):
    settings = cached_site(tmp_path, {})
    assert checks.run(settings)[0] == []
    actors = ACTORS.split("volodymyr-zelenskiy:")[0]
    write(tmp_path, {"content/briefing/actors.yml": actors})
    (problem,) = checks.run(settings)[0]
    assert (problem.path, problem.message) == (
        "content/notes/good.yml",
        "unknown actor 'volodymyr-zelenskiy'",
    )


def test_positions_without_evidence_are_one_warning_naming_the_first_notes(tmp_path):
    note = "date: 2025-03-{day:02}\ntitle: N\npositions:\n  - {{actor: keir-starmer, issue: territorial-concessions, stance: supports}}\n"
    files = {f"content/notes/n{day:02}.yml": note.format(day=day) for day in range(1, 26)}
    _, found = checks.run(make_site(tmp_path, files))
    (warning,) = [w for w in found if "do not say what they rest on" in w]
    assert warning.startswith("26 position(s) in 26 note(s) do not say what they rest on (content/notes/")
    assert warning.count("content/notes/") == checks.UNSTATED_LISTED and " and 6 more);" in warning


def test_a_damaged_link_state_is_reported_before_a_build_would_stop_on_it(tmp_path):
    settings = make_site(
        tmp_path, {"content/archive/links.json": '{"https://x.test/": {"failures": "many"}}\n'}
    )
    problems, _ = checks.run(settings)
    assert len(problems) == 1 and str(problems[0]).startswith("content/archive/links.json: ")
