"""pipeline.interpret.numbers: number phrases in ten languages → spans, kinds and intervals.

Every sentence here is written for these tests (general reporting language, no real place,
person or story). The interval rules are checked in English and in at least two other
languages each; the vocabulary of every language is checked for its hedges, vague amounts,
separators, units and the words that make a number something other than a count.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.interpret.numbers import NumberPhraseError, find_numbers, parse_quantity
from pipeline.interpret.numbers import lexicon as lexicon_module
from pipeline.interpret.numbers.intervals import KG_PER_POUND, KM2_PER_SQUARE_MILE, KM_PER_MILE
from pipeline.interpret.numbers.scan import _fold
from pipeline.text import fold
from schemas import NumberKind, NumberMention, Qualifier, Unit, vocab

LANGUAGES = ("en", "fr", "es", "pt", "de", "it", "ru", "uk", "ar", "el")
FAST = settings(max_examples=200, deadline=None)


def interval(phrase: str, language: str = "en") -> tuple[float, float | None]:
    q = parse_quantity(phrase, language)
    return q.value_min, q.value_max


def mentions(text: str, language: str) -> list[NumberMention]:
    found = find_numbers(text, language)
    for m in found:
        assert text[m.start : m.end] == m.text
    return found


def only(text: str, language: str) -> NumberMention:
    """The one mention of `text` (a sentence written to hold exactly one number phrase)."""
    found = mentions(text, language)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def read(text: str, language: str) -> list[tuple[str, NumberKind, float | None, float | None]]:
    return [
        (m.text, m.kind, m.quantity.value_min if m.quantity else None,
         m.quantity.value_max if m.quantity else None)
        for m in mentions(text, language)
    ]  # fmt: skip


# ----------------------------------------------------------------------------- the vocabulary


def test_every_language_has_a_vocabulary_that_compiles() -> None:
    assert set(LANGUAGES) <= set(vocab.languages("numbers"))
    for language in LANGUAGES:
        lex = lexicon_module.lexicon(language)
        assert lex.language == language
        assert lex.hedges_before and lex.kinds_after and lex.months and lex.counts


def test_language_codes_are_normalised_and_unknown_ones_read_as_english() -> None:
    assert lexicon_module.lexicon("pt-BR").language == "pt"
    assert lexicon_module.lexicon("EN").language == "en"
    assert lexicon_module.lexicon("zz").language == "en"
    assert interval("at least 7", "zz") == (7, None)


def test_a_new_language_is_a_data_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A language no code knows (a made-up one) reads numbers from its vocabulary alone."""
    data: dict[str, Any] = {
        "spelled": "words",
        "digits": {"thousands": ["'"], "decimal": [","]},
        "number_words": {"units": {"una": 1, "dua": 2, "tria": 3}, "tens": {"dekka": 10}},
        "scales": {"kilo": 1000},
        "counts": {"vague": {"multa": 3}},
        "hedges": {"before": {"at_least": ["min"], "more_than": ["plu ol"]}},
        "ranges": {"pairs": [["inter", "kaj"]]},
        "units": {"km": ["kilometr(o|oj)"]},
        "durations": ["jar(o|oj)"],
        "months": ["oktobro"],
    }
    real = vocab.load

    def load(topic: str, language: str) -> dict[str, Any]:
        return data if (topic, language) == ("numbers", "xx") else real(topic, language)

    monkeypatch.setattr(vocab, "load", load)
    lexicon_module.lexicon.cache_clear()
    try:
        assert read("min dekka tria, plu ol 4'000 kilometroj, multa, inter 2 kaj 5", "xx") == [
            ("min dekka tria", NumberKind.COUNT, 13, None),
            ("plu ol 4'000 kilometroj", NumberKind.MEASURE, 4000, None),
            ("multa", NumberKind.COUNT, 3, None),
            ("inter 2 kaj 5", NumberKind.COUNT, 2, 5),
        ]
        assert only("dua jaroj", "xx").kind is NumberKind.DURATION
        assert only("la 14 oktobro", "xx").kind is NumberKind.DATE
        assert interval("dua kilo", "xx") == (2000, 2000)
    finally:
        lexicon_module.lexicon.cache_clear()


def test_a_vocabulary_with_an_unknown_qualifier_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"hedges": {"before": {"roughly_maybe": ["kinda"]}}}
    monkeypatch.setattr(vocab, "load", lambda topic, language: data)
    lexicon_module.lexicon.cache_clear()
    try:
        with pytest.raises(ValueError, match="roughly_maybe"):
            lexicon_module.lexicon("yy")
    finally:
        lexicon_module.lexicon.cache_clear()


def test_forms_are_spelled_with_alternatives() -> None:
    assert lexicon_module.expand("тисяч(а|і|)") == ["тисяча", "тисячі", "тисяч"]
    assert lexicon_module.expand("square mile(|s)") == ["square mile", "square miles"]


# ----------------------------------------------------------------------------- interval rules


@pytest.mark.parametrize(
    ("phrase", "language", "lo", "hi"),
    [
        ("69", "en", 69, 69),
        ("seven", "en", 7, 7),
        ("69 blessés", "fr", 69, 69),
        ("vingt et un", "fr", 21, 21),
        ("69 поранених", "uk", 69, 69),
        ("п'ятеро", "uk", 5, 5),
        ("sessantanove", "it", 69, 69),
    ],
)
def test_exact_counts_are_points(phrase: str, language: str, lo: float, hi: float) -> None:
    q = parse_quantity(phrase, language)
    assert (q.value_min, q.value_max, q.qualifier, q.unit) == (lo, hi, Qualifier.EXACT, Unit.COUNT)


