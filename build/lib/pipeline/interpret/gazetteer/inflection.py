"""Reading a word that GeoNames does not list as such: a case form («в Гяндже», «у Краматорську»,
«στην Οδησσό», "des Sudans"), a name behind an elided article ("l'Azerbaïdjan"), or an exonym
spelt by a language's own conventions ("Gandscha" = Ganja).

Everything here is data about languages, never about places: the case endings of each
language and the endings of the nominative they may come from, the vowel a Ukrainian stem
changes back («Харкова» → «Харків»), the consonant it softens before -і («Луці» → «Лука»),
how German and Greek write foreign sounds (dsch = j, ντ = nd), and the articles French and
Italian elide. From a word's key they give the keys it may be read as; `matching` looks them up
in the index, which has the last word (a reading must be a name GeoNames or ISO lists), and
decides whether the reading is believed.

A case form is read as its stem plus a nominative ending, so that only names of a similar
length are met: the stem must keep MIN_STEM letters, and the ending added is one the stripped
ending can come from (a genitive -а comes from a masculine without ending, a dative -е from a
feminine -а), not any letters that happen to follow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pipeline.interpret.gazetteer.keys import key

MIN_STEM = 4  # letters a stem keeps; a 3-letter stem («Газы» → «Газа») needs a large place
SHORT_STEM = 3

# Case endings → the endings of the nominatives they may come from, as written; they are keyed
# (`keys.key`: lower case, no accents or breves, so й is и and ї is і) below. "+й" is a й after a
# vowel (Дубай, Китай): keyed, it would be any и. Longer endings are tried first.
_ENDINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        # masculine (Краматорск, Судан, Дубай, Ярославль) and feminine -а/-я (Одесса, Сирия)
        "а": ("", "ь", "+й"),
        "я": ("ь", "+й"),
        "у": ("", "ь", "+й", "а"),
        "ю": ("ь", "+й", "я"),
        "е": ("", "ь", "+й", "а", "я"),
        "ы": ("а",),
        "и": ("а", "я", "ь"),
        "ой": ("а",),
        "ою": ("а",),
        "ей": ("а", "я", "ь"),
        "ею": ("а", "я"),
        "ом": ("",),
        "ем": ("ь", "+й", ""),
        "ью": ("ь",),
        # plurals (Черновцы, Сумы)
        "ах": ("ы", "и"),
        "ам": ("ы", "и"),
        "ами": ("ы", "и"),
        "ях": ("и",),
        "ям": ("и",),
        "ями": ("и",),
    },
    "uk": {
        "а": ("", "ь"),
        "я": ("ь", "+й"),
        "у": ("", "ь", "а"),
        "ю": ("ь", "+й", "я"),
        "і": ("", "а", "я", "ь"),
        "ї": ("я",),
        "и": ("а",),
        "ою": ("а",),
        "ею": ("а", "я", "ь"),  # Гянджею
        "єю": ("я",),
        "ом": ("",),
        "ем": ("ь", "+й", ""),
        "єм": ("+й",),
        # plurals (Чернівці, Суми)
        "ів": ("і", "и"),
        "ах": ("и", "і"),
        "ам": ("и", "і"),
        "ами": ("и", "і"),
        "ях": ("і",),
        "ям": ("і",),
        "ями": ("і",),
    },
    "el": {
        "ου": ("ος", "ο", "", "ας", "ης"),  # Οδησσού, Κιέβου, Χαλεπιού
        "ο": ("ος",),  # Οδησσό (accusative of -ος)
        "α": ("ας",),  # Καναδά (genitive of -ας)
        "ας": ("α",),  # Γάζας, Σομαλίας
        "ης": ("η",),  # Μαριούπολης
        "ες": ("ης",),  # plural of -ης
        "ων": ("α", "η", "ες"),  # genitive plural
    },
    "de": {
        "s": ("",),  # des Sudans, Kramatorsks
        "es": ("",),
    },
}

# A Ukrainian stem closed by its last vowel changes it in the nominative's closed syllable:
# Харкова → Харків, Миколаєва → Миколаїв, Борисполя → Бориспіль. (old vowel → nominative vowel)
_CLOSED_VOWEL: dict[str, dict[str, str]] = {"uk": {"о": "і", "е": "і", "є": "ї"}}
# Consonants softened before the locative -і: Луці → Лука, Ризі → Рига. (soft → hard)
_SOFTENED: dict[str, dict[str, str]] = {"uk": {"ц": "к", "з": "г", "с": "х"}}
_VOWELS = frozenset(key("аеєиіїоуюяыэё"))
_NOMINATIVE_AFTER_ALTERNATION = ("", "ь")
# Stems the commonest surnames end in (Соколов, Орлов, Кузнецов, Пушкин): a case form of such a
# stem is as often a person (Соколова, Орлову) as a place, so it needs a larger place.
_SURNAME_STEMS: dict[str, tuple[str, ...]] = {
    "ru": ("ов", "ев", "ёв", "ин", "ын"),
    "uk": ("ов", "ев", "єв", "ін", "ин", "ів", "їв"),
}


def _keyed(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The table in keys; endings that key alike (ї and і) pool their nominatives."""
    out: dict[str, tuple[str, ...]] = {}
    for ending, nominatives in table.items():
        k = key(ending)
        keyed = (f"+{key(n[1:])}" if n[:1] == "+" else key(n) if n else "" for n in nominatives)
        out[k] = tuple(dict.fromkeys([*out.get(k, ()), *keyed]))
    return out


