"""RSS/Atom feeds (files or URLs) with feedparser: one document per item, broken items reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import Loopback, Route, serve

from geomap.documents import read_documents
from geomap.errors import FeedError
from geomap.read.feeds import parse_feed
from geomap.read.fetch import Fetcher, FetchOptions
from geomap.records import Document

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
FAST = FetchOptions(delay=0, backoff=0, retries=0, timeout=5)


def en_page_without_date() -> bytes:
    html = (WEB / "en_article.html").read_text(encoding="utf-8")
    return html.replace('<meta property="article:published_time" '
                        'content="2025-04-09T07:15:00Z">', "").replace(
        "2025-04-09", "").encode("utf-8")


@pytest.fixture()
def site() -> Iterator[Loopback]:
    for server in serve():
        feed = (WEB / "feed.xml").read_text(encoding="utf-8").replace("{root}", server.root)
        server.routes["/feed.xml"] = Route(feed.encode("utf-8"),
                                           content_type="application/rss+xml")
        server.routes["/monde/kharkiv"] = Route((WEB / "fr_article.html").read_bytes())
        server.routes["/world/odesa"] = Route(en_page_without_date())
        yield server


def read_feed(inputs: list[str | Path]) -> tuple[list[Document], dict[str, str]]:
    skipped: list[tuple[str, str]] = []
    with Fetcher(FAST) as f:
        docs = list(read_documents(inputs, on_error="skip", skipped=skipped, fetcher=f))
    return docs, dict(skipped)


def check_items(site: Loopback, docs: list[Document], skipped: dict[str, str],
                feed_name: str) -> None:
    root = site.root
    assert [d.id for d in docs] == [f"{root}/monde/kharkiv", f"{root}/world/odesa",
                                    f"{root}/never-fetched/dakar"]
    kharkiv, odesa, dakar = docs
    # The page's own metadata wins; the item's fills what the page lacks.
    assert str(kharkiv.date) == "2025-03-12" and kharkiv.lang == "fr"
    assert kharkiv.url == "https://courrier.example/monde/2025/03/kharkiv-bombardee"
    assert "Les plus lus" not in kharkiv.text
    assert str(odesa.date) == "2025-04-09" and odesa.title == "Drone strike on Odesa kills two"
    # An item holding its full text is used as it is: its link is not fetched.
    assert dakar.title == "Protest in Dakar" and str(dakar.date) == "2025-03-16"
    assert dakar.text.startswith("Thousands of protesters marched through the centre of Dakar")
    assert dakar.url == f"{root}/never-fetched/dakar" and dakar.lang == "en"
    assert "/never-fetched/dakar" not in site.paths()
    # Each broken item gets its line.
    assert set(skipped) == {f"{feed_name} item 4", f"{feed_name} item 5",
                            f"{root}/removed-story"}
    assert "('A story without a link') has no link and no text" in skipped[f"{feed_name} item 4"]
    assert "'ftp://archive.example/story.txt', not an http(s) URL" in \
        skipped[f"{feed_name} item 5"]
    assert "removed-story: HTTP 404" in skipped[f"{root}/removed-story"]


def test_feed_url(site: Loopback) -> None:
    url = site.url("/feed.xml")
    docs, skipped = read_feed([url])
    check_items(site, docs, skipped, url)


def test_feed_file(site: Loopback, tmp_path: Path) -> None:
    path = tmp_path / "world.rss"
    path.write_bytes(site.routes["/feed.xml"].body)
    docs, skipped = read_feed([path])
    check_items(site, docs, skipped, str(path))
    assert "/feed.xml" not in site.paths()


def test_atom_feed_with_relative_links(site: Loopback) -> None:
    site.routes["/atom"] = Route(b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Monde</title>
<id>urn:x</id><updated>2025-03-12T10:00:00Z</updated>
<entry><title>Kharkiv</title><id>urn:1</id><link href="/monde/kharkiv"/>
<updated>2025-03-12T10:00:00Z</updated></entry></feed>""", content_type="application/atom+xml")
    docs, skipped = read_feed([site.url("/atom")])
    assert [d.id for d in docs] == [site.url("/monde/kharkiv")] and not skipped


def test_not_a_feed_and_malformed_feed(tmp_path: Path) -> None:
    bad = tmp_path / "notes.xml"
    bad.write_text("just some words, no markup at all", encoding="utf-8")
    with pytest.raises(FeedError, match=r"notes.xml is not an RSS or Atom feed"):
        list(read_documents([bad]))
    broken = tmp_path / "broken.rss"
    broken.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        "<item><title>One</title><description><![CDATA[" + "Kyiv was shelled on Monday. " * 40
        + "]]></description></item><item><title>Two & three</title></channel>",
        encoding="utf-8")
    skipped: list[tuple[str, str]] = []
    docs = list(read_documents([broken], on_error="skip", skipped=skipped))
    assert [d.id for d in docs] == ["broken#1"] and docs[0].text.startswith("Kyiv was shelled")
    assert any("is not well-formed XML" in reason for _, reason in skipped)


def test_parse_feed_items() -> None:
    feed = parse_feed(site_feed := (WEB / "feed.xml").read_bytes().replace(
        b"{root}", b"https://news.example"), name="f")
    assert site_feed and feed.title == "World desk" and feed.lang == "en"
    assert [i.index for i in feed.items] == [1, 2, 3, 6]
    assert feed.items[2].text is not None and feed.items[0].text is None
    assert feed.items[0].summary == "Trois civils blessés."
