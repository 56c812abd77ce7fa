"""Which files are read, and as what: suffixes, file stems, inputs that name a file."""

from __future__ import annotations

import os
from pathlib import Path

from .feeds import FEED_SUFFIXES
from .html import HTML_SUFFIXES

__all__ = ["TEXT_SUFFIXES", "JSONL_SUFFIXES", "READ_SUFFIXES", "suffix", "stem",
           "looks_like_path", "existing_path", "walk"]

#: Suffixes read as plain text when walking a directory.
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".md")
#: Suffixes read as JSON lines (one document per line).
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".jsonl.gz", ".ndjson")
#: Every suffix a named file is read by.
READ_SUFFIXES: tuple[str, ...] = JSONL_SUFFIXES + TEXT_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES

_MAX_PATH_LIKE = 4096
# Feeds found when walking a directory (a named .xml file is read as a feed too).
_WALKED_FEEDS = (".rss", ".atom")


def suffix(path: Path) -> str:
    """The suffix ``path`` is read by (``.jsonl.gz`` whole), else its last suffix, lower-cased."""
    name = path.name.lower()
    for known in READ_SUFFIXES:
        if name.endswith(known):
            return known
    return path.suffix.lower()


def stem(path: Path) -> str:
    """The file name without the suffix it is read by (the name itself if nothing is left)."""
    known = suffix(path)
    name = path.name
    short = name[: len(name) - len(known)] if known and name.lower().endswith(known) else name
    return short or name


def looks_like_path(text: str) -> bool:
    """A file name, not a document: one word (or has a slash) ending in a suffix we read."""
    value = text.strip()
    if "\n" in value or len(value) > _MAX_PATH_LIKE:
        return False
    if " " in value and "/" not in value and os.sep not in value:
        return False
    return value.lower().endswith(READ_SUFFIXES)


def existing_path(text: str) -> Path | None:
    """``text`` as a path when a file or directory exists there, else None."""
    if "\n" in text or "\x00" in text or len(text) > _MAX_PATH_LIKE or not text.strip():
        return None
    try:
        path = Path(text)
        return path if path.exists() else None
    except (OSError, ValueError):
        return None


def walk(directory: Path) -> list[Path]:
    """The files of ``directory`` read when walking it, recursively, sorted, hidden ones left out.

    Raises
    ------
    OSError
        When the directory cannot be listed.
    """
    return sorted(
        p for p in directory.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
        and suffix(p) in TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES + _WALKED_FEEDS
    )
