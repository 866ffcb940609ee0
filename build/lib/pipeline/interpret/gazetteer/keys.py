"""How a name becomes a lookup key, the same way for the gazetteer's names and an article's words.

Outlets and GeoNames spell one place many ways: accents (Khān Yūnis), typography (El‑Fasher,
Dar’a), scripts (Халеб, Χαλέπι, حلب). A key is the name folded (`pipeline.text.fold`),
decomposed (NFKD) without its combining marks, lower-cased, with apostrophes, ʿayn marks and
dots dropped and hyphens read as spaces; the Arabic letters writers interchange (ة/ه, ى/ي,
hamza seats, tatweel) are unified, and a Greek final sigma is a sigma. `ascii_key` is a key
transliterated by anyascii, so a spelling GeoNames lacks in one script can still meet a Latin
one (Хан-Юніс → khan yunis).

The only words written here are general vocabulary: the nouns that make a place name a region
phrase ("province", "область", "محافظة"), never names of places.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from pipeline.text import fold

_DROP_AND_UNIFY = str.maketrans(
    {
        # apostrophes, ʿayn and hamza marks, tatweel, dots and brackets: not part of a name
        **dict.fromkeys("'`´ʹʻʼʽʾʿˈˊˋ\u0640.()[]{},\"", None),
        # letters writers interchange: Arabic ta marbuta, alif maqsura, alif wasla; Greek final
        # sigma; dotless i
        "ة": "ه",
        "ى": "ي",
        "ٱ": "ا",
        "ς": "σ",
        "ı": "i",
    }
)
_SEPARATORS = re.compile(r"[\s\-_/·]+")


@lru_cache(maxsize=1)
def _combining() -> dict[int, None]:
    """Every combining mark (accents, Arabic vowels, Cyrillic breve...), to delete after NFKD."""
    return dict.fromkeys(
        (cp for cp in range(0x300, 0x20000) if unicodedata.combining(chr(cp))), None
    )


def raw_key(text: str) -> str:
    """`key` without its cache, for the index build's million names."""
    if text.isascii():
        lowered = text.lower()  # fold() changes nothing else in ASCII that a key keeps
    else:
        decomposed = unicodedata.normalize("NFKD", fold(text))
        lowered = decomposed.translate(_combining()).lower()
    return _SEPARATORS.sub(" ", lowered.translate(_DROP_AND_UNIFY)).strip()


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The lookup key of a name or of an article's words (see the module docstring)."""
    return raw_key(text)


def raw_ascii_key(name_key: str) -> str:
    """`name_key` transliterated to ASCII and keyed again ("одеська" → "odeska")."""
    if name_key.isascii():
        return name_key
    return raw_key(anyascii(name_key))


@lru_cache(maxsize=65536)
def ascii_key(name_key: str) -> str:
    """`raw_ascii_key`, cached for lookups."""
    return raw_ascii_key(name_key)


def is_caseless(text: str) -> bool:
    """True when `text` starts with a letter of a script without case (Arabic, Hebrew...):
    there, a lower-case word may be a name, so capitalisation cannot tell names apart."""
    first = text[:1]
    return first.isalpha() and first.lower() == first.upper()


def looks_capitalised(word: str) -> bool:
    """A word as written that may start a name: an upper-case initial, or a lower-case
    article joined by a hyphen or apostrophe to a capitalised name ("al-Fashir", "d'Ivoire")."""
    if not word:
        return False
    if word[0].isupper() or is_caseless(word):
        return True
    for sep in "-‐‑'’":
        head, found, tail = word.partition(sep)
        if found and tail[:1].isupper() and len(head) <= 3:
            return True
    return False


def is_code(name: str) -> bool:
    """GeoNames lists airport and other codes ("ALP", "GZA") among alternate names: not names
    a writer uses for the place."""
    letters = name.replace(".", "")
    return letters.isascii() and letters.isupper() and len(letters) <= 4 and " " not in letters


def is_abbreviation(name: str) -> bool:
    """A country's upper-case abbreviation ("UAE"): it names the country only when written in
    capitals, since in lower case it is often a word."""
    letters = name.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) >= 3


# ----------------------------------------------------------------------------- Arabic prefixes

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")


def arabic_variants(word: str) -> list[tuple[int, str]]:
    """Ways to read an Arabic word as a name with attached prefixes: (characters of prefix,
    the rest), the word itself first. Conjunctions و ف, then prepositions ب ل ك, then the
    article ال (kept as a reading too, since GeoNames writes many names with it: الفاشر);
    ل before ال drops the alef ("للفاشر" = ل + الفاشر)."""
    seen: set[str] = set()
    out: list[tuple[int, str]] = []

    def add(skip: int, rest: str) -> None:
        if len(rest) >= 2 and rest not in seen:
            seen.add(rest)
            out.append((skip, rest))

    add(0, word)
    for conj in _CONJUNCTIONS:
        if not word.startswith(conj):
            continue
        after_conj = word[len(conj) :]
        for prep in _PREPOSITIONS:
            if not after_conj.startswith(prep):
                continue
            skip = len(conj) + len(prep)
            rest = after_conj[len(prep) :]
            if skip:
                add(skip, rest)
            if prep == "ل" and rest.startswith("ل"):
                add(skip, "ا" + rest)  # the article after ل, its alef elided
            if rest.startswith("ال"):
                add(skip + 2, rest[2:])
    return out


# ----------------------------------------------------------------------------- region phrases

# Nouns that, next to a place name, make it a region phrase: "Idlib province", "North Darfur
# state", "the Gaza Strip", "Одеська область", "محافظة إدلب". General vocabulary, per language.
REGION_WORDS: dict[str, str] = {
    "en": "province region governorate state district oblast county prefecture department "
    "territory strip raion",
    "fr": "province région gouvernorat état district département territoire bande oblast",
    "es": "provincia región gobernación estado distrito departamento territorio franja óblast",
    "pt": "província região governadoria estado distrito departamento território faixa oblast",
    "it": "provincia regione governatorato stato distretto dipartimento territorio striscia oblast",
    "de": "provinz region gouvernement bundesstaat bezirk gebiet departement territorium "
    "streifen oblast",
    "ru": "провинция область регион губернаторство мухафаза штат округ район край сектор",
    "uk": "провінція область регіон губернаторство мухафаза штат округ район край сектор",
    "ar": "محافظة ولاية إقليم منطقة قطاع مقاطعة",
    "el": "επαρχία περιφέρεια νομός πολιτεία περιοχή λωρίδα",
}

REGION_KEYS: frozenset[str] = frozenset(
    key(w) for words in REGION_WORDS.values() for w in words.split()
)


def strip_region_words(name_key: str, extra: frozenset[str] = frozenset()) -> str:
    """The core of a region's name: `name_key` without region nouns at either end
    ("idlib province" → "idlib", "одеська область" → "одеська")."""
    words = name_key.split()
    nouns = REGION_KEYS | extra
    while len(words) > 1 and words[-1] in nouns:
        words.pop()
    while len(words) > 1 and words[0] in nouns:
        words.pop(0)
    return " ".join(words)


def demonym_forms(demonym: str) -> list[str]:
    """A demonym and its English plural ("Syrian", "Syrians"; "Sudanese" stays)."""
    forms = [demonym]
    if demonym and not demonym.endswith(("s", "sh", "ch", "ese", "x", "z")):
        forms.append(demonym + "s")
    return forms
