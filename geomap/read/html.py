"""Web pages: the article's main text and metadata, extracted with trafilatura.

Menus, sidebars, "most read" lists, comments and footers are left out; what
remains is the article body with its title, publication date, canonical URL
and language, as the page declares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InvalidDate, NoArticleText
from ..records import PartialDate

__all__ = ["HTML_SUFFIXES", "Page", "extract_page", "looks_like_html"]

#: Suffixes read as saved web pages.
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")

# Dates from the page's own metadata (meta tags, JSON-LD, <time>, the URL), never guessed
# from the running text: a page without a date leaves the date to the feed or the user.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_MIN_SENTENCE_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?…»\"”)]\s*$")
_LANG_META = (
    "//html/@lang", "//html/@xml:lang",
    "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
    "='content-language']/@content",
    "//meta[@property='og:locale']/@content",
)


@dataclass(frozen=True, slots=True)
class Page:
    """What a web page holds: the article text and the metadata it declares.

    ``date`` is the publication date, ``url`` the canonical URL (else the
    address it was fetched from), ``lang`` the declared language code
    (``"fr"`` from ``fr-FR``), each ``None`` when the page does not say.
    """

    text: str
    title: str | None = None
    date: PartialDate | None = None
    url: str | None = None
    lang: str | None = None


def looks_like_html(data: bytes) -> bool:
    """True when ``data`` starts like an HTML document.

    >>> looks_like_html(b"<!DOCTYPE html><html><body>x</body></html>")
    True
    >>> looks_like_html(b"%PDF-1.7")
    False
    """
    return bool(_HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")))


def extract_page(data: bytes | str, *, name: str, url: str | None = None) -> Page:
    """Extract the article of a web page.

    Parameters
    ----------
    data : bytes or str
        The page's HTML (bytes are decoded by their declared or detected charset).
    name : str
        The file or URL, for messages.
    url : str, optional
        Where the page was fetched from; kept when the page declares no canonical URL.

    Returns
    -------
    Page

    Raises
    ------
    NoArticleText
        When the page holds no article text (an index page, a page of links).

    Examples
    --------
    >>> html = ('<html lang="en"><head><title>Shelling in Kharkiv | The Daily</title>'
    ...         '<meta property="article:published_time" content="2025-03-14"></head>'
    ...         '<body><nav><a href="/">Home</a> <a href="/w">World</a></nav><article>'
    ...         '<h1>Shelling in Kharkiv</h1><p>Russian artillery shelled Kharkiv on Monday, '
    ...         'the regional governor said, and two people were wounded in the attack.</p>'
    ...         '</article></body></html>')
    >>> page = extract_page(html, name="page.html")
    >>> page.title, str(page.date), page.lang
    ('Shelling in Kharkiv', '2025-03-14', 'en')
    >>> "Home" in page.text, "shelled Kharkiv on Monday" in page.text
    (False, True)
    """
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        raise NoArticleText(f"{name} is not an HTML page that can be parsed; "
                            "save the article's page as HTML")
    lang = _declared_lang(tree)
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, date_extraction_params=_DATE_PARAMS,
    )
    text = _paragraphs(getattr(doc, "text", None) or "") if doc is not None else ""
    if not _has_prose(text):
        raise NoArticleText(
            f"{name} holds no article text (only menus, links or scripts); "
            "give the page of the article itself")
    title = (getattr(doc, "title", None) or "").strip() or None
    date = _page_date(getattr(doc, "date", None))
    canonical = (getattr(doc, "url", None) or "").strip() or None
    return Page(text=text, title=title, date=date, url=canonical or url, lang=lang)


def _has_prose(text: str) -> bool:
    """Some paragraph reads as a sentence: menus and link lists are short and unpunctuated."""
    return any(len(p.split()) >= _MIN_SENTENCE_WORDS and _SENTENCE_END.search(p)
               for p in text.split("\n\n"))


def _paragraphs(text: str) -> str:
    """One blank line between paragraphs, so no sentence runs across two of them."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


def _page_date(value: object) -> PartialDate | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return PartialDate.parse(value.strip()[:10])
    except InvalidDate:
        return None  # a page's malformed date is no date, not a bad input


def _declared_lang(tree: object) -> str | None:
    for path in _LANG_META:
        try:
            found = tree.xpath(path)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - lxml raises its own XPath errors on odd pages
            continue
        for value in found:
            code = re.split(r"[-_]", str(value).strip().lower(), maxsplit=1)[0]
            if code.isalpha() and 2 <= len(code) <= 3:
                return code
    return None
