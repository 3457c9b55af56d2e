"""The built sample against the web's own checkers: the Nu HTML Checker, Atom's RELAX NG schema."""

import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ATOM_SCHEMA = Path(__file__).parent / "schemas" / "atom.rnc"


def tool(name):
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed; scripts/setup installs it")
    return found


def test_every_page_is_valid_html(sample_site):
    if not VNU.exists():
        pytest.fail("vnu.jar is missing; scripts/setup installs it with npm")
    pages = sorted(str(p) for p in sample_site.rglob("*.html"))
    assert len(pages) > 40
    run = subprocess.run(
        [tool("java"), "-jar", str(VNU), "--errors-only", "--format", "gnu", *pages],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.replace(str(sample_site), "")


def test_every_atom_feed_follows_rfc_4287(sample_site):
    feeds = sorted(str(p) for p in sample_site.rglob("*.atom.xml"))
    assert len(feeds) > 20
    run = subprocess.run(
        [tool("jing"), "-c", str(ATOM_SCHEMA), *feeds],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_feed_parses_cleanly(sample_site):
    feeds = sorted((sample_site / "feeds").rglob("*.xml"))
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path.relative_to(sample_site)}: {parsed.get('bozo_exception')}"
        assert parsed.entries, path.relative_to(sample_site)


def test_a_briefing_page_stays_light(sample_site):
    # Aim of the theme: the largest briefing's HTML and CSS under 50 KB, and no blocking script.
    largest = max(sample_site.glob("briefings/*/*/*/index.html"), key=lambda p: p.stat().st_size)
    css = sample_site / "theme" / "css" / "briefing.css"
    assert largest.stat().st_size + css.stat().st_size < 50_000
    assert "<script" not in largest.read_text(encoding="utf-8")