ENDINGS = {language: _keyed(table) for language, table in _ENDINGS.items()}
CLOSED_VOWEL = {
    language: {key(k): key(v) for k, v in table.items()}
    for language, table in _CLOSED_VOWEL.items()
}
SURNAME_STEMS = {
    language: tuple(dict.fromkeys(key(s) for s in stems))
    for language, stems in _SURNAME_STEMS.items()
}

# Articles and prepositions a language elides before a name ("l'Azerbaïdjan", "dell'Aleppo").
ELISIONS: dict[str, frozenset[str]] = {
    "fr": frozenset("l d qu jusqu lorsqu puisqu presqu".split()),
    "it": frozenset("l d dell all dall nell sull coll un quest quell".split()),
    "ca": frozenset("l d".split()),
    "pt": frozenset("d".split()),
}

# How a language writes foreign sounds, to meet the Latin names GeoNames lists: each entry is a
# spelling of the language's keys and what it may stand for; every combination is tried.
_RESPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        # sounds German writes only in foreign names: dsch (Gandscha), tsch (Tschad), and the
        # kh, v and y of transliterations (Chan Junis, Charkiw); sch is kept as it is, since
        # German names write it too (Fischer is no Fisher)
        "dsch": ("j", "dzh"),
        "tsch": ("ch",),
        "sch": ("sch",),
        "ch": ("kh", "ch"),
        "w": ("v", "w"),
        "j": ("y", "j"),
    },
    "el": {
        "γκ": ("g", "ng"),
        "γγ": ("ng",),
        "μπ": ("b", "mb"),
        "ντ": ("d", "nd"),
        "ντζ": ("nj", "ndz"),
        "τζ": ("j", "dz"),
        "τσ": ("ts",),
        "ου": ("u",),
        "αι": ("e", "ai"),
        "ει": ("i", "ei"),
        "οι": ("i", "oi"),
        "αυ": ("av",),
        "ευ": ("ev",),
        "α": ("a",),
        "β": ("v",),
        "γ": ("g",),
        "δ": ("d",),
        "ε": ("e",),
        "ζ": ("z",),
        "η": ("i",),
        "θ": ("th",),
        "ι": ("i",),
        "κ": ("k",),
        "λ": ("l",),
        "μ": ("m",),
        "ν": ("n",),
        "ξ": ("x",),
        "ο": ("o",),
        "π": ("p",),
        "ρ": ("r",),
        "σ": ("s",),
        "τ": ("t",),
        "υ": ("i", "y"),
        "φ": ("f",),
        "χ": ("kh", "h"),
        "ψ": ("ps",),
        "ω": ("o",),
    },
}
MAX_RESPELLINGS = 8
RESPELLINGS = {
    language: {key(k): v for k, v in table.items()} for language, table in _RESPELLINGS.items()
}

