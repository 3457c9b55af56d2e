"""Pure: the scorecard, who stands where at a glance: an actor x issue grid of current stances,
each cell with the day its stance was set, what it rests on, and whether it is recent or stale."""

from dataclasses import dataclass
from datetime import timedelta

from .model import Position


@dataclass(frozen=True)
class Cell:
    set_by: Position  # the position that set the stance: its day and line in What changed
    latest: Position  # its latest restatement: what the claim rests on now, and when it was made
    recent: bool  # set in the last BRIEFING_RECENT_DAYS days of the story
    stale: bool  # not recorded again for BRIEFING_STALE_STANCE_DAYS


@dataclass(frozen=True)
class Scorecard:
    issues: tuple[str, ...]
    # (actor, a cell per issue), a cell None where no position is known
    rows: tuple[tuple[str, tuple[Cell | None, ...]], ...]
    recorded: tuple[int, int] = (0, 0)  # how many actors, and issues, have a recorded stance in all


def chosen(digest, kind, wanted):
    """The actors (kind 'actor') or issues a scorecard shows: `wanted` of them, the most active first
    (most positions recorded), when a number; those of the ids listed, when a list; every one with a
    recorded position, when None. In display order."""
    changes = digest.changes_by_actor if kind == "actor" else digest.changes_by_issue
    order = list(digest.actors if kind == "actor" else digest.issues)
    recorded = [key for key in order if changes.get(key)]
    if wanted is None:
        return tuple(recorded)
    if isinstance(wanted, int):
        busiest = sorted(recorded, key=lambda key: -len(changes[key]))[:wanted]  # stable: ties in order
        return tuple(key for key in order if key in busiest)
    return tuple(key for key in order if key in set(wanted))


def scorecard(digest, actors, issues, recent_days, stale):
    """The grid of `actors` x `issues` as the story stands after its last briefing; `stale`, the
    pairs not restated for long (digest.stale)."""
    if not digest.briefings:
        return Scorecard(tuple(issues), ())
    recent = digest.briefings[-1].date - timedelta(days=recent_days)

    def cell(actor, issue):
        standing = digest.current.get((actor, issue))
        if standing is None:
            return None
        last = standing.position
        setting = _setting(digest.changes_by_pair[(actor, issue)], last.stance)
        return Cell(setting, last, setting.date > recent, (actor, issue) in stale)

    rows = tuple((a, tuple(cell(a, i) for i in issues)) for a in actors)
    recorded = (len(chosen(digest, "actor", None)), len(chosen(digest, "issue", None)))
    return Scorecard(tuple(issues), rows, recorded)


def _setting(changes, stance):
    """The position that set the current stance: the first of the run of it that ends the changes."""
    setting = changes[-1].position
    for change in reversed(changes):
        if change.position.withdrawn or change.position.stance != stance:
            break
        setting = change.position
    return setting
