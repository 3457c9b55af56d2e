"""invoke check: every problem in content/ at once, without building; warnings listed apart."""

from briefing.core.digest import stale
from briefing.core.problems import ContentError
from briefing.site.load import load_all, load_dead_links


def warnings(digest, stale_days):
    """Things worth an editor's look that do not stop the build."""
    found = []
    evidence = ", ".join(digest.evidence)
    for actor in digest.actors.values():
        if actor.id not in digest.dates_by_actor:
            found.append(
                f"actor '{actor.id}' appears in no note and no news item; check its aliases, or remove it"
            )
    for briefing in digest.briefings:
        for note in briefing.notes:
            # One warning a note: an archive begun before evidence was stated would list thousands.
            unstated = [p.line for p in note.positions if not p.evidence]
            if unstated:
                found.append(
                    f"{note.path}:{unstated[0]}: {len(unstated)} position(s) do not say what they rest on"
                    f" (lines {', '.join(map(str, unstated))}); add evidence: one of {evidence}"
                    " (readers see 'not stated')"
                )
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
