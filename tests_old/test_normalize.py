"""pipeline.normalize: number phrases → inclusive intervals, and the char-for-char fold."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from pipeline.normalize import (
    KM2_PER_SQUARE_MILE,
    KM_PER_MILE,
    NumberPhraseError,
    contains_number,
    fold,
    has_number,
    number_spans,
    parse_quantity,
)
from schemas import Qualifier, Unit

FAST = settings(max_examples=150, deadline=None)


def interval(phrase: str) -> tuple[float, float | None]:
    q = parse_quantity(phrase)
    return q.value_min, q.value_max


# --- concrete cases from the spec -------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "lo", "hi", "qualifier"),
    [
        ("seven", 7, 7, Qualifier.EXACT),
        ("Seven", 7, 7, Qualifier.EXACT),
        ("69", 69, 69, Qualifier.EXACT),
        ("a dozen", 12, 12, Qualifier.EXACT),
        ("half a dozen", 6, 6, Qualifier.EXACT),
        ("a couple of", 2, 2, Qualifier.EXACT),
        ("1 1/2", 1.5, 1.5, Qualifier.EXACT),
        ("twenty-one", 21, 21, Qualifier.EXACT),
        ("one hundred and five", 105, 105, Qualifier.EXACT),
        ("a hundred", 100, 100, Qualifier.EXACT),
        ("1.5 million", 1_500_000, 1_500_000, Qualifier.EXACT),
        ("at least seven", 7, None, Qualifier.AT_LEAST),
        ("no fewer than 12", 12, None, Qualifier.AT_LEAST),
        ("104 or more", 104, None, Qualifier.AT_LEAST),
        ("40-plus", 40, None, Qualifier.AT_LEAST),
        # counts are integers: "more than 60" means 61 at the least
        ("more than 60", 61, None, Qualifier.MORE_THAN),
        ("over 40", 41, None, Qualifier.MORE_THAN),
        ("more than 104", 105, None, Qualifier.MORE_THAN),
        ("more than a dozen", 13, None, Qualifier.MORE_THAN),
        # "about n" → n ± 10 %, widened outwards to whole numbers for counts
        ("about 450", 405, 495, Qualifier.ABOUT),
        ("around 1,000", 900, 1100, Qualifier.ABOUT),
        ("some 25", 22, 28, Qualifier.ABOUT),
        # "nearly n" → [0.9 n, n): for counts the top is n - 1
        ("nearly 100", 90, 99, Qualifier.NEARLY),
        ("almost 50", 45, 49, Qualifier.NEARLY),
        ("up to 30", 0, 30, Qualifier.UP_TO),
        ("as many as 30", 0, 30, Qualifier.UP_TO),
        ("less than 10", 0, 9, Qualifier.LESS_THAN),
        ("fewer than two", 0, 1, Qualifier.LESS_THAN),
    ],
)
def test_parse_quantity_concrete(phrase, lo, hi, qualifier):
    q = parse_quantity(phrase)
    assert (q.value_min, q.value_max) == (lo, hi)
    assert q.qualifier is qualifier
    assert q.unit is Unit.COUNT
    assert q.phrase == phrase


@pytest.mark.parametrize(
    ("phrase", "lo"),
    [
        ("dozens", 12),  # ACLED: dozens → 12 as the lower bound
        ("dozens of", 12),
        ("hundreds", 100),
        ("thousands", 1_000),
        ("tens of thousands", 10_000),
        ("hundreds of thousands", 100_000),
        ("several", 3),
        ("a few", 2),
        ("scores", 20),
    ],
)
def test_vague_words_are_open_lower_bounds(phrase, lo):
    q = parse_quantity(phrase)
    assert q.qualifier is Qualifier.VAGUE
    assert q.value_min == lo
    assert q.value_max is None


def test_about_interval_contains_value_and_is_bounded():
    lo, hi = interval("about 450")
    assert hi is not None
    assert lo < 450 < hi
    assert hi - lo <= 0.2 * 450 + 2


def test_nearly_interval_lies_just_below_value():
    lo, hi = interval("nearly 100")
    assert hi is not None
    assert 90 <= lo <= hi < 100


def test_miles_convert_to_km():
    q = parse_quantity("2,500 miles")
    assert q.unit is Unit.KM
    assert q.qualifier is Qualifier.EXACT
    assert q.value_max is not None
    assert q.value_min < 2500 * KM_PER_MILE < q.value_max
    assert (q.value_min + q.value_max) / 2 == pytest.approx(4023.36, abs=0.01)
    # the rounding step of "2,500" is 100 → ±50 miles
    assert q.value_min == pytest.approx(2450 * KM_PER_MILE, abs=1e-3)
    assert q.value_max == pytest.approx(2550 * KM_PER_MILE, abs=1e-3)


def test_square_miles_convert_to_km2():
    q = parse_quantity("5 square miles")
    assert q.unit is Unit.KM2
    assert q.value_max is not None
    assert q.value_min < 12.95 < q.value_max
    assert (q.value_min + q.value_max) / 2 == pytest.approx(5 * KM2_PER_SQUARE_MILE, abs=1e-3)
    assert q.value_max - q.value_min == pytest.approx(0.1 * 5 * KM2_PER_SQUARE_MILE, abs=2e-3)


def test_exact_measurement_half_step_capped_at_five_percent():
    # the code's own example: "4,000 km" → 3800..4200 (±5 %, smaller than the ±500 step)
    assert interval("4,000 km") == (3800, 4200)
    assert interval("12.5 km") == pytest.approx((12.45, 12.55))
    # kilometres win over the miles in brackets
    q = parse_quantity("more than 7,000 kilometers (4,300 miles)")
    assert (q.unit, q.value_min, q.value_max) == (Unit.KM, 7000, None)


def test_km_and_miles_of_same_distance_overlap():
    assert parse_quantity("4,000 km").overlaps(parse_quantity("2,500 miles"))
    assert not parse_quantity("4,000 km").overlaps(parse_quantity("2,000 miles"))


@pytest.mark.parametrize(
    ("phrase", "unit"),
    [
        ("10 sq km", Unit.KM2),
        ("10 km²", Unit.KM2),
        ("at least 1,000 square kilometres", Unit.KM2),
        ("$7 billion", Unit.USD),
        ("5 dollars", Unit.USD),
        ("3.5%", Unit.PERCENT),
        ("5 per cent", Unit.PERCENT),
        ("12 kilometres", Unit.KM),
    ],
)
def test_units(phrase, unit):
    assert parse_quantity(phrase).unit is unit


def test_more_than_a_measurement_is_not_rounded_up():
    assert interval("more than 1.5 km") == (1.5, None)
    assert interval("more than 60 km") == (60, None)


def test_typography_in_phrase_is_folded():
    assert interval("More\u00a0than 60") == (61, None)
    assert interval("  at   least  seven ") == (7, None)


@pytest.mark.parametrize("phrase", ["", "no", "none of them", "someone", "  "])
def test_no_number_raises(phrase):
    with pytest.raises(NumberPhraseError):
        parse_quantity(phrase)
    assert contains_number(phrase) is False


def test_contains_and_has_number():
    assert contains_number("more than 40 planes")
    assert contains_number("dozens")
    assert has_number("Russia fired seven missiles")
    assert has_number("dozens of people were hurt")
    assert not has_number("Britain will build new submarines")
    assert not has_number("someone said it often")


def test_number_spans_offsets_and_values():
    text = "Over 40 planes, 4,300 miles and twenty-one drones; a dozen"
    spans = number_spans(text)
    assert [(text[s:e], v) for s, e, v in spans] == [
        ("40", 40),
        ("4,300", 4300),
        ("twenty-one", 21),
        ("a dozen", 12),
    ]


def test_number_spans_offsets_survive_curly_typography():
    text = "Zelenskyy’s office — “seven” drones\u00a0and 69 people"
    spans = number_spans(text)
    assert [(text[s:e], v) for s, e, v in spans] == [("seven", 7), ("69", 69)]


# --- readings that were once wrong (regressions) ---------------------------------------------


def test_two_dozen_is_24():
    assert interval("two dozen") == (24, 24)


def test_half_a_million_is_500000():
    assert interval("half a million") == (500_000, 500_000)


def test_bare_fraction_is_half():
    assert interval("1/2") == (0.5, 0.5)


def test_num2words_comma_form():
    assert interval(num2words(1234)) == (1234, 1234)  # 'one thousand, two hundred and thirty-four'


# --- properties -------------------------------------------------------------------------------

# num2words as the oracle, as it writes ("one thousand, two hundred and thirty-four") and in the
# variants articles and models write.
VARIANTS = {
    "num2words": lambda w: w,
    "no commas": lambda w: w.replace(",", ""),
    "no and": lambda w: w.replace(",", "").replace(" and ", " "),
    "no hyphens": lambda w: w.replace(",", "").replace("-", " "),
    "upper": lambda w: w.replace(",", "").upper(),
    "title": lambda w: w.replace(",", "").capitalize(),
}


@FAST
@given(n=st.integers(0, 999_999), variant=st.sampled_from(sorted(VARIANTS)))
def test_spelled_out_numbers_match_num2words(n, variant):
    phrase = VARIANTS[variant](num2words(n))
    q = parse_quantity(phrase)
    assert (q.value_min, q.value_max) == (n, n), phrase
    assert q.qualifier is Qualifier.EXACT
    assert q.unit is Unit.COUNT


@FAST
@given(n=st.integers(0, 10**12))
def test_digits_with_thousands_separators_round_trip(n):
    assert interval(f"{n:,}") == (n, n)
    assert interval(str(n)) == (n, n)


@FAST
@given(n=st.integers(0, 999_999))
def test_spelled_number_with_qualifier(n):
    words = num2words(n).replace(",", "")
    assert interval(f"at least {words}") == (n, None)
    assert interval(f"more than {words}") == (n + 1, None)


UNITS = [("", Unit.COUNT, 1.0), (" km", Unit.KM, 1.0), (" miles", Unit.KM, KM_PER_MILE)]
QUALIFIERS = [
    ("", Qualifier.EXACT),
    ("at least ", Qualifier.AT_LEAST),
    ("more than ", Qualifier.MORE_THAN),
    ("over ", Qualifier.MORE_THAN),
    ("about ", Qualifier.ABOUT),
    ("around ", Qualifier.ABOUT),
    ("approximately ", Qualifier.ABOUT),
    ("nearly ", Qualifier.NEARLY),
    ("almost ", Qualifier.NEARLY),
    ("up to ", Qualifier.UP_TO),
    ("at most ", Qualifier.UP_TO),
    ("less than ", Qualifier.LESS_THAN),
    ("fewer than ", Qualifier.LESS_THAN),
    ("under ", Qualifier.LESS_THAN),
]
EPS = 1e-3  # bounds are rounded to 3 decimals after unit conversion


@FAST
@given(
    n=st.integers(1, 5_000_000),
    qualifier=st.sampled_from(QUALIFIERS),
    unit=st.sampled_from(UNITS),
    separators=st.booleans(),
)
def test_qualifier_intervals(n, qualifier, unit, separators):
    prefix, expected_qualifier = qualifier
    suffix, expected_unit, factor = unit
    number = f"{n:,}" if separators else str(n)
    q = parse_quantity(f"{prefix}{number}{suffix}")
    assert q.qualifier is expected_qualifier
    assert q.unit is expected_unit
    lo, hi = q.value_min, q.value_max
    value = n * factor
    counted = expected_unit is Unit.COUNT
    assert lo >= 0
    assert hi is None or lo <= hi
    if expected_qualifier in (
        Qualifier.EXACT,
        Qualifier.AT_LEAST,
        Qualifier.ABOUT,
        Qualifier.UP_TO,
    ):
        # the stated value is inside the interval
        assert lo <= value + EPS
        assert hi is None or value <= hi + EPS
    if expected_qualifier is Qualifier.EXACT:
        assert hi is not None
        if counted:
            assert lo == hi == n
        else:
            assert hi - lo <= 0.1 * value + EPS  # never wider than ±5 %
    elif expected_qualifier is Qualifier.AT_LEAST:
        assert hi is None and lo == pytest.approx(value, abs=EPS)
    elif expected_qualifier is Qualifier.MORE_THAN:
        assert hi is None
        assert lo == (n + 1 if counted else pytest.approx(value, abs=EPS))
    elif expected_qualifier is Qualifier.ABOUT:
        assert hi is not None
        assert lo >= 0.9 * value - 1 - EPS and hi <= 1.1 * value + 1 + EPS
    elif expected_qualifier is Qualifier.NEARLY:
        assert hi is not None
        assert lo >= math.floor(0.9 * value) - EPS
        if counted:
            assert hi == n - 1
        else:
            assert hi == pytest.approx(value, abs=EPS)
    elif expected_qualifier is Qualifier.UP_TO:
        assert lo == 0 and hi == pytest.approx(value, abs=EPS)
    elif expected_qualifier is Qualifier.LESS_THAN:
        assert lo == 0
        assert hi == (n - 1 if counted else pytest.approx(value, abs=EPS))


@FAST
@given(
    value=st.one_of(
        st.integers(0, 10**7).map(str),
        st.integers(0, 10**6).map(lambda n: f"{n:,}"),
        st.integers(0, 999_999).map(lambda n: num2words(n).replace(",", "")),
        st.decimals(0, 10_000, places=2).map(str),
    ),
    unit=st.sampled_from(["", " km", " miles", " square miles"]),
)
def test_at_least_contains_more_than(value, unit):
    at_least = parse_quantity(f"at least {value}{unit}")
    more_than = parse_quantity(f"more than {value}{unit}")
    assert at_least.value_max is None and more_than.value_max is None
    assert at_least.value_min <= more_than.value_min
    assert at_least.unit is more_than.unit


@FAST
@given(st.text())
def test_fold_preserves_length_char_for_char(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold(ch) for ch in text)
    assert fold(folded) == folded


def test_fold_unifies_typography():
    assert fold("Zelenskyy’s “Brilliant” — Op\u00a0Ration") == "zelenskyy's 'brilliant' - op ration"
    # Outlets and models swap single and double quote marks: they fold together.
    assert fold("‘missile strike’") == fold("“missile strike”") == fold('"missile strike"')
    # a letter whose lower case is longer is kept, so the length holds
    assert fold("İstanbul") == "İstanbul"
