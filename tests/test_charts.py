"""Stance timelines: bands where stances held, words for what they show."""

import re
from datetime import date

from conftest import build, write

from briefing.core.charts import WIDTH, timeline
from briefing.core.digest import Change
from briefing.core.model import Position

STANCES = {"supports": "Supports", "opposes": "Opposes"}
WORDS = {"on-record": "on record", "reported": "reported", "": "evidence not stated"}.get


def change(day, stance, evidence=""):
    return Change(Position("ann", "tax", stance, date(2025, 3, day), evidence=evidence), "")


def test_bands_follow_changes_and_reaffirmations_continue_them():
    chart = timeline(
        [change(1, "opposes", "reported"), change(5, "opposes", "on-record"), change(11, "supports")],
        date(2025, 3, 1), date(2025, 3, 20), STANCES, WORDS,
    )  # fmt: skip
    first, second = chart.bands
    assert (first.stance, second.stance) == ("opposes", "supports")
    assert first.x == 0 and second.x == first.x + first.width == round(10 / 20 * WIDTH, 2)
    assert second.x + second.width == WIDTH
    assert second.label == "Supports from 11 March 2025 (evidence not stated)"
    assert chart.desc == (
        "Opposes from 1 March 2025 (on record); Supports from 11 March 2025 (evidence not stated)."
    )


def test_no_position_is_said_too():
    chart = timeline([], date(2025, 3, 1), date(2025, 3, 2), STANCES, WORDS)
    assert chart.bands == () and chart.desc == "No known position."


def test_the_axis_runs_from_the_first_recorded_position_to_the_last_briefing(tmp_path):
    """A briefing dated decades early (a note with no position) does not stretch the charts."""
    write(tmp_path, {
        "content/briefing/actors.yml": "ann:\n  name: Ann\n",
        "content/briefing/issues.yml": "tax:\n  title: Tax & <spend>\n",
        "content/briefing/feeds.yml": "feed: {title: Wire, url: https://wire.test/feed}\n",
        "content/notes/old.yml": "date: 1995-01-01\ntitle: Long ago\n",
        "content/notes/a.yml": "date: 2025-03-01\ntitle: A\npositions:\n  - {actor: ann, issue: tax, stance: supports, evidence: official-text}\n",
        "content/notes/b.yml": "date: 2025-03-11\ntitle: B\npositions:\n  - {actor: ann, issue: tax, stance: opposes, evidence: anonymous}\n",
    })  # fmt: skip
    output = build(tmp_path / "content", tmp_path / "output", BRIEFING_SEARCH=False)
    for path in ("actors/ann/index.html", "issues/tax/index.html"):
        html = (output / path).read_text(encoding="utf-8")
        assert '<p class="timeline-axis"><span>1 March 2025</span><span>11 March 2025</span></p>' in html
        bands = re.findall(r'class="band band-(\w+)" x="([\d.]+)" y="0" width="([\d.]+)"', html)
        # Drawn by the theme, titled and described in words for screen readers.
        assert (
            '<svg class="timeline" viewBox="0 0 600 18" preserveAspectRatio="none" role="img"'
            ' aria-labelledby="tl-ann-tax-t tl-ann-tax-d"><title id="tl-ann-tax-t">Ann on Tax &amp; &lt;spend&gt;,'
            ' over time</title><desc id="tl-ann-tax-d">Supports from 1 March 2025 (official text); Opposes from'
            " 11 March 2025 (anonymous sources).</desc>"
        ) in html
        assert (
            '<title>Opposes from 11 March 2025 (anonymous sources)</title></rect></svg><span class="timeline-words"'
            in html
        )
        # Every position table says what each claim rests on, in words.
        assert (
            '<td data-label="Evidence"><span class="evidence evidence-anonymous">Anonymous sources</span>'
            in html
        )
        # Ten days of support, then the last day's opposition: across the whole strip.
        assert [(s, float(x)) for s, x, _ in bands] == [
            ("none", 0),
            ("supports", 0),
            ("opposes", round(WIDTH * 10 / 11, 2)),
        ]
