"""What the model may choose from, per chunk: its sentences, the number phrases the parser finds
in each, the places the gazetteer finds, and the names (capitalised runs, credited sources).

The model never types a value: every answer field is one of these strings (an enum in the
response schema), so an answer cannot hold words the article does not contain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.interpret.numbers import find_numbers
from pipeline.text import Token, cues_of, tokens, words_of
from schemas import COUNTABLE_KINDS, Chunk, NumberMention, PlaceMention

MAX_NAME_TOKENS = 6
# Lower-case words that may sit inside a name: "Ministry of Health", "Abu Bakr al-Baghdadi".
_CONNECTORS = frozenset(
    "of the de del della di da do dos das du des la le el al bin ibn abu bint van von y".split()
)


class PlaceFinder(Protocol):
    def mentions(self, text: str, language: str) -> list[PlaceMention]: ...


@dataclass(frozen=True, slots=True)
class Choice:
    """One choosable string and where it stands (offsets into the chunk text)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SentenceChoices:
    index: int  # 1-based, as the model sees it
    text: str
    numbers: tuple[Choice, ...]  # countable number phrases in this sentence


@dataclass(frozen=True, slots=True)
class ChunkChoices:
    chunk: Chunk
    sentences: tuple[SentenceChoices, ...]
    places: tuple[Choice, ...]
    names: tuple[Choice, ...]
    mentions: tuple[NumberMention, ...]  # every number the parser found, countable or not

    @property
    def has_numbers(self) -> bool:
        return any(s.numbers for s in self.sentences)

    def number_texts(self, sentence: int) -> list[str]:
        return list(dict.fromkeys(c.text for c in self.sentences[sentence - 1].numbers))

    def place_texts(self) -> list[str]:
        return list(dict.fromkeys(c.text for c in self.places))

    def name_texts(self) -> list[str]:
        return list(dict.fromkeys(c.text for c in self.names))


def choices(chunk: Chunk, language: str, places: PlaceFinder) -> ChunkChoices:
    text = chunk.text
    mentions = find_numbers(text, language)
    sentences = []
    for sentence in chunk.sentences:
        lo, hi = sentence.start - chunk.start, sentence.end - chunk.start
        numbers = tuple(
            Choice(m.text, m.start, m.end)
            for m in mentions
            if lo <= m.start and m.end <= hi and m.kind in COUNTABLE_KINDS
        )
        sentences.append(SentenceChoices(sentence.index, sentence.text, numbers))
    place_choices = tuple(
        Choice(m.text, m.start, m.end) for m in places.mentions(text, language) if m.candidates
    )
    return ChunkChoices(
        chunk, tuple(sentences), place_choices, tuple(names(text, language, chunk)), tuple(mentions)
    )


def names(text: str, language: str, chunk: Chunk | None = None) -> list[Choice]:
    """Capitalised runs ("Rapid Support Forces", "Ministry of Health", "RSF") and the lower-case
    sources the vocabulary lists ("health officials", "witnesses"), in order of appearance."""
    stop = words_of(language, "name_stopwords")
    toks = tokens(text)
    starts = _sentence_starts(chunk, text)
    found: list[Choice] = []
    i = 0
    while i < len(toks):
        run = _capitalised_run(text, toks, i, stop, starts)
        if run is None:
            i += 1
            continue
        first, last = run
        found.append(Choice(text[toks[first].start : toks[last].end], toks[first].start,
                            toks[last].end))  # fmt: skip
        i = last + 1
    for hit in cues_of(language, "sources").find_all(toks):
        start, end = toks[hit.first].start, toks[hit.last].end
        if not any(c.start <= start < c.end for c in found):
            found.append(Choice(text[start:end], start, end))
    return sorted(found, key=lambda c: c.start)


def _sentence_starts(chunk: Chunk | None, text: str) -> set[int]:
    if chunk is None:
        return {0}
    return {s.start - chunk.start for s in chunk.sentences} | {0}


def _capitalised_run(
    text: str, toks: Sequence[Token], i: int, stop: frozenset[str], starts: set[int]
) -> tuple[int, int] | None:
    if not _capital(text, toks[i]) or toks[i].text in stop:
        return None
    last = i
    j = i + 1
    while j < len(toks) and j - i < MAX_NAME_TOKENS:
        gap = text[toks[j - 1].end : toks[j].start]
        if gap.strip(" -'’"):
            break  # punctuation ends a name
        if _capital(text, toks[j]) and toks[j].text not in stop:
            last = j
        elif toks[j].text not in _CONNECTORS:
            break
        j += 1
    if last == i and toks[i].start in starts and _is_common_opening(toks[i].text):
        return None
    return i, last


def _capital(text: str, tok: Token) -> bool:
    # Scripts without capitals (Arabic) have no capitalised runs: their names come from the
    # gazetteer and the vocabulary's sources only.
    return text[tok.start].isupper()


def _is_common_opening(word: str) -> bool:
    # A lone capitalised word opening a sentence is usually just the sentence's first word.
    return len(word) <= 3 or word.endswith(("ly", "ing"))
