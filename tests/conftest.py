"""Shared fixtures: a real Pelican build into a temporary folder. (The plugin is installed in the
environment by scripts/setup; the repository root is put on the path for the task helpers.)"""

import os
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write(folder, files):
    """Write {relative path: text} under folder, dedented, and return the folder."""
    for name, text in files.items():
        path = Path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return Path(folder)


def build(content, output, **overrides):
    """Build a site from a content folder with the project's settings; return the output folder."""
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(ROOT / "themes" / "briefing"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "CACHE_CONTENT": False,
            **overrides,
        },
    )
    Pelican(settings).run()
    return Path(output)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The repository's sample content, built once with absolute URLs as on GitHub Pages."""
    base = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "content", base / "content")
    site = "https://example.test/digest"
    return build(base / "content", base / "output", SITEURL=site, FEED_DOMAIN=site, RELATIVE_URLS=False)


@pytest.fixture
def chdir_root():
    old = os.getcwd()
    os.chdir(ROOT)
    yield ROOT
    os.chdir(old)
