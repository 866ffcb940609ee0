"""Finding the words of a text that name places: `mentions` of `pipeline.interpret.places`.

Every token that may start a name (capitalised, or in a script without case) is extended word
by word while some key of the index goes on (`Hit.longer`), and the longest name found there is
kept; then the longest matches of the text win over those they overlap. Capitalisation is the
first filter and the language's common words the second (see `_not_common`).

A word is read first as written, by its key and (in an alphabet) its transliteration. A word
that names nothing so may be a form the index does not list (`inflection`): a case form
(«Гяндже» → «Гянджа»), an exonym in the language's own spelling ("Gandscha" → "ganja"), or,
for a place that has no name in the word's script, a close transliteration ("Нуссейрат" →
"nuseirat"). Such readings are believed only strictly (`read_unlisted`, `_believed`), since a
wrong place merges two incidents and a missed one only fails to: the place must be of
INFLECTED_POPULATION people or more (SHORT_STEM_POPULATION when the stem keeps three letters
or a surname's), one reading must stand out, a word where a person's name stands is none
(`_among_names`: after a title, before a surname, after a capitalised word in mid-sentence),
and a case form far more frequent than its nominative is another word. The same places of a
person's name hold for names the index lists (`_person_names`: «Орлова», "Jean Dupont").

Transliteration is itself a guess in a script: a Cyrillic or Greek word met only through its
Latin transliteration names a place of TRANSLITERATED_POPULATION people or more, and never when
the word is a common word of the language ("Μαρία" is no "Maria"). Abjads write no short vowels,
so their transliterations meet unrelated Latin names ("حالة" → "hlh"): Arabic and Hebrew words
are read by their own script only, and a common word is not read as prefixes and a name
("وصلت" is a verb, not و + صلت).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from pipeline.interpret.gazetteer import inflection
from pipeline.interpret.gazetteer.build import LATIN_MIN_LENGTH, LATIN_ONLY_POPULATION, SCRIPT_BITS
from pipeline.interpret.gazetteer.entries import Entries
from pipeline.interpret.gazetteer.keys import (
    REGION_KEYS,
    arabic_variants,
    ascii_key,
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
# In a script without case, a word more frequent than any town's name (Zipf; الرياض is 5.1,
# المدينة "the city" 5.6) is the word, and names only a country (مصر is 5.8).
WORD_ZIPF_CASELESS = 5.5

# Readings of words the index does not list (see the module docstring).
INFLECTED_POPULATION = 10_000
SHORT_STEM_POPULATION = 100_000
TRANSLITERATED_POPULATION = 10_000
DOMINANCE = 20  # a reading whose largest place is 20 times any other reading's is the reading
COMMONER_BY = 0.5  # Zipf: a case form this much more frequent than its nominative is a word
CLOSE_SCORE = 92  # rapidfuzz ratio of a close transliteration, 0-100: a letter off in 12
CLOSE_MIN_LENGTH = LATIN_MIN_LENGTH + 1
MIN_UNLISTED = 4  # letters of the shortest word read as an unlisted form: a 3-letter stem and more
ABJADS = frozenset({"ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO", "SAMARITAN", "MANDAIC"})

# The script each language with readings writes; a word of another script (a Latin name in a
# Russian text) is read as written only.
LANGUAGE_SCRIPTS = {
    "ru": "CYRILLIC",
    "uk": "CYRILLIC",
    "el": "GREEK",
    "de": "LATIN",
}
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
class Match:
    start: int
    end: int
    entries: tuple[int, ...]  # most populous first
    first: int  # token indices, inclusive
    last: int
    region_phrase: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    """How an unlisted word was read: the entries, the key that named them, and how."""

    entries: frozenset[int]
    forms: tuple[str, ...]  # the keys read, the largest place's first
    how: str  # "inflected", "transliterated", "close"
    score: float = 100.0


@dataclass(frozen=True, slots=True)
class _Text:
    entries: Entries
    text: str
    toks: Sequence[Token]
    language: str
    common: dict[str, float]


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


def _joined_loosely(text: str, toks: Sequence[Token], j: int) -> bool:
    """`_joined`, or only a dot and spaces between (the dot of "κ. Ρήγα", "Dr. Marx")."""
    gap = text[toks[j].end : toks[j + 1].start] if j + 1 < len(toks) else ""
    return _joined(text, toks, j) or (gap[:1] == "." and gap[1:].isspace() and "\n" not in gap)


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


def read_unlisted(
    entries: Entries,
    name_key: str,
    word: str,
    languages: Sequence[str],
    stages: int = 3,
) -> Reading | None:
    """A reading of a name key that names nothing as written: by its case forms' nominatives
    in its own script, then by transliterations and the languages' spellings of those, then
    (a word in Cyrillic or Greek) by a close transliteration (rapidfuzz ratio ≥ CLOSE_SCORE);
    a transliterated or close reading names only places without a name in the word's script
    (were there one, the word would have met it), or whose own name it transliterates
    («Ель-Фашера» → "el fasher"). Only places of INFLECTED_POPULATION or more
    (SHORT_STEM_POPULATION for a stem of three letters or a surname's; LATIN_ONLY_POPULATION
    for a close spelling) are read, and of several readings the one whose largest place is
    DOMINANCE times any other's, else none. `stages`: how far to go (INFLECTED: case forms in
    the word's own script; SPELT: and transliterations; CLOSE: all)."""
    memo = _MEMO.setdefault(entries, {})
    memo_key = (name_key, word, tuple(languages), stages)
    if memo_key not in memo:
        if len(memo) > MEMO_SIZE:
            memo.clear()
        memo[memo_key] = _read_unlisted(entries, name_key, word, languages, stages)
    return memo[memo_key]


