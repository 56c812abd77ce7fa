"""End to end with the real models: saved pages, a feed URL and --urls on loopback, and an
event placed at a village that only a per-country GeoNames build holds."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gazetteer_fixtures import FIXTURE_DUMP
from loopback import Loopback, Route, serve

from gazetteer import build_geonames
from gazetteer.download import build_countries
from geomap.cli import main

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
COUNTRY = Path(__file__).resolve().parent / "fixtures" / "geonames-country"
MENU_TOWNS = {"Lyon", "Marseille", "Bordeaux", "Toulouse", "Nantes", "Strasbourg", "Grenoble",
              "Paris", "Bristol", "Manchester", "Leeds", "Glasgow", "Liverpool", "Cardiff",
              "Sheffield"}


def features(out: Path) -> list[dict[str, Any]]:
    data = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    return [f["properties"] | {"lonlat": f["geometry"]["coordinates"] if f["geometry"] else None}
            for f in data["features"]]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["run", *args, "--tiles", "none"])
    return code, capsys.readouterr().err


@pytest.fixture()
def site() -> Iterator[Loopback]:
    for server in serve():
        feed = (WEB / "feed.xml").read_text(encoding="utf-8").replace("{root}", server.root)
        server.routes["/feed.xml"] = Route(feed.encode(), content_type="application/rss+xml")
        server.routes["/monde/kharkiv"] = Route((WEB / "fr_article.html").read_bytes())
        server.routes["/world/odesa"] = Route((WEB / "en_article.html").read_bytes())
        server.routes["/slow"] = Route((WEB / "en_article.html").read_bytes(), delay=2)
        server.routes["/photo.jpg"] = Route(b"\xff\xd8\xff\xe0" + bytes(500),
                                            content_type="image/jpeg")
        yield server


def test_saved_page_gives_its_article_events(tmp_path: Path, default_gazetteer_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["--gazetteer", str(default_gazetteer_path), "run", str(WEB / "fr_article.html"),
                 str(WEB / "en_article.html"), "-o", str(out), "--tiles", "none"])
    err = capsys.readouterr().err
    assert code == 0, err
    feats = features(out)
    strike = [f for f in feats if f["place"] == "Kharkiv" and f["event_type"] == "remote_violence"]
    assert strike, feats
    assert strike[0]["date_start"] == "2025-03-10"  # "lundi" before the page's 2025-03-12
    assert strike[0]["title"] == "Kharkiv bombardée, trois civils blessés"
    assert strike[0]["url"] == "https://courrier.example/monde/2025/03/kharkiv-bombardee"
    odesa = [f for f in feats if f["place"] == "Odesa" and f["event_type"] == "remote_violence"
             and f["date_start"] == "2025-04-07"]  # "on Monday" before 2025-04-09
    assert odesa and odesa[0]["title"] == "Drone strike on Odesa kills two"
    assert not {f["place"] for f in feats} & MENU_TOWNS


def test_feed_url_gives_each_article_and_reports_broken_items(
        site: Loopback, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    args = [site.url("/feed.xml"), "-o", str(out), "--fetch-delay", "0"]
    code, err = run(args, capsys)
    assert code == 0, err
    feats = features(out)
    places = {(f["place"], f["doc_id"]) for f in feats}
    assert ("Kharkiv", site.url("/monde/kharkiv")) in places
    assert ("Odesa", site.url("/world/odesa")) in places
    assert ("Dakar", site.url("/never-fetched/dakar")) in places  # the item's own full text
    assert not {f["place"] for f in feats} & MENU_TOWNS
    lines = err.splitlines()
    feed = site.url("/feed.xml")
    assert any(ln.startswith(f"skipped {feed} item 4: ") and "no link and no text" in ln
               for ln in lines), err
    assert any(ln.startswith(f"skipped {feed} item 5: ") and "ftp://" in ln for ln in lines)
    assert any(ln.startswith(f"skipped {site.url('/removed-story')}: ") and "HTTP 404" in ln
               for ln in lines)
    # A rerun takes the pages from the store: only robots.txt and the feed are asked again.
    first = len(site.requests)
    code, err = run(args, capsys)
    assert code == 0, err
    assert sorted(site.paths()[first:]) == ["/feed.xml", "/removed-story", "/robots.txt"]
    assert len(features(out)) == len(feats)


def test_urls_file_bad_inputs_each_get_their_line(site: Loopback, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "page.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body>"
                                        "</html>", encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(["# links", site.url("/gone"), site.url("/slow"),
                               site.url("/photo.jpg"), site.url("/world/odesa")]) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    code, err = run(["--urls", str(urls), str(tmp_path / "page.html"), "-o", str(out),
                     "--fetch-delay", "0", "--fetch-timeout", "0.5"], capsys)
    assert code == 0, err
    assert {f["place"] for f in features(out)} >= {"Odesa"}
    expected = {site.url("/gone"): "HTTP 404", site.url("/slow"): "timed out",
                site.url("/photo.jpg"): "image/jpeg, not a web page",
                str(tmp_path / "page.html"): "holds no article text"}
    for name, reason in expected.items():
        hits = [ln for ln in err.splitlines() if ln.startswith(f"skipped {name}: ")]
        assert len(hits) == 1 and reason in hits[0], err


def test_robots_and_ignore_robots(site: Loopback, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /world/\n",
                                       content_type="text/plain")
    out = tmp_path / "out"
    code, err = run([site.url("/world/odesa"), "-o", str(out), "--fetch-delay", "0"], capsys)
    assert code == 1 and "robots.txt of 127.0.0.1" in err and "/world/odesa" not in site.paths()
    code, err = run([site.url("/world/odesa"), "-o", str(out), "--fetch-delay", "0",
                     "--ignore-robots"], capsys)
    assert code == 0, err
    assert "Odesa" in {f["place"] for f in features(out)}


@pytest.fixture(scope="module")
def mirror_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mirror")
    (root / "alternatenames").mkdir()
    for rel in ("UA", "alternatenames/UA"):
        with zipfile.ZipFile(root / f"{rel}.zip", "w") as zf:
            zf.write(COUNTRY / f"{rel}.txt", "UA.txt")
    return root


def test_event_at_a_village_from_a_country_build(mirror_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for server in serve():
        for rel in ("UA.zip", "alternatenames/UA.zip"):
            server.routes[f"/dump/{rel}"] = Route((mirror_dir / rel).read_bytes(),
                                                  content_type="application/zip")
        with_ua = build_countries("UA", tmp_path / "ua.sqlite", mirror=server.url("/dump/"),
                                  geonames=FIXTURE_DUMP)
    base = build_geonames(FIXTURE_DUMP, tmp_path / "base.sqlite")
    story = tmp_path / "robotyne.txt"
    story.write_text("date 2025-06-11\n\nRussian artillery shelled the village of Robotyne "
                     "on Monday, the Ukrainian military said.\n", encoding="utf-8")
    results = {}
    for name, gaz in (("base", base), ("with_ua", with_ua)):
        out = tmp_path / name
        code = main(["--gazetteer", str(gaz), "run", str(story), "-o", str(out),
                     "--tiles", "none"])
        assert code == 0, capsys.readouterr().err
        results[name] = features(out)
    assert not any(f["place"] == "Robotyne" for f in results["base"])
    at_village = [f for f in results["with_ua"] if f["place"] == "Robotyne"]
    assert at_village, results["with_ua"]
    assert at_village[0]["lonlat"] == [35.83556, 47.44778]
    assert at_village[0]["event_type"] == "remote_violence"
    assert at_village[0]["date_start"] == "2025-06-09"