# The languages whose endings a name of a script may carry, for `resolve`, which is not told the
# article's language.
SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "CYRILLIC": ("ru", "uk"),
    "GREEK": ("el",),
    "LATIN": ("de",),
}


def script(word: str) -> str:
    """The Unicode script of the word's first letter ("LATIN", "CYRILLIC", "GREEK", "ARABIC"...),
    "" for none."""
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            return name.split(" ")[0] if name else ""
    return ""


def surname_like(stem: str, languages: Iterable[str]) -> bool:
    """Whether a stem ends as the commonest surnames of these languages do."""
    return any(stem.endswith(SURNAME_STEMS.get(language, ())) for language in languages)


# The shapes of the commonest surnames and patronymics, in all their cases (a suffix, then an
# ending): a word so shaped is more often a person's than a place's («Орлова», «Остапенко»,
# «Κωνσταντίνου»), and a word before one is a given name («Артём Кравцов», «Σοφία Ζαχαρίου»).
_SURNAME_SHAPES: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {
    "ru": (
        (("ов", "ев", "ёв", "ин", "ын"), ("", "а", "у", "ым", "ой", "ою", "е", "ых", "ыми")),
        (("ск", "цк"), ("ий", "ая", "ого", "ому", "им", "ой", "ую", "их")),
        (("енко",), ("",)),
        (("ук", "юк", "чук"), ("", "а", "у", "ом")),
        (("ович", "евич"), ("", "а", "у", "ем")),
        (("овн", "евн", "ичн"), ("а", "ы", "е", "у", "ой")),
    ),
    "uk": (
        (("ов", "ев", "єв", "ін", "ин"), ("", "а", "у", "им", "ій", "ою", "і", "их", "ими")),
        # not -ська, -ську: the genitive and dative of Краматорськ
        (("ськ", "цьк"), ("ий", "ого", "ому", "им", "ій", "их")),
        (("енк",), ("о", "а", "у", "ом", "ові")),
        (("ук", "юк", "чук", "як"), ("", "а", "у", "ом", "ові")),
        (("ович", "евич"), ("", "а", "у", "ем")),
        (("івн", "ївн", "ічн"), ("а", "и", "і", "у", "ою")),
    ),
    "el": (
        (("ου",), ("",)),
        (("ιδη", "ακη", "αδη"), ("", "ς")),
        (("οπουλ",), ("ος", "ου", "ο")),
        (("ογλου",), ("",)),
    ),
}
SURNAME_SHAPES = {
    language: tuple(
        sorted({key(s + e) for stems, endings in groups for s in stems for e in endings})
    )
    for language, groups in _SURNAME_SHAPES.items()
}


def surname_form(name_key: str, language: str) -> bool:
    """Whether a one-word key is shaped as a surname or patronymic of the language is, in any
    case, with a stem of MIN_STEM letters or more before its suffix."""
    shapes = SURNAME_SHAPES.get(language, ())
    if " " in name_key or not name_key.endswith(shapes):
        return False
    return any(
        name_key.endswith(shape) and len(name_key) - len(shape) >= MIN_STEM - 1 for shape in shapes
    )


def stems(last: str, language: str) -> list[tuple[str, str]]:
    """(stem, nominative ending) readings of a word key's case ending, longer endings first."""
    table = ENDINGS.get(language)
    if not table:
        return []
    out: list[tuple[str, str]] = []
    for ending in sorted(table, key=len, reverse=True):
        if not last.endswith(ending):
            continue
        stem = last[: len(last) - len(ending)]
        if len(stem) < SHORT_STEM or not stem[-1].isalpha():
            continue
        for nominative in table[ending]:
            if nominative.startswith("+"):  # only after a vowel
                if stem[-1] not in _VOWELS:
                    continue
                nominative = nominative[1:]
            out.append((stem, nominative))
            if nominative in _NOMINATIVE_AFTER_ALTERNATION:
                alternated = _closed_vowel(stem, language)
                if alternated:
                    out.append((alternated, nominative))
            if ending == "і" and nominative == "а":
                softened = _SOFTENED.get(language, {}).get(stem[-1])
                if softened:
                    out.append((stem[:-1] + softened, nominative))
    return out


