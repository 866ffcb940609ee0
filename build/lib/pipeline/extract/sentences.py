"""Documents → sentences with offsets, and sentences → chunks small enough for a small model.

The model answers by sentence number, so the split decides what a quote can be: one sentence
of the article, exactly, at its offsets. Lines are paragraphs (headlines, captions and
live-blog entries stand alone); within a line a sentence ends at . ! ? … ؟ followed by space
and a capital, a digit or a quote mark (any character, in scripts without capitals), unless the
word before is an abbreviation of the document's language ("Gen.", "Oct.", "U.N.").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.text import fold, words_of
from schemas import Chunk, Sentence

MAX_CHARS = 900  # a chunk: a few sentences; one long sentence may exceed it alone

_END = re.compile(r"[.!?…؟]+['\"”’»)]*\s+")
_CASELESS = re.compile(r"[\u0600-\u06ff\u0590-\u05ff\u4e00-\u9fff]")


def sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, in order, stripped of surrounding space."""
    abbreviations = words_of(language, "abbreviations")
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        spans.extend(_split_line(text, line.start(), line.end(), abbreviations))
    return spans


def _split_line(
    text: str, start: int, end: int, abbreviations: frozenset[str]
) -> Iterator[tuple[int, int]]:
    begin = start
    for found in _END.finditer(text, start, end):
        cut = found.end()
        if cut >= end or not _opens_sentence(text[cut]):
            continue
        if _abbreviation_before(text, begin, found.start(), abbreviations):
            continue
        yield from _stripped(text, begin, found.end())
        begin = cut
    yield from _stripped(text, begin, end)


def _opens_sentence(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in "\"'“‘«(—–-" or bool(_CASELESS.match(ch))


def _abbreviation_before(text: str, begin: int, dot: int, abbreviations: frozenset[str]) -> bool:
    word = re.search(r"([\w.]+)$", text[begin:dot])
    if word is None:
        return False
    token = fold(word.group(1)).strip(".")
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "J. Smith"
    return token in abbreviations


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def chunks(text: str, language: str, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Consecutive sentences grouped into chunks of at most `max_chars` (a longer sentence
    stands alone); a chunk never splits a sentence, and sentences are numbered from 1 in it."""
    groups: list[list[tuple[int, int]]] = []
    for span in sentence_spans(text, language):
        if groups and span[1] - groups[-1][0][0] <= max_chars:
            groups[-1].append(span)
        else:
            groups.append([span])
    result = []
    for index, group in enumerate(groups):
        start, end = group[0][0], group[-1][1]
        sentences = tuple(Sentence(n, s, e, text[s:e]) for n, (s, e) in enumerate(group, start=1))
        result.append(Chunk(index, start, end, text[start:end], sentences))
    return result
