"""The database schema, shared by the builders and the reader."""

from __future__ import annotations

__all__ = ["SCHEMA_VERSION", "APP_ID", "DDL", "INDEXES", "FLAG_PRIMARY", "FLAG_ALT",
           "FLAG_DERIVED", "FLAG_DISPLAY", "KINDS"]

#: Bumped whenever tables, columns or the meaning of a value change.
SCHEMA_VERSION = 1
#: SQLite ``application_id`` marking a geomap gazetteer ("GMGZ").
APP_ID = 0x474D475A

FLAG_ALT = 0  # an alternate name
FLAG_PRIMARY = 1  # the place's own name
FLAG_DERIVED = 2  # an admin name with its generic word removed ("kurskaya" from "Kurskaya oblast'")
FLAG_DISPLAY = 3  # a name to show and search by ("Kursk Oblast"), never matched in text

KINDS = ("continent", "country", "admin1", "admin2", "city", "region")

DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    country_code TEXT,
    admin1 TEXT,
    admin2 TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    bonus REAL NOT NULL DEFAULT 0
);
CREATE TABLE names (
    folded TEXT NOT NULL,
    geonameid INTEGER NOT NULL,
    name TEXT NOT NULL,
    lang TEXT,
    flag INTEGER NOT NULL
);
CREATE TABLE country_shapes (code TEXT PRIMARY KEY, geojson TEXT NOT NULL);
CREATE TABLE demonyms (lang TEXT NOT NULL, folded TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE region_words (lang TEXT NOT NULL, word TEXT NOT NULL, level TEXT NOT NULL);
CREATE VIRTUAL TABLE city_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);
"""

INDEXES = """
CREATE INDEX names_folded ON names (folded, geonameid, flag, lang, name);
CREATE INDEX places_admin ON places (country_code, kind, admin1, admin2);
CREATE INDEX demonyms_lang ON demonyms (lang);
"""
