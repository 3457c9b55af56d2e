"""invoke fetch: every feed in parallel, each bounded in time and size, archived as it finishes.

Workers only download and parse. The calling thread alone writes: it appends each feed's new
items and then its state, atomically, so a fetch killed at any moment leaves both readable and
complete up to the last feed it finished.
"""

import contextlib
import errno
import fcntl
import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..core import files, safefile
from ..core.match import Matcher, admits
from ..core.sources import load_feeds, load_tracked, locations
from ..core.urls import is_web_url
from . import archive, download, parse, state

LOCK = ".fetch.lock"


@dataclass(frozen=True)
class Result:
    feed: str
    status: str  # ok, not modified, failed, gone, waiting
    new: int = 0
    changed: int = 0
    seconds: float = 0.0
    message: str = ""

    @property
    def failed(self):
        return self.status in ("failed", "gone")


@dataclass(frozen=True)
class _Outcome:
    status: str
    items: tuple = ()
    seen: int = 0
    warning: str = ""
    error: str = ""
    http_status: int = 0
    retry_at: datetime | None = None
    response: download.Response | None = None
    seconds: float = 0.0


class FetchRefused(Exception):
    """The fetch cannot start (another is running, or the archive cannot be read)."""


def limits_from(settings):
    return download.Limits(
        deadline=settings["BRIEFING_FETCH_TIMEOUT"],
        connect_timeout=settings["BRIEFING_FETCH_CONNECT_TIMEOUT"],
        read_timeout=settings["BRIEFING_FETCH_READ_TIMEOUT"],
        max_bytes=settings["BRIEFING_FETCH_MAX_BYTES"],
        max_items=settings["BRIEFING_FETCH_MAX_ITEMS"],
        max_elements=settings["BRIEFING_FETCH_MAX_ELEMENTS"],
        max_item_elements=settings["BRIEFING_FETCH_MAX_ITEM_ELEMENTS"],
        max_age_days=settings["BRIEFING_FETCH_MAX_AGE_DAYS"],
        max_redirects=settings["BRIEFING_FETCH_MAX_REDIRECTS"],
        retries=settings["BRIEFING_FETCH_RETRIES"],
        backoff=settings["BRIEFING_FETCH_BACKOFF"],
        user_agent=settings["BRIEFING_USER_AGENT"],
    )


def run(settings, now, on_result=None):
    """Fetch the feeds of feeds.yml; return (problems in the content, one Result per feed)."""
    problems = []
    feeds = load_feeds(settings, problems)
    actors, issues = load_tracked(settings, problems)
    if problems:
        return problems, []
    _, root, archive_dir = locations(settings)
    matcher = Matcher(actors, issues)
    now = now.replace(microsecond=0)
    workers = settings["BRIEFING_FETCH_WORKERS"]
    return [], fetch_all(feeds, archive_dir, root, limits_from(settings), workers, now, matcher, on_result)


def fetch_all(feeds, archive_dir, root, limits, workers, now, matcher, on_result=None):
    """Fetch every feed; one failing, slow or hostile feed never stops or delays the others."""
    os.makedirs(archive_dir, exist_ok=True)
    with lock(os.path.join(archive_dir, LOCK)):
        files.remove_temporary(archive_dir)  # left by a fetch killed mid-write; none is running now
        problems = []
        # An undated item is recognised by its title for as long as a dated one may be backdated.
        recent = timedelta(days=limits.max_age_days)
        index = archive.Index(archive.read(archive_dir, root, problems), recent)
        states = state.load(archive_dir, root, problems)
        if problems:
            # Appending beside lines we cannot read could bury them: refuse, and say where.
            raise FetchRefused("\n".join(map(str, problems)))
        results = []
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(_attempt, feed, state.for_feed(states, feed), limits, root, now, matcher): feed
                for feed in feeds.values()
            }
            for future in as_completed(futures):
                feed = futures[future]
                try:
                    rules = matcher.rules_of(feed)
                    result = _record(feed, future.result(), index, states, archive_dir, now, rules)
                except OSError as e:
                    # With nowhere to write, going on would only lose what the next feeds bring.
                    raise FetchRefused(
                        f"could not write to {archive_dir} ({e}); stopped after {feed.id}"
                    ) from None
                results.append(result)
                if on_result:
                    on_result(result)
    return sorted(results, key=lambda r: list(feeds).index(r.feed))


