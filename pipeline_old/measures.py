"""Which measure each number of a quote counts, read from the words around it.

The small model copies quotes faithfully but often files their numbers under the wrong field
("seven missiles" as drones downed, "more than 60" injured as targets hit). So the measure of a
number is decided here, from the record's verbatim quote, by plain English cues; the model's
fields are only a fallback for numbers whose context says nothing. Pure and explainable: every
`Reading` says why (`why`).

For each number phrase (`normalize.number_spans` and vague counts, widened to the hedge before
it and the unit after it):

1. **Not a count of the event** → rejected: dates and times ("February 2022", "12:50 p.m."),
   durations and ages ("18 months", "1 1/2-year", "three-year war"), fractions ("one fifth"),
   money and percentages, ordinals, model names ("Tu-95"), "one of", "no one", zero, sub-counts
   ("including two children"), combined counts ("killed or injured"), counts of places ("five
   regions"), people with no casualty verb ("388 people on board"), failed attacks
   ("thwarted"), unit conversions in parentheses ("(2,500 miles)").
2. **Units**: square km or miles → `area_km2`; km or miles → `distance_km` only when a distance
   is reached ("... from", "... away", "deep", "inside"); a length used as an adjective
   ("1,000-kilometer front line") is not.
3. **The noun counted**: the first known noun in the next few words ("472 drones", "41 heavy
   bomber jets", "12 Ukrainian service members"); else the noun it stands beside ("drones —
   472"), the whole it is part of ("52 out of 80 drones") or, for "47 of them", the one weapon
   the quote names.
4. **The verb that governs it**: a verb right after the noun phrase ("seven missiles were also
   launched", "60 were injured") wins over the nearest verb before it in the same clause
   ("launched 472 drones and seven missiles", "killing five people and injured nine others");
   "attack on" / "strikes against" count as hitting what follows.
5. **Noun × verb → measure**: drones or missiles shot down, intercepted, destroyed or damaged
   → `*_downed`, launched, fired, used or striking → `*_launched`; aircraft hit, struck,
   destroyed, damaged or downed → `aircraft_hit`; air bases, airfields, targets or any other
   thing hit or destroyed → `targets_hit`; people (or a bare number) killed → `killed`,
   injured → `injured`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from pipeline.normalize import (
    NumberPhraseError,
    fold,
    number_spans,
    parse_quantity,
    qualified_start,
    vague_spans,
)
from schemas import (
    Attack,
    Casualty,
    Measure,
    Quantity,
    Record,
    RecordType,
    TerritorialClaim,
    Unit,
)

RECORD_TYPE_OF: dict[Measure, RecordType] = {
    Measure.KILLED: RecordType.CASUALTY,
    Measure.INJURED: RecordType.CASUALTY,
    Measure.AREA_KM2: RecordType.TERRITORIAL_CLAIM,
} | {
    measure: RecordType.ATTACK
    for measure in Measure
    if measure not in (Measure.KILLED, Measure.INJURED, Measure.AREA_KM2)
}
"""The record type a measure belongs to, whichever record's quote it was read from."""


@dataclass(frozen=True)
class Reading:
    """One number phrase of a quote and what it counts."""

    start: int  # offsets in the quote, hedge and unit included
    end: int
    quantity: Quantity
    measure: Measure | None  # None: rejected, or the context is silent
    why: str
    rejected: bool = False  # the words say it is no count of the event
    from_model: bool = False  # the context was silent; the model's field named the measure

    @property
    def phrase(self) -> str:
        return self.quantity.phrase


Hint = tuple[Measure, Quantity]


# ----------------------------------------------------------------------------- vocabulary


class Kind(StrEnum):
    """What a number counts, by its noun."""

    DRONE = "drone"
    MISSILE = "missile"
    WEAPON = "weapon"
    AIRCRAFT = "aircraft"
    TARGET = "target"
    PEOPLE = "people"
    PLACE = "place"
    OTHER = "other"  # some noun we do not know


