"""Saved web pages (.html, .htm) through trafilatura: the article, never the page around it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geomap.documents import read_documents
from geomap.errors import BinaryInput, NoArticleText
from geomap.read.html import extract_page, looks_like_html

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
FR_AROUND = ("Accueil", "Marseille", "Bordeaux", "Toulouse", "Nantes", "Strasbourg", "Grenoble",
             "Mentions légales", "Commentaires", "Les plus lus", "tracker")
EN_AROUND = ("Manchester", "Leeds", "Glasgow", "Liverpool", "Cardiff", "Sheffield", "Weather",
             "Most read", "Privacy", "Harbour Road")


def test_french_page_article_and_metadata() -> None:
    doc, = read_documents([WEB / "fr_article.html"])
    assert doc.id == "fr_article" and doc.lang == "fr"
    assert doc.title == "Kharkiv bombardée, trois civils blessés"
    assert str(doc.date) == "2025-03-12"
    assert doc.url == "https://courrier.example/monde/2025/03/kharkiv-bombardee"
    assert doc.source == str(WEB / "fr_article.html")
    assert "Les forces russes ont bombardé lundi la ville de Kharkiv" in doc.text
    assert "les secours ont travaillé toute la nuit" in doc.text
    for word in FR_AROUND:
        assert word not in doc.text, word


def test_english_page_article_and_metadata() -> None:
    doc, = read_documents([str(WEB / "en_article.html")])
    assert (doc.lang, str(doc.date)) == ("en", "2025-04-09")
    assert doc.title == "Drone strike on Odesa kills two"
    assert doc.url == "https://wire.example/world/odesa-drone-strike"
    assert "Russian drones struck the port city of Odesa on Monday" in doc.text
    for word in EN_AROUND:
        assert word not in doc.text, word
    # Paragraphs stay apart: no sentence runs across two of them.
    assert "\n\nThe attack damaged a grain terminal" in doc.text


def test_page_without_date_or_canonical(tmp_path: Path) -> None:
    html = (WEB / "en_article.html").read_text(encoding="utf-8")
    html = html.replace('<meta property="article:published_time" content="2025-04-09T07:15:00Z">',
                        "").replace('<link rel="canonical" '
                                    'href="https://wire.example/world/odesa-drone-strike">', "")
    (tmp_path / "odesa.htm").write_text(html, encoding="utf-8")
    doc, = read_documents([tmp_path / "odesa.htm"])
    assert doc.date is None and doc.url is None and doc.title == "Drone strike on Odesa kills two"


def test_directory_walk_reads_pages(tmp_path: Path) -> None:
    shutil.copy(WEB / "fr_article.html", tmp_path / "a.html")
    (tmp_path / "b.txt").write_text("Kyiv was shelled on Monday.", encoding="utf-8")
    (tmp_path / "c.xml").write_text("<config/>", encoding="utf-8")  # not walked: not a feed
    assert [d.id for d in read_documents([tmp_path])] == ["a", "b"]


def test_bad_pages_each_get_a_line(tmp_path: Path) -> None:
    (tmp_path / "menu.html").write_text(
        "<html><body><nav><a href='/'>Accueil</a> <a href='/m'>Monde</a> <a href='/l'>Lyon</a>"
        "</nav><footer>Mentions légales</footer></body></html>", encoding="utf-8")
    (tmp_path / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300))
    (tmp_path / "empty.html").write_text("  \n", encoding="utf-8")
    shutil.copy(WEB / "en_article.html", tmp_path / "z.html")
    skipped: list[tuple[str, str]] = []
    docs = list(read_documents([tmp_path], on_error="skip", skipped=skipped))
    assert [d.id for d in docs] == ["z"]
    reasons = {Path(n).name: r for n, r in skipped}
    assert set(reasons) == {"menu.html", "photo.html", "empty.html"}
    assert "holds no article text" in reasons["menu.html"]
    assert "looks binary" in reasons["photo.html"]
    assert "is empty" in reasons["empty.html"]
    with pytest.raises(NoArticleText, match=r"menu.html holds no article text"):
        list(read_documents([tmp_path / "menu.html"]))
    with pytest.raises(BinaryInput, match=r"photo.html looks binary"):
        list(read_documents([tmp_path / "photo.html"]))


def test_untrusted_markup_is_text_only() -> None:
    page = extract_page(
        "<html><body><article><p>Shelling hit Kharkiv on Monday, the governor of the region "
        "said.</p><script>alert('x')</script><p onclick='steal()'>Two people were wounded in "
        "the attack, officials said.</p></article></body></html>", name="x.html")
    assert "alert" not in page.text and "steal" not in page.text and "<" not in page.text


def test_looks_like_html() -> None:
    assert looks_like_html(b"\xef\xbb\xbf<!-- saved --><!doctype html><html>")
    assert not looks_like_html(b"\xff\xd8\xff\xe0 JFIF")
