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


def test_a_run_appends_what_it_parsed_and_a_cut_off_append_is_ignored(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path)}
    first = Notes(settings)
    for n in range(8):
        first[f"{n}.yml", "text"] = (None, [])
    first.save()
    written = (tmp_path / "briefing-notes.pickle").read_bytes()
    second = Notes(settings)
    for n in range(7):
        second[f"{n}.yml", "text"] = second.get((f"{n}.yml", "text"))
    second["7.yml", "edited"] = (None, [PROBLEM])
    second.save()
    grown = (tmp_path / "briefing-notes.pickle").read_bytes()
    assert grown.startswith(written)  # one edit: appended, not every note written again
    (tmp_path / "briefing-notes.pickle").write_bytes(grown[:-3])  # as if the appending run stopped
    third = Notes(settings)
    assert third.get(("0.yml", "text")) == (None, []) and third.get(("7.yml", "edited")) is None
    (tmp_path / "briefing-notes.pickle").write_bytes(grown)
    assert Notes(settings).get(("7.yml", "edited")) == (None, [PROBLEM])
