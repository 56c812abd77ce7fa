"""Writes that never leave a half-written file: a temp file, then a rename."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InvalidRecord

__all__ = ["atomic_path", "atomic_write_text", "atomic_write_bytes", "read_model_json"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file private (0600); give it the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        if tmp_path.exists():
            os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def read_model_json(path: str | os.PathLike[str] | None, shipped: str,
                    what: str = "JSON") -> tuple[Any, str]:
    """Read a JSON model file: the one at ``path``, or the package's ``geomap/<shipped>``.

    Returns the parsed data and the file's name for messages; a file that is not
    JSON raises :class:`geomap.errors.InvalidRecord` naming it ("not ``what``").
    """
    if path is None:
        text = resources.files("geomap").joinpath(shipped).read_text(encoding="utf-8")
        source = f"geomap/{shipped}"
    else:
        text, source = Path(path).read_text(encoding="utf-8"), str(path)
    try:
        return json.loads(text), source
    except ValueError as err:
        raise InvalidRecord(f"{source}: not {what} ({err})") from err
