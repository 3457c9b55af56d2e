"""Packs: blobs by key in a few files, as a build keeps its rendered bodies."""

import multiprocessing
import os

import pytest

from briefing.site.packs import INDEX, MANY, Packs


def packs_in(folder):
    return sorted(name for name in os.listdir(folder) if name != INDEX)


def test_blobs_are_read_back_by_a_later_build(tmp_path):
    packs = Packs(tmp_path)
    packs.put("a", b"first")
    packs.put("b", b"second" * 1000)
    packs.save({"a", "b"})
    again = Packs(tmp_path)
    assert again.get("a") == b"first" and again.get("b") == b"second" * 1000
    assert len(packs_in(tmp_path)) == 1  # one file for both
    assert "a" not in Packs(tmp_path, load=False)  # pelican --ignore-cache


_shared = {}


def _put_in_worker(index):
    return _shared["packs"].put(f"k{index}", f"body {index}".encode())


def test_forked_workers_append_to_packs_of_their_own_and_the_parent_records_them(tmp_path):
    packs = _shared["packs"] = Packs(tmp_path)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        packs.add(pool.map(_put_in_worker, range(20), chunksize=2))
    packs.save({f"k{i}" for i in range(20)})
    again = Packs(tmp_path)
    assert [again.get(f"k{i}") for i in range(20)] == [f"body {i}".encode() for i in range(20)]
    assert 1 <= len(packs_in(tmp_path)) <= 2


def test_forgotten_blobs_go_and_a_pack_mostly_forgotten_is_written_again(tmp_path):
    packs = Packs(tmp_path)
    for key in "abcd":
        packs.put(key, key.encode() * 100)
    packs.save(set("abcd"))
    (old,) = packs_in(tmp_path)
    packs = Packs(tmp_path)
    packs.save({"a"})  # three quarters of the pack forgotten
    (new,) = packs_in(tmp_path)
    assert new != old and os.path.getsize(tmp_path / new) == 100
    assert Packs(tmp_path).get("a") == b"a" * 100 and "b" not in Packs(tmp_path)
    Packs(tmp_path).save(set())
    assert packs_in(tmp_path) == []


def test_many_small_packs_are_merged(tmp_path):
    for build in range(MANY + 2):  # a small edit a day: one small pack each
        packs = Packs(tmp_path)
        packs.put(f"day{build}", b"x" * 10)
        packs.save(set(packs.index))
    assert len(packs_in(tmp_path)) <= MANY
    packs = Packs(tmp_path)
    assert [packs.get(f"day{build}") for build in range(MANY + 2)] == [b"x" * 10] * (MANY + 2)


def test_strays_and_blobs_of_a_missing_pack_are_dropped(tmp_path):
    packs = Packs(tmp_path)
    packs.put("a", b"kept")
    packs.save({"a"})
    (tmp_path / "0123.html").write_text("a body of an older cache")
    Packs(tmp_path).save({"a"})
    assert len(packs_in(tmp_path)) == 1 and Packs(tmp_path).get("a") == b"kept"
    for name in packs_in(tmp_path):
        os.unlink(tmp_path / name)
    assert "a" not in Packs(tmp_path)  # rendered again, not read from a file that is gone


def test_a_truncated_pack_is_an_error_naming_the_fix(tmp_path):
    packs = Packs(tmp_path)
    packs.put("a", b"0123456789")
    packs.save({"a"})
    (name,) = packs_in(tmp_path)
    os.truncate(tmp_path / name, 4)
    with pytest.raises(RuntimeError, match="invoke rebuild"):
        Packs(tmp_path).get("a")
