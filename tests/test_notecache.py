"""The note cache: read back only under the same salt, pruned to what a run used, off on request; a
file known unchanged by its stat signature only when that is safe."""

import os
import time

from conftest import write

from briefing.core import safefile
from briefing.core.problems import Problem
from briefing.core.safefile import signature
from briefing.site.cache import Seen
from briefing.site.notecache import Notes

PROBLEM = Problem("content/notes/a.yml", 4, "unknown actor 'x'", "did you mean 'y'?")


def get(notes, path, text):
    return notes.get(notes.key(path, text))


def test_a_saved_note_and_its_problems_are_read_back_under_the_same_dependencies(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path)}
    first = Notes(settings, {"actors": ("y",)})
    assert get(first, "content/notes/a.yml", "text") is None
    first[first.key("content/notes/a.yml", "text")] = (None, [PROBLEM])
    first.save()
    assert get(Notes(settings, {"actors": ("y",)}), "content/notes/a.yml", "text") == (None, [PROBLEM])
    # Another text, path or set of actors is another note; --ignore-cache reads nothing.
    assert get(Notes(settings, {"actors": ("y",)}), "content/notes/a.yml", "text!") is None
    assert get(Notes(settings, {"actors": ("y",)}), "content/notes/b.yml", "text") is None
    assert get(Notes(settings, {"actors": ("y", "z")}), "content/notes/a.yml", "text") is None
    ignoring = Notes(settings | {"LOAD_CONTENT_CACHE": False}, {"actors": ("y",)})
    assert get(ignoring, "content/notes/a.yml", "text") is None


def test_the_cache_keeps_only_what_the_last_run_used(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path)}
    first = Notes(settings)
    first[first.key("a.yml", "1")] = first[first.key("b.yml", "2")] = (None, [])
    first.save()
    second = Notes(settings)
    second[second.key("b.yml", "2")] = get(second, "b.yml", "2")
    second.save()
    third = Notes(settings)
    assert get(third, "a.yml", "1") is None and get(third, "b.yml", "2") == (None, [])


def test_a_run_appends_what_it_parsed_and_a_cut_off_append_is_ignored(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path)}
    first = Notes(settings)
    for n in range(8):
        first[first.key(f"{n}.yml", "text")] = (None, [])
    first.save()
    written = (tmp_path / "briefing-notes.pickle").read_bytes()
    second = Notes(settings)
    for n in range(7):
        second[second.key(f"{n}.yml", "text")] = get(second, f"{n}.yml", "text")
    second[second.key("7.yml", "edited")] = (None, [PROBLEM])
    second.save()
    grown = (tmp_path / "briefing-notes.pickle").read_bytes()
    assert grown.startswith(written)  # one edit: appended, not every note written again
    (tmp_path / "briefing-notes.pickle").write_bytes(grown[:-3])  # as if the appending run stopped
    third = Notes(settings)
    assert get(third, "0.yml", "text") == (None, []) and get(third, "7.yml", "edited") is None
    (tmp_path / "briefing-notes.pickle").write_bytes(grown)
    assert get(Notes(settings), "7.yml", "edited") == (None, [PROBLEM])


def test_a_file_is_known_unchanged_only_under_its_signature_once_it_is_older_than_the_run(tmp_path):
    """A file changed in the same moment as the run that read it could change again unseen: read again."""
    old, new = write(tmp_path, {"old.yml": "a: 1\n", "new.yml": "a: 1\n"}) / "old.yml", tmp_path / "new.yml"
    os.utime(old, ns=(time.time_ns() - 3600 * 10**9,) * 2)
    first = Seen(tmp_path / "files.seen", True)
    for path in (old, new):
        first.add(path.name, signature(path, tmp_path), path.name.encode())
    first.save()
    second = Seen(tmp_path / "files.seen", True)
    assert second.get("old.yml", signature(old, tmp_path)) == b"old.yml"
    assert second.get("new.yml", signature(new, tmp_path)) is None
    assert Seen(tmp_path / "files.seen", False).get("old.yml", signature(old, tmp_path)) is None
    old.write_text("a: 2\n", encoding="utf-8")  # the same size, a moment later
    assert second.get("old.yml", signature(old, tmp_path)) is None
    assert signature(tmp_path, tmp_path) is None  # a folder: opened, and reported, not taken as known


def test_how_long_before_a_run_a_file_must_have_changed_follows_its_clock(tmp_path):
    """Nanosecond times (ext4, APFS, NTFS) are trusted a tenth of a second after a change; whole
    seconds (FAT, old file systems) two seconds after, the tick of the coarsest."""
    files = write(tmp_path, {f"{n}.yml": "a: 1\n" for n in "abcd"})
    now = time.time_ns()
    changed = {
        "a.yml": now - 500_000_000 + 123,  # fine, half a second before: trusted
        "b.yml": now - 50_000_000 + 123,  # fine, within the tick's margin: read again
        "c.yml": (now // 10**9 - 1) * 10**9,  # a whole second, one or two before: read again
        "d.yml": (now // 10**9 - 3) * 10**9,  # a whole second, three or four before: trusted
    }
    first = Seen(tmp_path / "files.seen", True)
    first.now = now
    for name, mtime in changed.items():
        os.utime(files / name, ns=(mtime, mtime))
        first.add(name, signature(files / name, tmp_path), name.encode())
    first.save()
    second = Seen(tmp_path / "files.seen", True)
    known = {name for name in changed if second.get(name, signature(files / name, tmp_path))}
    assert known == {"a.yml", "d.yml"}


def test_a_folders_real_path_is_realpaths_however_it_is_named(tmp_path, monkeypatch):
    (tmp_path / "site" / "a" / "b").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "site" / "link").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(tmp_path)
    safefile.new_run()
    names = [
        "site/a/b",
        "site/a/../a/b",
        "site/./a",
        "site/link",
        "site/link/c",
        str(tmp_path / "site/a/b/"),
        "",
    ]
    assert [safefile.real_folder(name) for name in names] == [os.path.realpath(name) for name in names]
