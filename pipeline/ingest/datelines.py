"""The lede's dateline ("KHARTOUM, June 12 (Reuters) -") and the article's own date.

A dateline says where the reporter filed from, which the place resolver weighs, and often
when; event dates ("on Sunday") are resolved against the article's date, so an article whose
metadata gives none takes the date its text gives.
"""

from __future__ import annotations

import importlib
import re
from datetime import date

_DATES_MODULE = "pipeline.interpret.dates"

# The words before the separator: a capital first, no dash or colon inside, at most 80
# characters. Separators: an em or en dash (spaced or not), a spaced hyphen ("(Reuters) -"),
# or a colon ("JEDDAH, Jun 02 (Alliance News):").
_DATELINE = re.compile(r"^(?P<dateline>[^\W\d_][^\n—–:]{0,79}?)\s*(?:—|–|\s-\s|:)\s?")
_AGENCY = re.compile(r"\([^()]{1,40}\)$")  # "(AP)", "(ENA)", "(Reuters)"
# All-capital words that open a headline or a label rather than name a place.
_LABELS = frozenset(
    "BREAKING UPDATE UPDATED LIVE EXCLUSIVE WATCH ANALYSIS OPINION EDITORIAL VIDEO PHOTOS "
    "FACTBOX EXPLAINER REVIEW INTERVIEW CORRECTION".split()
)
_LEDE_LINES = 4  # a title, a byline and a photo caption may come before the lede


def dateline(text: str) -> str | None:
    """The dateline of the lede: "KHARTOUM, Sudan", "GAZA CITY", "БИШКЕК, 8 апреля",
    "BAMAKO (AP)", "Goma (Radio Okapi)"; None when the lede has none.

    A dateline is a place in capitals ("GAZA CITY", "ADEN and SANAA": short joining words may
    be lower case), optionally followed by a comma and more ("KHARTOUM, Sudan", "…, June 12"),
    or any words ending in a news agency in parentheses ("Addis Ababa (ENA)"). Headlines
    ("Sudan updates: …") fail both tests, so the first lines can be tried safely.
    """
    for line in [line for line in text.splitlines() if line.strip()][:_LEDE_LINES]:
        found = _DATELINE.match(line.strip())
        if found is None:
            continue
        candidate = found["dateline"].strip().rstrip(",")
        if _AGENCY.search(candidate) or _capital_place(candidate):
            return candidate
    return None


def _capital_place(candidate: str) -> bool:
    place = re.split(r"[,(]", candidate, maxsplit=1)[0]
    words = [w for w in re.findall(r"[^\W\d_][^\s]*", place)]
    if not words or not words[0].isupper() or len(words[0].strip(".'’")) < 3:
        return False
    if words[0].strip(".,'’") in _LABELS:
        return False
    return all(w.isupper() or (w.islower() and len(w) <= 3) for w in words)


def article_date(text: str, language: str) -> date | None:
    """The date the article's text gives for itself (its dateline or first lines), or None.

    Reading dates in every supported language is the interpret stage's job
    (`pipeline.interpret.dates.article_date`); it is imported here when first needed so that
    ingest does not load the interpret stage's vocabularies until an article needs them. When
    that module is not installed, the article simply has no date of its own.
    """
    try:
        dates = importlib.import_module(_DATES_MODULE)
    except ModuleNotFoundError as err:
        if err.name == _DATES_MODULE:
            return None
        raise  # the module exists but is broken: say so, do not hide it
    found: date | None = dates.article_date(text, language)
    return found


# /2017/04/05/, /2023-10-18-, /20171015/: the day a page was filed, as most sites write it
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})([/-]?)(0[1-9]|1[0-2]|[1-9])\2(0[1-9]|[12]\d|3[01]|[1-9])(?=[/_.-]|$)"
)


def url_date(url: str | None) -> date | None:
    """The day a page's address gives (…/2017/04/05/…), or None: the last resort for an
    article's own date, after its metadata and its dateline."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for found in _URL_DATE.finditer(path):
        year, _, month, day = found.groups()
        if not found.group(2) and (len(month) < 2 or len(day) < 2):
            continue  # 2017105 is no date
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None
