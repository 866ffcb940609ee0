"""Finding the words of a text that name places: `mentions` of `pipeline.interpret.places`.

Every token that may start a name (capitalised, or in a script without case) is extended word
by word while some key of the index goes on (`Hit.longer`), and the longest name found there is
kept; then the longest matches of the text win over those they overlap. Capitalisation is the
first filter and the language's common words the second (see `_not_common`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.interpret.gazetteer.entries import Entries
from pipeline.interpret.gazetteer.keys import (
    REGION_KEYS,
    arabic_variants,
    is_caseless,
    key,
    looks_capitalised,
)
from pipeline.interpret.gazetteer.sources import COMMON_ZIPF, COMMON_ZIPF_CASELESS
from pipeline.text import Token, tokens
from schemas.data import PlacePrecision

MAX_WORDS = 8
# A name made only of common words of the language ("Police", "Sale", "May") names a place only
# if the place is this populous: writers capitalise such words at a sentence's start, and
# capitalise a name in mid-sentence, so the bar is higher at the start.
COMMON_WORD_POPULATION = 150_000
COMMON_WORD_POPULATION_INITIAL = 1_000_000


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entries: tuple[int, ...]  # most populous first
    first: int  # token indices, inclusive
    last: int
    region_phrase: bool = False


def find(entries: Entries, text: str, language: str) -> list[Match]:
    """The non-overlapping matches of `text`, longest first when they compete, in text order."""
    toks = tokens(text)
    common = entries.index.common(language.split("-")[0].lower())
    found = [m for i in range(len(toks)) if (m := _match_at(entries, text, toks, i, common))]
    chosen: list[Match] = []
    for m in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if all(m.end <= c.start or m.start >= c.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def _possessive(word: str) -> tuple[int, ...]:
    """Characters to cut from a word's end to read it as a name: none, and the "'s" of a
    possessive ("al-Fashir's"); folded text writes every apostrophe as '."""
    return (0, 2) if len(word) > 3 and word.endswith("'s") else (0,)


def _sentence_start(text: str, at: int) -> bool:
    """Whether `at` begins a sentence, a line or a quotation: where any word is capitalised."""
    before = text[:at].rstrip(" \t\u00a0\"'“”‘’«»„([")
    return not before or before[-1] in ".!?:;…\n\r"


def _joined(text: str, toks: Sequence[Token], j: int) -> bool:
    """Whether tokens j and j+1 may belong to one name: only spaces between them, or the dot of
    a short abbreviation ("St. Petersburg"); never a comma or a line break."""
    if j + 1 >= len(toks):
        return False
    gap = text[toks[j].end : toks[j + 1].start]
    if gap.startswith(".") and toks[j].end - toks[j].start <= 3:
        gap = gap[1:]
    return bool(gap) and gap.isspace() and "\n" not in gap


def _match_at(
    entries: Entries, text: str, toks: Sequence[Token], i: int, common: dict[str, float]
) -> Match | None:
    """The longest name that starts at token `i`, if any."""
    first = text[toks[i].start : toks[i].end]
    if first[0].isdigit() or not looks_capitalised(first):
        return None
    caseless = is_caseless(first)
    variants = arabic_variants(toks[i].text) if caseless else [(0, toks[i].text)]
    best: Match | None = None
    for skip, word in variants:
        head = ""  # the key of the words before token j
        for j in range(i, min(len(toks), i + MAX_WORDS)):
            last_word = word if j == i else toks[j].text
            longer = False
            for trim in _possessive(last_word):
                name_key = head + key(last_word[: len(last_word) - trim])
                start, end = toks[i].start + skip, toks[j].end - trim
                found, more = entries.lookup(name_key, text[start:end].replace(".", "").isupper())
                longer = longer or (more and not trim)
                last = text[toks[j].start : end]
                ends_well = (
                    j == i or caseless or looks_capitalised(last) or key(last) in REGION_KEYS
                )
                if found and ends_well and (best is None or end - start > best.end - best.start):
                    words = [word, *(t.text for t in toks[i + 1 : j + 1])]
                    kept = _not_common(entries, text, toks[i].start, words, found, common, caseless)
                    if kept:
                        best = Match(start, end, entries.by_population(kept), i, j)
            if not longer or not _joined(text, toks, j):
                break
            head += key(last_word) + " "
    return None if best is None else _region_phrase(entries, text, toks, best)


def _not_common(
    entries: Entries,
    text: str,
    at: int,
    words: Sequence[str],
    found: set[int],
    common: dict[str, float],
    caseless: bool,
) -> set[int]:
    """`found`, less the small places when every word of the name is a common word of the
    language: at a sentence's start, where writers capitalise any word, only places of a
    million people or more remain; elsewhere places of 150,000 or more and, in a script with
    case, regions (ISO regions often have no population, and "in Texas" is capitalised)."""
    bar = COMMON_ZIPF_CASELESS if caseless else COMMON_ZIPF
    if not all(common.get(key(w), 0.0) >= bar for w in words):
        return found
    initial = not caseless and _sentence_start(text, at)
    floor = COMMON_WORD_POPULATION_INITIAL if initial else COMMON_WORD_POPULATION
    regions_stay = not caseless and not initial
    return {
        e
        for e in found
        if entries.population(e) >= floor
        or (regions_stay and entries.kind(e) is PlacePrecision.REGION)
    }


def _region_phrase(entries: Entries, text: str, toks: Sequence[Token], m: Match) -> Match:
    """A region noun right after the name ("Idlib province", "Gaza Strip") or right before it
    ("province of Idlib", "محافظة إدلب") makes the match a region phrase."""
    if all(entries.kind(e) is PlacePrecision.COUNTRY for e in m.entries):
        return m
    first, last = m.first, m.last
    start, end = m.start, m.end
    b = first - 1
    if _joined(text, toks, last) and key(toks[last + 1].text) in REGION_KEYS:
        last += 1
        end = toks[last].end
    elif b >= 0 and m.start == toks[first].start and _joined(text, toks, b):
        if key(toks[b].text) in REGION_KEYS:
            first, start = b, toks[b].start
        elif (
            b >= 1
            and len(toks[b].text) <= 3
            and text[toks[b].start].islower()
            and key(toks[b - 1].text) in REGION_KEYS
            and _joined(text, toks, b - 1)
        ):
            first, start = b - 1, toks[b - 1].start  # "province of Idlib"
    if (start, end) == (m.start, m.end):
        return m
    regions = entries.regions_for(m.entries)
    return Match(start, end, regions, first, last, region_phrase=True)
