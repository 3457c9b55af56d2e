"""What the fetch remembers about each feed, and what the sources page shows: its health."""

import functools
import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from ..core.files import write_atomic
from . import stored

FILE = "feeds.json"


@dataclass(frozen=True)
class FeedState:
    url: str = ""  # the address in feeds.yml this state belongs to
    fetch_url: str = ""  # where the feed is fetched from: the target of a permanent redirect, if any
    etag: str = ""
    last_modified: str = ""
    first_attempt: str = ""  # ISO times in UTC
    last_attempt: str = ""
    last_success: str = ""
    last_new_item: str = ""
    status: str = ""  # ok, not modified, failed, gone, waiting
    http_status: int = 0
    failures: int = 0  # in a row
    items_seen: int = 0  # in the feed at the last successful fetch
    new_items: int = 0  # archived by the last fetch
    warning: str = ""  # the feed was read despite a problem
    error: str = ""  # why the last attempt failed
    retry_after: str = ""  # the publisher asked us not to come back before this
    rules: str = ""  # what the feed's items were filtered with; a change means a full refetch

    def stale(self, days):
        """No new item for `days` before the last attempt (deterministic: no clock is read)."""
        since = self.last_new_item or self.first_attempt
        if not self.last_attempt or not since:
            return False
        quiet = datetime.fromisoformat(self.last_attempt) - datetime.fromisoformat(since)
        return quiet > timedelta(days=days)


def load(archive_dir, root, problems):
    """The state of every feed by id; a missing file is a first fetch."""
    path = os.path.join(archive_dir, FILE)
    return stored.load(path, root, problems, _state, "the fetch state", "fetch")


def _state(entry):
    """A FeedState from its JSON, every field checked, since a wrong type would fail mid-fetch."""
    return stored.typed(FeedState, entry)


@functools.lru_cache(maxsize=4096)
def _encoded(feed_id, feed_state):
    # Cached: the fetch saves after every feed, and re-encoding all the others each time is
    # quadratic (3.8 s of a 4.2 s round of 200 feeds, measured).
    return f"{json.dumps(feed_id)}: {json.dumps(asdict(feed_state), ensure_ascii=False, sort_keys=True)}"


def save(archive_dir, states):
    """Write every feed's state at once, atomically: one feed a line, sorted, so diffs stay small."""
    os.makedirs(archive_dir, exist_ok=True)
    text = "{\n" + ",\n".join(_encoded(fid, s) for fid, s in sorted(states.items())) + "\n}\n"
    # Not synced to disk after every feed: a power cut costs at worst one refetch, never an item.
    write_atomic(os.path.join(archive_dir, FILE), text.encode("utf-8"), durable=False)


def for_feed(states, feed):
    """The state of a feed, started afresh when an editor has changed its address."""
    found = states.get(feed.id)
    if found is None or found.url != feed.url:
        return FeedState(url=feed.url, fetch_url=feed.url)
    return found


def after(state, outcome_status, now, **changes):
    """The state after an attempt at `now` that ended with `outcome_status`."""
    stamp = now.isoformat()
    if outcome_status in ("ok", "not modified"):
        changes = {"last_success": stamp, "failures": 0, "error": "", "retry_after": "", **changes}
    elif outcome_status in ("failed", "gone"):
        changes = {"failures": state.failures + 1, **changes}
    return replace(
        state,
        status=outcome_status,
        last_attempt=stamp,
        first_attempt=state.first_attempt or stamp,
        **changes,
    )
