"""A real HTTP server on 127.0.0.1 serving good, slow, huge, moved and hostile feeds for the tests."""

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def rss(*items, title="T"):
    """RSS bytes for items given as (title, link, guid, description[, pubDate])."""
    body = ""
    for item in items:
        t, link, guid, desc, *date = item
        when = (
            f"<pubDate>{date[0]}</pubDate>" if date else "<pubDate>Mon, 03 Mar 2025 10:00:00 +0000</pubDate>"
        )
        guid = f"<guid>{guid}</guid>" if guid else ""
        body += f"<item><title>{t}</title><link>{link}</link>{guid}{when}<description><![CDATA[{desc}]]></description></item>"
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'.encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        route = self.server.routes.get(self.path)
        if route is None:
            self.reply(404, b"missing")
        elif callable(route):
            route(self)
        else:
            self.reply(*route)

    def reply(self, status, body=b"", headers=None, content_type="application/rss+xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops connections when many feeds are fetched at once

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes, self.hits = {}, {}
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self):
        self.shutdown()
        self.server_close()


def conditional(body, etag='"v1"', modified="Mon, 03 Mar 2025 10:00:00 GMT"):
    """A route answering 304 when the client already has this version."""

    def route(h):
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == modified:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        h.reply(200, body, {"ETag": etag, "Last-Modified": modified})

    return route


def drip(h):
    """Headers at once, then a byte every 0.2 s for a minute: only a total deadline stops it."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.end_headers()
    try:
        for _ in range(300):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def endless(h):
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.end_headers()
    try:
        h.wfile.write(b"<rss><channel>")
        while True:
            h.wfile.write(b"<item><title>x</title></item>" * 1000)
    except OSError:
        pass


def hundred_megabytes(h):
    """A feed that announces and streams 100 MB, stopped only by the size limit."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", str(100_000_000))
    h.end_headers()
    chunk = b"<item><title>x</title></item>" * 36_000  # about 1 MB
    try:
        h.wfile.write(b"<rss><channel>")
        for _ in range(100):
            h.wfile.write(chunk)
    except OSError:
        pass


def gzip_bomb(h):
    h.reply(200, gzip.compress(b"<rss>" + b" " * 50_000_000), {"Content-Encoding": "gzip"})


def sequence(*routes):
    """A route that answers with each of `routes` in turn, the last one forever after."""
    calls = iter(routes)
    last = [routes[-1]]

    def route(h):
        step = next(calls, last[0])
        step(h) if callable(step) else h.reply(*step)

    return route


def _drip_lines(h, start, name):
    """Write `start`, then one `name-N: 1` line every 0.2 s, for a minute."""
    try:
        h.wfile.write(start)
        for i in range(300):
            h.wfile.write(f"{name}-{i}: 1\r\n".encode())
            h.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def slow_headers(h):
    """The status line at once, then one header line every 0.2 s."""
    _drip_lines(h, b"HTTP/1.1 200 OK\r\n", "X-Slow")


def slow_trailers(h):
    """A chunked body that ends, then trailer lines dripping in one at a time."""
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/rss+xml\r\n\r\n"
    _drip_lines(h, head + b"5\r\n<rss>\r\n0\r\n", "X-Trailer")


def compressed(body, encoding):
    """A route sending `body` already encoded (gzip, deflate...) with that Content-Encoding."""

    def route(h):
        h.reply(200, body, {"Content-Encoding": encoding})

    return route