INFLECTED, SPELT, CLOSE = 1, 2, 3
MEMO_SIZE = 50_000
_MEMO: WeakKeyDictionary[Entries, dict[tuple[str, str, tuple[str, ...], int], Reading | None]]
_MEMO = WeakKeyDictionary()


def _read_unlisted(
    entries: Entries,
    name_key: str,
    word: str,
    languages: Sequence[str],
    stages: int,
) -> Reading | None:
    word_script = inflection.script(word)
    if word_script in ABJADS:
        return None
    latin = word_script == "LATIN"
    inflected = inflection.all_readings(name_key, languages)
    if not latin:
        reading = _settle(entries, inflected, languages, "inflected", 0)
        if reading is not None or stages == INFLECTED:
            return reading
    spelt: dict[str, str] = {}
    prefix = len(name_key) - len(name_key.rpartition(" ")[2])
    for form, stem in [(name_key, name_key[prefix:]), *inflected.items()]:
        if not latin and form != name_key:  # the word's own transliteration: as `_lookup`
            # transliterated stem by stem, as anyascii maps letter by letter
            cut = prefix + len(stem)
            spelt.setdefault(ascii_key(form[:cut]) + ascii_key(form[cut:]), stem)
        if stages > INFLECTED:
            for language in languages:
                for respelt in inflection.respellings(form, language):
                    spelt.setdefault(respelt, stem)
    if latin:
        for form, stem in inflected.items():
            spelt.setdefault(form, stem)
        return _settle(entries, spelt, languages, "inflected", 0)
    script_bit = SCRIPT_BITS.get(word_script, 0)
    if not script_bit:
        return None
    reading = _settle(entries, spelt, languages, "transliterated", script_bit)
    if reading is not None or stages < CLOSE:
        return reading
    # close to the word or to its bare stems: a ratio allows the letter of a nominative ending
    queries = {ascii_key(name_key)}
    for language in languages:
        queries.update(inflection.respellings(name_key, language))
    queries.update(ascii_key(f) for f, stem in inflected.items() if f.endswith(stem))
    return _close(entries, queries, script_bit)


