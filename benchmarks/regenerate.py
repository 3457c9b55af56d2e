"""Preview-loop benchmark: how long after a note is saved `invoke regenerate` shows it on its page.

    .venv/bin/python benchmarks/regenerate.py SITE [--rounds 3]

SITE is a built site folder with content/ and pelicanconf.py (e.g. one benchmarks/scale.py wrote,
such as /tmp/scale-bench/days-3650/briefing). Starts `invoke regenerate` there, waits for its first
build, then appends a sentence to the newest Markdown note, times how long until the note's briefing
page shows it, waits for that build to end, and repeats. The sentences stay in the note. A
benchmark, not a test: it asserts nothing.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    note = sorted((args.site / "content" / "notes").rglob("*.md"))[-1]
    day = note.name[:10]
    page = args.site / "output" / "briefings" / day[:4] / day[5:7] / day[8:10] / "index.html"
    log = Path(tempfile.mkstemp(prefix="regenerate-", suffix=".log")[1])
    with open(log, "w") as out:
        loop = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "invoke"), "-r", str(ROOT), "regenerate"],
            cwd=args.site,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    # A benchmark stopped early (Ctrl-C, a timeout) stops its preview loop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    def builds():
        return log.read_text(encoding="utf-8").count("Done: Processed")

    try:
        while builds() < 1:
            time.sleep(0.2)
        shown = []
        for n in range(args.rounds):
            done, saved = builds(), time.time()
            mark = f"round {n} at {saved:.0f}"
            with open(note, "a", encoding="utf-8") as f:
                f.write(f"\nA sentence added to time the preview loop, {mark}.\n")
            while mark not in page.read_text(encoding="utf-8"):
                time.sleep(0.05)
            shown.append(time.time() - saved)
            while builds() <= done:
                time.sleep(0.2)
        print(f"{note.name}: its page showed each save after", ", ".join(f"{s:.1f} s" for s in shown))
    finally:
        os.killpg(loop.pid, signal.SIGTERM)
        log.unlink()


if __name__ == "__main__":
    main()
