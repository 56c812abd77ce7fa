"""The map renderer: HTML contents and escaping, then the real thing in headless Chromium.

The browser tests need ``/usr/bin/chromium`` (``apt-get install -y chromium``); without it
they skip. The map's JS, CSS and fonts ship in the package, so the pages are opened with
every network request cut (tile requests, when a map has tiles, are recorded and cut).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geomap import render
from geomap.errors import UnknownOption
from geomap.records import DateResolution, Event, Place, Source
from geomap.render import TILES, render_map, save_map, shapes

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# --------------------------------------------------------------------------------------
# Events built by hand: 3 types at 4 places (a city, a capital, an oblast, a country)
# --------------------------------------------------------------------------------------

KURSK = Place(554234, "Kursk", 51.7373, 36.1874, "PPLA", "RU", confidence=0.9,
              reason="largest Kursk")
KYIV = Place(703448, "Kyiv", 50.4547, 30.5238, "PPLC", "UA")
OBLAST = Place(538555, "Kursk Oblast", 51.5, 36.0, "ADM1", "RU")
NORTH_KOREA = Place(1873107, "North Korea", 40.0, 127.0, "PCLI", "KP")
SRC = Source("afp-1", "Troops in Kursk", "https://example.org/news/1?a=1&b=2")
SRC2 = Source("blog-2", "A second source", "http://example.com/2")


def _day(iso: str) -> DateResolution:
    d = dt.date.fromisoformat(iso)
    return DateResolution(d, d, "day", "exact", "a weekday", "lundi")


def _month(year: int, month: int) -> DateResolution:
    end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return DateResolution(dt.date(year, month, 1), end, "month", "exact", "named month",
                          "juin 2024")


EVENTS = [
    Event("armed_clash", KURSK, _day("2024-08-06"),
          "Ukrainian troops clashed with Russian forces in Kursk on Monday.",
          trigger="clashed", actors=("Ukraine", "Russia"), geo_precision=1, confidence=0.85,
          reason="trigger and place in one clause", source=SRC),
    Event("armed_clash", KYIV, _day("2024-09-01"), "Fighting was reported near Kyiv.",
          trigger="Fighting", source=SRC2, confidence=0.6, reason="nearest mention"),
    Event("remote_violence", KYIV, _month(2024, 6), "Kyiv was shelled throughout June.",
          trigger="shelled", source=SRC, sources=(SRC, SRC2)),
    Event("remote_violence", KURSK, _day("2024-12-15"), "A drone struck Kursk overnight.",
          trigger="struck", source=SRC),
    Event("troop_deployment", OBLAST, _day("2025-04-26"),
          "North Korean troops were deployed in the Kursk region.", trigger="deployed",
          place_text="Kursk region", actors=("North Korea",), geo_precision=2, source=SRC),
    Event("troop_deployment", NORTH_KOREA, _day("2025-04-28"),
          "North Korea confirmed it sent troops.", trigger="sent", geo_precision=3,
          source=SRC),
]
TYPES = ["armed_clash", "remote_violence", "troop_deployment"]  # registry order


def _data(m: Any) -> dict[str, Any]:
    """The payload as the browser will read it, parsed back out of the rendered page."""
    page = m.get_root().render()
    match = re.search(r'<script type="application/json" id="([^"]+)_data">(.*?)</script>',
                      page, re.S)
    assert match, "payload script element missing"
    return json.loads(match.group(2))


def _expected_counts(lo: str, hi: str, types: list[str] | None = None) -> dict[str, int]:
    lo_d, hi_d = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
    counts = {t: 0 for t in TYPES}
    for e in EVENTS:
        assert e.date.start is not None and e.date.end is not None
        if e.date.start <= hi_d and e.date.end >= lo_d and (types is None or e.type in types):
            counts[e.type] += 1
    return counts


# --------------------------------------------------------------------------------------
# HTML and payload
# --------------------------------------------------------------------------------------


def test_public_names() -> None:
    assert render.__all__ == ["render_map", "save_map", "resolve_tiles", "TILES"]
    assert "none" in TILES and "OpenStreetMap" in TILES


def test_unknown_tiles_lists_options() -> None:
    with pytest.raises(UnknownOption) as err:
        render_map(EVENTS, tiles="Stamen Toner")
    message = str(err.value)
    assert "Stamen Toner" in message
    for option in TILES:
        assert option in message


def test_one_layer_per_present_type_with_colour_icon_label() -> None:
    data = _data(render_map(EVENTS))
    assert [t["key"] for t in data["types"]] == TYPES
    labels = {t["key"]: t["label"] for t in data["types"]}
    assert labels == {"armed_clash": "Armed clash", "remote_violence": "Remote violence",
                      "troop_deployment": "Troop deployment"}
    for t in data["types"]:
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", t["colour"])
        assert re.fullmatch(r"[a-z0-9-]+", t["icon"])


def test_font_awesome_4_icon_names_are_mapped() -> None:
    ev = Event("agreement", KYIV, _day("2024-01-01"), "They signed an agreement.")
    (t,) = _data(render_map([ev]))["types"]
    assert t["icon"] == "handshake"  # the taxonomy says handshake-o (FA4); folium ships FA6


def test_one_marker_per_place_with_counts() -> None:
    data = _data(render_map(EVENTS))
    places = data["places"]
    assert places["id"] == [KURSK.geonameid, KYIV.geonameid, OBLAST.geonameid,
                            NORTH_KOREA.geonameid]
    per_place = [data["events"]["p"].count(i) for i in range(4)]
    assert per_place == [2, 2, 1, 1]
    assert [data["levels"][lv] for lv in places["level"]] == ["point", "point", "admin1",
                                                              "country"]


def test_events_are_embedded_once_as_json() -> None:
    page = render_map(EVENTS).get_root().render()
    sentence = EVENTS[0].sentence
    assert page.count(sentence) == 1
    # no Python-side marker per event: folium's L.marker appears only in our own script
    assert page.count("L.marker(") == 1


def test_dates_precisions_sources_in_payload() -> None:
    data = _data(render_map(EVENTS))
    ev = data["events"]
    s = data["strings"]
    epoch = dt.date(1970, 1, 1)
    assert ev["s"][0] == (dt.date(2024, 8, 6) - epoch).days
    assert ev["e"][2] - ev["s"][2] == 29  # June
    assert data["granularities"][ev["g"][2]] == "month"
    assert ev["gp"][:5] == [1, 1, 1, 1, 2]
    assert ev["tp"][0] == 1 and ev["tp"][2] == 3
    assert ev["c"][1] == 0.6 and s[ev["r"][1]] == "nearest mention"
    assert [s[a] for a in ev["a"][0]] == ["Ukraine", "Russia"]
    assert len(ev["src"][2]) == 2
    doc, title, url, safe = data["sources"][ev["src"][0][0]]
    assert (s[doc], s[title], s[url], s[safe]) == (
        "afp-1", "Troops in Kursk", SRC.url, SRC.url)
    assert data["dmin"] == (dt.date(2024, 6, 1) - epoch).days
    assert data["dmax"] == (dt.date(2025, 4, 28) - epoch).days


def test_trigger_and_place_marks() -> None:
    data = _data(render_map(EVENTS))
    s, ev = data["strings"], data["events"]
    sentence = s[ev["x"][0]]
    k = ev["k"][0]
    spans = {k[i + 2]: sentence[k[i]:k[i + 1]] for i in range(0, len(k), 3)}
    assert spans == {0: "clashed", 1: "Kursk"}
    k4 = ev["k"][4]
    sentence4 = s[ev["x"][4]]
    assert sentence4[k4[3]:k4[4]] == "Kursk region"  # place_text wins over the place name


def test_marks_count_utf16_units() -> None:
    ev = Event("protest", KYIV, _day("2024-03-01"), "🔥🔥 People protested in Kyiv.",
               trigger="protested")
    data = _data(render_map([ev]))
    k = data["events"]["k"][0]
    text16 = data["strings"][data["events"]["x"][0]].encode("utf-16-le")
    assert text16[2 * k[0]:2 * k[1]].decode("utf-16-le") == "protested"
    assert text16[2 * k[3]:2 * k[4]].decode("utf-16-le") == "Kyiv"


def test_country_event_uses_supplied_shape_then_countryinfo() -> None:
    square = {"type": "Polygon", "coordinates": [[[125, 38], [130, 38], [130, 42], [125, 42],
                                                  [125, 38]]]}
    asked: list[str] = []

    def shapes(code: str) -> dict[str, Any] | None:
        asked.append(code)
        return square if code == "KP" else None

    data = _data(render_map(EVENTS, country_shapes=shapes))
    assert asked == ["KP"]
    assert data["shapes"] == {"3": square}
    # without a callable, countryinfo's shape of North Korea is used
    fallback = _data(render_map(EVENTS))["shapes"]["3"]
    assert fallback["type"] in ("Polygon", "MultiPolygon")
    assert fallback != square


def test_country_without_shape_stays_a_marker() -> None:
    nowhere = Place(1, "Atlantis", 0.0, -30.0, "PCLI", None)
    data = _data(render_map([Event("statement", nowhere, _day("2024-01-01"), "Atlantis spoke.")]))
    assert data["shapes"] == {}


def test_tiles_none_draws_an_outline_basemap() -> None:
    m = render_map(EVENTS, tiles="none")
    page = m.get_root().render()
    assert "tile.openstreetmap.org" not in page
    data = _data(m)
    assert len(data["outline"]["features"]) > 150
    assert any("Natural Earth" in a for a in data["attribution"])
    assert _data(render_map(EVENTS))["outline"] is None


def test_attribution_title_and_plugins() -> None:
    page = render_map(EVENTS, title="Kursk & <friends>").get_root().render()
    assert "Place data © GeoNames, CC BY 4.0" in page
    assert "<title>Kursk &amp; &lt;friends&gt;</title>" in page
    for asset in ("L.MarkerClusterGroup", "L.heatLayer", "Control.FullScreen",
                  "Control.MiniMap", "L.Control.Search", "L.control.layers",
                  "L.control.scale", "window.geomapDraw"):
        assert asset in page, asset


def test_empty_map_renders() -> None:
    data = _data(render_map([]))
    assert data["types"] == [] and data["dmin"] is None


def test_undated_events_are_kept_without_dates() -> None:
    undated = DateResolution(None, None, "day", "unresolved")
    data = _data(render_map([Event("threat", KYIV, undated, "They threatened Kyiv.")]))
    assert data["events"]["s"] == [None] and data["dmin"] is None


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)> "dq" \'sq\' </script><!--'


def _hostile_events() -> list[Event]:
    place = Place(99, f"Evil{HOSTILE}town", 48.0, 35.0, "PPL", "UA")
    src = Source("doc<1>", f"Title {HOSTILE}", "javascript:alert(1)")
    src2 = Source("doc2", "ok", " JaVaScRiPt:alert(document.domain)")
    src3 = Source("doc3", f"Safe link {HOSTILE}", 'https://example.org/?q="><script>alert(1)</script>')
    return [
        Event("riot", place, _day("2024-05-05"), f"Rioters {HOSTILE} burned Evil town.",
              trigger="burned", actors=(HOSTILE,), reason=HOSTILE, source=src,
              sources=(src, src2, src3), subtype=HOSTILE),
        Event("protest", KYIV, _day("2024-05-06"), f"Protest in Kyiv {HOSTILE}",
              trigger="Protest", source=src3),
    ]


def test_untrusted_text_cannot_leave_the_json() -> None:
    m = render_map(_hostile_events(), title=HOSTILE)
    page = m.get_root().render()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "onerror=alert(1)>" not in page
    match = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S)
    assert match
    body = match.group(1)
    assert "<" not in body and ">" not in body  # a superset of escaping "</"
    data = json.loads(body)
    assert HOSTILE in data["strings"]  # the text itself is intact, as data
    assert html.escape(HOSTILE) in page  # the <title>


def test_only_http_urls_become_links() -> None:
    data = _data(render_map(_hostile_events()))
    s = data["strings"]
    safe = {s[url]: s[ok] for _doc, _title, url, ok in data["sources"]}
    assert safe["javascript:alert(1)"] == ""
    assert safe[" JaVaScRiPt:alert(document.domain)"] == ""
    assert safe['https://example.org/?q="><script>alert(1)</script>'].startswith("https://")


def test_save_map_is_atomic_and_returns_the_path(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "map.html"
    out = save_map(render_map(EVENTS), target)
    assert out == target and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["map.html"]


def test_default_map_references_no_cdn() -> None:
    page = render_map(EVENTS).get_root().render()
    # no script, stylesheet, image or font is linked from anywhere
    assert not re.search(r'<(?:script|link|img)\b[^>]*\b(?:src|href)=', page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    for host in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com",
                 "netdna.bootstrapcdn.com", "unpkg.com"):
        assert host not in page, host
    # the one external address the page uses is the tile layer's
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page


def test_offline_implies_tiles_none_and_refuses_a_tile_server() -> None:
    page = render_map(EVENTS, offline=True).get_root().render()
    assert "tile.openstreetmap.org" not in page
    assert len(_data(render_map(EVENTS, offline=True))["outline"]["features"]) > 150
    with pytest.raises(UnknownOption) as err:
        render_map(EVENTS, offline=True, tiles="OpenStreetMap")
    assert "'OpenStreetMap'" in str(err.value) and "--tiles none" in str(err.value)


def test_document_text_is_never_read_as_a_template() -> None:
    ev = Event("protest", KYIV, _day("2024-03-01"), "They chanted {{ 7*7 }} and {% raw %}.",
               trigger="chanted")
    page = render_map([ev], title="{{ 6*7 }}").get_root().render()
    assert "{{ 7*7 }}" in page and "{% raw %}" in page
    assert "<title>{{ 6*7 }}</title>" in page


def test_vendored_font_is_inlined_as_a_data_uri(tmp_path: Path) -> None:
    out = save_map(render_map(EVENTS, offline=True), tmp_path / "offline.html")
    page = out.read_text(encoding="utf-8")
    assert not re.search(r'<(?:script|link|img)\b[^>]*\b(?:src|href)=', page)
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    # every url() in a stylesheet is a data URI (or an in-page #fragment)
    assert not re.search(r"url\((?!\s*['\"]?(?:data:|#))", styles)
    # Font Awesome's solid face is there, and its source is the embedded woff2
    face = re.search(r'@font-face\{font-family:"Font Awesome 6 Free";[^}]*font-weight:900;[^}]*\}',
                     styles)
    assert face, "Font Awesome 6 solid @font-face missing"
    assert re.search(r'src:url\("data:font/woff2;base64,[A-Za-z0-9+/]{1000}', face.group(0))
    assert "webfonts/" not in styles
    assert "L.markerClusterGroup" in page


def test_every_vendored_file_is_listed_with_its_licence() -> None:
    from importlib import resources

    vendor = resources.files("geomap").joinpath("static", "vendor")
    licences = vendor.joinpath("LICENCES.md").read_text(encoding="utf-8")
    for files in render.assets.VENDORED.values():
        for rel in files:
            package = rel.split("/", 1)[0]
            assert vendor.joinpath(*rel.split("/")).is_file(), rel
            assert f"`{package}`" in licences, package
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for package in {rel.split("/", 1)[0] for files in render.assets.VENDORED.values()
                    for rel in files}:
        assert package in readme, package


# --------------------------------------------------------------------------------------
# Real browser
# --------------------------------------------------------------------------------------

TILES_URL = re.compile(r"^https://([a-c]\.)?tile\.openstreetmap\.org/")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class MapPage:
    """A map opened in Chromium with every request but the file itself cut (and recorded)."""

    def __init__(self, browser: Any, path: Path, *,
                 viewport: tuple[int, int] = (1200, 800), fragment: str = "") -> None:
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.aborted: list[str] = []
        self.served: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._block)
        self.page.goto(path.resolve().as_uri() + fragment)
        self.page.wait_for_function(
            "document.documentElement.getAttribute('data-geomap-ready') === '1'", timeout=15000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _block(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.aborted.append(url)
            route.abort()

    def js(self, expr: str, arg: Any = None) -> Any:
        """Evaluate ``expr`` in the page. Prefix ``void`` to calls that return a Leaflet
        object (``map.setView`` returns the map): Playwright would copy its whole graph back."""
        return self.page.evaluate(expr, arg)

    def state(self) -> dict[str, Any]:
        return self.js("Object.values(window.geomapMaps)[0].state()")

    def legend_counts(self) -> dict[str, int]:
        rows = self.page.locator(".gm-legend .gm-row")
        return {rows.nth(i).get_attribute("data-type"): int(rows.nth(i).get_attribute("data-count"))
                for i in range(rows.count())}

    def drawn_event_total(self) -> int:
        """Events drawn as markers or clusters on screen (country shapes excluded)."""
        count = """() => {
          let n = 0;
          const seen = el => getComputedStyle(el.closest('.leaflet-marker-icon')).opacity > 0;
          document.querySelectorAll('.gm-pin b, .gm-cluster span').forEach(e => {
            if (seen(e)) n += +e.textContent;
          });
          return n;
        }"""
        last = None
        for _ in range(20):  # until cluster animations have settled
            self.page.wait_for_timeout(150)
            now = self.js(count)
            if now == last:
                return int(now)
            last = now
        raise AssertionError(f"marker counts never settled (last {last})")

    def set_handle(self, which: str, iso: str) -> None:
        """Move a date handle the way a drag does: the input's value, then its input event."""
        self.js("""([cls, iso]) => {
          const inp = document.querySelector('.gm-date input.' + cls);
          inp.value = Math.round(Date.parse(iso + 'T00:00:00Z') / 86400000);
          inp.dispatchEvent(new Event('input', {bubbles: true}));
        }""", [which, iso])
        self.settle()

    def toggle_layer(self, label: str) -> None:
        self.page.locator(".leaflet-control-layers-overlays label", has_text=label).locator(
            "input").click()
        self.settle()

    def settle(self) -> None:
        """Wait until the last filter change has been drawn."""
        self.page.wait_for_function("Object.values(window.geomapMaps)[0].settled",
                                    timeout=10000)

    def close(self) -> None:
        self.page.close()


