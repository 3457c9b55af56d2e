"""invoke check-links: every address a note cites checked, its state kept beside the archive, and the
dead ones reported, in the GitHub job summary too. Dead links are a report, not a failure."""

import os
import time
from collections import defaultdict
from dataclasses import dataclass

from briefing.core.digest import cited as addresses_cited
from briefing.core.problems import ContentError
from briefing.core.sources import locations
from briefing.core.urls import is_web_url
from briefing.ingest import fetch, linkcheck, links
from briefing.site.load import load_all


@dataclass(frozen=True)
class Report:
    states: dict  # {url: LinkState} after this check, of the addresses cited now
    cited: dict  # {url: the paths of the notes citing it}
    after: int  # BRIEFING_LINKS_DEAD_AFTER
    waiting: int = 0  # cited addresses left for the next run (BRIEFING_LINKS_RUN_SECONDS)

    def dead(self):
        return [url for url, s in sorted(self.states.items()) if links.dead(s, self.after)]

    def failing(self):
        """Failed lately, not yet dead."""
        return [url for url, s in sorted(self.states.items()) if 0 < s.failures < self.after]

    def unknown(self):
        """Told nothing by the last check, and not failing (those are listed as failing or dead)."""
        return [url for url, s in sorted(self.states.items()) if s.status == "unknown" and not s.failures]


def cited(digest):
    """{url: the notes citing it} for every web address in a note's sources or positions."""
    found = defaultdict(set)
    for briefing in digest.briefings:
        for note in briefing.notes:
            for url in addresses_cited(note):
                if is_web_url(url):
                    found[url].add(note.path)
    return {url: tuple(sorted(paths)) for url, paths in sorted(found.items())}


def run(settings, now):
    """Check every cited address; return (problems, Report or None). Addresses no longer cited are
    forgotten. Raises fetch.FetchRefused while a fetch holds the archive folder."""
    try:
        digest, _, _ = load_all(settings)
    except ContentError as e:
        return list(e.problems), None
    _, root, archive_dir = locations(settings)
    addresses = cited(digest)
    os.makedirs(archive_dir, exist_ok=True)
    # The fetch's own lock: both write the archive folder, and a commit should see both finished.
    with fetch.lock(os.path.join(archive_dir, fetch.LOCK)):
        problems = []
        states = links.load(archive_dir, root, problems)
        if problems:  # overwriting a file we cannot read would lose every address's history
            return problems, None
        limits, workers = linkcheck.limits_of(settings), settings["BRIEFING_FETCH_WORKERS"]
        # Those never checked, then those failing (so that a dead link is known dead in weeks, not
        # in turns), then those checked longest ago: a run that stops at its time limit leaves the
        # rest first in line for the next, so a long archive is checked in turns.
        waiting = sorted(addresses, key=lambda url: _turn(states.get(url)))
        until = time.monotonic() + settings["BRIEFING_LINKS_RUN_SECONDS"]
        outcomes = linkcheck.check_all(waiting, limits, workers, until)
        now = now.replace(microsecond=0)
        checked = {url: states[url] for url in addresses if url in states}  # kept until their turn
        for url, o in outcomes.items():
            checked[url] = links.after(
                states.get(url, links.LinkState()), o.status, now, o.http_status, o.error
            )
        links.save(archive_dir, checked)
    report = Report(checked, addresses, settings["BRIEFING_LINKS_DEAD_AFTER"], len(addresses) - len(outcomes))
    return [], report


def _turn(state):
    return (state is not None, not (state and state.failures), state.checked if state else "")


def lines(report):
    """The plain report: the counts, then each dead, failing and unknown address with its notes."""
    states, after = report.states, report.after
    dead, failing, unknown = report.dead(), report.failing(), report.unknown()
    ok = sum(1 for s in states.values() if s.status == "ok")
    found = [
        f"check-links: {len(report.cited)} cited address(es): {ok} ok, {len(dead)} dead,"
        f" {len(failing)} failing, {len(unknown)} unknown"
        + (f"; {report.waiting} not checked this run, first in line for the next" if report.waiting else "")
    ]
    for url in dead:
        state = states[url]
        found.append(f"dead since {links.dead_since(state)}: {url} ({state.error}){_by(report, url)}")
    for url in failing:
        state = states[url]
        found.append(f"failing ({state.failures} of {after}): {url} ({state.error}){_by(report, url)}")
    found.extend(f"unknown: {url} ({states[url].error}){_by(report, url)}" for url in unknown)
    return found


def _by(report, url):
    return f"; cited by {', '.join(report.cited[url])}"


def summary(report):
    """The job summary's Markdown section: the dead links, or that there are none."""
    dead, total = report.dead(), len(report.cited)
    waiting = f" ({report.waiting} wait for the next run)" if report.waiting else ""
    if not dead:
        return f"## Dead links\n\nNone of the {total} cited links is dead{waiting}.\n"
    found = [
        "## Dead links",
        "",
        f"{len(dead)} of the {total} cited links failed {report.after} checks in a row{waiting}"
        " (readers see the archived copy first):",
        "",
    ]
    for url in dead:
        state = report.states[url]
        notes = ", ".join(_code(path) for path in report.cited[url])
        found.append(
            f"- {_code(url)}: dead since {links.dead_since(state)}, {_code(state.error)}; cited by {notes}"
        )
    return "\n".join(found) + "\n"


def _code(text):
    """Text as inline code, so a server's words or an address are never read as Markdown or HTML."""
    return "`" + " ".join(text.split()).replace("`", "%60") + "`"


def append_summary(report, path):
    """Append the summary to GitHub's job summary file, when the task runs in a workflow."""
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(summary(report))
