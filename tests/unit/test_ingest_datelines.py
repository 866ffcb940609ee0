"""pipeline.ingest.datelines: the lede's dateline, and the article's own date from its text.

Ledes written for these tests, with invented places."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.ingest import Document, read
from pipeline.ingest.datelines import dateline, url_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VELMORA, June 12 (Wire) - Shells hit the market.", "VELMORA, June 12 (Wire)"),
        ("PORT AMBER — Drones hit the depot.", "PORT AMBER"),
        ("PORT AMBER—Drones hit the depot.", "PORT AMBER"),
        ("ЛІСОГІРСЬК, 8 квітня – Уночі дрони атакували місто.", "ЛІСОГІРСЬК, 8 квітня"),
        ("Kestrel Bay (KNA) — The port was shelled.", "Kestrel Bay (KNA)"),
        ("Kestrel Bay, May 2, 2024 (KNA)— The port was shelled.", "Kestrel Bay, May 2, 2024 (KNA)"),
        ("VELMORA, Northland — Two people were killed.", "VELMORA, Northland"),
        ("VELMORA and PORT AMBER — Both towns were shelled.", "VELMORA and PORT AMBER"),
        ("VELMORA, Jun 02 (Amber News): Talks resumed.", "VELMORA, Jun 02 (Amber News)"),
        ("Headline\nBy A. Writer\nVELMORA — The lede.", "VELMORA"),
    ],
)
def test_datelines(text: str, expected: str) -> None:
    assert dateline(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Coast updates: drones hit the depot – live",  # a headline with a colon
        "BREAKING: drones hit the depot",  # a label, not a place
        "ALLIED ministers — meeting on Friday — agreed.",  # capitals, then lower-case words
        "UN says 40 died.",
        "PORT-NEUF-SUR-MER is a town.",  # no separator
        "Two people were killed — officials said.",
        "",
    ],
)
def test_no_dateline(text: str) -> None:
    assert dateline(text) is None


def test_the_article_date_comes_from_the_text_when_metadata_gives_none(tmp_path: Path) -> None:
    pytest.importorskip("pipeline.interpret.dates", exc_type=ImportError)
    path = tmp_path / "a.txt"
    path.write_text(
        "Kestrel Bay, May 2, 2024 (KNA)— Two drones struck the fuel depot overnight, starting "
        "a fire that burned until morning, the port authority said.\n",
        encoding="utf-8",
    )
    (doc,) = read([path])
    assert isinstance(doc, Document)
    assert doc.published == date(2024, 5, 2)
    dated = tmp_path / "b.txt"
    dated.write_text("Published: 2024-05-03\n\n" + path.read_text(encoding="utf-8"))
    (doc,) = read([dated])
    assert isinstance(doc, Document) and doc.published == date(2024, 5, 3)  # metadata wins


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/world/2017/04/05/strike-on-town/", date(2017, 4, 5)),
        ("https://news.example/amp/2017/10/15/toll-rises", date(2017, 10, 15)),
        ("https://news.example/a/story/2019/3/7/b.html?utm=2020/01/01", date(2019, 3, 7)),
        ("https://news.example/live/2024-08-10-latest", date(2024, 8, 10)),
        ("https://news.example/news/20171015/story", date(2017, 10, 15)),
        ("https://news.example/archives/2017/10/22/2003680836", date(2017, 10, 22)),
        ("https://news.example/originals/2023/10/no-day-here", None),  # a month is no day
        ("https://news.example/?p=618559", None),
        ("https://news.example/2017/13/40/", None),  # no such day
        ("https://news.example/item/2017105", None),
        (None, None),
    ],
)
def test_a_pages_address_gives_its_day(url: str | None, expected: date | None) -> None:
    assert url_date(url) == expected


def test_the_address_dates_an_article_that_gives_no_date_of_its_own(tmp_path: Path) -> None:
    page = tmp_path / "saved.txt"
    page.write_text(
        "Source URL: https://news.example/world/2017/04/05/shelling/\n\n"
        "Shells hit the market on Tuesday, killing four people, officials said.\n",
        encoding="utf-8",
    )
    (document,) = [d for d in read([page]) if isinstance(d, Document)]
    assert document.url == "https://news.example/world/2017/04/05/shelling/"
    assert document.published == date(2017, 4, 5)
    assert not document.text.startswith("Source URL")
    # metadata wins over the address
    page.write_text(
        "URL: https://news.example/world/2017/04/05/shelling/\nPublished: 2017-04-06\n\n"
        "Shells hit the market, killing four people.\n",
        encoding="utf-8",
    )
    (document,) = [d for d in read([page]) if isinstance(d, Document)]
    assert document.published == date(2017, 4, 6)
