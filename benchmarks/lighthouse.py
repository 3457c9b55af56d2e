"""Lighthouse scores for the sample site: performance, accessibility, best practices, SEO.

    npm install --prefix .tools lighthouse@12.2.3     # once
    .venv/bin/python benchmarks/lighthouse.py

Builds the sample with the production settings (absolute URLs on 127.0.0.1), serves it on
127.0.0.1 and runs Lighthouse in Debian's Chromium on the index and a briefing page. A
measurement for the README, not a test.
"""

import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse"
FLAGS = " ".join((
    "--headless --no-sandbox --disable-gpu --disable-background-networking",
    "--disable-component-update --disable-sync --no-first-run",
))  # fmt: skip
PAGES = {"index": "", "briefing": "briefings/2025/03/02/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    if not LIGHTHOUSE.exists():
        sys.exit(f"Lighthouse is not installed: npm install --prefix {ROOT / '.tools'} lighthouse@12.2.3")
    with tempfile.TemporaryDirectory() as folder:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
        base = f"http://127.0.0.1:{server.server_address[1]}"
        env = {**os.environ, "SITEURL": base}
        build = [sys.executable, "-m", "pelican", "content", "-s", "publishconf.py", "-o", folder, "-q"]
        subprocess.run(build, cwd=ROOT, env=env, check=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            print_scores(base, Path(folder))
        finally:
            server.shutdown()


def print_scores(base, folder):
    print("| page | " + " | ".join(CATEGORIES) + " |")
    print("| --- |" + " --- |" * len(CATEGORIES))
    for name, path in PAGES.items():
        report = folder / f"{name}.report.json"
        subprocess.run(
            [str(LIGHTHOUSE), f"{base}/{path}", "--quiet", "--output=json", f"--output-path={report}",
             f"--chrome-flags={FLAGS}", "--only-categories=" + ",".join(CATEGORIES)],
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True,
        )  # fmt: skip
        scores = json.loads(report.read_text())["categories"]
        print(f"| {name} | " + " | ".join(f"{round(scores[c]['score'] * 100)}" for c in CATEGORIES) + " |")


if __name__ == "__main__":
    main()
