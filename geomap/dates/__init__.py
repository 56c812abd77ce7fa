"""The dates stage: find and resolve date expressions against a partial document date.

Every expression is resolved against the document date, which may itself be
known only to the month or the year. A partial document date is never
sharpened: "lundi" in a story dated ``2025-04`` stays at month granularity
and says so in its ``reason``. Absolute dates, months, years, quarters, parts
of months and years, weekdays, "hier"/"yesterday"-like words, "last week",
"since August 2024", "in recent days" and ranges ("du 3 au 5 mars 2024",
"from March to May 2024") are understood; accents and case are folded before
matching, offsets always refer to the original text.

What the stage knows of each language is data, the ``dates`` section of the
language pack (``geomap/lang/<code>/dates.json``); a language without a pack
raises :class:`~geomap.errors.UnknownOption`.

Modules: :mod:`~geomap.dates.grammar` (the pack's words and patterns),
:mod:`~geomap.dates.context` (what handlers share), :mod:`~geomap.dates.absolute`
and :mod:`~geomap.dates.relative` (the handlers), :mod:`~geomap.dates.find`
(:func:`find_dates`, :func:`resolve_date`), :mod:`~geomap.dates.stage`
(:func:`sentence_dates`, the pipeline's stage).
"""

from __future__ import annotations

from .find import find_dates, resolve_date
from .stage import sentence_dates

__all__ = ["find_dates", "resolve_date", "sentence_dates"]
