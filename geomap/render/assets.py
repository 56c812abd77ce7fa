"""The map's scripts, stylesheets, fonts and images: files shipped in ``geomap/static``.

Every map is one self-contained HTML file. The libraries Leaflet and folium's plugins
need are vendored from npm at pinned versions under ``geomap/static/vendor`` (see its
``LICENCES.md``); geomap's own client is ``geomap/static/map.js`` and ``map.css``. When a
page is rendered, each ``<script src>``/``<link href>`` that folium puts in the header is
replaced by the inlined vendored file (stylesheets with their ``url()`` references turned
into data URIs), and the links of folium's defaults that geomap's maps do not use (jQuery,
Bootstrap, Awesome Markers) are left out. So a page references no CDN: the only network
request it makes is for the tile layer the user picked.
"""

from __future__ import annotations

import base64
import functools
import mimetypes
import re
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from branca.element import CssLink, Element, Figure, JavascriptLink

from ..errors import AssetsNotFound

__all__ = [
    "VENDORED", "UNUSED", "static_text", "inline_js", "inline_css", "raw", "SelfContainedPage",
]

#: Header-link name (folium's, or geomap's own) → vendored files, relative to static/vendor.
VENDORED: dict[str, tuple[str, ...]] = {
    "leaflet": ("leaflet/dist/leaflet.js",),
    "leaflet_css": ("leaflet/dist/leaflet.css",),
    # Font Awesome's core and solid styles only: the map uses fa-solid icons, and
    # all.min.css would embed four more fonts.
    "awesome_markers_font_css": ("fontawesome-free/css/fontawesome.min.css",
                                 "fontawesome-free/css/solid.min.css"),
    "Control.Fullscreen.js": ("leaflet.fullscreen/Control.FullScreen.js",),
    "Control.FullScreen.css": ("leaflet.fullscreen/Control.FullScreen.css",),
    "leaflet_markercluster": ("leaflet.markercluster/dist/leaflet.markercluster.js",),
    "leaflet_markercluster_css": ("leaflet.markercluster/dist/MarkerCluster.css",),
    "leaflet_markercluster_default_css": ("leaflet.markercluster/dist/MarkerCluster.Default.css",),
    "leaflet_heat": ("leaflet.heat/dist/leaflet-heat.js",),
    "leaflet_minimap": ("leaflet-minimap/dist/Control.MiniMap.min.js",),
    "leaflet_minimap_css": ("leaflet-minimap/dist/Control.MiniMap.min.css",),
    "leaflet_search": ("leaflet-search/dist/leaflet-search.min.js",),
    "leaflet_search_css": ("leaflet-search/dist/leaflet-search.min.css",),
}

#: folium's default header links that geomap's maps do not need: left out of every page.
UNUSED: frozenset[str] = frozenset({
    "jquery", "bootstrap", "bootstrap_css", "glyphicons_css", "awesome_markers",
    "awesome_markers_css", "awesome_rotate_css",
})

_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
# Font Awesome lists a .ttf fallback after each woff2; every browser that runs the map
# reads woff2, and only the woff2 is vendored.
_TTF_FALLBACK = re.compile(r",\s*url\([^)]*\.ttf\)\s*format\([\"']truetype[\"']\)")
_MIME = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
         ".svg": "image/svg+xml", ".png": "image/png", ".gif": "image/gif"}


def _static() -> Traversable:
    return resources.files("geomap").joinpath("static")


def _file(rel: str) -> Traversable:
    node = _static()
    for part in rel.split("/"):
        node = node.joinpath(part)
    if not node.is_file():
        raise AssetsNotFound(
            f"map asset geomap/static/{rel} is missing from this installation; "
            "reinstall geomap (pip install --force-reinstall geomap)")
    return node


@functools.cache
def static_text(rel: str) -> str:
    """The text of ``geomap/static/<rel>`` (for instance ``"map.js"``).

    Parameters
    ----------
    rel : str
        A ``/``-separated path below ``geomap/static``.

    Returns
    -------
    str
        The file's UTF-8 text.

    Raises
    ------
    AssetsNotFound
        If the file is not installed.

    Examples
    --------
    >>> "geomapDraw" in static_text("map.js")
    True
    """
    return _file(rel).read_text(encoding="utf-8")


def _data_uri(rel: str) -> str:
    suffix = "." + rel.rsplit(".", 1)[-1].lower()
    mime = _MIME.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
    data = base64.b64encode(_file(rel).read_bytes()).decode("ascii")
    return f"data:{mime};base64,{data}"


def _resolve(base: str, ref: str) -> str:
    """``ref`` relative to the directory of ``base`` (both ``/``-separated, inside static)."""
    parts = base.split("/")[:-1]
    for part in ref.split("/"):
        if part == "..":
            if not parts:
                raise AssetsNotFound(f"{base} refers outside geomap/static: {ref}")
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


@functools.cache
def inline_css(rel: str) -> str:
    """A ``<style>`` element of ``static/<rel>`` with each relative ``url()`` as a data URI."""
    css = _TTF_FALLBACK.sub("", static_text(rel))

    def replace(m: re.Match[str]) -> str:
        ref = m.group(2).strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            return m.group(0)  # VML behaviours, data URIs; nothing vendored links out
        target = _resolve(rel, ref.split("#", 1)[0].split("?", 1)[0])
        return f'url("{_data_uri(target)}")'

    css = _CSS_URL.sub(replace, css)
    return "<style>\n" + css.replace("</", "<\\/") + "\n</style>"


@functools.cache
def inline_js(rel: str) -> str:
    """A ``<script>`` element holding ``static/<rel>``."""
    code = static_text(rel)
    # Neither sequence occurs in the pinned files; escaped anyway so a script can never
    # end early or switch the HTML parser into its "escaped" state.
    code = code.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    return "<script>\n" + code + "\n</script>"


def _inline(rel: str) -> str:
    return inline_css(rel) if rel.endswith(".css") else inline_js(rel)


class _Raw(Element):
    """Text put into the page as it is (an ``Element`` would read it as a Jinja template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Render the children, then this element's own markup as it is (no template)."""
        return self.text


def raw(text: str) -> Element:
    """An element that renders as ``text``, unchanged."""
    return _Raw(text)


class SelfContainedPage(Figure):
    """A page whose header links to known libraries are swapped for their inlined copies.

    Links nobody vendored (a plugin the caller added to the map) are kept as they are.
    """

    def render(self, **kwargs: Any) -> str:
        """Render the children, then this element's own markup as it is (no template)."""
        for child in self._children.values():
            child.render(**kwargs)
        for name, child in list(self.header._children.items()):
            if not isinstance(child, (JavascriptLink, CssLink)):
                continue
            if name in UNUSED:
                del self.header._children[name]
            elif name in VENDORED:
                html = "\n".join(_inline("vendor/" + rel) for rel in VENDORED[name])
                self.header._children[name] = _Raw(html)
        return str(self._template.render(this=self, kwargs=kwargs))
