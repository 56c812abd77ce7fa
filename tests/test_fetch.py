"""geomap.read.fetch: polite fetching against a real HTTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import Loopback, Route, closed_port_url, serve

from geomap.documents import read_documents
from geomap.errors import FetchError, InputError, NoArticleText, NotHTML
from geomap.read.fetch import Fetcher, FetchOptions, is_url, read_url_list, resource_kind
from geomap.store import STORE_NAME, UrlCache

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
FAST = FetchOptions(delay=0, backoff=0, timeout=5, retries=1)
MENU_ONLY = (b"<html><body><nav><a href='/a'>Accueil</a> <a href='/b'>Monde</a></nav>"
             b"<ul><li><a href='/c'>Lyon</a></li></ul></body></html>")


@pytest.fixture()
def loopback() -> Iterator[Loopback]:
    yield from serve()


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def page(name: str) -> bytes:
    return (WEB / name).read_bytes()


def test_fetch_page_with_user_agent_and_robots(loopback: Loopback) -> None:
    loopback.routes["/monde/kharkiv"] = Route(page("fr_article.html"))
    with Fetcher(FAST) as f:
        got = f.fetch(loopback.url("/monde/kharkiv"))
    assert b"Les forces russes ont bombard" in got.body
    assert got.final_url == loopback.url("/monde/kharkiv") and not got.from_cache
    assert loopback.paths() == ["/robots.txt", "/monde/kharkiv"]  # robots.txt first
    agent = loopback.requests[-1][2]["User-Agent"]
    assert agent.startswith("geomap/") and "robots.txt" in agent


def test_store_cache_means_no_second_fetch(loopback: Loopback, tmp_path: Path) -> None:
    loopback.routes["/a"] = Route(page("en_article.html"))
    url = loopback.url("/a")
    with UrlCache(tmp_path / STORE_NAME) as cache, Fetcher(FAST, cache=cache) as f:
        first = f.fetch(url)
    with UrlCache(tmp_path / STORE_NAME) as cache, Fetcher(FAST, cache=cache) as f:
        second = f.fetch(url)
        assert len(cache) == 1
    assert second.from_cache and second.body == first.body
    assert loopback.paths().count("/a") == 1


def test_feeds_are_not_cached(loopback: Loopback, tmp_path: Path) -> None:
    loopback.routes["/feed"] = Route(b'<?xml version="1.0"?><rss version="2.0"><channel>'
                                     b"</channel></rss>", content_type="application/rss+xml")
    with UrlCache(tmp_path / STORE_NAME) as cache, Fetcher(FAST, cache=cache) as f:
        f.fetch(loopback.url("/feed"))
        assert len(cache) == 0


def test_404_names_url_and_status(loopback: Loopback) -> None:
    with Fetcher(FAST) as f, pytest.raises(FetchError, match=r"/gone: HTTP 404 Not Found"):
        f.fetch(loopback.url("/gone"))


def test_timeout_is_retried_then_reported(loopback: Loopback) -> None:
    loopback.routes["/slow"] = Route(page("en_article.html"), delay=1.5)
    opts = FetchOptions(delay=0, backoff=0, timeout=0.3, retries=1, robots=False)
    with Fetcher(opts) as f, pytest.raises(FetchError, match=r"/slow: timed out after 0.3 s "
                                                              r"\(2 attempts\)"):
        f.fetch(loopback.url("/slow"))
    assert loopback.paths() == ["/slow", "/slow"]


def test_busy_server_is_retried_with_backoff(loopback: Loopback) -> None:
    loopback.routes["/busy"] = Route(page("en_article.html"), fail_times=2)
    waits: list[float] = []
    opts = FetchOptions(delay=0, backoff=0.5, retries=2, robots=False)
    with Fetcher(opts, sleep=waits.append) as f:
        got = f.fetch(loopback.url("/busy"))
    assert b"Odesa" in got.body
    assert waits == [0.5, 1.0]  # exponential backoff
    assert loopback.paths() == ["/busy"] * 3


def test_politeness_delay_per_host(loopback: Loopback) -> None:
    loopback.routes["/a"] = Route(b"<html><body><p>a</p></body></html>")
    loopback.routes["/b"] = Route(b"<html><body><p>b</p></body></html>")
    now = [100.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    opts = FetchOptions(delay=5, robots=False)
    with Fetcher(opts, sleep=sleep, clock=lambda: now[0]) as f:
        f.fetch(loopback.url("/a"))
        f.fetch(loopback.url("/b"))  # same host: waits its turn
        f.fetch(loopback.url("/a").replace("127.0.0.1", "localhost"))  # another host: no wait
    assert waits == [5.0]


def test_size_limit(loopback: Loopback) -> None:
    loopback.routes["/big"] = Route(b"<html><body>" + b"<p>word</p>" * 2000 + b"</body></html>")
    opts = FetchOptions(delay=0, robots=False, max_bytes=4096)
    with Fetcher(opts) as f, pytest.raises(FetchError, match=r"/big: the resource is larger "
                                                             r"than the 0.0 MiB limit"):
        f.fetch(loopback.url("/big"))


def test_redirects_are_followed(loopback: Loopback) -> None:
    loopback.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    loopback.routes["/new"] = Route(page("en_article.html"))
    with Fetcher(FAST) as f:
        got = f.fetch(loopback.url("/old"))
    assert got.final_url == loopback.url("/new") and b"Odesa" in got.body


def test_robots_txt_honoured_unless_switched_off(loopback: Loopback) -> None:
    loopback.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n",
                                           content_type="text/plain")
    loopback.routes["/private/a"] = Route(page("en_article.html"))
    with Fetcher(FAST) as f, pytest.raises(FetchError, match=r"/private/a: robots.txt of "
                                                             r"127.0.0.1:\d+ disallows it"):
        f.fetch(loopback.url("/private/a"))
    assert "/private/a" not in loopback.paths()
    with Fetcher(FetchOptions(delay=0, robots=False)) as f:
        assert b"Odesa" in f.fetch(loopback.url("/private/a")).body
    assert loopback.paths().count("/robots.txt") == 1  # not asked when switched off


@pytest.mark.parametrize(("ctype", "body", "what"), [
    ("image/png", PNG, "image/png"),
    ("application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
])
def test_not_html_resources(loopback: Loopback, ctype: str, body: bytes, what: str) -> None:
    loopback.routes["/file"] = Route(body, content_type=ctype)
    with Fetcher(FAST) as f, pytest.raises(NotHTML, match=rf"/file is {what}, not a web page"):
        f.fetch(loopback.url("/file"))


def test_no_network_is_one_line() -> None:
    url = closed_port_url() + "/a"
    with Fetcher(FAST) as f, pytest.raises(FetchError, match=r"cannot reach 127.0.0.1:\d+ "
                                                             r"\(.*cannot connect"):
        f.fetch(url)
    with Fetcher(FetchOptions(delay=0, backoff=0, robots=False, retries=0)) as f, \
            pytest.raises(FetchError, match=r"/a: cannot connect"):
        f.fetch(url)


def test_resource_kind_and_is_url() -> None:
    assert resource_kind("", b"<!DOCTYPE html><html>") == "html"
    assert resource_kind("text/xml", b"<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert resource_kind("text/plain; charset=utf-8", b"date 2025-04\nKyiv.") == "text"
    assert resource_kind("image/jpeg", b"\xff\xd8\xff") is None
    assert is_url("HTTPS://example.org") and not is_url("ftp://example.org")
    assert not is_url("https://example.org/a b")


def test_read_url_list(tmp_path: Path) -> None:
    good = tmp_path / "urls.txt"
    good.write_text("# my list\nhttps://a.example/1\n\n  http://b.example/2  \n", encoding="utf-8")
    assert read_url_list(good) == ["https://a.example/1", "http://b.example/2"]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://a.example/1\nnot a url\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt line 2: 'not a url' is not an http"):
        read_url_list(bad)


def test_reader_reports_each_bad_url_and_goes_on(loopback: Loopback) -> None:
    loopback.routes["/ok"] = Route(page("en_article.html"))
    loopback.routes["/slow"] = Route(page("en_article.html"), delay=1.5)
    loopback.routes["/photo.png"] = Route(PNG, content_type="image/png")
    loopback.routes["/report.pdf"] = Route(b"%PDF-1.7", content_type="application/pdf")
    loopback.routes["/menu"] = Route(MENU_ONLY)
    urls = {k: loopback.url(k) for k in ("/gone", "/slow", "/photo.png", "/report.pdf",
                                         "/menu", "/ok")}
    skipped: list[tuple[str, str]] = []
    opts = FetchOptions(delay=0, backoff=0, timeout=0.3, retries=0)
    with Fetcher(opts) as f:
        docs = list(read_documents(list(urls.values()), on_error="skip", skipped=skipped,
                                   fetcher=f))
    assert [d.id for d in docs] == [urls["/ok"]]
    doc = docs[0]
    assert doc.title == "Drone strike on Odesa kills two" and str(doc.date) == "2025-04-09"
    assert doc.url == "https://wire.example/world/odesa-drone-strike" and doc.lang == "en"
    reasons = dict(skipped)
    assert set(reasons) == {urls[k] for k in ("/gone", "/slow", "/photo.png", "/report.pdf",
                                              "/menu")}
    assert "HTTP 404" in reasons[urls["/gone"]]
    assert "timed out" in reasons[urls["/slow"]]
    assert "image/png, not a web page" in reasons[urls["/photo.png"]]
    assert "application/pdf, not a web page" in reasons[urls["/report.pdf"]]
    assert "holds no article text" in reasons[urls["/menu"]]
    for name, reason in skipped:
        assert name in reason and "\n" not in reason


def test_reader_raises_under_raise_policy(loopback: Loopback) -> None:
    loopback.routes["/menu"] = Route(MENU_ONLY)
    with Fetcher(FAST) as f, pytest.raises(NoArticleText, match="/menu holds no article text"):
        list(read_documents([loopback.url("/menu")], fetcher=f))


def test_url_cache_survives_and_clears(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    with UrlCache(path) as cache:
        cache.put("https://a.example/1", "https://a.example/one", "text/html", b"<p>1</p>")
        cache.put("https://a.example/2", "https://a.example/2", "text/html", b"<p>2</p>")
    with UrlCache(path) as cache:
        assert cache.get("https://a.example/1") == ("https://a.example/one", "text/html",
                                                    b"<p>1</p>")
        assert cache.get("https://a.example/3") is None
        assert cache.clear() == 2 and len(cache) == 0
