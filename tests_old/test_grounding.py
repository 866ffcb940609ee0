"""pipeline.grounding: a model's quote → the article's own characters and Python offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.grounding import Span, contains, locate, locate_number
from pipeline.normalize import fold
from schemas import Evidence, Match

FAST = settings(max_examples=150, deadline=None)

ARTICLE = (
    "KYIV, Ukraine — President Volodymyr Zelenskyy’s office said the strike on "
    "Kryvyi Rih — Ukraine’s industrial hub — killed 69\u00a0people.\n"
    "“It was a ‘brilliant’ operation,” he said, adding that Russia fired 472 drones – "
    "the most since 2022. Türkiye’s foreign minister, Hakan Fidan, hosted the talks."
)


def found(quote: str, text: str = ARTICLE) -> tuple[str, Match] | None:
    span = locate(quote, text)
    return None if span is None else (text[span.start : span.end], span.match)


@pytest.mark.parametrize(
    "quote",
    [
        "Zelenskyy’s office",
        "Kryvyi Rih — Ukraine",
        "killed 69\u00a0people",
        "Türkiye’s foreign minister, Hakan Fidan",
        "472 drones – the most since 2022.",
    ],
)
def test_exact_quote_gives_exact_offsets(quote):
    span = locate(quote, ARTICLE)
    assert span is not None
    assert span.match is Match.EXACT
    assert span.start == ARTICLE.index(quote)
    assert span.end - span.start == len(quote)
    assert ARTICLE[span.start : span.end] == quote


def test_offsets_are_python_string_indices_not_bytes():
    # everything before "Hakan" has multi-byte UTF-8 characters; offsets must count characters
    span = locate("Hakan Fidan", ARTICLE)
    assert span == Span(
        ARTICLE.index("Hakan Fidan"), ARTICLE.index("Hakan Fidan") + 11, Match.EXACT
    )
    assert len(ARTICLE[: span.start].encode()) > span.start


@pytest.mark.parametrize(
    ("quote", "article_text"),
    [
        ("Zelenskyy's office", "Zelenskyy’s office"),
        ("Kryvyi Rih - Ukraine", "Kryvyi Rih — Ukraine"),
        ("kryvyi rih — ukraine's", "Kryvyi Rih — Ukraine’s"),
        ("killed 69 people", "killed 69\u00a0people"),
        ("killed  69   people", "killed 69\u00a0people"),
        ("472 drones - the most", "472 drones – the most"),
        ("people. \"It was a 'brilliant' operation", "people.\n“It was a ‘brilliant’ operation"),
        ("ZELENSKYY’S OFFICE", "Zelenskyy’s office"),
        ("Turkiye", None),  # no diacritic folding: ü is not u
    ],
)
def test_model_typography_is_a_normalized_match(quote, article_text):
    result = found(quote)
    if article_text is None:
        assert result is None
    else:
        assert result == (article_text, Match.NORMALIZED)


def test_normalized_offsets_are_the_articles():
    span = locate("Kryvyi Rih - Ukraine's industrial hub", ARTICLE)
    assert span is not None
    start = ARTICLE.index("Kryvyi Rih")
    assert (span.start, span.end) == (start, start + len("Kryvyi Rih — Ukraine’s industrial hub"))
    # the stored evidence is valid: the article's characters with matching length
    evidence = Evidence(
        quote=ARTICLE[span.start : span.end],
        char_start=span.start,
        char_end=span.end,
        match=span.match,
    )
    assert evidence.quote == "Kryvyi Rih — Ukraine’s industrial hub"


def test_surrounding_quote_marks_and_spaces_are_dropped():
    text = "a “brilliant operation” indeed"
    assert locate('  "brilliant operation"  ', text) == Span(3, 22, Match.EXACT)
    span = locate("“Kryvyi Rih”", ARTICLE)
    assert span is not None and span.match is Match.EXACT
    assert ARTICLE[span.start : span.end] == "Kryvyi Rih"
    assert found('"It was a', ARTICLE) == ("It was a", Match.EXACT)


@pytest.mark.parametrize(
    "quote",
    [
        "killed 70 people",
        "Kryvyi Rih -- Ukraine",  # two hyphens are not one dash
        "Kryvyi Rih—Ukraine",  # spaces matter
        "Zelensky’s office",
        "",
        "   ",
        "“”",
        "''",
    ],
)
def test_quote_not_in_text_is_none(quote):
    assert locate(quote, ARTICLE) is None


def test_first_occurrence_wins():
    text = "Drones struck. Then drones struck again."
    assert locate("drones struck", text) == Span(20, 33, Match.EXACT)
    assert locate("DRONES STRUCK", text) == Span(0, 13, Match.NORMALIZED)


def test_contains():
    assert contains(ARTICLE, "Zelenskyy's office")
    assert contains(ARTICLE, "  “kryvyi rih - ukraine’s”  ")
    assert not contains(ARTICLE, "Kryvyi Rih -- Ukraine")
    assert not contains(ARTICLE, "")
    assert not contains(ARTICLE, "“ ”")


# --- locate_number ----------------------------------------------------------------------------

QUOTE = "The strike killed 69 people and injured seven children, officials said."


def number_at(phrase: str, quote: str = QUOTE) -> tuple[str, Match] | None:
    span = locate_number(phrase, quote)
    return None if span is None else (quote[span.start : span.end], span.match)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("69", ("69", Match.EXACT)),
        ("69 people", ("69 people", Match.EXACT)),
        ("seven children", ("seven children", Match.EXACT)),
        ("Seven Children", ("seven children", Match.NORMALIZED)),
        # by value: the model writes "7" where the quote writes "seven"
        ("7", ("seven", Match.NORMALIZED)),
        ("7 children", ("seven", Match.NORMALIZED)),
        ("sixty-nine people", ("69", Match.NORMALIZED)),
        # qualifier words of the phrase need not be in the quote
        ("at least 7 children", ("seven", Match.NORMALIZED)),
        # the phrase's other words must be in the quote: no borrowing from elsewhere
        ("7 drones", None),
        ("69 soldiers", None),
        # a different number is not there at all
        ("70", None),
        ("8 children", None),
        ("no number", None),
    ],
)
def test_locate_number(phrase, expected):
    assert number_at(phrase) == expected


def test_locate_number_digits_to_words_and_back():
    assert number_at("seven", "He said 7 were killed") == ("7", Match.NORMALIZED)
    assert number_at("a dozen drones", "12 drones were downed") == ("12", Match.NORMALIZED)
    assert number_at("472", "Russia fired 472 drones — a record") == ("472", Match.EXACT)


def test_locate_number_does_not_match_inside_a_longer_number():
    quote = "Ukraine destroyed more than 40 planes at 4 air bases"
    span = locate_number("4", quote)
    assert span is not None
    assert (span.start, span.end) == (quote.index(" 4 ") + 1, quote.index(" 4 ") + 2)


def test_locate_number_other_words_must_be_words():
    assert locate_number("7 men", "seven women were hurt") is None


# --- property: any run of words, retyped as a model would, is found with the article's offsets

WORD = st.text(alphabet="abcxyzKRVÜüéçłКиївŞşТЗ0123456789", min_size=1, max_size=8)
# article separators and how a model retypes them
SEPARATORS = {
    " ": " ",
    "  ": " ",
    "\n": " ",
    "\u00a0": " ",
    "\u2009": " ",
    " — ": " - ",
    " – ": " - ",
    "—": "-",
    "’": "'",
    "‘": "'",
    " “": ' "',
    "” ": '" ',
    ", ": ", ",
}


@st.composite
def article_and_quote(draw):
    n = draw(st.integers(2, 25))
    words = draw(st.lists(WORD, min_size=n, max_size=n))
    seps = draw(st.lists(st.sampled_from(sorted(SEPARATORS)), min_size=n - 1, max_size=n - 1))
    text = words[0] + "".join(s + w for s, w in zip(seps, words[1:], strict=True))
    i = draw(st.integers(0, n - 1))
    j = draw(st.integers(i, n - 1))
    literal = words[i] + "".join(
        s + w for s, w in zip(seps[i:j], words[i + 1 : j + 1], strict=True)
    )
    retyped = words[i] + "".join(
        SEPARATORS[s] + w for s, w in zip(seps[i:j], words[i + 1 : j + 1], strict=True)
    )
    case = draw(st.sampled_from([str, str.lower, str.upper]))
    before = words[0] + "".join(s + w for s, w in zip(seps[:i], words[1 : i + 1], strict=True))
    return text, literal, case(retyped), len(before) - len(words[i])


def _plain(s: str) -> str:
    return " ".join(fold(s).split())


@FAST
@given(article_and_quote())
def test_retyped_quote_maps_back_to_article_characters(case):
    text, literal, retyped, position = case
    assert text[position : position + len(literal)] == literal  # the generator's own check

    exact = locate(literal, text)
    assert exact is not None and exact.match is Match.EXACT
    assert text[exact.start : exact.end] == literal
    assert exact.start == text.find(literal) <= position

    span = locate(retyped, text)
    assert span is not None
    assert 0 <= span.start < span.end <= len(text)
    if retyped in text:  # the retyped form also stands verbatim somewhere: that is an exact match
        assert span.match is Match.EXACT and span.start == text.find(retyped)
    else:
        assert span.start <= position
    stored = text[span.start : span.end]
    assert _plain(stored) == _plain(retyped)
    if span.match is Match.EXACT:
        assert stored == retyped
    else:
        assert retyped not in text
    Evidence(quote=stored, char_start=span.start, char_end=span.end, match=span.match)


def test_a_quote_closed_with_a_period_where_the_article_has_a_comma() -> None:
    article = "“In two regions, several aircraft caught fire,” the ministry said."
    span = locate("In two regions, several aircraft caught fire.", article)
    assert span is not None
    assert article[span.start : span.end] == "In two regions, several aircraft caught fire"


def test_single_and_double_quote_marks_are_typography() -> None:
    article = "what the army said was a “missile strike on a training unit” — killing 12"
    span = locate(
        "what the army said was a ‘missile strike on a training unit’ — killing 12", article
    )
    assert span is not None and span.match is Match.NORMALIZED
    assert article[span.start : span.end] == article
