"""A language's number vocabulary (`schemas/vocab/numbers/<lang>.yaml`), compiled once.

The vocabulary is data so that a language is added by writing a file, not code. This module
turns the file into what matching needs: a tokenizer whose digit pattern knows the language's
separators ("4.000" is four thousand in Portuguese, "4,000" in English), and tables keyed by
folded tokens, so that reading an article is one pass of dictionary look-ups rather than
hundreds of regular expressions. Vocabulary entries are tokenized like the text, so a phrase
matches whatever spacing, hyphens or abbreviation dots the article uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import product
from typing import Any

from pipeline.interpret.numbers.intervals import UNITS
from pipeline.text import fold
from schemas import Qualifier, vocab

# Letters of any script; combining marks (Arabic vowels, decomposed accents) stay inside a word,
# and so does an apostrophe between letters (Ukrainian п'ять, French jusqu'à).
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_LETTERS = rf"[^\W\d_](?:[^\W\d_]|[{_MARKS}]|'(?=[^\W\d_]))*"
SYMBOLS = "$€£¥₽₴₺₹₪%٪+~≈°"
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # vowel marks and tatweel
SOFT_GAP = re.compile(r"[\s\-'.]*")  # between the words of one phrase
NEAR_GAP = re.compile(r"[\s\-]*")  # between a number and the words that qualify it
_FORMS = re.compile(r"\(([^()]*)\)")
PLACES = ("units", "teens", "tens", "hundreds")


@dataclass(frozen=True, slots=True)
class Tok:
    """A token of the folded text: a word, a number in digits, a symbol, a time or a date."""

    start: int
    end: int
    kind: str  # word | num | sym | time | date | frac
    text: str
    keys: tuple[tuple[str, int], ...]  # look-up keys, each with the length of a proclitic it drops
    value: float = 0.0
    step: float = 1.0
    plain: bool = False  # digits only: no separator, no decimals (years and days are plain)

    @property
    def key(self) -> str:
        return self.keys[0][0]


@dataclass(frozen=True, slots=True)
class Phrase:
    keys: tuple[str, ...]
    attached: tuple[bool, ...]  # per inner gap: written without a space ("km2", "us$")
    dot: bool  # an abbreviation: the span takes in a final "." when the text has one
    label: str
    value: float = 0.0
    elided: str = ""  # "plus d'": the "d'" is the proclitic of the number ("plus d'un millier")


@dataclass(frozen=True, slots=True)
class Hit:
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
        for p in sorted(set(phrases), key=lambda p: -len(p.keys)):
            self._first.setdefault(p.keys[0], []).append(p)
            self._last.setdefault(p.keys[-1], []).append(p)

    def __bool__(self) -> bool:
        return bool(self._first)

    def has_word(self, key: str) -> bool:
        """Whether one of the phrases is the single word `key`."""
        return any(len(p.keys) == 1 for p in self._first.get(key, ()))

    def at(self, text: str, toks: Sequence[Tok], i: int) -> Hit | None:
        """The longest phrase that starts at token `i`."""
        if i >= len(toks):
            return None
        for key, shift in toks[i].keys:
            for p in self._first.get(key, ()):
                if _fits(p, text, toks, i):
                    return _hit(p, text, toks, i, shift)
        return None

    def ending(self, text: str, toks: Sequence[Tok], j: int, floor: int = 0) -> Hit | None:
        """The longest phrase that ends at token `j` and starts at token `floor` or later."""
        if j < floor:
            return None
        for p in self._last.get(toks[j].key, ()):
            i = j - len(p.keys) + 1
            if i < floor:
                continue
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

    def __call__(self, folded: str) -> list[Tok]:
        """Tokens of `folded` (the output of `pipeline.text.fold`, so offsets are the text's)."""
        toks: list[Tok] = []
        for m in self.pattern.finditer(folded):
            start, end, word = m.start(), m.end(), m.group()
            if m.group("word") is not None:
                keys = [(self.key(word), 0)]
                for p in self.proclitics:
                    if word.startswith(p) and len(word) > len(p) + 1:
                        keys.append((self.key(word[len(p) :]), len(p)))
                toks.append(Tok(start, end, "word", word, tuple(keys)))
            elif m.group("num") is not None:
                written = m.group("int")
                whole = self.thousands.sub("", written) if self.thousands else written
                decimals = m.group("frac") or ""
                value = float(f"{whole}.{decimals}" if decimals else whole)
                plain = whole == written and not decimals
                toks.append(Tok(start, end, "num", word, ((word, 0),), value,
                                _digit_step(whole, decimals), plain))  # fmt: skip
            elif m.group("fraction") is not None:
                denominator = int(m.group("fd"))
                value = int(m.group("whole") or 0) + int(m.group("fn")) / denominator
                toks.append(Tok(start, end, "num", word, ((word, 0),), value, 1 / denominator))
            else:
                kind = "time" if m.group("time") else "date" if m.group("date") else "sym"
                toks.append(Tok(start, end, kind, word, ((word, 0),)))
        return toks


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Everything one language's vocabulary says, keyed for look-up."""

    language: str
    spelled: str  # "text2num": the library reads spelled numbers; "words": number_words do
    tokenize: Tokenizer
    number_words: dict[str, tuple[str, float]]  # key → (place, value); place in PLACES
    joiners: frozenset[str]
    scales: dict[str, float]
    dotted: frozenset[str]  # scale abbreviations whose dot is theirs: "тыс.", "млн."
    weak_ones: frozenset[str]
    articles: frozenset[str]
    fractions: dict[str, float]
    multipliers: dict[str, float]
    vague_joiners: frozenset[str]
    ordinal_words: frozenset[str]
    ordinal_suffixes: frozenset[str]
    not_numbers: frozenset[str]
    blockers: frozenset[str]
    bare_years: bool
    counts: Phrases  # label fixed | approximate | vague
    hedges_before: Phrases  # label: a Qualifier value
    hedges_after: Phrases
    openers: Phrases  # label: index of the pair
    closers: tuple[Phrases, ...]
    infixes: Phrases
    units: Phrases  # label: a key of UNITS
    percent: Phrases
    money_before: Phrases  # label usd | other
    money_after: Phrases
    durations: Phrases
    ages_before: Phrases
    ages_after: Phrases
    times: Phrases
    months: Phrases
    date_joiners: Phrases
    year_joiners: Phrases
    years_before: Phrases
    years_after: Phrases

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
    return re.compile(
        rf"(?P<time>(?<![\d.,:])(?:[01]?\d|2[0-3])[{times}][0-5]\d(?::[0-5]\d)?(?!\d|[.,]\d))"
        r"|(?P<date>(?<![\d.,/])(?:\d{1,2}(?P<ds>[./])\d{1,2}(?P=ds)(?:\d{4}|\d{2})"
        r"|\d{4}-\d{1,2}-\d{1,2})(?!\d))"
        r"|(?P<fraction>(?<![\d.,/])(?:(?P<whole>\d+) )?(?P<fn>[123])/(?P<fd>[234])(?![\d/]))"
        rf"|(?P<num>(?P<int>{grouped}\d+){decimals})"
        rf"|(?P<word>{_LETTERS})"
        rf"|(?P<sym>[{re.escape(SYMBOLS)}])"
    )


# ----------------------------------------------------------------------------- loading


def expand(entry: str) -> list[str]:
    """Every form an entry spells: "тысяч(а|и|)" → тысяча, тысячи, тысяч."""
    parts = _FORMS.split(entry)
    choices = [parts[k].split("|") if k % 2 else [parts[k]] for k in range(len(parts))]
    return ["".join(c) for c in product(*choices)]


class _Builder:
    """Reads the sections of one vocabulary file, tokenizing entries like the text."""

    def __init__(self, language: str, data: Mapping[str, Any]) -> None:
        self.language = language
        self.data = data
        text = data.get("text") or {}
        digits = data.get("digits") or {}
        self.thousands = "".join(fold(str(c)) for c in digits.get("thousands") or ())
        self.decimal = "".join(fold(str(c)) for c in digits.get("decimal") or ())
        if set(self.thousands) & set(self.decimal):
            raise ValueError(f"numbers/{language}: a separator is both thousands and decimal")
        self.time = "".join(fold(str(c)) for c in digits.get("time") or (":",))
        folds = str.maketrans(
            {fold(str(a)): fold(str(b)) for a, b in (text.get("letter_folds") or {}).items()}
        )
        proclitics = tuple(fold(str(p)) for p in text.get("proclitics") or ())
        self.tokenizer = Tokenizer(self.thousands, self.decimal, self.time, folds,
                                   bool(text.get("strip_marks")), proclitics)  # fmt: skip

    def section(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        return node

    def forms(self, entries: Iterable[Any]) -> list[str]:
        return [fold(form) for e in entries for form in expand(str(e))]

    def phrase(self, form: str, label: str, value: float = 0.0) -> Phrase:
        words = form.split()
        elided = words.pop() if len(words) > 1 and words[-1].endswith("'") else ""
        form = " ".join(words)
        toks = self.tokenizer(form)
        if not toks:
            raise ValueError(f"numbers/{self.language}: {form!r} has no word")
        attached = tuple(toks[k].start == toks[k - 1].end for k in range(1, len(toks)))
        dot = form.rstrip().endswith(".")
        return Phrase(tuple(t.key for t in toks), attached, dot, label, value, elided)

    def phrases(self, path: str, label: str = "") -> Phrases:
        return Phrases(self.phrase(f, label) for f in self.forms(self.section(path) or ()))

    def labelled(self, path: str, labels: Iterable[str] | None = None) -> Phrases:
        """A mapping label → entries (hedges by qualifier, units by unit)."""
        body = self.section(path) or {}
        found: list[Phrase] = []
        for label, entries in body.items():
            if labels is not None and label not in labels:
                raise ValueError(f"numbers/{self.language}: unknown {path} {label!r}")
            found += [self.phrase(f, str(label)) for f in self.forms(entries or ())]
        return Phrases(found)

    def valued(self, path: str, label: str) -> list[Phrase]:
        body = self.section(path) or {}
        return [self.phrase(f, label, float(v)) for e, v in body.items() for f in self.forms([e])]

    def word(self, form: str) -> str:
        toks = self.tokenizer(form)
        if len(toks) != 1:
            raise ValueError(f"numbers/{self.language}: {form!r} must be one word")
        return toks[0].key

    def words(self, path: str) -> frozenset[str]:
        return frozenset(self.word(f) for f in self.forms(self.section(path) or ()))

    def table(self, path: str) -> dict[str, float]:
        body = self.section(path) or {}
        return {self.word(f): float(v) for e, v in body.items() for f in self.forms([e])}

    def build(self) -> Lexicon:
        number_words: dict[str, tuple[str, float]] = {}
        for place in PLACES:
            for k, v in self.table(f"number_words.{place}").items():
                number_words[k] = (place, v)
        pairs = [p for p in self.section("ranges.pairs") or () if len(p) == 2]
        openers = Phrases(
            self.phrase(f, str(n)) for n, (o, _) in enumerate(pairs) for f in self.forms([o])
        )
        closers = tuple(Phrases(self.phrase(f, "") for f in self.forms([c])) for _, c in pairs)
        qualifiers = [q.value for q in Qualifier]
        b = self
        return Lexicon(
            language=self.language,
            spelled=str(self.data.get("spelled") or "words"),
            tokenize=self.tokenizer,
            number_words=number_words,
            joiners=b.words("number_words.joiners"),
            scales=b.table("scales"),
            dotted=frozenset(b.word(f) for f in b.forms(b.section("scales") or {})
                             if f.endswith(".")),  # fmt: skip
            weak_ones=b.words("weak_ones"),
            articles=b.words("articles"),
            fractions=b.table("fractions"),
            multipliers=b.table("multipliers"),
            vague_joiners=b.words("vague_joiners"),
            ordinal_words=b.words("ordinals.words"),
            ordinal_suffixes=frozenset(b.word(f) for f in b.forms(b.section("ordinals.suffixes")
                                                                  or ())),  # fmt: skip
            not_numbers=b.words("not_numbers"),
            blockers=b.words("ranges.blockers"),
            bare_years=bool(b.section("years.bare")),
            counts=Phrases(
                b.valued("counts.fixed", "fixed")
                + b.valued("counts.approximate", "approximate")
                + b.valued("counts.vague", "vague")
                + [b.phrase(f, "ignore") for f in b.forms(b.section("ignore") or ())]
            ),
            hedges_before=b.labelled("hedges.before", qualifiers),
            hedges_after=b.labelled("hedges.after", qualifiers),
            openers=openers,
            closers=closers,
            infixes=b.phrases("ranges.infix"),
            units=b.labelled("units", UNITS),
            percent=b.phrases("percent"),
            money_before=b.labelled("money.before", ("usd", "other")),
            money_after=b.labelled("money.after", ("usd", "other")),
            durations=b.phrases("durations"),
            ages_before=b.phrases("ages.before"),
            ages_after=b.phrases("ages.after"),
            times=b.phrases("times"),
            months=b.phrases("months"),
            date_joiners=b.phrases("dates.joiners"),
            year_joiners=b.phrases("dates.year_joiners"),
            years_before=b.phrases("years.before"),
            years_after=b.phrases("years.after"),
        )


def language_code(language: str) -> str:
    """ "en-GB", "EN", "pt_BR" → "en", "en", "pt"."""
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] or "en"


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled vocabulary of `language`; English when the language has no file (digits and
    English words are a better reading than none)."""
    code = language_code(language)
    data = vocab.load("numbers", code)
    if not data:
        code, data = "en", vocab.load("numbers", "en")
    return _Builder(code, data).build()
