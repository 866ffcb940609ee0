"""pipeline.ingest.html: a saved page → its article's text and the page's metadata, offline.

The pages are built here, with text written for these tests."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import Document, SourceError, read
from pipeline.ingest.html import PAGE_BYTES_FACTOR, declared_language

PARAGRAPHS = [
    "PORT-NEUF, 4 mars — Au moins douze personnes ont été tuées lundi dans des frappes "
    "aériennes sur le port, selon les secours locaux qui fouillaient encore les décombres.",
    "Les autorités ont annoncé l'évacuation de trois quartiers proches des quais, où des "
    "incendies faisaient encore rage dans la soirée.",
    "Un responsable militaire a affirmé que les frappes visaient des dépôts d'armes, ce que "
    "les habitants contestent.",
]


def page(
    *,
    lang: str | None = "fr",
    charset: str = "utf-8",
    head: str | None = None,
    paragraphs: list[str] = PARAGRAPHS,
) -> str:
    html_lang = f' lang="{lang}"' if lang else ""
    meta = (
        head
        if head is not None
        else (
            '<meta property="og:site_name" content="Le Courrier du Cap">\n'
            '<meta property="og:title" content="Frappes sur le port">\n'
            '<meta property="article:published_time" content="2024-03-04T08:00:00+01:00">\n'
            '<link rel="canonical" href="https://courrier.example/2024/03/04/frappes-port">\n'
        )
    )
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html>\n<html{html_lang}>\n<head>\n<meta charset="{charset}">\n'
        f"<title>Frappes sur le port | Le Courrier du Cap</title>\n{meta}</head>\n<body>\n"
        '<nav><a href="/">Accueil</a> <a href="/monde">Monde</a> <a href="/sport">Sport</a></nav>\n'
        f"<article>\n<h1>Frappes sur le port</h1>\n{body}\n</article>\n"
        '<aside><a href="/a">À lire aussi : la météo du week-end</a></aside>\n'
        "<footer>© 2023 Le Courrier du Cap. Tous droits réservés.</footer>\n</body>\n</html>\n"
    )


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a page must not touch the network."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("ingest tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def one(path: Path, max_bytes: int = 1_000_000) -> Document | SourceError:
    (item,) = read([path], max_bytes=max_bytes)
    return item


def test_page_gives_text_title_outlet_date_url_and_language(tmp_path: Path) -> None:
    path = tmp_path / "frappes.html"
    path.write_text(page(), encoding="utf-8")
    doc = one(path)
    assert isinstance(doc, Document), doc
    assert doc.document_id == "frappes"
    assert doc.source_format == "html"
    assert doc.text == "Frappes sur le port\n\n" + "\n\n".join(PARAGRAPHS)
    for boilerplate in ("Accueil", "À lire aussi", "droits réservés"):
        assert boilerplate not in doc.text
    assert doc.title == "Frappes sur le port"
    assert doc.outlet == "Le Courrier du Cap"
    assert doc.published == date(2024, 3, 4)
    assert doc.url == "https://courrier.example/2024/03/04/frappes-port"
    assert (doc.language, doc.language_source) == ("fr", "metadata")
    assert doc.dateline == "PORT-NEUF, 4 mars"


def test_html_lang_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "a.htm"
    path.write_text(page(lang="pt-BR"), encoding="utf-8")  # the text is French
    doc = one(path)
    assert isinstance(doc, Document)
    assert (doc.language, doc.language_source) == ("pt", "metadata")


def test_without_html_lang_the_language_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(page(lang=None), encoding="utf-8")
    doc = one(path)
    assert isinstance(doc, Document)
    assert (doc.language, doc.language_source) == ("fr", "detected")


def test_a_footer_year_is_not_the_published_date(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(page(head=""), encoding="utf-8")  # no metadata; "© 2023" in the footer
    doc = one(path)
    assert isinstance(doc, Document)
    assert doc.published != date(2023, 1, 1)
    assert doc.outlet is None and doc.url is None


def test_declared_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_bytes(page(charset="windows-1252").encode("cp1252"))
    doc = one(path)
    assert isinstance(doc, Document)
    assert "été tuées" in doc.text


def test_undeclared_non_utf8_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    text = page().replace('<meta charset="utf-8">', "")
    path.write_bytes(text.encode("cp1252"))
    item = one(path)
    assert isinstance(item, SourceError)
    assert item.reason.startswith("not UTF-8 text: byte 0x")


def test_page_without_article_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    item = one(path)
    assert isinstance(item, SourceError)
    assert item.document_id == "menu"
    assert item.reason.startswith("no article text found in the page")


def test_empty_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_bytes(b"")
    item = one(path)
    assert isinstance(item, SourceError) and item.reason.startswith("empty file")


def test_page_size_limits(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(page(), encoding="utf-8")
    size = path.stat().st_size
    big = one(path, max_bytes=size // PAGE_BYTES_FACTOR)  # the file is over 20 × the limit
    assert isinstance(big, SourceError)
    assert "-byte limit for one page" in big.reason
    # the page fits, but its article text is over the article limit
    text_limit = one(path, max_bytes=200)
    assert isinstance(text_limit, SourceError)
    assert text_limit.reason.startswith("the page's article text is ")
    assert "over the 200-byte limit for one article" in text_limit.reason


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<html lang="el">', "el"),
        ("<html class='x' lang='uk-UA'>", "uk"),
        ('<html xml:lang="ar" dir="rtl">', "ar"),
        ('<html lang="fil">', None),
        ("<html>", None),
    ],
)
def test_declared_language(html: str, language: str | None) -> None:
    assert declared_language(html + "<head></head>") == language