@contextlib.contextmanager
def lock(path):
    """Hold the archive's lock file: created if missing, never truncated, never through a link
    (a committed symlink would have had every fetch truncate its target)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as e:
        if e.errno != errno.ELOOP:
            raise
        message = f"{path} is a symbolic link; remove it (the fetch creates its own lock file)"
        raise FetchRefused(message) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchRefused("another fetch is running on this archive; wait for it to finish") from None
        yield
    finally:
        os.close(fd)


def _attempt(feed, current, limits, root, now, matcher):
    """Download and parse one feed in a worker; every failure becomes an outcome, never an exception."""
    started = time.monotonic()
    try:
        outcome = _download_and_parse(feed, current, limits, root, now, matcher)
    except download.DownloadError as e:
        status = "gone" if e.status == 410 else "failed"
        outcome = _Outcome(status, error=str(e), http_status=e.status or 0, retry_at=e.retry_at)
    except Exception as e:
        outcome = _Outcome("failed", error=str(e) or type(e).__name__)
    return replace(outcome, seconds=time.monotonic() - started)


def _download_and_parse(feed, current, limits, root, now, matcher):
    if current.status == "gone":
        return _Outcome("gone", error=f"{current.error}; not polled again until its url changes")
    if current.retry_after and datetime.fromisoformat(current.retry_after) > now:
        return _Outcome("waiting", error=f"the publisher asked us to wait until {current.retry_after}")
    response = None
    if is_web_url(feed.url):
        # Changed rules may keep items that were dropped before: ask for the whole feed again.
        same = current.rules == matcher.rules_of(feed)
        etag, modified = (current.etag, current.last_modified) if same else ("", "")
        response = download.get(current.fetch_url or feed.url, limits, etag, modified)
        if response.status == 304:
            return _Outcome("not modified", http_status=304, response=response)
        data, base, content_type = response.body, response.url, response.content_type
    else:
        data, base, content_type = _read_local(feed.url, root, limits.max_bytes), "", ""
    parsed = parse.parse(data, feed, now, base, content_type, limits=limits)
    kept = tuple(item for item in parsed.items if admits(feed, item, matcher))
    return _Outcome(
        "ok",
        items=kept,
        seen=len(parsed.items),
        warning=parsed.warning,
        http_status=200 if response else 0,  # a local sample has no HTTP status
        response=response,
    )


def _read_local(path, root, max_bytes):
    """A sample feed on disk: only an ordinary file inside the site's folder, for offline samples."""
    with safefile.open_file(os.path.join(root, path), root, max_bytes) as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:  # grown since it was measured
        raise ValueError(f"larger than {max_bytes} bytes")
    return data


def _record(feed, outcome, index, states, archive_dir, now, rules):
    """Archive a finished feed's new and changed items, then its state; return its Result."""
    current = state.for_feed(states, feed)
    if outcome.status == "waiting" or (outcome.status == "gone" and current.status == "gone"):
        return Result(feed.id, outcome.status, seconds=outcome.seconds, message=outcome.error)
    fresh = index.update(outcome.items, now)
    archive.append(archive_dir, archive.group_lines(fresh, now))
    changed = sum(1 for item in fresh if item.changed)
    response = outcome.response
    fields = {"http_status": outcome.http_status, "new_items": len(fresh) - changed, "error": outcome.error}
    if response is not None:
        fields |= {"fetch_url": response.permanent_url or current.fetch_url}
        if response.status == 200:
            fields |= {"etag": response.etag, "last_modified": response.last_modified}
    if outcome.status == "ok":
        fields |= {"items_seen": outcome.seen, "warning": outcome.warning, "rules": rules}
        if len(fresh) > changed:
            fields["last_new_item"] = now.isoformat()
    if outcome.retry_at is not None:
        fields["retry_after"] = outcome.retry_at.isoformat()
    states[feed.id] = state.after(current, outcome.status, now, **fields)
    state.save(archive_dir, states)
    message = outcome.error or outcome.warning
    if response is not None and response.permanent_url:
        message = f"moved permanently to {response.permanent_url}; {message}".rstrip("; ")
    return Result(feed.id, outcome.status, len(fresh) - changed, changed, outcome.seconds, message)
