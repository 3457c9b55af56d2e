"""Pure: group notes and matched items into dated briefings, with standings and what changed."""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from .match import item_mentions, normalise, passes_rules
from .model import UNTITLED, Briefing, Mention, Position, Standing
from .urls import normalise_link


@dataclass(frozen=True)
class Change:
    """A recorded position and what it did to the standings: 'new', 'changed' or 'reaffirmed'."""

    position: Position
    mark: str


@dataclass(frozen=True)
class Digest:
    actors: dict
    issues: dict
    stances: dict
    briefings: tuple[Briefing, ...]
    current: dict = field(hash=False)  # (actor, issue) -> Standing after the last briefing
    changes_by_actor: dict = field(hash=False)  # actor -> tuple[Change], oldest first
    changes_by_issue: dict = field(hash=False)
    dates_by_actor: dict = field(hash=False)  # actor -> tuple[date] of briefings they appear in
    dates_by_issue: dict = field(hash=False)


def match_items(items, feeds, matcher):
    """Tag each item with what it mentions, keep what its feed's rules keep, one item per story.

    The rules are applied again here, before stories are merged, so that a rule an editor adds
    later also hides what is already archived, and never takes other outlets' reports with it.
    """
    tags, kept = {}, []
    for item in items:
        tags[(item.feed, item.id)] = found = item_mentions(matcher, item)
        feed = feeds.get(item.feed)
        if feed is not None and not passes_rules(feed, item):
            continue
        if any(found) or (feed is not None and not feed.only_matching):
            kept.append(item)
    return [Mention(item, *tags[(item.feed, item.id)]) for item in merge_outlets(kept)]


def merge_outlets(items):
    """One item per story: the same normalised link, or the same title from one publisher in a day.

    The earliest report stays; every other outlet's link is kept with it as corroboration.
    """
    kept, story_of = [], {}
    for item in sorted(items, key=lambda i: (i.published, i.feed, i.id)):
        keys = (
            []
            if item.title == UNTITLED
            else [("title", item.publisher, normalise(item.title), item.published.date())]
        )
        if item.link:
            keys.append(("link", normalise_link(item.link)))
        found = next((story_of[k] for k in keys if k in story_of), None)
        if found is None:
            found = len(kept)
            kept.append(item)
        elif item.publisher != kept[found].publisher and item.link:
            kept[found] = replace(kept[found], also=(*kept[found].also, (item.publisher, item.link)))
        for key in keys:
            story_of.setdefault(key, found)
    return kept


def _mark(before, position):
    previous = before.get((position.actor, position.issue))
    if position.withdrawn:
        return "withdrawn"
    if previous is None:
        return "new"
    return "changed" if previous.stance != position.stance else "reaffirmed"


def _unique(values):
    return tuple(dict.fromkeys(values))


def build(actors, issues, stances, notes, mentions, tz):
    """Return the Digest: one Briefing per date with a note or a matched item, oldest first."""
    notes_by_date, mentions_by_date = defaultdict(list), defaultdict(list)
    for note in notes:
        notes_by_date[note.date].append(note)
    for mention in sorted(mentions, key=lambda m: (m.item.published, m.item.title)):
        mentions_by_date[mention.item.published.astimezone(tz).date()].append(mention)
    dates = sorted(set(notes_by_date) | set(mentions_by_date))

    standings, briefings = {}, []
    changes_by_actor, changes_by_issue = defaultdict(list), defaultdict(list)
    dates_by_actor, dates_by_issue = defaultdict(list), defaultdict(list)
    ever_active = set()
    for day in dates:
        day_notes, day_mentions = notes_by_date[day], mentions_by_date[day]
        positions = [p for n in day_notes for p in n.positions]
        before, marks, withdrawn = dict(standings), {}, []
        for position in positions:
            change = Change(position, _mark(before, position))
            changes_by_actor[position.actor].append(change)
            changes_by_issue[position.issue].append(change)
            key = (position.actor, position.issue)
            if position.withdrawn:
                if standings.pop(key, None) is not None:
                    withdrawn.append(Standing(position, "withdrawn", before.get(key)))
                marks.pop(key, None)
                continue
            standings[key] = position
            marks[key] = "" if change.mark == "reaffirmed" else change.mark
        active = _unique(
            [p.actor for p in positions]
            + [t for n in day_notes for t in n.tags if t in actors]
            + [a for m in day_mentions for a in m.actors]
        )
        touched = _unique(
            [p.issue for p in positions]
            + [t for n in day_notes for t in n.tags if t in issues]
            + [i for m in day_mentions for i in m.issues]
        )
        for actor in active:
            dates_by_actor[actor].append(day)
        for issue in touched:
            dates_by_issue[issue].append(day)
        briefings.append(
            Briefing(
                date=day,
                notes=tuple(day_notes),
                mentions=tuple(day_mentions),
                positions=tuple(positions),
                actors=active,
                standings={
                    k: Standing(p, marks[k], before.get(k) if marks[k] == "changed" else None)
                    if k in marks
                    else Standing(p)
                    for k, p in standings.items()
                },
                new_actors=tuple(a for a in active if a not in ever_active),
                withdrawn=tuple(withdrawn),
            )
        )
        ever_active.update(active)
    briefings = [
        Briefing(
            **{
                **b.__dict__,
                "previous": dates[i - 1] if i else None,
                "next": dates[i + 1] if i + 1 < len(dates) else None,
            }
        )
        for i, b in enumerate(briefings)
    ]
    return Digest(
        actors=actors,
        issues=issues,
        stances=stances,
        briefings=tuple(briefings),
        current=briefings[-1].standings if briefings else {},
        changes_by_actor={k: tuple(v) for k, v in changes_by_actor.items()},
        changes_by_issue={k: tuple(v) for k, v in changes_by_issue.items()},
        dates_by_actor={k: tuple(v) for k, v in dates_by_actor.items()},
        dates_by_issue={k: tuple(v) for k, v in dates_by_issue.items()},
    )


def standings_table(standings, actors, issues):
    """Rows and columns of a standings matrix: only actors and issues with a recorded stance."""
    rows = [a for a in actors if any((a, i) in standings for i in issues)]
    columns = [i for i in issues if any((a, i) in standings for a in actors)]
    return rows, columns
