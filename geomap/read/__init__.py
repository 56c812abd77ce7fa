"""The read stage's web inputs: saved pages, fetched URLs and RSS/Atom feeds.

:func:`geomap.documents.read_documents` is the stage's entry point; these
modules do its web work: :mod:`~geomap.read.html` extracts an article from a
page (trafilatura), :mod:`~geomap.read.fetch` fetches URLs politely (httpx),
:mod:`~geomap.read.feeds` reads feeds (feedparser).
"""
