"""pipeline.ingest.tables: JSONL, CSV and Parquet tables (written here with DuckDB) and JSON
lines on standard input → one document per row, a refused row alone refused.

Rows written for these tests."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest import Document, SourceError, read

LEDE_EN = (
    "KESTREL BAY — Two drones struck a fuel depot near the harbour overnight, starting a fire "
    "that burned until morning, the port authority said."
)
LEDE_FR = (
    "PORT-NEUF — Deux drones ont frappé un dépôt de carburant près du port pendant la nuit, "
    "provoquant un incendie qui a duré jusqu'au matin, selon l'autorité portuaire."
)

# id, outlet, published, title, text, language, url, and a column ingest does not know
ROWS = [
    ("kb-1", "Kestrel Courier", "2024-05-02", "Depot burns after drone strike", LEDE_EN, "en",
     "https://courier.example/kb-1", "x"),
    (None, "Port Wire", "2024-05-02T06:30:00Z", None, LEDE_FR, None, None, "y"),
    ("kb-3", "Kestrel Courier", None, "A row without text", None, "en", None, "z"),
    ("kb-4", None, None, None, "\r\n" + LEDE_EN + "\r\nSecond paragraph.\r\n", None, None, None),
]  # fmt: skip
COLUMNS = "id, outlet, published, title, text, language, url, section"


def write_table(path: Path, rows: Sequence[tuple[object, ...]], columns: str = COLUMNS) -> Path:
    """Write `rows` to `path` with DuckDB, in the format its suffix names."""
    options = {
        ".csv": "(FORMAT csv, HEADER)",
        ".jsonl": "(FORMAT json)",
        ".ndjson": "(FORMAT json)",
        ".parquet": "(FORMAT parquet)",
    }[path.suffix]
    with duckdb.connect() as con:
        names = [c.strip() for c in columns.split(",")]
        con.execute(f"CREATE TABLE t ({', '.join(f'{n} VARCHAR' for n in names)})")
        if rows:
            marks = ", ".join("?" for _ in names)
            con.executemany(f"INSERT INTO t VALUES ({marks})", [list(r) for r in rows])
        con.execute(f"COPY t TO '{path}' {options}")
    return path


@pytest.mark.parametrize(("suffix", "source_format"), [
    (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"), (".parquet", "parquet"),
])  # fmt: skip
def test_table_rows_become_documents(tmp_path: Path, suffix: str, source_format: str) -> None:
    path = write_table(tmp_path / f"depot{suffix}", ROWS)
    first, second, third, fourth = read([path])
    assert isinstance(first, Document)
    assert first.document_id == "kb-1"
    assert first.source_path == str(path)
    assert first.source_format == source_format
    assert first.outlet == "Kestrel Courier"
    assert first.published == date(2024, 5, 2)
    assert first.title == "Depot burns after drone strike"
    assert first.text == LEDE_EN
    assert first.url == "https://courier.example/kb-1"
    assert (first.language, first.language_source) == ("en", "metadata")
    assert first.dateline == "KESTREL BAY"
    # no id: the stem and the row number; an ISO date-time; the language detected
    assert isinstance(second, Document)
    assert second.document_id == "depot.2"
    assert second.published == date(2024, 5, 2)
    assert (second.language, second.language_source) == ("fr", "detected")
    # a row with no text is refused alone, and the rows after it are read
    assert third == SourceError(str(path), "kb-3", "row 3: no text")
    assert isinstance(fourth, Document)
    assert fourth.text == LEDE_EN + "\nSecond paragraph."


def test_unknown_columns_are_ignored_and_names_match_in_any_case(tmp_path: Path) -> None:
    path = write_table(
        tmp_path / "t.csv",
        [("a1", "Kestrel Courier", LEDE_EN, "sports", "17")],
        columns="ID, Outlet, TEXT, section, word_count",
    )
    (doc,) = read([path])
    assert isinstance(doc, Document)
    assert (doc.document_id, doc.outlet, doc.text) == ("a1", "Kestrel Courier", LEDE_EN)


def test_parquet_date_column_is_a_date(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT 'p1' AS id, DATE '2024-05-03' AS published, ? AS text) "
            f"TO '{path}' (FORMAT parquet)",
            [LEDE_EN],
        )
    (doc,) = read([path])
    assert isinstance(doc, Document) and doc.published == date(2024, 5, 3)


def test_csv_ids_keep_their_leading_zeros(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.csv", [("007", LEDE_EN)], columns="id, text")
    (doc,) = read([path])
    assert isinstance(doc, Document) and doc.document_id == "007"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("a", "soon", "en", LEDE_EN), "row 1: published 'soon' is not a date"),
        (("a", None, "English", LEDE_EN), "row 1: language 'English' is not an ISO 639-1"),
        (("a", None, None, "   \n  "), "row 1: no text"),
    ],
)
def test_bad_rows_are_refused_with_their_number(
    tmp_path: Path, row: tuple[object, ...], reason: str
) -> None:
    path = write_table(tmp_path / "t.jsonl", [row], columns="id, published, language, text")
    (item,) = read([path])
    assert isinstance(item, SourceError)
    assert (item.source_path, item.document_id) == (str(path), "a")
    assert item.reason.startswith(reason)


def test_a_row_over_the_article_limit_is_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.csv", [("a", "x" * 500), ("b", LEDE_EN)], columns="id, text")
    refused, kept = read([path], max_bytes=300)
    assert isinstance(refused, SourceError)
    assert refused.reason.startswith("row 1: text is 500 bytes, over the 300-byte limit")
    assert isinstance(kept, Document)


def test_duplicate_row_ids_are_refused_naming_both_rows(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.csv", [("a", LEDE_EN), ("a", LEDE_FR)], columns="id, text")
    first, second = read([path])
    assert isinstance(first, Document)
    assert second == SourceError(
        str(path),
        "a",
        f"row 2: document id 'a' is already used by row 1 of {path}; give one of them another "
        "id (rename the file, or change the row's `id`)",
    )


def test_a_table_without_text_column_is_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.csv", [("a", "b")], columns="id, body")
    (item,) = read([path])
    assert isinstance(item, SourceError)
    assert item.document_id == "t"
    assert item.reason == (
        "table has no `text` column (its columns: id, body; the documented ones: "
        "id, url, outlet, published, title, text, language)"
    )


def test_a_table_without_rows_is_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.parquet", [], columns="id, text")
    assert list(read([path])) == [SourceError(str(path), "t", "table has no rows")]


def test_an_unreadable_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_bytes(b"not a parquet file at all")
    (item,) = read([path])
    assert isinstance(item, SourceError)
    assert item.reason.startswith("cannot read it as PARQUET: ")


def test_an_empty_table_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"")
    assert list(read([path])) == [SourceError(str(path), "t", "empty file: no text to extract")]


def test_table_ids_are_stable_across_reads(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.csv", ROWS)
    assert list(read([path])) == list(read([path]))


# --- standard input ---------------------------------------------------------------------------


def test_dash_reads_json_lines_from_stdin() -> None:
    lines = [
        json.dumps({"id": "in-1", "outlet": "Kestrel Courier", "text": LEDE_EN, "extra": [1]}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"Text": LEDE_FR, "Language": "fr", "Published": "2024-05-04"}),
        json.dumps({"title": "No text here"}),
    ]
    stdin = io.StringIO("\n".join(lines) + "\n")
    items = list(read(["-"], stdin=stdin))
    first, bad_json, not_object, fifth, no_text = items
    assert isinstance(first, Document)
    assert (first.document_id, first.outlet, first.text) == ("in-1", "Kestrel Courier", LEDE_EN)
    assert (first.source_path, first.source_format) == ("<stdin>", "stdin")
    assert isinstance(bad_json, SourceError) and bad_json.document_id == "stdin.3"
    assert bad_json.reason.startswith("line 3: not JSON (")
    assert isinstance(not_object, SourceError)
    assert not_object.reason.startswith("line 4: not a JSON object")
    assert isinstance(fifth, Document)
    assert fifth.document_id == "stdin.5"
    assert (fifth.language, fifth.language_source) == ("fr", "metadata")
    assert fifth.published == date(2024, 5, 4)
    assert no_text == SourceError("<stdin>", "stdin.6", "line 6: no text")


def test_stdin_and_files_together(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(LEDE_EN, encoding="utf-8")
    stdin = io.StringIO(json.dumps({"id": "a", "text": LEDE_FR}) + "\n")
    first, second = read([path, "-"], stdin=stdin)
    assert isinstance(first, Document)
    assert isinstance(second, SourceError)
    assert "already used by " + str(path) in second.reason