@pytest.mark.parametrize(
    ("phrase", "language", "lo", "hi", "unit"),
    [
        ("4,000 km", "en", 3800, 4200, Unit.KM),  # ±5 %, narrower than the ±500 of the step
        ("450 square kilometres", "en", 445, 455, Unit.KM2),  # ±5: half the step of 450
        ("12.5 km", "en", 12.45, 12.55, Unit.KM),
        ("4.000 km", "de", 3800, 4200, Unit.KM),
        ("450 kilomètres carrés", "fr", 445, 455, Unit.KM2),
        ("4 000 км", "ru", 3800, 4200, Unit.KM),
        ("350 kg", "it", 345, 355, Unit.KG),
    ],
)
def test_exact_measurements_carry_their_rounding(
    phrase: str, language: str, lo: float, hi: float, unit: Unit
) -> None:
    q = parse_quantity(phrase, language)
    assert (q.value_min, q.value_max) == pytest.approx((lo, hi))
    assert (q.qualifier, q.unit) == (Qualifier.EXACT, unit)


@pytest.mark.parametrize(
    ("phrase", "language"),
    [
        ("at least seven", "en"),
        ("no fewer than 7", "en"),
        ("7 or more", "en"),
        ("au moins sept", "fr"),
        ("7 ou plus", "fr"),
        ("mindestens sieben", "de"),
        ("щонайменше 7", "uk"),
        ("не менее 7", "ru"),
        ("τουλάχιστον 7", "el"),
        ("7 على الأقل", "ar"),
        ("ما لا يقل عن 7", "ar"),
    ],
)
def test_at_least_n_is_open_from_n(phrase: str, language: str) -> None:
    assert interval(phrase, language) == (7, None)
    assert parse_quantity(phrase, language).qualifier is Qualifier.AT_LEAST


@pytest.mark.parametrize(
    ("phrase", "language", "lo"),
    [
        ("more than 60", "en", 61),
        ("over 40", "en", 41),
        ("more than a dozen", "en", 13),
        ("plus de 300", "fr", 301),
        ("plus d'un millier", "fr", 1001),
        ("più di 50", "it", 51),
        ("mais de 4.000", "pt", 4001),
        ("más de 30", "es", 31),
        ("أكثر من 100", "ar", 101),
        ("понад 100", "uk", 101),
        ("более сотни", "ru", 101),
        ("πάνω από 100", "el", 101),
        # a toll that passes a mark: "the toll passes 90", "le bilan dépasse 90"
        ("passes 90", "en", 91),
        ("topped 1,000", "en", 1001),
        ("dépasse 90", "fr", 91),
        ("superó los 90", "es", 91),
        ("превысило 90", "ru", 91),
        ("تجاوز 90", "ar", 91),
    ],
)
def test_more_than_a_count_starts_at_the_next_whole_number(
    phrase: str, language: str, lo: float
) -> None:
    q = parse_quantity(phrase, language)
    assert (q.value_min, q.value_max, q.qualifier) == (lo, None, Qualifier.MORE_THAN)


@pytest.mark.parametrize(
    ("phrase", "language", "lo"),
    [
        ("more than 1.5 km", "en", 1.5),
        ("over 60 km", "en", 60),
        ("mehr als 60 km", "de", 60),
        ("более 60 км", "ru", 60),
        ("más de 1,5 km", "es", 1.5),
    ],
)
def test_more_than_a_measurement_is_not_rounded_up(phrase: str, language: str, lo: float) -> None:
    assert interval(phrase, language) == (lo, None)


@pytest.mark.parametrize(
    ("phrase", "language"),
    [
        ("about 450", "en"),
        ("around 450", "en"),
        ("some 450", "en"),
        ("roughly 450", "en"),
        ("approximately 450", "en"),
        ("environ 450", "fr"),
        ("около 450", "ru"),
        ("نحو 450", "ar"),
        ("unos 450", "es"),
        ("cerca de 450", "pt"),
        ("etwa 450", "de"),
    ],
)
def test_about_n_is_ten_percent_either_side_widened_to_whole_counts(
    phrase: str, language: str
) -> None:
    q = parse_quantity(phrase, language)
    assert (q.value_min, q.value_max, q.qualifier) == (405, 495, Qualifier.ABOUT)


def test_about_a_measurement_is_not_widened_to_whole_numbers() -> None:
    assert interval("about 10 km") == pytest.approx((9, 11))
    assert interval("environ 2,5 km", "fr") == pytest.approx((2.25, 2.75))
    assert interval("about 25", "en") == (22, 28)


@pytest.mark.parametrize(
    ("phrase", "language"),
    [
        ("nearly 500", "en"),
        ("almost 500", "en"),
        ("close to 500", "en"),
        ("casi 500", "es"),
        ("майже 500", "uk"),
        ("σχεδόν 500", "el"),
        ("près de 500", "fr"),
        ("قرابة 500", "ar"),
    ],
)
def test_nearly_n_lies_just_below_n(phrase: str, language: str) -> None:
    q = parse_quantity(phrase, language)
    assert (q.value_min, q.value_max, q.qualifier) == (450, 499, Qualifier.NEARLY)


def test_nearly_a_measurement_reaches_n() -> None:
    assert interval("almost 10 km") == pytest.approx((9, 10))
    assert interval("fast 10 km", "de") == pytest.approx((9, 10))
    assert interval("nearly 100") == (90, 99)