class Event(StrEnum):
    KILL = "kill"
    INJURE = "injure"
    LAUNCH = "launch"
    DOWN = "down"  # shot down, intercepted
    DESTROY = "destroy"  # destroyed, damaged: downed for weapons, hit for anything else
    HIT = "hit"
    ATTACK = "attack"  # "attack on", "strikes against"
    FAIL = "fail"  # thwarted, repelled
    COMBINED = "combined"  # "killed or injured": neither measure


_T = TypeVar("_T")


def _words(value: _T, words: str) -> dict[str, _T]:
    return dict.fromkeys(words.split(), value)


_KINDS: dict[str, Kind] = {
    **_words(Kind.DRONE, "drone drones uav uavs shahed shaheds geran gerans"),
    **_words(Kind.MISSILE, "missile missiles rocket rockets iskander iskanders kalibr kalibrs"
                           " kinzhal kinzhals"),
    **_words(Kind.WEAPON, "weapons munitions projectiles bombs shells"),
    **_words(Kind.AIRCRAFT, "aircraft plane planes warplane warplanes airplane airplanes bomber"
                            " bombers jet jets helicopter helicopters fighter"),
    **_words(Kind.TARGET, "airfield airfields airbase airbases base bases target targets"
                          " airport airports facility facilities depot depots refinery"
                          " refineries"),
    **_words(Kind.PEOPLE, "people person persons civilian civilians soldier soldiers servicemen"
                          " servicemembers members troops fighters child children kids women"
                          " men residents passengers workers others police officers rescuers"
                          " firefighters medics journalists militants victims personnel"
                          " volunteers students ukrainians russians"),
    **_words(Kind.PLACE, "region regions oblast oblasts province provinces location locations"
                         " settlement settlements village villages town towns city cities"
                         " district districts area areas country countries sides time times"
                         " round rounds directions"),
}  # fmt: skip
_AIRCRAFT_MODEL = re.compile(r"(tu|su|mig|il|an|a)-\d+\w*")

_EVENTS: dict[str, Event] = {
    **_words(Event.KILL, "killed killing kill kills dead died die dies death deaths perished"),
    **_words(Event.INJURE, "injured injuring injure injures wounded wounding wound hurt"
                           " injuries"),
    **_words(Event.LAUNCH, "launched launching launch launches fired firing used using sent"
                           " sending deployed deploying unleashed unleashing"),
    **_words(Event.DOWN, "downed downing intercepted intercepting neutralised neutralized"
                         " neutralising neutralizing suppressed"),
    **_words(Event.DESTROY, "destroyed destroying destroy damaged damaging damage"),
    **_words(Event.HIT, "hit hitting struck striking strike targeted targeting attacked"
                        " attacking bombed shelled burned burnt disabled"),
    **_words(Event.FAIL, "thwarted repelled repulsed foiled averted"),
}  # fmt: skip
_LAUNCHED = {
    Kind.DRONE: Measure.DRONES_LAUNCHED,
    Kind.MISSILE: Measure.MISSILES_LAUNCHED,
    Kind.WEAPON: Measure.WEAPONS_LAUNCHED,
}
_DOWNED = {Kind.DRONE: Measure.DRONES_DOWNED, Kind.MISSILE: Measure.MISSILES_DOWNED}
_DOWN_PARTICLE = frozenset("shot shooting brought bringing".split())  # + "down"
_ATTACK_NOUNS = frozenset("attack attacks strike strikes airstrike airstrikes raid raids".split())

