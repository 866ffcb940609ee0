"""What the words around a name say of it, for `matching`: a person's name, or a common word.

A name where a person's name stands is no place, or only a large one (`_person_names`: after a
title, before a surname, after a capitalised word in mid-sentence: «Орлова», "Jean Dupont"); a
name made only of common words of the language is a place only if a populous one
(`_not_common`); and a reading of a word the index does not list (`unlisted`) is believed only
strictly (`_unlisted`, `_among_names`, `_believed`), since a wrong place merges two incidents
and a missed one only fails to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.interpret.gazetteer import inflection
from pipeline.interpret.gazetteer.entries import Entries
from pipeline.interpret.gazetteer.keys import REGION_KEYS, key, looks_capitalised
from pipeline.interpret.gazetteer.sources import COMMON_ZIPF, COMMON_ZIPF_CASELESS
from pipeline.interpret.gazetteer.unlisted import (
    CLOSE,
    INFLECTED,
    SHORT_STEM_POPULATION,
    SPELT,
    Reading,
    _own_name,
    read_unlisted,
)
from pipeline.text import Token
from schemas.data import PlacePrecision

# A name made only of common words of the language ("Police", "Sale", "May") names a place only
# if the place is this populous: writers capitalise such words at a sentence's start, and
# capitalise a name in mid-sentence, so the bar is higher at the start.
COMMON_WORD_POPULATION = 150_000
COMMON_WORD_POPULATION_INITIAL = 1_000_000
# In a script without case, a word more frequent than any town's name (Zipf; الرياض is 5.1,
# المدينة "the city" 5.6) is the word, and names only a country (مصر is 5.8).
WORD_ZIPF_CASELESS = 5.5
# Readings of words the index does not list (`unlisted`), and when they are believed.
COMMONER_BY = 0.5  # Zipf: a case form this much more frequent than its nominative is a word
MIN_UNLISTED = 4  # letters of the shortest word read as an unlisted form: a 3-letter stem and more
# Languages that capitalise every noun: a capitalised common word there says nothing of a name,
# so it needs the bar of a sentence's start everywhere, but after these prepositions.
CAPITALISED_NOUNS = frozenset({"de", "lb"})
# Languages that write nouns and titles in lower case, where a capitalised word before a name
# makes it a person's ("Мария Захарова", "Jean Dupont"); English title-cases headlines.
PERSON_NAME_LANGUAGES = frozenset("ru uk be bg sr mk el fr es it pt ca ro".split())
POPULATION_OF_ANYWHERE = 10**12  # a floor no place reaches
# Titles before a person's name, in the keys of their words.
HONORIFICS: dict[str, frozenset[str]] = {
    language: frozenset(map(key, words.split()))
    for language, words in {
        "en": "mr mrs ms dr sir madam",
        "de": "herr herrn frau dr",
        "fr": "m mme mlle monsieur madame",
        "es": "sr sra srta señor señora don doña",
        "pt": "sr sra senhor senhora dom dona",
        "it": "sig signor signora dott",
        "ru": "господин госпожа господина госпожи",
        "uk": "пан пані панові",
        "el": "κ κα κος κυριος κυρια",
    }.items()
}
# Articles before a capitalised word in a language that capitalises nouns: a noun's.
DETERMINERS: dict[str, frozenset[str]] = {
    "de": frozenset("der die das den dem des ein eine einen einem einer eines".split()),
}
PLACE_PREPOSITIONS: dict[str, frozenset[str]] = {"de": frozenset({"in", "aus", "nach"})}


@dataclass(frozen=True, slots=True)
class _Text:
    entries: Entries
    text: str
    toks: Sequence[Token]
    language: str
    common: dict[str, float]


def _sentence_start(text: str, at: int) -> bool:
    """Whether `at` begins a sentence, a line or a quotation: where any word is capitalised."""
    k = at
    while k > 0 and text[k - 1] in _OPENERS:
        k -= 1
    return k == 0 or text[k - 1] in ".!?:;…\n\r"


_OPENERS = frozenset(" \t\u00a0\"'“”‘’«»„([")


def _joined(text: str, toks: Sequence[Token], j: int) -> bool:
    """Whether tokens j and j+1 may belong to one name: only spaces between them, or the dot of
    a short abbreviation ("St. Petersburg"); never a comma or a line break."""
    if j + 1 >= len(toks):
        return False
    gap = text[toks[j].end : toks[j + 1].start]
    if gap.startswith(".") and toks[j].end - toks[j].start <= 3:
        gap = gap[1:]
    return bool(gap) and gap.isspace() and "\n" not in gap


def _joined_loosely(text: str, toks: Sequence[Token], j: int) -> bool:
    """`_joined`, or only a dot and spaces between (the dot of "κ. Ρήγα", "Dr. Marx")."""
    gap = text[toks[j].end : toks[j + 1].start] if j + 1 < len(toks) else ""
    return _joined(text, toks, j) or (gap[:1] == "." and gap[1:].isspace() and "\n" not in gap)


def _person_names(ctx: _Text, i: int, j: int, name_key: str, found: set[int]) -> set[int]:
    """The entries of `found` that the context makes a person's name or a common noun rather
    than a place (countries stay): a word after a title ("Herrn Gans", "κ. Ρήγα") names no
    place; in a language that writes nouns in lower case, neither does a word before a surname
    («Артём Кравцов», «Σοφία Ζαχαρίου»), a word after a capitalised word in mid-sentence
    ("Дмитрий Орлов", "Παύλου Ρήγα") names only places of a million people or more, and a word
    shaped as a surname («Орлова», «Остапенко») only places of SHORT_STEM_POPULATION or more;
    in German, a noun after an article ("auf den Straßen") only such places too."""
    language, text, toks = ctx.language, ctx.text, ctx.toks
    floor = 0
    joined_before = i > 0 and _joined_loosely(text, toks, i - 1)
    if joined_before and toks[i - 1].text in HONORIFICS.get(language, frozenset()):
        floor = POPULATION_OF_ANYWHERE
    elif language in PERSON_NAME_LANGUAGES:
        if i == j and _before_surname(ctx, j):
            floor = POPULATION_OF_ANYWHERE
        elif joined_before and not _sentence_start(text, toks[i - 1].start):
            before = text[toks[i - 1].start : toks[i - 1].end]
            if looks_capitalised(before) and key(before) not in REGION_KEYS:
                floor = COMMON_WORD_POPULATION_INITIAL
        if not floor and i == j and inflection.surname_form(name_key, language):
            floor = SHORT_STEM_POPULATION
    determiners = DETERMINERS.get(language)
    if determiners and joined_before and toks[i - 1].text in determiners:
        floor = max(floor, SHORT_STEM_POPULATION)
    entries = ctx.entries
    return {
        e
        for e in found
        if entries.population(e) < floor and entries.kind(e) is not PlacePrecision.COUNTRY
    }


def _before_surname(ctx: _Text, j: int) -> bool:
    """Whether token j is followed, in the same name, by a capitalised surname or patronymic."""
    text, toks = ctx.text, ctx.toks
    if not _joined(text, toks, j):
        return False
    after = text[toks[j + 1].start : toks[j + 1].end]
    return looks_capitalised(after) and inflection.surname_form(key(after), ctx.language)


def _unlisted(
    ctx: _Text,
    i: int,
    j: int,
    start: int,
    name_key: str,
    last: str,
    words: Sequence[str],
    languages: Sequence[str],
    inflected_only: bool = False,
) -> set[int]:
    """The entries of a reading of a name the index does not list as written, if believed;
    `inflected_only`: read as a case form in the word's own script only."""
    if len(last) < MIN_UNLISTED or _among_names(ctx, i, words):
        return set()
    zipf = ctx.common.get(name_key, 0.0)  # the key of the words
    last_key = name_key.rpartition(" ")[2]
    surname = inflection.surname_form(last_key, ctx.language)  # no place lacking the script's
    stages = INFLECTED if inflected_only else SPELT if zipf >= COMMON_ZIPF or surname else CLOSE
    reading = read_unlisted(ctx.entries, name_key, last, languages, stages)
    if reading is None or not _believed(ctx, reading, zipf):
        return set()
    found = set(reading.entries)
    transliterated = reading.how != "inflected" and not _own_and_large(ctx.entries, reading)
    kept = _not_common(ctx, i, j, start, words, found, False, transliterated)
    if kept and reading.how == "inflected":
        kept = _not_common(ctx, i, j, start, reading.forms[0].split(), kept, False, False)
    return kept


