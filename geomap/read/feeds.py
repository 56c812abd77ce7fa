"""RSS and Atom feeds, read with feedparser: one :class:`FeedItem` per entry.

An item whose own content holds the article (``content:encoded``, Atom
``content``) carries that text; the others carry a link for the reader to
fetch. Items that have neither, or a link that is not http(s), are reported
as broken, each on its own line, and the feed's other items are still read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

from ..errors import FeedError
from ..records import PartialDate
from .fetch import is_url

__all__ = ["FEED_SUFFIXES", "FULL_TEXT_WORDS", "Feed", "FeedItem", "parse_feed", "html_to_text"]

#: Suffixes read as feeds (``.xml`` only when a file is named, not when walking a directory).
FEED_SUFFIXES: tuple[str, ...] = (".rss", ".atom", ".xml")
#: An item's own content of at least this many words is its article: its link is not fetched.
FULL_TEXT_WORDS = 120

_BLOCK = re.compile(r"(?i)</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|section|article|tr)\b[^>]*>")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed.

    ``text`` is the item's own full text (None when it holds only a summary:
    then ``link`` is fetched); ``date`` its publication (or update) date.
    """

    index: int
    link: str | None
    title: str | None
    date: PartialDate | None
    text: str | None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its items, and ``(where, reason)`` for each broken item."""

    title: str | None
    lang: str | None
    items: tuple[FeedItem, ...]
    problems: tuple[tuple[str, str], ...] = field(default=())


def html_to_text(fragment: str) -> str:
    r"""The text of an HTML fragment, one paragraph per block, markup and scripts removed.

    >>> html_to_text("<p>Kyiv was <b>shelled</b>.</p><script>x()</script><p>Two died.</p>")
    'Kyiv was shelled.\n\nTwo died.'
    """
    import lxml.html

    if "<" not in fragment:
        return "\n\n".join(" ".join(p.split()) for p in fragment.split("\n\n") if p.strip())
    marked = _BLOCK.sub(lambda m: m.group(0) + "\n\n", fragment)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml's parser errors on hopeless markup
        return ""
    for bad in root.xpath("//script|//style|//noscript|//iframe"):
        bad.drop_tree()
    text = root.text_content()
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def parse_feed(data: bytes, *, name: str, base_url: str | None = None) -> Feed:
    """Read an RSS or Atom feed.

    Parameters
    ----------
    data : bytes
        The feed document.
    name : str
        The file or URL, for messages.
    base_url : str, optional
        Where the feed came from: relative item links are resolved against it.

    Returns
    -------
    Feed

    Raises
    ------
    FeedError
        When ``data`` is not a feed at all (no items and not RSS or Atom).

    Examples
    --------
    >>> feed = parse_feed(b'''<?xml version="1.0"?><rss version="2.0"><channel>
    ...   <title>World</title><language>en</language>
    ...   <item><title>Kharkiv shelled</title><link>https://news.example/a</link>
    ...         <pubDate>Mon, 10 Mar 2025 08:00:00 GMT</pubDate></item>
    ...   <item><title>No link here</title></item></channel></rss>''', name="feed.xml")
    >>> [(i.link, str(i.date)) for i in feed.items]
    [('https://news.example/a', '2025-03-10')]
    >>> feed.problems
    (('feed.xml item 2', "feed.xml item 2 ('No link here') has no link and no text; ..."),)
    """
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = list(parsed.get("entries") or [])
    if not entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise FeedError(f"{name} is not an RSS or Atom feed"
                        + (f" ({_one_line(reason)})" if reason else "")
                        + "; give a feed's address or file")
    meta = parsed.get("feed") or {}
    lang = _lang(meta.get("language"))
    items: list[FeedItem] = []
    problems: list[tuple[str, str]] = []
    if parsed.get("bozo") and entries:
        problems.append((name, f"{name} is not well-formed XML "
                               f"({_one_line(parsed.get('bozo_exception'))}); "
                               "the items that could be read are used"))
    for index, entry in enumerate(entries, start=1):
        where = f"{name} item {index}"
        title = _clean(entry.get("title"))
        label = f" ({title[:60]!r})" if title else ""
        link = (entry.get("link") or "").strip() or None
        if link and base_url and not is_url(link):
            link = urljoin(base_url, link)
        if link and not is_url(link):
            problems.append((where, f"{where}{label} has the link {link[:80]!r}, not an "
                                    "http(s) URL; fix the feed or give the article itself"))
            link = None
        text = _full_text(entry)
        summary = html_to_text(entry.get("summary") or "") or None
        if link is None and text is None:
            if not problems or problems[-1][0] != where:
                problems.append((where, f"{where}{label} has no link and no text; "
                                        "it is skipped"))
            continue
        items.append(FeedItem(index, link, title, _entry_date(entry), text, summary))
    return Feed(_clean(meta.get("title")), lang, tuple(items), tuple(problems))


def _full_text(entry: Any) -> str | None:
    """The item's own article: its content blocks, when they are long enough to be one."""
    best = ""
    for block in entry.get("content") or []:
        text = html_to_text(block.get("value") or "")
        if len(text.split()) > len(best.split()):
            best = text
    if len(best.split()) < FULL_TEXT_WORDS:
        summary = html_to_text(entry.get("summary") or "")
        best = summary if len(summary.split()) > len(best.split()) else best
    return best if len(best.split()) >= FULL_TEXT_WORDS else None


def _entry_date(entry: Any) -> PartialDate | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                day = datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
            return PartialDate(day.year, day.month, day.day)
    return None


def _lang(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if code.isalpha() else None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(html_to_text(value).split()) or None


def _one_line(value: object) -> str:
    return " ".join(str(value).split())[:160]
