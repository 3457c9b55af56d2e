"""Stance timelines: bands where stances held, words for what they show."""

import re
from datetime import date

from briefing.charts import WIDTH, timeline
from briefing.digest import Change
from briefing.model import Position

STANCES = {"supports": "Supports", "opposes": "Opposes"}


def change(day, stance):
    return Change(Position("ann", "tax", stance, date(2025, 3, day)), "")


def test_bands_follow_changes_and_reaffirmations_continue_them():
    svg = timeline(
        [change(1, "opposes"), change(5, "opposes"), change(11, "supports")],
        date(2025, 3, 1), date(2025, 3, 20), STANCES, "Ann on <tax>", "tl-ann-tax",
    )  # fmt: skip
    bands = re.findall(r'class="band band-(\w+)" x="([\d.]+)" y="0" width="([\d.]+)"', svg)
    assert [b[0] for b in bands] == ["none", "opposes", "supports"]
    (_, x1, w1), (_, x2, w2) = [(s, float(x), float(w)) for s, x, w in bands[1:]]
    assert x1 == 0 and x2 == x1 + w1 == round(10 / 20 * WIDTH, 2) and x2 + w2 == WIDTH
    assert '<desc id="tl-ann-tax-d">Opposes from 1 March 2025; Supports from 11 March 2025.</desc>' in svg
    assert "Ann on &lt;tax&gt;" in svg and 'aria-labelledby="tl-ann-tax-t tl-ann-tax-d"' in svg


def test_no_position_is_said_too():
    svg = timeline([], date(2025, 3, 1), date(2025, 3, 2), STANCES, "Ann", "tl")
    assert '<desc id="tl-d">No known position.</desc>' in svg