def _among_names(ctx: _Text, i: int, words: Sequence[str]) -> bool:
    """Whether an unlisted word stands where a person's name does: after a title ("Herrn
    Gans"), before a surname («Артём Кравцов») or, in a language writing nouns in lower case,
    after a capitalised word in mid-sentence ("Елена Соколова")."""
    text, toks = ctx.text, ctx.toks
    titles = HONORIFICS.get(ctx.language, frozenset())
    if i > 0 and _joined_loosely(text, toks, i - 1) and toks[i - 1].text in titles:
        return True
    if ctx.language in PERSON_NAME_LANGUAGES and _before_surname(ctx, i + len(words) - 1):
        return True
    if ctx.language not in CAPITALISED_NOUNS and i > 0 and _joined(text, toks, i - 1):
        before = text[toks[i - 1].start : toks[i - 1].end]
        mid_sentence = not _sentence_start(text, toks[i - 1].start)
        if looks_capitalised(before) and mid_sentence and key(before) not in REGION_KEYS:
            return True
    return False


def _believed(ctx: _Text, reading: Reading, zipf: float) -> bool:
    """Whether a reading of an unlisted word stands: not a common word of the language that a
    case form or a transliteration only happens to meet (a case form far more frequent than
    its nominative is another word, «Королева» no Королёв, unless of a place of a million
    people or more, whose oblique cases writers use most: «Сирии»). `zipf`: the word's."""
    if zipf >= COMMON_ZIPF:
        if reading.how != "inflected":
            return _own_and_large(ctx.entries, reading)
        rare = COMMON_ZIPF - 0.01  # a nominative not in the list of common words
        commoner = max(ctx.common.get(f, rare) for f in reading.forms) < zipf - COMMONER_BY
        largest = max(ctx.entries.population(e) for e in reading.entries)
        if commoner and largest < COMMON_WORD_POPULATION_INITIAL:
            return False
    return True


