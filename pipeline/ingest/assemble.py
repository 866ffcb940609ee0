"""An article as a format read it → the Document every later stage takes.

Each format (text file, page, HTML, table row) only says what it read; the fields derived
from the text (language, dateline, the article's own date) are filled here, the same way for
all, so that one article reads the same whatever file it came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.ingest import datelines, language
from schemas.data import Document


@dataclass(frozen=True, slots=True)
class Article:
    """What a format read: the exact text and whatever metadata came with it."""

    text: str
    part: int = 1
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None  # declared by metadata; None means detect it
    page_context: str | None = None  # the other articles of its page (Document.page_context)


def document(article: Article, document_id: str, source_path: str, source_format: str) -> Document:
    """The Document of `article`: declared metadata first, the text's own evidence after."""
    lang, lang_source = language.language_of(article.text, article.language)
    published = (
        article.published
        or datelines.article_date(article.text, lang)
        or datelines.url_date(article.url)
    )
    return Document(
        document_id=document_id,
        source_path=source_path,
        text=article.text,
        part=article.part,
        outlet=article.outlet,
        title=article.title,
        url=article.url,
        published=published,
        dateline=datelines.dateline(article.text),
        language=lang,
        language_source=lang_source,
        source_format=source_format,
        page_context=article.page_context,
    )
