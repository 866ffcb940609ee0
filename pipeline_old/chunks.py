"""Documents → chunks small enough for a small model: paragraphs, long ones cut at sentences."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

MAX_CHARS = 900

_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"‘'])")


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int  # offsets into the document text
    end: int
    text: str


def split(text: str, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Paragraphs (non-blank lines) in order, with their offsets; none is longer than max_chars
    unless a single sentence is."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start, end = line.start(), line.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.extend(_pieces(text, start, end, max_chars))
    return [Chunk(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans)]


def _pieces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    if end - start <= max_chars:
        return [(start, end)]
    cuts = [start] + [start + m.end() for m in _SENTENCE_END.finditer(text[start:end])] + [end]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for prev, cut in itertools.pairwise(cuts):
        if cut - piece_start > max_chars and prev > piece_start:
            pieces.append((piece_start, prev))
            piece_start = prev
    pieces.append((piece_start, end))
    return [(s, e - (len(text[s:e]) - len(text[s:e].rstrip()))) for s, e in pieces]
