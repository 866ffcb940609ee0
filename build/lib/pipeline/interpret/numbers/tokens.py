"""Tokens and phrases: how number vocabulary is matched against text.

Vocabulary entries are tokenized like the text, so a phrase matches whatever spacing, hyphens
or abbreviation dots the article uses; tokens carry look-up keys (folded further than the text:
no Arabic vowel marks, no Greek accents where a language asks) and the proclitics they may drop
("وأكثر" is "أكثر" after "و"). The digit pattern is the language's: "4.000" is four thousand in
Portuguese, "4,000" in English, "1 200" in French.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

# Letters of any script; combining marks (Arabic vowels, decomposed accents) stay inside a word,
# and so does an apostrophe between letters (Ukrainian п'ять, French jusqu'à).
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
SYMBOLS = "$€£¥₽₴₺₹₪%٪+~≈°"
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # vowel marks and tatweel
SOFT_GAP = re.compile(r"[\s\-'.]*")  # between the words of one phrase
NEAR_GAP = re.compile(r"[\s\-]*")  # between a number and the words that qualify it


class Tok(NamedTuple):
    """A token of the folded text: a word, a number in digits, a symbol, a time or a date.
    (A named tuple: an article has hundreds and they are made fast.)"""

    start: int
    end: int
    kind: str  # word | num | sym | time | date
    text: str
    key: str  # the look-up form of the text
    keys: tuple[tuple[str, int], ...]  # look-up keys, each with the length of a proclitic it drops
    value: float = 0.0
    step: float = 1.0
    plain: bool = False  # digits only: no separator, no decimals (years and days are plain)


@dataclass(frozen=True, slots=True)
class Phrase:
    keys: tuple[str, ...]
    attached: tuple[bool, ...]  # per inner gap: written without a space ("km2", "us$")
    dot: bool  # an abbreviation: the span takes in a final "." when the text has one
    label: str
    value: float = 0.0
    elided: str = ""  # "plus d'": the "d'" is the proclitic of the number ("plus d'un millier")


class Hit(NamedTuple):
    phrase: Phrase
    first: int  # token indices, inclusive
    last: int
    start: int  # character offsets
    end: int


def gap(text: str, toks: Sequence[Tok], a: int, b: int) -> str:
    """The characters between token a and token b."""
    return text[toks[a].end : toks[b].start]


class Phrases:
    """Phrases of one role, indexed by first and by last key, longest first."""

    __slots__ = ("_first", "_last")

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self._first: dict[str, list[Phrase]] = {}
        self._last: dict[str, list[Phrase]] = {}
        # Longest first; among equals the first given wins (callers list roles by priority).
        for p in sorted(dict.fromkeys(phrases), key=lambda p: -len(p.keys)):
            self._first.setdefault(p.keys[0], []).append(p)
            self._last.setdefault(p.keys[-1], []).append(p)

    def __bool__(self) -> bool:
        return bool(self._first)

    def firsts(self) -> frozenset[str]:
        """The keys phrases start with."""
        return frozenset(self._first)

    def has_word(self, key: str) -> bool:
        """Whether one of the phrases is the single word `key`."""
        return any(len(p.keys) == 1 for p in self._first.get(key, ()))

    def at(self, text: str, toks: Sequence[Tok], i: int) -> Hit | None:
        """The longest phrase that starts at token `i`."""
        if i >= len(toks):
            return None
        keys = toks[i].keys
        if len(keys) == 1 and keys[0][0] not in self._first:
            return None
        for key, shift in keys:
            for p in self._first.get(key, ()):
                if _fits(p, text, toks, i):
                    return _hit(p, text, toks, i, shift)
        return None

    def ending(self, text: str, toks: Sequence[Tok], j: int, floor: int = 0) -> Hit | None:
        """The longest phrase that ends at token `j` and starts at token `floor` or later."""
        if j < floor:
            return None
        for last_key, last_shift in toks[j].keys:
            for p in self._last.get(last_key, ()):
                i = j - len(p.keys) + 1
                if i < floor or (last_shift and i != j):
                    continue  # a proclitic only opens a phrase: "ونحو 450"
                for key, shift in toks[i].keys:
                    if key == p.keys[0] and _fits(p, text, toks, i):
                        return _hit(p, text, toks, i, shift)
        return None


def _fits(p: Phrase, text: str, toks: Sequence[Tok], i: int) -> bool:
    n = len(p.keys)
    if i + n > len(toks):
        return False
    for k in range(1, n):
        between = gap(text, toks, i + k - 1, i + k)
        if toks[i + k].key != p.keys[k]:
            return False
        if (between != "") if p.attached[k - 1] else not SOFT_GAP.fullmatch(between):
            return False
    return True


def _hit(p: Phrase, text: str, toks: Sequence[Tok], i: int, shift: int) -> Hit:
    last = i + len(p.keys) - 1
    end = toks[last].end
    if p.dot and text[end : end + 1] == ".":
        end += 1
    return Hit(p, i, last, toks[i].start + shift, end)


class Tokenizer:
    """Splits folded text into tokens with the language's digit pattern and look-up keys."""

    def __init__(
        self, thousands: str, decimal: str, times: str, folds: dict[int, str], strip: bool,
        proclitics: tuple[str, ...],
    ) -> None:  # fmt: skip
        self.pattern = _pattern(thousands, decimal, times)
        self.thousands = re.compile(f"[{re.escape(thousands)}]") if thousands else None
        self.folds = folds
        self.strip = strip
        self.proclitics = proclitics
        self._keys: dict[str, str] = {}
        self._variants: dict[str, tuple[tuple[str, int], ...]] = {}

    def key(self, word: str) -> str:
        """The look-up form of a folded word: NFC, the language's letter folds, no Arabic vowel
        marks, and no accents where the vocabulary asks (Greek headlines drop them)."""
        cached = self._keys.get(word)
        if cached is None:
            k = _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", word).translate(self.folds))
            if self.strip:
                decomposed = unicodedata.normalize("NFD", k)
                k = "".join(c for c in decomposed if not unicodedata.combining(c))
            cached = self._keys[word] = k
        return cached

    def variants(self, word: str) -> tuple[tuple[str, int], ...]:
        """The keys of a word: itself, and without each proclitic it starts with ("وأكثر")."""
        found = self._variants.get(word)
        if found is None:
            keys = [(self.key(word), 0)]
            for p in self.proclitics:
                if word.startswith(p) and len(word) > len(p) + 1:
                    keys.append((self.key(word[len(p) :]), len(p)))
            found = self._variants[word] = tuple(keys)
        return found

    def __call__(self, folded: str) -> list[Tok]:
        """Tokens of `folded` (the output of `pipeline.text.fold`, so offsets are the text's)."""
        toks: list[Tok] = []
        append, make, variants = toks.append, tuple.__new__, self._variants
        for m in self.pattern.finditer(folded):
            (start, end), word, kind = m.span(), m.group(), m.lastgroup
            if kind == "word":  # most tokens: built without the named tuple's own __new__
                keys = variants.get(word) or self.variants(word)
                append(make(Tok, (start, end, "word", word, keys[0][0], keys, 0.0, 1.0, False)))
            elif kind == "num":
                written = m.group("int")
                whole = self.thousands.sub("", written) if self.thousands else written
                decimals = m.group("frac") or ""
                value = float(f"{whole}.{decimals}" if decimals else whole)
                plain = whole == written and not decimals
                step = _digit_step(whole, decimals)
                append(Tok(start, end, "num", word, word, ((word, 0),), value, step, plain))
            elif kind == "fraction":
                denominator = int(m.group("fd"))
                value = int(m.group("whole") or 0) + int(m.group("fn")) / denominator
                step = 1 / denominator
                append(Tok(start, end, "num", word, word, ((word, 0),), value, step))
            else:  # time | date | sym
                append(Tok(start, end, str(kind), word, word, ((word, 0),)))
        return toks


