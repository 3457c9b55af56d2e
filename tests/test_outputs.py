"""Outputs written beside the build: by a forked process, its keys taken back, its failure the build's."""

import pytest
from pelican.settings import DEFAULT_CONFIG

from briefing.outputs import Beside, Outputs


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
