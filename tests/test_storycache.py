"""The story cache: what the archive's news says in a check or build follows every change it depends on,
and a warm load, which reads it and not what the matcher made of each item, shows what a cold one does."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT, build, write
from test_content import ACTORS, make_site

from briefing.core.problems import ContentError
from briefing.site import archivecache, notecache, storycache
from briefing.site.cache import fingerprint
from briefing.site.load import load_digest

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


def record(n, title, feed="wire", publisher="Wire", link=None, published="2025-03-01T10:00:00+00:00", **more):
    return json.dumps({
        "id": n, "feed": feed, "title": title, "link": link or f"https://{feed}.test/{n}", "summary": "<p>S</p>",
        "published": published, "author": "", "publisher": publisher, "fetched": published, **more,
    })  # fmt: skip


# Two outlets with the same story (merged, the second's link kept with the first), an item changed at its
# source a month later (its first-archived date kept), an item mentioning nothing from a feed that keeps all.
MIXED = {
    "content/briefing/feeds.yml": FEEDS + "post:\n  title: Post\n  url: https://post.test/feed\n  only_matching: false\n",
    "content/archive/2025-03.jsonl": "\n".join([
        record("a", "Starmer in Kyiv"),
        record("p", "Starmer in Kyiv", "post", "Post", "https://wire.test/a", "2025-03-01T11:00:00+00:00"),
        record("c", "Zelenskiy speaks", published="2025-03-02T10:00:00+00:00"),
        record("n", "Weather", feed="post", publisher="Post"),
    ]) + "\n",
    "content/archive/2025-04.jsonl": record(
        "c", "Zelenskiy speaks again", published="2025-04-02T10:00:00+00:00", changed="2025-04-02T10:00:00+00:00"
    ) + "\n",
}  # fmt: skip
AN_HOUR_AGO = time.time_ns() - 3600 * 10**9


def new_process():
    """Forget what this process kept from the loads before, as a new `pelican` run would."""
    for kept in (archivecache._KEPT, storycache._KEPT, notecache._KEPT):
        kept.clear()


def age(folder):
    """Date every file under folder an hour back: signatures taken now are trusted (not racy)."""
    for path in Path(folder).rglob("*"):
        os.utime(path, ns=(AN_HOUR_AGO, AN_HOUR_AGO))


def cached_site(tmp_path, files):
    settings = make_site(tmp_path, files) | {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}
    age(tmp_path / "content")
    return settings


def shown(settings):
    """What the loaded briefings show of the news, and their keys (made of their parts' digests)."""
    briefings = load_digest(settings).briefings
    return [(b.date, b.mentions) for b in briefings], [fingerprint(b) for b in briefings]


def test_a_warm_load_shows_the_news_a_cold_one_does_with_the_same_digests(tmp_path):
    settings = cached_site(tmp_path, MIXED)
    plain = shown(settings | {"CACHE_CONTENT": False})[0]
    (lead, nothing), (changed,) = ([m.item for m in mentions] for _, mentions in plain)
    assert lead.id == "a" and lead.also == (("Post", "https://wire.test/a"),) and nothing.id == "n"
    assert changed.title == "Zelenskiy speaks again" and changed.published.month == 3
    cold = shown(settings)
    for _ in range(2):  # warm: the stories file and the archive's items, then the same kept in memory
        new_process()
        assert shown(settings) == cold
        assert shown(settings) == cold
    assert cold[0] == plain


def test_a_warm_load_follows_a_note_edited_to_the_same_size_with_its_time_set_back(tmp_path):
    settings = cached_site(tmp_path, MIXED)

    def titles():
        return [n.title for b in load_digest(settings).briefings for n in b.notes]

    assert titles() == ["London summit"]
    note = tmp_path / "content/notes/good.yml"
    written = note.stat()
    note.write_text(note.read_text(encoding="utf-8").replace("London", "Berlin"), encoding="utf-8")
    os.utime(note, ns=(written.st_atime_ns, written.st_mtime_ns))  # size and mtime as before; ctime moves
    new_process()
    assert titles() == ["Berlin summit"]


def test_a_warm_load_follows_an_archive_file_replaced_by_another_of_the_same_size(tmp_path):
    settings = cached_site(tmp_path, MIXED)
    assert [m.item.title for m in shown(settings)[0][0][1]] == ["Starmer in Kyiv", "Weather"]
    path = tmp_path / "content/archive/2025-03.jsonl"
    written = path.stat()
    other = tmp_path / "other.jsonl"
    other.write_text(path.read_text(encoding="utf-8").replace("in Kyiv", "in Paris"), encoding="utf-8")
    os.utime(other, ns=(written.st_atime_ns, written.st_mtime_ns))
    os.replace(other, path)
    new_process()
    assert [m.item.title for m in shown(settings)[0][0][1]] == ["Starmer in Paris", "Weather"]


def test_an_archive_file_with_a_problem_is_reported_by_every_load(tmp_path):
    broken = {"content/archive/2025-05.jsonl": record("b", "Starmer") + "\n{broken\n"}
    settings = cached_site(tmp_path, MIXED | broken)
    for _ in range(3):
        with pytest.raises(ContentError) as caught:
            load_digest(settings)
        assert [(p.path, p.line) for p in caught.value.problems] == [("content/archive/2025-05.jsonl", 2)]
        new_process()


def test_a_warm_build_in_a_new_process_writes_the_same_site_as_a_cold_one(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    age(tmp_path / "content")
    options = {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}
    cold = build(tmp_path / "content", tmp_path / "cold", **options)
    new_process()
    warm = build(tmp_path / "content", tmp_path / "warm", **options)
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(warm) for p in warm.rglob("*") if p.is_file())
    for name in files:
        assert (cold / name).read_bytes() == (warm / name).read_bytes(), name
