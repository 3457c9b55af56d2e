"""Matching names, aliases and keywords: case, diacritics and word boundaries."""

import pickle
import subprocess
import sys

import pytest
from conftest import ROOT

from briefing.core.match import Matcher, admits, item_mentions, normalise
from briefing.core.model import Actor, Feed, FeedItem, Issue

ACTORS = {
    "volodymyr-zelenskiy": Actor(
        "volodymyr-zelenskiy", "Volodymyr Zelenskiy", aliases=("Zelenskiy", "Zelensky")
    ),
    "emmanuel-macron": Actor("emmanuel-macron", "Emmanuel Macron", aliases=("Macron",)),
    "dragos-tudorache": Actor("dragos-tudorache", "Dragoș Tudorache", aliases=("Tudorache",)),
}
ISSUES = {"ceasefire": Issue("ceasefire", "Ceasefire", keywords=("air and sea truce",))}
MATCHER = Matcher(ACTORS, ISSUES)


@pytest.mark.parametrize(
    ("text", "actors", "issues"),
    [
        ("Zelensky meets allies", ("volodymyr-zelenskiy",), ()),
        ("ZELENSKIY SPEAKS", ("volodymyr-zelenskiy",), ()),
        ("Zelenskiy's plan", ("volodymyr-zelenskiy",), ()),
        ("Macronism is a doctrine", (), ()),
        ("Macron, in Paris", ("emmanuel-macron",), ()),
        ("Dragos Tudorache votes", ("dragos-tudorache",), ()),
        ("DRAGOȘ TUDORACHE", ("dragos-tudorache",), ()),
        ("An  air and\nsea truce", (), ("ceasefire",)),
        ("ceasefires everywhere", (), ()),
        ("Ceasefire talks with Macron", ("emmanuel-macron",), ("ceasefire",)),
    ],
)
def test_mentions(text, actors, issues):
    assert MATCHER.mentions(text) == (actors, issues)


def test_the_rules_fingerprint_is_the_same_in_every_run():
    # Terms of equal length came out in set order, which changes with each run's hash seed: every
    # fetch then thought the rules had changed and refetched whole feeds instead of asking for 304s.
    script = (
        "import sys; sys.path.insert(0, 'plugins')\n"
        "from briefing.core.match import Matcher\nfrom briefing.core.model import Actor, Feed\n"
        "actors = {'a': Actor('a', 'Abc', aliases=('Abd', 'Abe', 'Abf', 'Abg'))}\n"
        "print(Matcher(actors, {}).rules_of(Feed('f', 'F', 'https://x.test/')))"
    )
    prints = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(prints) == 1, prints


@pytest.mark.parametrize(
    "text",
    [
        "Selen\u00adskyj visits Kyiv",  # a soft hyphen, as &shy; in a feed
        "Selen\u200bskyj visits Kyiv",  # a zero-width space
        "Selen\u2060skyj visits Kyiv",  # a word joiner
        "SELEN\u00adSKYJ",
    ],
)
def test_invisible_characters_inside_a_name_do_not_hide_it(text):
    matcher = Matcher({"z": Actor("z", "Volodymyr Selenskyj", aliases=("Selenskyj",))}, {})
    feed = Feed("wire", "Wire", "https://x.test/", only_matching=True)
    item = FeedItem("1", "wire", text, "https://x.test/1", None)
    assert matcher.mentions(text) == (("z",), ())
    assert admits(feed, item, matcher)


def test_an_alias_written_with_a_soft_hyphen_matches_the_plain_word():
    matcher = Matcher({"z": Actor("z", "Selen\u00adskyj")}, {})
    assert matcher.mentions("Selenskyj in Kyiv") == (("z",), ())


def test_aliases_led_by_punctuation_are_found_among_thousands():
    # 10,000 handles once cost a pattern search each, for every item: one automaton holds them all.
    actors = {
        f"a{n}": Actor(f"a{n}", f"Person {n}", aliases=(f"@handle{n}", f"#tag{n}")) for n in range(10_000)
    }
    matcher = Matcher(actors, {})
    assert matcher.mentions("Posted by @handle42 under #tag7") == (("a7", "a42"), ())
    assert matcher.mentions("handle42 and tag7 without the sign") == ((), ())
    assert matcher.mentions("@handle4200x and @handle420") == (("a420",), ())


def test_a_term_inside_a_word_does_not_hide_the_same_term_as_a_word_later():
    assert MATCHER.mentions("Macronism, says Macron") == (("emmanuel-macron",), ())
    assert MATCHER.mentions("Macronisme et macronie") == ((), ())


def test_overlapping_and_shared_terms_name_every_entity_they_belong_to():
    actors = {
        "macron": Actor("macron", "Emmanuel Macron", aliases=("Macron",)),
        "brigitte": Actor("brigitte", "Brigitte Macron", aliases=("Macron",)),  # a shared alias
    }
    issues = {"reform": Issue("reform", "Pension reform", keywords=("Macron reform",))}
    matcher = Matcher(actors, issues)
    assert matcher.mentions("The Macron reform passes") == (("macron", "brigitte"), ("reform",))
    assert matcher.mentions("Brigitte Macron speaks") == (("macron", "brigitte"), ())


def test_a_matcher_sent_to_another_process_finds_the_same():
    # A cold build matches the archive's files in worker processes, each with a copy of the matcher.
    copy = pickle.loads(pickle.dumps(MATCHER))
    assert copy.fingerprint == MATCHER.fingerprint
    assert copy.mentions("ZELENSKIY and Macron on a ceasefire") == MATCHER.mentions(
        "ZELENSKIY and Macron on a ceasefire"
    )
    assert copy.mentions("ZELENSKIY and Macron on a ceasefire") == (
        ("volodymyr-zelenskiy", "emmanuel-macron"),
        ("ceasefire",),
    )


def test_an_alias_of_punctuation_alone_still_matches():
    matcher = Matcher({"p": Actor("p", "Plus", aliases=("+++",))}, {})
    assert matcher.mentions("rated +++ by critics") == (("p",), ())


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Talks with Emmanuel", "<p>Macron said so</p>"),
        ("", "<p>Zelen\u00adskiy</p>"),
        ("DRAGOȘ", "<p>\u0301TUDORACHE \u00a0 in\tBrussels</p>"),
        ("Air and", ""),
        ("A ceasefire\u200b", "<p>  air and <strong>sea</strong> truce </p>"),
    ],
)
def test_an_item_is_matched_as_its_title_and_text_on_two_lines(title, summary):
    item = FeedItem("i", "f", title, "", None, summary)
    assert item_mentions(MATCHER, item) == MATCHER.mentions(f"{item.title}\n{item.text}")
    assert normalise(f"{title}\n{summary}") == " ".join(filter(None, (normalise(title), normalise(summary))))
