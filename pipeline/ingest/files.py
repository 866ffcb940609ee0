"""Plain-text articles (.txt, .md): an optional metadata header, then the article's text.

A file may open with lines `Key: value` (Outlet, Published, URL, Title, Language; keys in any
case), then a blank line. They say what a text file cannot otherwise say (its outlet, its
date) and are not the article's words, so they are kept out of Document.text, whose offsets
every stored quote points into. The text itself is kept exactly, less its leading and
trailing blank lines. A page of several outlets' articles is split at its marker lines
(pages.py); its header's Language and Published then hold for every article on it, while its
Outlet, Title and URL are the page's own and are not given to the articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pipeline.ingest import metadata, pages
from pipeline.ingest.assemble import Article, document
from pipeline.ingest.decode import Refusal, read_text, strip_blank_lines
from pipeline.ingest.pages import Marker
from schemas.data import Document

SUFFIXES = (".txt", ".md")
HEADER_KEYS = ("outlet", "published", "url", "title", "language")
HEADER_ALIASES = {"source url": "url"}  # how saved pages often name their address
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z]+(?: [A-Za-z]+)?):[ \t]*(?P<value>.*?)[ \t]*$")


def split_header(text: str) -> tuple[dict[str, str], str]:
    """(metadata, rest of the text). The opening lines are a header only when every one of
    them is `Key: value` with a known key and a blank line follows them; otherwise the text has
    no header and is returned whole ("Source: Reuters" is an article's first line)."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    header: dict[str, str] = {}
    while end < len(lines) and lines[end].strip():
        found = _HEADER_LINE.match(lines[end])
        key = found["key"].lower() if found else ""
        key = HEADER_ALIASES.get(key, key)
        if found is None or key not in HEADER_KEYS:
            return {}, text
        if key in header:
            raise Refusal(f"metadata header: {found['key']!r} appears twice (line {end + 1})")
        header[key] = found["value"]
        end += 1
    if end == start or end == len(lines):  # no header lines, or no blank line after them
        return {}, text
    return header, "\n".join(lines[end + 1 :])


def parse(text: str, stem: str, source_path: str, markers: Sequence[Marker]) -> list[Document]:
    """The documents of one text file's content: one, or one per article of a page."""
    header, rest = split_header(text)
    published = metadata.published_of(header.get("published"), "metadata Published")
    language = metadata.language_code(header.get("language"), "metadata Language")
    articles = pages.split(rest, markers)
    if articles is None:
        body = strip_blank_lines(rest)
        if not body.strip():
            raise Refusal("empty file: only a metadata header, no article text after it")
        article = Article(
            text=body,
            outlet=metadata.text_of(header.get("outlet")),
            title=pages.headline(body) or metadata.text_of(header.get("title")),
            url=metadata.text_of(header.get("url")),
            published=published,
            language=language,
        )
        return [document(article, stem, source_path, "text")]
    return [
        document(
            Article(
                text=a.text,
                part=a.part,
                outlet=a.outlet,
                title=a.title,
                published=published,
                language=language,
                page_context="\n\n".join(b.text for b in articles if b is not a) or None,
            ),
            f"{stem}.{a.part}",
            source_path,
            "text",
        )
        for a in articles
    ]


def load(path: Path, max_bytes: int, markers: Sequence[Marker]) -> list[Document]:
    """The documents of the text file at `path`, or Refusal with the reason it is refused."""
    return parse(read_text(path, max_bytes), path.stem, str(path), markers)
