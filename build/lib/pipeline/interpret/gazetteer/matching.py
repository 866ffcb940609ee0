"""Finding the words of a text that name places: `mentions` of `pipeline.interpret.places`.

Every token that may start a name (capitalised, or in a script without case) is extended word
by word while some key of the index goes on (`Hit.longer`), and the longest name found there is
kept; then the longest matches of the text win over those they overlap. Capitalisation is the
first filter and the language's common words the second (see `context._not_common`).

A word is read first as written, by its key and (in an alphabet) its transliteration. A word
that names nothing so may be a form the index does not list (`inflection`): a case form
(«Гяндже» → «Гянджа»), an exonym in the language's own spelling ("Gandscha" → "ganja"), or,
for a place that has no name in the word's script, a close transliteration ("Нуссейрат" →
"nuseirat"). Such readings are believed only strictly (`unlisted.read_unlisted`,
`context._believed`), since a wrong place merges two incidents and a missed one only fails to:
the place must be of INFLECTED_POPULATION people or more (SHORT_STEM_POPULATION when the stem
keeps three letters or a surname's), one reading must stand out, a word where a person's name
stands is none (`context._among_names`: after a title, before a surname, after a capitalised
word in mid-sentence), and a case form far more frequent than its nominative is another word.
The same places of a person's name hold for names the index lists (`context._person_names`:
«Орлова», "Jean Dupont").

Transliteration is itself a guess in a script: a Cyrillic or Greek word met only through its
Latin transliteration names a place of TRANSLITERATED_POPULATION people or more, and never when
the word is a common word of the language ("Μαρία" is no "Maria"). Abjads write no short vowels,
so their transliterations meet unrelated Latin names ("حالة" → "hlh"): Arabic and Hebrew words
are read by their own script only, and a common word is not read as prefixes and a name
("وصلت" is a verb, not و + صلت).

The parts: this module walks the tokens and looks their keys up; `context` says what the words
around a name make of it (a person's name, a common word), and `unlisted` reads the words the
index does not list as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.interpret.gazetteer import inflection
from pipeline.interpret.gazetteer.context import (
    _joined,
    _not_common,
    _person_names,
    _Text,
    _unlisted,
)
from pipeline.interpret.gazetteer.entries import Entries
from pipeline.interpret.gazetteer.keys import (
    REGION_KEYS,
    arabic_variants,
    ascii_key,
    is_caseless,
    key,
    looks_capitalised,
)
from pipeline.interpret.gazetteer.sources import COMMON_ZIPF_CASELESS
from pipeline.interpret.gazetteer.unlisted import (
    ABJADS,
    DOMINANCE,
    INFLECTED,
    Reading,
    read_unlisted,
)
from pipeline.text import Token, tokens
from schemas.data import PlacePrecision

MAX_WORDS = 8
# A word met only through its transliteration names a place this populous or more.
TRANSLITERATED_POPULATION = 10_000
# The script each language with readings writes; a word of another script (a Latin name in a
# Russian text) is read as written only.
LANGUAGE_SCRIPTS = {
    "ru": "CYRILLIC",
    "uk": "CYRILLIC",
    "el": "GREEK",
    "de": "LATIN",
}


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
    lang = language.split("-")[0].lower()
    ctx = _Text(entries, text, toks, lang, entries.index.common(lang))
    found = [m for i in range(len(toks)) if (m := _match_at(ctx, i))]
    chosen: list[Match] = []
    for m in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if all(m.end <= c.start or m.start >= c.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def _possessive(word: str) -> tuple[int, ...]:
    """Characters to cut from a word's end to read it as a name: none, and the "'s" of a
    possessive ("al-Fashir's"); folded text writes every apostrophe as '."""
    return (0, 2) if len(word) > 3 and word.endswith("'s") else (0,)


def _lookup(
    entries: Entries, name_key: str, capitals: bool, word_script: str
) -> tuple[set[int], bool, bool]:
    """(entries, whether longer keys start with it, whether only the transliteration named
    them). Entries a word of another script than Latin meets only through its transliteration
    have TRANSLITERATED_POPULATION people or more; an abjad's word is not transliterated."""
    found, longer = entries.native(name_key, capitals)
    if word_script in ABJADS:
        return found, longer, False
    form = ascii_key(name_key)
    if form == name_key:
        return found, longer, False
    other, more = entries.native(form, capitals)
    if word_script != "LATIN":
        other = {e for e in other if entries.population(e) >= TRANSLITERATED_POPULATION}
    transliterated = bool(other) and not found and word_script != "LATIN"
    return found | other, longer or more, transliterated


