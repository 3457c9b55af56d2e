"""Reading the archive: every line checked, cleaned again, twins dropped."""

import json

from test_content import make_site

from briefing.core.digest import merge_outlets
from briefing.core.match import Matcher, item_mentions
from briefing.core.model import Actor, Issue
from briefing.core.sanitize import plain_text
from briefing.ingest import archive
from briefing.site.archivecache import MatchedArchive
from tasks import checks

GOOD = {
    "id": "a", "feed": "f", "title": "T", "link": "https://x.test/a", "published": "2025-03-01T10:00:00+00:00",
    "summary": "<p>S</p>", "author": "", "publisher": "P", "fetched": "2025-03-01T11:00:00+00:00",
}  # fmt: skip


def write_lines(tmp_path, *lines, name="2025-03.jsonl"):
    folder = tmp_path / "archive"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(b"".join(line + b"\n" for line in lines))
    return folder


def line(**changes):
    return json.dumps({**GOOD, **changes}).encode()


def test_broken_lines_are_problems_with_file_and_line(tmp_path):
    folder = write_lines(
        tmp_path, line(), b'{"id": "x"', b"\xff\xfe", line(id="b", link="javascript:alert(1)")
    )
    problems = []
    items = archive.read(folder, tmp_path, problems)
    assert [i.id for i in items] == ["a"]
    assert [(p.path, p.line) for p in problems] == [("archive/2025-03.jsonl", n) for n in (2, 3, 4)]
    assert "'link' is not an http(s) address" in problems[2].message
    assert all("git checkout" in p.fix for p in problems)


def test_lines_json_reads_are_read_as_json_reads_them(tmp_path):
    # A lone surrogate escaped, NaN, a number past 64 bits, a BOM, a duplicate key: what the json
    # module takes is read and cleaned, what it refuses is a problem.
    folder = write_lines(
        tmp_path,
        line(id="s", title="lone \ud800 surrogate"),
        line(id="n").replace(b'"id": "n"', b'"id": "n", "x": NaN, "y": 123456789012345678901234567890'),
        line(id="d").replace(b'"id": "d"', b'"id": "d", "id": "twice"'),
        b"\xef\xbb\xbf" + line(id="bom"),
        line(id="crlf") + b"\r",
    )
    problems = []
    items = archive.read(folder, tmp_path, problems)
    assert [(i.id, i.title) for i in items] == [
        ("s", "lone surrogate"),
        ("n", "T"),
        ("twice", "T"),
        ("crlf", "T"),
    ]
    assert [(p.line, "BOM" in p.message) for p in problems] == [(4, True)]


def test_what_is_read_is_sanitised_again(tmp_path):
    hostile = line(summary="<p>x</p><script>alert(1)</script><img src=x onerror=alert(2)>", title="<b>T</b>")
    (item,) = archive.read(write_lines(tmp_path, hostile), tmp_path, [])
    assert item.summary == "<p>x</p>"
    assert item.text == plain_text(item.summary) == "x"
    assert item.title == "<b>T</b>"  # text, kept as the feed had it; escaped wherever it is shown


def test_twins_from_merged_branches_are_read_once(tmp_path):
    folder = write_lines(tmp_path, line(), line(), line(id="other", link="https://X.test/a?utm_source=y"))
    # Twin lines are one item; the same link under another id is the same story.
    assert len(archive.read(folder, tmp_path, [])) == 2
    assert len(merge_outlets(archive.read(folder, tmp_path, []))) == 1


def test_appending_keeps_old_bytes_and_permissions(tmp_path):
    folder = write_lines(tmp_path, line())
    path = folder / "2025-03.jsonl"
    path.chmod(0o644)
    before = path.read_bytes()
    archive.append(
        folder, {"2025-03.jsonl": [line(id="b").decode()], "2025-04.jsonl": [line(id="c").decode()]}
    )
    assert path.read_bytes() == before + line(id="b") + b"\n"
    assert path.stat().st_mode & 0o777 == 0o644
    assert (folder / "2025-04.jsonl").stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in folder.iterdir()) == ["2025-03.jsonl", "2025-04.jsonl"]


