"""GeoNames per-country dumps: download (resumable) and add them to a gazetteer build.

GeoNames publishes one zip per country under its dump root
(https://download.geonames.org/export/dump/): ``XX.zip`` (the places, with
villages of any size) and ``alternatenames/XX.zip`` (their names in other
languages). A mirror is any copy with the same layout, an http(s) URL or a
directory. Downloads go to a folder beside the gazetteer (``geonames/``), as
``.part`` files renamed when complete, so an interrupted download resumes
where it stopped (HTTP range requests) and a finished one is not fetched again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .core import default_path
from .default import build_default
from .errors import GazetteerBuildError
from .geonames import CountryDump, build_geonames
from .writer import Progress

__all__ = ["DEFAULT_MIRROR", "GazetteerDownloadError", "parse_countries", "download_countries",
           "build_countries"]

#: GeoNames' own dump root.
DEFAULT_MIRROR = "https://download.geonames.org/export/dump/"
_USER_AGENT = "geomap-gazetteer/0.1 (downloads the GeoNames dumps its user asks for)"
_CODE = re.compile(r"^[A-Z]{2}$")


class GazetteerDownloadError(GazetteerBuildError):
    """A per-country dump that cannot be downloaded: no network, not on the mirror, broken."""


def parse_countries(text: str | Sequence[str]) -> list[str]:
    """``"ua, RU,SD"`` → ``["UA", "RU", "SD"]`` (ISO 3166-1 alpha-2, duplicates dropped).

    >>> parse_countries("ua, RU,SD,ua")
    ['UA', 'RU', 'SD']
    >>> parse_countries("Ukraine")
    Traceback (most recent call last):
    ...
    gazetteer.download.GazetteerDownloadError: country code 'Ukraine' is not an ISO 3166-1 ...
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    out: list[str] = []
    for item in items:
        code = item.strip().upper()
        if not code:
            continue
        if not _CODE.match(code):
            raise GazetteerDownloadError(
                f"country code {item.strip()!r} is not an ISO 3166-1 alpha-2 code; "
                "give codes such as UA,RU,SD")
        if code not in out:
            out.append(code)
    if not out:
        raise GazetteerDownloadError("no country code given; give codes such as UA,RU,SD")
    return out


def _files(code: str) -> tuple[str, str]:
    return f"{code}.zip", f"alternatenames/{code}.zip"


