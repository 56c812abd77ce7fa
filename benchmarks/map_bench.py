"""Map renderer benchmark: 10,000 and 100,000 events (one place per five events).

For each size, prints the time to build and save the map, the HTML size, and, in headless
Chromium (``/usr/bin/chromium``; skipped without it, every network request cut), the time
to first draw (payload parsed, markers built and clustered, the date filter applied), then
the time of a date-filter redraw, a layer toggle and a handle drag.

    .venv/bin/python benchmarks/map_bench.py [--events N [N ...]] [--out DIR] [--flows]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from geomap.records import DateResolution, Event, Place, Source
from geomap.render import render_map, save_map

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
TYPES = ["armed_clash", "territory_change", "remote_violence", "violence_against_civilians",
         "troop_deployment", "military_aid", "protest", "arrest", "agreement", "statement"]
WORDS = ("troops forces village shelling drone attack residents officials said reported "
         "near the of in on after during overnight region city ministry army").split()
ACTORS = [("Army",), ("Russia (RU)",), ("North Korea (KP)", "Army"), ("Belarus (BY)",)]
FEATURES = ["PPL"] * 90 + ["PPLA"] * 4 + ["ADM1"] * 3 + ["ADM2"] * 2 + ["RGN"]


def make_events(n_events: int, n_places: int, seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    places = []
    for i in range(n_places):
        lat = max(-60.0, min(70.0, rng.gauss(45, 12)))
        lon = max(-179.0, min(179.0, rng.gauss(30, 25)))
        feature = rng.choice(FEATURES)
        places.append(Place(100_000 + i, f"Place {i}", round(lat, 4), round(lon, 4), feature, "UA"))
    places += [Place(1, "Ukraine", 49.0, 32.0, "PCLI", "UA"),
               Place(2, "Russia", 60.0, 100.0, "PCLI", "RU")]
    sources = [Source(f"doc-{i}", f"Article {i}", f"https://example.org/{i}") for i in range(5000)]
    start = dt.date(2023, 1, 1)
    events = []
    for i in range(n_events):
        place = places[rng.randrange(len(places))] if rng.random() > 0.002 else places[-2]
        day = start + dt.timedelta(days=rng.randrange(730))
        if rng.random() < 0.2:
            date = DateResolution(day.replace(day=1), day.replace(day=28), "month", "approximate")
        else:
            date = DateResolution(day, day, "day", "exact")
        trigger = rng.choice(WORDS)
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
        words.insert(rng.randrange(len(words)), place.name)
        words.insert(rng.randrange(len(words)), trigger)
        sentence = " ".join(words).capitalize() + f" ({i})."
        events.append(Event(rng.choice(TYPES), place, date, sentence, trigger=trigger,
                            actors=rng.choice(ACTORS) if rng.random() < 0.3 else (),
                            confidence=round(rng.random(), 2), reason="same clause",
                            source=sources[rng.randrange(len(sources))]))
    return events


def browser_figures(path: Path) -> dict[str, float] | None:
    if not CHROMIUM.exists():
        print("browser: skipped (needs /usr/bin/chromium)")
        return None
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def route(r):  # type: ignore[no-untyped-def]
        url = r.request.url
        if url.startswith(("file:", "data:")):
            return r.continue_()
        blocked.append(url)
        return r.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", route)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri(), timeout=300_000)
        page.wait_for_function("document.documentElement.getAttribute('data-geomap-ready')",
                               timeout=300_000, polling=50)
        wall = time.perf_counter() - t0
        figures = page.evaluate("""() => {
          const api = Object.values(window.geomapMaps)[0];
          const nav = performance.getEntriesByType('navigation')[0];
          const t = api.timings;
          const out = {script_start_ms: t.start, parse_ms: t.parse, index_ms: t.index,
                       markers_built_ms: t.markers, ready_ms: t.ready,
                       first_filter_and_cluster_ms: t.firstApply.total,
                       interactive_ms: t.start + t.ready,
                       dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null};
          let a = performance.now(); api.setRange('2023-06-01', '2023-09-30');
          out.date_filter_4_months_ms = performance.now() - a;
          out.visible_after_filter = api.state().visibleEvents;
          a = performance.now(); api.setRange(null, null);
          out.date_reset_ms = performance.now() - a;
          const h = api.histogram();
          out.histogram = h.counts.length + " bars by " + h.unit;
          a = performance.now(); api.play();
          out.play_first_frame_ms = performance.now() - a;
          out.visible_in_first_frame = api.state().visibleEvents;
          api.pause(); api.setRange(null, null);
          if (api.flows) out.flow_lines = api.state().flowLines;
          return out;
        }""")
        for name, method in (("layer_toggle_off_ms", "removeLayer"),
                             ("layer_toggle_on_ms", "addLayer")):
            figures[name] = page.evaluate("""(method) => new Promise(res => {
              const api = Object.values(window.geomapMaps)[0];
              const a = performance.now();
              api.map[method](api.typeLayers[0]);
              (function wait() { if (api.settled) res(performance.now() - a);
                                 else requestAnimationFrame(wait); })();
            })""", method)
        # a drag: 20 input events on the right-hand handle, then its release
        figures.update(page.evaluate("""() => new Promise(res => {
          const api = Object.values(window.geomapMaps)[0];
          const hi = document.querySelector('.gm-date input.gm-hi');
          const max = +hi.max, min = +hi.min, costs = [];
          for (let k = 1; k <= 20; k++) {
            hi.value = Math.round(max - (max - min) * k / 40);
            const a = performance.now();
            hi.dispatchEvent(new Event('input', {bubbles: true}));
            costs.push(performance.now() - a);
          }
          const a = performance.now();
          hi.dispatchEvent(new Event('change', {bubbles: true}));
          (function wait() {
            if (api.settled) res({drag_input_max_ms: Math.max(...costs),
                                  drag_release_to_drawn_ms: performance.now() - a});
            else requestAnimationFrame(wait);
          })();
        })"""))
        figures["load_to_ready_wall_s"] = wall
        figures["markers_in_dom"] = page.locator(".leaflet-marker-icon").count()
        figures["requests_blocked"] = len(blocked)
        if errors:
            print("page errors:", errors, file=sys.stderr)
        browser.close()
    return figures


def bench(n_events: int, out_dir: Path, flows: bool) -> None:
    n_places = max(1, n_events // 5)
    t = time.perf_counter()
    events = make_events(n_events, n_places)
    print(f"== {len(events):,} events over {len({e.place.geonameid for e in events}):,} "
          f"places (made in {time.perf_counter() - t:.1f} s)")

    t = time.perf_counter()
    # offline: no tiles, so the browser figures do not wait on (cut) tile requests
    m = render_map(events, title="benchmark", flows=flows, offline=True)
    t_render = time.perf_counter() - t
    t = time.perf_counter()
    path = save_map(m, out_dir / f"map-{n_events}.html")
    t_save = time.perf_counter() - t
    size = path.stat().st_size
    print(f"render_map: {t_render:.2f} s   save_map: {t_save:.2f} s   "
          f"total: {t_render + t_save:.2f} s")
    print(f"file size: {size / 1e6:.2f} MB ({size / len(events):.0f} bytes/event) → {path}")

    figures = browser_figures(path)
    if figures:
        print(f"time to first draw: {figures['interactive_ms'] / 1000:.2f} s   "
              f"date-filter redraw: {figures['date_filter_4_months_ms'] / 1000:.3f} s")
        print("headless Chromium:")
        for key, value in figures.items():
            if isinstance(value, (int, float)) and key.endswith(("_ms", "_s")):
                unit = "s" if key.endswith("_s") else "ms"
                print(f"  {key:28s} {value:10.1f} {unit}" if unit == "ms"
                      else f"  {key:28s} {value:10.2f} {unit}")
            else:
                print(f"  {key:28s} {value:>10}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--flows", action="store_true", help="draw the Flows layer too")
    args = ap.parse_args()
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    for n in args.events:
        bench(n, out_dir, args.flows)


if __name__ == "__main__":
    main()
