"""The date reader: when an article says something happened, in its own words, as a date.

Articles date events relative to themselves ("on Sunday", "overnight", "у неділю", "в ночь на
8 апреля", "mardi soir", "الثلاثاء"). This package finds those expressions with patterns made
from the language's data file (`schemas/vocab/dates/<lang>.yaml`), never by searching a whole
text with dateparser (slow, and it takes "may" and "2" for dates), and resolves each against the
article's date into ACLED's time precision: day, week, month, or year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from pipeline.text import fold, tokens
from schemas.data import DateMention, DatePrecision, EventDate

from .patterns import Language, Template, compiled
from .read import parse, read

__all__ = ["article_date", "event_date", "find_dates", "latest_full_date", "resolve_date"]

_RANK = {DatePrecision.DAY: 0, DatePrecision.WEEK: 1, DatePrecision.MONTH: 2, DatePrecision.YEAR: 3}
_DATELINE_END = ",-|:(/•·"  # what closes a dateline's place or a by-line before its date
_HEAD_LINES = 10
# How far before a date its "since" may stand, within its clause: "since the start of the war
# in February 2022" (the date's expression may begin at "February").
_SINCE_REACH = 60
_SINCE_WORDS = 6


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    template: Template
    match: re.Match[str]


def _capitals_ok(match: re.Match[str], text: str, lang: Language) -> bool:
    """In a language that capitalises its names, a lower-case "may" or "march" is no month."""
    if not lang.capitalized:
        return True
    names = ("weekday", "weekday_short", "month")
    return all(
        text[match.start(name)].isupper()
        for name, value in match.groupdict().items()
        if value and name.split("__")[0] in names
    )


def _hits(text: str, lang: Language) -> list[_Hit]:
    """Every expression, left to right: at the leftmost place any pattern matches, the longest
    match there ("on Sunday night" over "on Sunday"), then on after it."""
    folded = fold(text)
    hits: list[_Hit] = []
    pos = 0
    while (found := lang.scan.search(folded, pos)) is not None:
        start = found.start()
        best: _Hit | None = None
        for template in lang.templates:
            match = template.regex.match(folded, start)
            if match is None or match.end() <= (best.end if best else start):
                continue
            if _capitals_ok(match, text, lang):
                best = _Hit(start, match.end(), template, match)
        if best is None:
            pos = start + 1
            continue
        hits.append(best)
        pos = best.end
    return hits


def find_dates(text: str, language: str) -> list[DateMention]:
    """Every date expression in `text`, left to right, non-overlapping; offsets are Python
    indices into `text`. Explicit dates, weekdays, relative words and years in context ("in
    2013"); not a time of day alone, nor a duration ("three years")."""
    lang = compiled(language)
    return [DateMention(h.start, h.end, text[h.start : h.end]) for h in _hits(text, lang)]


def resolve_date(expression: str, language: str, anchor: date | None) -> EventDate:
    """One expression read against the article's date (`anchor`). The first pattern of the
    language that matches it whole decides; an expression no pattern knows goes to dateparser,
    which keeps only readings that name their own date. Without an anchor, relative words and
    year-less dates stay unresolved (date and precision None)."""
    lang = compiled(language)
    folded = fold(expression.strip())
    for offset in (0, 1):  # 1: past an Arabic clitic ("والثلاثاء")
        for template in lang.templates:
            match = template.regex.fullmatch(folded, offset)
            if match is not None:
                when, precision = read(template, match, lang, anchor)
                return EventDate(when, precision, expression, "quote")
    when, precision = parse(folded, lang.code, anchor)
    return EventDate(when, precision, expression, "quote")


def _since(folded: str, hit: _Hit, lang: Language) -> bool:
    """Whether the expression starts a span ("since 2011", "depuis dimanche"): a date that says
    when something began, not when the event of the sentence happened."""
    if lang.since.search(folded[max(0, hit.start - 30) : hit.start]):
        return True
    # "since the start of the war in February 2022": a few words of its own clause between
    before = folded[max(0, hit.start - _SINCE_REACH) : hit.start]
    clause = re.split(r"[,;:()\u2013\u2014]", before)[-1]
    starts = list(lang.since_word.finditer(clause))
    if starts and len(clause[starts[-1].end() :].split()) <= _SINCE_WORDS:
        return True
    gap = re.search(r"\s", folded[hit.start : hit.end])
    return gap is not None and bool(lang.since.search(folded[hit.start : hit.start + gap.start()]))


def event_date(
    sentence: str, language: str, anchor: date | None, estimated: bool = False
) -> EventDate:
    """The date a sentence gives for its event: of the expressions that resolve, the finest
    (a day over a week over a month over a year), the first among equals; never one that
    starts a span ("since …": when something began, not when the event happened). A sentence
    without one takes the article's date at week precision (source "document").

    An `estimated` anchor (the article states no date: `latest_full_date`) is only a lower
    bound of the article's day, so what it resolves ("on Sunday") is known to the week."""
    lang = compiled(language)
    folded = fold(sentence)
    best: tuple[tuple[bool, int, int], EventDate] | None = None
    for index, hit in enumerate(_hits(sentence, lang)):
        when, precision = read(hit.template, hit.match, lang, anchor)
        if when is None or precision is None:
            continue
        if _since(folded, hit, lang):
            continue
        if (
            estimated
            and precision is DatePrecision.DAY
            and read(hit.template, hit.match, lang, None)[0] is None
        ):
            precision = DatePrecision.WEEK  # relative to a guessed day: that day's week
        rank = (False, _RANK[precision], index)
        if best is None or rank < best[0]:
            best = rank, EventDate(when, precision, sentence[hit.start : hit.end], "quote")
    if best is not None:
        return best[1]
    return EventDate(anchor, DatePrecision.WEEK if anchor else None, None, "document")


def _dateline(line: str, hit: _Hit, lang: Language) -> bool:
    """Whether a date in a head line is the article's own: after a by-line word ("Published:",
    "Опубликовано"), alone on its line, or after a dateline's place ("KHARTOUM, June 12, 2024")
    or a by-line ("By A. Writer |"), never after the words of a sentence ("The war began on…")."""
    prefix = fold(line[: hit.start]).strip()
    if not prefix or lang.published.search(prefix) or compiled("en").published.search(prefix):
        return True
    words = len(tokens(prefix))
    if words <= 4 and prefix[-1] in _DATELINE_END:
        return True
    return words <= 1 and len(line[hit.end :].strip()) <= 30  # "Le 12 juin 2024 à 10h30""


def article_date(text: str, language: str) -> date | None:
    """The date an article states for itself (dateline, by-line, "Published:" line) in its
    first lines, for when its metadata has none; only a full date (day, month and year)."""
    lang = compiled(language)
    lines = [line[:300] for line in text.splitlines() if line.strip()][:_HEAD_LINES]
    for line in lines:
        for hit, when in _full_dates(line, lang):
            if _dateline(line, hit, lang):
                return when
    return None


def _full_dates(text: str, lang: Language) -> Iterator[tuple[_Hit, date]]:
    """The expressions of `text` that are a full date (day, month and year) on their own."""
    for hit in _hits(text, lang):
        if hit.template.kind not in ("date", "numeric"):
            continue
        when, precision = read(hit.template, hit.match, lang, None)
        if when is not None and precision is DatePrecision.DAY:
            yield hit, when


def latest_full_date(text: str, language: str) -> date | None:
    """The latest full date (day, month and year) an article mentions anywhere: for an article
    that states no date of its own, the earliest day it can have been written, so that its
    "on Sunday" still lands near the right week (`event_date(..., estimated=True)`)."""
    return max((when for _, when in _full_dates(text, compiled(language))), default=None)