@pytest.mark.parametrize(
    ("phrase", "language"),
    [
        ("up to 30", "en"),
        ("as many as 30", "en"),
        ("at most 30", "en"),
        ("fino a 30", "it"),
        ("до 30", "ru"),
        ("ما يصل إلى 30", "ar"),
        ("jusqu'à 30", "fr"),
        ("bis zu 30", "de"),
    ],
)
def test_up_to_n_is_zero_to_n(phrase: str, language: str) -> None:
    q = parse_quantity(phrase, language)
    assert (q.value_min, q.value_max, q.qualifier) == (0, 30, Qualifier.UP_TO)


@pytest.mark.parametrize(
    ("phrase", "language"),
    [
        ("fewer than 10", "en"),
        ("less than 10", "en"),
        ("under 10", "en"),
        ("moins de 10", "fr"),
        ("weniger als 10", "de"),
        ("λιγότεροι από 10", "el"),
        ("менше 10", "uk"),
        ("أقل من 10", "ar"),
    ],
)
def test_less_than_a_count_stops_below_n(phrase: str, language: str) -> None:
    q = parse_quantity(phrase, language)
    assert (q.value_min, q.value_max, q.qualifier) == (0, 9, Qualifier.LESS_THAN)


def test_less_than_a_measurement_reaches_n() -> None:
    assert interval("less than 5 km") == (0, 5)
    assert interval("menos de 5 km", "es") == (0, 5)


@pytest.mark.parametrize(
    ("phrase", "language"),
    [
        ("200 to 300", "en"),
        ("200-300", "en"),
        ("200–300", "en"),
        ("between 200 and 300", "en"),
        ("from 200 to 300", "en"),
        ("entre 200 et 300", "fr"),
        ("de 200 à 300", "fr"),
        ("від 200 до 300", "uk"),
        ("між 200 і 300", "uk"),
        ("от 200 до 300", "ru"),
        ("بين 200 و300", "ar"),
        ("من 200 إلى 300", "ar"),
        ("zwischen 200 und 300", "de"),
        ("200 bis 300", "de"),
        ("de 200 a 300", "es"),
        ("tra 200 e 300", "it"),
        ("μεταξύ 200 και 300", "el"),
    ],
)
def test_a_range_is_one_mention_from_a_to_b(phrase: str, language: str) -> None:
    m = only(phrase, language)
    assert m.text == phrase
    assert m.quantity is not None
    assert (m.quantity.value_min, m.quantity.value_max) == (200, 300)
    assert m.quantity.qualifier is Qualifier.RANGE


def test_spelled_ranges_and_scaled_ranges() -> None:
    assert interval("two or three") == (2, 3)
    assert interval("двое-трое", "ru") == (2, 3)
    assert interval("بين عشرين وثلاثين", "ar") == (20, 30)
    assert interval("δύο ή τρεις", "el") == (2, 3)
    assert interval("2-3 million") == (2_000_000, 3_000_000)
    assert interval("from 200 to 300 km") == (200, 300)


def test_a_change_is_two_numbers_not_a_range() -> None:
    assert read("The toll rose from 20 to 31 overnight.", "en") == [
        ("20", NumberKind.COUNT, 20, 20),
        ("31", NumberKind.COUNT, 31, 31),
    ]
    # "до 31" would be "up to 31"; after "с 20" it is the new figure
    assert read("Число жертв выросло с 20 до 31.", "ru") == [
        ("20", NumberKind.COUNT, 20, 20),
        ("31", NumberKind.COUNT, 31, 31),
    ]
    assert [m.text for m in mentions("Кількість загиблих зросла з 20 до 31.", "uk")] == ["20", "31"]
    assert [m.text for m in mentions("Le bilan est passé de 20 à 31 morts.", "fr")] == ["20", "31"]


# ----------------------------------------------------------------------------- vague amounts


@pytest.mark.parametrize(
    ("phrase", "language", "lo"),
    [
        ("dozens", "en", 12),
        ("scores", "en", 20),
        ("hundreds", "en", 100),
        ("thousands", "en", 1000),
        ("tens of thousands", "en", 10_000),
        ("hundreds of thousands", "en", 100_000),
        ("tens", "en", 10),
        ("several", "en", 3),
        ("a few", "en", 2),
        ("a number of", "en", 2),
        ("multiple", "en", 2),
        ("numerous", "en", 2),
        ("des dizaines", "fr", 10),
        ("des centaines", "fr", 100),
        ("des milliers", "fr", 1000),
        ("des dizaines de milliers", "fr", 10_000),
        ("plusieurs", "fr", 3),
        ("quelques", "fr", 2),
        ("decenas", "es", 10),
        ("cientos", "es", 100),
        ("miles", "es", 1000),
        ("decenas de miles", "es", 10_000),
        ("varios", "es", 3),
        ("dezenas", "pt", 10),
        ("centenas de milhares", "pt", 100_000),
        ("vários", "pt", 3),
        ("Dutzende", "de", 12),
        ("Hunderte", "de", 100),
        ("Zehntausende", "de", 10_000),
        ("mehrere", "de", 3),
        ("decine", "it", 10),
        ("centinaia", "it", 100),
        ("migliaia", "it", 1000),
        ("diversi", "it", 3),
        ("десятки", "ru", 10),
        ("сотни", "ru", 100),
        ("десятки тысяч", "ru", 10_000),
        ("несколько", "ru", 3),
        ("десятки", "uk", 10),
        ("сотні", "uk", 100),
        ("сотні тисяч", "uk", 100_000),
        ("кілька", "uk", 3),
        ("عشرات", "ar", 10),
        ("مئات", "ar", 100),
        ("عشرات الآلاف", "ar", 10_000),
        ("عدة", "ar", 3),
        ("δεκάδες", "el", 10),
        ("εκατοντάδες", "el", 100),
        ("δεκάδες χιλιάδες", "el", 10_000),
        ("αρκετοί", "el", 3),
    ],
)
def test_vague_amounts_are_open_lower_bounds(phrase: str, language: str, lo: float) -> None:
    m = only(phrase, language)
    assert m.text == phrase
    assert m.kind is NumberKind.COUNT
    assert m.quantity is not None
    assert (m.quantity.value_min, m.quantity.value_max) == (lo, None)
    assert m.quantity.qualifier is Qualifier.VAGUE


