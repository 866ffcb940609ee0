"""Documents: an article with its metadata and exact text, an input refused, and the text units
(chunks of numbered sentences) that extraction offers the model."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Document:
    """One article, with the metadata its page or table row gave and its exact text."""

    document_id: str
    source_path: str
    text: str
    part: int = 1  # 1-based position of the article on its page; 1 for a plain file
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None  # what event dates are resolved against
    dateline: str | None = None
    language: str = "en"  # ISO 639-1
    language_source: str = "default"  # metadata | detected | default
    source_format: str = "text"  # text | html | jsonl | csv | parquet | stdin
    # The other articles of its page, when a page compared several reports of one event: read
    # only to learn what the page's names are ("the Zarqa district" in one report makes
    # "Zarqa" a quarter in the next), never evidence of this document.
    page_context: str | None = None

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True, slots=True)
class SourceError:
    """An input we refuse (a file, or one row of a table), with a reason a person can act on."""

    source_path: str
    document_id: str
    reason: str


# ----------------------------------------------------------------------------- text units


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int  # 1-based within its chunk: what the model chooses
    start: int  # offsets into the document text
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int  # 0-based within the document
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]
