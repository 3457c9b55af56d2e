"""invoke check: every problem in content/ at once, without building; warnings listed apart."""

from briefing.core.digest import stale
from briefing.core.problems import ContentError
from briefing.site.load import load_all, load_dead_links


def warnings(digest, stale_days):
    """Things worth an editor's look that do not stop the build."""
    found = []
    for actor in digest.actors.values():
        if actor.id not in digest.dates_by_actor:
            found.append(
                f"actor '{actor.id}' appears in no note and no news item; check its aliases, or remove it"
            )
    found.extend(_unstated(digest))
    for briefing in digest.briefings:
        for note in briefing.notes:
            cited = {p.source.id for p in note.positions if p.source and p.source.id}
            for source in note.sources:
                if source.id not in cited:
                    found.append(
                        f"{note.path}: source '{source.id}' is cited by no position;"
                        f" add source: {source.id} to the position it supports, or remove it"
                    )
    for actor, issue in sorted(stale(digest, stale_days)):
        p = digest.current[(actor, issue)].position
        found.append(
            f"{p.path}:{p.line}: {actor} on {issue} was last recorded"
            f" {(digest.briefings[-1].date - p.date).days} days before the latest briefing and is shown"
            " to readers as not restated since; record it again or withdraw it"
        )
    return found


# The notes named in the warning about positions that do not say what they rest on: an archive
# begun before evidence was stated would otherwise list thousands.
UNSTATED_LISTED = 20


def _unstated(digest):
    """One warning for every position that does not say what it rests on, naming the first notes."""
    notes = {}  # note path -> the line of its first such position, and how many it has
    for briefing in digest.briefings:
        for note in briefing.notes:
            lines = [p.line for p in note.positions if not p.evidence]
            if lines:
                notes[note.path] = (lines[0], len(lines))
    if not notes:
        return []
    named = [f"{path}:{line}" for path, (line, _) in list(notes.items())[:UNSTATED_LISTED]]
    more = f" and {len(notes) - UNSTATED_LISTED} more" if len(notes) > UNSTATED_LISTED else ""
    count = sum(n for _, n in notes.values())
    return [
        f"{count} position(s) in {len(notes)} note(s) do not say what they rest on"
        f" ({', '.join(named)}{more}); add evidence: one of {', '.join(digest.evidence)}"
        " (readers see 'not stated')"
    ]


def run(settings):
    """Return (problems, warnings) for the site at settings['PATH']."""
    try:
        digest, _, _ = load_all(settings)
        load_dead_links(settings)  # the build reads links.json too: a damaged one is reported here first
    except ContentError as e:
        return list(e.problems), []
    return [], warnings(digest, settings["BRIEFING_STALE_STANCE_DAYS"])


def report(problems, found):
    """Print problems, then warnings; return the exit status (1 when there are problems)."""
    for problem in problems:
        print(problem)
    for warning in found:
        print(f"warning: {warning}")
    verdict = f"{len(problems)} problem(s)" if problems else "content is fine"
    print(f"briefing check: {verdict}, {len(found)} warning(s)")
    return 1 if problems else 0