def test_vague_amounts_multiply_and_stop_before_their_noun() -> None:
    assert read("several hundred homes and a few dozen cars", "en") == [
        ("several hundred", NumberKind.COUNT, 300, None),
        ("a few dozen", NumberKind.COUNT, 24, None),
    ]
    assert only("dozens of people were hurt", "en").text == "dozens"
    assert only("plusieurs dizaines de blessés", "fr").quantity == parse_quantity(
        "plusieurs dizaines", "fr"
    )
    assert interval("plusieurs dizaines", "fr") == (30, None)
    assert interval("несколько десятков", "ru") == (30, None)


def test_approximate_nouns_read_as_about() -> None:
    assert interval("une dizaine", "fr") == (9, 11)
    assert interval("une vingtaine", "fr") == (18, 22)
    assert interval("un centinaio", "it") == (90, 110)
    assert interval("около десятка", "ru") == (9, 11)
    assert interval("два десятка", "ru") == (18, 22)
    assert interval("καμιά δεκαριά", "el") == (9, 11)


@pytest.mark.parametrize(
    ("phrase", "language", "value"),
    [
        ("a dozen", "en", 12),
        ("half a dozen", "en", 6),
        ("two dozen", "en", 24),
        ("a couple of", "en", 2),
        ("half a million", "en", 500_000),
        ("a hundred", "en", 100),
        ("a thousand and one", "en", 1001),
        ("une douzaine", "fr", 12),
        ("deux douzaines", "fr", 24),
        ("media docena", "es", 6),
        ("dos docenas", "es", 24),
        ("ein halbes Dutzend", "de", 6),
        ("zwei Dutzend", "de", 24),
        ("eine halbe Million", "de", 500_000),
        ("un paio di", "it", 2),
        ("meia dúzia", "pt", 6),
        ("نصف مليون", "ar", 500_000),
        ("μισό εκατομμύριο", "el", 500_000),
        ("μια ντουζίνα", "el", 12),
        ("полторы тысячи", "ru", 1500),
        ("півтори тисячі", "uk", 1500),
    ],
)
def test_dozens_couples_and_halves(phrase: str, language: str, value: float) -> None:
    m = only(phrase, language)
    assert m.text == phrase
    assert m.quantity is not None
    assert (m.quantity.value_min, m.quantity.value_max) == (value, value)
    assert m.quantity.qualifier is Qualifier.EXACT


# ----------------------------------------------------------------------------- spelled numbers


@pytest.mark.parametrize(
    ("phrase", "language", "value"),
    [
        ("seven", "en", 7),
        ("Seven", "en", 7),
        ("twenty-one", "en", 21),
        ("one hundred and five", "en", 105),
        ("two point five million", "en", 2_500_000),
        ("quatre-vingt-dix", "fr", 90),
        ("deux mille", "fr", 2000),
        ("veintiún", "es", 21),
        ("treinta y cinco", "es", 35),
        ("vinte e um", "pt", 21),
        ("zweihundertfünfzig", "de", 250),
        ("centocinque", "it", 105),
        ("пятеро", "ru", 5),
        ("двадцати", "ru", 20),
        ("двадцать пять", "ru", 25),
        ("сто двадцать три", "ru", 123),
        ("две тысячи триста", "ru", 2300),
        ("п'ять", "uk", 5),
        ("п’ять", "uk", 5),  # typographic apostrophe
        ("пʼять", "uk", 5),  # modifier letter apostrophe
        ("п'ятеро", "uk", 5),
        ("п'ятьох", "uk", 5),
        ("двадцять", "uk", 20),
        ("двісті п'ятдесят", "uk", 250),
        ("ثلاثة", "ar", 3),
        ("ثلاث", "ar", 3),
        ("عشرون", "ar", 20),
        ("عشرين", "ar", 20),
        ("خمسة وعشرون", "ar", 25),
        ("ثلاثة عشر", "ar", 13),
        ("ثلاث مئة", "ar", 300),
        ("ثلاثة آلاف", "ar", 3000),
        ("τρεις", "el", 3),
        ("τρία", "el", 3),
        ("είκοσι", "el", 20),
        ("ΕΙΚΟΣΙ ΤΡΕΙΣ", "el", 23),  # headline capitals drop the accents
        ("εκατόν είκοσι τρία", "el", 123),
        ("δύο χιλιάδες", "el", 2000),
    ],
)
def test_spelled_out_numbers(phrase: str, language: str, value: float) -> None:
    m = only(phrase, language)
    assert m.text == phrase
    assert m.quantity is not None
    assert (m.quantity.value_min, m.quantity.value_max) == (value, value)


def test_spelled_numbers_split_where_the_grammar_says() -> None:
    assert [m.text for m in mentions("пять двадцать", "ru")] == ["пять", "двадцать"]
    assert [m.text for m in mentions("nine eleven", "en")] == ["nine", "eleven"]
    # Arabic writes units before tens: after "and fifty" a unit opens a new number
    assert [m.text for m in mentions("مئة وخمسون وثلاثة آلاف", "ar")] == [
        "مئة وخمسون",
        "ثلاثة آلاف",
    ]


