"""What `invoke check-links` remembers about each cited source's address, and what the pages read:
whether it still answers. No network here: the build imports this module."""

import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from ..core.files import write_atomic
from . import stored

FILE = "links.json"
HISTORY = 12  # checks kept per address: a quarter of weekly checks
STATUSES = ("ok", "failed", "unknown")  # unknown: the site refused a script (401, 403, 429)


@dataclass(frozen=True)
class LinkState:
    status: str = ""  # of the last check: ok, failed or unknown; "" before the first
    http_status: int = 0  # of the last check's final answer; 0 when none came
    checked: str = ""  # ISO times in UTC
    last_ok: str = ""
    failures: int = 0  # in a row; an unknown check neither adds to them nor ends them
    failing_since: str = ""  # the first failure of the current run; "" when the last known was ok
    error: str = ""  # why the last check failed or told nothing
    history: tuple[tuple[str, str], ...] = ()  # (checked, status) of the last HISTORY checks, oldest first


def dead(state, after):
    """True when the address failed `after` checks in a row (BRIEFING_LINKS_DEAD_AFTER)."""
    return state.failures >= after


def dead_since(state):
    """The day (UTC) the current run of failures began, or None when the address is not failing."""
    return datetime.fromisoformat(state.failing_since).date() if state.failing_since else None


def after(state, status, now, http_status=0, error=""):
    """The state after a check at `now` that ended with `status` (one of STATUSES)."""
    stamp = now.isoformat()
    history = (*state.history, (stamp, status))[-HISTORY:]
    changes = {"status": status, "http_status": http_status, "checked": stamp, "history": history}
    if status == "ok":
        changes |= {"last_ok": stamp, "failures": 0, "failing_since": "", "error": ""}
    elif status == "failed":
        changes |= {"failures": state.failures + 1, "failing_since": state.failing_since or stamp}
        changes["error"] = error
    elif not state.failures:  # a failing address keeps the reason it fails for
        changes["error"] = error
    return replace(state, **changes)


def load(archive_dir, root, problems):
    """The state of every checked address by URL; a missing file means no check has run yet."""
    path = os.path.join(archive_dir, FILE)
    return stored.load(path, root, problems, _state, "the link check's state", "check-links")


def _state(entry):
    """A LinkState from its JSON, every field checked: the build reads it, and must not fail on it."""
    found = stored.typed(LinkState, entry, {"history": _history})
    if found.status not in ("", *STATUSES) or found.failures < 0:
        raise ValueError(f"{found.status!r} with {found.failures} failures is not a state")
    for stamp in (found.checked, found.last_ok, found.failing_since):
        _time(stamp)
    return found


def _history(value):
    if value == ():  # left out: no check recorded
        return ()
    if not isinstance(value, list) or not all(isinstance(pair, list) and len(pair) == 2 for pair in value):
        raise ValueError(f"'history' should be a list of [time, status] pairs, not {value!r}")
    for stamp, status in value:
        _time(stamp)
        if status not in STATUSES:
            raise ValueError(f"{status!r} is not a status")
    return tuple(tuple(pair) for pair in value)


def _time(stamp):
    """Refuse what is not an ISO time here, so that dead_since never meets one."""
    if not isinstance(stamp, str):
        raise ValueError(f"{stamp!r} is not a time")
    if stamp:
        datetime.fromisoformat(stamp)


def save(archive_dir, states):
    """Write every address's state at once, atomically: one address a line, sorted, so diffs stay small."""
    os.makedirs(archive_dir, exist_ok=True)
    lines = (
        f"{json.dumps(url)}: {json.dumps(asdict(s), ensure_ascii=False, sort_keys=True)}"
        for url, s in sorted(states.items())
    )
    write_atomic(os.path.join(archive_dir, FILE), ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8"))
