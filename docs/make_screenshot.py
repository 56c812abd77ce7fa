"""Make ``docs/demo-map.png``, the README's picture of the demo map.

Runs the demo (``geomap run examples/ -o output/``) unless ``output/events.geojson``
exists, draws it with ``geomap map --offline --flows`` (tiles need a network; the
outline basemap does not), opens the page in headless Chromium with every network
request cut (the browser tests' routing), and saves the screenshot. Needs
``/usr/bin/chromium`` and Playwright (what ``make test`` installs)::

    .venv/bin/python docs/make_screenshot.py [--events FILE] [--out docs/demo-map.png]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))

from test_render import CHROMIUM, CHROMIUM_ARGS, MapPage  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=Path, default=ROOT / "output" / "events.geojson")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "demo-map.png")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--popup", type=int, default=2988507,
                    help="GeoNames id of the place whose popup is open (default: Paris)")
    args = ap.parse_args()
    geomap = str(BIN / "geomap")
    if not args.events.exists():
        subprocess.run([geomap, "run", str(ROOT / "examples"), "-o", str(args.events.parent)],
                       check=True)
    html = Path(tempfile.mkdtemp(prefix="geomap-demo-")) / "demo.html"
    subprocess.run([geomap, "map", str(args.events), "-o", str(html), "--offline",
                    "--flows"], check=True)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        mp = MapPage(browser, html)
        page = mp.page
        page.set_viewport_size({"width": args.width, "height": args.height})
        page.emulate_media(reduced_motion="reduce")  # still dashes on the flow lines
        api = "Object.values(window.geomapMaps)[0]"
        mp.js(f"{api}.map.invalidateSize()")
        # frame France to the Caucasus, where the examples happen, clear of the panels, and
        # open one place's popup (without panning) so the picture shows the marked sentences
        mp.js("""([pid, x, y]) => {
          const a = Object.values(window.geomapMaps)[0], map = a.map;
          map.fitBounds([[38.5, -4], [55, 46]], {animate: false,
                        paddingTopLeft: [40, 10], paddingBottomRight: [190, 10]});
          map.addLayer(a.heat);
          const p = a.placeIndex(pid);
          let marker = null;
          a.cluster.getLayers().forEach(m => { if (m.options.gmPlace === p) marker = m; });
          if (!marker) return;
          const pt = map.latLngToContainerPoint(marker.getLatLng());
          map.panBy([pt.x - x, pt.y - y], {animate: false});
          marker.getPopup().options.autoPan = false;
          setTimeout(() => marker.openPopup(), 300);
        }""", [args.popup, 330, 490])
        mp.settle()
        page.wait_for_timeout(900)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out))
        if mp.errors:
            raise SystemExit(f"page errors: {mp.errors}")
        browser.close()
    print(f"{args.out} ({args.out.stat().st_size / 1000:.0f} kB)")


if __name__ == "__main__":
    main()