def test_articles_that_look_like_one_are_not_counts_unless_hedged() -> None:
    assert mentions("Un homme a été blessé.", "fr") == []
    assert mentions("Ein Mann wurde verletzt.", "de") == []
    assert mentions("Ένας άνδρας τραυματίστηκε.", "el") == []
    assert interval("au moins un", "fr") == (1, None)
    assert only("depuis un an", "fr").kind is NumberKind.DURATION
    assert mentions("No one was hurt.", "en") == []


# ----------------------------------------------------------------------------- separators


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("4.000", "pt"), ("4.000", "es"), ("4.000", "it"), ("4.000", "de"), ("4,000", "en"),
     ("4.000", "el"), ("4 000", "fr"), ("4,000", "ar"), ("٤٬٠٠٠", "ar")],
)  # fmt: skip
def test_thousands_separators(phrase: str, language: str) -> None:
    assert interval(phrase, language) == (4000, 4000)


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("4,5 km", "de"), ("4,5 km", "fr"), ("4,5 км", "ru"), ("4.5 km", "en"), ("٤٫٥ كم", "ar")],
)
def test_decimal_separators(phrase: str, language: str) -> None:
    q = parse_quantity(phrase, language)
    assert (q.value_min + (q.value_max or 0)) / 2 == pytest.approx(4.5)
    assert q.unit is Unit.KM


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"])
@pytest.mark.parametrize("language", ["fr", "ru", "uk"])
def test_space_as_thousands_separator(space: str, language: str) -> None:
    m = only(f"1{space}200", language)
    assert m.text == f"1{space}200"
    assert m.quantity is not None
    assert m.quantity.value_min == 1200


def test_arabic_indic_digits() -> None:
    m = only("٣١ قتيلا", "ar")
    assert (m.text, m.quantity.value_min if m.quantity else None) == ("٣١", 31)
    assert only("٣١ قتيلاً", "ar").text == "٣١"  # with tanwin
    assert interval("أكثر من ١٠٠", "ar") == (101, None)
    assert interval("۳۱", "ar") == (31, 31)  # Eastern Arabic-Indic


def test_a_number_is_never_found_inside_another() -> None:
    assert [m.text for m in mentions("40 drones, then 4 more, 1,400 in all", "en")] == [
        "40",
        "4",
        "1,400",
    ]
    assert [m.text for m in mentions("Il y avait 40 blessés", "fr")] == ["40"]


# ----------------------------------------------------------------------------- units


def test_miles_convert_to_km_with_their_rounding() -> None:
    for phrase, language in [("2,500 miles", "en"), ("2.500 millas", "es"), ("2.500 Meilen", "de")]:
        q = parse_quantity(phrase, language)
        assert q.unit is Unit.KM
        assert q.value_min == pytest.approx(2450 * KM_PER_MILE, abs=1e-3)
        assert q.value_max == pytest.approx(2550 * KM_PER_MILE, abs=1e-3)


def test_square_miles_convert_to_km2() -> None:
    for phrase, language in [("5 square miles", "en"), ("5 miles carrés", "fr"),
                             ("5 квадратных миль", "ru")]:  # fmt: skip
        q = parse_quantity(phrase, language)
        assert q.unit is Unit.KM2
        assert q.value_max is not None
        centre = (q.value_min + q.value_max) / 2
        assert centre == pytest.approx(5 * KM2_PER_SQUARE_MILE, abs=1e-3)


def test_pounds_and_tonnes_convert_to_kg() -> None:
    for phrase, language in [("100 pounds", "en"), ("100 lbs", "en"), ("100 libbre", "it"),
                             ("100 фунтов", "ru")]:  # fmt: skip
        q = parse_quantity(phrase, language)
        assert q.unit is Unit.KG
        assert q.value_max is not None
        assert (q.value_min + q.value_max) / 2 == pytest.approx(100 * KG_PER_POUND, abs=1e-3)
    for phrase, language in [("5 tonnes", "en"), ("5 Tonnen", "de"), ("5 أطنان", "ar")]:
        q = parse_quantity(phrase, language)
        assert (q.unit, q.value_min, q.value_max) == (Unit.KG, 4750, 5250)


@pytest.mark.parametrize(
    ("text", "language", "phrase", "unit"),
    [
        ("a depot 4,000 kilometres away", "en", "4,000 kilometres", Unit.KM),
        ("a 350 kg bomb", "en", "350 kg", Unit.KG),
        ("2,500 miles from the border", "en", "2,500 miles", Unit.KM),
        ("10 km² of farmland", "en", "10 km²", Unit.KM2),
        ("à 12 kilomètres de la ville", "fr", "12 kilomètres", Unit.KM),
        ("на 60 километрах фронта", "ru", "60 километрах", Unit.KM),
        ("100 кв. км території", "uk", "100 кв. км", Unit.KM2),
        ("على بعد 60 كيلومترا", "ar", "60 كيلومترا", Unit.KM),
        ("450 τετραγωνικά χιλιόμετρα", "el", "450 τετραγωνικά χιλιόμετρα", Unit.KM2),
        ("500 Quadratkilometer", "de", "500 Quadratkilometer", Unit.KM2),
    ],
)
def test_the_unit_is_part_of_the_span(text: str, language: str, phrase: str, unit: Unit) -> None:
    m = only(text, language)
    assert (m.text, m.kind) == (phrase, NumberKind.MEASURE)
    assert m.quantity is not None
    assert m.quantity.unit is unit


def test_the_first_unit_wins_over_a_conversion_in_brackets() -> None:
    q = parse_quantity("more than 3,000 kilometres (1,900 miles)")
    assert (q.unit, q.value_min, q.value_max) == (Unit.KM, 3000, None)


