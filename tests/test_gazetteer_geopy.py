"""The geopy adapter against the fixture gazetteer, including geopandas.tools.geocode, with
the network made unreachable."""

from __future__ import annotations

import socket
from pathlib import Path

import gazetteer_fixtures as gf
import pandas as pd
import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from gazetteer import Gazetteer
from gazetteer.geopy import LocalGazetteer

tiny = gf.tiny  # the shared fixture, used by name below
tiny_path = gf.tiny_path  # the shared fixture, used by name below



@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the local gazetteer tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_is_a_geopy_geocoder(tiny_path: Path) -> None:
    coder = LocalGazetteer(path=tiny_path)
    assert isinstance(coder, Geocoder)
    loc = coder.geocode("Moscou", language="fr")
    assert isinstance(loc, Location)
    assert (loc.latitude, loc.longitude) == pytest.approx((55.75222, 37.61556))
    assert loc.raw["geonameid"] == 524901 and loc.raw["kind"] == "city"
    assert loc.address == "Moscow, Russia"


def test_geocode_options(tiny: Gazetteer) -> None:
    coder = LocalGazetteer(gazetteer=tiny)
    us = coder.geocode("Moscow", country_codes="us")
    assert us is not None and us.raw["geonameid"] == 5601538
    assert us.address == "Moscow, Idaho, United States"
    both = coder.geocode("Paris", exactly_one=False, country_codes=["US", "FR"])
    assert [loc.raw["geonameid"] for loc in both] == [2988507, 4717560]
    assert coder.geocode("Nowhere at all") is None
    assert coder.geocode("") is None


def test_reverse(tiny: Gazetteer) -> None:
    coder = LocalGazetteer(gazetteer=tiny)
    loc = coder.reverse("51.7, 36.2")
    assert loc is not None and loc.raw["geonameid"] == 538560
    assert coder.reverse((46.73, -117.0), exactly_one=False)[0].raw["name"] == "Moscow"


@pytest.mark.parametrize("as_instance", [False, True])
def test_geopandas_geocode(tiny_path: Path, as_instance: bool) -> None:
    import geopandas.tools

    if as_instance:
        df = geopandas.tools.geocode(["Paris", "Kiev", "Nowhere"],
                                     provider=LocalGazetteer(path=tiny_path))
    else:
        df = geopandas.tools.geocode(["Paris", "Kiev", "Nowhere"], provider=LocalGazetteer,
                                     path=tiny_path)
    assert df.crs.to_epsg() == 4326
    assert (df.geometry.iloc[0].x, df.geometry.iloc[0].y) == pytest.approx((2.3488, 48.85341))
    assert df.address.iloc[1] == "Kyiv, Kyiv City, Ukraine"
    assert df.geometry.iloc[2].is_empty and pd.isna(df.address.iloc[2])


def test_geopandas_reverse_geocode(tiny_path: Path) -> None:
    import geopandas.tools
    from shapely.geometry import Point

    df = geopandas.tools.reverse_geocode([Point(2.35, 48.85)], provider=LocalGazetteer,
                                         path=tiny_path)
    assert df.address.iloc[0].startswith("Paris")
