"""Reading a word the index does not list as written, for `matching`: `read_unlisted`.

A word that names nothing as written may be a case form of a listed name («Гяндже» →
«Гянджа»), an exonym in the language's own spelling ("Gandscha" → "ganja") or, for a place
that has no name in the word's script, a close transliteration ("Нуссейрат" → "nuseirat").
Each reading keeps only places of INFLECTED_POPULATION people or more (SHORT_STEM_POPULATION
when the stem keeps three letters or a surname's), and of several readings only the one that
stands out (DOMINANCE). Whether the text around the word lets it stand is `context`'s to say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from pipeline.interpret.gazetteer import inflection
from pipeline.interpret.gazetteer.build import LATIN_MIN_LENGTH, LATIN_ONLY_POPULATION, SCRIPT_BITS
from pipeline.interpret.gazetteer.entries import Entries
from pipeline.interpret.gazetteer.keys import ascii_key, key

# Readings of words the index does not list (see the module docstring).
INFLECTED_POPULATION = 10_000
SHORT_STEM_POPULATION = 100_000
DOMINANCE = 20  # a reading whose largest place is 20 times any other reading's is the reading
CLOSE_SCORE = 92  # rapidfuzz ratio of a close transliteration, 0-100: a letter off in 12
CLOSE_MIN_LENGTH = LATIN_MIN_LENGTH + 1
ABJADS = frozenset({"ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO", "SAMARITAN", "MANDAIC"})


@dataclass(frozen=True, slots=True)
class Reading:
    """How an unlisted word was read: the entries, the key that named them, and how."""

    entries: frozenset[int]
    forms: tuple[str, ...]  # the keys read, the largest place's first
    how: str  # "inflected", "transliterated", "close"
    score: float = 100.0


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
