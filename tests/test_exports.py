"""Open data: ids stay the same when notes come and go."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from briefing.digest import build
from briefing.exports import POSITION_FIELDS, position_rows, to_csv
from briefing.model import Actor, Issue, Note, Position

TZ = ZoneInfo("UTC")
ACTORS = {"ann": Actor("ann", "Ann")}
ISSUES = {"tax": Issue("tax", "Tax")}


def note(name, day, stance="supports"):
    d = date.fromisoformat(day)
    position = Position("ann", "tax", stance, d, path=f"content/notes/{name}.yml", line=4)
    return Note(path=f"content/notes/{name}.yml", date=d, time=datetime.combine(d, time(), TZ), title=name,
                positions=(position,))  # fmt: skip


def ids(*notes):
    digest = build(ACTORS, ISSUES, {"supports": "Supports"}, notes, [], TZ)
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
    digest = build(ACTORS, ISSUES, {"supports": "Supports"}, [note("a", "2025-03-01")], [], TZ)
    header = to_csv(position_rows(digest, lambda kind, key: ""), POSITION_FIELDS).splitlines()[0]
    assert header.split(",") == list(POSITION_FIELDS)
