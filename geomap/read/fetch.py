"""Fetching the URLs a user names, politely, with httpx.

Timeouts, retries with exponential backoff (on timeouts, dropped connections,
429 and 5xx answers), a descriptive user agent, a delay between two requests
to the same host, a size limit, redirects followed, and robots.txt honoured
unless switched off. Only the URLs given are fetched (and each host's
robots.txt); links inside pages are never followed.

A cache (the run's store, :class:`geomap.store.UrlCache`) keeps the pages
fetched, by URL, so a rerun does not fetch them again (feeds are fetched
each time: they change).
"""

from __future__ import annotations

import re
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..errors import FetchError, InputError, NotHTML

__all__ = [
    "USER_AGENT",
    "FetchOptions",
    "Fetched",
    "PageCache",
    "Fetcher",
    "is_url",
    "read_url_list",
    "resource_kind",
]

#: Sent with every request: who fetches, and why.
USER_AGENT = ("geomap/0.1 (news event mapper; fetches only the URLs its user names; "
              "honours robots.txt)")
_ROBOTS_AGENT = "geomap"
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
           "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1")
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_URL = re.compile(r"^https?://", re.IGNORECASE)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_FEED_START = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html)\b", re.IGNORECASE)


def is_url(text: str) -> bool:
    """True for an ``http://`` or ``https://`` address.

    >>> is_url("https://example.org/a"), is_url("article.html")
    (True, False)
    """
    return bool(_URL.match(text.strip())) and " " not in text.strip()


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How politely and how patiently to fetch.

    ``timeout`` is in seconds per request; ``retries`` extra attempts after a
    timeout, a dropped connection, a 429 or a 5xx, waiting ``backoff``,
    then twice that, and so on; ``delay`` seconds between two requests to
    the same host; ``max_bytes`` the largest body read; ``robots`` honours
    each host's robots.txt.
    """

    user_agent: str = USER_AGENT
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    delay: float = 1.0
    max_bytes: int = 10 * 2**20
    robots: bool = True
    max_redirects: int = 10

    def __post_init__(self) -> None:
        for field in ("timeout", "backoff", "delay"):
            if getattr(self, field) < 0:
                raise InputError(f"fetch {field} {getattr(self, field)!r} must be 0 or more")
        if self.retries < 0 or self.max_bytes < 1:
            raise InputError("fetch retries must be 0 or more and max_bytes at least 1")


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched resource: the URL asked for, where it ended after redirects, its body."""

    url: str
    final_url: str
    content_type: str
    body: bytes
    from_cache: bool = False


class PageCache(Protocol):
    """Where fetched resources are kept by URL (the run's store)."""

    def get(self, url: str) -> tuple[str, str, bytes] | None:
        """``(final_url, content_type, body)`` of a cached URL, else None."""

    def put(self, url: str, final_url: str, content_type: str, body: bytes) -> None:
        """Keep a fetched resource."""


def resource_kind(content_type: str, body: bytes) -> str | None:
    """``"html"``, ``"feed"``, ``"text"`` or None (an image, a PDF...) from type and body.

    >>> resource_kind("text/html; charset=utf-8", b"<html></html>")
    'html'
    >>> resource_kind("application/xml", b'<?xml version="1.0"?><rss version="2.0">')
    'feed'
    >>> resource_kind("application/pdf", b"%PDF-1.7") is None
    True
    """
    media = content_type.split(";", 1)[0].strip().lower()
    head = body[:2048]
    if media in _FEED_TYPES:
        return "feed"
    if media in _HTML_TYPES:
        return "feed" if _FEED_START.search(head) and not _HTML_START.search(head) else "html"
    if media in _XML_TYPES or not media:
        if _FEED_START.search(head):
            return "feed"
        if _HTML_START.search(head):
            return "html"
        return "text" if not media and b"\x00" not in head else None
    if media == "text/plain":
        return "text"
    return None


