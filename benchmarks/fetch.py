"""Fetch benchmark: N feeds served on loopback with 50 ms latency each, fetched three ways.

    .venv/bin/python benchmarks/fetch.py [--feeds 200] [--latency 0.05] [--workers 16]

1. one by one (one worker), 2. with the pool, 3. the pool again, every feed answering 304.
Prints a Markdown table for BENCHMARKS.md. A benchmark, not a test: it asserts nothing.
"""

import argparse
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "tests")]

import feedparser  # noqa: E402
from feedserver import Server, conditional, rss  # noqa: E402

from briefing.core.match import Matcher  # noqa: E402
from briefing.core.model import Feed  # noqa: E402
from briefing.ingest.fetch import fetch_all, limits_from  # noqa: E402
from briefing.site.settings import DEFAULTS  # noqa: E402


def slow(route, latency):
    def delayed(handler):
        time.sleep(latency)
        route(handler)

    return delayed


def timed_round(feeds, folder, workers):
    started = time.perf_counter()
    limits = limits_from(DEFAULTS)
    results = fetch_all(feeds, folder, folder, limits, workers, datetime.now(UTC), Matcher({}, {}))
    elapsed = time.perf_counter() - started
    return elapsed, sum(r.new for r in results), {r.status for r in results}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    server = Server()
    feeds = {}
    for n in range(args.feeds):
        items = [
            (f"Story {n}-{i}", f"https://news.test/{n}/{i}", f"{n}-{i}", "<p>" + "text " * 60 + "</p>")
            for i in range(20)
        ]
        server.routes[f"/{n}.xml"] = slow(conditional(rss(*items), etag=f'"{n}"'), args.latency)
        feeds[f"f{n}"] = Feed(
            id=f"f{n}", title=f"Feed {n}", url=f"{server.base}/{n}.xml", only_matching=False
        )
    rows = []
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as pool:
        rows.append(("first fetch, one by one", 1, *timed_round(feeds, Path(one), 1)))
        rows.append(("first fetch, pooled", args.workers, *timed_round(feeds, Path(pool), args.workers)))
        rows.append(("second fetch, all 304", args.workers, *timed_round(feeds, Path(pool), args.workers)))
    server.stop()
    print(f"Fetch benchmark, {datetime.now(UTC):%Y-%m-%d}: {args.feeds} feeds of 20 items on 127.0.0.1,")
    print(f"{args.latency * 1000:.0f} ms latency each; Python {platform.python_version()},")
    print(
        f"feedparser {feedparser.__version__}, {platform.machine()} with {platform.os.cpu_count()} cores.\n"
    )
    print("| round | workers | wall time | new items | statuses |")
    print("| --- | --- | --- | --- | --- |")
    for name, workers, seconds, new, statuses in rows:
        print(f"| {name} | {workers} | {seconds:.2f} s | {new} | {', '.join(sorted(statuses))} |")
    print(f"\nPooled vs one by one: {rows[0][2] / rows[1][2]:.1f}x faster.")


if __name__ == "__main__":
    main()
