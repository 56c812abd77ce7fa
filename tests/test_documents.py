"""geomap.documents: files, directories, JSON lines, stdin and strings into Documents."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.documents import (
    SUPPORTED_LANGS,
    detect_language,
    read_documents,
)
from geomap.errors import (
    BinaryInput,
    EmptyInput,
    EncodingError,
    GeomapError,
    InputError,
    InvalidDate,
    MalformedJSONLine,
    UnknownOption,
)
from geomap.records import Document, PartialDate

FR = "Les troupes nord-coréennes sont entrées dans la région de Koursk et la ville est calme."
EN = "The troops of North Korea were in the Kursk region and the town is calm."


def read(*inputs: object, **kwargs: object) -> list[Document]:
    return list(read_documents(inputs, **kwargs))  # type: ignore[arg-type]


# -- language ------------------------------------------------------------------


def test_supported_langs() -> None:
    assert SUPPORTED_LANGS == ("fr", "en")


@pytest.mark.parametrize(
    ("text", "lang"),
    [(FR, "fr"), (EN, "en"), ("", "en"), ("Koursk Moscou", "en"), ("à la", "fr"),
     ("le the", "en")],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_lang_argument(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "b.txt").write_text("lang: en\n" + FR, encoding="utf-8")
    docs = read(tmp_path, lang="fr")
    assert [(d.id, d.lang) for d in docs] == [("a", "fr"), ("b", "en")]  # own lang wins
    assert [d.lang for d in read(tmp_path, lang="auto")] == ["en", "en"]
    assert [d.lang for d in read(tmp_path)] == ["en", "en"]
    assert read(Document("x", EN), lang="fr")[0].lang == "fr"
    assert read(Document("x", EN, lang="en"), lang="fr")[0].lang == "en"


def test_unknown_lang_and_policy_fail_at_once() -> None:
    with pytest.raises(UnknownOption, match="auto, en, fr"):
        read_documents([], lang="de")
    with pytest.raises(UnknownOption, match="raise, skip"):
        read_documents([], on_error="ignore")


def test_document_lang_field_normalised_or_refused(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": "a", "text": EN, "lang": "FR-fr"}) + "\n"
                    + json.dumps({"id": "b", "text": EN, "lang": "de"}) + "\n", encoding="utf-8")
    with pytest.raises(UnknownOption, match=r"d.jsonl line 2: .*'de'.*auto, en, fr"):
        read(data)
    skipped: list[tuple[str, str]] = []
    docs = read(data, on_error="skip", skipped=skipped)
    assert [(d.id, d.lang) for d in docs] == [("a", "fr")]
    assert len(skipped) == 1 and "line 2" in skipped[0][1]


# -- plain text ------------------------------------------------------------------


def test_txt_headers(tmp_path: Path) -> None:
    path = tmp_path / "koursk.txt"
    path.write_text("date 2025-04\ntitle: Koursk\nurl: https://example.org/k\nlang: fr\n\n\n"
                    + FR + "\nDeuxième ligne.\n", encoding="utf-8")
    (doc,) = read(path)
    assert doc.id == "koursk"
    assert doc.date == PartialDate(2025, 4)
    assert (doc.title, doc.url, doc.lang, doc.source) == ("Koursk", "https://example.org/k",
                                                          "fr", str(path))
    assert doc.text == FR + "\nDeuxième ligne.\n"


def test_date_header_with_text_on_the_same_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2025-04 «Une légende» Photo: X\nLa suite du texte.", encoding="utf-8")
    (doc,) = read(path)
    assert doc.date == PartialDate(2025, 4)
    assert doc.text == "«Une légende» Photo: X\nLa suite du texte."


@pytest.mark.parametrize("header", ["date: 2025-04-07", "Date 2025-04-07", "DATE:2025-04-07"])
def test_date_header_forms(tmp_path: Path, header: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{header}\n{EN}", encoding="utf-8")
    (doc,) = read(path)
    assert doc.date == PartialDate(2025, 4, 7) and doc.text == EN


def test_text_that_only_looks_like_a_header(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Date limite dépassée à Koursk.\ntitle: not a header any more\n",
                    encoding="utf-8")
    (doc,) = read(path)
    assert doc.date is None and doc.title is None
    assert doc.text.startswith("Date limite")


def test_bad_date_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2025-13\n" + EN, encoding="utf-8")
    with pytest.raises(InvalidDate) as info:
        read(path)
    assert str(info.value).startswith(f"{path} line 1: date '2025-13'")


def test_headers_without_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2025-04\ntitle: T\n\n", encoding="utf-8")
    with pytest.raises(EmptyInput, match="no text"):
        read(path)


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfdate 2025-04\r\n" + FR.encode() + b"\r\nFin.\r\n")
    (doc,) = read(path)
    assert doc.date == PartialDate(2025, 4)
    assert doc.text == FR + "\nFin.\n"


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\xef\xbb\xbf \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyInput, match=r"notes.txt is empty; give a file with text"):
        read(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    with pytest.raises(BinaryInput, match=r"photo.jpg looks binary, not text; give a UTF-8"):
        read(path)
    control = tmp_path / "c.txt"
    control.write_bytes(b"\x01\x02\x03\x04abc" * 20)
    with pytest.raises(BinaryInput):
        read(control)


def test_cp1252_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("L’armée est entrée à Koursk – «enfin».".encode("cp1252"))
    with pytest.raises(EncodingError) as info:
        read(path)
    message = str(info.value)
    assert str(path) in message and "cp1252" in message
    assert f"iconv -f cp1252 -t utf-8 {path} >" in message


def test_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("L'armée est entrée à Koursk.".encode("latin-1"))
    with pytest.raises(EncodingError, match="latin1") as info:
        read(path)
    assert isinstance(info.value, UnicodeError)  # also the builtin


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(EN.encode("utf-16"))
    with pytest.raises(EncodingError, match="UTF-16"):
        read(path)


# -- directories and ids ------------------------------------------------------------------


def test_directory_recursive_sorted_filtered(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "x.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "a" / "x.md").write_text(FR, encoding="utf-8")
    (tmp_path / "a" / "z.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / ".hidden" / "h.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "c.ndjson").write_text(json.dumps({"text": EN}) + "\n", encoding="utf-8")
    with gzip.open(tmp_path / "d.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g1", "text": FR}) + "\n\n")
        handle.write(json.dumps({"text": EN}) + "\n")
    docs = read(tmp_path)
    ids = [d.id for d in docs]
    # a/x.md, b/x.txt, c.ndjson, d.jsonl.gz in path order; the second "x" made unique by path
    assert ids[0] == "x"
    assert ids[1] == (tmp_path / "b" / "x").as_posix()
    assert ids[2:] == ["c:1", "g1", "d:3"]
    assert [d.lang for d in docs] == ["fr", "en", "en", "fr", "en"]


def test_string_inputs_path_or_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(EN, encoding="utf-8")
    docs = read(str(path), "Des combats ont eu lieu à Koursk lundi.", path)
    assert docs[0].id == "a" and docs[0].text == EN
    assert docs[1].id == "text-1" and docs[1].lang == "fr" and docs[1].source is None
    assert docs[2].id != "a"  # the same file twice still gets unique ids


def test_missing_file_named_like_a_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read(str(tmp_path / "typo.txt"))
    with pytest.raises(InputError, match="does not exist"):
        read(tmp_path / "typo.txt")


def test_document_passthrough_and_duplicates() -> None:
    doc = Document("a1", EN, lang="en")
    assert read(doc) == [doc]
    with pytest.raises(InputError, match="duplicate document id 'a1'"):
        read(doc, doc)
    skipped: list[tuple[str, str]] = []
    docs = read(doc, doc, Document("a1", FR), on_error="skip", skipped=skipped)
    assert [d.id for d in docs] == ["a1", "a1~2", "a1~3"]
    assert len(skipped) == 2 and skipped[0][1].startswith("renamed to 'a1~2'")


# -- JSON lines ----------------------------------------------------------------------------------


def test_jsonl_fields(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    lines = [
        {"id": "a", "text": FR, "date": "2025-04", "title": "T", "url": "https://e.org/a"},
        {"text": EN, "date": "2025-04-07T10:00:00Z", "lang": "en"},
        {"id": 7, "text": EN, "date": None},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n\n",
                    encoding="utf-8")
    docs = read(path)
    assert [d.id for d in docs] == ["a", "data:2", "7"]
    assert docs[0].date == PartialDate(2025, 4) and docs[0].title == "T"
    assert docs[0].lang == "fr" and docs[0].source == f"{path}:1"
    assert docs[1].date == PartialDate(2025, 4, 7)


@pytest.mark.parametrize(
    ("line", "error", "needle"),
    [
        ('{"id": "a" "text": "x"}', MalformedJSONLine,
         "data.jsonl line 2: not valid JSON (Expecting ',' delimiter); fix or remove the line"),
        ('{"id": "a"}', MalformedJSONLine, "data.jsonl line 2: no 'text'"),
        ('{"id": "a", "text": "  "}', MalformedJSONLine, "no 'text'"),
        ('["a", "b"]', MalformedJSONLine, "expected a JSON object"),
        ('{"text": "x", "title": 3}', MalformedJSONLine, "'title' must be a string"),
        ('{"text": "x", "date": "2025-13"}', InvalidDate, "data.jsonl line 2: date '2025-13'"),
        ('{"text": "x", "date": "avril"}', InvalidDate, "line 2: date 'avril'"),
        ('{"text": "x", "date": [2025]}', InvalidDate, "line 2: date"),
        ('{"text": "\\ud800"}', MalformedJSONLine, "surrogate"),
        ('{"text": "a\\u0000b"}', MalformedJSONLine, "NUL"),
        ("[" * 100000, MalformedJSONLine, "line 2"),
    ],
)
def test_jsonl_bad_lines(tmp_path: Path, line: str, error: type, needle: str) -> None:
    path = tmp_path / "data.jsonl"
    good = json.dumps({"id": "ok", "text": EN})
    path.write_text(f"{good}\n{line}\n{json.dumps({'id': 'ok2', 'text': EN})}\n",
                    encoding="utf-8")
    with pytest.raises(error) as info:
        read(path)
    assert needle in str(info.value)
    assert str(path) in str(info.value)
    skipped: list[tuple[str, str]] = []
    docs = read(path, on_error="skip", skipped=skipped)
    assert [d.id for d in docs] == ["ok", "ok2"]
    assert len(skipped) == 1
    name, reason = skipped[0]
    assert name == str(path) and "\n" not in reason


def test_jsonl_duplicate_ids(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"id": "a", "text": EN}) + "\n"
                    + json.dumps({"id": "a", "text": FR}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2: duplicate document id 'a' \(first seen at "):
        read(path)
    skipped: list[tuple[str, str]] = []
    assert [d.id for d in read(path, on_error="skip", skipped=skipped)] == ["a", "a~2"]
    assert "renamed" in skipped[0][1]


def test_duplicate_ids_are_found_after_the_seen_ids_moved_to_disk(tmp_path: Path) -> None:
    from geomap.read.policy import SeenIds

    seen = SeenIds(keep=3)
    for n in range(10):
        seen.add(f"d{n}", f"line {n + 1}")
    assert seen._db is not None and len(seen._mem) < 3  # most of them on disk
    assert seen.get("d0") == "line 1" and "d9" in seen and "d10" not in seen
    # A whole run past the in-memory share: the duplicate of an early id is still caught.
    path = tmp_path / "many.jsonl"
    lines = [json.dumps({"id": f"n{k}", "text": EN}) for k in range(12_000)]
    lines.append(json.dumps({"id": "n0", "text": FR}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    skipped: list[tuple[str, str]] = []
    ids = [d.id for d in read(path, on_error="skip", skipped=skipped, lang="en")]
    assert ids[-1] == "n0~2" and len(ids) == 12_001
    assert "first seen at" in skipped[0][1] and "line 1" in skipped[0][1]


def test_jsonl_empty_binary_encoding_gzip(tmp_path: Path) -> None:
    empty = tmp_path / "e.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(EmptyInput, match="e.jsonl is empty"):
        read(empty)
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\x00\x01\x02\x03" * 50)
    with pytest.raises(BinaryInput, match="looks binary"):
        read(binary)
    latin = tmp_path / "l.jsonl"
    latin.write_bytes(json.dumps({"text": "armée"}, ensure_ascii=False).encode("cp1252"))
    with pytest.raises(EncodingError, match=r"l.jsonl line 1 is not valid UTF-8"):
        read(latin)
    fake_gz = tmp_path / "f.jsonl.gz"
    fake_gz.write_bytes(b"not gzip at all")
    with pytest.raises(BinaryInput, match="gzip"):
        read(fake_gz)


def test_jsonl_bom(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": EN}).encode() + b"\n")
    assert read(path)[0].id == "data:1"


# -- stdin ------------------------------------------------------------------


def test_stdin_jsonl() -> None:
    stream = io.StringIO("\n" + json.dumps({"id": "s1", "text": FR}) + "\n"
                         + json.dumps({"text": EN}) + "\n")
    docs = read("-", stdin=stream)
    assert [(d.id, d.lang) for d in docs] == [("s1", "fr"), ("stdin:3", "en")]


def test_stdin_plain_text_with_header() -> None:
    docs = read("-", stdin=io.StringIO("\ndate 2025-04\n" + FR + "\n"))
    assert [(d.id, d.date, d.text) for d in docs] == [("stdin", PartialDate(2025, 4), FR + "\n")]


def test_stdin_empty() -> None:
    with pytest.raises(EmptyInput, match="<stdin> is empty"):
        read("-", stdin=io.StringIO("  \n\n"))


# -- error policy ------------------------------------------------------------------


def test_skip_policy_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes("é".encode("latin-1") * 20)
    skipped: list[tuple[str, str]] = []
    docs = read(tmp_path, tmp_path / "missing.txt", "", on_error="skip", skipped=skipped)
    assert [d.id for d in docs] == ["b"]
    names = [name for name, _ in skipped]
    assert names[:2] == [str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]
    assert names[2] == str(tmp_path / "missing.txt")
    assert "empty" in skipped[3][1]
    with pytest.raises(EmptyInput):
        read(tmp_path)


def test_streams_lazily(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"text": EN}) + "\n{broken\n", encoding="utf-8")
    docs = read_documents([path])
    assert next(docs).id == "data:1"  # the bad second line is not read yet
    with pytest.raises(MalformedJSONLine):
        next(docs)


# -- never another exception ------------------------------------------------------------------


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".md", ".jsonl",
                                                              ".ndjson", ".jsonl.gz", ".bin"]))
def test_random_bytes_give_documents_or_geomap_error(tmp_path: Path, data: bytes,
                                                     suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        docs = read(path)
    except GeomapError:
        return
    assert all(isinstance(d, Document) and d.lang in SUPPORTED_LANGS for d in docs)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.text(max_size=10),
        "text": json_values | st.text(max_size=40),
        "date": json_values | st.sampled_from(["2025", "2025-04", "2025-02-30", "2025-04-07"]),
        "lang": json_values | st.sampled_from(["fr", "en", "auto", "de", "FR"]),
        "title": json_values,
        "url": json_values,
    },
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(lines=st.lists(records.map(json.dumps) | json_values.map(json.dumps)
                      | st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s),
                      max_size=6))
def test_random_json_lines_give_documents_or_geomap_error(tmp_path: Path,
                                                          lines: list[str]) -> None:
    path = tmp_path / "random.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        docs = read(path)
    except GeomapError:
        pass
    else:
        assert all(d.lang in SUPPORTED_LANGS for d in docs)
    skipped: list[tuple[str, str]] = []
    docs = read(path, on_error="skip", skipped=skipped)  # under skip, nothing is raised
    assert all(isinstance(d, Document) for d in docs)
    assert all(isinstance(name, str) and "\n" not in reason for name, reason in skipped)


# -- the date parser: a PartialDate or an InvalidDate, nothing else ------------------------------

date_like = st.one_of(
    st.text(max_size=25),
    st.from_regex(r"\A-?\d{1,6}(-\d{1,3}){0,3}([T ][\d:.Z+-]{0,12})?\Z"),
    st.builds("{}-{:02d}-{:02d}".format, st.integers(-10, 10_000), st.integers(-1, 14),
              st.integers(-1, 40)),
)


@settings(max_examples=300, deadline=None)
@given(text=date_like)
def test_random_dates_parse_or_raise_invalid_date(text: str) -> None:
    try:
        date = PartialDate.parse(text)
    except InvalidDate:
        return
    assert date.start <= date.end
    assert PartialDate.parse(str(date)) == date  # what it prints, it reads back


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(text=date_like, value=json_values)
def test_random_date_headers_and_fields(tmp_path: Path, text: str, value: object) -> None:
    path = tmp_path / "d.txt"
    path.write_text(f"date {text}\nKyiv was shelled.", encoding="utf-8", errors="surrogatepass")
    try:
        docs = read(path)
    except GeomapError:
        pass
    else:
        assert all(isinstance(d, Document) for d in docs)
    lines = tmp_path / "d.jsonl"
    lines.write_text(json.dumps({"text": "Kyiv was shelled.", "date": text}) + "\n"
                     + json.dumps({"text": "Kyiv was shelled.", "date": value}) + "\n",
                     encoding="utf-8")
    skipped: list[tuple[str, str]] = []
    docs = read(lines, on_error="skip", skipped=skipped)
    assert len(docs) + len(skipped) == 2
