"""A geopy ``Geocoder`` over the local gazetteer: offline, never touches the network.

Works anywhere geopy geocoders do, including ``geopandas.tools.geocode``::

    geopandas.tools.geocode(["Paris", "Koursk"], provider=LocalGazetteer, path="gaz.sqlite")
    geopandas.tools.geocode(["Paris"], provider=LocalGazetteer(path="gaz.sqlite"))
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from .core import Candidate, Gazetteer, open_gazetteer

__all__ = ["LocalGazetteer"]


def _address(c: Candidate, gaz: Gazetteer) -> str:
    parts = [c.name]
    if c.kind in ("city", "admin2") and c.country_code and c.admin1:
        adm = gaz.admin1(c.country_code, c.admin1)
        if adm is not None and adm.name != c.name:
            parts.append(adm.name)
    if c.kind != "country" and c.country_code:
        country = gaz.country(c.country_code)
        parts.append(country.name if country is not None else c.country_code)
    return ", ".join(parts)


class LocalGazetteer(Geocoder):  # type: ignore[misc]
    """Geocode and reverse geocode against a local gazetteer database.

    Parameters
    ----------
    path : str or path-like, optional
        The gazetteer file; ``None`` means :func:`gazetteer.default_path`.
    gazetteer : Gazetteer, optional
        An already opened gazetteer (takes precedence over ``path``).
    lang : str, optional
        Default language of queries (``geocode(..., language=...)`` overrides).

    Notes
    -----
    The geopy base initialiser is not called: it would set up an HTTP adapter
    this geocoder never uses. Instances are callable (returning themselves,
    or a new instance when given a different ``path``) because
    ``geopandas.tools.geocode`` calls ``provider(**kwargs)`` on whatever it
    is handed.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        gazetteer: Gazetteer | None = None,
        lang: str | None = None,
        **_ignored: Any,
    ) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else open_gazetteer(path)
        self.lang = lang
        self.scheme = "https"
        self.timeout = None
        self.proxies = None
        self.headers: dict[str, str] = {}

    def __call__(self, path: str | os.PathLike[str] | None = None, **kwargs: Any) -> LocalGazetteer:
        """Return this geocoder, or one over another gazetteer file (geopy's provider call)."""
        if path is not None and os.fspath(path) != os.fspath(self.gazetteer.path):
            return LocalGazetteer(path, **kwargs)
        return self

    def __enter__(self) -> LocalGazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _location(self, c: Candidate) -> Location:
        raw = c.to_dict()
        return Location(_address(c, self.gazetteer), Point(c.lat, c.lon), raw)

    def geocode(
        self,
        query: str,
        exactly_one: bool = True,
        language: str | None = None,
        country_codes: str | Sequence[str] | None = None,
        **_ignored: Any,
    ) -> Location | list[Location] | None:
        """Return the best match for ``query`` (or all matches when ``exactly_one`` is False).

        ``country_codes`` (one ISO2 code or several) restricts the countries;
        ``None`` is returned when nothing matches.
        """
        if not isinstance(query, str) or not query.strip():
            return None
        lang = language or self.lang
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        if country_codes:
            found: list[Candidate] = []
            for cc in country_codes:
                found.extend(self.gazetteer.search(query, lang=lang, country=cc))
            found.sort(key=lambda c: (-c.score, -c.population))
        else:
            found = self.gazetteer.search(query, lang=lang)
        if not found:
            return None
        if exactly_one:
            return self._location(found[0])
        return [self._location(c) for c in found]

    def reverse(
        self, query: Any, exactly_one: bool = True, **_ignored: Any
    ) -> Location | list[Location] | None:
        """Return the nearest populated place to ``query`` ("lat, lon", a Point or a pair)."""
        point = Point(query)
        res = self.gazetteer.reverse(point.latitude, point.longitude)
        if res.place is None:
            return None
        loc = self._location(res.place)
        return loc if exactly_one else [loc]