def read_url_list(path: str | Path) -> list[str]:
    """The URLs of a ``--urls`` file: one per line; blank lines and ``#`` comments skipped.

    Raises
    ------
    InputError
        When the file cannot be read, or a line is not an http(s) URL (naming the line).
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{name} cannot be read as a UTF-8 list of URLs ({err}); "
                         "give a text file with one URL per line") from err
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        if not is_url(value):
            raise InputError(f"{name} line {number}: {value[:80]!r} is not an http:// or "
                             "https:// URL; give one URL per line")
        urls.append(value)
    if not urls:
        raise InputError(f"{name} holds no URL; give one URL per line")
    return urls


class Fetcher:
    """Fetches URLs with httpx, politely; one instance per run (it remembers hosts).

    Parameters
    ----------
    options : FetchOptions, optional
    cache : PageCache, optional
        Looked up before fetching, filled after.
    sleep, clock : callables, optional
        ``time.sleep`` and ``time.monotonic`` by default (the politeness
        delay and the backoff use them).
    """

    def __init__(self, options: FetchOptions | None = None, *, cache: PageCache | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.options = options or FetchOptions()
        self.cache = cache
        self.sleep = sleep
        self.clock = clock
        self.fetched = 0  # requests sent (robots.txt included), for reports and tests
        self._client: Any = None
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _http(self) -> Any:
        if self._client is None:
            import httpx

            opts = self.options
            self._client = httpx.Client(
                follow_redirects=True, max_redirects=opts.max_redirects,
                timeout=httpx.Timeout(opts.timeout),
                headers={"User-Agent": opts.user_agent, "Accept": _ACCEPT,
                         "Accept-Language": "fr, en;q=0.9, *;q=0.5"},
            )
        return self._client

    def fetch(self, url: str) -> Fetched:
        """Fetch ``url`` (or take it from the cache).

        Raises
        ------
        FetchError
            For an HTTP error status, a timeout, a refused or dropped
            connection, a robots.txt that disallows the page, a body over
            the size limit or too many redirects; the message names the URL.
        NotHTML
            For a resource that is neither a page, a feed nor plain text.
        """
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise FetchError(f"{url} is not an http:// or https:// URL; check the address")
        if self.cache is not None:
            hit = self.cache.get(url)
            if hit is not None:
                return Fetched(url, hit[0], hit[1], hit[2], from_cache=True)
        if self.options.robots:
            self._check_robots(url)
        final_url, ctype, body = self._get(url, check_type=True)
        # A feed changes: it is fetched each run; the pages it links to are kept.
        if self.cache is not None and resource_kind(ctype, body) != "feed":
            self.cache.put(url, final_url, ctype, body)
        return Fetched(url, final_url, ctype, body)

    # -- politeness --------------------------------------------------------------------

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            wait = last + self.options.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        root = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        rules = self._robots.get(root)
        if rules is None:
            rules = self._load_robots(root)
            self._robots[root] = rules
        if isinstance(rules, str):
            raise FetchError(f"{url}: {rules}")
        if not rules.can_fetch(_ROBOTS_AGENT, url):
            raise FetchError(f"{url}: robots.txt of {parts.netloc} disallows it; "
                             "respect the site's wish, or pass --ignore-robots")

    def _load_robots(self, root: str) -> urllib.robotparser.RobotFileParser | str:
        """The host's rules, RFC 9309: a 4xx means no rules, a 5xx or no answer means keep out."""
        robots = urllib.robotparser.RobotFileParser(root + "/robots.txt")
        try:
            status, body = self._get_robots(root + "/robots.txt")
        except FetchError as err:
            return (f"cannot reach {urlsplit(root).netloc} ({err}); "
                    "check the address and the network, or try again later")
        if 400 <= status < 500:
            robots.parse([])
        elif status >= 500:
            return (f"robots.txt of {urlsplit(root).netloc} answers HTTP {status}; "
                    "try again later, or pass --ignore-robots")
        else:
            robots.parse(body.decode("utf-8", "replace").splitlines())
        return robots

    def _get_robots(self, url: str) -> tuple[int, bytes]:
        import httpx

        self._wait_turn(url)
        self.fetched += 1
        try:
            r = self._http().get(url)
        except httpx.HTTPError as err:
            raise FetchError(_transport_reason(err, self.options.timeout)) from err
        return r.status_code, r.content[: self.options.max_bytes]

    # -- the request -------------------------------------------------------------------

    def _get(self, url: str, *, check_type: bool) -> tuple[str, str, bytes]:
        import httpx

        opts = self.options
        attempts = opts.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self._wait_turn(url)
            self.fetched += 1
            try:
                with self._http().stream("GET", url) as r:
                    if r.status_code in _RETRY_STATUS and not last:
                        self.sleep(self._backoff(attempt, r.headers.get("retry-after")))
                        continue
                    if r.status_code >= 400:
                        raise FetchError(
                            f"{url}: HTTP {r.status_code} {r.reason_phrase}".rstrip()
                            + ("; check the link" if r.status_code < 500
                               else f" after {attempts} attempts; try again later"))
                    ctype = r.headers.get("content-type", "")
                    media = ctype.split(";", 1)[0].strip().lower()
                    if check_type and media and resource_kind(ctype, b"<html>") is None \
                            and media not in _XML_TYPES:
                        raise NotHTML(f"{url} is {media}, not a web page, a feed or text; "
                                      "save its text as a .txt file and give that")
                    size = r.headers.get("content-length")
                    if size and size.isdigit() and int(size) > opts.max_bytes:
                        raise FetchError(_too_big(url, int(size), opts.max_bytes))
                    chunks, total = [], 0
                    for chunk in r.iter_bytes():
                        total += len(chunk)
                        if total > opts.max_bytes:
                            raise FetchError(_too_big(url, total, opts.max_bytes))
                        chunks.append(chunk)
                    return str(r.url), ctype, b"".join(chunks)
            except httpx.TooManyRedirects as err:
                raise FetchError(f"{url}: more than {opts.max_redirects} redirects; "
                                 "check the link") from err
            except (httpx.TimeoutException, httpx.TransportError) as err:
                if last:
                    reason = _transport_reason(err, opts.timeout)
                    raise FetchError(f"{url}: {reason} ({attempts} attempts); "
                                     "check the address and the network, or try again later"
                                     ) from err
                self.sleep(self._backoff(attempt, None))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        wait = self.options.backoff * (2 ** attempt)
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, min(float(retry_after), 60.0))  # a server's wish, within reason
        return float(wait)


def _too_big(url: str, size: int, limit: int) -> str:
    return (f"{url}: the resource is larger than the {limit / 2**20:.1f} MiB limit "
            f"({size / 2**20:.1f} MiB or more); save the article and give the file")


def _transport_reason(err: Exception, timeout: float) -> str:
    import httpx

    if isinstance(err, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    if isinstance(err, httpx.ConnectError):
        return f"cannot connect ({err or 'connection refused'})"
    return f"the connection failed ({type(err).__name__}: {err})"
