"""Rendered briefing bodies kept between builds, each under a hash of everything it is made from.

Rendering the bodies is most of a build, and an editor's change touches a day or two: the next
build renders those again and reads every other body back. Used when CACHE_CONTENT is on.
"""

import hashlib
import os
from pathlib import Path

from .archive import write_atomic

# Settings that differ between two builds of the same site without changing a body.
_VOLATILE = {"OUTPUT_PATH"}
_CODE = Path(__file__).parent


class Bodies:
    def __init__(self, settings, digest):
        self.folder = Path(settings["CACHE_PATH"], "briefing-bodies")
        self.folder.mkdir(parents=True, exist_ok=True)
        site = hashlib.sha256()
        for name, value in sorted(settings.items()):
            if name.isupper() and name not in _VOLATILE:
                site.update(f"{name}={value!r}\n".encode())
        site.update(repr((digest.actors, digest.issues, digest.stances)).encode())
        # The templates, and this plugin's code (its filters), shape every body too.
        templates = [Path(settings["THEME"], "templates"), *map(Path, settings["THEME_TEMPLATES_OVERRIDES"])]
        for path in [p for t in templates for p in sorted(t.rglob("*.html"))] + sorted(_CODE.glob("*.py")):
            site.update(path.read_bytes())
        self.site, self.used = site.digest(), set()

    def render(self, briefing, render):
        """The body of a briefing: from the cache when nothing it is made from has changed."""
        key = hashlib.sha256(self.site + repr(briefing).encode()).hexdigest()
        self.used.add(f"{key}.html")
        path = self.folder / f"{key}.html"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            body = render()
            write_atomic(str(path), body.encode("utf-8"), durable=False)
            return body

    def prune(self):
        """Forget the bodies this build did not use: the cache holds one site, not its history."""
        for name in os.listdir(self.folder):
            if name not in self.used:
                os.unlink(self.folder / name)
