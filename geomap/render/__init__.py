"""Interactive HTML maps of events, drawn with folium and a little JavaScript.

The event data is embedded **once** in the page as JSON (:mod:`.payload`); geomap's own
script (``geomap/static/map.js``) builds one marker per place (with its event count), the
per-type layers, clusters, the heat layer, country shapes, the legend and the date-range
control on the client side. That keeps a 100,000-event map to one compact payload instead
of one Python ``folium.Marker`` (and one block of generated JavaScript) per event.

Every page is self-contained (:mod:`.assets`): Leaflet, its plugins and Font Awesome are
vendored in the package and inlined, so the page references no CDN and the only request
it makes is for the tile layer the user picked; with ``tiles="none"`` (what
``offline=True`` implies) it makes none at all.

Everything that comes from a document (sentences, titles, URLs, actors, place names) is
data: it is embedded as escaped JSON and put into the page with DOM APIs
(``textContent``), never as HTML, and never passes through a template engine; links are
only made for ``http`` and ``https`` URLs.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
from branca.element import Figure, MacroElement

from .._io import atomic_write_text
from ..errors import UnknownOption, options_message
from ..names import check_names_language
from ..records import Event
from .assets import VENDORED, SelfContainedPage, inline_css, inline_js, raw
from .payload import json_for_html, payload
from .shapes import outline

__all__ = ["render_map", "save_map", "resolve_tiles", "TILES"]

#: Accepted ``tiles`` values; ``"none"`` draws an outline basemap of country shapes instead.
TILES: tuple[str, ...] = ("OpenStreetMap", "CartoDB positron", "CartoDB dark_matter", "none")

GEONAMES_ATTRIBUTION = "Place data © GeoNames, CC BY 4.0"
_OUTLINE_ATTRIBUTION = "Country outlines: Natural Earth (via countryinfo)"

# The plugins geomap's script uses, in load order (after Leaflet), by vendored name.
_PLUGINS = ("leaflet_markercluster", "leaflet_markercluster_css",
            "leaflet_markercluster_default_css", "leaflet_heat", "leaflet_minimap",
            "leaflet_minimap_css", "leaflet_search", "leaflet_search_css")


class _EventMap(MacroElement):
    """The payload (once, as JSON) and the call that draws it on its parent map.

    Rendered without templates: document text in the payload must never be read as
    Jinja (branca re-parses the output of an element's macros as a template).
    """

    def __init__(self, data: dict[str, Any], tile_layer: folium.TileLayer | None,
                 tile_name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeomapEvents"
        self.payload = data
        self.tile_var = tile_layer.get_name() if tile_layer is not None else "null"
        self.tile_name = tile_name

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        parent = self._parent
        assert isinstance(figure, Figure) and parent is not None, "render the map's page"
        for name in _PLUGINS:
            figure.header.add_child(
                raw("\n".join((inline_css if rel.endswith(".css") else inline_js)("vendor/" + rel)
                              for rel in VENDORED[name])), name=name)
        figure.header.add_child(raw(inline_css("map.css")), name="geomap_css")
        figure.header.add_child(raw(inline_js("map.js")), name="geomap_js")
        data_id = self.get_name() + "_data"
        figure.html.add_child(raw(
            f'<script type="application/json" id="{data_id}">{json_for_html(self.payload)}'
            "</script>"), name=self.get_name())
        figure.script.add_child(raw(
            f"geomapDraw({parent.get_name()}, {json.dumps(data_id)}, {self.tile_var}, "
            f"{json_for_html(self.tile_name)});"), name=self.get_name())
        return ""


def resolve_tiles(tiles: str | None, offline: bool = False) -> str:
    """The tile layer a map gets: ``tiles`` checked, or the default for ``offline``.

    Parameters
    ----------
    tiles : str or None
        One of :data:`TILES`, or ``None`` for the default.
    offline : bool, default False
        An offline map contacts no host: its default is ``"none"`` and a tile
        server is refused.

    Returns
    -------
    str
        One of :data:`TILES`.

    Raises
    ------
    UnknownOption
        If ``tiles`` is not one of :data:`TILES`, or is a tile server while
        ``offline`` is true.

    Examples
    --------
    >>> resolve_tiles(None), resolve_tiles(None, offline=True)
    ('OpenStreetMap', 'none')
    >>> resolve_tiles("OpenStreetMap", offline=True)
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: an offline map contacts no host, ... use --tiles none
    """
    if tiles is not None and tiles not in TILES:
        raise UnknownOption(options_message("tiles", tiles, TILES))
    if offline and tiles not in (None, "none"):
        raise UnknownOption(
            f"an offline map contacts no host, so it cannot use the tiles {tiles!r}; "
            "leave --tiles out or use --tiles none")
    return tiles or ("none" if offline else "OpenStreetMap")


def render_map(
    events: Sequence[Event],
    *,
    tiles: str | None = None,
    title: str | None = None,
    country_shapes: Callable[[str], dict[str, Any] | None] | None = None,
    offline: bool = False,
    flows: bool = False,
    homes: Mapping[str, Sequence[float]] | None = None,
    names: str = "en",
    place_names: Callable[[Iterable[int]], Mapping[int, Sequence[tuple[str, str | None]]]]
    | None = None,
) -> folium.Map:
    """Draw events on an interactive folium map.

    One marker per place (grouped by GeoNames id) shows how many events happened
    there; its popup lists them with the sentence (trigger and place marked),
    dates, precisions, confidence and source. Each event type present is a
    toggleable layer with its colour and icon; a legend counts the events; a
    two-handle date control over a histogram of events (by day, week, month or
    year) filters every layer at once, and its play button steps through time.
    Country-level events are drawn on the country's shape, region-level places
    get a dashed ring. The map also has clustering, a heat layer, place search,
    full screen, a minimap and a scale. Its scripts, styles and fonts are inlined
    from the package: the page fetches nothing but its tiles.

    Parameters
    ----------
    events : sequence of Event
        The events to draw (already filtered by the caller).
    tiles : str, optional
        One of :data:`TILES` (default ``"OpenStreetMap"``, or ``"none"`` when
        ``offline``). ``"none"`` draws no tiles but an outline basemap of
        country shapes, so the map shows something without a network.
    title : str, optional
        A title shown on the map and as the page title.
    country_shapes : callable, optional
        ``country_shapes("RU")`` returns a GeoJSON geometry dict (or ``None``);
        shapes it lacks come from the countryinfo package.
    offline : bool, default False
        A map that makes no network request at all: implies ``tiles="none"``,
        and refuses any other tile layer.
    flows : bool, default False
        Add a "Flows" layer (in the layer control) of lines from an actor's
        home country to the event's place, e.g. North Korean troops → Kursk.
        Actors that name a country, as ``"North Korea (KP)"`` (demonyms), count;
        actors of the place's own country draw no line. The lines follow the
        date and type filters.
    homes : mapping, optional
        ISO code → ``(lat, lon)`` of an actor's home. Codes it lacks get their
        capital (from countryinfo), else the centroid of the country's shape.
    names : str, default "en"
        Language of the country names shown (CLDR), one of
        :data:`geomap.names.NAME_LANGUAGES`; the names places had in the events
        stay searchable as alternates.
    place_names : callable, optional
        ``place_names(geonameids)`` maps each place to its gazetteer names as
        ``(name, lang)`` pairs, asked once for every place of the map
        (:meth:`gazetteer.Gazetteer.names_of`): admin areas are then shown by their
        name in ``names`` when the gazetteer has one, and search finds a place by any
        of its Latin-script names ("Kiev" finds Kyiv).

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`.

    Raises
    ------
    UnknownOption
        If ``tiles`` is not one of :data:`TILES`, or names a tile server while
        ``offline`` is true.

    Examples
    --------
    >>> import datetime as dt
    >>> from geomap.records import DateResolution, Event, Place
    >>> kursk = Place(554234, "Kursk", 51.73, 36.19, "PPLA", "RU")
    >>> day = DateResolution(dt.date(2024, 8, 6), dt.date(2024, 8, 6), "day", "exact")
    >>> m = render_map([Event("armed_clash", kursk, day, "Fighting in Kursk.")])
    >>> "Armed clash" in m.get_root().render()
    True
    >>> render_map([], tiles="Stamen")
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: unknown tiles 'Stamen'; options are: OpenStreetMap, ...
    """
    tiles = resolve_tiles(tiles, offline)
    check_names_language(names)
    events = list(events)
    m = folium.Map(
        location=[20.0, 10.0],
        zoom_start=2,
        tiles=None if tiles == "none" else tiles,
        control_scale=True,
        world_copy_jump=True,
    )
    page = SelfContainedPage()
    page.add_child(m)
    if title:
        page.header.add_child(raw(f"<title>{html.escape(title)}</title>"), name="geomap_title")
    tile_layer = next((c for c in m._children.values() if isinstance(c, folium.TileLayer)), None)
    attribution = [GEONAMES_ATTRIBUTION]
    basemap = None
    if tiles == "none":
        basemap = outline(country_shapes)
        attribution.append(_OUTLINE_ATTRIBUTION)
    data = payload(events, country_shapes, title, basemap, attribution, flows, homes, names,
                   place_names)
    folium.plugins.Fullscreen(position="topleft").add_to(m)  # type: ignore[no-untyped-call]
    _EventMap(data, tile_layer, tiles).add_to(m)
    return m


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write the map as one HTML file, atomically, and return its path.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`render_map` (any folium map works).
    path : str or path-like
        Where to write; parent directories are created.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = save_map(render_map([]), pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return atomic_write_text(path, m.get_root().render())
