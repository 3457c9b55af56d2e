"""Tasks in Pelican's names (build, serve, ...) plus the project's own (fetch, tests, lint)."""

import os
import shlex
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import watchfiles
from invoke import task
from invoke.exceptions import Exit
from pelican import main as pelican_main
from pelican.settings import read_settings
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from briefing.core import schemas as editor_schemas
from briefing.core.sources import load_tracked
from briefing.ingest import fetch as fetching
from briefing.site import settings

from . import checks, links, scaffold

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "host": "127.0.0.1",
    "port": 8000,
}


def pelican_run(cmd):
    # The same entry point as the `pelican` command, so its exit codes and messages reach the caller.
    pelican_main(shlex.split(cmd))


def build_site(settings_file, options=""):
    """Build the site. Bad content stops the build before output/ is touched (the plugin loads it
    before Pelican empties the folder), for `invoke regenerate` too; a build that fails midway
    leaves a site that nothing publishes: the tasks and workflows deploy only after a build succeeds."""
    pelican_run(f"{options} -s {settings_file}")


@task
def clean(c):
    """Remove the generated site and the build cache."""
    for folder in (CONFIG["deploy_path"], read_settings(CONFIG["settings_base"])["CACHE_PATH"]):
        if os.path.isdir(folder):
            shutil.rmtree(folder)


@task
def build(c):
    """Build the site for local viewing."""
    build_site(CONFIG["settings_base"])


@task
def rebuild(c):
    """Build from scratch, ignoring Pelican's content cache."""
    build_site(CONFIG["settings_base"], "--ignore-cache")


@task
def regenerate(c):
    """Rebuild whenever content, theme or settings change; after a content error, wait for the fix."""
    watched = [p for p in ("content", "themes", "plugins", CONFIG["settings_base"]) if os.path.exists(p)]
    # A save is gathered for a tenth of a second (watchfiles waits 1.6 s by default, and so does
    # `pelican -r`), so an edited note's page is rewritten a moment after it is saved. The watcher
    # runs from before the first build: a save made while a build runs is built when it ends.
    watcher = watchfiles.watch(*watched, debounce=100, step=20, rust_timeout=100, yield_on_timeout=True)
    next(watcher)  # starts watching; times out empty
    while True:
        # One process builds again and again: the plugin keeps what it read between builds.
        try:
            pelican_run(f"-s {CONFIG['settings_base']}")
        except SystemExit as e:
            if e.code:
                print("Fix the problems above and save: it is rebuilt on the next change.", file=sys.stderr)
        changed = next(watcher)
        while not changed:
            changed = next(watcher)
        print(f"-> Modified: {', '.join(sorted({path for _, path in changed}))}. Rebuilding...")


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
    build_site(CONFIG["settings_publish"])


@task
def publish(c):
    """Build the production site into output/ (GitHub Pages deploys that folder), reusing cache/."""
    build_site(CONFIG["settings_publish"])


@task
def fetch(c):
    """Fetch every feed in content/briefing/feeds.yml and append new items to content/archive/."""
    config = read_settings(CONFIG["settings_base"])
    settings.complete(config)
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
        task_id = progress.add_task("Fetching feeds", total=None)

        def report(result):
            # On a terminal the bar moves; in CI and logs each feed gets its own plain line.
            progress.advance(task_id)
            if not console.is_terminal:
                print(f"{result.feed}: {result.status}, {result.new} new, {result.seconds:.1f} s", flush=True)

        try:
            problems, results = fetching.run(config, now=datetime.now(UTC), on_result=report)
        except fetching.FetchRefused as e:
            raise Exit(f"fetch refused: {e}", code=1) from None
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise Exit(code=1)
    table = Table("feed", "status", "new", "changed", "seconds", "details", title="Fetch summary")
    for r in results:
        # escape: a server's words (a redirect target, an error) must not be read as rich markup.
        table.add_row(r.feed, r.status, str(r.new), str(r.changed), f"{r.seconds:.1f}", escape(r.message))
    # Logs are read whole, not on an 80-column screen: keep each feed on one line there.
    Console(width=None if console.is_terminal else 200).print(table)
    if results and all(r.failed for r in results):
        raise Exit("every feed failed: see the details above", code=1)


@task
def gh_pages(c):
    """Publish from this machine: build for production, then push output/ to the gh-pages branch."""
    publish(c)
    # -n: .nojekyll; -p: push; -f: the branch holds only the latest site.
    c.run(f"ghp-import -n -p -f -m 'Publish the site' {CONFIG['deploy_path']}")


SCHEMAS = "schemas"  # the editors' JSON Schemas, which .vscode/settings.json maps to their files


