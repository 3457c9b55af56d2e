"""Tasks in Pelican's names (build, serve, ...) plus the project's own (fetch, tests, lint)."""

import os
import shlex
import shutil
import sys
from datetime import UTC, datetime

import watchfiles
from invoke import task
from invoke.exceptions import Exit
from pelican import main as pelican_main
from pelican.settings import read_settings

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "host": "127.0.0.1",
    "port": 8000,
}


def pelican_run(cmd):
    # The same entry point as the `pelican` command, so its exit codes and messages reach the caller.
    pelican_main(shlex.split(cmd) + sys.argv[len(sys.argv) :])


@task
def clean(c):
    """Remove the generated site."""
    if os.path.isdir(CONFIG["deploy_path"]):
        shutil.rmtree(CONFIG["deploy_path"])


@task
def build(c):
    """Build the site for local viewing."""
    pelican_run(f"-s {CONFIG['settings_base']}")


@task
def rebuild(c):
    """Build from scratch."""
    pelican_run(f"-d -s {CONFIG['settings_base']}")


@task
def regenerate(c):
    """Rebuild whenever content or theme change; after a content error, wait for the fix."""
    while True:
        try:
            pelican_run(f"-r -s {CONFIG['settings_base']}")
            return
        except SystemExit as e:
            if not e.code:
                raise
            # Pelican's watcher stops on an error; an editor expects it to go on watching.
            print("Fix the problems above and save: the site is rebuilt on the next change.", file=sys.stderr)
            next(watchfiles.watch("content", "themes", "plugins", CONFIG["settings_base"]))


@task
def serve(c):
    """Serve the built site at http://127.0.0.1:8000/."""
    pelican_run(f"-l -s {CONFIG['settings_base']} -b {CONFIG['host']} -p {CONFIG['port']}")


@task
def reserve(c):
    """Build, then serve."""
    build(c)
    serve(c)


@task
def preview(c):
    """Build with the production settings."""
    pelican_run(f"-s {CONFIG['settings_publish']}")


@task
def publish(c):
    """Build the production site into output/ (GitHub Pages deploys that folder)."""
    pelican_run(f"-d -s {CONFIG['settings_publish']}")


@task
def fetch(c):
    """Fetch every feed in content/briefing/feeds.yml and append new items to content/archive/."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))
    from briefing import fetch, settings  # noqa: PLC0415 - plugins/ is importable only from here

    config = read_settings(CONFIG["settings_base"])
    settings.complete(config)
    problems, results = fetch.run(config, now=datetime.now(UTC))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise Exit(code=1)
    for r in results:
        state = "ok" if r.ok else "FAILED"
        print(f"{r.feed:30} {state:7} {r.new:4} new  {r.message}")
    if results and not any(r.ok for r in results):
        raise Exit("every feed failed", code=1)


@task
def tests(c):
    """Run the test suite."""
    c.run("python -m pytest", pty=False)


@task
def lint(c):
    """Check and format-check the code with ruff."""
    c.run("ruff check . && ruff format --check .")