# ----------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("text", "language", "phrase", "kind"),
    [
        # years
        ("The war began in 2014.", "en", "2014", NumberKind.YEAR),
        ("the 1990s", "en", "1990s", NumberKind.YEAR),
        ("в 2023 году", "ru", "2023 году", NumberKind.YEAR),
        ("у 2023 році", "uk", "2023 році", NumberKind.YEAR),
        ("en 2023, la ville", "fr", "2023", NumberKind.YEAR),
        ("في عام 2023", "ar", "2023", NumberKind.YEAR),
        ("seit 2014", "de", "2014", NumberKind.YEAR),
        # dates
        ("on Oct. 14 the army", "en", "Oct. 14", NumberKind.DATE),
        ("on October 14, 2024, the army", "en", "October 14, 2024", NumberKind.DATE),
        ("the 14th of October", "en", "14th of October", NumberKind.DATE),
        ("14 октября", "ru", "14 октября", NumberKind.DATE),
        ("14 жовтня 2024 року", "uk", "14 жовтня 2024 року", NumberKind.DATE),
        ("17 أكتوبر", "ar", "17 أكتوبر", NumberKind.DATE),
        ("17 تشرين الأول", "ar", "17 تشرين الأول", NumberKind.DATE),
        ("el 14 de octubre de 2024", "es", "14 de octubre de 2024", NumberKind.DATE),
        ("am 14. Oktober", "de", "14. Oktober", NumberKind.DATE),
        ("le 1er janvier", "fr", "1er janvier", NumberKind.DATE),
        ("στις 14 Οκτωβρίου", "el", "14 Οκτωβρίου", NumberKind.DATE),
        ("il 14 ottobre", "it", "14 ottobre", NumberKind.DATE),
        ("em 14 de outubro", "pt", "14 de outubro", NumberKind.DATE),
        ("on 14/10/2024", "en", "14/10/2024", NumberKind.DATE),
        # times
        ("at 19:00 local time", "en", "19:00", NumberKind.TIME),
        ("at 6:30 a.m.", "en", "6:30 a.m.", NumberKind.TIME),
        ("at 6 p.m.", "en", "6 p.m.", NumberKind.TIME),
        ("vers 19h30", "fr", "19h30", NumberKind.TIME),
        ("um 19 Uhr", "de", "19 Uhr", NumberKind.TIME),
        ("в 19:00", "ru", "19:00", NumberKind.TIME),
        ("الساعة 5:40 صباحا", "ar", "5:40 صباحا", NumberKind.TIME),
        # ordinals
        ("the second attack", "en", "second", NumberKind.ORDINAL),
        ("the 3rd brigade", "en", "3rd", NumberKind.ORDINAL),
        ("2-й батальон", "ru", "2-й", NumberKind.ORDINAL),
        ("третий день", "ru", "третий", NumberKind.ORDINAL),
        ("5-та бригада", "uk", "5-та", NumberKind.ORDINAL),
        ("la 2e brigade", "fr", "2e", NumberKind.ORDINAL),
        ("el tercer ataque", "es", "tercer", NumberKind.ORDINAL),
        ("o 3º batalhão", "pt", "3º", NumberKind.ORDINAL),
        ("ο 3ος λόχος", "el", "3ος", NumberKind.ORDINAL),
        ("اليوم الثاني", "ar", "الثاني", NumberKind.ORDINAL),
        # ages
        ("a 12-year-old boy", "en", "12-year-old", NumberKind.AGE),
        ("a man aged 40", "en", "aged 40", NumberKind.AGE),
        ("12-летний мальчик", "ru", "12-летний", NumberKind.AGE),
        ("12-річний хлопчик", "uk", "12-річний", NumberKind.AGE),
        ("ein 12-Jähriger", "de", "12-Jähriger", NumberKind.AGE),
        ("un garçon âgé de 12 ans", "fr", "âgé de 12 ans", NumberKind.AGE),
        ("un 12enne", "it", "12enne", NumberKind.AGE),
        ("طفل يبلغ من العمر 12 عاما", "ar", "يبلغ من العمر 12 عاما", NumberKind.AGE),
        ("ένα 12χρονο αγόρι", "el", "12χρονο", NumberKind.AGE),
        # durations
        ("for three years", "en", "three years", NumberKind.DURATION),
        ("after 18 months", "en", "18 months", NumberKind.DURATION),
        ("a three-day offensive", "en", "three-day", NumberKind.DURATION),
        ("за 18 місяців", "uk", "18 місяців", NumberKind.DURATION),
        ("три года", "ru", "три года", NumberKind.DURATION),
        ("trois ans", "fr", "trois ans", NumberKind.DURATION),
        ("ثلاث سنوات", "ar", "ثلاث سنوات", NumberKind.DURATION),
        ("τρία χρόνια", "el", "τρία χρόνια", NumberKind.DURATION),
        # percentages
        ("rose 3.5%", "en", "3.5%", NumberKind.PERCENT),
        ("5 per cent", "en", "5 per cent", NumberKind.PERCENT),
        ("25 pour cent", "fr", "25 pour cent", NumberKind.PERCENT),
        ("25 por ciento", "es", "25 por ciento", NumberKind.PERCENT),
        ("25 процентов", "ru", "25 процентов", NumberKind.PERCENT),
        ("25 بالمئة", "ar", "25 بالمئة", NumberKind.PERCENT),
        ("25 τοις εκατό", "el", "25 τοις εκατό", NumberKind.PERCENT),
        # money
        ("$7 billion in aid", "en", "$7 billion", NumberKind.MONEY),
        ("3 millions d'euros", "fr", "3 millions d'euros", NumberKind.MONEY),
        ("5 млн долларов", "ru", "5 млн долларов", NumberKind.MONEY),
        ("5 ملايين دولار", "ar", "5 ملايين دولار", NumberKind.MONEY),
    ],
)
def test_kinds(text: str, language: str, phrase: str, kind: NumberKind) -> None:
    m = only(text, language)
    assert (m.text, m.kind) == (phrase, kind)
    if kind in (NumberKind.YEAR, NumberKind.DATE, NumberKind.TIME, NumberKind.ORDINAL):
        assert m.quantity is None
    else:
        assert m.quantity is not None


