"""ingest: input files, folders and standard input → Documents, or why an input is refused.

Every later stage compares articles by id, so ids are unique and stable across runs: a file's
stem, `<stem>.<n>` for the n-th article of an aggregator page, a table row's `id` (else
`<stem>.<row number>`). Every refused input, a whole file or a single table row, comes back
as a SourceError with a reason a person can act on; nothing else is dropped.

    read(["articles/", "extra.jsonl", "-"])   # "-": JSON lines on standard input

Formats: .txt/.md (files.py), .html/.htm (html.py), .jsonl/.ndjson/.csv/.parquet
(tables.py); a file named explicitly with another suffix is read as plain text.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from pipeline.ingest import files, html, tables
from pipeline.ingest.decode import Refusal
from pipeline.ingest.discover import discover
from pipeline.ingest.located import Located
from pipeline.ingest.pages import Marker, load_markers
from schemas.data import Document, SourceError

__all__ = ["SUFFIXES", "Document", "Marker", "SourceError", "load_markers", "read"]

SUFFIXES: tuple[str, ...] = files.SUFFIXES + html.SUFFIXES + tables.SUFFIXES


def read(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = 1_000_000,
    markers: Sequence[Marker] | None = None,
    stdin: TextIO | None = None,
) -> Iterator[Document | SourceError]:
    """Every document under `paths`, in order, each followed by nothing lost: a refused file
    or row is a SourceError in its place. `markers` split aggregator pages (default: those of
    schemas/vocab/markers.yaml); `stdin` is what "-" reads (default sys.stdin)."""
    chosen = tuple(markers) if markers is not None else load_markers()
    seen: dict[str, Located] = {}  # document id → where it was first read
    for entry in discover(paths, SUFFIXES):
        if isinstance(entry, SourceError):
            yield entry
            continue
        if isinstance(entry, str):  # discover.STDIN, "-"
            items = tables.read_stdin(stdin if stdin is not None else sys.stdin, max_bytes)
        else:
            items = _read_file(entry, max_bytes, chosen)
        for located in items:
            yield _unique(located, seen)


def _read_file(path: Path, max_bytes: int, markers: Sequence[Marker]) -> Iterator[Located]:
    """The items of one file; a refusal of the whole file (even one found mid-table) ends it."""
    suffix = path.suffix.lower()
    try:
        if suffix in tables.SUFFIXES:
            yield from tables.load(path, max_bytes)
        elif suffix in html.SUFFIXES:
            yield from (Located(d) for d in html.load(path, max_bytes))
        else:
            yield from (Located(d) for d in files.load(path, max_bytes, markers))
    except Refusal as refusal:
        yield Located(SourceError(str(path), path.stem, str(refusal)))
    except OSError as error:
        yield Located(SourceError(str(path), path.stem, error.strerror or str(error)))


def _unique(located: Located, seen: dict[str, Located]) -> Document | SourceError:
    """The item, or a SourceError naming both sources when its id was already read (the
    SourceError's path is the second source, its reason names the first)."""
    item = located.item
    if isinstance(item, SourceError):
        return item
    first = seen.get(item.document_id)
    if first is None:
        seen[item.document_id] = located
        return item
    if located.row is None and first.row is None:
        fix = "rename one of the files"
    else:
        fix = "give one of them another id (rename the file, or change the row's `id`)"
    prefix = f"{located.row}: " if located.row else ""
    return SourceError(
        item.source_path,
        item.document_id,
        f"{prefix}document id {item.document_id!r} is already used by {first.origin}; {fix}",
    )
