"""The layers of the plugin (core, ingest, site) import one way, as pyproject.toml's import-linter
contracts say: the core knows no Pelican and no ingest, the build no network code."""

import os
import shutil
import subprocess

import pytest
from conftest import ROOT


def lint(cwd, **env):
    return subprocess.run(
        [str(ROOT / ".venv/bin/lint-imports"), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_hold():
    run = lint(ROOT)
    assert run.returncode == 0 and "3 kept, 0 broken" in run.stdout, run.stdout + run.stderr


@pytest.mark.parametrize(
    "module, line, broken",
    [
        ("core/model.py", "import pelican", "The core and the ingest import no Pelican"),
        ("core/digest.py", "from ..site import cache", "Layers: the site above the ingest above the core"),
        (
            "ingest/archive.py",
            "from ..site import settings",
            "Layers: the site above the ingest above the core",
        ),
        ("site/load.py", "from ..ingest import fetch", "The build never loads the network code"),
    ],
)
def test_an_import_against_the_flow_breaks_a_contract(tmp_path, module, line, broken):
    copy = tmp_path / "briefing"
    shutil.copytree(ROOT / "plugins/briefing", copy, ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / module, "a", encoding="utf-8") as f:
        f.write(f"\n{line}  # noqa\n")
    run = lint(tmp_path, PYTHONPATH=str(tmp_path))
    assert run.returncode == 1 and f"{broken} BROKEN" in run.stdout, run.stdout + run.stderr
