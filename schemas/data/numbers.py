"""Numbers: a number phrase found in a text, its kind, and the interval it reads as (hedge and
unit included)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Qualifier(StrEnum):
    """How the article hedges a number; decides how the number widens into an interval."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    ABOUT = "about"
    NEARLY = "nearly"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    RANGE = "range"  # "200 to 300", "200-300"
    VAGUE = "vague"  # "dozens", "several", "hundreds"


class Unit(StrEnum):
    COUNT = "count"
    KM = "km"
    KM2 = "km2"
    KG = "kg"
    USD = "usd"
    PERCENT = "percent"


class NumberKind(StrEnum):
    """What a number phrase is, before anyone asks what it counts."""

    COUNT = "count"  # "31", "at least seven", "dozens"
    MEASURE = "measure"  # a length, area or weight: "4,000 km", "350 kg"
    YEAR = "year"
    DATE = "date"  # "Oct. 14", "14 октября"
    TIME = "time"  # "19:00", "6:30 a.m."
    ORDINAL = "ordinal"  # "second", "3rd"
    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"  # "three years", "18 months"
    AGE = "age"  # "a 12-year-old"


COUNTABLE_KINDS = frozenset({NumberKind.COUNT, NumberKind.MEASURE})


@dataclass(frozen=True, slots=True)
class Quantity:
    """An inclusive interval ``[value_min, value_max]``; ``value_max`` None means open-ended.
    ``phrase`` is the number exactly as the article wrote it, hedge and unit included."""

    value_min: float
    value_max: float | None
    qualifier: Qualifier
    unit: Unit
    phrase: str


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number phrase found in a text: its span (hedge and unit included) and reading."""

    start: int
    end: int
    text: str
    kind: NumberKind
    quantity: Quantity | None  # None for kinds that are not amounts (years, times…)
