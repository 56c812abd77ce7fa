"""The read stage: files, directories, JSON lines, stdin, pages, feeds and URLs → documents.

:func:`geomap.documents.read_documents` is the stage's entry point; these
modules do its work, one kind of input each: :mod:`~geomap.read.text` (plain
text, encodings, header lines), :mod:`~geomap.read.jsonl` (JSON lines, gzip),
:mod:`~geomap.read.web` (pages, URLs and feeds as documents), with
:mod:`~geomap.read.html` extracting an article from a page (trafilatura),
:mod:`~geomap.read.fetch` fetching URLs politely (httpx) and
:mod:`~geomap.read.feeds` reading feeds (feedparser).
:mod:`~geomap.read.reader` sends each input to its reader under the run's
error policy and ids (:mod:`~geomap.read.policy`); :mod:`~geomap.read.paths`
says which files are read as what, :mod:`~geomap.read.language` which
languages a document may carry.
"""
