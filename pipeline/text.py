"""Text primitives every stage shares: folding, word tokens with offsets, cue-word matching.

`fold` maps character for character, so an offset into folded text is an offset into the
original: stored quotes and spans are always the article's own characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

_FOLDS = str.maketrans(
    {
        **dict.fromkeys('‘’‚‛′`´“”„‟″"«»\u02bc', "'"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00a0\u2009\u202f\u2007", " "),
        # Arabic-Indic and Eastern Arabic-Indic digits read as ASCII digits.
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        "\u060c": ",",  # Arabic comma
        "\u061f": "?",  # Arabic question mark
    }
)


def fold(text: str) -> str:
    """Lower-case and unify the typography that differs between outlets and models (quote
    marks, dashes, spaces, Arabic-Indic digits); same length as `text`."""
    lowered = "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)
    return lowered.translate(_FOLDS)


# A word: letters and digits of any script, with inner apostrophes and hyphens ("al-Shabab",
# "l'armée", "двадцять-п'ять"); combining marks (Arabic vowels, Greek accents) stay inside.
_WORD = re.compile(r"[^\W_](?:[\w\u0300-\u036f\u064b-\u065f]|['’\-](?=[^\W_]))*")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str  # folded


def bare(word: str) -> str:
    """A folded word without its marks: accents (Greek, Latin) and Arabic vowel signs, so that
    vocabulary entries match however a page writes them (άνθρωποι / ανθρώπων, شخصاً / شخصا)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "\u0640")


def tokens(text: str) -> list[Token]:
    """Word tokens of `text` with their offsets, folded and bare; punctuation is no token."""
    folded = fold(text)
    return [Token(m.start(), m.end(), bare(m.group())) for m in _WORD.finditer(folded)]


def is_upper_initial(word: str) -> bool:
    return bool(word) and word[0].isupper()


# ----------------------------------------------------------------------------- cue matching


@dataclass(frozen=True, slots=True)
class CueHit:
    label: str  # the class the pattern belongs to ("killed", "drones", …)
    pattern: str  # the pattern as written in the vocabulary
    first: int  # token indices, inclusive
    last: int


def _word_regex(word: str) -> re.Pattern[str]:
    """`*` at either end of a word stands for any letters there."""
    body = re.escape(bare(word.strip("*")))
    prefix = r"[\w'\-]*" if word.startswith("*") else ""
    suffix = r"[\w'\-]*" if word.endswith("*") else ""
    return re.compile(f"{prefix}{body}{suffix}")


@dataclass(frozen=True)
class _Pattern:
    label: str
    source: str
    words: tuple[re.Pattern[str], ...]
    lead: str | None  # the letter a matching first token starts with (None: any)


def _lead(word: str) -> str | None:
    body = bare(word.strip("*"))
    return None if word.startswith("*") or not body else body[0]


class Cues:
    """Patterns of words (vocabulary entries) grouped by label, matched on tokens."""

    def __init__(self, groups: dict[str, Sequence[str]]) -> None:
        self.patterns: list[_Pattern] = []
        for label, entries in groups.items():
            for entry in entries or ():
                folded = fold(str(entry)).split()
                words = tuple(_word_regex(w) for w in folded)
                if words:
                    self.patterns.append(_Pattern(label, str(entry), words, _lead(folded[0])))
        # Longer patterns first, so "death toll" wins over "death" at the same place.
        self.patterns.sort(key=lambda p: -len(p.words))
        # Per first letter of a token, the patterns that may start there, in the same order:
        # trying every pattern at every token was most of a document's CPU time.
        self._by_first: dict[str, list[_Pattern]] = {}

    def _starting_with(self, letter: str) -> list[_Pattern]:
        found = self._by_first.get(letter)
        if found is None:
            found = [p for p in self.patterns if p.lead is None or p.lead == letter]
            self._by_first[letter] = found
        return found

    @property
    def labels(self) -> set[str]:
        return {p.label for p in self.patterns}

    def match_at(self, toks: Sequence[Token], i: int) -> CueHit | None:
        """The longest pattern that starts at token `i`."""
        if i >= len(toks):
            return None
        for pattern in self._starting_with(toks[i].text[:1]):
            n = len(pattern.words)
            if i + n > len(toks):
                continue
            if all(w.fullmatch(toks[i + k].text) for k, w in enumerate(pattern.words)):
                return CueHit(pattern.label, pattern.source, i, i + n - 1)
        return None

    def find_all(self, toks: Sequence[Token]) -> list[CueHit]:
        """Every non-overlapping hit, left to right."""
        hits: list[CueHit] = []
        i = 0
        while i < len(toks):
            hit = self.match_at(toks, i)
            if hit is not None:
                hits.append(hit)
                i = hit.last + 1
            else:
                i += 1
        return hits

    def search(self, text: str) -> CueHit | None:
        found = self.find_all(tokens(text))
        return found[0] if found else None

    def count(self, text: str) -> int:
        return len(self.find_all(tokens(text)))


@cache
def cues_of(language: str, section: str) -> Cues:
    """The cue patterns of one section of `vocab/cues/<language>.yaml` (English when the
    language has no file: better a partial reading than none)."""
    from schemas import vocab

    data = vocab.load("cues", language) or vocab.load("cues", "en")
    body = data.get(section) or {}
    if isinstance(body, list):  # a flat list: one label, the section's name
        return Cues({section: body})
    return Cues({str(k): v for k, v in body.items()})


def words_of(language: str, section: str) -> frozenset[str]:
    """A flat word list of the cue vocabulary (stopwords, abbreviations), folded."""
    from schemas import vocab

    data = vocab.load("cues", language) or vocab.load("cues", "en")
    return frozenset(fold(str(w)) for w in data.get(section) or ())
