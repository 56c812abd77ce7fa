"""JSON lines: one document object per line, streamed.

Each line is ``{"id", "text", "date"?, "lang"?, "title"?, "url"?}``, from
``.jsonl``, ``.ndjson``, gzip-compressed ``.jsonl.gz`` files or stdin.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import BinaryInput, EmptyInput, GeomapError, InputError, MalformedJSONLine
from ..records import Document
from .language import normalise_doc_lang
from .paths import stem
from .policy import ReadPolicy
from .text import BOM, decode, parse_date, sniff_binary

__all__ = ["read_jsonl_file", "jsonl_records", "byte_lines", "json_document"]


def read_jsonl_file(policy: ReadPolicy, path: Path) -> Iterator[Document]:
    """The documents of a JSON-lines file; a bad line goes to ``policy`` and the rest is read.

    Raises
    ------
    InputError, BinaryInput, EncodingError, EmptyInput
        For a file that cannot be read, is no gzip file, is binary, not UTF-8 or empty.
    """
    name = str(path)
    gz = path.name.lower().endswith(".gz")
    try:
        with gzip.open(path, "rb") if gz else path.open("rb") as handle:
            yield from jsonl_records(policy, name, stem(path), byte_lines(name, handle))
    except (OSError, EOFError, zlib.error) as err:
        if gz and not isinstance(err, (FileNotFoundError, PermissionError)):
            raise BinaryInput(
                f"{name} is not a readable gzip file ({err}); give a .jsonl.gz made by gzip "
                "or an uncompressed .jsonl"
            ) from err
        raise InputError(
            f"{name} cannot be read ({getattr(err, 'strerror', None) or err}); "
            "check the path and permissions"
        ) from err


def byte_lines(name: str, handle: Iterable[bytes]) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each line of a byte stream, refusing binary data.

    Raises
    ------
    BinaryInput, EncodingError
        Naming the file and line.
    """
    for number, raw in enumerate(handle, start=1):
        if number == 1:
            if raw.startswith(BOM):
                raw = raw[len(BOM):]
            sniff_binary(name, raw)
        elif b"\x00" in raw:
            raise BinaryInput(
                f"{name} line {number} holds NUL bytes: the file looks binary, not text; "
                "give a UTF-8 .jsonl file"
            )
        yield number, decode(name, raw, line=number)


def jsonl_records(
    policy: ReadPolicy, name: str, stem: str, lines: Iterator[tuple[int, str]]
) -> Iterator[Document]:
    """The documents of numbered JSON lines, each finished by ``policy``; blank lines skipped.

    Raises
    ------
    EmptyInput
        When no line holds anything.
    """
    any_content = False
    for number, line in lines:
        if not line.strip():
            continue
        any_content = True
        where = f"{name} line {number}"
        try:
            yield policy.finish(json_document(where, stem, number, line, name), where)
        except GeomapError as err:
            policy.skip(name, err)
    if not any_content:
        raise EmptyInput(f"{name} is empty; give a file with one JSON object per line")


def json_document(where: str, stem: str, number: int, line: str, name: str) -> Document:
    """One JSON line as a document (its language not filled in yet).

    Raises
    ------
    MalformedJSONLine, InvalidDate, UnknownOption
        Naming ``where`` (the file and line).
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise MalformedJSONLine(
            f"{where}: not valid JSON ({err.msg}); fix or remove the line"
        ) from err
    except RecursionError as err:
        raise MalformedJSONLine(
            f"{where}: not valid JSON (nested too deeply); fix or remove the line"
        ) from err
    if not isinstance(record, dict):
        raise MalformedJSONLine(
            f"{where}: expected a JSON object like {{\"id\": ..., \"text\": ...}}, "
            f"got {type(record).__name__}; fix or remove the line"
        )
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MalformedJSONLine(
            f"{where}: no 'text' (a non-empty string is required); fix or remove the line"
        )
    if "\x00" in text:
        raise MalformedJSONLine(
            f"{where}: 'text' holds a NUL character (\\u0000); fix or remove the line"
        )
    fields: dict[str, str | None] = {}
    for key in ("id", "title", "url"):
        value = record.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and key == "id":
            value = str(value)
        if value is not None and not isinstance(value, str):
            raise MalformedJSONLine(
                f"{where}: '{key}' must be a string, got {type(value).__name__}; "
                "fix or remove the line"
            )
        fields[key] = value or None
    for key in ("id", "text", "title", "url"):
        value = text if key == "text" else fields[key]
        if value is not None and not _encodable(value):
            raise MalformedJSONLine(
                f"{where}: '{key}' holds an unpaired surrogate escape (\\ud800-\\udfff); "
                "fix or remove the line"
            )
    date = parse_date(record.get("date"), where)
    lang = normalise_doc_lang(record.get("lang"), where)
    return Document(
        fields["id"] or f"{stem}:{number}",
        text,
        lang=lang,
        date=date,
        title=fields["title"],
        url=fields["url"],
        source=f"{name}:{number}",
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
