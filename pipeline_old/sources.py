"""Input files → documents: one per article, with a stable id, its outlet and its exact text.

A page that aggregates several outlets' articles closes each with a line
``Source: <outlet> | View original article``; such a page becomes one document per article.
Files that are not readable UTF-8 text are refused with a reason, never half-read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

FOLDER_PATTERNS = ("*.txt", "*.md")

_SOURCE_LINE = re.compile(r"^Source: (?P<outlet>[^|\n]+?) \| View original article[ \t]*$", re.M)
_READ_MORE = re.compile(r"^Read full article\b.*$", re.M)
_DATELINE = re.compile(r"^(?P<dateline>[A-Z][^\n—–:]{1,60}?)\s*(?:—|–|:)\s?")
_DATE = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{1,2}), (\d{4})"
)


@dataclass(frozen=True)
class Document:
    document_id: str
    source_path: str
    part: int  # 1-based position of the article on its page; 1 for a plain file
    outlet: str | None
    title: str | None
    published: date | None
    dateline: str | None
    text: str

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class SourceError:
    """A file we refuse, with a reason a person can act on."""

    source_path: str
    document_id: str
    reason: str


def discover(paths: Iterable[str | Path]) -> Iterator[Path | SourceError]:
    """Expand folders into their text files (sorted); report paths that do not exist."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted({f for pattern in FOLDER_PATTERNS for f in path.rglob(pattern)})
            files = [
                f
                for f in files
                if f.is_file() and not any(p.startswith(".") for p in f.relative_to(path).parts)
            ]
            if not files:
                yield SourceError(
                    str(path), path.name, f"folder holds no {' or '.join(FOLDER_PATTERNS)} files"
                )
            yield from files
        elif path.is_file():
            yield path
        elif path.exists():
            yield SourceError(str(path), path.stem, "not a regular file")
        else:
            yield SourceError(str(path), path.stem, "no such file or folder")


def read_text(path: Path, max_bytes: int) -> str:
    """The file's text, or ValueError with the reason it is refused."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit for one article "
            "(raise CLAIMDIFF_MAX_BYTES if it really is one article)"
        )
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (it contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"not UTF-8 text: byte 0x{data[err.start]:02x} at offset {err.start} "
            "(convert it first, e.g. `iconv -f latin1 -t utf-8`)"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t\f")
    if controls > max(8, len(text) // 100):
        raise ValueError(f"binary file ({controls} control characters), not a text article")
    if not text.strip():
        raise ValueError("empty file: no text to extract")
    return text


def split_page(text: str, source_path: str, stem: str) -> list[Document]:
    """One document per article on an aggregator page, or the whole text as one document."""
    markers = list(_SOURCE_LINE.finditer(text))
    if not markers:
        body = text.strip()
        return [_document(stem, source_path, 1, None, _plain_title(body), body)]
    documents: list[Document] = []
    start = 0
    for part, marker in enumerate(markers, start=1):
        segment = text[start : marker.start()]
        start = marker.end()
        title, body = _article(segment)
        if body:
            documents.append(
                _document(
                    f"{stem}.{part}", source_path, part, marker["outlet"].strip(), title, body
                )
            )
    # Whatever follows the last marker is the page's own footer (comments, the page's link).
    return documents


def load(path: Path, max_bytes: int) -> list[Document]:
    return split_page(read_text(path, max_bytes), str(path), path.stem)


def _article(segment: str) -> tuple[str | None, str]:
    """(title, text) of one aggregated article: title line, a blank line, then the body.

    The aggregator writes title, its own summary, "Read full article", then the outlet's text;
    the summary is the aggregator's words, so it is not part of the outlet's document.
    """
    more = _READ_MORE.search(segment)
    if not more:
        body = segment.strip()
        return _plain_title(body), body
    lines = [line.strip() for line in segment[: more.start()].splitlines() if line.strip()]
    title = lines[-2] if len(lines) >= 2 else None
    body = segment[more.end() :].strip()
    return title, (f"{title}\n\n{body}" if title else body)


def _plain_title(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    return first if len(first) <= 150 and not first.endswith((".", "caption")) else None


def _document(
    document_id: str, source_path: str, part: int, outlet: str | None, title: str | None, text: str
) -> Document:
    dateline = _dateline(text)
    published = None
    if dateline and (found := _DATE.search(dateline)):
        published = datetime.strptime(" ".join(found.groups()), "%B %d %Y").date()
    return Document(document_id, source_path, part, outlet, title, published, dateline, text)


def _dateline(text: str) -> str | None:
    """The dateline of a lede paragraph: "KYIV, Ukraine", "ISTANBUL (AP)", "Addis Ababa (ENA)"."""
    for line in [line for line in text.splitlines() if line.strip()][:4]:
        found = _DATELINE.match(line)
        if not found:
            continue
        dateline = found["dateline"].strip()
        first_word = dateline.split()[0].strip(",")
        if (first_word.isupper() and len(first_word) >= 3) or re.search(r"\([^)]+\)$", dateline):
            return dateline
    return None