def _match_at(ctx: _Text, i: int) -> Match | None:
    """The longest name that starts at token `i`, if any."""
    text, toks, entries = ctx.text, ctx.toks, ctx.entries
    first = text[toks[i].start : toks[i].end]
    if first[0].isdigit() or (first[0].islower() and first.isalpha()):
        return None  # a lower-case word without an apostrophe or hyphen: no name starts here
    elision = inflection.elided(toks[i].text, ctx.language)
    if not looks_capitalised(first[elision:]):
        return None
    caseless = is_caseless(first)
    word_script = inflection.script(first)
    if caseless:
        variants = arabic_variants(toks[i].text)
        if ctx.common.get(key(toks[i].text), 0.0) >= COMMON_ZIPF_CASELESS:
            variants = variants[:1]  # a word of the language is no prefix and name
    else:
        variants = [(0, toks[i].text)]
        if elision:
            variants.append((elision, toks[i].text[elision:]))
    languages = (ctx.language,) if LANGUAGE_SCRIPTS.get(ctx.language) == word_script else ()
    best: Match | None = None
    for skip, word in variants:
        head = ""  # the key of the words before token j
        for j in range(i, min(len(toks), i + MAX_WORDS)):
            last_word = word if j == i else toks[j].text
            longer = False
            for trim in _possessive(last_word):
                last_key = key(last_word[: len(last_word) - trim])
                name_key = head + last_key
                start, end = toks[i].start + skip, toks[j].end - trim
                capitals = text[start:end].replace(".", "").isupper()
                found, more, transliterated = _lookup(entries, name_key, capitals, word_script)
                longer = longer or (more and not trim)
                last = text[toks[j].start : end]
                ends_well = (
                    j == i or caseless or looks_capitalised(last) or key(last) in REGION_KEYS
                )
                if not ends_well or (best is not None and end - start <= best.end - best.start):
                    continue
                words = [word, *(t.text for t in toks[i + 1 : j + 1])]
                kept: set[int] = set()
                rejected: set[int] = set()  # a person's name more likely: not read otherwise
                if found:
                    rejected = _person_names(ctx, i, j, name_key, found)
                    found -= rejected
                    kept = _not_common(ctx, i, j, start, words, found, caseless, transliterated)
                    if kept and languages and not trim and j == i:
                        # a case form of a far larger place: «Газі» is Gaza's, not Gázi's
                        larger = _unlisted(ctx, i, j, start, name_key, last, words, languages, True)
                        top = max(entries.population(e) for e in kept)
                        if larger and max(map(entries.population, larger)) >= DOMINANCE * top:
                            kept = larger
                if not kept and languages and not trim:
                    kept = _unlisted(ctx, i, j, start, name_key, last, words, languages)
                    kept -= rejected  # not found again by another reading
                if kept:
                    best = Match(start, end, entries.by_population(kept), i, j)
            if not longer or not _joined(text, toks, j):
                break
            head += key(last_word) + " "
    return None if best is None else _region_phrase(entries, text, toks, best)


def read_name(entries: Entries, name_key: str, name: str, capitals: bool) -> tuple[set[int], str]:
    """For `resolve`, which is not told the language: the entries a name as written may mean
    and, when not by its own key, how. As `find` reads a word: by its key and transliteration,
    else as a form the index does not list in the languages of its script (`read_unlisted`),
    a case form of a far larger place first («Газі» → Gaza), or after an elided article
    ("l'Azerbaïdjan")."""
    word_script = inflection.script(name)
    found, _, _ = _lookup(entries, name_key, capitals, word_script)
    languages = inflection.languages_of(name)
    if found:
        if languages and " " not in name_key:
            larger = read_unlisted(entries, name_key, name, languages, INFLECTED)
            top = max(entries.population(e) for e in found)
            if larger and max(map(entries.population, larger.entries)) >= DOMINANCE * top:
                return set(larger.entries), _said(larger)
        return found, ""
    if languages:
        reading = read_unlisted(entries, name_key, name, languages)
        if reading is not None:
            return set(reading.entries), _said(reading)
    folded = name.replace("’", "'").lower()
    for language in inflection.ELISIONS:
        skip = inflection.elided(folded, language)
        if skip:
            found, _, _ = _lookup(entries, key(name[skip:]), capitals, word_script)
            if found:
                return found, f"after the elided {name[:skip]!r}"
    return set(), ""


def _said(reading: Reading) -> str:
    forms = ", ".join(repr(f) for f in reading.forms)
    if reading.how == "inflected":
        return f"a case form of {forms}"
    if reading.how == "transliterated":
        return f"transliterated as {forms}"
    return f"a close transliteration of {forms} ({reading.score:.0f}/100)"


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