def test_one_publisher_repeating_a_title_the_same_day_is_one_story(tmp_path):
    folder = write_lines(
        tmp_path,
        line(),
        line(id="b", link="https://x.test/other", published="2025-03-01T18:00:00+00:00", feed="g"),
        line(id="c", link="https://x.test/third", published="2025-03-02T09:00:00+00:00"),
    )
    stories = merge_outlets(archive.read(folder, tmp_path, []))
    assert [s.id for s in stories] == ["a", "c"]  # same publisher and title; the next day is news again


def test_a_cold_read_in_worker_processes_gives_what_one_process_reading_in_turn_gives(tmp_path):
    # Files not in the cache are read and matched in worker processes (on a machine with 2 cores
    # or more); the parent merges them in file order, problems included.
    actors = {"macron": Actor("macron", "Emmanuel Macron", aliases=("Macron",))}
    issues = {"ceasefire": Issue("ceasefire", "Ceasefire")}
    folder = write_lines(tmp_path, line(title="Macron speaks"), b"{broken", name="2025-01.jsonl")
    write_lines(
        tmp_path,
        line(id="b", title="Ceasefire holds", published="2025-02-01T10:00:00+00:00"),
        name="2025-02.jsonl",
    )
    (folder / "2025-03.jsonl").mkdir()  # not a file: reported, the rest read
    write_lines(
        tmp_path,
        line(title="Macron and the ceasefire", changed="2025-04-02T10:00:00+00:00"),  # a later version of a
        b"\xff",
        name="2025-04.jsonl",
    )
    write_lines(tmp_path, *(line(id=f"n{n}") for n in range(50)), name="2025-05.jsonl")
    matcher = Matcher(actors, issues)
    serial_problems = []
    serial = archive.read(folder, tmp_path, serial_problems)
    for load in (True, True, False):  # cold, warm, then cold again as with --ignore-cache
        problems = []
        cached = MatchedArchive({"CACHE_PATH": tmp_path / "cache", "LOAD_CONTENT_CACHE": load}, matcher)
        items = cached.read(folder, tmp_path, problems)
        assert items == serial
        assert [i.text for i in items] == [i.text for i in serial]
        assert cached.mentions == {(i.feed, i.id): item_mentions(matcher, i) for i in serial}
        assert problems == serial_problems
    assert [(p.path, p.line) for p in problems] == [
        ("archive/2025-01.jsonl", 2),
        ("archive/2025-03.jsonl", None),
        ("archive/2025-04.jsonl", 2),
    ]
    assert cached.mentions[("f", "a")] == (("macron",), ("ceasefire",))
    assert len(list((tmp_path / "cache" / "briefing-archive").iterdir())) == 2  # the files without problems


def test_problems_come_in_one_order_whether_the_archive_is_read_by_workers_or_not(tmp_path):
    # With the cache on, workers read the archive while the notes load: notes' problems still come
    # first, then each archive file's, in file order, as when one process reads everything.
    good = line(title="Volodymyr Zelenskiy speaks", published="2025-03-02T10:00:00+00:00")
    files = {
        "content/notes/bad.yml": "title: no date\n",
        "content/archive/2025-01.jsonl": "{broken\n",
        "content/archive/2025-02.jsonl": good.decode() + "\n",
        "content/archive/2025-03.jsonl": line(id="b").decode() + "\n\xff\n",
    }
    uncached = checks.run(make_site(tmp_path / "plain", files))
    cached = make_site(tmp_path / "cached", files)
    cached.update(CACHE_CONTENT=True, CACHE_PATH=str(tmp_path / "cache"))
    assert [p.path for p in uncached[0]] == [
        "content/notes/bad.yml",
        "content/archive/2025-01.jsonl",
        "content/archive/2025-03.jsonl",
    ]
    for _ in range(2):  # cold, then warm
        assert [(p.path, p.line, p.message) for p in checks.run(cached)[0]] == [
            (p.path, p.line, p.message) for p in uncached[0]
        ]
