"""pipeline.ingest.datelines: the lede's dateline, and the article's own date from its text.

Ledes written for these tests, with invented places."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.ingest import Document, read
from pipeline.ingest.datelines import dateline


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
