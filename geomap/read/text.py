"""Plain text: bytes to text, and the header lines a text file may start with.

Text is UTF-8; other encodings and binary files get a clear error with the
command that converts them. Header lines are ``date``, ``title:``, ``url:``
and ``lang:``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BinaryInput, EmptyInput, EncodingError, InvalidDate
from ..records import Document, PartialDate
from .language import normalise_doc_lang
from .paths import stem, suffix

__all__ = ["BOM", "BINARY_SNIFF", "sniff_binary", "decode", "parse_date", "split_headers",
           "text_document", "plain_document"]

#: The UTF-8 byte order mark, dropped where a file starts with it.
BOM = b"\xef\xbb\xbf"
#: How many leading bytes are looked at to tell binary from text.
BINARY_SNIFF = 8192
# Bytes below 0x20 that ordinary text carries: tab, newline, form feed, carriage return.
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r")
_BINARY_RATIO = 0.10
# Bytes 0x80-0x9F that cp1252 leaves undefined.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_DATE_TOKEN = re.compile(r"^\d{4}(?:-\d{1,2}){0,2}(?:[T ][\d:.+\-Z]*)?$")
_HEADER = re.compile(r"^\s*(title|url|lang)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_DATE_HEADER = re.compile(r"^\s*date\b\s*(:)?\s*(.*)$", re.IGNORECASE | re.DOTALL)


def sniff_binary(name: str, data: bytes) -> None:
    """Refuse UTF-16 and binary data from its first bytes.

    Raises
    ------
    EncodingError
        For UTF-16 (a byte order mark), with the command that converts it.
    BinaryInput
        For NUL bytes or too many control bytes.
    """
    head = data[:BINARY_SNIFF]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingError(
            f"{name} is UTF-16, not UTF-8; convert it: iconv -f utf-16 -t utf-8 {name} > "
            f"{_utf8_name(name)}"
        )
    controls = sum(1 for b in head if (b < 0x20 and b not in _TEXT_CONTROLS) or b == 0x7F)
    if b"\x00" in head or (head and controls / len(head) > _BINARY_RATIO):
        raise BinaryInput(
            f"{name} looks binary, not text; give a UTF-8 .txt or .jsonl file"
        )


def _utf8_name(name: str) -> str:
    path = Path(name)
    return str(path.with_name(stem(path) + ".utf8" + (suffix(path) or ".txt")))


def _guess_encoding(data: bytes) -> str:
    """``cp1252`` when its 0x80-0x9F punctuation (’ “ ” – …) is present, else ``latin1``."""
    c1 = {b for b in data if 0x80 <= b <= 0x9F}
    if c1 and not (c1 & _CP1252_UNDEFINED):
        return "cp1252"
    return "latin1"


def decode(name: str, data: bytes, *, line: int | None = None) -> str:
    """UTF-8 bytes as text.

    Raises
    ------
    EncodingError
        For other bytes: the message names the file (and line), guesses the
        encoding and gives the command that converts the file.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        encoding = _guess_encoding(data)
        where = f"{name} line {line}" if line is not None else name
        raise EncodingError(
            f"{where} is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}; "
            f"it looks like {encoding}); convert the file: iconv -f {encoding} -t utf-8 "
            f"{name} > {_utf8_name(name)}"
        ) from err


def parse_date(value: object, where: str) -> PartialDate | None:
    """A document's date field (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); None when empty.

    Raises
    ------
    InvalidDate
        Naming ``where`` and the value.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidDate(
            f"{where}: date {value!r} is not understood; use YYYY, YYYY-MM or YYYY-MM-DD"
        )
    try:
        return PartialDate.parse(str(value))
    except InvalidDate as err:
        raise InvalidDate(f"{where}: {err}") from err


def split_headers(
    name: str, text: str
) -> tuple[str, PartialDate | None, str | None, str | None, str | None]:
    """Split leading header lines off a plain-text document.

    Returns the remaining text, then date, title, url and lang.
    """
    date: PartialDate | None = None
    title = url = lang = None
    lines = text.split("\n")
    first_text = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        header = _HEADER.match(line)
        if header:
            key, value = header.group(1).lower(), header.group(2) or None
            if key == "title":
                title = value
            elif key == "url":
                url = value
            else:
                lang = normalise_doc_lang(value, f"{name} line {i + 1}")
            i += 1
            continue
        dated = _DATE_HEADER.match(line)
        if dated:
            colon, rest = dated.group(1), dated.group(2)
            token, after = (rest.split(maxsplit=1) + ["", ""])[:2]
            if colon and token and not _DATE_TOKEN.match(token):
                parse_date(rest.strip(), f"{name} line {i + 1}")  # raises, naming the value
            if _DATE_TOKEN.match(token):
                date = parse_date(token, f"{name} line {i + 1}")
                i += 1
                first_text = after.strip()
                if first_text:
                    break
                continue
        break
    body = "\n".join(lines[i:])
    if first_text:
        body = first_text + ("\n" + body if body else "")
    return body, date, title, url, lang


def text_document(name: str, doc_id: str, data: bytes, source: str) -> Document:
    """A plain-text file's bytes as a document (its language not filled in yet).

    Raises
    ------
    EmptyInput, BinaryInput, EncodingError, InvalidDate, UnknownOption
        Naming ``name``.
    """
    if data.startswith(BOM):
        data = data[len(BOM):]
    if not data.strip():
        raise EmptyInput(f"{name} is empty; give a file with text")
    sniff_binary(name, data)
    text = decode(name, data).replace("\r\n", "\n")
    return plain_document(name, doc_id, text, source)


def plain_document(name: str, doc_id: str, text: str, source: str) -> Document:
    """Plain text, its header lines read, as a document (its language not filled in yet).

    Raises
    ------
    EmptyInput, InvalidDate, UnknownOption
        Naming ``name``.
    """
    if not text.strip():
        raise EmptyInput(f"{name} is empty; give a file with text")
    body, date, title, url, lang = split_headers(name, text)
    if not body.strip():
        raise EmptyInput(f"{name} has header lines but no text; add the article's text")
    return Document(doc_id, body, lang=lang, date=date, title=title, url=url, source=source)