def test_amount_kinds_carry_their_units() -> None:
    money = only("$7 billion in aid", "en").quantity
    assert money is not None
    assert money.unit is Unit.USD
    assert money.value_min == pytest.approx(6.65e9)
    percent = only("rose 3.5%", "en").quantity
    assert percent is not None
    assert (percent.unit, percent.value_min, percent.value_max) == (Unit.PERCENT, 3.45, 3.55)
    age = only("a 12-year-old boy", "en").quantity
    assert age is not None
    assert (age.value_min, age.value_max) == (12, 12)
    euros = only("3 millions d'euros", "fr").quantity
    assert euros is not None
    assert euros.unit is Unit.COUNT  # schemas.data.Unit has no currency but the dollar


def test_years_and_counts_of_the_same_size() -> None:
    # English writes a count of two thousand "2,000": a bare 2000 is a year
    assert only("It happened in 2000.", "en").kind is NumberKind.YEAR
    assert only("2,000 people fled", "en").kind is NumberKind.COUNT
    # elsewhere "2000 человек" is a count; a year has its context
    assert only("Погибли 2000 человек.", "ru").kind is NumberKind.COUNT
    assert only("2000 morts", "fr").kind is NumberKind.COUNT
    assert only("plus de 2000 morts", "fr").kind is NumberKind.COUNT
    assert only("до 2025 года", "ru").kind is NumberKind.YEAR
    # a phrase copied as a count is read as one
    assert interval("2000") == (2000, 2000)


def test_model_designations_are_not_numbers() -> None:
    assert mentions("F-16 jets and MiG-29 fighters", "en") == []
    assert mentions("Ту-95 и С-300", "ru") == []
    assert mentions("5G masts and 3D maps", "en") == []
    assert only("mid-2023", "en").kind is NumberKind.YEAR
    assert only("الساعات الـ24 الماضية", "ar").text == "24"  # the article, not a model name


def test_fractions_with_an_article_are_not_one() -> None:
    assert mentions("etwa ein Drittel der Häuser", "de") == []
    assert mentions("environ un tiers des maisons", "fr") == []
    assert mentions("περίπου ένα τρίτο", "el") == []
    assert interval("mindestens ein", "de") == (1, None)


def test_odd_and_so_hedges() -> None:
    assert interval("20-odd") == (20, None)
    assert interval("a dozen or so") == (10, 14)


# ----------------------------------------------------------------------------- spans


def test_spans_take_in_hedges_before_and_after() -> None:
    text = "At least seven were killed, 20 or more hurt, 40-plus missing and 12+ detained."
    assert [m.text for m in mentions(text, "en")] == ["At least seven", "20 or more", "40-plus",
                                                      "12+"]  # fmt: skip
    assert [m.text for m in mentions("Более 20 дронов и 30 с лишним ракет", "ru")] == [
        "Более 20",
        "30 с лишним",
    ]
    assert [m.text for m in mentions("وأكثر من 100 جريح ونحو 450 منزلا", "ar")] == [
        "أكثر من 100",
        "نحو 450",
    ]


def test_a_whole_article_reads_left_to_right_without_overlaps() -> None:
    text = (
        "Officials said at least 14 people were killed and dozens wounded on Oct. 14 when "
        "several missiles struck the city centre shortly after 5:40 a.m. The army said it shot "
        "down 22 of the 30 drones launched overnight, some 60 kilometres from the front, and "
        "that about 1,200 people were left without power. A 12-year-old boy was among the "
        "wounded; the area had been shelled nearly 50 times in 24 hours."
    )
    assert read(text, "en") == [
        ("at least 14", NumberKind.COUNT, 14, None),
        ("dozens", NumberKind.COUNT, 12, None),
        ("Oct. 14", NumberKind.DATE, None, None),
        ("several", NumberKind.COUNT, 3, None),
        ("5:40 a.m.", NumberKind.TIME, None, None),
        ("22", NumberKind.COUNT, 22, 22),
        ("30", NumberKind.COUNT, 30, 30),
        ("some 60 kilometres", NumberKind.MEASURE, 54, 66),
        ("about 1,200", NumberKind.COUNT, 1080, 1320),
        ("12-year-old", NumberKind.AGE, 12, 12),
        ("nearly 50", NumberKind.COUNT, 45, 49),
        ("24 hours", NumberKind.DURATION, 24, 24),
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("He said “seven” drones — and 69 people, ‘at least 4,000 km’ away.", "en"),
        ("«Au moins 300» victimes — et 1\u202f200\u00a0km.", "fr"),
        ("По словам «источника», погибли по меньшей мере 14 человек и ещё 1\u00a0200.", "ru"),
        ("За даними «джерела», загинули щонайменше п’ятеро і 69 поранені.", "uk"),
        ("وقال «مصدر» إن ما لا يقل عن ٣١ شخصا قتلوا، وأصيب أكثر من 100 آخرين.", "ar"),
        ("«Τουλάχιστον 12» νεκροί — και ΤΡΕΙΣ τραυματίες.", "el"),
        ("İKİNCİ sayfa: 12 kişi", "en"),  # a letter whose lower case is longer
    ],
)
def test_offsets_slice_back_to_the_phrase(text: str, language: str) -> None:
    found = find_numbers(text, language)
    assert found
    for m in found:
        assert text[m.start : m.end] == m.text
        if m.quantity is not None:
            assert m.quantity.phrase == m.text


