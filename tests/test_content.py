"""Every editor mistake of CONTENT-FORMAT.md stops the load with file, line and a fix."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import write

from briefing.core import notefiles
from briefing.core.notefiles import CHUNK, load_notes
from briefing.core.notes import parse_note
from briefing.core.problems import ContentError
from briefing.site import settings
from briefing.site.load import load_digest

ACTORS = """
keir-starmer:
  name: Keir Starmer
  role: Prime Minister
  affiliation: United Kingdom
  aliases: [Starmer]
volodymyr-zelenskiy:
  name: Volodymyr Zelenskiy
  aliases: [Zelenskiy, Zelensky]
"""
ISSUES = """
territorial-concessions:
  title: Territorial concessions
  question: Should Ukraine cede territory?
"""
GOOD_NOTE = """
date: 2025-03-02
title: London summit
sources:
  - id: invezz
    url: https://invezz.com/news/x
positions:
  - actor: volodymyr-zelenskiy
    issue: territorial-concessions
    stance: opposes
    source: invezz
"""


def make_site(tmp_path, files):
    base = {
        "content/briefing/actors.yml": ACTORS,
        "content/briefing/issues.yml": ISSUES,
        "content/notes/good.yml": GOOD_NOTE,
    }
    write(tmp_path, {**base, **files})
    config = {"PATH": str(tmp_path / "content"), "TIMEZONE": "Europe/London"}
    settings.complete(config)
    return config


def problems_of(tmp_path, files):
    with pytest.raises(ContentError) as caught:
        load_digest(make_site(tmp_path, files))
    return [str(p) for p in caught.value.problems]


def test_a_good_site_loads(tmp_path):
    digest = load_digest(make_site(tmp_path, {}))
    (briefing,) = digest.briefings
    assert briefing.date == date(2025, 3, 2)
    (position,) = briefing.positions
    assert (position.actor, position.stance, position.source.url) == (
        "volodymyr-zelenskiy",
        "opposes",
        "https://invezz.com/news/x",
    )


NOTE = "content/notes/bad.yml"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({NOTE: "date: 2025-03-02\ntitle: [unclosed\n"}, f"{NOTE}:3: this is not valid YAML"),
        ({NOTE: "date: 2025-03-02\ntitle: A\ntitle: B\n"}, f"{NOTE}:3: duplicate key 'title' (also on line 2)"),
        (
            {NOTE: "date: 2025-03-02\ntitle: A\npositions:\n  - actor: keir-starmr\n    issue: territorial-concessions\n    stance: supports\n"},
            f"{NOTE}:4: unknown actor 'keir-starmr'; did you mean 'keir-starmer'?",
        ),
        (
            {NOTE: "date: 2025-03-02\ntitle: A\npositions:\n  - actor: keir-starmer\n    issue: territory\n    stance: supports\n"},
            f"{NOTE}:5: unknown issue 'territory'",
        ),
        (
            {NOTE: "date: 2025-03-02\ntitle: A\npositions:\n  - actor: keir-starmer\n    issue: territorial-concessions\n    stance: support\n"},
            f"{NOTE}:6: unknown stance 'support'; did you mean 'supports'?",
        ),
        (
            {NOTE: "date: 2025-03-02\ntitle: A\npositions:\n  - actor: keir-starmer\n    issue: territorial-concessions\n    stance: supports\n    evidence: on-the-record\n"},
            f"{NOTE}:7: unknown evidence 'on-the-record'; did you mean 'on-record'?",
        ),
        (
            {NOTE: "date: 2025-03-02\ntitle: A\npositions:\n  - actor: keir-starmer\n    issue: territorial-concessions\n    stance: supports\n    source: bbc\n"},
            f"{NOTE}:7: unknown source 'bbc'; use a source id of this note (none) or a full https:// address",
        ),
        ({NOTE: "title: A\n"}, f"{NOTE}:1: this note has no 'date'; add 'date:' (it is required), e.g. 'date: 2025-03-02'"),
        ({NOTE: "date: 2025-02-30\ntitle: A\n"}, f"{NOTE}:1: '2025-02-30' is not a possible value"),
        ({NOTE: "date: '2025-13-01'\ntitle: A\n"}, f"{NOTE}:1: '2025-13-01' is not a date"),
        ({NOTE: "date: 2025-03-02 17:30:00\ntitle: A\n"}, f"{NOTE}:1: the date and time has no UTC offset"),
        ({NOTE: "date: 2025-03-02\ntitle: yes\n"}, f"{NOTE}:2: 'title' must be text, not yes/no; put the value in quotes"),
        ({NOTE: "date: 2025-03-02\ntitle: A\ntags: keir-starmer\n"}, f"{NOTE}:3: 'tags' must be a list"),
        ({NOTE: "date: 2025-03-02\ntitle: A\npostions: []\n"}, f"{NOTE}:3: unknown key 'postions' in this note; did you mean 'positions'?"),
        ({NOTE: "date: 2025-03-02\ntitle: !!python/object:os.system A\n"}, f"{NOTE}:2: the YAML tag !!python/object:os.system is not allowed"),
        ({NOTE: "a: &a [1, 2]\nb: [*a, *a]\n"}, f"{NOTE}:2: YAML aliases (*name) are not allowed"),
        ({"content/notes/bad.md": "date: 2025-03-02\ntitle: A\n"}, "content/notes/bad.md:1: a Markdown note must start with YAML front matter"),
        ({"content/notes/bad.md": "---\ndate: 2025-03-02\ntitle: A\n"}, "content/notes/bad.md:1: the front matter is never closed"),
        ({"content/notes/bad.md": "---\ndate: 2025-03-02\ntitel: A\n---\nText\n"}, "content/notes/bad.md:3: unknown key 'titel' in this note; did you mean 'title'?"),
        ({"content/notes/bad.txt": "hello"}, "content/notes/bad.txt: this is not a note file"),
        ({"content/briefing/actors.yml": ACTORS + "Keir Starmer:\n  name: Dup\n"}, "content/briefing/actors.yml:9: 'Keir Starmer' is not a valid actor id"),
        ({"content/briefing/actors.yml": ACTORS + "../etc:\n  name: X\n"}, "content/briefing/actors.yml:9: '../etc' is not a valid actor id"),
        ({"content/briefing/actors.yml": ACTORS + "a.b:\n  name: X\n"}, "content/briefing/actors.yml:9: 'a.b' is not a valid actor id"),
        ({"content/briefing/actors.yml": ACTORS + "keir-starmer:\n  name: Again\n"}, "content/briefing/actors.yml:9: duplicate key 'keir-starmer' (also on line 1)"),
        ({"content/briefing/actors.yml": ACTORS + "nobody:\n  role: X\n"}, "content/briefing/actors.yml:9: actor 'nobody' has no 'name'"),
        ({"content/briefing/actors.yml": ACTORS + "x:\n  name: X\n  kind: party\n"}, "content/briefing/actors.yml:11: unknown kind 'party'"),
        ({"content/briefing/issues.yml": ISSUES + "Ceasefire:\n  title: C\n"}, "content/briefing/issues.yml:4: 'Ceasefire' is not a valid issue id"),
        ({"content/briefing/feeds.yml": "wire:\n  title: Wire\n  url: ftp://x/feed\n"}, "content/briefing/feeds.yml:3: 'ftp://x/feed' is not an http(s) address"),
        ({"content/briefing/feeds.yml": "wire:\n  url: https://x.test/feed\n"}, "content/briefing/feeds.yml:1: feed 'wire' has no 'title'"),
        ({NOTE: "date: 2025-03-02\ntitle: A\nsources:\n  - id: s\n    url: javascript:alert(1)\n"}, f"{NOTE}:5: 'javascript:alert(1)' is not a web address"),
        ({NOTE: "date: 2025-03-02\ntitle: A\npositions: keir-starmer supports\n"}, f"{NOTE}:3: 'positions' must be a list; write each position as '- actor: ...'"),
        ({NOTE: "date: 2025-03-02\ntitle: A\npositions:\n  - keir-starmer supports\n"}, f"{NOTE}:4: a position must be a mapping of keys to values; write it as '- actor: ...' with issue:, stance:"),
        ({NOTE: "date: 2025-03-02\ntitle: A\nsources:\n  - id: s\n"}, f"{NOTE}:4: a source has no 'url'"),
        ({NOTE: "date: 2025-03-02\ntitle: ''\n"}, f"{NOTE}:2: 'title' of this note is empty; write a value after 'title:'"),
        ({NOTE: "date:\ntitle: A\n"}, f"{NOTE}:1: 'date' of this note is empty"),
        ({NOTE: "date: 2025-03-02\ntitle: A\npositions:\n  - actor: [keir-starmer]\n    issue: territorial-concessions\n    stance: supports\n"}, f"{NOTE}:4: 'actor' must be one actor id, not a list or mapping"),
        ({NOTE: "date: 2025-03-02\ntitle: A\x07\n"}, f"{NOTE}:2: the text holds a character YAML does not allow"),
        ({"content/notes/bad.yml": "date: 2025-03-02\ntitle: A\npositions:\n  - actor: keir-starmer\n    issue: territorial-concessions\n    stance: supports\n",
          "content/notes/good.yml": GOOD_NOTE.replace("volodymyr-zelenskiy", "keir-starmer")},
         "content/notes/good.yml:7: keir-starmer is also recorded as 'supports' on territorial-concessions that day (content/notes/bad.yml:4)"),
        ({NOTE: "date: 2025-03-02\ntitle: A\ncorrected:\n  - date: 2025-03-01\n    text: Fixed.\n"}, f"{NOTE}:4: the correction is dated 2025-03-01, before the note (2025-03-02)"),
        ({NOTE: "date: 2025-03-02\ntitle: A\ncorrected:\n  - date: 2025-03-04\n"}, f"{NOTE}:4: a correction has no 'text'"),
        ({"content/briefing/actors.yml": ACTORS + "con:\n  name: X\n"}, "content/briefing/actors.yml:9: 'con' is a name Windows reserves for a device; choose another actor id"),
        ({"content/briefing/feeds.yml": "lpt1:\n  title: W\n  url: https://x.test/f\n"}, "content/briefing/feeds.yml:1: 'lpt1' is a name Windows reserves"),
        ({"content/briefing/feeds.yml": "wire:\n  title: W\n  url: ../../etc/passwd\n"}, "content/briefing/feeds.yml:3: '../../etc/passwd' is not a path inside the site's folder"),
        ({"content/briefing/feeds.yml": "wire:\n  title: W\n  url: /etc/passwd\n"}, "content/briefing/feeds.yml:3: '/etc/passwd' is not a path inside the site's folder"),
        ({"content/briefing/feeds.yml": "wire:\n  title: W\n  url: 'samples\\..\\..\\x.xml'\n"}, "content/briefing/feeds.yml:3: 'samples\\\\..\\\\..\\\\x.xml' is not a path inside"),
        ({"content/briefing/feeds.yml": "wire:\n  title: W\n  url: 'C:/feeds/x.xml'\n"}, "content/briefing/feeds.yml:3: 'C:/feeds/x.xml' is not a path inside"),
        ({"content/notes/deep.md": "---\ndate: 2025-03-02\ntitle: A\n---\nText\n\n" + "* " * 2000 + "x\n"}, "content/notes/deep.md:5: the Markdown nests lists too deeply to render"),
        ({"content/briefing/issues.yml": ISSUES + "deep:\n  title: D\n  description: '" + "* " * 2000 + "x'\n"}, "content/briefing/issues.yml:6: the Markdown nests lists too deeply"),
    ],
    ids=[
        "bad-yaml", "duplicate-key", "unknown-actor", "unknown-issue", "stance-outside-vocabulary", "evidence-outside-vocabulary",
        "unknown-source", "missing-date", "impossible-date", "unparsable-date-text", "datetime-without-offset",
        "wrong-type", "tags-not-a-list", "unknown-key", "yaml-tag", "alias", "md-without-front-matter",
        "md-unclosed-front-matter", "md-line-numbers", "not-a-note", "id-with-space", "id-with-dots-and-slash",
        "id-with-dot", "duplicate-actor", "actor-without-name", "unknown-actor-kind", "issue-id-upper-case",
        "feed-bad-scheme", "feed-without-title", "source-javascript-url", "positions-not-a-list",
        "position-not-a-mapping", "source-without-url", "empty-title", "empty-date", "actor-as-list",
        "control-character", "conflicting-stances-same-day", "correction-before-note", "correction-without-text",
        "id-windows-device", "feed-id-windows-device", "feed-path-dotdot", "feed-path-absolute",
        "feed-path-backslashes", "feed-path-drive", "markdown-too-deep", "description-too-deep",
    ],
)  # fmt: skip
def test_each_mistake_names_file_line_and_fix(tmp_path, files, expected):
    problems = problems_of(tmp_path, files)
    assert any(p.startswith(expected) for p in problems), problems
    assert all(";" in p for p in problems), "every message carries a fix"


def test_every_problem_is_reported_at_once(tmp_path):
    problems = problems_of(
        tmp_path,
        {
            "content/notes/a.yml": "title: A\n",
            "content/notes/b.yml": "date: 2025-03-02\ntitle: B\ntitle: C\n",
        },
    )
    assert [p.split(":")[0] for p in problems] == ["content/notes/a.yml", "content/notes/b.yml"]


def test_datetime_date_is_taken_in_the_site_timezone(tmp_path):
    note = "date: 2025-03-02T23:30:00-05:00\ntitle: Late in Washington\n"
    digest = load_digest(make_site(tmp_path, {"content/notes/late.yml": note}))
    assert [b.date for b in digest.briefings] == [date(2025, 3, 2), date(2025, 3, 3)]


def test_editor_markdown_keeps_formatting_but_not_scripts(tmp_path):
    note = (
        "---\ndate: 2025-03-03\ntitle: T\n---\n**Bold** <script>alert(1)</script>"
        " [x](javascript:alert(2)) <iframe src=https://evil.test></iframe>\n"
    )
    digest = load_digest(make_site(tmp_path, {"content/notes/t.md": note}))
    body = digest.briefings[-1].notes[0].body
    assert "<strong>Bold</strong>" in body
    for bad in ("<script", "alert(1)", "javascript:", "<iframe"):
        assert bad not in body


def test_actor_links_must_be_web_addresses(tmp_path):
    actors = ACTORS + "x:\n  name: X\n  links:\n    - https://ok.test/\n    - javascript:alert(1)\n"
    problems = problems_of(tmp_path, {"content/briefing/actors.yml": actors})
    assert problems[0].startswith(
        "content/briefing/actors.yml:13: 'javascript:alert(1)' is not a web address"
    )


def test_numbers_in_text_stay_as_written_and_a_bom_is_fine(tmp_path):
    note = "\ufeff---\ndate: 2025-03-03\ntitle: 2025\nsummary: 1.50\n---\nText\n"
    digest = load_digest(make_site(tmp_path, {"content/notes/n.md": note}))
    (note,) = digest.briefings[-1].notes
    assert (note.title, note.summary) == ("2025", "1.50")


def test_a_position_may_be_withdrawn(tmp_path):
    note = "date: 2025-03-03\ntitle: Retracted\npositions:\n  - actor: volodymyr-zelenskiy\n    issue: territorial-concessions\n    stance: opposes\n    withdrawn: true\n"
    digest = load_digest(make_site(tmp_path, {"content/notes/w.yml": note}))
    assert digest.briefings[-1].withdrawn[0].previous.date == date(2025, 3, 2)
    assert digest.current == {}
    bad = note.replace("withdrawn: true", "withdrawn: maybe")
    assert problems_of(tmp_path, {"content/notes/w.yml": bad})[0].startswith(
        "content/notes/w.yml:7: 'withdrawn' must be true or false"
    )


def test_markdown_after_a_note_too_deep_to_render_is_rendered_whole():
    known = {"actors": {}, "issues": {}, "stances": {}, "max_positions": 9, "max_sources": 9}
    deep = "---\ndate: 2025-03-02\ntitle: A\n---\nText[^1]\n\n[^1]: One.\n\n" + "* " * 2000 + "x\n"
    after = (
        '---\ndate: 2025-03-03\ntitle: B\n---\nSee[^1] the "table":\n\n| a |\n|---|\n| 1 |\n\n[^1]: Two.\n'
    )
    problems = []
    parse_note(deep, "notes/a.md", problems, known, ZoneInfo("Europe/London"))
    note = parse_note(after, "notes/b.md", problems, known, ZoneInfo("Europe/London"))
    assert [str(p).split(";")[0] for p in problems] == [
        "notes/a.md:5: the Markdown nests lists too deeply to render"
    ]
    # Nothing of the text before: its own footnote, numbered 1, and the extensions all at work.
    assert note.body.count("#fn:1") == 1 and "fn:2" not in note.body
    assert "One." not in note.body and "Two." in note.body
    assert "<td>1</td>" in note.body and "“table”" in note.body


def test_notes_parsed_in_worker_processes_give_what_one_process_gives(tmp_path, monkeypatch):
    """More notes than a chunk are parsed in other processes: the same notes, and the same problems
    in the same order (file by file, in path order), as when every note is parsed here."""
    files, count = {}, 3 * CHUNK + 7
    for n in range(count):
        day = date(2025, 1, 1) + timedelta(days=n % 300)
        broken = "  - actor: nobody\n    issue: territorial-concessions\n    stance: opposes\n" * (n % 7 == 0)
        files[f"content/notes/{n // 100:02d}/{n:04d}.yml"] = (
            f"date: {day}\ntitle: Note {n}\npositions:\n{broken}"
            "  - actor: keir-starmer\n    issue: territorial-concessions\n    stance: supports\n"
        )
    files["content/notes/01/readme.txt"] = "not a note"
    files["content/notes/02/0250.yml"] = "date: [unclosed\n"
    make_site(tmp_path, files)
    known = {
        "actors": {"keir-starmer": None, "volodymyr-zelenskiy": None},
        "issues": {"territorial-concessions": None},
        "stances": settings.DEFAULTS["BRIEFING_STANCES"],
        "max_positions": 50,
        "max_sources": 50,
    }
    tz = ZoneInfo("Europe/London")

    def load():
        problems = []
        notes = load_notes(str(tmp_path / "content/notes"), problems, str(tmp_path), known, tz)
        return notes, [str(p) for p in problems]

    pooled = load()
    monkeypatch.setattr(notefiles, "CHUNK", 10**6)  # every note parsed in this process
    here = load()
    assert pooled == here
    assert len(here[0]) == count  # one broken, and good.yml
    assert here[1][0].startswith("content/notes/00/0000.yml:") and "nobody" in here[1][0]
    assert any(p.startswith("content/notes/01/readme.txt") for p in here[1])
    assert [p.split(":")[0] for p in here[1]] == sorted(p.split(":")[0] for p in here[1])
    assert len(here[1]) == len(range(0, count, 7)) + 1 + 1  # the readme, the broken YAML


def test_a_fix_suggests_the_sites_own_ids(tmp_path):
    """The example in a fix is the site's first stance, not the sample's vocabulary."""
    config = make_site(
        tmp_path,
        {
            NOTE: "date: 2025-03-02\ntitle: A\npositions:\n  - actor: keir-starmer\n    issue: territorial-concessions\n"
        },
    )
    config["BRIEFING_STANCES"] = {"yes": "Yes", "no": "No"}
    with pytest.raises(ContentError) as caught:
        load_digest(config)
    assert f"{NOTE}:4: a position has no 'stance'; add 'stance:' (it is required), e.g. 'stance: yes'" in [
        str(p) for p in caught.value.problems
    ]
