"""cache.fingerprint: the same bytes for equal values, whoever built them, and new bytes for any change."""

import pickle
from dataclasses import replace
from datetime import UTC, date, datetime

from briefing.cache import fingerprint
from briefing.model import FeedItem, Position, Source


def item(title="A title"):
    return FeedItem(
        "id-1", "gazette", title, "https://g.test/1", datetime(2024, 11, 6, 9, tzinfo=UTC), "<p>x</p>"
    )


def test_equal_values_give_equal_bytes_however_their_objects_are_shared():
    actor = "".join(["ana", "-lopez"])  # built at run time: not an interned constant
    shared = Position(actor, "bus-fares", "supports", date(2024, 11, 5), source=Source("https://g.test/1"))
    copied = pickle.loads(pickle.dumps(shared))
    assert fingerprint((shared, shared, actor)) == fingerprint((shared, copied, "ana-lopez"))
    read = item()
    assert read.text  # a cached_property, now in the item's __dict__
    assert fingerprint(read) == fingerprint(item())


def test_any_change_of_a_field_changes_the_bytes():
    position = Position("ana-lopez", "bus-fares", "supports", date(2024, 11, 5), quote="Free buses.")
    changed = [
        replace(position, quote="Free buses!"),
        replace(position, date=date(2024, 11, 6)),
        replace(position, source=Source("https://g.test/1")),
        replace(position, withdrawn=True),
    ]
    assert len({fingerprint(p) for p in [position, *changed]}) == 5
    later = replace(item(), published=datetime(2024, 11, 6, 10, tzinfo=UTC))
    assert len({fingerprint(i) for i in (item(), item("Another"), later)}) == 3
