"""Metadata values (dates, language codes) read the same way from every format.

A text file's header, a table's columns and an HTML page's tags all declare the same few
things; reading them in one place keeps their rules, and the refusals, identical. A declared
value that cannot be read is refused rather than dropped: the date is what event dates are
resolved against, and a silently lost date would be replaced by a guess from the text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pipeline.ingest.decode import Refusal
from pipeline.ingest.language import code_of


def published_of(value: Any, field: str = "published") -> date | None:
    """A declared publication date: a date, a datetime, or an ISO 8601 string (a date, or a
    date and time such as "2024-06-12T08:30:00Z"); None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise Refusal(
            f"{field} {text!r} is not a date: write it as an ISO date, YYYY-MM-DD"
        ) from None


def language_code(value: Any, field: str = "language") -> str | None:
    """A declared language as its ISO 639-1 code ("en-GB" → "en"); None when empty."""
    if value is None or not str(value).strip():
        return None
    code = code_of(str(value))
    if code is None:
        raise Refusal(
            f"{field} {str(value).strip()!r} is not an ISO 639-1 language code "
            "(two letters: en, fr, uk, ar, …)"
        )
    return code


def text_of(value: Any) -> str | None:
    """A declared text field (outlet, title, url): stripped, None when empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None
