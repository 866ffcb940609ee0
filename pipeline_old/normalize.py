"""Number phrases as articles write them → inclusive intervals in SI-ish units.

Deterministic and pure: the model only copies a phrase ("more than 104", "a dozen",
"2,500 miles"); all arithmetic happens here, where it can be tested.

Interval rules (inclusive bounds, ``None`` = open-ended):
- exact counts are points: "69" → [69, 69]; exact measurements carry the precision their
  rounding implies, at most ±5 %: "4,000 km" → [3800, 4200], so that "4,000 km" and
  "2,500 miles" can agree;
- "at least n" → [n, ∞); "more than / over n" → [n+1, ∞) for counts, [n, ∞) for measurements;
- "about / around / some n" → n ± 10 %; "nearly / almost n" → [0.9 n, n) ;
- "up to / at most n" → [0, n]; "less than / fewer than / under n" → [0, n) ;
- vague words follow ACLED's conservative coding: "dozens" → [12, ∞), "hundreds" → [100, ∞),
  "several" → [3, ∞), "a few" → [2, ∞).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from schemas import Qualifier, Quantity, Unit


class NumberPhraseError(ValueError):
    """The phrase holds no number we can read."""


KM_PER_MILE = 1.609344
KM2_PER_SQUARE_MILE = 2.589988110336

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SMALL = {
    "a couple of": 2, "a couple": 2, "half a dozen": 6, "a dozen": 12, "dozen": 12,
    "half a million": 500_000, "half a billion": 500_000_000,
}  # fmt: skip
_VAGUE = {
    "tens of thousands": 10_000, "hundreds of thousands": 100_000, "dozens": 12, "scores": 20,
    "hundreds": 100, "thousands": 1_000, "millions": 1_000_000, "tens": 10, "several": 3,
    "a few": 2, "a number of": 2, "multiple": 2, "numerous": 2,
}  # fmt: skip

# Longest first, so "more than" wins over "more".
_QUALIFIERS: list[tuple[str, Qualifier]] = sorted(
    [
        ("at least", Qualifier.AT_LEAST), ("no fewer than", Qualifier.AT_LEAST),
        ("no less than", Qualifier.AT_LEAST), ("a minimum of", Qualifier.AT_LEAST),
        ("more than", Qualifier.MORE_THAN), ("over", Qualifier.MORE_THAN),
        ("above", Qualifier.MORE_THAN), ("in excess of", Qualifier.MORE_THAN),
        ("upwards of", Qualifier.MORE_THAN), ("exceeding", Qualifier.MORE_THAN),
        ("about", Qualifier.ABOUT), ("around", Qualifier.ABOUT), ("some", Qualifier.ABOUT),
        ("approximately", Qualifier.ABOUT), ("roughly", Qualifier.ABOUT),
        ("an estimated", Qualifier.ABOUT), ("estimated", Qualifier.ABOUT),
        ("nearly", Qualifier.NEARLY), ("almost", Qualifier.NEARLY),
        ("close to", Qualifier.NEARLY), ("just under", Qualifier.NEARLY),
        ("up to", Qualifier.UP_TO), ("as many as", Qualifier.UP_TO),
        ("at most", Qualifier.UP_TO), ("no more than", Qualifier.UP_TO),
        ("less than", Qualifier.LESS_THAN), ("fewer than", Qualifier.LESS_THAN),
        ("under", Qualifier.LESS_THAN), ("below", Qualifier.LESS_THAN),
    ],
    key=lambda pair: -len(pair[0]),
)  # fmt: skip
_SUFFIX_QUALIFIERS = [("or more", Qualifier.AT_LEAST), ("plus", Qualifier.AT_LEAST)]

# A hedge written just before a number ("at least" seven), as it ends the folded text before it.
QUALIFIER_BEFORE = re.compile(
    r"(at least|no fewer than|more than|over|about|around|some|approximately|roughly|nearly|"
    r"almost|up to|as many as|less than|fewer than|under)\s+$"
)

_DIGITS = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:[\s-]+(\d+)/(\d+))?")
_FRACTION = re.compile(r"(\d+)/(\d+)\b")
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class _Number:
    value: float
    end: int  # index in the folded phrase just past the number
    step: float = 1.0  # the rounding step the writer used: "4,300" → 100, "7 billion" → 1e9


def fold(text: str) -> str:
    """Lower-case and unify the typography that differs between outlets and models."""
    # Character for character (str.lower can lengthen a few letters), so offsets carry over.
    text = "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)
    # Single and double quote marks fold together: outlets and models swap ‘ ’ and “ ”.
    for chars, plain in (
        ('‘’‚‛′`´“”„‟″"', "'"),
        ("‐‑‒–—―−", "-"),
        ("\u00a0\u2009\u202f", " "),
    ):
        for ch in chars:
            text = text.replace(ch, plain)
    return text


def parse_quantity(phrase: str) -> Quantity:
    """Read a number phrase; raise `NumberPhraseError` when it holds no number."""
    text = " ".join(fold(phrase).split())
    qualifier, rest = _split_qualifier(text)
    unit, factor = _unit(rest)
    vague = _vague(rest)
    if vague is not None:
        return Quantity(
            value_min=vague * factor, value_max=None, qualifier=Qualifier.VAGUE,
            unit=unit, phrase=phrase,
        )  # fmt: skip
    number = _first_number(rest)
    if number is None:
        raise NumberPhraseError(f"no number in {phrase!r}")
    if qualifier is Qualifier.EXACT:
        for suffix, suffix_qualifier in _SUFFIX_QUALIFIERS:
            if rest[number.end :].lstrip(" -").startswith(suffix):
                qualifier = suffix_qualifier
    lo, hi = _interval(number, qualifier, counted=unit is Unit.COUNT)
    return Quantity(
        value_min=_scaled(lo, factor), value_max=None if hi is None else _scaled(hi, factor),
        qualifier=qualifier, unit=unit, phrase=phrase,
    )  # fmt: skip


def contains_number(phrase: str) -> bool:
    try:
        parse_quantity(phrase)
    except NumberPhraseError:
        return False
    return True


def _split_qualifier(text: str) -> tuple[Qualifier, str]:
    for words, qualifier in _QUALIFIERS:
        if text.startswith(words + " "):
            return qualifier, text[len(words) + 1 :]
    return Qualifier.EXACT, text


def _unit(text: str) -> tuple[Unit, float]:
    if re.search(r"\b(square|sq\.?)\s*(kilomet(er|re)s?|km)\b|\bkm2\b|km²", text):
        return Unit.KM2, 1.0
    if re.search(r"\b(square|sq\.?)\s*miles?\b", text):
        return Unit.KM2, KM2_PER_SQUARE_MILE
    if re.search(r"kilomet(er|re)s?\b|\bkms?\b", text):
        return Unit.KM, 1.0
    if re.search(r"\bmiles?\b", text):
        return Unit.KM, KM_PER_MILE
    if "$" in text or re.search(r"\b(dollars?|usd)\b", text):
        return Unit.USD, 1.0
    if "%" in text or re.search(r"\bper ?cent\b", text):
        return Unit.PERCENT, 1.0
    return Unit.COUNT, 1.0


def _vague(text: str) -> float | None:
    if _DIGITS.search(text):
        return None
    for words, value in _VAGUE.items():
        if re.match(rf"{words}\b", text):
            return float(value)
    return None


def _first_number(text: str) -> _Number | None:
    digits = _DIGITS.search(text)
    words = _word_number(text)
    fraction = _FRACTION.match(text, digits.start()) if digits else None
    if fraction:  # a bare "1/2"; a mixed "1 1/2" is read by _DIGITS
        value = int(fraction.group(1)) / max(int(fraction.group(2)), 1)
        return _Number(value, fraction.end(), value)
    if digits and (words is None or digits.start() <= words[1]):
        value = float(digits.group(1).replace(",", "") + (digits.group(2) or ""))
        if digits.group(3):
            value += int(digits.group(3)) / max(int(digits.group(4)), 1)
        end = digits.end()
        step = _step(digits.group(1).replace(",", ""), digits.group(2))
        scale = re.match(r"\s*(hundred|thousand|million|billion)\b", text[end:])
        if scale:
            value *= _SCALES[scale.group(1)]
            step *= _SCALES[scale.group(1)]
            end += scale.end()
        return _Number(value, end, step)
    if words is not None:
        return _Number(words[0], words[2], _step(str(int(words[0])), None))
    return None


def _word_number(text: str) -> tuple[float, int, int] | None:
    """The first spelled-out number: (value, start, end) in `text`."""
    found: list[tuple[float, int, int]] = []
    for words, value in _SMALL.items():
        match = re.search(rf"\b{words}\b", text)
        if match:
            found.append((float(value), match.start(), match.end()))
    tokens = list(_WORD.finditer(text))
    for i, first in enumerate(tokens):
        opens_scale = i + 1 < len(tokens) and tokens[i + 1].group() in _SCALES
        if first.group() not in _UNITS and not (first.group() in ("a", "an") and opens_scale):
            continue
        total, current, end = 0, 0, first.end()
        for j in range(i, len(tokens)):
            word = tokens[j].group()
            gap = text[tokens[j - 1].end() : tokens[j].start()] if j > i else ""
            after_scale = tokens[j - 1].group() in _SCALES and word in _UNITS
            if gap.strip(" -") and not (after_scale and gap.strip() == ","):
                break  # spaces and hyphens sit inside a spelled-out number; "thousand, two" too
            if word in _UNITS:
                current += _UNITS[word]
            elif word in ("a", "an") and j == i:
                current = 1
            elif word == "hundred":
                current = max(current, 1) * 100
            elif word == "dozen" and j > i:
                current *= 12  # "two dozen"
            elif word in _SCALES:
                total, current = total + max(current, 1) * _SCALES[word], 0
            elif not (word == "and" and j + 1 < len(tokens) and tokens[j + 1].group() in _UNITS):
                break
            end = tokens[j].end()
        found.append((float(total + current), first.start(), end))
        break
    return min(found, key=lambda hit: hit[1]) if found else None


def _interval(
    number: _Number, qualifier: Qualifier, *, counted: bool
) -> tuple[float, float | None]:
    n = number.value
    integer = counted and n == int(n)
    if qualifier is Qualifier.EXACT:
        if counted:
            return n, n
        # Half the rounding step, but never more than 5 %: "4,000 km" → 3800..4200.
        half = min(number.step / 2, n * 0.05)
        return n - half, n + half
    if qualifier is Qualifier.AT_LEAST:
        return n, None
    if qualifier is Qualifier.MORE_THAN:
        return (n + 1 if integer else n), None
    if qualifier is Qualifier.ABOUT:
        lo, hi = n * 0.9, n * 1.1
        return (math.floor(round(lo, 6)), math.ceil(round(hi, 6))) if integer else (lo, hi)
    if qualifier is Qualifier.NEARLY:
        if integer:
            return min(math.ceil(n * 0.9), max(n - 1, 0)), max(n - 1, 0)
        return n * 0.9, n
    if qualifier is Qualifier.UP_TO:
        return 0, n
    if qualifier is Qualifier.LESS_THAN:
        return 0, (max(n - 1, 0) if integer else n)
    return n, None


def _step(integer_digits: str, decimals: str | None) -> float:
    """The rounding step of a written number: "4300" → 100, "7" → 1, "1.25" → 0.01."""
    if decimals:
        return 10.0 ** -(len(decimals) - 1)
    stripped = integer_digits.rstrip("0")
    return 10.0 ** (len(integer_digits) - len(stripped)) if stripped else 1.0


def _scaled(value: float, factor: float) -> float:
    return round(value * factor, 3)


def has_number(text: str) -> bool:
    """Whether any number (digits, number words, vague counts) appears anywhere in `text`."""
    folded = fold(text)
    return _first_number(folded) is not None or any(
        re.search(rf"\b{words}\b", folded) for words in _VAGUE
    )


def number_spans(text: str) -> list[tuple[int, int, float]]:
    """Every number written in `text` (digits or words): (start, end, value), in order."""
    folded = fold(text)  # same length as text: fold maps character for character
    spans: list[tuple[int, int, float]] = []
    at = 0
    while at < len(folded):
        number = _first_number(folded[at:])
        if number is None:
            break
        digits = _DIGITS.search(folded[at:])
        words = _word_number(folded[at:])
        starts = [m for m in (digits.start() if digits else None, words[1] if words else None)]
        start = at + min(s for s in starts if s is not None)
        spans.append((start, at + number.end, number.value))
        at += number.end
    return spans


def qualified_start(text: str, start: int, end: int) -> int:
    """Where the number phrase `text[start:end]` begins once a hedge written just before it
    ("at least" seven) is taken in; `start` when there is none or the phrase has its own."""
    before = QUALIFIER_BEFORE.search(fold(text[:start]))
    if before and not QUALIFIER_BEFORE.search(fold(text[start:end]) + " "):
        return before.start()
    return start


def vague_spans(text: str) -> list[tuple[int, int, float]]:
    """Every vague count ("several", "dozens", "tens of thousands") in `text`: (start, end,
    lower bound), in order; the longest wording wins ("tens of thousands" over "thousands")."""
    folded = fold(text)
    spans: list[tuple[int, int, float]] = []
    for words in sorted(_VAGUE, key=len, reverse=True):
        for match in re.finditer(rf"\b{words}\b", folded):
            if not any(s < match.end() and match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), float(_VAGUE[words])))
    return sorted(spans)