_ALPHABET = st.sampled_from(
    list("0123456789 ,.-–—'’“”«»:%$") + list("٠١٢٣٤٥٦٧٨٩") + ["\u00a0", "\u202f"]
    + "at least more than km miles dozens from to and between".split()
    + "более до от около тысячи п'ять двадцять".split()
    + "أكثر من ثلاثة عشرون بين و كم".split()
    + "plus de au moins mil millones ΤΡΕΙΣ είκοσι τουλάχιστον".split()
)  # fmt: skip


@FAST
@given(words=st.lists(_ALPHABET, max_size=30), language=st.sampled_from(LANGUAGES))
def test_any_text_gives_ordered_non_overlapping_spans_that_slice_back(
    words: list[str], language: str
) -> None:
    text = "".join(words)
    found = find_numbers(text, language)
    end = 0
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.start >= end
        assert m.end > m.start
        end = m.end
        if m.quantity is not None:
            assert m.quantity.value_max is None or m.quantity.value_min <= m.quantity.value_max


@FAST
@given(st.text())
def test_the_fast_fold_is_pipeline_text_fold(text: str) -> None:
    assert _fold(text) == fold(text)


# ----------------------------------------------------------------------------- parse_quantity


def test_parse_quantity_keeps_the_phrase_and_reads_its_first_amount() -> None:
    q = parse_quantity("  at   least  seven ")
    assert (q.value_min, q.value_max, q.phrase) == (7, None, "  at   least  seven ")
    assert interval("More\u00a0than 60") == (61, None)
    assert interval("dozens of") == (12, None)
    assert interval("1 1/2") == (1.5, 1.5)
    assert interval("1/2") == (0.5, 0.5)
    assert interval("the 3rd brigade lost 40 men") == (40, 40)  # an ordinal is no amount


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("", "en"), ("no", "en"), ("none of them", "en"), ("someone", "en"), ("  ", "en"),
     ("the second day", "en"), ("on Oct. 14", "en"), ("at 19:00", "en"), ("personne", "fr"),
     ("никто", "ru"), ("لا أحد", "ar")],
)  # fmt: skip
def test_no_number_raises(phrase: str, language: str) -> None:
    with pytest.raises(NumberPhraseError):
        parse_quantity(phrase, language)
    assert issubclass(NumberPhraseError, ValueError)


@FAST
@given(n=st.integers(1, 5_000_000), language=st.sampled_from(["en", "fr", "de", "ru", "ar"]))
def test_digits_round_trip_with_each_languages_separators(n: int, language: str) -> None:
    separator = {"en": ",", "ar": ",", "de": ".", "fr": "\u202f", "ru": " "}[language]
    written = f"{n:,}".replace(",", separator)
    assert interval(f"{written} ", language) == (n, n)


@FAST
@given(
    n=st.integers(1, 100_000),
    hedge=st.sampled_from(
        [("at least", "en", Qualifier.AT_LEAST), ("more than", "en", Qualifier.MORE_THAN),
         ("about", "en", Qualifier.ABOUT), ("nearly", "en", Qualifier.NEARLY),
         ("up to", "en", Qualifier.UP_TO), ("fewer than", "en", Qualifier.LESS_THAN),
         ("не менее", "ru", Qualifier.AT_LEAST), ("plus de", "fr", Qualifier.MORE_THAN),
         ("حوالي", "ar", Qualifier.ABOUT), ("fast", "de", Qualifier.NEARLY),
         ("hasta", "es", Qualifier.UP_TO), ("λιγότεροι από", "el", Qualifier.LESS_THAN)]
    ),
)  # fmt: skip
def test_hedged_counts_bracket_their_number(n: int, hedge: tuple[str, str, Qualifier]) -> None:
    words, language, qualifier = hedge
    q = parse_quantity(f"{words} {n}", language)
    assert q.qualifier is qualifier
    lo, hi = q.value_min, q.value_max
    assert hi is None or lo <= hi
    if qualifier in (Qualifier.AT_LEAST, Qualifier.ABOUT, Qualifier.UP_TO):
        assert lo <= n and (hi is None or n <= hi)
    if qualifier in (Qualifier.NEARLY, Qualifier.LESS_THAN):
        assert hi == n - 1
    if qualifier is Qualifier.MORE_THAN:
        assert (lo, hi) == (n + 1, None)


@pytest.mark.parametrize(
    ("language", "text", "phrase"),
    [
        ("uk", "За добу кількість загиблих зросла до 43 людей.", "43"),
        ("ru", "К вечеру число раненых выросло до 88, сообщили медики.", "88"),
    ],
)
def test_a_toll_that_rose_to_a_number_is_that_number(language: str, text: str, phrase: str) -> None:
    # "до" after a change verb is "to", not "up to": the toll is 43, not 0-43
    [m] = mentions(text, language)
    assert m.text == phrase and m.quantity is not None
    assert m.quantity.qualifier is Qualifier.EXACT


def test_up_to_without_a_change_verb_is_still_a_hedge() -> None:
    [m] = mentions("У сховищі могли перебувати до 200 людей.", "uk")
    assert m.text == "до 200" and m.quantity is not None
    assert m.quantity.qualifier is Qualifier.UP_TO


@pytest.mark.parametrize(
    "text",
    [
        "أعلنت الوزارة يوم الأحد حصيلة جديدة.",
        "وصل الجرحى إلى المستشفى في غضون ساعة واحدة.",
    ],
)
def test_arabic_days_and_one_hour_are_no_numbers(text: str) -> None:
    assert mentions(text, "ar") == []
