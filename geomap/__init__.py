"""geomap: news text to mapped, typed, dated events (public API filled in by pipeline)."""