# Words a number's noun phrase and verb may be separated by: "were also reportedly launched".
_AUXILIARIES = frozenset(
    "were was is are be been being have has had also reportedly allegedly all later then"
    " already that which who to".split()
)
# Words that end a noun phrase after a number, or a clause walked back from it.
_FUNCTION = (
    frozenset(
        "and or but of in on at from to by with across over into onto as than after before when"
        " while since during near inside around for against amid the a an".split()
    )
    | _AUXILIARIES
)
_STOP_BACK = frozenset(
    "with on over in at from by across into onto after before when while since during near"
    " inside around for against amid than".split()
)
_DETERMINERS = frozenset("the its their these those".split())
_REACH = frozenset("from away deep inside into behind beyond".split())
_REACH_BEFORE = frozenset("range distance reach reached flew travelled traveled".split())
_TIME_UNITS = re.compile(
    r"(second|minute|hour|day|night|week|month|year|decade|centur(y|ie))s?(-old)?$"
)
_FRACTIONS = frozenset(
    "half halves third thirds quarter quarters fifth fifths tenth tenths".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_CURRENCY = frozenset(
    "dollars dollar euros euro rubles roubles hryvnias hryvnia pounds yuan".split()
)
_SUBCOUNT = frozenset("including includes among".split())

_UNIT = re.compile(
    r"(?P<sep>\s*-\s*|\s+of\s+|\s*)(?P<unit>square\s+(?:kilomet(?:er|re)s?|km|miles?)|"
    r"sq\.?\s*(?:km|mi)|km2|km²|kilomet(?:er|re)s?|kms?|miles?|percent|per\s+cent|%)(?![a-z])"
)
_SUFFIX = re.compile(r"\s*(?:or more|-?plus)(?![a-z])")
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*|[^\sa-z0-9]")
_DESIGNATION = re.compile(r"[a-z]-$")


# ----------------------------------------------------------------------------- phrases


@dataclass(frozen=True)
class _Phrase:
    start: int
    end: int
    quantity: Quantity
    attached_unit: bool  # "1,000-kilometer": a length used as an adjective


@dataclass(frozen=True)
class _Token:
    text: str  # folded
    start: int
    end: int
    phrase: int | None = None  # the number phrase this token stands for


def number_phrases(quote: str) -> list[tuple[int, int, Quantity]]:
    """Every number phrase of `quote` as (start, end, quantity): hedge and unit included
    ("more than 4,000 kilometers"); model names ("Tu-95") left out."""
    return [(p.start, p.end, p.quantity) for p in _phrases(quote)]


def _phrases(quote: str) -> list[_Phrase]:
    folded = fold(quote)
    found = [(s, e) for s, e, _ in number_spans(quote)]
    found += [
        (s, e) for s, e, _ in vague_spans(quote) if not any(a < e and s < b for a, b in found)
    ]
    phrases: list[_Phrase] = []
    for start, end in sorted(found):
        if _DESIGNATION.search(folded[max(0, start - 3) : start]):
            continue  # "Tu-95", "S-400": a name, not a number of things
        start = max(qualified_start(quote, start, end), phrases[-1].end if phrases else 0)
        attached = False
        unit = _UNIT.match(folded, end)
        vague = not any(ch.isdigit() for ch in folded[start:end]) and bool(
            vague_spans(quote[start:end])
        )
        if unit and (unit.group("sep").strip() != "of" or vague):
            attached = unit.group("sep").strip() == "-"
            end = unit.end()
        suffix = _SUFFIX.match(folded, end)
        if suffix:
            end = suffix.end()
        try:
            quantity = parse_quantity(quote[start:end])
        except NumberPhraseError:
            continue
        phrases.append(_Phrase(start, end, quantity, attached))
    return phrases


def _tokens(folded: str, phrases: Sequence[_Phrase]) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    for n, phrase in enumerate([*phrases, None]):
        stop = phrase.start if phrase else len(folded)
        tokens += [
            _Token(m.group(), at + m.start(), at + m.end())
            for m in _TOKEN.finditer(folded[at:stop])
        ]
        if phrase:
            tokens.append(_Token(folded[phrase.start : phrase.end], phrase.start, phrase.end, n))
            at = phrase.end
    return tokens


# ----------------------------------------------------------------------------- reading


def read(quote: str) -> list[Reading]:
    """Every number phrase of `quote`, with the measure its words give it (or why none)."""
    phrases = _phrases(quote)
    folded = fold(quote)
    tokens = _tokens(folded, phrases)
    readings = []
    for n, phrase in enumerate(phrases):
        k = next(i for i, t in enumerate(tokens) if t.phrase == n)
        measure, why, rejected = _Context(quote, folded, tokens, phrases, k).judge()
        readings.append(Reading(phrase.start, phrase.end, phrase.quantity, measure, why, rejected))
    return readings


def classify(quote: str, hints: Iterable[Hint] = ()) -> list[Reading]:
    """`read`, with the model's fields (`hints`: measure and quantity, as `model_hints` gives
    them) naming the measure of a number whose context is silent. A hint names a number when
    its phrase, found in the quote, overlaps the number's phrase."""
    hints = list(hints)
    folded = fold(quote)
    out = []
    for reading in read(quote):
        if reading.measure is None and not reading.rejected:
            for measure, quantity in hints:
                if _hint_covers(folded, fold(quantity.phrase), reading):
                    reading = Reading(
                        reading.start, reading.end, reading.quantity, measure,
                        f"{reading.why}; the model's field says {measure.value}",
                        from_model=True,
                    )  # fmt: skip
                    break
        out.append(reading)
    return out


def measures_of(record: Record) -> list[Reading]:
    """The numbers of a record's quote that count something, each under its measure."""
    return [
        reading
        for reading in classify(record.evidence.quote, model_hints(record))
        if reading.measure is not None
    ]


def _hint_covers(folded_quote: str, folded_phrase: str, reading: Reading) -> bool:
    phrase = folded_phrase.strip()
    if not phrase:
        return False
    at = folded_quote.find(phrase)
    while at >= 0:
        if at < reading.end and reading.start < at + len(phrase):
            return True
        at = folded_quote.find(phrase, at + 1)
    return False


@dataclass(frozen=True)
class _Found:
    event: Event
    word: str


class _Context:
    """The words around number phrase `k` of a quote, and what they make of it."""

    def __init__(
        self,
        quote: str,
        folded: str,
        tokens: Sequence[_Token],
        phrases: Sequence[_Phrase],
        k: int,
    ) -> None:
        self.quote = quote
        self.folded = folded
        self.tokens = tokens
        self.phrases = phrases
        self.k = k
        phrase_index = tokens[k].phrase
        assert phrase_index is not None
        self.phrase = phrases[phrase_index]

    # -- helpers over tokens

    def _word(self, i: int) -> str:
        return self.tokens[i].text if 0 <= i < len(self.tokens) else ""

    def _is_number(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and self.tokens[i].phrase is not None

    def _prev_word(self) -> str:
        return self._word(self.k - 1)

    def _next_word(self) -> str:
        return self._word(self.k + 1)

    # -- the verdict

    def judge(self) -> tuple[Measure | None, str, bool]:
        quantity = self.phrase.quantity
        rejection = self._rejection()
        if rejection:
            return None, rejection, True
        if quantity.unit is Unit.KM2:
            if self.phrase.attached_unit:
                return None, "an area used as an adjective", True
            return Measure.AREA_KM2, "square kilometers or miles", False
        if quantity.unit is Unit.KM:
            return self._distance()
        kind, noun, noun_end = self._noun()
        if kind is Kind.PLACE:
            return None, f"counts places ({noun!r})", True
        found = self._event(noun_end)
        if found and found.event is Event.FAIL:
            return None, f"a failed attack ({found.word!r})", True
        if found and found.event is Event.COMBINED:
            return None, f"a combined count ({found.word!r})", True
        return self._measure(kind, noun, found)

    def _measure(
        self, kind: Kind | None, noun: str, found: _Found | None
    ) -> tuple[Measure | None, str, bool]:
        event = found.event if found else None
        said = f"noun {noun!r}" if noun else "no noun"
        said += f", verb {found.word!r}" if found else ", no verb"
        if kind is None and event is Event.DOWN:
            kind, noun = self._only_weapon()
            if kind:
                said += f", the quote's only weapon {noun!r}"
        casualty = {Event.KILL: Measure.KILLED, Event.INJURE: Measure.INJURED}
        if kind in (None, Kind.PEOPLE, Kind.OTHER) and event in casualty:
            return casualty[event], said, False
        if kind is Kind.PEOPLE:
            return None, f"{said}: people, but nobody killed or injured", True
        if kind in (Kind.DRONE, Kind.MISSILE, Kind.WEAPON):
            if event in (Event.DOWN, Event.DESTROY) and not self._is_whole():
                return _DOWNED.get(kind), said, False  # no measure counts other weapons downed
            if event in (Event.LAUNCH, Event.HIT, Event.ATTACK) or self._is_whole():
                return _LAUNCHED[kind], said, False
            return None, said, False
        hit = (Event.DOWN, Event.DESTROY, Event.HIT)
        if kind is Kind.AIRCRAFT and event in hit:
            return Measure.AIRCRAFT_HIT, said, False
        if kind is Kind.TARGET and event in (*hit, Event.ATTACK):
            return Measure.TARGETS_HIT, said, False
        if kind is Kind.TARGET and event is None and (strike := self._strike_in_sentence()):
            return Measure.TARGETS_HIT, f"{said}, a strike in the sentence ({strike!r})", False
        if kind is Kind.OTHER and event in (Event.DESTROY, Event.HIT):
            return Measure.TARGETS_HIT, said, False
        return None, said, False

    def _rejection(self) -> str | None:
        quantity = self.phrase.quantity
        folded, start, end = self.folded, self.phrase.start, self.phrase.end
        after = folded[end:]
        prev, nxt = self._prev_word(), self._next_word()
        nxt_word = self._word(self.k + 2) if nxt == "-" else nxt  # "1 1/2-year", "18 months"
        if quantity.unit in (Unit.USD, Unit.PERCENT):
            return "money or a percentage"
        if folded[max(0, start - 1) : start] in ("$", "€", "£") or nxt in _CURRENCY:
            return "money"
        if quantity.value_min == 0 and quantity.value_max == 0:
            return "zero"
        if re.match(r":\d", after) or re.search(r"\d:$", folded[:start]):
            return "a time of day"
        if re.match(r"\s*(a\.?m\.?|p\.?m\.?|gmt|utc)(?![a-z])", after):
            return "a time of day"
        if _TIME_UNITS.match(nxt_word):
            return f"a duration or age ({nxt_word!r})"
        if nxt_word in _FRACTIONS:
            return f"a fraction ({nxt_word!r})"
        if re.match(r"(st|nd|rd|th)(?![a-z])", after):
            return "an ordinal"
        if self._month_before() or nxt_word in _MONTHS:
            return "a date"
        if self._year():
            return "a year"
        if prev == "no":
            return "not a count ('no one')"
        if quantity.value_min == 1 and nxt == "of":
            return "not a count ('one of')"
        if prev in _SUBCOUNT or (prev == "them" and self._word(self.k - 2) == "among"):
            return f"a sub-count ({prev!r})"
        if self._conversion():
            return "a unit conversion of the number before it"
        return None

    def _month_before(self) -> bool:
        i = self.k - 1
        if self._word(i) == ".":  # "Feb. 2"
            i -= 1
        word = self._word(i)
        if word not in _MONTHS:
            return False
        original = self.quote[self.tokens[i].start : self.tokens[i].end]
        return original[:1].isupper()  # "May 16", not "may"

    def _year(self) -> bool:
        text = self.folded[self.phrase.start : self.phrase.end]
        if not re.fullmatch(r"(1[89]|20)\d\d", text.strip()):
            return False
        return self._noun()[0] in (None, Kind.OTHER)  # "in 2022", not "2000 drones"

    def _conversion(self) -> bool:
        """ "4,000 kilometers (2,500 miles)": the same number in another unit."""
        if self._prev_word() != "(" or self.phrase.quantity.unit is Unit.COUNT:
            return False
        before = self.k - 2
        if not self._is_number(before):
            return False
        index = self.tokens[before].phrase
        assert index is not None
        return self.phrases[index].quantity.unit is not Unit.COUNT

    def _distance(self) -> tuple[Measure | None, str, bool]:
        if self.phrase.attached_unit:
            return None, "a length used as an adjective (“1,000-kilometer front line”)", True
        i = self.k + 1
        if self._word(i) == "(":  # "(2,500 miles)", "(miles)"
            while i < len(self.tokens) and self._word(i) != ")":
                i += 1
            i += 1
        if self._word(i) in _REACH:
            return Measure.DISTANCE_KM, f"a distance reached ({self._word(i)!r})", False
        before = {self._word(j) for j in range(self.k - 4, self.k)}
        if before & _REACH_BEFORE or "as far as" in self.folded[: self.phrase.start][-12:]:
            return Measure.DISTANCE_KM, "a distance reached", False
        return None, "a length, not a distance reached", True

    def _noun(self) -> tuple[Kind | None, str, int]:
        """The noun the number counts, and the index of the last token of its phrase."""
        i = self.k + 1
        whole = self._whole_after()
        if whole is not None:
            kind, noun, _ = _Context(
                self.quote, self.folded, self.tokens, self.phrases, whole
            )._noun()
            return kind, noun, self.k  # the verb after belongs to the whole, not the part
        if self._word(i) == "of" and self._word(i + 1) in ("them", "those", "which"):
            kind, noun = self._only_weapon()
            return kind, noun, self.k + 2
        if self._word(i) == "of":  # "dozens of drones", "five of the airfields"
            i += 2 if self._word(i + 1) in _DETERMINERS else 1
        last = self.k  # the noun phrase: the words up to a function word, verb or number
        for j in range(i, min(i + 5, len(self.tokens))):
            word = self._word(j).removeprefix("-")
            if word == "" or self._is_number(j) or not word[0].isalnum():
                break
            if word in _FUNCTION or self._event_at(j):
                break
            last = j
        for j in range(i, last + 1):
            word = self._word(j).removeprefix("-")
            if word == "fighter" and self._word(j + 1) not in ("jet", "jets"):
                return Kind.PEOPLE, word, last
            if word in _KINDS:
                return _KINDS[word], word, last
            if _AIRCRAFT_MODEL.fullmatch(word):
                return Kind.AIRCRAFT, word, last
        if last > self.k:
            return Kind.OTHER, self._word(i).removeprefix("-"), last
        before = self._word(self.k - 1)
        if before in ("—", "-", ":", "(") and self._word(self.k - 2) in _KINDS:
            noun = self._word(self.k - 2)  # "drones — 472"
            return _KINDS[noun], noun, self.k
        return None, "", self.k

    def _whole_after(self) -> int | None:
        """ "52 out of 80 drones", "30 of the 35 missiles": the token of the whole (80, 35)."""
        i = self.k + 1
        if self._word(i) == "out":
            i += 1
        if self._word(i) != "of":
            return None
        i += 1
        if self._word(i) in _DETERMINERS:
            i += 1
        return i if self._is_number(i) else None

    def _is_whole(self) -> bool:
        """ "52 out of 80 drones": 80 is all the drones, launched."""
        i = self.k - 1
        if self._word(i) in _DETERMINERS:
            i -= 1
        if self._word(i) != "of":
            return False
        return self._is_number(i - 1) or (self._word(i - 1) == "out" and self._is_number(i - 2))

    def _only_weapon(self) -> tuple[Kind | None, str]:
        """The weapon the quote speaks of before this number, when it names just one kind."""
        found = {
            _KINDS[t.text]: t.text
            for t in self.tokens[: self.k]
            if _KINDS.get(t.text) in (Kind.DRONE, Kind.MISSILE)
        }
        if len(found) == 1:
            kind, noun = next(iter(found.items()))
            return kind, noun
        return None, ""

    def _strike_in_sentence(self) -> str | None:
        """A word of hitting or attacking in the number's sentence ("The airstrike targeted
        41 bombers spread across five Russian airfields"), unless one says it failed."""
        first, last = self.k, self.k
        while first > 0 and self._word(first - 1) not in (".", "!", "?"):
            first -= 1
        while last + 1 < len(self.tokens) and self._word(last + 1) not in (".", "!", "?"):
            last += 1
        strike = None
        for i in range(first, last + 1):
            found = self._event_at(i)
            if found and found.event is Event.FAIL:
                return None
            if found and found.event in (Event.HIT, Event.DESTROY):
                strike = strike or found.word
            elif self._word(i) in _ATTACK_NOUNS:
                strike = strike or self._word(i)
        return strike

    def _event(self, noun_end: int) -> _Found | None:
        return self._event_after(noun_end) or self._event_before()

    def _event_after(self, noun_end: int) -> _Found | None:
        if self._whole_after() is not None:
            return None
        i = noun_end + 1
        while self._word(i) in _AUXILIARIES:
            i += 1
        found = self._event_at(i)
        if found and found.event in (Event.KILL, Event.INJURE):
            j = i + (2 if found.word.endswith(" down") else 1)
            other = self._event_at(j + 1) if self._word(j) in ("or", "and/or") else None
            if other and other.event in (Event.KILL, Event.INJURE):
                return _Found(Event.COMBINED, f"{found.word} or {other.word}")
        return found

    def _event_at(self, i: int) -> _Found | None:
        word = self._word(i)
        if word in _DOWN_PARTICLE and self._word(i + 1) == "down":
            return _Found(Event.DOWN, f"{word} down")
        if word in ("caught", "catching", "catch", "catches") and self._word(i + 1) == "fire":
            return _Found(Event.HIT, f"{word} fire")
        if word in _EVENTS:
            return _Found(_EVENTS[word], word)
        return None

    def _event_before(self) -> _Found | None:
        """The nearest verb before the number in its clause: "launched 472 drones and seven"."""
        i = self.k - 1
        for _ in range(12):
            if i < 0:
                return None
            word = self._word(i)
            if word == "down" and self._word(i - 1) in _DOWN_PARTICLE:
                return _Found(Event.DOWN, f"{self._word(i - 1)} down")
            found = self._event_at(i)
            if found:
                return found
            if word in _STOP_BACK:
                before = self._word(i - 1)
                if word in ("on", "against") and before in _ATTACK_NOUNS:
                    for j in (i - 2, i - 3):  # "thwarted (additional) attacks on"
                        if _EVENTS.get(self._word(j)) == Event.FAIL:
                            return _Found(Event.FAIL, self._word(j))
                    return _Found(Event.ATTACK, f"{before} {word}")
                if _EVENTS.get(before) == Event.FAIL:  # "attacks thwarted on three bases"
                    return _Found(Event.FAIL, before)
                if word == "with" and (before in _ATTACK_NOUNS or before in _EVENTS):
                    return _Found(Event.LAUNCH, f"{before} with")  # "attacked with 90 drones"
                return None
            if word == "," and self._word(i - 1) in _KINDS:
                i -= 1  # a list: "90 drones, 40 missiles"
            elif word in (".", ";", ":", "!", "?", "(", ")", ",", '"'):
                return None
            i -= 1
        return None


# ----------------------------------------------------------------------------- the model's word


def model_hints(record: Record) -> list[Hint]:
    """The record's own number fields under the measures their field and the model's weapon
    and target name: the fallback when a number's context is silent."""
    pairs: list[tuple[Measure, Quantity | None]]
    if isinstance(record, Casualty):
        pairs = [(Measure.KILLED, record.killed), (Measure.INJURED, record.injured)]
    elif isinstance(record, Attack):
        kind = weapon_kind(record.weapon)
        launched = {"drone": Measure.DRONES_LAUNCHED, "missile": Measure.MISSILES_LAUNCHED}
        downed = {"drone": Measure.DRONES_DOWNED, "missile": Measure.MISSILES_DOWNED}
        pairs = [
            (launched.get(kind or "", Measure.WEAPONS_LAUNCHED), record.launched),
            (Measure.AIRCRAFT_HIT if is_aircraft(record.target) else Measure.TARGETS_HIT,
             record.hit),
            (downed.get(kind or "", Measure.DRONES_DOWNED), record.downed),
            (Measure.DISTANCE_KM, record.distance),
        ]  # fmt: skip
    elif isinstance(record, TerritorialClaim):
        pairs = [(Measure.AREA_KM2, record.area)]
    else:
        pairs = []
    return [(measure, quantity) for measure, quantity in pairs if quantity is not None]


def weapon_kind(weapon: str | None) -> str | None:
    words = (weapon or "").casefold()
    if any(word in words for word in ("drone", "uav", "shahed", "geran")):
        return "drone"
    if "missile" in words or "rocket" in words:
        return "missile"
    return None


_AIRCRAFT = re.compile(
    r"(?<![\w-])(aircraft|(war)?planes?|airplanes?|bombers?|jets?|helicopters?|tu-\d+\w*)\b", re.I
)


def is_aircraft(target: str | None) -> bool:
    """ "41 bombers" counts aircraft; "anti-aircraft systems" does not."""
    return bool(_AIRCRAFT.search(target or ""))
