"""Stance timelines: bands where stances held, words for what they show."""

import re
from datetime import date

from conftest import build, write

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


def test_the_axis_runs_from_the_first_recorded_position_to_the_last_briefing(tmp_path):
    """A briefing dated decades early (a note with no position) does not stretch the charts."""
    write(tmp_path, {
        "content/briefing/actors.yml": "ann:\n  name: Ann\n",
        "content/briefing/issues.yml": "tax:\n  title: Tax\n",
        "content/briefing/feeds.yml": "feed: {title: Wire, url: https://wire.test/feed}\n",
        "content/notes/old.yml": "date: 1995-01-01\ntitle: Long ago\n",
        "content/notes/a.yml": "date: 2025-03-01\ntitle: A\npositions:\n  - {actor: ann, issue: tax, stance: supports}\n",
        "content/notes/b.yml": "date: 2025-03-11\ntitle: B\npositions:\n  - {actor: ann, issue: tax, stance: opposes}\n",
    })  # fmt: skip
    output = build(tmp_path / "content", tmp_path / "output", BRIEFING_SEARCH=False)
    for path in ("actors/ann/index.html", "issues/tax/index.html"):
        html = (output / path).read_text(encoding="utf-8")
        assert '<p class="timeline-axis"><span>1 March 2025</span><span>11 March 2025</span></p>' in html
        bands = re.findall(r'class="band band-(\w+)" x="([\d.]+)" y="0" width="([\d.]+)"', html)
        # Ten days of support, then the last day's opposition: across the whole strip.
        assert [(s, float(x)) for s, x, _ in bands] == [
            ("none", 0),
            ("supports", 0),
            ("opposes", round(WIDTH * 10 / 11, 2)),
        ]