@pytest.fixture()
def map_page(browser: Any, tmp_path: Path) -> Iterator[MapPage]:
    path = save_map(render_map(EVENTS, title="Test map"), tmp_path / "map.html")
    mp = MapPage(browser, path)
    yield mp
    mp.close()
    assert not mp.errors, mp.errors
    unexpected = [u for u in mp.aborted if not TILES_URL.match(u)]
    assert not unexpected, f"requests other than the tiles: {unexpected}"


NON_COUNTRY = sum(1 for e in EVENTS if e.place.level != "country")


@pytest.mark.browser
def test_map_draws_markers_legend_and_controls(map_page: MapPage) -> None:
    st = map_page.state()
    assert st["visibleEvents"] == len(EVENTS)
    assert sorted(st["visiblePlaces"]) == sorted(p.geonameid for p in
                                                 (KURSK, KYIV, OBLAST, NORTH_KOREA))
    assert map_page.legend_counts() == {"armed_clash": 2, "remote_violence": 2,
                                        "troop_deployment": 2}
    assert map_page.drawn_event_total() == NON_COUNTRY
    page = map_page.page
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() >= 1  # KP
    assert page.locator(".gm-pin.gm-area").count() + page.locator(".gm-cluster").count() >= 1
    for selector in (".leaflet-control-zoom-fullscreen", ".leaflet-control-minimap",
                     ".leaflet-control-search", ".leaflet-control-scale", ".gm-date",
                     ".gm-legend", ".gm-title"):
        assert page.locator(selector).count() == 1, selector
    assert "GeoNames, CC BY 4.0" in page.locator(".leaflet-control-attribution").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"))
    assert (ARTIFACTS / "map.png").stat().st_size > 10_000


