"""pipeline.ingest on plain-text articles: refusals, folders, the metadata header, ids.

Every text here is written for these tests."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from pipeline.ingest import Document, SourceError, read
from pipeline.ingest.decode import strip_blank_lines
from pipeline.ingest.files import split_header

MAX = 1_000_000

LEDE = (
    "PORT AMBER — Three fishing boats were sunk by drones off the northern pier on Sunday, and "
    "two crew members were killed, the harbour master said.\n"
)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def one(paths: list[str | Path], max_bytes: int = MAX) -> Document | SourceError:
    (item,) = read(paths, max_bytes=max_bytes)
    return item


def refusal(path: Path, max_bytes: int = MAX) -> str:
    item = one([path], max_bytes)
    assert isinstance(item, SourceError), item
    assert item.source_path == str(path)
    assert item.document_id == path.stem
    return item.reason


# --- one plain article ------------------------------------------------------------------------


def test_plain_file_is_one_document(tmp_path: Path) -> None:
    path = write(tmp_path, "harbour_report.txt", "Drones over the harbour\n\n" + LEDE)
    doc = one([path])
    assert isinstance(doc, Document)
    assert doc.document_id == "harbour_report"
    assert (doc.part, doc.outlet, doc.source_format) == (1, None, "text")
    assert doc.title == "Drones over the harbour"
    assert doc.dateline == "PORT AMBER"
    assert doc.text == "Drones over the harbour\n\n" + LEDE.rstrip("\n")
    assert doc.source_path == str(path)
    assert (doc.language, doc.language_source) == ("en", "detected")


def test_a_first_line_ending_in_a_full_stop_is_no_title(tmp_path: Path) -> None:
    doc = one([write(tmp_path, "a.txt", LEDE + "\nMore text follows.\n")])
    assert isinstance(doc, Document)
    assert doc.title is None


def test_markdown_heading_is_the_title_and_stays_in_the_text(tmp_path: Path) -> None:
    doc = one([write(tmp_path, "a.md", "# Boats sunk off the pier\n\n" + LEDE)])
    assert isinstance(doc, Document)
    assert doc.title == "Boats sunk off the pier"
    assert doc.text.startswith("# Boats sunk off the pier\n\n")


def test_crlf_and_bom_are_normalised_trailing_spaces_kept(tmp_path: Path) -> None:
    data = "\ufeff\r\n\r\nTitle line\r\n\r\nOne.  \rTwo — “three”.\r\n\r\n  \r\n".encode()
    doc = one([write(tmp_path, "a.txt", data)])
    assert isinstance(doc, Document)
    assert doc.text == "Title line\n\nOne.  \nTwo — “three”."


def test_strip_blank_lines_keeps_indentation_and_trailing_spaces() -> None:
    assert strip_blank_lines("\n \n  indented  \nlast \n\t\n") == "  indented  \nlast "


# --- the metadata header ----------------------------------------------------------------------

HEADER = (
    "Outlet: The Amber Courier\n"
    "published: 2024-06-12\n"
    "URL: https://courier.example/2024/06/12/boats\n"
    "TITLE: Boats sunk by drones\n"
    "Language: en-GB\n"
    "\n"
)


def test_metadata_header_fills_fields_and_is_not_text(tmp_path: Path) -> None:
    doc = one([write(tmp_path, "a.txt", HEADER + LEDE)])
    assert isinstance(doc, Document)
    assert doc.outlet == "The Amber Courier"
    assert doc.published == date(2024, 6, 12)
    assert doc.url == "https://courier.example/2024/06/12/boats"
    assert (doc.language, doc.language_source) == ("en", "metadata")
    assert doc.text == LEDE.rstrip("\n")
    assert "Outlet" not in doc.text
    # the first line ends with a full stop, so the metadata's title stands
    assert doc.title == "Boats sunk by drones"


def test_a_headline_first_line_wins_over_the_metadata_title(tmp_path: Path) -> None:
    doc = one([write(tmp_path, "a.txt", HEADER + "Boats sunk off the pier\n\n" + LEDE)])
    assert isinstance(doc, Document)
    assert doc.title == "Boats sunk off the pier"
    assert doc.text.startswith("Boats sunk off the pier\n\nPORT AMBER")


def test_metadata_language_overrides_detection(tmp_path: Path) -> None:
    doc = one([write(tmp_path, "a.txt", "Language: fr\n\n" + LEDE)])
    assert isinstance(doc, Document)
    assert (doc.language, doc.language_source) == ("fr", "metadata")


def test_unknown_keys_mean_no_header() -> None:
    text = "Source: Amber Wire\nPORT AMBER — Two drones were downed.\n"
    assert split_header(text) == ({}, text)
    # known keys but no blank line after them: the article's own first lines
    assert split_header("Title: x\nOutlet: y")[0] == {}
    assert split_header("Outlet: y\n\nBody.\n") == ({"outlet": "y"}, "Body.\n")


def test_source_line_without_marker_format_is_plain_text(tmp_path: Path) -> None:
    text = "Source: Amber Wire\nPORT AMBER — Two drones were downed.\n"
    doc = one([write(tmp_path, "x.txt", text)])
    assert isinstance(doc, Document)
    assert (doc.document_id, doc.outlet, doc.text) == ("x", None, text.strip())


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Published: last Tuesday\n\n", r"metadata Published 'last Tuesday' is not a date"),
        ("Language: English\n\n", r"metadata Language 'English' is not an ISO 639-1"),
        ("Outlet: a\nOutlet: b\n\n", r"'Outlet' appears twice \(line 2\)"),
        ("Outlet: The Amber Courier\n\n\n", r"^empty file: only a metadata header"),
    ],
)
def test_bad_metadata_is_refused(tmp_path: Path, header: str, reason: str) -> None:
    body = "" if reason.startswith("^empty") else LEDE
    assert re.search(reason, refusal(write(tmp_path, "a.txt", header + body)))


# --- refusals ---------------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "a.txt", b"")).startswith("empty file")


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "a.txt", b" \n\t\r\n  \n")).startswith("empty file")


def test_binary_file_is_refused(tmp_path: Path) -> None:
    reason = refusal(write(tmp_path, "a.txt", b"GIF89a\x00\x01\x02 some text"))
    assert reason == "binary file (it contains NUL bytes), not a text article"


def test_control_character_soup_is_refused(tmp_path: Path) -> None:
    reason = refusal(write(tmp_path, "a.txt", bytes(range(1, 32)) * 20))
    assert reason.startswith("binary file (") and "control characters), not a text" in reason


def test_latin1_file_is_refused_naming_byte_and_offset(tmp_path: Path) -> None:
    data = "Amber café report".encode("latin-1")
    assert data.index(b"\xe9") == 9
    reason = refusal(write(tmp_path, "a.txt", data))
    assert reason.startswith("not UTF-8 text: byte 0xe9 at offset 9 (convert it")


def test_file_over_max_bytes_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"x" * 1001)
    reason = refusal(path, max_bytes=1000)
    assert reason.startswith("file is 1,001 bytes, over the 1,000-byte limit for one article")
    assert "CLAIMDIFF_MAX_BYTES" in reason
    assert isinstance(one([path], max_bytes=1001), Document)


def test_missing_path_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    assert list(read([missing])) == [SourceError(str(missing), "gone", "no such file or folder")]


def test_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert list(read([fifo])) == [SourceError(str(fifo), "pipe", "not a regular file")]


def test_folder_without_articles_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    write(folder, "notes.pdf", b"%PDF")
    write(folder, ".hidden.txt", "Hidden text.")
    (item,) = read([folder])
    assert isinstance(item, SourceError)
    assert (item.source_path, item.document_id) == (str(folder), "empty")
    assert item.reason.startswith("folder holds no *.txt, *.md, *.html, *.htm, ")
    assert item.reason.endswith(" or *.parquet files")


def test_a_refusal_does_not_stop_the_others(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", LEDE)
    bad = write(tmp_path, "bad.txt", b"")
    items = list(read([bad, tmp_path / "gone.txt", good]))
    assert [type(i).__name__ for i in items] == ["SourceError", "SourceError", "Document"]


def test_an_explicit_file_of_another_suffix_is_read_as_text(tmp_path: Path) -> None:
    doc = one([write(tmp_path, "wire", LEDE)])
    assert isinstance(doc, Document) and doc.document_id == "wire"


# --- folders and ids --------------------------------------------------------------------------


def test_folders_are_sorted_recursive_and_skip_hidden(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    names = ["b.txt", "a.md", "C.txt", "sub/z.txt", "sub.txt", "page.HTML", "rows.csv"]
    for name in names:
        write(folder, name, LEDE)
    for name in [".hidden.txt", ".notes.md", ".ipynb_checkpoints/a-checkpoint.txt", "x.pdf"]:
        write(folder, name, LEDE)
    (folder / "dir.txt").mkdir()  # a folder named like a text file is not a file
    sources = [item.source_path for item in read([folder])]
    # page.HTML and rows.csv are read by their own readers; here only the order matters
    assert sources[:4] == [str(folder / n) for n in ["C.txt", "a.md", "b.txt", "page.HTML"]]
    assert sources[4:] == [str(folder / n) for n in ["rows.csv", "sub/z.txt", "sub.txt"]]


def test_duplicate_ids_are_refused_naming_both_paths(tmp_path: Path) -> None:
    first = write(tmp_path, "one/report.txt", LEDE)
    second = write(tmp_path, "two/report.md", LEDE)
    items = list(read([tmp_path / "one", tmp_path / "two"]))
    assert isinstance(items[0], Document) and items[0].source_path == str(first)
    refused = items[1]
    assert isinstance(refused, SourceError)
    assert (refused.source_path, refused.document_id) == (str(second), "report")
    assert refused.reason == (
        f"document id 'report' is already used by {first}; rename one of the files"
    )


def test_naming_a_file_twice_is_a_duplicate(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", LEDE)
    items = list(read([path, str(path)]))
    assert isinstance(items[0], Document) and isinstance(items[1], SourceError)


def test_ids_and_documents_are_stable_across_reads(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "sub/c.md"]:
        write(tmp_path, name, HEADER + LEDE)
    first, second = list(read([tmp_path])), list(read([tmp_path]))
    assert first == second
    assert [d.document_id for d in first] == ["a", "b", "c"]