def schema_texts(config):
    """{path: text} of the editors' JSON Schemas for the actors, issues and stances in use, or None
    when actors.yml or issues.yml has a problem."""
    problems = []
    actors, issues = load_tracked(config, problems)
    if problems:
        return None
    texts = editor_schemas.texts(actors, issues, config["BRIEFING_STANCES"], config["BRIEFING_EVIDENCE"])
    return {os.path.join(SCHEMAS, name): text for name, text in texts.items()}


def _stale_schemas(config):
    """The schema files that are missing or say other than the content does now."""
    texts = schema_texts(config) or {}
    return [path for path, text in texts.items() if _text_of(path) != text]


def _text_of(path):
    return Path(path).read_text(encoding="utf-8") if os.path.exists(path) else None


@task
def schemas(c):
    """Write the editors' JSON Schemas (schemas/) with the actors, issues and stances in use, so that
    VS Code and github.dev check notes and data files, and offer the ids, as they are typed."""
    config = read_settings(CONFIG["settings_base"])
    settings.complete(config)
    texts = schema_texts(config)
    if texts is None:
        raise Exit("actors.yml or issues.yml has problems: run invoke check, fix them, then this", code=1)
    os.makedirs(SCHEMAS, exist_ok=True)
    for path in _stale_schemas(config):
        with open(path, "w", encoding="utf-8") as f:
            f.write(texts[path])
        print(f"Wrote {path}")


@task(help={"ignore_cache": "check every file afresh, as `pelican --ignore-cache` builds"})
def check(c, ignore_cache=False):
    """Check everything in content/ without building: problems (exit 1), then warnings."""
    config = read_settings(CONFIG["settings_base"])
    settings.complete(config)
    # The build's caches are read and written here too: a second check reads only what changed.
    config["LOAD_CONTENT_CACHE"] = config["LOAD_CONTENT_CACHE"] and not ignore_cache
    status = checks.report(*checks.run(config))
    if not status and os.path.isdir(SCHEMAS) and _stale_schemas(config):  # a site that keeps them
        print(f"warning: {SCHEMAS}/ does not list the actors, issues and stances in use: run invoke schemas")
    if status:
        raise Exit(code=status)


@task
def check_links(c):
    """Check every address the notes cite, keep each one's state in content/archive/links.json and
    report the dead ones (also in the GitHub job summary); dead links do not fail the task."""
    config = read_settings(CONFIG["settings_base"])
    settings.complete(config)
    try:
        problems, report = links.run(config, now=datetime.now(UTC))
        if report:
            links.append_summary(report, os.environ.get("GITHUB_STEP_SUMMARY"))
    except fetching.FetchRefused as e:
        raise Exit(f"check-links refused: {e}", code=1) from None
    except OSError as e:
        raise Exit(f"check-links could not write its state or the job summary ({e})", code=1) from None
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise Exit(code=1)
    print("\n".join(links.lines(report)))


@task(help={"date": "YYYY-MM-DD (asked if missing)", "title": "the headline (asked if missing)",
            "kind": "yml, or md for a note with Markdown text"})  # fmt: skip
def new(c, date=None, title=None, kind=None):
    """Write a new, commented note in content/notes/, never over an existing file."""
    date = date or input("Date (YYYY-MM-DD): ").strip()
    title = title or input("Title: ").strip()
    kind = kind or input("Kind, yml or md [yml]: ").strip() or "yml"
    try:
        day = datetime.fromisoformat(date).date()
    except ValueError:
        raise Exit(f"{date!r} is not a date; write it as YYYY-MM-DD", code=1) from None
    if kind not in ("yml", "md") or not title:
        raise Exit("give a title, and yml or md as the kind", code=1)
    config = read_settings(CONFIG["settings_base"])
    settings.complete(config)
    actors, issues = load_tracked(config, [])
    notes = os.path.join(config["PATH"], config["BRIEFING_NOTES_DIR"])
    path = scaffold.note_path(notes, day, title, kind, config["SLUG_REGEX_SUBSTITUTIONS"])
    vocabulary = config["BRIEFING_STANCES"], config["BRIEFING_EVIDENCE"]
    text = scaffold.note_text(day, title, kind, actors, issues, vocabulary)
    try:
        scaffold.write_new(path, text)
    except FileExistsError:
        raise Exit(
            f"{os.path.relpath(path)} exists already; choose another title, or edit that note", code=1
        ) from None
    print(f"Wrote {os.path.relpath(path)}: fill it in, then run `invoke check`.")


@task
def tests(c):
    """Run the test suite."""
    c.run("python -m pytest", pty=False)


@task
def lint(c):
    """Check and format-check the code with ruff."""
    c.run("ruff check . && ruff format --check .")