def _floor(stem: str, languages: Sequence[str]) -> int:
    """The population a reading's places need: see `read_unlisted`."""
    if len(stem) < inflection.MIN_STEM or inflection.surname_like(stem, languages):
        return SHORT_STEM_POPULATION
    return INFLECTED_POPULATION


def _settle(
    entries: Entries, forms: dict[str, str], languages: Sequence[str], how: str, lacking: int
) -> Reading | None:
    """The reading among `forms` (key → the stem it keeps), of places without a name in the
    scripts `lacking` (bits) or whose own name the form is: see `read_unlisted`."""
    hits: list[tuple[int, str, set[int]]] = []
    for form, stem in forms.items():
        if len(form.replace(" ", "")) < 3:
            continue
        found, _ = entries.native(form, False)
        if found and how == "inflected" and not form.isascii():
            found |= entries.native(ascii_key(form), False)[0]  # as `_lookup` merges them
        floor = _floor(stem, languages)
        found = {
            e
            for e in found
            if entries.population(e) >= floor
            and (not entries.scripts(e) & lacking or _own_name(entries, e) == form)
        }
        if found:
            hits.append((max(entries.population(e) for e in found), form, found))
    return _dominant(hits, how)


def _own_and_large(entries: Entries, reading: Reading) -> bool:
    """Whether a reading's largest place has a million people or more and the reading is its
    own name ("Συρίας" → "syria"), as a common word's transliteration may be believed."""
    top = max(reading.entries, key=entries.population)
    large = entries.population(top) >= COMMON_WORD_POPULATION_INITIAL
    return large and _own_name(entries, top) in reading.forms


def _own_name(entries: Entries, entry: int) -> str:
    """The ASCII key of the entry's own name ("El Fasher" → "el fasher")."""
    return ascii_key(key(entries.index.names[entry]))


def _dominant(
    hits: list[tuple[int, str, set[int]]], how: str, score: float = 100.0
) -> Reading | None:
    """The reading of the largest place (with the readings that share a place with it: «одесс»
    and «одесса» both name Odesa), if its largest place is DOMINANCE times any other's."""
    if not hits:
        return None
    hits.sort(key=lambda h: (-h[0], h[1]))
    top, form, found = hits[0]
    merged, forms = set(found), [form]
    for pop, other_form, others in hits[1:]:
        if others & merged:
            merged |= others
            forms.append(other_form)
        elif top < DOMINANCE * max(pop, 1):
            return None
    return Reading(frozenset(merged), tuple(forms), how, score)


def _close(entries: Entries, queries: set[str], script_bit: int) -> Reading | None:
    """A close transliteration (rapidfuzz ratio ≥ CLOSE_SCORE) of a settlement of
    LATIN_ONLY_POPULATION or more that has no name in the word's script, among the names of the
    same first two letters (as `places` looks for a close spelling)."""
    if not script_bit:
        return None
    from rapidfuzz import fuzz, process

    index = entries.index
    hits: dict[str, tuple[float, set[int]]] = {}
    for query in sorted(queries):
        if len(query) < CLOSE_MIN_LENGTH or " " in query:
            continue
        choices = index.latin_keys(query[:2], len(query))
        for choice, score, _ in process.extract(
            query, choices, scorer=fuzz.ratio, score_cutoff=CLOSE_SCORE, limit=5
        ):
            found = {
                e
                for e in entries.native(choice, False)[0]
                if e < index.n_settlements
                and entries.population(e) >= LATIN_ONLY_POPULATION
                and not entries.scripts(e) & script_bit
            }
            if found and score > hits.get(choice, (0.0, set()))[0]:
                hits[choice] = (score, found)
    if not hits:
        return None
    best = max(score for score, _ in hits.values())
    top = [(max(entries.population(e) for e in f), k, f) for k, (s, f) in hits.items() if s == best]
    return _dominant(top, "close", best)


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
