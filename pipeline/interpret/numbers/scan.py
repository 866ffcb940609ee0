"""From atoms to mentions: ranges, hedges, units, and what kind of number each one is.

A number's kind is read from the words around it, the same way in every language: a month
name next to it makes a date, "-year-old" an age, "km" a measurement, "years" a duration; only
counts and measurements are what the model may choose for a field, so a year or a date must
never pass for a count. The words themselves are the vocabulary's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.interpret.numbers.intervals import UNITS, NumberPhraseError, interval
from pipeline.interpret.numbers.lexicon import Lexicon, lexicon
from pipeline.interpret.numbers.ranges import Core, blocked, ranges
from pipeline.interpret.numbers.spelled import atoms
from pipeline.interpret.numbers.tokens import NEAR_GAP, Atom, Hit, Phrase, Phrases, Tok, gap
from pipeline.text import _FOLDS, fold
from schemas import NumberKind, NumberMention, Qualifier, Quantity, Unit

_DATE_GAP = re.compile(r"\.?[\s\-]*")  # "14. Oktober", "14 октября", "14-16 October"
_YEAR_GAP = re.compile(r",?\s*")  # "October 14, 2024"
_COUNTED = frozenset({NumberKind.COUNT, NumberKind.DURATION, NumberKind.AGE})
_NO_PHRASE = Phrase(("",), (), False, "")
_KINDS = {
    "age": NumberKind.AGE,
    "percent": NumberKind.PERCENT,
    "money": NumberKind.MONEY,
    "unit": NumberKind.MEASURE,
    "duration": NumberKind.DURATION,
}


@dataclass(frozen=True, slots=True)
class _Reading:
    mention: NumberMention
    last: int  # last token it covers
    as_count: Quantity | None  # a year read as a plain number, for parse_quantity


def find_numbers(text: str, language: str) -> list[NumberMention]:
    """Every number phrase in text, left to right, non-overlapping. The span includes a hedge
    written just before it ("at least seven", "более 20", "أكثر من 100"), a hedge after it
    ("20 or more"), and its unit ("4,000 kilometres", "350 kg", "2,500 miles"). Ranges are one
    mention ("200 to 300", "200-300", "between 200 and 300", "від 20 до 30"). Spelled-out
    numbers ("seven", "twenty-one", "a dozen", "two dozen", "half a million", "п'ятеро",
    "عشرات") and vague amounts ("dozens", "hundreds", "tens of thousands", "several", "a few",
    "десятки", "des dizaines", "decenas", "δεκάδες") are mentions too. Each mention gets a
    NumberKind: COUNT, MEASURE (has a length/area/weight unit), YEAR, DATE ("Oct. 14",
    "14 октября", "17 أكتوبر"), TIME ("19:00", "6:30 a.m."), ORDINAL ("second", "3rd", "2-й"),
    MONEY, PERCENT, DURATION ("three years", "18 months"), AGE ("12-year-old"); quantity is
    None for YEAR/DATE/TIME/ORDINAL and set for the rest. Offsets are Python indices into
    `text` (the original, not folded)."""
    return [r.mention for r in _scan(text, language)]


def parse_quantity(phrase: str, language: str = "en") -> Quantity:
    """The interval of one phrase; raises NumberPhraseError when it holds no number.

    The phrase's first amount is read (a year-like "2000" as the count it was copied as);
    `Quantity.phrase` is the phrase as given."""
    for reading in _scan(phrase, language):
        quantity = reading.mention.quantity or reading.as_count
        if quantity is not None:
            return replace(quantity, phrase=phrase)
    raise NumberPhraseError(f"no number in {phrase!r}")


def _scan(text: str, language: str) -> list[_Reading]:
    lex = lexicon(language)
    folded = _fold(text)  # same length as text: offsets carry over
    toks = lex.tokenize(folded)
    cores = ranges(folded, toks, atoms(folded, toks, lex), lex)
    found: list[_Reading] = []
    floor = 0  # the first token the next mention may take
    for core in cores:
        if core.first < floor:
            continue  # taken by the previous mention's words ("14 October 2024")
        reading = _Context(text, folded, toks, lex, floor).read(core)
        if reading is not None:
            found.append(reading)
            floor = reading.last + 1
    return found


def _fold(text: str) -> str:
    """`pipeline.text.fold`, fast: str.lower maps character for character unless a letter
    lengthens ("İ") or a capital sigma is read by its place (Greek final ς)."""
    lowered = text.lower()
    if len(lowered) != len(text) or "Σ" in text:
        return fold(text)
    return lowered.translate(_FOLDS)


# ----------------------------------------------------------------------------- context


class _Context:
    """Reads one core in its text: the words before and after it decide its kind."""

    def __init__(
        self, text: str, folded: str, toks: Sequence[Tok], lex: Lexicon, floor: int
    ) -> None:
        self.text, self.folded, self.toks, self.lex, self.floor = text, folded, toks, lex, floor

    def after(self, words: Phrases, j: int, end: int) -> Hit | None:
        """The phrase of `words` right after token j (whose span ends at `end`)."""
        k = j + 1
        if k >= len(self.toks) or not NEAR_GAP.fullmatch(self.folded[end : self.toks[k].start]):
            return None
        return words.at(self.folded, self.toks, k)

    def before(self, words: Phrases, i: int, start: int) -> Hit | None:
        """The phrase of `words` right before token i (whose span starts at `start`)."""
        hit = words.ending(self.folded, self.toks, i - 1, self.floor) if i > 0 else None
        if hit is None:
            return None
        between = self.folded[hit.end : start]
        if hit.phrase.elided:  # "plus d'un millier": the number took the "d'"
            fits = between.endswith(hit.phrase.elided) and NEAR_GAP.fullmatch(
                between[: len(between) - len(hit.phrase.elided)])  # fmt: skip
            return hit if fits else None
        return hit if NEAR_GAP.fullmatch(between) else None

    def mention(
        self, start: int, end: int, last: int, kind: NumberKind,
        quantity: Quantity | None = None, as_count: Quantity | None = None,
    ) -> _Reading:  # fmt: skip
        words = self.text[start:end]
        return _Reading(NumberMention(start, end, words, kind, quantity), last, as_count)

    def read(self, core: Core) -> _Reading | None:
        low, lex = core.low, self.lex
        if low.role in ("time", "date"):
            kind = NumberKind.TIME if low.role == "time" else NumberKind.DATE
            hit = self.after(lex.times, core.last, core.end) if low.role == "time" else None
            end, last = (hit.end, hit.last) if hit else (core.end, core.last)
            return self.mention(core.start, end, last, kind)
        if low.role == "ignore":
            return None
        digits = self.toks[low.first].kind == "num" and low.first == low.last
        if digits and self._designation(low):
            return None  # "Su-25", "F-16", "Ту-95": a model, not a number
        year = self._year_like(core)
        if year and (hit := self.after(lex.years_after, core.last, core.end)) is not None:
            return self.mention(core.start, hit.end, hit.last, NumberKind.YEAR)
        if low.role == "ordinal" or (digits and core.high is None and self._suffix(core)):
            return self._ordinal(core)
        dated = self._date(core)
        if dated is not None:
            return dated
        if digits and core.high is None and low.plain and low.value <= 24:
            hit = self.after(lex.times, core.last, core.end)
            if hit is not None:
                return self.mention(core.start, hit.end, hit.last, NumberKind.TIME)
        return self._amount(core, year)

    def _designation(self, low: Atom) -> bool:
        if low.first == 0:
            return False
        prev = self.toks[low.first - 1]
        joined = gap(self.folded, self.toks, low.first - 1, low.first) in ("", "-")
        if prev.kind != "word" or not joined or prev.key in self.lex.prefixes:
            return False  # "و30", "الـ24": a conjunction or an article, not a model name
        year = 1800 <= low.value <= 2100 and low.plain  # "mid-2023" is a year
        return not (year and self.lex.years_before.at(self.folded, self.toks, low.first - 1))

    def _suffix(self, core: Core) -> Hit | None:
        k = core.last + 1
        if k >= len(self.toks) or self.toks[k].kind not in ("word", "sym"):
            return None
        if gap(self.folded, self.toks, core.last, k) not in ("", "-", "."):  # 2-й, 1.º
            return None
        if self.toks[k].key not in self.lex.ordinal_suffixes:
            return None
        return Hit(_NO_PHRASE, k, k, self.toks[k].start, self.toks[k].end)

    def _ordinal(self, core: Core) -> _Reading:
        suffix = self._suffix(core) if core.low.role != "ordinal" else None
        last, end = (suffix.last, suffix.end) if suffix else (core.last, core.end)
        day = core.low.value if core.low.value == int(core.low.value) else 0
        if 1 <= day <= 31:
            dated = self._day_month(core, last, end)
            if dated is not None:
                return dated
        return self.mention(core.start, end, last, NumberKind.ORDINAL)

    # --- dates and years

    def _year_like(self, core: Core) -> bool:
        def year(a: Atom | None) -> bool:
            return a is not None and a.plain and 1800 <= a.value <= 2100 and a.value == int(a.value)

        return year(core.low) and (core.high is None or year(core.high))

    def _day(self, core: Core) -> bool:
        values = [core.low] + ([core.high] if core.high else [])
        return all(a.role in ("num", "ordinal") and a.value == int(a.value) and 1 <= a.value <= 31
                   and (a.plain or self.toks[a.first].kind == "word") for a in values)  # fmt: skip

    def _date(self, core: Core) -> _Reading | None:
        lex = self.lex
        if self._day(core):
            dated = self._day_month(core, core.last, core.end)
            if dated is not None:
                return dated
        if not (self._day(core) or (self._year_like(core) and core.high is None)):
            return None
        month = lex.months.ending(self.folded, self.toks, core.first - 1, self.floor)
        if month is None or not _DATE_GAP.fullmatch(self.folded[month.end : core.start]):
            return None
        last, end = core.last, core.end
        if self._day(core):  # "Oct. 14, 2024"
            last, end = self._year_after(last, end, _YEAR_GAP)
        return self.mention(month.start, end, last, NumberKind.DATE)

    def _day_month(self, core: Core, last: int, end: int) -> _Reading | None:
        """ "14 октября", "14 de octubre de 2024", "17 أكتوبر", "the 14th of October"."""
        lex, j, e = self.lex, last, end
        joiner = self.after(lex.date_joiners, j, e)
        if joiner is not None:
            j, e = joiner.last, joiner.end
        k = j + 1
        if k >= len(self.toks) or not _DATE_GAP.fullmatch(self.folded[e : self.toks[k].start]):
            return None
        month = lex.months.at(self.folded, self.toks, k)
        if month is None:
            return None
        last, end = self._year_after(month.last, month.end, _YEAR_GAP)
        return self.mention(core.start, end, last, NumberKind.DATE)

    def _year_after(self, j: int, end: int, between: re.Pattern[str]) -> tuple[int, int]:
        lex = self.lex
        joiner = self.after(lex.year_joiners, j, end)
        k = joiner.last + 1 if joiner else j + 1
        e = joiner.end if joiner else end
        if k >= len(self.toks) or not between.fullmatch(self.folded[e : self.toks[k].start]):
            return j, end
        t = self.toks[k]
        if t.kind != "num" or not t.plain or not 1000 <= t.value <= 2100:
            return j, end
        tail = self.after(lex.years_after, k, t.end)
        return (tail.last, tail.end) if tail else (k, t.end)

    def _is_year(self, core: Core, hedged: bool) -> bool:
        lex = self.lex
        if hedged:
            return False
        if self.before(lex.years_before, core.first, core.start) is not None:
            return True
        if self._kind_after(core, core.last, core.end) is not None:
            return False
        k = core.last + 1
        loose = k >= len(self.toks) or self.toks[k].kind != "word" or not NEAR_GAP.fullmatch(
            gap(self.folded, self.toks, core.last, k))  # fmt: skip
        return lex.bare_years or loose

    # --- amounts

    def _kind_after(self, core: Core, j: int, end: int) -> tuple[NumberKind, str, Hit] | None:
        """The words after an amount that give its kind ("km", "%", "dollars", "years"), with
        the label they carry ("km", "usd")."""
        lex = self.lex
        hit = self.after(lex.kinds_after, j, end)
        if hit is None and (core.low.role in ("vague", "approximate") or core.low.scale > 1):
            joiner = j + 1 < len(self.toks) and self.toks[j + 1].key in lex.vague_joiners
            if joiner:  # "hundreds of kilometres", "7 milliards de dollars"
                hit = self.after(lex.kinds_after, j + 1, self.toks[j + 1].end)
        if hit is None:
            return None
        kind, _, label = hit.phrase.label.partition(":")
        return _KINDS[kind], label, hit

    def _amount(self, core: Core, year: bool) -> _Reading | None:
        lex = self.lex
        first, start = core.first, core.start
        money = self.before(lex.money_before, first, start)
        if money is not None:
            first, start = money.first, money.start
        hedge = None if core.changed else self.before(lex.hedges_before, first, start)
        if (
            hedge is not None
            and hedge.phrase.label == Qualifier.UP_TO.value
            and blocked(self.folded, self.toks, hedge.first, lex)
        ):
            hedge = None  # "зросла до 57": the toll rose *to* 57, not "up to 57"
        if hedge is not None:
            first, start = hedge.first, hedge.start
        age = self.before(lex.ages_before, first, start)
        if age is not None:
            first, start = age.first, age.start
        if year and money is None and age is None and self._is_year(core, hedge is not None):
            count = self._quantity(core, NumberKind.COUNT, Qualifier.EXACT, Unit.COUNT, 1.0,
                                   self.text[core.start : core.end])  # fmt: skip
            return self.mention(core.start, core.end, core.last, NumberKind.YEAR,
                                as_count=count)  # fmt: skip
        last, end = core.last, core.end
        kind, unit, factor = NumberKind.COUNT, Unit.COUNT, 1.0
        found = self._kind_after(core, last, end)
        if found is None and self._glued(core):
            return None  # "5G", "3D", "4x4": a name with a number in it
        if found is not None:
            kind, label, hit = found
            last, end = hit.last, hit.end
            if kind is NumberKind.MEASURE:
                unit, factor = UNITS[label]
            elif kind is NumberKind.PERCENT:
                unit = Unit.PERCENT
            elif kind is NumberKind.MONEY:
                unit = Unit.USD if label == "usd" else Unit.COUNT
        if money is not None:
            kind, unit = NumberKind.MONEY, (Unit.USD if money.phrase.label == "usd" else Unit.COUNT)
        if age is not None:
            kind = NumberKind.AGE
        tail = self.after(lex.hedges_after, last, end)
        if tail is not None:
            last, end = tail.last, tail.end
        qualifier = self._qualifier(core, hedge or tail, kind)
        if qualifier is None:
            return None  # an article that only looks like "one" ("un homme", "ein Mann")
        quantity = self._quantity(core, kind, qualifier, unit, factor, self.text[start:end])
        return self.mention(start, end, last, kind, quantity)

    def _glued(self, core: Core) -> bool:
        """Digits with letters stuck to them that no vocabulary reads."""
        k = core.last + 1
        if k >= len(self.toks) or self.toks[k].kind != "word":
            return False
        digits = self.toks[core.last].kind == "num"
        return digits and self.toks[k].start == self.toks[core.last].end

    def _qualifier(self, core: Core, hedge: Hit | None, kind: NumberKind) -> Qualifier | None:
        if core.high is not None:
            return Qualifier.RANGE
        if hedge is not None:
            return Qualifier(hedge.phrase.label)
        role = core.low.role
        if role == "vague":
            return Qualifier.VAGUE
        if role == "approximate":
            return Qualifier.ABOUT
        if role == "weak" and kind is NumberKind.COUNT:
            return None
        return Qualifier.EXACT

    def _quantity(self, core: Core, kind: NumberKind, qualifier: Qualifier, unit: Unit,
                  factor: float, phrase: str) -> Quantity:  # fmt: skip
        high = core.high.value if core.high is not None else None
        lo, hi = interval(core.low.value, core.low.step, qualifier, counted=kind in _COUNTED,
                          factor=factor, high=high)  # fmt: skip
        return Quantity(lo, hi, qualifier, unit, phrase)
