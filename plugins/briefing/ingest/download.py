"""Polite, bounded HTTP for feeds: conditional GET, a total deadline, a cap on decoded size.

Built on http.client rather than requests or urllib3: both time out per socket read (a server
dripping a byte at a time holds them for minutes) and inflate gzip without a cap, so the loop
that enforces the deadline and the decoded-size limit has to be ours either way.
"""

import contextlib
import email.utils
import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

CHUNK = 64 * 1024
PERMANENT = (301, 308)
TEMPORARY = (302, 303, 307)
RETRYABLE = (429, 500, 502, 503, 504)
MAX_WAIT = timedelta(days=2)  # the longest Retry-After honoured


class DownloadError(Exception):
    """One feed could not be downloaded; the message says why, for the operator."""

    def __init__(self, message, status=None, retry_at=None):
        super().__init__(message)
        self.status, self.retry_at = status, retry_at


@dataclass(frozen=True)
class Limits:
    """What one feed's download may take: the BRIEFING_FETCH_* settings and BRIEFING_USER_AGENT
    (fetch.limits_from), whose defaults and reasons settings.py declares."""

    deadline: float  # seconds for the whole download of one feed, retries included
    connect_timeout: float
    read_timeout: float
    max_bytes: int  # after decompression
    max_items: int
    max_elements: int  # in the whole feed, counted before parsing
    max_item_elements: int  # in one item
    max_age_days: int  # an item first seen dated earlier than this is filed when seen
    max_redirects: int
    retries: int
    backoff: float  # seconds before the first retry, doubled each time
    user_agent: str
    # A link check's hooks (linkcheck.py); a feed's download keeps the defaults. `addresses(host,
    # port)` returns the addresses the host may be reached at, or raises DownloadError to refuse it.
    addresses: Callable[[str, int], tuple[str, ...]] | None = None
    read_body: bool = True  # False: the status is the answer, and a 200's body is not read


@dataclass(frozen=True)
class Response:
    status: int  # 200, or 304 when the feed has not changed
    url: str  # where the body came from, after redirects
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    permanent_url: str = ""  # set when a permanent redirect moved the feed


def get(url, limits, etag="", last_modified=""):
    """GET a feed with retries on 429/5xx (honouring Retry-After) within one total deadline."""
    deadline = time.monotonic() + limits.deadline
    attempt = 0
    while True:
        attempt += 1
        try:
            return _follow(url, limits, etag, last_modified, deadline)
        except DownloadError as e:
            wait = _retry_wait(e, limits, attempt)
            if wait is None or time.monotonic() + wait >= deadline:
                raise
            time.sleep(wait)


def _retry_wait(error, limits, attempt):
    if error.status not in RETRYABLE or attempt > limits.retries:
        return None
    backoff = limits.backoff * 2 ** (attempt - 1)
    if error.retry_at is None:
        return backoff
    return max(backoff, (error.retry_at - datetime.now(UTC)).total_seconds())


def _follow(url, limits, etag, last_modified, deadline):
    permanent, only_permanent = "", True
    for _ in range(limits.max_redirects + 1):
        status, headers, body = _request(url, limits, etag, last_modified, deadline)
        if status in PERMANENT + TEMPORARY and headers.get("location"):
            url = urljoin(url, headers["location"])
            if urlsplit(url).scheme not in ("http", "https"):
                raise DownloadError(f"redirected to a non-web address {url!r}", status)
            # The feed has moved for good only if every hop so far said so.
            only_permanent = only_permanent and status in PERMANENT
            permanent = url if only_permanent else permanent
            continue
        if status == 304:
            return Response(
                status=304, url=url, etag=etag, last_modified=last_modified, permanent_url=permanent
            )
        if status == 410:
            raise DownloadError("410 Gone: the publisher has removed this feed", status)
        if status in RETRYABLE:
            raise DownloadError(f"HTTP {status}", status, _retry_after(headers.get("retry-after", "")))
        if status != 200:
            raise DownloadError(f"HTTP {status}", status)
        return Response(
            status=200,
            url=url,
            body=body,
            content_type=headers.get("content-type", ""),
            etag=headers.get("etag", ""),
            last_modified=headers.get("last-modified", ""),
            permanent_url=permanent,
        )
    raise DownloadError(f"more than {limits.max_redirects} redirects")


def _retry_after(value):
    """The moment a Retry-After header (seconds or an HTTP date) allows the next try."""
    value, now = value.strip(), datetime.now(UTC)
    try:
        if value.isdigit():  # capped before adding: ten-year delays overflow a datetime
            when = now + timedelta(seconds=min(int(value), MAX_WAIT.total_seconds()))
        else:
            when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return min(when, now + MAX_WAIT)  # a publisher's "in ten years" is a mistake, not a plan


