"""Headless Chromium and a local HTTP server for the browser tests; nothing leaves 127.0.0.1."""

import contextlib
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # Debian's, unless told otherwise
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
# Reports every Content-Security-Policy violation to the test through an exposed function.
WATCH_CSP = """document.addEventListener("securitypolicyviolation",
  e => window.cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder):
    """Serve a folder on a free port of 127.0.0.1; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, headless; Playwright gives every launch a fresh user-data-dir."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@contextlib.contextmanager
def watched_tab(browser, **context_options):
    """A tab whose requests for other hosts are refused, and whose CSP violations are recorded.

    Yields (tab, outside, violations): the refused URLs and the violations, for the test to check.
    """
    context = browser.new_context(**context_options)
    tab = context.new_page()
    outside, violations = [], []

    def local_only(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", local_only)
    # Playwright marks the callable it is given, which a bound builtin such as list.append refuses.
    tab.expose_function("cspViolation", lambda text: violations.append(text))  # noqa: PLW0108
    tab.add_init_script(WATCH_CSP)
    try:
        yield tab, outside, violations
    finally:
        context.close()