def _digit_step(whole: str, decimals: str) -> float:
    if decimals:
        return 10.0 ** -len(decimals)
    stripped = whole.rstrip("0")
    return 10.0 ** (len(whole) - len(stripped)) if stripped else 1.0


def _pattern(thousands: str, decimal: str, time_separators: str) -> re.Pattern[str]:
    def chars(s: str) -> str:
        return "".join(re.escape(c) for c in s)

    grouped = rf"\d{{1,3}}(?:[{chars(thousands)}]\d{{3}})+(?!\d)|" if thousands else ""
    decimals = rf"(?:[{chars(decimal)}](?P<frac>\d+))?" if decimal else "(?P<frac>(?!))?"
    times = chars(time_separators) or ":"
    # Words first and plain letter runs fast; the digit patterns only where a digit stands.
    return re.compile(
        rf"(?P<word>[^\W\d_]+(?:(?:[{_MARKS}]+|'(?=[^\W\d_]))[^\W\d_]*)*)"
        r"|(?=\d)(?:"
        rf"(?P<time>(?<![\d.,:])(?:[01]?\d|2[0-3])[{times}][0-5]\d(?::[0-5]\d)?(?!\d|[.,]\d))"
        r"|(?P<date>(?<![\d.,/])(?:\d{1,2}(?P<ds>[./])\d{1,2}(?P=ds)(?:\d{4}|\d{2})"
        r"|\d{4}-\d{1,2}-\d{1,2})(?!\d))"
        r"|(?P<fraction>(?<![\d.,/])(?:(?P<whole>\d+) )?(?P<fn>[123])/(?P<fd>[234])(?![\d/]))"
        rf"|(?P<num>(?P<int>{grouped}\d+){decimals}))"
        rf"|(?P<sym>[{re.escape(SYMBOLS)}])"
    )


class Atom(NamedTuple):
    """A number before its context: tokens first..last, characters start..end."""

    first: int
    last: int
    start: int
    end: int
    role: str  # num | weak | mult | ordinal | vague | approximate | fixed | time | date
    value: float = 0.0
    step: float = 1.0
    plain: bool = False  # digits with no separator and no decimals: may be a year or a day
    scale: float = 1.0  # the scale word it took: "2 million" → 1e6
    lone_scale: bool = False  # a scale word alone ("hundred", "тысяча"): "a hundred" is 100
