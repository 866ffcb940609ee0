"""What the model may choose from, per chunk: its sentences, the number phrases the parser finds
in each, the places the gazetteer finds, and the names (capitalised runs, credited sources).

The model never types a value: every answer field is one of these strings (an enum in the
response schema), so an answer cannot hold words the article does not contain.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from pipeline.interpret.measures import read_measure
from pipeline.interpret.names import inside_a_longer_name, names
from pipeline.interpret.numbers import find_numbers
from schemas import COUNTABLE_KINDS, Chunk, NumberMention, PlaceMention, Unit


class PlaceFinder(Protocol):
    def mentions(self, text: str, language: str) -> list[PlaceMention]: ...


@dataclass(frozen=True, slots=True)
class Choice:
    """One choosable string and where it stands (offsets into the chunk text); for a number,
    the measure its words suggest (None: they say nothing), which routes its sentence."""

    text: str
    start: int
    end: int
    measure: str | None = None


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

    def number_texts(self, sentence: int, measures: Collection[str] | None = None) -> list[str]:
        """The number phrases of a sentence; with `measures`, those whose words suggest one
        of them or say nothing."""
        numbers = self.sentences[sentence - 1].numbers
        kept = [c.text for c in numbers if measures is None or c.measure in (None, *measures)]
        return list(dict.fromkeys(kept))

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
        inside = [
            m
            for m in mentions
            if lo <= m.start
            and m.end <= hi
            and m.kind in COUNTABLE_KINDS
            and not (m.quantity and m.quantity.value_max == 0)
        ]  # "no one", "zero": no count
        spans = [(m.start - lo, m.end - lo) for m in inside]
        numbers: list[Choice] = []
        for m in inside:
            unit = m.quantity.unit if m.quantity else Unit.COUNT
            reading = read_measure(sentence.text, m.start - lo, m.end - lo, unit, language, None,
                                   spans)  # fmt: skip
            if not reading.rejected:
                numbers.append(Choice(m.text, m.start, m.end, reading.measure))
        sentences.append(SentenceChoices(sentence.index, sentence.text, tuple(numbers)))
    spans_all = [(m.start, m.end) for m in mentions]
    all_names = names(text, language, {x.start - chunk.start for x in chunk.sentences})
    place_choices = tuple(
        Choice(m.text, m.start, m.end) for m in places.mentions(text, language)
        if m.candidates and not inside_a_longer_name(m.start, m.end, all_names)
    )  # fmt: skip
    found_names = [
        n for n in all_names
        if not any(s < n.end and n.start < e for s, e in spans_all)
    ]  # fmt: skip
    named = tuple(Choice(n.text, n.start, n.end) for n in found_names)
    return ChunkChoices(chunk, tuple(sentences), place_choices, named, tuple(mentions))
