"""A language's number vocabulary (`schemas/vocab/numbers/<lang>.yaml`), compiled once.

The vocabulary is data so that a language is added by writing a file, not code. This module
turns the file into tables keyed by folded tokens (see `tokens`), so that reading an article is
a pass of dictionary look-ups rather than hundreds of regular expressions, and checks the file
as it reads it (an unknown qualifier or unit is an error, not a silent miss).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import product
from typing import Any

from pipeline.interpret.numbers.intervals import UNITS
from pipeline.interpret.numbers.tokens import Phrase, Phrases, Tokenizer
from pipeline.text import fold
from schemas import Qualifier, vocab

_FORMS = re.compile(r"\(([^()]*)\)")
PLACES = ("units", "teens", "tens", "hundreds")


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Everything one language's vocabulary says, keyed for look-up."""

    language: str
    spelled: str  # "text2num": the library reads spelled numbers; "words": number_words do
    tokenize: Tokenizer
    number_words: dict[str, tuple[str, float]]  # key → (place, value); place in PLACES
    number_keys: frozenset[str]  # number words and scales: where a spelled number may start
    units_first: bool  # Arabic: "خمسة وعشرون" (five and twenty); elsewhere tens come first
    joiners: frozenset[str]
    prefixes: frozenset[str]  # the proclitics as keys ("الـ" → "ال")
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
    changes: Phrases  # "с" of "с 20 до 31": a change, not a range; label: index of the pair
    change_closers: tuple[Phrases, ...]
    infixes: Phrases
    money_before: Phrases  # label usd | other
    ages_before: Phrases
    kinds_after: Phrases  # all of the words that follow an amount and give its kind, by priority
    starters: frozenset[str]  # keys that may start a vague amount, an ordinal or a multiplier
    times: Phrases
    months: Phrases
    date_joiners: Phrases
    year_joiners: Phrases
    years_before: Phrases
    years_after: Phrases
    word_flags: dict[str, int] = field(default_factory=dict)  # filled as words are met


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

    def tagged(self, path: str, tag: str, labels: Iterable[str]) -> list[Phrase]:
        """A mapping label → entries, each labelled tag + label ("unit:km")."""
        body = self.section(path) or {}
        unknown = set(body) - set(labels)
        if unknown:
            raise ValueError(f"numbers/{self.language}: unknown {path} {sorted(unknown)}")
        return [self.phrase(f, tag + str(k)) for k, v in body.items() for f in self.forms(v or ())]

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

    def pairs(self, path: str) -> tuple[Phrases, tuple[Phrases, ...]]:
        """[[opener, closer], …]: openers labelled by the index of their closers ("між" closes
        with "і", "та" or "й")."""
        grouped: dict[str, list[str]] = {}
        for pair in self.section(path) or ():
            if len(pair) == 2:
                grouped.setdefault(str(pair[0]), []).append(str(pair[1]))
        openers = Phrases(
            self.phrase(f, str(n)) for n, o in enumerate(grouped) for f in self.forms([o])
        )
        closers = tuple(
            Phrases(self.phrase(f, "") for f in self.forms(c)) for c in grouped.values()
        )
        return openers, closers

    def build(self) -> Lexicon:
        number_words: dict[str, tuple[str, float]] = {}
        for place in PLACES:
            for k, v in self.table(f"number_words.{place}").items():
                number_words[k] = (place, v)
        openers, closers = self.pairs("ranges.pairs")
        changes, change_closers = self.pairs("ranges.changes")
        qualifiers = [q.value for q in Qualifier]
        b = self
        counts = Phrases(
            b.valued("counts.fixed", "fixed")
            + b.valued("counts.approximate", "approximate")
            + b.valued("counts.vague", "vague")
            + [b.phrase(f, "ignore") for f in b.forms(b.section("ignore") or ())]
        )
        ordinal_words = b.words("ordinals.words")
        multipliers = b.table("multipliers")
        return Lexicon(
            language=self.language,
            spelled=str(self.data.get("spelled") or "words"),
            tokenize=self.tokenizer,
            number_words=number_words,
            number_keys=frozenset(number_words) | frozenset(b.table("scales")),
            units_first=bool(b.section("number_words.units_first")),
            joiners=b.words("number_words.joiners"),
            prefixes=frozenset(b.tokenizer.key(p) for p in b.tokenizer.proclitics),
            scales=b.table("scales"),
            dotted=frozenset(
                b.word(f) for f in b.forms(b.section("scales") or {}) if f.endswith(".")
            ),
            weak_ones=b.words("weak_ones"),
            articles=b.words("articles"),
            fractions=b.table("fractions"),
            multipliers=multipliers,
            vague_joiners=b.words("vague_joiners"),
            ordinal_words=ordinal_words,
            ordinal_suffixes=frozenset(
                b.word(f) for f in b.forms(b.section("ordinals.suffixes") or ())
            ),
            not_numbers=b.words("not_numbers"),
            blockers=b.words("ranges.blockers"),
            bare_years=bool(b.section("years.bare")),
            counts=counts,
            starters=counts.firsts() | ordinal_words | frozenset(multipliers),
            hedges_before=b.labelled("hedges.before", qualifiers),
            hedges_after=b.labelled("hedges.after", qualifiers),
            openers=openers,
            closers=closers,
            changes=changes,
            change_closers=change_closers,
            infixes=b.phrases("ranges.infix"),
            money_before=b.labelled("money.before", ("usd", "other")),
            kinds_after=Phrases(
                [b.phrase(f, "age:") for f in b.forms(b.section("ages.after") or ())]
                + [b.phrase(f, "percent:") for f in b.forms(b.section("percent") or ())]
                + b.tagged("money.after", "money:", ("usd", "other"))
                + b.tagged("units", "unit:", UNITS)
                + [b.phrase(f, "duration:") for f in b.forms(b.section("durations") or ())]
            ),
            ages_before=b.phrases("ages.before"),
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
