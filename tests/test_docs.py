"""The documentation keeps up: every setting and every task is described."""

import re
from pathlib import Path

from invoke import Task

import tasks
from briefing.site.settings import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented_for_editors():
    guide = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(BRIEFING_[A-Z_]+)`", guide))
    assert set(DEFAULTS) - documented == set()


def test_every_task_is_named_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [name.replace("_", "-") for name, value in vars(tasks).items() if isinstance(value, Task)]
    assert len(names) > 10
    assert [n for n in names if f"`{n}`" not in readme] == []
