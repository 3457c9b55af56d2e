"""Polite, bounded HTTP for feeds: conditional GET, a total deadline, a cap on decoded size.

Built on http.client rather than requests or urllib3: both time out per socket read (a server
dripping a byte at a time holds them for minutes) and inflate gzip without a cap, so the loop
that enforces the deadline and the decoded-size limit has to be ours either way.
"""

import email.utils
import http.client
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

CHUNK = 64 * 1024
PERMANENT = (301, 308)
TEMPORARY = (302, 303, 307)
RETRYABLE = (429, 500, 502, 503, 504)


class DownloadError(Exception):
    """One feed could not be downloaded; the message says why, for the operator."""

    def __init__(self, message, status=None, retry_at=None):
        super().__init__(message)
        self.status, self.retry_at = status, retry_at


@dataclass(frozen=True)
class Limits:
    deadline: float = 30  # seconds for the whole download of one feed, retries included
    connect_timeout: float = 10
    read_timeout: float = 15
    max_bytes: int = 10_000_000  # after decompression
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    user_agent: str = "briefing-digest"


@dataclass(frozen=True)
class Response:
    status: int  # 200, or 304 when the feed has not changed
    url: str  # where the body came from, after redirects
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    permanent_url: str = ""  # set when a permanent redirect moved the feed
    attempts: int = 1
    headers: dict = field(default_factory=dict, hash=False)


def get(url, limits, etag="", last_modified="", clock=time.monotonic, sleep=time.sleep):
    """GET a feed with retries on 429/5xx (honouring Retry-After) within one total deadline."""
    deadline = clock() + limits.deadline
    attempt = 0
    while True:
        attempt += 1
        try:
            response = _follow(url, limits, etag, last_modified, deadline, clock)
        except DownloadError as e:
            wait = _retry_wait(e, limits, attempt)
            if wait is None or clock() + wait >= deadline:
                raise
            sleep(wait)
            continue
        return Response(**{**response.__dict__, "attempts": attempt})


def _retry_wait(error, limits, attempt):
    if error.status not in RETRYABLE or attempt > limits.retries:
        return None
    backoff = limits.backoff * 2 ** (attempt - 1)
    if error.retry_at is None:
        return backoff
    return max(backoff, (error.retry_at - datetime.now(UTC)).total_seconds())


def _follow(url, limits, etag, last_modified, deadline, clock):
    permanent, only_permanent = "", True
    for _ in range(limits.max_redirects + 1):
        status, headers, body = _request(url, limits, etag, last_modified, deadline, clock)
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
            headers=headers,
        )
    raise DownloadError(f"more than {limits.max_redirects} redirects")


def _retry_after(value):
    """The moment a Retry-After header (seconds or an HTTP date) allows the next try."""
    value = value.strip()
    if value.isdigit():
        return datetime.now(UTC) + timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _remaining(deadline, clock):
    left = deadline - clock()
    if left <= 0:
        raise DownloadError("took longer than the deadline for one feed (BRIEFING_FETCH_TIMEOUT)")
    return left


def _request(url, limits, etag, last_modified, deadline, clock):
    """One request; returns (status, lowercased headers, decoded body capped at max_bytes)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"{url!r} is not an http(s) address")
    timeout = min(limits.connect_timeout, _remaining(deadline, clock))
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
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
    try:
        conn.connect()
        # Kept: http.client lets go of conn.sock once a response without a length is read.
        sock = conn.sock
        conn.request("GET", path, headers=headers)
        sock.settimeout(min(limits.read_timeout, _remaining(deadline, clock)))
        response = conn.getresponse()
        found = {k.lower(): v for k, v in response.getheaders()}
        body = b"" if response.status != 200 else _read(response, sock, found, limits, deadline, clock)
        return response.status, found, body
    except (OSError, http.client.HTTPException, zlib.error) as e:
        if isinstance(e, TimeoutError) and deadline - clock() < limits.read_timeout:
            _remaining(deadline - 0.1, clock)  # a read cut short by the deadline says so
        raise DownloadError(_describe(e)) from None
    finally:
        conn.close()


_ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


def _read(response, sock, headers, limits, deadline, clock):
    """Read the body chunk by chunk, each read bounded by the time left, inflating with a cap."""
    encoding = headers.get("content-encoding", "").lower()
    inflater = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
    out, size = [], 0
    while True:
        sock.settimeout(min(limits.read_timeout, _remaining(deadline, clock)))
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        if inflater is not None:
            # max_length bounds what one small compressed chunk may expand into.
            chunk = inflater.decompress(chunk, limits.max_bytes - size + 1)
            if inflater.unconsumed_tail:
                raise DownloadError(f"larger than {limits.max_bytes} bytes once decompressed")
        size += len(chunk)
        if size > limits.max_bytes:
            raise DownloadError(f"larger than {limits.max_bytes} bytes")
        out.append(chunk)
    return b"".join(out)


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
