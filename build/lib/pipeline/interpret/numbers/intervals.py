"""The interval rules: one number, its hedge and its unit → an inclusive interval.

Language-free on purpose: every language's hedges are mapped to a `Qualifier` by its vocabulary,
and the arithmetic lives here once, so that "more than 60", "более 60" and "أكثر من 60" are the
same interval (61..open) and can be compared across outlets.
"""

from __future__ import annotations

import math

from schemas import Qualifier, Unit

KM_PER_MILE = 1.609344
KM2_PER_SQUARE_MILE = 2.589988110336
KG_PER_POUND = 0.45359237

# The unit names vocabularies may use, with the unit they convert to and the factor.
UNITS: dict[str, tuple[Unit, float]] = {
    "km": (Unit.KM, 1.0),
    "m": (Unit.KM, 0.001),
    "mile": (Unit.KM, KM_PER_MILE),
    "km2": (Unit.KM2, 1.0),
    "sq_mile": (Unit.KM2, KM2_PER_SQUARE_MILE),
    "hectare": (Unit.KM2, 0.01),
    "kg": (Unit.KG, 1.0),
    "pound": (Unit.KG, KG_PER_POUND),
    "tonne": (Unit.KG, 1000.0),
}

MEASURE_SHARE = 0.05  # an exact measurement is never read wider than ±5 %
ABOUT_SHARE = 0.10  # "about n" → n ± 10 %


class NumberPhraseError(ValueError):
    """The phrase holds no number we can read."""


def interval(
    value: float,
    step: float,
    qualifier: Qualifier,
    *,
    counted: bool,
    factor: float = 1.0,
    high: float | None = None,
) -> tuple[float, float | None]:
    """The inclusive bounds of a number, in the unit's base (km, km², kg), rounded to 3
    decimals after conversion. `step` is the rounding the writer used ("4,300" → 100), which
    an exact measurement carries; `counted` numbers are whole things, so "more than 60" is 61."""
    lo, hi = _bounds(value, step, qualifier, counted=counted, high=high)
    return _scaled(lo, factor), (None if hi is None else _scaled(hi, factor))


def _bounds(
    n: float, step: float, qualifier: Qualifier, *, counted: bool, high: float | None
) -> tuple[float, float | None]:
    integer = counted and n == int(n)
    if qualifier is Qualifier.RANGE:
        return n, (n if high is None else high)
    if qualifier is Qualifier.VAGUE or qualifier is Qualifier.AT_LEAST:
        return n, None
    if qualifier is Qualifier.EXACT:
        if counted:
            return n, n
        # Half the rounding step, but never more than 5 %: "4,000 km" → 3800..4200.
        half = min(step / 2, n * MEASURE_SHARE)
        return n - half, n + half
    if qualifier is Qualifier.MORE_THAN:
        return (n + 1 if integer else n), None
    if qualifier is Qualifier.ABOUT:
        lo, hi = n * (1 - ABOUT_SHARE), n * (1 + ABOUT_SHARE)
        if integer:  # widened outwards to whole numbers: "about 450" → 405..495
            return math.floor(round(lo, 6)), math.ceil(round(hi, 6))
        return lo, hi
    if qualifier is Qualifier.NEARLY:
        if integer:  # just below n: "nearly 500" → 450..499
            top = max(n - 1, 0)
            return min(math.ceil(round(n * (1 - ABOUT_SHARE), 6)), top), top
        return n * (1 - ABOUT_SHARE), n
    if qualifier is Qualifier.UP_TO:
        return 0, n
    # LESS_THAN
    return 0, (max(n - 1, 0) if integer else n)


def step_of(value: float, decimals: int = 0) -> float:
    """The rounding step of a written number: 4300 → 100, 7 → 1, "1.25" (2 decimals) → 0.01."""
    if decimals:
        return 10.0**-decimals
    if value != int(value):
        return 10.0 ** -len(f"{value:.9f}".rstrip("0").split(".")[1])
    digits = str(int(value))
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0


def _scaled(value: float, factor: float) -> float:
    return round(value * factor, 3)
