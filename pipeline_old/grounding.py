"""Find a model's quote in the article, so every stored quote is the article's own text.

Small models copy text but not typography: they straighten curly quotes, swap dashes, change
case or spacing. We accept those differences (and say so: `Match.NORMALIZED`) but nothing else,
and we always store the article's characters and their Python string offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalize import fold, number_spans
from schemas import Match

_EDGE = " \t\n\"'“”‘’«»"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    match: Match


def locate(quote: str, text: str) -> Span | None:
    """Where `quote` stands in `text`, exactly or up to typography; None if it does not."""
    needle = quote.strip(_EDGE)
    if not needle:
        return None
    # A model closing a quoted clause with "." where the article has "," is still copying it.
    clipped = needle.rstrip(".,;:").strip(_EDGE)
    for candidate in dict.fromkeys((needle, clipped)):
        at = text.find(candidate)
        if candidate and at >= 0:
            return Span(at, at + len(candidate), Match.EXACT)
    folded_text, index = _folded(text)
    for candidate in dict.fromkeys((needle, clipped)):
        folded_needle = _folded(candidate)[0].strip()
        at = folded_text.find(folded_needle) if folded_needle else -1
        if at >= 0:
            return Span(index[at], index[at + len(folded_needle) - 1] + 1, Match.NORMALIZED)
    return None


def contains(haystack: str, needle: str) -> bool:
    """True when `needle` occurs in `haystack` up to typography (case, quotes, dashes, spaces)."""
    folded_needle = _folded(needle.strip(_EDGE))[0].strip()
    return bool(folded_needle) and folded_needle in _folded(haystack)[0]


def _folded(text: str) -> tuple[str, list[int]]:
    """`fold(text)` with runs of whitespace collapsed, and for each output char its source index."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            out.append(" ")
            index.append(i)
            continue
        for folded_ch in fold(ch):
            out.append(folded_ch)
            index.append(i)
    return "".join(out), index


def locate_number(phrase: str, quote: str) -> Span | None:
    """Where the quote states the number in `phrase`.

    Literally if possible; otherwise by value, because small models write "7" for "seven" —
    but only when the phrase's other words ("drones") are in the quote too, so a number cannot
    be borrowed from another part of the sentence.
    """
    span = locate(phrase, quote)
    if span is not None and _whole_words(quote, span):
        return span
    phrase_spans = number_spans(phrase)
    if not phrase_spans:
        return None
    start, end, number = phrase_spans[0]
    rest = fold(phrase[:start] + " " + phrase[end:])
    words = [w for w in re.findall(r"[a-z]+", rest) if w not in _NUMBER_WORDS]
    quote_words = set(re.findall(r"[a-z]+", fold(quote)))
    if any(w not in quote_words for w in words):
        return None
    for q_start, q_end, q_number in number_spans(quote):
        if q_number == number:
            return Span(q_start, q_end, Match.NORMALIZED)
    return None


def _whole_words(text: str, span: Span) -> bool:
    """The span neither starts nor ends inside a word or number ("4" inside "40" does not count)."""
    before = text[span.start - 1] if span.start > 0 else " "
    after = text[span.end] if span.end < len(text) else " "
    return not (before.isalnum() and text[span.start].isalnum()) and not (
        after.isalnum() and text[span.end - 1].isalnum()
    )


_NUMBER_WORDS = frozenset(
    "at least more than over about around some approximately roughly nearly almost up to as "
    "many less fewer under no a an the of and".split()
)
