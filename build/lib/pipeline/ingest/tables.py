"""Tables of articles (.jsonl/.ndjson, .csv, .parquet, and JSON lines on standard input).

A table holds one article per row, in the documented columns `id`, `url`, `outlet`,
`published`, `title`, `text`, `language` (names in any case; other columns are ignored, so an
export from another tool needs no cleaning). Files are read with DuckDB, which streams them
and reads all three formats with one set of rules. A row that cannot be an article is refused
alone, naming its row number ("row 17: no text"); the table's other rows are still read.
Standard input is read line by line with the json module, so a bad line is refused alone too.

Ids: the row's `id`, else `<file stem>.<row number>` (rows count from 1, header excluded),
both stable across runs. `max_bytes` bounds each row's text, as it bounds one article file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from pipeline.ingest import metadata, pages
from pipeline.ingest.assemble import Article, document
from pipeline.ingest.decode import Refusal, strip_blank_lines
from pipeline.ingest.located import Located
from schemas.data import SourceError

COLUMNS = ("id", "url", "outlet", "published", "title", "text", "language")
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
SUFFIXES = tuple(FORMATS)
STDIN_PATH = "<stdin>"

# all_varchar: CSV has no types, and guessing them would turn an id "007" into 7.
_READERS = {
    "jsonl": "read_json_auto(?, format = 'newline_delimited')",
    "csv": "read_csv_auto(?, header = true, all_varchar = true)",
    "parquet": "read_parquet(?)",
}
_BATCH = 500


def load(path: Path, max_bytes: int) -> Iterator[Located]:
    """The documents of a table file, one per row, or a SourceError per refused row.

    Raises Refusal when the file as a whole cannot be read as a table of articles.
    """
    import duckdb

    source_format = FORMATS[path.suffix.lower()]
    if path.stat().st_size == 0:
        raise Refusal("empty file: no text to extract")
    connection = duckdb.connect(":memory:")
    try:
        try:
            cursor = connection.execute(f"SELECT * FROM {_READERS[source_format]}", [str(path)])
        except duckdb.Error as err:
            reason = _first_line(err)
            raise Refusal(f"cannot read it as {source_format.upper()}: {reason}") from None
        names = [str(column[0]) for column in cursor.description or ()]
        wanted = {name.lower(): i for i, name in reversed(list(enumerate(names)))}
        if "text" not in wanted:
            raise Refusal(
                f"table has no `text` column (its columns: {', '.join(names) or 'none'}; "
                f"the documented ones: {', '.join(COLUMNS)})"
            )
        keep = {column: wanted[column] for column in COLUMNS if column in wanted}

        def rows() -> Iterator[tuple[int, dict[str, Any] | SourceError]]:
            number = 0
            while True:
                try:
                    batch = cursor.fetchmany(_BATCH)
                except duckdb.Error as err:
                    raise Refusal(
                        f"cannot read it as {source_format.upper()} after row {number}: "
                        f"{_first_line(err)}"
                    ) from None
                if not batch:
                    return
                for values in batch:
                    number += 1
                    yield number, {column: values[i] for column, i in keep.items()}

        yielded = False
        for item in documents_of_rows(rows(), path.stem, str(path), source_format, max_bytes):
            yielded = True
            yield item
        if not yielded:
            raise Refusal("table has no rows")
    finally:
        connection.close()


def read_stdin(stream: TextIO, max_bytes: int) -> Iterator[Located]:
    """The documents of JSON lines on `stream`: one object per line, in the table columns."""

    def rows() -> Iterator[tuple[int, dict[str, Any] | SourceError]]:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as err:
                problem = f"not JSON ({err.msg} at column {err.colno})"
            else:
                if isinstance(value, dict):
                    yield number, {str(k).lower(): v for k, v in value.items()}
                    continue
                problem = "not a JSON object"
            reason = f"line {number}: {problem}; standard input takes one JSON object per line"
            yield number, SourceError(STDIN_PATH, f"stdin.{number}", reason)

    yield from documents_of_rows(rows(), "stdin", STDIN_PATH, "stdin", max_bytes, label="line")


def documents_of_rows(
    rows: Iterable[tuple[int, dict[str, Any] | SourceError]],
    stem: str,
    source_path: str,
    source_format: str,
    max_bytes: int,
    label: str = "row",
) -> Iterator[Located]:
    """One Document, or one SourceError, per numbered row of documented columns."""
    for number, row in rows:
        where = f"{label} {number}"
        if isinstance(row, SourceError):
            yield Located(row, where)
            continue
        document_id = metadata.text_of(row.get("id")) or f"{stem}.{number}"
        try:
            article = _article(row, max_bytes)
        except Refusal as refusal:
            refused = SourceError(source_path, document_id, f"{where}: {refusal}")
            yield Located(refused, where)
            continue
        yield Located(document(article, document_id, source_path, source_format), where)


def _first_line(error: Exception) -> str:
    """DuckDB's messages run to several lines of hints; the first says what is wrong."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _article(row: dict[str, Any], max_bytes: int) -> Article:
    raw = row.get("text")
    text = "" if raw is None else str(raw)
    text = strip_blank_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise Refusal("no text")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise Refusal(
            f"text is {size:,} bytes, over the {max_bytes:,}-byte limit for one article "
            "(raise CLAIMDIFF_MAX_BYTES if it really is one article)"
        )
    return Article(
        text=text,
        outlet=metadata.text_of(row.get("outlet")),
        title=metadata.text_of(row.get("title")) or pages.headline(text),
        url=metadata.text_of(row.get("url")),
        published=metadata.published_of(row.get("published")),
        language=metadata.language_code(row.get("language")),
    )
