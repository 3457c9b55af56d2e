"""cache.fingerprint: the same bytes for equal values, whoever built them, and new bytes for any change."""

import pickle
from dataclasses import replace
from datetime import UTC, date, datetime

from conftest import write
from test_content import GOOD_NOTE, make_site
from test_storycache import FEEDS, line

from briefing.core.model import FeedItem, Position, Source
from briefing.site.cache import fingerprint
from briefing.site.load import load_digest


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


def test_a_loaded_briefing_is_keyed_by_its_parts_digests_and_changes_with_what_it_shows(tmp_path):
    """Notes, positions and news items of loaded content are written as digests kept in the caches:
    the same key from a cold and a warm load, a new one for any edit of what the briefing shows."""
    settings = make_site(tmp_path, {
        "content/briefing/feeds.yml": FEEDS,
        "content/archive/2025-03.jsonl": line("a", "Starmer in Kyiv") + "\n",
    }) | {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}  # fmt: skip

    def keys():
        briefings = load_digest(settings).briefings
        return [fingerprint(b) for b in briefings], fingerprint([b.positions for b in briefings])

    cold = keys()
    assert len(cold[0][0]) < 1000  # digests, not the fields
    assert keys() == cold  # read back from the caches
    write(tmp_path, {"content/notes/good.yml": GOOD_NOTE.replace("London summit", "Paris summit")})
    retitled = keys()
    # The positions are unchanged: what shows only them (the positions export) keeps its key.
    assert retitled[0] != cold[0] and retitled[1] == cold[1]
    write(tmp_path, {"content/notes/good.yml": GOOD_NOTE.replace("opposes", "supports")})
    assert keys()[1] != cold[1]
    write(tmp_path, {"content/archive/2025-03.jsonl": line("a", "Starmer in Kyiv again") + "\n"})
    assert keys()[0][-1] != cold[0][-1]
