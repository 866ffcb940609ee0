"""Saved web pages (.html, .htm): the article's main text and the page's own metadata.

A page is mostly not the article (menus, related links, comments, scripts), so its main text
is found by trafilatura, which runs offline on the page it is given. Title, site name (the
outlet), publication date and canonical URL come from the page's metadata; `<html lang>`
declares the language, which then overrides detection. Paragraphs are joined by blank
lines, as in a plain-text article.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pipeline.ingest import metadata
from pipeline.ingest.assemble import Article, document
from pipeline.ingest.decode import Refusal, decode
from pipeline.ingest.language import code_of
from schemas.data import Document

SUFFIXES = (".html", ".htm")

# Markup, styles and scripts outweigh a page's text many times over, so a page file may be this
# many times `max_bytes`; the article's text itself is held to `max_bytes`.
PAGE_BYTES_FACTOR = 20

# Fewer words of main text than this is a page of links or a cookie wall, not an article.
MIN_WORDS = 10

# The declared date only: htmldate's extensive search reads a footer's "© 2023" as 2023-01-01,
# a wrong date that would beat the article's own. With no declared date the article's text
# gives it (datelines.article_date).
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.I
)


def _encoding(data: bytes) -> str:
    """The charset the page declares (a saved page keeps its server's charset), else UTF-8."""
    found = _CHARSET.search(data[:4096])
    if found:
        name = found.group(1).decode("ascii")
        try:
            return codecs.lookup(name).name
        except LookupError:
            raise Refusal(f"page declares an unknown charset {name!r}") from None
    return "utf-8"


def declared_language(page: str) -> str | None:
    """The ISO 639-1 code of `<html lang="…">`, or None when absent or not a 639-1 code."""
    found = _HTML_LANG.search(page[:4096])
    if found is None:
        return None
    return code_of(found.group(1))  # "fil", "x-klingon": not 639-1, so detect instead


def parse(page: str, stem: str, source_path: str, max_bytes: int) -> Document:
    """The Document of one HTML page's source, or Refusal when it holds no article text."""
    from trafilatura import bare_extraction

    try:
        found = bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as error:  # a parser's failure on one page must not stop the run
        raise Refusal(f"cannot parse the page: {type(error).__name__}: {error}") from None
    raw = getattr(found, "text", None) if found is not None else None
    paragraphs = [line.strip() for line in (raw or "").split("\n") if line.strip()]
    words = sum(len(p.split()) for p in paragraphs)
    if words < MIN_WORDS:
        raise Refusal(
            f"no article text found in the page (its main text has {words} of the {MIN_WORDS} "
            "words an article has at least: navigation or boilerplate only?); save the "
            "article's own page, or its text as a .txt file"
        )
    text = "\n\n".join(paragraphs)
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise Refusal(
            f"the page's article text is {size:,} bytes, over the {max_bytes:,}-byte limit "
            "for one article (raise CLAIMDIFF_MAX_BYTES if it really is one article)"
        )
    published_value = getattr(found, "date", None)
    try:
        published = metadata.published_of(published_value, "the page's date")
    except Refusal:
        published = None  # an unreadable tag is the page's fault, not the person's: use the text
    article = Article(
        text=text,
        outlet=metadata.text_of(getattr(found, "sitename", None)),
        title=metadata.text_of(getattr(found, "title", None)),
        url=metadata.text_of(getattr(found, "url", None)),
        published=published,
        language=declared_language(page),
    )
    return document(article, stem, source_path, "html")


def load(path: Path, max_bytes: int) -> list[Document]:
    """The document of the HTML page at `path`, or Refusal with the reason it is refused."""
    size = path.stat().st_size
    limit = max_bytes * PAGE_BYTES_FACTOR
    if size > limit:
        raise Refusal(
            f"file is {size:,} bytes, over the {limit:,}-byte limit for one page "
            f"({PAGE_BYTES_FACTOR} × the {max_bytes:,}-byte article limit; raise "
            "CLAIMDIFF_MAX_BYTES if it really is one article)"
        )
    data = path.read_bytes()
    return [parse(decode(data, _encoding(data)), path.stem, str(path), max_bytes)]
