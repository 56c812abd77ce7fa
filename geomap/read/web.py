"""Web inputs as documents: saved pages, fetched URLs and the items of RSS/Atom feeds."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from ..errors import EmptyInput, FeedError, GeomapError, NotHTML
from ..records import Document, PartialDate
from .feeds import parse_feed
from .fetch import Fetcher, is_url, resource_kind
from .html import extract_page, looks_like_html
from .language import SUPPORTED_LANGS
from .paths import stem
from .policy import ReadPolicy
from .text import BINARY_SNIFF, BOM, sniff_binary, text_document

__all__ = ["WebReader"]


class WebReader:
    """Pages, URLs and feeds of one run, finished and reported through ``policy``.

    Parameters
    ----------
    policy : ReadPolicy
        The run's error policy and ids.
    fetcher : Fetcher, optional
        Fetches URLs; without one, a default :class:`~geomap.read.fetch.Fetcher`
        is made when first needed and closed by :meth:`close`.
    """

    def __init__(self, policy: ReadPolicy, fetcher: Fetcher | None = None) -> None:
        self.policy = policy
        self.fetcher = fetcher
        self.own_fetcher: Fetcher | None = None

    def close(self) -> None:
        """Close the fetcher this reader made (one it was given stays open)."""
        if self.own_fetcher is not None:
            self.own_fetcher.close()

    def web(self) -> Fetcher:
        """The fetcher, made on first use."""
        if self.fetcher is None:
            self.own_fetcher = self.fetcher = Fetcher()
        return self.fetcher

    def page_document(self, name: str, doc_id: str, data: bytes, source: str, *,
                      url: str | None = None, date: PartialDate | None = None,
                      title: str | None = None, lang: str | None = None) -> Document:
        """A page's article; ``date``, ``title`` and ``lang`` fill what the page does not say."""
        if data.startswith(BOM):
            data = data[len(BOM):]
        if not data.strip():
            raise EmptyInput(f"{name} is empty; give a saved web page")
        if b"\x00" in data[:BINARY_SNIFF] or not looks_like_html(data) and not _has_markup(data):
            sniff_binary(name, data)
        page = extract_page(data, name=name, url=url)
        page_lang = page.lang if page.lang in SUPPORTED_LANGS else None
        feed_lang = lang if lang in SUPPORTED_LANGS else None
        doc = Document(doc_id, page.text, lang=page_lang or feed_lang, date=page.date or date,
                       title=page.title or title, url=page.url or url, source=source)
        return self.policy.finish(doc, name)

    def read_url(self, url: str) -> Iterator[Document]:
        """The documents of a URL: a page's article, a feed's items or plain text."""
        got = self.web().fetch(url)
        kind = resource_kind(got.content_type, got.body)
        if kind == "feed":
            yield from self.feed_documents(url, got.body, got.final_url)
        elif kind == "html":
            yield self.page_document(url, url, got.body, url, url=got.final_url)
        elif kind == "text":
            doc = self.policy.finish(text_document(url, url, got.body, url), url)
            yield doc if doc.url else dataclasses.replace(doc, url=got.final_url)
        else:
            media = got.content_type.split(";", 1)[0].strip() or "of an unknown type"
            raise NotHTML(f"{url} is {media}, not a web page, a feed or text; "
                          "save its text as a .txt file and give that")

    def feed_documents(self, name: str, data: bytes, base_url: str | None) -> Iterator[Document]:
        """One document per feed item: its full text, else its linked page fetched."""
        policy = self.policy
        feed = parse_feed(data, name=name, base_url=base_url)
        for where, reason in feed.problems:
            policy.skip(where, FeedError(reason))
        short = stem(Path(name)) if not is_url(name) else name
        for item in feed.items:
            where = f"{name} item {item.index}"
            label = item.link or where
            try:
                if item.text is not None or item.link is None:
                    text = item.text or item.summary or ""
                    if not text.strip():
                        raise EmptyInput(f"{where} has no text; it is skipped")
                    doc = Document(item.link or f"{short}#{item.index}", text,
                                   lang=feed.lang if feed.lang in SUPPORTED_LANGS else None,
                                   date=item.date, title=item.title, url=item.link,
                                   source=where)
                    yield policy.finish(doc, where)
                    continue
                got = self.web().fetch(item.link)
                kind = resource_kind(got.content_type, got.body)
                if kind != "html":
                    media = got.content_type.split(";", 1)[0].strip() or "of an unknown type"
                    raise NotHTML(f"{item.link} (from {where}) is {media}, not a web page; "
                                  "it is skipped")
                yield self.page_document(item.link, item.link, got.body, where,
                                         url=got.final_url, date=item.date, title=item.title,
                                         lang=feed.lang)
            except GeomapError as err:
                policy.skip(label, err)


def _has_markup(data: bytes) -> bool:
    """A page fragment saved without ``<html>``: some tags in its first bytes."""
    return data[:BINARY_SNIFF].count(b"<") >= 2 and b"\x00" not in data[:BINARY_SNIFF]