@pytest.mark.browser
def test_each_layer_toggles_its_markers(map_page: MapPage) -> None:
    for label, key in (("Armed clash", "armed_clash"), ("Remote violence", "remote_violence"),
                       ("Troop deployment", "troop_deployment")):
        map_page.toggle_layer(label)
        st = map_page.state()
        assert key not in st["active"]
        remaining = [e for e in EVENTS if e.type != key]
        assert st["visibleEvents"] == len(remaining)
        assert sorted(st["visiblePlaces"]) == sorted({e.place.geonameid for e in remaining})
        assert map_page.drawn_event_total() == sum(1 for e in remaining
                                                   if e.place.level != "country")
        row = map_page.page.locator(f'.gm-legend .gm-row[data-type="{key}"]')
        assert "gm-off" in (row.get_attribute("class") or "")
        map_page.toggle_layer(label)
        assert map_page.state()["visibleEvents"] == len(EVENTS)
        assert map_page.drawn_event_total() == NON_COUNTRY
    # the country shape goes with its type
    map_page.toggle_layer("Troop deployment")
    assert map_page.js("Object.values(window.geomapMaps)[0].countries.getLayers().length") == 0


@pytest.mark.browser
def test_date_handles_filter_every_layer_and_legend(map_page: MapPage) -> None:
    map_page.set_handle("gm-lo", "2024-08-01")
    map_page.set_handle("gm-hi", "2024-12-31")
    st = map_page.state()
    assert (st["from"], st["to"]) == ("2024-08-01", "2024-12-31")
    expected = _expected_counts("2024-08-01", "2024-12-31")
    assert expected == {"armed_clash": 2, "remote_violence": 1, "troop_deployment": 0}
    assert map_page.legend_counts() == expected
    assert st["typeCounts"] == expected
    assert st["visibleEvents"] == 3
    assert sorted(st["visiblePlaces"]) == sorted([KURSK.geonameid, KYIV.geonameid])
    assert map_page.drawn_event_total() == 3
    assert map_page.page.locator(".gm-date .gm-from").inner_text() == "2024-08-01"
    # in step with the layer control: hide a type, move a handle, show it again
    map_page.toggle_layer("Armed clash")
    assert map_page.state()["visibleEvents"] == 1
    map_page.set_handle("gm-lo", "2024-09-01")
    assert map_page.legend_counts() == _expected_counts("2024-09-01", "2024-12-31")
    assert map_page.state()["visibleEvents"] == 1  # the drone strike; clashes hidden
    map_page.toggle_layer("Armed clash")
    st = map_page.state()
    assert st["typeCounts"] == _expected_counts("2024-09-01", "2024-12-31")
    assert st["visibleEvents"] == 2
    assert map_page.drawn_event_total() == 2
    # the reset button brings everything back
    map_page.page.locator(".gm-date .gm-reset").click()
    map_page.settle()
    assert map_page.state()["visibleEvents"] == len(EVENTS)


@pytest.mark.browser
def test_dragging_a_handle_with_the_mouse(map_page: MapPage) -> None:
    page = map_page.page
    box = page.locator(".gm-date .gm-range").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] - 7, y)  # the right-hand handle
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=8)
    page.mouse.up()
    map_page.settle()
    st = map_page.state()
    assert st["to"] < "2025-04-28"
    expected = _expected_counts(st["from"], st["to"])
    assert map_page.legend_counts() == expected
    assert st["visibleEvents"] == sum(expected.values())


