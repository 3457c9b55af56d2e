"""Matching names, aliases and keywords: case, diacritics and word boundaries."""

import pytest

from briefing.match import Matcher
from briefing.model import Actor, Issue

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