def _own_and_large(entries: Entries, reading: Reading) -> bool:
    """Whether a reading's largest place has a million people or more and the reading is its
    own name ("Συρίας" → "syria"), as a common word's transliteration may be believed."""
    top = max(reading.entries, key=entries.population)
    large = entries.population(top) >= COMMON_WORD_POPULATION_INITIAL
    return large and _own_name(entries, top) in reading.forms


def _not_common(
    ctx: _Text,
    i: int,
    j: int,
    at: int,
    words: Sequence[str],
    found: set[int],
    caseless: bool,
    transliterated: bool,
) -> set[int]:
    """`found`, less the small places when every word of the name is a common word of the
    language: at a sentence's start, where writers capitalise any word, only places of a
    million people or more remain; elsewhere places of 150,000 or more and, in a script with
    case, regions (ISO regions often have no population, and "in Texas" is capitalised). A
    common word next to a capitalised word ("Антон Смирнов", "Halle Berry"), or in a language
    that capitalises its nouns, is held to the bar of a sentence's start; a common word met
    only through its transliteration names nothing; in a script without case, a word of
    WORD_ZIPF_CASELESS or more names only a country."""
    bar = COMMON_ZIPF_CASELESS if caseless else COMMON_ZIPF
    if not all(_zipf(ctx, key(w)) >= bar for w in words):
        return found
    if transliterated:
        return set()
    entries = ctx.entries
    if caseless and all(_zipf(ctx, key(w)) >= WORD_ZIPF_CASELESS for w in words):
        return {e for e in found if entries.kind(e) is PlacePrecision.COUNTRY}
    initial = not caseless and (_sentence_start(ctx.text, at) or _in_capitals(ctx, i, j))
    floor = COMMON_WORD_POPULATION_INITIAL if initial else COMMON_WORD_POPULATION
    regions_stay = not caseless and not initial
    return {
        e
        for e in found
        if entries.population(e) >= floor
        or (regions_stay and entries.kind(e) is PlacePrecision.REGION)
    }


def _zipf(ctx: _Text, word_key: str) -> float:
    """A word's frequency as a common word; in a language that capitalises nouns, the word may
    be a case form of one ("Winters" of "Winter")."""
    zipf = ctx.common.get(word_key, 0.0)
    if ctx.language in CAPITALISED_NOUNS and zipf < COMMON_ZIPF:
        for form, _ in inflection.readings(word_key, ctx.language):
            zipf = max(zipf, ctx.common.get(form, 0.0))
    return zipf


def _in_capitals(ctx: _Text, i: int, j: int) -> bool:
    """Whether tokens i..j, capitalised common words, stand among other capitalised words
    (a person's or an organisation's name), or in a language that capitalises its nouns."""
    text, toks = ctx.text, ctx.toks
    if ctx.language in CAPITALISED_NOUNS:
        before = toks[i - 1].text if i > 0 and _joined(text, toks, i - 1) else ""
        return before not in PLACE_PREPOSITIONS.get(ctx.language, frozenset())
    if j + 1 < len(toks) and _joined(text, toks, j):
        after = text[toks[j + 1].start : toks[j + 1].end]
        if looks_capitalised(after) and key(after) not in REGION_KEYS:
            return True
    if i > 0 and _joined(text, toks, i - 1) and not _sentence_start(text, toks[i - 1].start):
        before = text[toks[i - 1].start : toks[i - 1].end]
        if looks_capitalised(before) and key(before) not in REGION_KEYS:
            return True
    return False
