"""Speed of the web inputs: page extraction, fetching over loopback, feeds, per-country builds.

Usage: python benchmarks/web_inputs.py [--pages N]

Prints pages/s for trafilatura extraction of the test pages (tests/fixtures/web),
pages/s for fetching them from a loopback server (no politeness delay) and from
the store's URL cache, the seconds a feed of N items takes to read, and the
seconds a per-country build from the tiny fixture base takes. Nothing leaves
the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from loopback import Loopback, Route  # noqa: E402

from gazetteer.download import build_countries  # noqa: E402
from geomap.documents import read_documents  # noqa: E402
from geomap.read.fetch import Fetcher, FetchOptions  # noqa: E402
from geomap.read.html import extract_page  # noqa: E402
from geomap.store import STORE_NAME, UrlCache  # noqa: E402

WEB = ROOT / "tests" / "fixtures" / "web"
COUNTRY = ROOT / "tests" / "fixtures" / "geonames-country"
DUMP = ROOT / "tests" / "fixtures" / "geonames"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    n = parser.parse_args().pages
    pages = [(WEB / "fr_article.html").read_bytes(), (WEB / "en_article.html").read_bytes()]

    t = time.perf_counter()
    for i in range(n):
        extract_page(pages[i % 2], name="bench")
    dt = time.perf_counter() - t
    print(f"extract      {n} pages in {dt:.2f} s: {n / dt:.0f} pages/s")

    server = Loopback()
    server.thread.start()
    try:
        for i in range(n):
            server.routes[f"/p{i}"] = Route(pages[i % 2])
        urls = [server.url(f"/p{i}") for i in range(n)]
        opts = FetchOptions(delay=0)
        with tempfile.TemporaryDirectory() as tmp:
            for label in ("fetch", "from cache"):
                with UrlCache(Path(tmp) / STORE_NAME) as cache, \
                        Fetcher(opts, cache=cache) as fetcher:
                    t = time.perf_counter()
                    docs = list(read_documents(urls, fetcher=fetcher))
                    dt = time.perf_counter() - t
                print(f"{label:<12} {len(docs)} pages in {dt:.2f} s: {len(docs) / dt:.0f} pages/s "
                      "(fetch + extract)")
        items = "".join(f"<item><title>t{i}</title><link>{server.url(f'/p{i}')}</link>"
                        "<pubDate>Mon, 10 Mar 2025 08:00:00 GMT</pubDate></item>"
                        for i in range(n))
        server.routes["/feed"] = Route(f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                       f"<title>b</title>{items}</channel></rss>".encode(),
                                       content_type="application/rss+xml")
        with Fetcher(opts) as fetcher:
            t = time.perf_counter()
            docs = list(read_documents([server.url("/feed")], fetcher=fetcher))
            dt = time.perf_counter() - t
        print(f"feed         {len(docs)} items in {dt:.2f} s")

        with tempfile.TemporaryDirectory() as tmp:
            mirror = Path(tmp) / "mirror"
            (mirror / "alternatenames").mkdir(parents=True)
            for rel in ("UA", "alternatenames/UA"):
                with zipfile.ZipFile(mirror / f"{rel}.zip", "w") as zf:
                    zf.write(COUNTRY / f"{rel}.txt", "UA.txt")
                server.routes[f"/dump/{rel}.zip"] = Route((mirror / f"{rel}.zip").read_bytes(),
                                                          content_type="application/zip")
            t = time.perf_counter()
            build_countries("UA", Path(tmp) / "g.sqlite", mirror=server.url("/dump/"),
                            geonames=DUMP)
            print(f"countries    UA from loopback on the tiny base in "
                  f"{time.perf_counter() - t:.2f} s")
    finally:
        server.close()


if __name__ == "__main__":
    main()