def _closed_vowel(stem: str, language: str) -> str:
    """The stem with its last vowel as a closed syllable writes it (Харков → Харків), or ""."""
    table = CLOSED_VOWEL.get(language)
    if not table or len(stem) < 2 or stem[-1] in _VOWELS:
        return ""
    for at in range(len(stem) - 1, max(len(stem) - 4, 0), -1):
        if stem[at] in _VOWELS:
            new = table.get(stem[at])
            return stem[:at] + new + stem[at + 1 :] if new else ""
    return ""


@lru_cache(maxsize=16384)
def readings(name_key: str, language: str) -> tuple[tuple[str, str], ...]:
    """The keys a word key (its last word inflected) may be the case form of, with the stem
    kept; most likely first (longer endings stripped first), each once."""
    head, _, last = name_key.rpartition(" ")
    prefix = head + " " if head else ""
    seen: dict[str, str] = {}
    for stem, nominative in stems(last, language):
        form = prefix + stem + nominative
        if form != name_key and form not in seen:
            seen[form] = stem
    return tuple(seen.items())


def elided(word: str, language: str) -> int:
    """Characters to skip to read the name after an elided article or preposition
    ("l'Azerbaïdjan" → 2, "dell'Aleppo" → 5), or 0."""
    table = ELISIONS.get(language)
    if not table:
        return 0
    head, found, tail = word.partition("'")
    if found and tail[:1].isalpha() and head.lower() in table:
        return len(head) + 1
    return 0


@lru_cache(maxsize=64)
def _respelling_rules(language: str) -> tuple[re.Pattern[str], dict[int, str]] | None:
    """The language's spellings with a choice or of several letters, as one pattern (longest
    first), and its letter-for-letter ones as a translation table."""
    table = RESPELLINGS.get(language)
    if not table:
        return None
    letters = {k: v[0] for k, v in table.items() if len(k) == 1 and len(v) == 1}
    others = sorted((k for k in table if k not in letters), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, others))), str.maketrans(letters)


@lru_cache(maxsize=16384)
def respellings(name_key: str, language: str) -> tuple[str, ...]:
    """The Latin spellings a key of `language` may stand for by its own writing conventions
    ("gandscha" → "ganja", "gandzha"; "γκαντζα" → "ganja", "gandza"...), at most
    MAX_RESPELLINGS; none when the language has no such table or nothing in the key is
    respelt."""
    rules = _respelling_rules(language)
    if rules is None:
        return ()
    pattern, letters = rules
    table = RESPELLINGS[language]
    parts: list[tuple[str, ...]] = []
    fixed = ""  # the letters since the last spelling with a choice
    at = 0
    for m in pattern.finditer(name_key):
        fixed += name_key[at : m.start()].translate(letters)
        options = table[m.group()]
        if m.start() == 0 or name_key[m.start() - 1] == " ":
            options = options[:1]  # word-initially the first option: γκ → g, μπ → b, ντ → d
        if len(options) == 1:
            fixed += options[0]
        else:
            parts.append((fixed,))
            parts.append(options)
            fixed = ""
        at = m.end()
    parts.append((fixed + name_key[at:].translate(letters),))
    out: list[str] = [""]
    for options in parts:
        out = [o + option for o in out for option in options][:MAX_RESPELLINGS]
    return tuple(f for f in dict.fromkeys(out) if f != name_key and f.isascii())


def languages_of(word: str) -> tuple[str, ...]:
    """The languages whose endings and spellings a word of that script may carry."""
    return SCRIPT_LANGUAGES.get(script(word), ())


def all_readings(name_key: str, languages: Iterable[str]) -> dict[str, str]:
    """`readings` of every language, each key once: key → stem."""
    out: dict[str, str] = {}
    for language in languages:
        for form, stem in readings(name_key, language):
            out.setdefault(form, stem)
    return out
