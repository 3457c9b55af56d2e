"""The note cache: read back only under the same salt, pruned to what a run used, off on request."""

from briefing.notecache import Notes
from briefing.problems import Problem

PROBLEM = Problem("content/notes/a.yml", 4, "unknown actor 'x'", "did you mean 'y'?")


def test_a_saved_note_and_its_problems_are_read_back_under_the_same_dependencies(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path)}
    first = Notes(settings, {"actors": ("y",)})
    assert first.get(("content/notes/a.yml", "text")) is None
    first["content/notes/a.yml", "text"] = (None, [PROBLEM])
    first.save()
    assert Notes(settings, {"actors": ("y",)}).get(("content/notes/a.yml", "text")) == (None, [PROBLEM])
    # Another text, path or set of actors is another note; --ignore-cache reads nothing.
    assert Notes(settings, {"actors": ("y",)}).get(("content/notes/a.yml", "text!")) is None
    assert Notes(settings, {"actors": ("y",)}).get(("content/notes/b.yml", "text")) is None
    assert Notes(settings, {"actors": ("y", "z")}).get(("content/notes/a.yml", "text")) is None
    assert (
        Notes(settings | {"LOAD_CONTENT_CACHE": False}, {"actors": ("y",)}).get(
            ("content/notes/a.yml", "text")
        )
        is None
    )


def test_the_cache_keeps_only_what_the_last_run_used(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path)}
    first = Notes(settings)
    first["a.yml", "1"] = first["b.yml", "2"] = (None, [])
    first.save()
    second = Notes(settings)
    second["b.yml", "2"] = second.get(("b.yml", "2"))
    second.save()
    third = Notes(settings)
    assert third.get(("a.yml", "1")) is None and third.get(("b.yml", "2")) == (None, [])