def download_countries(
    countries: Sequence[str],
    dest: Path,
    *,
    mirror: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    retries: int = 3,
    timeout: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[CountryDump]:
    """Fetch ``XX.zip`` and ``alternatenames/XX.zip`` of each country into ``dest``.

    Parameters
    ----------
    countries : sequence of str
        ISO 3166-1 alpha-2 codes (see :func:`parse_countries`).
    dest : pathlib.Path
        Download folder; complete files there are reused, ``.part`` files resumed.
    mirror : str or path, optional
        Dump root: an http(s) URL or a directory with GeoNames' layout
        (default :data:`DEFAULT_MIRROR`). A directory's files are used in place.
    progress : callable, optional
        ``progress(file, bytes_done, bytes_total)``.
    retries : int
        Further attempts, each resuming, after a dropped connection or a timeout.

    Returns
    -------
    list of CountryDump
        With a record (file, source, size, SHA-256, date) per file.

    Raises
    ------
    GazetteerDownloadError
        One line naming the file and the reason: no network, not on the mirror
        (listing every missing country), a broken zip.
    """
    codes = parse_countries(countries)
    root = str(mirror) if mirror is not None else DEFAULT_MIRROR
    report = progress or (lambda stage, done, total: None)
    is_http = re.match(r"^https?://", root, re.IGNORECASE) is not None
    if not is_http:
        folder = Path(root)
        if not folder.is_dir():
            raise GazetteerDownloadError(
                f"mirror {root} is neither an http(s) URL nor a directory; give the dump "
                f"root, e.g. {DEFAULT_MIRROR}")
        absent = [f"{root.rstrip('/')}/{rel}" for code in codes for rel in _files(code)
                  if not (folder / rel).is_file()]
        if absent:
            raise GazetteerDownloadError(
                f"mirror {root} has no {', '.join(absent)}; check the country codes "
                "(ISO 3166-1 alpha-2) or the mirror")
        local = []
        for code in codes:
            files = [folder / rel for rel in _files(code)]
            local.append(CountryDump(code, files[0], files[1], tuple(
                _record(rel, str(p), p, None) for rel, p in zip(_files(code), files,
                                                                strict=True))))
        return local

    import httpx

    base = root if root.endswith("/") else root + "/"
    dumps = []
    missing: list[str] = []
    with httpx.Client(follow_redirects=True, timeout=httpx.Timeout(timeout),
                      headers={"User-Agent": _USER_AGENT}) as client:
        for code in codes:
            paths: list[Path] = []
            records: list[dict[str, Any]] = []
            for rel in _files(code):
                target = dest / rel
                url = base + rel
                try:
                    modified = _fetch(client, url, target, rel, report, retries, sleep)
                except _Missing:
                    missing.append(url)
                    continue
                paths.append(target)
                records.append(_record(rel, url, target, modified))
            if len(paths) == 2:
                dumps.append(CountryDump(code, paths[0], paths[1], tuple(records)))
    if missing:
        raise GazetteerDownloadError(
            f"mirror {root} has no {', '.join(missing)} (HTTP 404); check the country codes "
            "(ISO 3166-1 alpha-2) or the mirror")
    return dumps


class _Missing(Exception):
    """A file the mirror does not have (404)."""


def _fetch(client: Any, url: str, target: Path, label: str, report: Progress, retries: int,
           sleep: Callable[[float], None]) -> str | None:
    """Download ``url`` to ``target`` (resuming ``target.part``); return its Last-Modified."""
    import httpx

    side = target.with_name(target.name + ".json")
    if target.is_file():
        size = target.stat().st_size
        report(label, size, size)
        try:
            return str(json.loads(side.read_text(encoding="utf-8")).get("last_modified") or "")
        except (OSError, ValueError):
            return None
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    for attempt in range(retries + 1):
        have = part.stat().st_size if part.is_file() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with client.stream("GET", url, headers=headers) as r:
                if r.status_code == 404:
                    raise _Missing(url)
                if r.status_code == 416 and have:  # the part is whole, or the file changed
                    part.unlink()
                    continue
                if r.status_code >= 400:
                    raise GazetteerDownloadError(
                        f"cannot download {url}: HTTP {r.status_code} {r.reason_phrase}; "
                        "try again later or use another --mirror")
                length = r.headers.get("content-length")
                if r.status_code == 206:
                    mode, done = "ab", have
                else:
                    mode, done = "wb", 0
                total = done + int(length) if length and length.isdigit() else 0
                modified = str(r.headers["last-modified"]) if r.headers.get(
                    "last-modified") else None
                with part.open(mode) as fh:
                    for chunk in r.iter_bytes():
                        fh.write(chunk)
                        done += len(chunk)
                        report(label, done, total)
                if total and done < total:
                    raise httpx.RemoteProtocolError("the connection closed early")
        except (httpx.ConnectError, httpx.UnsupportedProtocol) as err:
            raise GazetteerDownloadError(
                f"cannot download {url}: no network connection to the mirror ({err}); "
                "check the network, or give --mirror DIR with a local copy") from err
        except (httpx.TimeoutException, httpx.TransportError) as err:
            if attempt == retries:
                raise GazetteerDownloadError(
                    f"download of {url} interrupted ({type(err).__name__}: {err}); "
                    f"run the command again to resume from {part}") from err
            sleep(min(2.0 ** attempt, 30.0))
            continue
        _check_zip(part, url)
        os.replace(part, target)
        side.write_text(json.dumps({"url": url, "last_modified": modified}), encoding="utf-8")
        return modified
    raise GazetteerDownloadError(f"cannot download {url}; run the command again")


def _check_zip(path: Path, url: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (OSError, zipfile.BadZipFile) as err:
        path.unlink(missing_ok=True)
        raise GazetteerDownloadError(
            f"{url} is not a readable zip ({err}); it was discarded, run the command again"
        ) from err
    if bad is not None:
        path.unlink(missing_ok=True)
        raise GazetteerDownloadError(f"{url} is a damaged zip (member {bad}); it was "
                                     "discarded, run the command again")


def _record(rel: str, source: str, path: Path, modified: str | None) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    stamp = modified or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(path.stat().st_mtime))
    return {"file": rel, "source": source, "size": path.stat().st_size,
            "sha256": digest.hexdigest(), "date": stamp}


def build_countries(
    countries: str | Sequence[str],
    path: Path | None = None,
    *,
    mirror: str | os.PathLike[str] | None = None,
    geonames: Path | None = None,
    custom: Sequence[Path] = (),
    progress: Progress | None = None,
    download_dir: Path | None = None,
) -> Path:
    """Download per-country GeoNames dumps and build a gazetteer with them.

    The build holds what :func:`~gazetteer.build_default` holds (or, with
    ``geonames``, what :func:`~gazetteer.build_geonames` reads from that
    folder) plus every place of those countries that it lacked: villages of
    any size, localities, named areas, with their names in every language.
    The previous database stays untouched until the new one is complete.

    Parameters
    ----------
    countries : str or sequence of str
        ``"UA,RU,SD"`` or ``["UA", "RU"]``.
    path : pathlib.Path, optional
        The database written (default: :func:`gazetteer.default_path`).
    mirror : str or path, optional
        Dump root, URL or directory (default :data:`DEFAULT_MIRROR`).
    geonames : pathlib.Path, optional
        A folder of GeoNames dumps to build from instead of the packaged data.
    custom, progress
        As in :func:`~gazetteer.build_default`.
    download_dir : pathlib.Path, optional
        Where downloads go (default: ``geonames/`` beside the database).

    Returns
    -------
    pathlib.Path
    """
    codes = parse_countries(countries)
    target = Path(path) if path is not None else default_path()
    dest = download_dir or target.parent / "geonames"
    dumps = download_countries(codes, dest, mirror=mirror, progress=progress)
    if geonames is not None:
        return build_geonames(geonames, target, custom=custom, progress=progress,
                              countries=dumps)
    return build_default(target, custom=custom, progress=progress, countries=dumps)

