"""invoke check-links' network side: each cited address asked, with the fetch's manners, whether it
still answers.

The addresses come from editors and the check runs on CI machines, so unless
BRIEFING_LINKS_ALLOW_PRIVATE allows it, no loopback, private or link-local address (a cloud runner's
metadata service at 169.254.169.254) is ever connected to, before a redirect or after one: every
hop's host is resolved here, each of its addresses judged, and download.py connects to one of
those very addresses rather than looking the name up again.
"""

import ipaddress
import re
import socket
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from . import download
from .fetch import limits_from

# What sites that keep scripts out answer (many news sites, to anything but a browser): no sign
# that the page is gone, so such a check is "unknown", and a paywall never marks a live link dead.
BLOCKED = (401, 403, 429)
# A sign-in page's path. A link that now redirects to one is gone for readers; kept to these few
# words, matched whole ("/authors/" is not "auth"), so an ordinary page is not mistaken for one.
_LOGIN = re.compile(r"(?<![a-z])(log-?in|sign-?in|sign_in|sso|auth)(?![a-z])", re.IGNORECASE)
_KINDS = ("unspecified", "loopback", "link_local", "multicast", "private", "reserved")


@dataclass(frozen=True)
class Outcome:
    url: str
    status: str  # ok, failed or unknown (links.STATUSES)
    http_status: int = 0
    error: str = ""
    seconds: float = 0.0


def forbidden(address):
    """The kind of address a check never connects to ('loopback', 'link-local', ...), or "" for a
    public one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address an IPv6 one carries: ::ffff:127.0.0.1 reaches 127.0.0.1, and a 6to4
        # (2002:7f00:1::) or Teredo address may be routed to the one it embeds.
        for inner in (ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None):
            if inner is not None and (kind := forbidden(str(inner))):
                return kind
        ip = ip.ipv4_mapped or ip
    for kind in _KINDS:
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "" if ip.is_global else "non-public"  # such as 100.64.0.0/10, a carrier's shared space


def addresses(host, port, judge=forbidden):
    """The addresses `host` resolves to, every one of them public, or DownloadError naming one that
    is not (a name with a public and a private address is refused: either may be the one used)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise download.DownloadError(f"the host name could not be resolved ({e.strerror})") from None
    ips = tuple(dict.fromkeys(info[4][0] for info in found))
    for ip in ips:
        if kind := judge(ip):
            raise download.DownloadError(
                f"refused: {host} is at {ip}, a {kind} address (see BRIEFING_LINKS_ALLOW_PRIVATE)"
            )
    return ips


def limits_of(settings):
    """The fetch's limits and User-Agent; a link's status without its body; and, unless
    BRIEFING_LINKS_ALLOW_PRIVATE, every address judged before it is connected to."""
    guard = None if settings["BRIEFING_LINKS_ALLOW_PRIVATE"] else addresses
    return replace(limits_from(settings), addresses=guard, read_body=False)


def check(url, limits):
    """Ask one address whether it still answers; every failure is an outcome, never an exception."""
    started = time.monotonic()
    try:
        response = download.get(url, limits)
    except download.DownloadError as e:
        outcome = _failure(url, e)
    except Exception as e:  # one odd address (a port out of range...) never stops the others
        outcome = Outcome(url, "failed", error=str(e) or type(e).__name__)
    else:
        outcome = _answer(url, response)
    return replace(outcome, seconds=time.monotonic() - started)


def _answer(url, response):
    if _LOGIN.search(urlsplit(response.url).path) and not _LOGIN.search(urlsplit(url).path):
        return Outcome(url, "failed", response.status, f"redirects to a login page ({response.url})")
    return Outcome(url, "ok", response.status)


def _failure(url, error):
    status = error.status or 0
    if 200 <= status < 300:  # download.get takes only a 200 for a feed; any success will do for a link
        return Outcome(url, "ok", status)
    if status in BLOCKED:
        return Outcome(url, "unknown", status, f"HTTP {status}: the site turns scripts away")
    if str(error) == download.DEADLINE:
        return Outcome(url, "failed", status, "took longer than BRIEFING_FETCH_TIMEOUT")
    return Outcome(url, "failed", status, "HTTP 410 Gone" if status == 410 else str(error))


def check_all(urls, limits, workers, until=None):
    """Check the addresses in their order, `workers` hosts at a time and one request at a time per
    host (fifty sources on one news site are fifty requests in a row, not a burst), starting none
    after `until` (time.monotonic()) but the first, so every run checks one at least; return
    {url: Outcome} of those checked."""
    hosts = defaultdict(list)
    for url in urls:
        hosts[_host(url)].append(url)
    first, found = next(iter(urls), None), {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_check_each, group, limits, until, first) for group in hosts.values()]
        for future in as_completed(futures):
            found |= {outcome.url: outcome for outcome in future.result()}
    return found


def _check_each(urls, limits, until, first):
    found = []
    for url in urls:
        if url != first and until is not None and time.monotonic() > until:
            break  # the rest wait for the next run, first in line
        found.append(check(url, limits))
    return found


def _host(url):
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # not a URL at all: check() says so
        return ""
