"""The story cache: what the archive's news says in a check or build follows every change it depends on."""

import json

from conftest import write
from test_content import ACTORS, make_site

from briefing.load import load_digest

FEEDS = "wire:\n  title: Wire\n  url: https://wire.test/feed\n"


def line(n, title):
    return json.dumps({
        "id": n, "feed": "wire", "title": title, "link": f"https://wire.test/{n}", "summary": "<p>S</p>",
        "published": "2025-03-01T10:00:00+00:00", "author": "", "publisher": "Wire",
        "fetched": "2025-03-01T11:00:00+00:00",
    })  # fmt: skip


def test_the_news_follows_the_archive_the_feeds_rules_and_the_actors(tmp_path):
    settings = make_site(tmp_path, {
        "content/briefing/feeds.yml": FEEDS,
        "content/archive/2025-03.jsonl": line("a", "Starmer in Kyiv") + "\n",
    }) | {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}  # fmt: skip

    def news():
        found = [(m.item.id, m.actors) for b in load_digest(settings).briefings for m in b.mentions]
        fresh = load_digest(settings | {"CACHE_CONTENT": False}).briefings
        assert found == [(m.item.id, m.actors) for b in fresh for m in b.mentions]
        return found

    assert news() == news() == [("a", ("keir-starmer",))]
    assert (tmp_path / "cache" / "briefing-stories.pickle").exists()
    archive = line("a", "Starmer in Kyiv") + "\n" + line("b", "Zelenskiy and Starmer in London") + "\n"
    write(tmp_path, {"content/archive/2025-03.jsonl": archive})
    assert news() == [("a", ("keir-starmer",)), ("b", ("keir-starmer", "volodymyr-zelenskiy"))]
    write(tmp_path, {"content/briefing/actors.yml": ACTORS.replace("aliases: [Starmer]", "aliases: []")})
    assert news() == [("b", ("volodymyr-zelenskiy",))]
    write(tmp_path, {"content/briefing/feeds.yml": FEEDS + "  exclude: [London]\n"})
    assert news() == []
