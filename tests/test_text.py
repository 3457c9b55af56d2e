"""The one text rule: what any text may carry, and what a name may."""

import pytest

from briefing.core import text as text_rule
from briefing.core.text import clean_name, clean_text, collapse, in_sentence, visible


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain text", "plain text"),
        ("tab\tand\nnewline\r", "tab\tand\nnewline\r"),
        ("escape\x1b[31m", "escape[31m"),
        ("form\x0cfeed", "form feed"),
        ("nul\x00", "nul"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("non\ufffe\U0001ffffcharacters\ufdd0", "noncharacters"),
        ("C1\x80\x9f", "C1"),
        ("reversed \u202eemit 00:01\u202c", "reversed emit 00:01"),
        ("isolate \u2067x\u2069", "isolate x"),
        ("Zürich, Київ, 東京", "Zürich, Київ, 東京"),
        ("emoji \U0001f468\u200d\U0001f469 joined", "emoji \U0001f468\u200d\U0001f469 joined"),
    ],
)
def test_clean_text_keeps_what_xml_and_readers_can_take(raw, clean):
    assert clean_text(raw) == clean
    assert clean_text(clean) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Selen\u00adskyj", "Selenskyj"),
        ("Keir\u200b Starmer", "Keir Starmer"),
        ("  Keir \n Starmer ", "Keir Starmer"),
        ("Title\u202e", "Title"),
        ("\ufeffBOM", "BOM"),
        ("tag\U000e0041s", "tags"),
        ("Emmanuel\u2060Macron\u180e", "EmmanuelMacron"),
    ],
)
def test_clean_name_removes_everything_invisible(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("name", "seen"),
    [("A", True), ("7", True), ("€", True), ("\u200b\u200d", False), ("", False), (" \u3000", False)],
)
def test_visible(name, seen):
    assert visible(clean_name(name)) is seen


def test_every_whitespace_character_but_the_space_is_unprintable():
    # collapse() skips split() for printable text on this: a Unicode update breaking it fails here.
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert [c for c in spaces if c.isprintable()] == [" "]


@pytest.mark.parametrize(
    "text",
    [
        "one two",
        " lead",
        "trail ",
        "two  spaces",
        "tab\there",
        "line\nbreak",
        "nbsp\xa0here",
        "\u3000ideo",
        "",
    ],
)
def test_collapse_is_split_and_join(text):
    assert collapse(text) == " ".join(text.split())


def test_every_character_the_text_rule_changes_is_unprintable():
    # clean_text leaves printable text, and printable lines, alone unread: a Unicode update breaking
    # this fails here.
    changed = [chr(c) for c in range(0x110000) if text_rule._CHANGED.match(chr(c))]
    assert changed and not [c for c in changed if c.isprintable() or c in "\n\t\r"]


@pytest.mark.parametrize(
    "line", ["plain", "ünïcødé ✓", "nbsp\xa0here", "ctl\x07", "nel\x85", "rlo\u202e", "ff\x0c"]
)
def test_clean_text_of_lines_is_clean_text_of_each_line(line):
    text = "\n".join([line, "\tindented", "crlf\r", line])
    assert clean_text(text) == "\n".join(clean_text(part) for part in text.split("\n"))


def test_a_label_reads_in_a_sentence_without_losing_an_acronym():
    assert [in_sentence(w) for w in ("On record", "UN resolution", "Reported", "")] == [
        "on record", "UN resolution", "reported", "",
    ]  # fmt: skip
