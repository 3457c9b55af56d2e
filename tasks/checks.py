"""invoke check: every problem in content/ at once, without building; warnings listed apart."""

from datetime import timedelta

from briefing.core.problems import ContentError
from briefing.site.load import load_all


def warnings(digest, stale_days):
    """Things worth an editor's look that do not stop the build."""
    found = []
    for actor in digest.actors.values():
        if actor.id not in digest.dates_by_actor:
            found.append(
                f"actor '{actor.id}' appears in no note and no news item; check its aliases, or remove it"
            )
    for briefing in digest.briefings:
        for note in briefing.notes:
            cited = {p.source.id for p in note.positions if p.source and p.source.id}
            for source in note.sources:
                if source.id not in cited:
                    found.append(
                        f"{note.path}: source '{source.id}' is cited by no position;"
                        f" add source: {source.id} to the position it supports, or remove it"
                    )
    if digest.briefings:
        latest = digest.briefings[-1].date
        for (actor, issue), standing in digest.current.items():
            age = latest - standing.position.date
            if age > timedelta(days=stale_days):
                found.append(
                    f"{standing.position.path}:{standing.position.line}: {actor} on {issue} was last"
                    f" recorded {age.days} days before the latest briefing and is still shown as current;"
                    " record it again or withdraw it"
                )
    return found


def run(settings):
    """Return (problems, warnings) for the site at settings['PATH']."""
    try:
        digest, _, _ = load_all(settings)
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
