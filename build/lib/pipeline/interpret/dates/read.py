"""What a matched date expression means, against the article's own date (the anchor).

The rules are claimdiff's, not dateparser's, where the two differ: a weekday is the latest such
day on or before the anchor (dateparser takes the week before when the article's own weekday
is named), a year-less date is the latest one not after the anchor plus two days (an article
of 12 June saying "June 13" speaks of tomorrow, not of last year), and relative words come in
ACLED's precisions. Names are read from the data file that matched them, which knows every
inflected form; dateparser reads numeric dates (it validates them, in the day/month order the
data file gives) and any expression no pattern knows.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from schemas.data import DatePrecision

from .patterns import CATEGORIES, Language, Template, key

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

Reading = tuple[date | None, DatePrecision | None]
NONE: Reading = (None, None)

_PRECISION = {
    "day": DatePrecision.DAY,
    "time": DatePrecision.DAY,
    "week": DatePrecision.WEEK,
    "month": DatePrecision.MONTH,
    "year": DatePrecision.YEAR,
}
# Two far-apart bases: an expression that reads the same against both names its own date.
_PROBES = (datetime(2001, 3, 15), datetime(2013, 9, 20))
_LEEWAY = timedelta(days=2)  # a year-less date may be this far after the anchor


def group(match: re.Match[str], category: str) -> str | None:
    """The first group of `category` (weekday, month, day…) that took part in the match."""
    for name in sorted(match.re.groupindex, key=match.re.groupindex.__getitem__):
        if CATEGORIES.get(name.split("__")[0]) == category and match.group(name) is not None:
            return match.group(name)
    return None


def _number(text: str | None) -> int | None:
    digits = re.match(r"\d+", text or "")
    return int(digits.group()) if digits else None


def shift(anchor: date, unit: str, n: int) -> Reading:
    """`n` units from the anchor, at the precision the unit gives: a week is anchor ± 7 days,
    a month or a year is its first day."""
    if unit == "day":
        return anchor + timedelta(days=n), DatePrecision.DAY
    if unit == "week":
        return anchor + timedelta(days=7 * n), DatePrecision.WEEK
    if unit == "month":
        months = anchor.year * 12 + anchor.month - 1 + n
        return date(months // 12, months % 12 + 1, 1), DatePrecision.MONTH
    return date(anchor.year + n, 1, 1), DatePrecision.YEAR


def latest(month: int, day: int, limit: date) -> date | None:
    """The latest `month`/`day` on or before `limit` (a 29 February looks back to a leap year)."""
    for year in range(limit.year, limit.year - 9, -1):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found <= limit:
            return found
    return None


def weekday(wanted: int, anchor: date, strict: bool) -> date:
    """The latest `wanted` weekday on or before the anchor (before it, when `strict`)."""
    found = anchor - timedelta(days=(anchor.weekday() - wanted) % 7)
    return found - timedelta(days=7) if strict and found == anchor else found


def read(template: Template, match: re.Match[str], lang: Language, anchor: date | None) -> Reading:
    """The date and precision of one matched expression; (None, None) when it needs an anchor
    it has not got, or names a day that does not exist."""
    kind = template.kind
    if kind == "numeric":
        return parse(match.group(), lang.code, anchor, order=template.order)
    if kind in ("date", "month", "year"):
        return _named(template, match, lang, anchor)
    if anchor is None:  # every other kind counts from the article's date
        return NONE
    if kind == "relative":
        return shift(anchor, template.unit, template.shift)
    if kind == "ago":
        unit = lang.units.get(key(group(match, "unit") or ""), "day")
        words = group(match, "count")
        return shift(anchor, unit, -(_number(words) or lang.counts.get(key(words or ""), 1)))
    wanted = lang.weekdays.get(key(group(match, "weekday") or ""))
    if wanted is None:
        return NONE
    found = weekday(wanted, anchor, template.strict)
    return found + timedelta(days=template.shift), DatePrecision.DAY


def _named(
    template: Template, match: re.Match[str], lang: Language, anchor: date | None
) -> Reading:
    """A date, month or year written out: its year as given, or (none given) the latest one
    that puts it on or before the anchor plus the leeway."""
    year = _number(group(match, "year"))
    if template.kind == "year":
        return (date(year, 1, 1), DatePrecision.YEAR) if year else NONE
    month = lang.months.get(key(group(match, "month") or ""))
    if month is None:
        return NONE
    day = 1 if template.kind == "month" else _number(group(match, "day")) or 1
    found: date | None = None
    if year is not None:
        try:
            found = date(year, month, day)
        except ValueError:  # 31 April
            return NONE
    elif anchor is not None:
        found = latest(month, day, anchor + _LEEWAY)
    if found is None:
        return NONE
    if template.kind == "month":
        return found, DatePrecision.MONTH
    return found + timedelta(days=template.shift), DatePrecision.DAY


# ----------------------------------------------------------------------------- dateparser


@cache
def _parser(language: str, base: datetime | None, order: str) -> DateDataParser:
    """A dateparser parser for one language, base and date order (imported on first use: the
    import costs most of a second and many runs never need it)."""
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": False,
    }
    if base is not None:
        settings["RELATIVE_BASE"] = base
    if order:
        settings |= {"DATE_ORDER": order, "PREFER_LOCALE_DATE_ORDER": False}
    try:
        return DateDataParser(languages=[language], settings=settings)
    except ValueError:  # a language dateparser does not know: let it guess
        return DateDataParser(settings=settings)


def _dateparser(text: str, language: str, base: datetime | None, order: str) -> Reading:
    data = _parser(language, base, order).get_date_data(text)
    if data.date_obj is None:
        return NONE
    return data.date_obj.date(), _PRECISION.get(data.period or "day", DatePrecision.DAY)


def parse(text: str, language: str, anchor: date | None, order: str = "") -> Reading:
    """dateparser's reading of a short expression (never a whole text: no fuzzy search).

    The expression is read against two far-apart bases. The same date both times: it names its
    own date. The same day and month in different years: a year-less date, placed by the
    anchor like any other. Anything else depends on the base, and dateparser's relative
    readings are not kept: it reads "19:00" as a day and "three years" as three years ago,
    and neither is a date the article gives (relative words come from the data files)."""
    if len(text) > 60 or not re.search(r"\d|[^\W\d_]{3}", text):
        return NONE
    (first, precision), (second, _) = (_dateparser(text, language, b, order) for b in _PROBES)
    if first is None or second is None:
        return NONE
    if first == second:
        return first, precision
    same_day = (first.month, first.day) == (second.month, second.day)
    if precision is DatePrecision.DAY and same_day and anchor is not None:
        found = latest(first.month, first.day, anchor + _LEEWAY)
        return (found, DatePrecision.DAY) if found else NONE
    return NONE
