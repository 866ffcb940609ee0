"""Dates: the words of a text that name a date, and when something happened, how precisely."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class DatePrecision(StrEnum):
    """ACLED's time precision: the day, the week or the month is known."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class EventDate:
    """When something happened: the words, the date they resolve to and how precisely.
    ``text`` None means the quote gave no date and the article's own date stands in."""

    date: dt.date | None
    precision: DatePrecision | None
    text: str | None = None
    source: str = ""  # quote | chunk | document | none