@pytest.mark.browser
def test_popup_lists_events_with_marked_sentence(map_page: MapPage) -> None:
    page = map_page.page
    p = map_page.js(f"Object.values(window.geomapMaps)[0].placeIndex({KYIV.geonameid})")
    map_page.js("([p]) => void Object.values(window.geomapMaps)[0].map.setView("
                "[50.4547, 30.5238], 11, {animate: false})", [p])
    page.wait_for_timeout(400)
    page.locator(f".gm-place-{p}").click()
    popup = page.locator(".leaflet-popup-content .gm-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert "Kyiv" in text and "2 events" in text
    assert "Fighting was reported near Kyiv." in text
    assert "Kyiv was shelled throughout June." in text
    assert "2024-06-01 – 2024-06-30 (month, exact)" in text
    assert "Confidence: 0.60 — nearest mention" in text
    assert "geo 1 · time 1" in text
    marks = popup.locator("mark")
    assert {marks.nth(i).inner_text() for i in range(marks.count())} >= {"Fighting", "shelled",
                                                                        "Kyiv"}
    link = popup.locator("a", has_text="Troops in Kursk").first
    assert link.get_attribute("href") == SRC.url
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"


@pytest.mark.browser
def test_search_finds_a_place(map_page: MapPage) -> None:
    page = map_page.page
    page.locator(".leaflet-control-search .search-button").click()
    page.locator(".leaflet-control-search input").press_sequentially("Kurs")
    tips = page.locator(".leaflet-control-search .search-tip")
    tips.first.wait_for()
    # the oblast is found by its name and by the words a document used for it
    assert {tips.nth(i).inner_text() for i in range(tips.count())} == {
        "Kursk (RU)", "Kursk Oblast (RU)", "Kursk region → Kursk Oblast (RU)"}
    page.locator(".leaflet-control-search .search-tip", has_text="Kursk Oblast (RU)").first.click()
    page.locator(".leaflet-popup-content .gm-popup").wait_for(timeout=5000)
    assert "North Korean troops" in page.locator(".leaflet-popup-content").inner_text()


@pytest.mark.browser
def test_offline_file_renders_with_all_network_blocked(browser: Any, tmp_path: Path) -> None:
    path = save_map(render_map(EVENTS, offline=True), tmp_path / "offline.html")
    mp = MapPage(browser, path)
    try:
        assert mp.aborted == []
        assert not mp.errors, mp.errors
        assert mp.state()["visibleEvents"] == len(EVENTS)
        assert mp.drawn_event_total() == NON_COUNTRY
        # the outline basemap is drawn, in the minimap too, and Font Awesome's font is
        # loaded from the page
        assert mp.page.locator(".leaflet-gmBase-pane path").count() > 150
        assert mp.page.locator(".leaflet-control-minimap path").count() > 150
        assert mp.js("""async () => {
          await document.fonts.load('900 12px "Font Awesome 6 Free"');
          const faces = Array.from(document.fonts).filter(
            f => f.family.includes('Font Awesome 6 Free') && String(f.weight) === '900');
          return faces.length > 0 && faces.every(f => f.status === 'loaded');
        }""")
        ARTIFACTS.mkdir(exist_ok=True)
        mp.page.screenshot(path=str(ARTIFACTS / "map-offline.png"))
    finally:
        mp.close()


@pytest.mark.browser
def test_hostile_document_text_stays_text(browser: Any, tmp_path: Path) -> None:
    path = save_map(render_map(_hostile_events(), title=HOSTILE), tmp_path / "evil.html")
    mp = MapPage(browser, path)
    page = mp.page
    try:
        marker = page.locator(".gm-place-0")
        mp.js("void Object.values(window.geomapMaps)[0].map.setView([48, 35], 11, "
              "{animate: false})")
        page.wait_for_timeout(300)
        marker.hover()
        page.wait_for_timeout(200)
        marker.click()
        popup = page.locator(".leaflet-popup-content .gm-popup")
        popup.wait_for()
        text = popup.inner_text()
        assert "<script>alert(1)</script>" in text
        assert "<img src=x onerror=alert(1)>" in text
        assert "javascript:alert(1)" in text  # shown, not linked
        links = popup.locator("a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
        # the search list, the title and the layer control show the names as text too
        page.locator(".leaflet-control-search .search-button").click()
        page.locator(".leaflet-control-search input").press_sequentially("Evil")
        page.locator(".leaflet-control-search .search-tip").first.wait_for()
        assert "<script>" in page.locator(".leaflet-control-search .search-tip").first.inner_text()
        assert page.locator(".gm-title").inner_text() == HOSTILE.strip()
        page.wait_for_timeout(300)
        assert mp.dialogs == []
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("[onerror]").count() == 0
        assert page.locator("a[href^='javascript' i]").count() == 0
        scripts = page.locator("script")
        assert not any("alert(1)" in (scripts.nth(i).text_content() or "")
                       for i in range(scripts.count())
                       if scripts.nth(i).get_attribute("type") != "application/json")
        assert page.title() == HOSTILE
        assert not mp.errors, mp.errors
    finally:
        mp.close()


@pytest.mark.browser
def test_legend_click_heat_layer_and_undated_events(browser: Any, tmp_path: Path) -> None:
    undated = Event("armed_clash", KYIV, DateResolution(None, None, "day", "unresolved"),
                    "Clashes were reported in Kyiv at some point.", trigger="Clashes")
    path = save_map(render_map([*EVENTS, undated], tiles="none"), tmp_path / "map.html")
    mp = MapPage(browser, path)
    page = mp.page
    try:
        assert mp.state()["visibleEvents"] == len(EVENTS) + 1
        # the legend row toggles the type, and the layer control's checkbox follows
        page.locator('.gm-legend .gm-row[data-type="armed_clash"]').click()
        mp.settle()
        assert "armed_clash" not in mp.state()["active"]
        checkbox = page.locator(".leaflet-control-layers-overlays label",
                                has_text="Armed clash").locator("input")
        assert not checkbox.is_checked()
        page.locator('.gm-legend .gm-row[data-type="armed_clash"]').click()
        mp.settle()
        assert checkbox.is_checked()
        # a date filter hides the undated event, unless its switch is on
        mp.set_handle("gm-hi", "2024-06-30")
        assert mp.state()["visibleEvents"] == 1  # the June shelling only
        assert mp.legend_counts()["armed_clash"] == 0
        page.locator(".gm-date input.gm-undated").check()
        mp.settle()
        assert mp.state()["visibleEvents"] == 2  # June shelling + the undated clash
        assert mp.legend_counts()["armed_clash"] == 1
        page.locator(".gm-date input.gm-undated").uncheck()
        mp.settle()
        assert mp.state()["visibleEvents"] == 1
        # without a date filter every event shows, the undated one too
        page.locator(".gm-date .gm-reset").click()
        mp.settle()
        assert mp.state()["visibleEvents"] == len(EVENTS) + 1
        # the heat layer draws a canvas when switched on
        assert page.locator("canvas.leaflet-heatmap-layer").count() == 0
        mp.toggle_layer("Heat map")
        assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
        # without tiles, the outline basemap is there
        assert page.locator(".leaflet-gmBase-pane path").count() > 150
        assert page.locator(".leaflet-tile-pane img").count() == 0
        assert not mp.errors, mp.errors
    finally:
        mp.close()


@pytest.mark.browser
def test_popups_list_every_event_newest_first_in_pages(browser: Any, tmp_path: Path) -> None:
    many = [Event("protest", KYIV, _day(f"2024-03-{d:02d}"), f"Protest number {d} in Kyiv.",
                  trigger="Protest") for d in range(1, 32)] * 2
    many.append(Event("protest", KYIV, DateResolution(None, None, "day", "unresolved"),
                      "An undated protest in Kyiv.", trigger="protest"))
    path = save_map(render_map(many), tmp_path / "many.html")
    mp = MapPage(browser, path)
    page = mp.page
    try:
        mp.js("Object.values(window.geomapMaps)[0].openPlace(0)")
        popup = page.locator(".leaflet-popup-content .gm-popup")
        popup.wait_for()
        assert "63 events · 1–20 (page 1 of 4)" in popup.inner_text()
        def sentences() -> list[str]:
            return page.locator(".gm-popup .gm-ev .gm-sentence").all_inner_texts()

        first = sentences()
        assert len(first) == 20
        assert first[:3] == ["Protest number 31 in Kyiv."] * 2 + ["Protest number 30 in Kyiv."]
        seen = list(first)
        for _ in range(3):
            page.locator(".gm-popup .gm-older").click()
            seen += sentences()
        assert len(seen) == 63 and seen[-1] == "An undated protest in Kyiv."  # undated last
        days = [int(t.split()[2]) for t in seen[:-1]]
        assert days == sorted(days, reverse=True)
        assert page.locator(".gm-popup .gm-older").is_disabled()
        page.locator(".gm-popup .gm-newer").click()
        assert "41–60 (page 3 of 4)" in popup.inner_text()
        assert page.locator(".gm-pin b").inner_text() == "63"
        assert not mp.errors, mp.errors
    finally:
        mp.close()


@pytest.mark.browser
def test_places_at_one_spot_spiderfy(browser: Any, tmp_path: Path) -> None:
    city = Place(10, "Twin A", 50.0, 30.0, "PPL", "UA")
    twin = Place(11, "Twin B", 50.0, 30.0, "ADM2", "UA")
    evs = [Event("protest", city, _day("2024-01-01"), "Protest in Twin A."),
           Event("arrest", twin, _day("2024-01-02"), "Arrests in Twin B.")]
    mp = MapPage(browser, save_map(render_map(evs), tmp_path / "twins.html"))
    try:
        mp.page.locator(".gm-cluster").click()
        mp.page.wait_for_timeout(600)
        assert mp.page.locator(".gm-pin").count() == 2  # spread out, both clickable
        mp.page.locator(".gm-pin.gm-area").click()
        mp.page.locator(".leaflet-popup-content .gm-popup").wait_for()
        assert "Arrests in Twin B." in mp.page.locator(".leaflet-popup-content").inner_text()
    finally:
        mp.close()


# --------------------------------------------------------------------------------------
# Histogram, playback and flow lines
# --------------------------------------------------------------------------------------

FLOW_EVENTS = [
    dataclasses.replace(EVENTS[0], actors=("Ukraine (UA)", "Russia (RU)")),
    *EVENTS[1:4],
    dataclasses.replace(EVENTS[4], actors=("North Korea (KP)", "Kim")),
    EVENTS[5],
]


def test_flows_are_off_by_default() -> None:
    assert _data(render_map(FLOW_EVENTS))["flows"] is None


def test_flows_from_a_country_actor_home_to_the_place() -> None:
    flows = _data(render_map(FLOW_EVENTS, flows=True))["flows"]
    assert flows is not None
    s = _data(render_map(FLOW_EVENTS, flows=True))["strings"]
    homes = flows["homes"]
    assert [s[c] for c in homes["cc"]] == ["UA", "KP"]  # Russia at Kursk is at home
    assert [s[n] for n in homes["name"]] == ["Ukraine", "North Korea"]
    kp = homes["cc"].index(s.index("KP"))
    assert abs(homes["lat"][kp] - 39.02) < 0.1 and abs(homes["lon"][kp] - 125.75) < 0.1  # Pyongyang
    assert list(zip(flows["e"], flows["h"], strict=True)) == [(0, 0), (4, kp)]


def test_flows_from_acled_style_actors() -> None:
    evs = [dataclasses.replace(EVENTS[0], actors=("Military Forces of Ukraine (2019-)",
                                                  "Military Forces of Russia (2000-)")),
           dataclasses.replace(EVENTS[4], actors=("Military Forces of North Korea (2011-)",)),
           dataclasses.replace(EVENTS[1], actors=("Protesters (Ukraine)", "Police Forces"))]
    data = _data(render_map(evs, flows=True))
    s, flows = data["strings"], data["flows"]
    assert [s[c] for c in flows["homes"]["cc"]] == ["UA", "KP"]  # Russia at Kursk is at home
    assert [s[n] for n in flows["homes"]["name"]] == ["Ukraine", "North Korea"]
    assert list(zip(flows["e"], flows["h"], strict=True)) == [(0, 0), (1, 1)]  # Kyiv: at home


def test_flow_homes_lookup_then_shape_centroid(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _data(render_map(FLOW_EVENTS, flows=True, homes={"KP": (41.0, 128.0)}))
    kp = data["flows"]["homes"]
    assert (kp["lat"][1], kp["lon"][1]) == (41.0, 128.0)
    monkeypatch.setattr(shapes, "countryinfo_capitals", dict)
    square = {"type": "Polygon", "coordinates": [[[125, 38], [130, 38], [130, 42], [125, 42],
                                                  [125, 38]]]}
    data = _data(render_map(FLOW_EVENTS, flows=True,
                            country_shapes=lambda cc: square if cc == "KP" else None))
    kp = data["flows"]["homes"]
    assert (kp["lat"][1], kp["lon"][1]) == (40.0, 127.5)


def test_centroid_takes_the_largest_polygon() -> None:
    small = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    big = [[[10, 10], [20, 10], [20, 30], [10, 30], [10, 10]]]
    assert shapes.centroid({"type": "MultiPolygon", "coordinates": [small, big]}) == (20.0, 15.0)
    assert shapes.centroid({"type": "Point", "coordinates": [1, 2]}) is None
    assert shapes.centroid(None) is None


def test_country_actor_pattern() -> None:
    assert shapes.actor_country("Rioters (France)") == ("France", "FR")
    assert shapes.actor_country("Government of Georgia (2012-)") == ("Georgia", "GE")
    assert shapes.actor_country("Unidentified Armed Group (Sudan)") == ("Sudan", "SD")
    assert shapes.actor_country("Chad Smith") is None  # a name, not "of Chad" or "(Chad)"
    m = shapes.COUNTRY_ACTOR.match("North Korea (KP)")
    assert m and (m.group("name"), m.group("cc")) == ("North Korea", "KP")
    assert shapes.COUNTRY_ACTOR.match("Kim Jong Un") is None
    assert shapes.COUNTRY_ACTOR.match("(KP)") is None


@pytest.mark.browser
def test_histogram_follows_types_and_selects_a_bin(map_page: MapPage) -> None:
    api = "Object.values(window.geomapMaps)[0]"
    hist = map_page.js(f"{api}.histogram()")
    assert hist["unit"] == "week"  # 11 months of events
    assert sum(hist["counts"]) == len(EVENTS)
    bars = map_page.page.locator(".gm-date .gm-hist .gm-bar")
    assert bars.count() == len(hist["counts"])
    assert sum(int(bars.nth(i).get_attribute("data-count")) for i in range(bars.count())) == 6
    map_page.toggle_layer("Armed clash")
    assert sum(map_page.js(f"{api}.histogram()")["counts"]) == 4
    map_page.toggle_layer("Armed clash")
    # a click on a bar selects its week
    k = next(i for i, s in enumerate(hist["starts"]) if s == "2024-08-05")
    bars.nth(k).click()
    map_page.settle()
    st = map_page.state()
    assert (st["from"], st["to"]) == ("2024-08-05", "2024-08-11")
    assert st["visibleEvents"] == 1
    assert "gm-in" in (bars.nth(k).get_attribute("class") or "")
    assert "gm-in" not in (bars.nth(k + 1).get_attribute("class") or "")


@pytest.mark.browser
def test_play_steps_through_time_and_stops(browser: Any, tmp_path: Path) -> None:
    days = [Event("protest", KYIV, _day(f"2024-03-0{d}"), f"Protest {d} in Kyiv.")
            for d in (1, 2, 4)]
    mp = MapPage(browser, save_map(render_map(days), tmp_path / "days.html"))
    api = "Object.values(window.geomapMaps)[0]"
    try:
        assert mp.js(f"{api}.histogram()")["counts"] == [1, 1, 0, 1]  # by day
        mp.page.locator(".gm-date .gm-play").click()
        seen = []
        for _ in range(60):
            st = mp.state()
            frame = (st["from"], st["to"], st["visibleEvents"])
            if not seen or seen[-1] != frame:
                seen.append(frame)
            if not mp.js(f"{api}.playing"):
                break
            mp.page.wait_for_timeout(100)
        st = mp.state()  # the last step may land between the two reads above
        if seen[-1] != (st["from"], st["to"], st["visibleEvents"]):
            seen.append((st["from"], st["to"], st["visibleEvents"]))
        assert seen == [("2024-03-01", "2024-03-01", 1), ("2024-03-02", "2024-03-02", 1),
                        ("2024-03-03", "2024-03-03", 0), ("2024-03-04", "2024-03-04", 1)]
        assert mp.page.locator(".gm-date .gm-play").inner_text().endswith("play")
        # a handle moved by hand pauses playback
        mp.page.locator(".gm-date .gm-play").click()
        assert mp.js(f"{api}.playing")
        mp.set_handle("gm-hi", "2024-03-04")
        assert not mp.js(f"{api}.playing")
        assert not mp.errors, mp.errors
    finally:
        mp.close()


@pytest.mark.browser
def test_flow_layer_toggles_and_follows_the_filters(browser: Any, tmp_path: Path) -> None:
    mp = MapPage(browser, save_map(render_map(FLOW_EVENTS, flows=True, tiles="none"),
                                   tmp_path / "flows.html"))
    page = mp.page
    try:
        assert mp.state()["flowLines"] == 2
        assert page.locator("path.gm-flow").count() == 2
        assert page.locator("path.gm-flow-home").count() == 2
        assert "flow" in page.locator(".gm-legend .gm-key").inner_text()
        mp.toggle_layer("Flows")
        assert page.locator("path.gm-flow").count() == 0
        mp.toggle_layer("Flows")
        assert page.locator("path.gm-flow").count() == 2
        mp.set_handle("gm-lo", "2025-01-01")  # only the deployment of North Korean troops
        assert mp.state()["flowLines"] == 1
        mp.toggle_layer("Troop deployment")
        assert page.locator("path.gm-flow").count() == 0
        assert not mp.errors, mp.errors
    finally:
        mp.close()


@pytest.mark.browser
def test_no_flows_layer_without_the_option(map_page: MapPage) -> None:
    labels = map_page.page.locator(".leaflet-control-layers-overlays").inner_text()
    assert "Heat map" in labels and "Flows" not in labels
    assert map_page.page.locator("path.gm-flow").count() == 0


def test_marks_are_whole_words() -> None:
    ev = Event("protest", KYIV, _day("2024-03-01"),
               "Kyivans marched in the Kyiv-wide march, then in Kyiv.", trigger="march")
    data = _data(render_map([ev]))
    sentence, k = data["strings"][data["events"]["x"][0]], data["events"]["k"][0]
    spans = [(sentence[k[i]:k[i + 1]], k[i], k[i + 2]) for i in range(0, len(k), 3)]
    assert spans == [("march", sentence.index("march,"), 0), ("Kyiv", sentence.index("Kyiv-"), 1)]


@pytest.mark.browser
def test_only_the_heaviest_flows_are_drawn(browser: Any, tmp_path: Path) -> None:
    towns = [Place(1000 + i, f"Town {i}", 45 + i / 100, 30 + i / 50, "PPL", "UA")
             for i in range(320)]
    evs = [Event("troop_deployment", town, _day("2024-05-01"), f"Troops went to Town {i}.",
                 actors=("North Korea (KP)",)) for i, town in enumerate(towns)]
    evs.append(dataclasses.replace(evs[5], sentence="More troops went to Town 5."))
    mp = MapPage(browser, save_map(render_map(evs, flows=True, tiles="none"),
                                   tmp_path / "many-flows.html"))
    try:
        st = mp.state()
        assert (st["flowLines"], st["flowPairs"]) == (300, 320)
        assert mp.page.locator("path.gm-flow").count() == 300
        assert "300 largest of 320" in mp.page.locator(".gm-legend .gm-key").inner_text()
        assert not mp.errors, mp.errors
    finally:
        mp.close()


# --------------------------------------------------------------------------------------
# The analyst's controls, on a generated map of 10,000 events
# --------------------------------------------------------------------------------------

BIG_COUNTRIES = ("RU", "UA", "BY")
BIG_TYPES = ("armed_clash", "remote_violence", "protest", "arrest", "troop_deployment")
BIG_SUBTYPES = ("", "air/drone strike", "shelling/artillery/missile attack")
BIG_ACTORS = ((), ("Russia (RU)",), ("Ukraine (UA)", "Russia (RU)"), ("Police",),
              ("Belarus (BY)", "Police"))


def _big_events(n: int = 10_000) -> list[Event]:
    import random

    rng = random.Random(11)
    places = [Place(200_000 + k, f"Town {k}", round(44 + rng.random() * 12, 4),
                    round(24 + rng.random() * 20, 4), "PPL", BIG_COUNTRIES[k % 3])
              for k in range(2000)]
    start, out = dt.date(2023, 1, 1), []
    for i in range(n):
        place = places[rng.randrange(len(places))]
        if i < 60:  # the Second World War, recalled in a few sentences
            day = dt.date(1944, 1 + i % 12, 1 + i % 28)
            date = DateResolution(day, day, "day", "exact")
        elif i < 360:
            date = DateResolution(None, None, "day", "unresolved")
        else:
            day = start + dt.timedelta(days=rng.randrange(730))
            date = DateResolution(day, day, "day", "exact")
        out.append(Event(BIG_TYPES[i % 5], place, date, f"Sentence {i} about {place.name}.",
                         subtype=BIG_SUBTYPES[i % 3] if i % 5 == 1 else "",
                         actors=BIG_ACTORS[i % 5], confidence=round((i % 20) / 20, 2),
                         source=Source(f"doc-{i % 500}", f"Article {i % 500}",
                                       f"https://example.org/{i % 500}")))
    return out


BIG = _big_events()


@pytest.fixture(scope="module")
def big_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_map(render_map(BIG, tiles="none", title="Ten thousand"),
                    tmp_path_factory.mktemp("big") / "big.html")


@pytest.fixture()
def big(browser: Any, big_map: Path) -> Iterator[MapPage]:
    mp = MapPage(browser, big_map, viewport=(1280, 720))
    yield mp
    mp.close()
    assert not mp.errors, mp.errors
    assert mp.aborted == []


API = "Object.values(window.geomapMaps)[0]"


def _count(pred: Any) -> int:
    return sum(1 for e in BIG if pred(e))


@pytest.mark.browser
def test_big_map_date_filter_hides_undated_events_unless_switched_on(big: MapPage) -> None:
    assert big.state()["visibleEvents"] == len(BIG)  # no date filter: all, undated included
    big.js(f"{API}.setRange('2023-06-01', '2023-06-30')")
    june = _count(lambda e: e.date.start and dt.date(2023, 6, 1) <= e.date.start
                  <= dt.date(2023, 6, 30))
    assert big.state()["visibleEvents"] == june
    big.page.locator(".gm-date input.gm-undated").check()
    big.settle()
    assert big.state()["visibleEvents"] == june + 300
    assert big.state()["undated"] is True


@pytest.mark.browser
def test_big_map_slider_spans_the_percentiles_with_an_earlier_notch(big: MapPage) -> None:
    starts = sorted(e.date.start for e in BIG if e.date.start)
    last = len(starts) - 1
    p1, p99 = starts[last // 100], starts[last - last // 100]
    hist = big.js(f"{API}.histogram()")
    assert hist["slider"] == [p1.isoformat(), p99.isoformat()]
    assert p1.year == 2023  # 1944 does not stretch the slider
    assert hist["earlier"] is True and hist["unit"] == "week"
    assert big.page.locator(".gm-date .gm-from").inner_text() == "earlier"
    # the left handle off its notch: the 1944 events go
    big.set_handle("gm-lo", p1.isoformat())
    assert big.state()["visibleEvents"] == _count(lambda e: e.date.start and e.date.start >= p1)
    # back on the notch: they return (and the undated ones stay hidden: a date filter is on
    # only when a handle is off its end)
    lo_min = big.js("+document.querySelector('.gm-date input.gm-lo').min")
    big.js("""(v) => { const i = document.querySelector('.gm-date input.gm-lo');
                       i.value = v; i.dispatchEvent(new Event('input', {bubbles: true})); }""",
           lo_min)
    big.settle()
    assert big.state()["from"] == "earlier"
    assert big.state()["visibleEvents"] == len(BIG)


@pytest.mark.browser
def test_big_map_steps_by_day_week_month_and_zooms(big: MapPage) -> None:
    page = big.page
    page.locator(".gm-date .gm-unit select").select_option("month")
    big.settle()
    hist = big.js(f"{API}.histogram()")
    slider_start = hist["slider"][0]  # the 1st percentile: the first bar starts there
    assert hist["unit"] == "month" and hist["starts"][:2] == [slider_start, "2023-02-01"]
    assert page.locator(".gm-date .gm-hist .gm-bar").count() == len(hist["counts"]) >= 23
    # select March 2024 by its bar, then zoom: the slider and bars span that month, by day
    k = hist["starts"].index("2024-03-01")
    page.locator(".gm-date .gm-hist .gm-bar").nth(k).click()
    big.settle()
    page.locator(".gm-date .gm-unit select").select_option("day")
    page.locator(".gm-date .gm-zoom").click()
    big.settle()
    assert big.js(f"{API}.view()") == {"from": "2024-03-01", "to": "2024-03-31", "unit": "day"}
    hist = big.js(f"{API}.histogram()")
    assert len(hist["counts"]) == 31
    march = [e for e in BIG if e.date.start and e.date.start.strftime("%Y-%m") == "2024-03"]
    assert sum(hist["counts"]) == len(march)
    assert sum(big.state()["typeCounts"].values()) == len(march)
    page.locator(".gm-date select").first.select_option("week")
    big.settle()
    assert big.js(f"{API}.histogram()")["unit"] == "week"
    page.locator(".gm-date .gm-unzoom").click()
    big.settle()
    assert big.js(f"{API}.view()")["from"] == big.js(f"{API}.histogram()")["slider"][0]


@pytest.mark.browser
def test_big_map_playback_uses_the_window_and_speed_set(big: MapPage) -> None:
    page = big.page
    page.locator(".gm-date .gm-unit select").select_option("month")
    page.locator(".gm-date .gm-window input").fill("3")
    page.locator(".gm-date .gm-window input").dispatch_event("change")
    page.locator(".gm-date .gm-speed select").select_option("150")
    assert big.js(f"{API}.setPlayback({{}})") == {"window": 3, "speed": 150}
    page.locator(".gm-date .gm-play").click()
    frames: list[tuple[str, str]] = []
    for _ in range(400):
        st = big.state()
        if not frames or frames[-1] != (st["from"], st["to"]):
            frames.append((st["from"], st["to"]))
        if not big.js(f"{API}.playing"):
            break
        page.wait_for_timeout(20)
    start = big.js(f"{API}.histogram()")["slider"][0]
    assert frames[0] == (start, "2023-03-31")  # three months a frame
    assert frames[1] == ("2023-02-01", "2023-04-30")  # one month a step
    assert all(b[0] > a[0] for a, b in zip(frames, frames[1:], strict=False))
    assert not big.js(f"{API}.playing")


@pytest.mark.browser
def test_big_map_panels_never_overlap_at_1280x720(big: MapPage) -> None:
    page = big.page
    page.locator(".gm-filters summary").click()
    page.wait_for_timeout(200)
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.leaflet-control'))
      .filter(e => e.offsetParent !== null)
      .map(e => { const r = e.getBoundingClientRect();
                  return [e.className.split(' ').slice(0, 2).join(' '), r.left, r.top,
                          r.right, r.bottom]; })""")
    assert len(boxes) >= 9, boxes
    for i, (name_a, *a) in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= 1280 and a[3] <= 720, (name_a, a)
        for name_b, *b in boxes[i + 1:]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, f"{name_a} {a} overlaps {name_b} {b}"
    # the layer list's last entry can be reached (it scrolls inside its panel)
    last = page.locator(".leaflet-control-layers-overlays label").last
    last.scroll_into_view_if_needed()
    assert last.is_visible()


@pytest.mark.browser
def test_big_map_filters_by_country_actor_subtype_and_confidence(big: MapPage) -> None:
    page = big.page
    page.locator(".gm-filters summary").click()
    ua = page.locator(".gm-f-country select option", has_text="Ukraine").get_attribute("value")
    page.locator(".gm-f-country select").select_option(value=ua)
    big.settle()
    assert big.state()["visibleEvents"] == _count(lambda e: e.place.country == "UA")
    actor = page.locator(".gm-f-actor select option", has_text="Police").get_attribute("value")
    page.locator(".gm-f-actor select").select_option(value=actor)
    big.settle()
    assert big.state()["visibleEvents"] == _count(
        lambda e: e.place.country == "UA" and "Police" in e.actors)
    page.locator(".gm-f-actor select").select_option([])
    sub = page.locator(".gm-f-sub select option", has_text="air/drone").get_attribute("value")
    page.locator(".gm-f-sub select").select_option(value=sub)
    big.settle()
    assert big.state()["visibleEvents"] == _count(
        lambda e: e.place.country == "UA" and e.subtype == "air/drone strike")
    big.js("""() => { const c = document.querySelector('.gm-f-conf input');
                      c.value = 0.5; c.dispatchEvent(new Event('input', {bubbles: true})); }""")
    big.settle()
    expected = _count(lambda e: e.place.country == "UA" and e.subtype == "air/drone strike"
                      and e.confidence >= 0.5)
    assert 0 < expected and big.state()["visibleEvents"] == expected
    assert sum(big.legend_counts().values()) == expected
    page.locator(".gm-filters .gm-clear").click()
    big.settle()
    assert big.state()["visibleEvents"] == len(BIG)


@pytest.mark.browser
def test_big_map_export_selection_downloads_geojson_and_csv(big: MapPage) -> None:
    import csv as csv_module
    import io

    page = big.page
    big.js(f"{API}.setFilters({{country: ['BY'], minConfidence: 0.9}})")
    big.js(f"{API}.setRange('2024-01-01', '2024-12-31')")
    wanted = [e for e in BIG if e.place.country == "BY" and e.confidence >= 0.9
              and e.date.start and e.date.start.year == 2024]
    assert big.state()["visibleEvents"] == len(wanted) > 0
    page.locator(".gm-filters summary").click()
    with page.expect_download() as info:
        page.locator(".gm-filters .gm-export-geojson").click()
    download = info.value
    assert download.suggested_filename == "geomap-selection.geojson"
    fc = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == len(wanted)
    assert sorted(f["properties"]["sentence"] for f in fc["features"]) == sorted(
        e.sentence for e in wanted)
    first = fc["features"][0]
    event = next(e for e in wanted if e.sentence == first["properties"]["sentence"])
    assert first["geometry"]["coordinates"] == [event.lon, event.lat]
    assert first["properties"]["country"] == "BY"
    with page.expect_download() as info:
        page.locator(".gm-filters .gm-export-csv").click()
    rows = list(csv_module.DictReader(io.StringIO(
        Path(info.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == len(wanted)
    assert {r["country"] for r in rows} == {"Belarus"}
    assert all(r["WKT"].startswith("POINT (") for r in rows)


@pytest.mark.browser
def test_big_map_view_is_kept_in_the_url_fragment(browser: Any, big: MapPage,
                                                  big_map: Path) -> None:
    big.js(f"{API}.setFilters({{country: ['RU', 'UA'], actor: ['Police'], minConfidence: 0.25}})")
    big.js(f"{API}.setRange('2023-03-01', '2023-08-31')")
    big.toggle_layer("Protest")
    big.js(f"void {API}.map.setView([50.5, 30.25], 7, {{animate: false}})")
    # The page writes the fragment 150 ms after the last change: wait for all of them,
    # not for a fragment an earlier change wrote.
    big.page.wait_for_function(
        "['conf=0.25', 'z=7/', 'from=2023-03-01', 'to=2023-08-31']"
        ".every(p => location.hash.includes(p)) && /off=[^&]*protest/.test(location.hash)",
        timeout=5000)
    url = big.page.url
    assert "#" in url
    before = big.state()
    # The link opened in a new tab, as a reader of a shared link opens it.
    again = MapPage(browser, big_map, viewport=(1280, 720), fragment="#" + url.split("#", 1)[1])
    try:
        after = again.state()
        for key in ("from", "to", "active", "visibleEvents", "filters", "typeCounts"):
            assert after[key] == before[key], key
        assert "protest" not in after["active"]
        assert again.js(f"{API}.map.getZoom()") == 7
        centre = again.js(f"(() => {{ const c = {API}.map.getCenter(); "
                          f"return [c.lat, c.lng]; }})()")
        assert abs(centre[0] - 50.5) < 0.01 and abs(centre[1] - 30.25) < 0.01
        assert not again.errors, again.errors
    finally:
        again.close()


@pytest.mark.browser
def test_a_link_with_another_view_opened_in_the_same_tab_is_that_view(
        browser: Any, big_map: Path) -> None:
    page = MapPage(browser, big_map)
    try:
        plain = page.page.url.split("#")[0]
        # Same document: the browser only changes the fragment and fires "hashchange".
        page.page.goto(f"{plain}#from=2023-03-01&to=2023-08-31&off=protest&z=7/50.5/30.25")
        page.page.wait_for_function(
            f"{API}.state().from === '2023-03-01' && {API}.map.getZoom() === 7", timeout=20000)
        state = page.state()
        assert state["to"] == "2023-08-31" and "protest" not in state["active"]
        # Back to a view with every type on: the type comes back.
        page.page.goto(f"{plain}#z=7/50.5/30.25")
        page.page.wait_for_function(f"{API}.state().active.includes('protest')",
                                    timeout=20000)
        assert not page.errors, page.errors
    finally:
        page.close()


@pytest.mark.browser
def test_a_link_that_arrives_while_the_old_view_is_being_written_is_not_overwritten(
        browser: Any, big_map: Path) -> None:
    page = MapPage(browser, big_map)
    try:
        plain = page.page.url.split("#")[0]
        # A redraw schedules a write of the view to the fragment (150 ms on), and the page is
        # busy when the link arrives: the browser changes the fragment, runs the overdue
        # write, and only then fires "hashchange". The link wins.
        page.js(f"""void ({API}.map.fire("geomap:filtered"), setTimeout(() => {{
            const until = performance.now() + 1000;
            while (performance.now() < until) {{}}
        }}, 0))""")
        page.page.goto(f"{plain}#from=2023-03-01&to=2023-08-31&off=protest&z=7/50.5/30.25")
        page.page.wait_for_function(
            f"{API}.state().from === '2023-03-01' && {API}.map.getZoom() === 7", timeout=5000)
        assert "protest" not in page.state()["active"]
        assert not page.errors, page.errors
    finally:
        page.close()


@pytest.mark.browser
def test_big_map_clusters_are_coloured_by_their_types(big: MapPage) -> None:
    clusters = big.page.locator(".gm-cluster .gm-cl")
    assert clusters.count() > 5
    colours = {t["key"]: t["colour"] for t in big.js("JSON.parse(document.querySelector("
                                                     "'script[type=\"application/json\"]')"
                                                     ".textContent).types")}
    ring = clusters.first.get_attribute("style") or ""
    assert "conic-gradient" in ring  # five types in every big cluster
    dominant = clusters.first.get_attribute("data-type")
    assert dominant in colours
    # hide every type but one: the clusters turn that type's colour, in full
    for label in ("Armed clash", "Remote violence", "Arrest", "Troop deployment"):
        big.toggle_layer(label)
    big.page.wait_for_timeout(300)
    for i in range(min(5, clusters.count())):
        assert clusters.nth(i).get_attribute("data-type") == "protest"
        assert "conic-gradient" not in (clusters.nth(i).get_attribute("style") or "")


@pytest.mark.browser
def test_country_fill_can_be_switched_off(browser: Any, tmp_path: Path) -> None:
    mp = MapPage(browser, save_map(render_map(EVENTS, tiles="none"), tmp_path / "fill.html"))
    try:
        shape = mp.page.locator(".leaflet-overlay-pane path.leaflet-interactive").first
        assert shape.get_attribute("fill-opacity") == "0.3"
        mp.toggle_layer("Country fill")
        assert shape.get_attribute("fill-opacity") == "0"
        assert mp.state()["fill"] is False
        assert shape.get_attribute("stroke") is not None  # the outline stays
        mp.toggle_layer("Country fill")
        assert shape.get_attribute("fill-opacity") == "0.3"
        assert not mp.errors, mp.errors
    finally:
        mp.close()


def test_country_outlines_are_joined_across_the_antimeridian() -> None:
    russia = Place(2017370, "Russia", 60.0, 100.0, "PCLI", "RU")
    data = _data(render_map([Event("statement", russia, _day("2024-01-01"), "Russia spoke.")]))
    (geometry,) = data["shapes"].values()
    lons = [pt[0] for poly in geometry["coordinates"] for ring in poly for pt in ring]
    # Chukotka lies east of 180°, next to the rest of Russia, not at the map's far west
    assert min(lons) > 0 and max(lons) > 180
    assert max(lons) - min(lons) < 180


# ---- retellings, names from the gazetteer, and a safe CSV selection, in the page ----

def _told_events() -> list[Event]:
    from geomap.records import Telling

    tellings = (Telling("afp-1", "Rebels seized the town of Aleppo on Friday.", "seized"),
                Telling("afp-1", "The seizure of Aleppo shocked the region.", "seizure"),
                Telling("blog-2", "Aleppo fell to the rebels, a second outlet said.", "fell"))
    aleppo = Place(170063, "Aleppo", 36.20, 37.16, "PPLA", "SY")
    return [Event("territory_change", aleppo, _day("2024-11-29"), tellings[0].sentence,
                  trigger="seized", source=SRC, sources=(SRC, SRC2), tellings=tellings),
            Event("protest", aleppo, _day("2024-11-20"), "People protested in Aleppo.",
                  trigger="protested", source=SRC)]


@pytest.mark.browser
def test_popup_says_how_often_and_where_an_event_was_told(browser: Any, tmp_path: Path) -> None:
    mp = MapPage(browser, save_map(render_map(_told_events()), tmp_path / "told.html"))
    try:
        mp.js(f"{API}.openPlace(0)")
        popup = mp.page.locator(".leaflet-popup-content .gm-popup")
        popup.wait_for()
        told = popup.locator(".gm-told")
        assert told.count() == 1  # the protest was told once, by one source: no line
        assert told.locator("summary").inner_text() == "told 3 times in 2 sources"
        told.locator("summary").click()
        assert told.locator(".gm-retelling").all_inner_texts() == [
            "The seizure of Aleppo shocked the region.",
            "Aleppo fell to the rebels, a second outlet said."]
        assert "2 events" in popup.inner_text()  # one event, however often told
        assert not mp.errors, mp.errors
    finally:
        mp.close()


@pytest.mark.browser
def test_search_finds_a_place_by_another_of_its_gazetteer_names(browser: Any,
                                                                 tmp_path: Path) -> None:
    known = {KYIV.geonameid: [("Kyiv", None), ("Kiev", "en"), ("Киев", "ru")]}
    m = render_map(EVENTS, place_names=lambda ids: {g: known[g] for g in ids if g in known})
    mp = MapPage(browser, save_map(m, tmp_path / "kiev.html"))
    try:
        page = mp.page
        page.locator(".leaflet-control-search .search-button").click()
        page.locator(".leaflet-control-search input").press_sequentially("Kiev")
        tips = page.locator(".leaflet-control-search .search-tip")
        tips.first.wait_for()
        assert tips.all_inner_texts() == ["Kiev → Kyiv (UA)"]
        tips.first.click()
        page.locator(".leaflet-popup-content .gm-popup").wait_for(timeout=5000)
        assert "Fighting was reported near Kyiv." in page.locator(
            ".leaflet-popup-content").inner_text()
    finally:
        mp.close()


@pytest.mark.browser
def test_selection_csv_quotes_cells_a_spreadsheet_would_run(browser: Any,
                                                             tmp_path: Path) -> None:
    import csv as csv_module
    import io

    madrid = Place(3117735, "Madrid", 40.4165, -3.70256, "PPLC", "ES")
    hostile = Event("protest", madrid, _day("2024-05-01"), "=SUM(A1) was sprayed on a wall.",
                    trigger="sprayed", actors=("@crowd", "+group"), source=SRC)
    mp = MapPage(browser, save_map(render_map([hostile]), tmp_path / "csv.html"))
    try:
        page = mp.page
        page.locator(".gm-filters summary").click()
        with page.expect_download() as info:
            page.locator(".gm-filters .gm-export-csv").click()
        row = next(csv_module.DictReader(io.StringIO(
            Path(info.value.path()).read_text(encoding="utf-8"))))
        assert row["notes"] == "'=SUM(A1) was sprayed on a wall."
        assert (row["actor1"], row["actor2"]) == ("'@crowd", "'+group")
        assert (row["latitude"], row["longitude"]) == ("40.4165", "-3.70256")
        assert row["WKT"] == "POINT (-3.70256 40.4165)"
        with page.expect_download() as info:
            page.locator(".gm-filters .gm-export-geojson").click()
        feature = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["features"][0]
        assert feature["geometry"]["coordinates"] == [-3.70256, 40.4165]
        assert feature["properties"]["actors"] == ["@crowd", "+group"]  # GeoJSON: as written
    finally:
        mp.close()