def _remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise DownloadError(DEADLINE)
    return left


def _request(url, limits, etag, last_modified, deadline):
    """One request; returns (status, lowercased headers, decoded body capped at max_bytes)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"{url!r} is not an http(s) address")
    timeout = min(limits.connect_timeout, _remaining(deadline))
    context = ssl.create_default_context() if parts.scheme == "https" else None
    if context:
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate", "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    dog = None
    try:
        _connect(conn, parts, limits, timeout, context)
        # Kept: http.client lets go of conn.sock once a response without a length is read.
        sock = conn.sock
        sock.settimeout(limits.read_timeout)
        dog = _Watchdog(sock, _remaining(deadline))
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        found = {k.lower(): v for k, v in response.getheaders()}
        wanted = response.status == 200 and limits.read_body
        body = _read(response, found, limits) if wanted else b""
    except (OSError, http.client.HTTPException, zlib.error) as e:
        if dog is not None and dog.fired:
            raise DownloadError(DEADLINE) from None
        raise DownloadError(_describe(e)) from None
    finally:
        if dog is not None:
            dog.cancel()
        conn.close()
    if dog.fired:  # the shutdown may look like a normal end of the body
        raise DownloadError(DEADLINE)
    return response.status, found, body


def _connect(conn, parts, limits, timeout, context):
    """Open conn's socket; with limits.addresses, to an address that hook approved, never through a
    second lookup of the name, whose answer may have changed since (DNS rebinding)."""
    if limits.addresses is None:
        conn.connect()
        return
    port, failure = parts.port or (443 if context else 80), None
    for address in limits.addresses(parts.hostname, port):
        try:
            conn.sock = socket.create_connection((address, port), timeout)
            break
        except OSError as e:
            failure = e
    else:
        raise failure or ConnectionError(f"no address for {parts.hostname}")
    if context:  # the certificate checked against the name, as http.client's own connect does
        conn.sock = context.wrap_socket(conn.sock, server_hostname=parts.hostname)


_ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
DEADLINE = "took longer than the deadline for one feed (BRIEFING_FETCH_TIMEOUT)"


class _Watchdog:
    """Shuts the socket down at the deadline, waking any read blocked on it.

    Per-read timeouts alone cannot bound a feed: a server sending its headers, chunk sizes or
    body a byte at a time satisfies every read and never finishes.
    """

    def __init__(self, sock, seconds):
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire, (sock,))
        self._timer.daemon = True
        self._timer.start()

    def _fire(self, sock):
        self.fired = True
        with contextlib.suppress(OSError):  # already closed: nothing left to wake
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self):
        self._timer.cancel()


def _read(response, headers, limits):
    """Read the body chunk by chunk, inflating gzip or deflate with a cap on what comes out."""
    encoding = headers.get("content-encoding", "").lower()
    inflater = _Inflater(encoding == "deflate", limits.max_bytes) if encoding in _COMPRESSED else None
    out, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise DownloadError(f"larger than {limits.max_bytes} bytes")
        out.append(inflater.feed(chunk) if inflater else chunk)
    if inflater:
        inflater.finish()
    return b"".join(out)


_COMPRESSED = ("gzip", "x-gzip", "deflate")


class _Inflater:
    """gzip (one member or several) or deflate (zlib-wrapped or raw), at most `limit` bytes out."""

    def __init__(self, deflate, limit):
        self.deflate, self.limit, self.size, self.obj = deflate, limit, 0, None

    def _start(self, data):
        if not self.deflate:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # RFC 9110's deflate is zlib-wrapped, but some servers send it raw: tell them apart.
        wrapped = len(data) > 1 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data):
        out = []
        while data:
            if self.obj is not None and self.obj.eof:
                if self.deflate:
                    break  # bytes after a deflate stream are not part of it
                self.obj = None  # the next gzip member
            if self.obj is None:
                self.obj = self._start(data)
            # max_length bounds what one small compressed chunk may expand into.
            piece = self.obj.decompress(data, self.limit - self.size + 1)
            self.size += len(piece)
            if self.obj.unconsumed_tail or self.size > self.limit:
                raise DownloadError(f"larger than {self.limit} bytes once decompressed")
            out.append(piece)
            data = self.obj.unused_data if self.obj.eof else b""
        return b"".join(out)

    def finish(self):
        if self.obj is None or not self.obj.eof:
            raise DownloadError("the compressed body was cut short")


def _describe(error):
    if isinstance(error, socket.gaierror):
        return f"the host name could not be resolved ({error.strerror})"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason or error})"
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(error, zlib.error):
        return f"the compressed body is corrupt ({error})"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
