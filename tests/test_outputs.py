"""Outputs written beside the build: by a forked process, its keys taken back, its failure the build's."""

import pytest
from pelican.settings import DEFAULT_CONFIG

from briefing.site.outputs import Beside, Outputs


@pytest.fixture
def outputs(tmp_path):
    settings = {**DEFAULT_CONFIG, "CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}
    return Outputs(settings, str(tmp_path / "output"), b"site")


@pytest.mark.parametrize("much", [True, False])
def test_what_is_written_beside_is_in_place_and_kept_in_the_cache(outputs, tmp_path, much):
    def write():
        outputs.write("data/a.json", ("a", 1), lambda: "[1]\n", page=False)

    beside = Beside(outputs, write, much)
    outputs.write("b.html", ("b",), lambda: "<p>b</p>")
    beside.join()
    assert (tmp_path / "output" / "data" / "a.json").read_text(encoding="utf-8") == "[1]\n"
    outputs.prune()  # keeps what either process used
    assert sorted(
        p.read_text(encoding="utf-8") for p in (tmp_path / "cache" / "briefing-outputs").iterdir()
    ) == [
        "<p>b</p>",
        "[1]\n",
    ]


def test_a_process_beside_that_fails_fails_the_build(outputs):
    def fails():
        raise OSError("disk full")

    # Beside this process its error is logged there, and join() raises; on one core join() runs it.
    with pytest.raises((RuntimeError, OSError)):
        Beside(outputs, fails, much=True).join()


def test_an_output_found_by_its_alias_needs_no_inputs_and_one_found_by_its_inputs_no_rendering(tmp_path):
    settings = {
        **DEFAULT_CONFIG,
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(tmp_path),
    }

    def build(alias, inputs, render):
        outputs = Outputs(settings, str(tmp_path / "output"), b"site")
        outputs.write("feeds/a.atom.xml", inputs, render, alias=alias)
        outputs.prune()
        return (tmp_path / "output" / "feeds" / "a.atom.xml").read_text(encoding="utf-8")

    def never():
        raise AssertionError("not to be called")

    assert build(("body", 1), lambda: ("teaser", 1), lambda: "<feed>1</feed>") == "<feed>1</feed>"
    assert build(("body", 1), never, never) == "<feed>1</feed>"  # found by its alias
    # Another body, the same teaser: found by all it shows, not rendered, kept under both.
    assert build(("body", 2), lambda: ("teaser", 1), never) == "<feed>1</feed>"
    assert build(("body", 2), never, never) == "<feed>1</feed>"
    assert build(("body", 3), lambda: ("teaser", 3), lambda: "<feed>3</feed>") == "<feed>3</feed>"
