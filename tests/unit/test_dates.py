"""The date reader: finding date expressions in ten languages and resolving them against the
article's own date. Every sentence here is written for these tests."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.interpret.dates import article_date, event_date, find_dates, resolve_date
from pipeline.interpret.dates.patterns import compiled, key
from schemas import vocab
from schemas.data import DatePrecision, EventDate

DAY, WEEK, MONTH, YEAR = (
    DatePrecision.DAY,
    DatePrecision.WEEK,
    DatePrecision.MONTH,
    DatePrecision.YEAR,
)
Reading = tuple[date | None, DatePrecision | None]
TUESDAY = date(2023, 3, 14)  # the anchor of most tests: a Tuesday
SUNDAY = date(2023, 3, 12)  # the Sunday before it
LANGUAGES = ("en", "fr", "es", "pt", "de", "it", "ru", "uk", "ar", "el")


def texts(sentence: str, language: str) -> list[str]:
    return [m.text for m in find_dates(sentence, language)]


def when(expression: str, language: str = "en", anchor: date | None = TUESDAY) -> Reading:
    found = resolve_date(expression, language, anchor)
    return found.date, found.precision


def test_the_anchor_is_a_tuesday() -> None:
    assert TUESDAY.weekday() == 1 and SUNDAY.weekday() == 6


# ----------------------------------------------------------------------------- English rules


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Tuesday", (TUESDAY, DAY)),  # the article's own weekday: that day
        ("on Sunday", (SUNDAY, DAY)),  # the Sunday before
        ("Wednesday", (date(2023, 3, 8), DAY)),  # never after the anchor
        ("Sunday's", (SUNDAY, DAY)),
        ("Monday night", (date(2023, 3, 13), DAY)),
        ("late on Saturday", (date(2023, 3, 11), DAY)),
        ("last Tuesday", (date(2023, 3, 7), DAY)),  # "last" in a Tuesday article: a week ago
        ("last Sunday", (SUNDAY, DAY)),
        ("overnight into Monday", (SUNDAY, DAY)),
        ("yesterday", (date(2023, 3, 13), DAY)),
        ("overnight", (date(2023, 3, 13), DAY)),
        ("last night", (date(2023, 3, 13), DAY)),
        ("today", (TUESDAY, DAY)),
        ("tonight", (TUESDAY, DAY)),
        ("the day before yesterday", (date(2023, 3, 12), DAY)),
        ("last week", (date(2023, 3, 7), WEEK)),
        ("this week", (TUESDAY, WEEK)),
        ("earlier this month", (date(2023, 3, 1), MONTH)),
        ("this month", (date(2023, 3, 1), MONTH)),
        ("last month", (date(2023, 2, 1), MONTH)),
        ("this year", (date(2023, 1, 1), YEAR)),
        ("last year", (date(2022, 1, 1), YEAR)),
        ("three days ago", (date(2023, 3, 11), DAY)),
        ("two weeks ago", (date(2023, 2, 28), WEEK)),
        ("a month ago", (date(2023, 2, 1), MONTH)),
    ],
)
def test_english_relative_expressions(expression: str, expected: Reading) -> None:
    assert when(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Jan. 27", (date(2023, 1, 27), DAY)),
        ("Oct. 14", (date(2022, 10, 14), DAY)),  # after the anchor: the year before
        ("March 16", (date(2023, 3, 16), DAY)),  # within two days after: this year
        ("March 17", (date(2022, 3, 17), DAY)),  # three days after: last year
        ("the 3rd of March", (date(2023, 3, 3), DAY)),
        ("14 October 2017", (date(2017, 10, 14), DAY)),
        ("October 14, 2017", (date(2017, 10, 14), DAY)),
        ("Saturday, Oct. 14, 2017", (date(2017, 10, 14), DAY)),  # the written date decides
        ("2017-10-14", (date(2017, 10, 14), DAY)),
        ("10/14/2017", (date(2017, 10, 14), DAY)),  # English slashes: month first
        ("14.10.2017", (date(2017, 10, 14), DAY)),  # dots: day first everywhere
        ("October 2017", (date(2017, 10, 1), MONTH)),
        ("in mid-October", (date(2022, 10, 1), MONTH)),
        ("in February", (date(2023, 2, 1), MONTH)),
        ("in 2013", (date(2013, 1, 1), YEAR)),
        ("since 2011", (date(2011, 1, 1), YEAR)),
        ("Feb. 29", (date(2020, 2, 29), DAY)),  # a year-less 29 February: the last leap year
    ],
)
def test_english_explicit_dates(expression: str, expected: Reading) -> None:
    assert when(expression) == expected


def test_a_january_article_reaches_back_into_last_year() -> None:
    anchor = date(2024, 1, 9)
    assert when("last month", anchor=anchor) == (date(2023, 12, 1), MONTH)
    assert when("Dec. 30", anchor=anchor) == (date(2023, 12, 30), DAY)
    assert when("Jan. 10", anchor=anchor) == (date(2024, 1, 10), DAY)
    assert when("last week", anchor=anchor) == (date(2024, 1, 2), WEEK)


def test_resolved_dates_carry_the_expression_as_a_quote() -> None:
    assert resolve_date("on Sunday", "en", TUESDAY) == EventDate(SUNDAY, DAY, "on Sunday", "quote")


def test_without_an_anchor_only_dates_with_a_year_resolve() -> None:
    for relative in ("yesterday", "overnight", "last week", "on Sunday", "this year", "Oct. 14"):
        assert when(relative, anchor=None) == (None, None), relative
    assert when("14 October 2017", anchor=None) == (date(2017, 10, 14), DAY)
    assert when("2017-10-14", anchor=None) == (date(2017, 10, 14), DAY)
    assert when("October 2017", anchor=None) == (date(2017, 10, 1), MONTH)
    assert when("in 2013", anchor=None) == (date(2013, 1, 1), YEAR)
    assert when("14 октября", "ru", anchor=None) == (None, None)


def test_expressions_no_pattern_knows_go_to_dateparser() -> None:
    assert when("14-Oct-2017") == (date(2017, 10, 14), DAY)
    # dateparser reads these against "now"; they are no dates an article gives
    assert when("19:00") == (None, None)
    assert when("three years") == (None, None)
    assert when("18 months") == (None, None)
    assert when("nonsense words") == (None, None)


# ----------------------------------------------------------------------------- finding


def test_find_dates_reads_a_sentence_left_to_right() -> None:
    sentence = (
        "Officials said on Sunday that Saturday's raid, the third since Jan. 27, "
        "followed strikes overnight and last week; the toll this year passed 400."
    )
    found = find_dates(sentence, "en")
    assert [m.text for m in found] == [
        "on Sunday",
        "Saturday's",
        "Jan. 27",
        "overnight",
        "last week",
        "this year",
    ]
    assert all(sentence[m.start : m.end] == m.text for m in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_the_longest_expression_at_a_place_wins() -> None:
    assert texts("It began on Sunday night.", "en") == ["on Sunday night"]
    assert texts("It was Sunday, Oct. 14, 2017.", "en") == ["Sunday, Oct. 14, 2017"]
    assert texts("Fighting since October 14 went on.", "en") == ["October 14"]


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("The curfew starts at 19:00 and ends at 6:30 a.m.", "en"),
        ("The siege lasted three years and the talks 18 months.", "en"),
        ("For two weeks nobody came.", "en"),
        ("They may march 5 km to the square.", "en"),  # lower-case "may", "march": no months
        ("Aid reached 2013 families.", "en"),  # a count, not a year: no word before it
        ("Le couvre-feu commence à 21h00 pour trois ans.", "fr"),
        ("Окружающая среда страдает уже три года.", "ru"),  # среда: environment, no Wednesday
        ("É a segunda maior cidade e a sexta economia.", "pt"),  # ordinals, not weekdays
        ("Ήταν η τρίτη ημέρα της πολιορκίας.", "el"),  # τρίτη: third, not Tuesday
        ("استمر الحصار ثلاث سنوات.", "ar"),
    ],
)
def test_times_durations_and_lookalikes_are_not_dates(sentence: str, language: str) -> None:
    assert find_dates(sentence, language) == []


FRAGMENTS = [
    "on Sunday",
    "Oct. 14",
    "overnight",
    "last week",
    "in 2013",
    "14 October 2017",
    "at 19:00",
    "three years",
    "people",
    "said",
    "2017-10-14",
    "Tuesday's",
    ",",
    "—",
    "“quoted”",
    "earlier this month",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12), st.sampled_from(LANGUAGES))
def test_offsets_always_slice_back(words: list[str], language: str) -> None:
    text = " ".join(words)
    found = find_dates(text, language)
    assert all(text[m.start : m.end] == m.text for m in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_find_dates_does_not_import_dateparser() -> None:
    """Finding is our own patterns only: dateparser costs most of a second to import."""
    code = (
        "import sys\n"
        "from pipeline.interpret.dates import find_dates, resolve_date\n"
        "import datetime\n"
        "text = 'On Sunday, Oct. 14, overnight, 14 октября, in 2013. ' * 40\n"
        "assert find_dates(text, 'en') and find_dates(text, 'ru')\n"
        "resolve_date('on Sunday', 'en', datetime.date(2023, 3, 14))\n"
        "assert 'dateparser' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ----------------------------------------------------------------------------- ten languages


WEEKDAYS = [
    ("en", "The convoy was hit on Tuesday near the bridge.", "on Tuesday", TUESDAY),
    ("en", "Sunday's shelling damaged the school.", "Sunday's", SUNDAY),
    ("fr", "Le convoi a été visé mardi près du pont.", "mardi", TUESDAY),
    ("fr", "Les frappes de dimanche soir ont touché l'école.", "dimanche soir", SUNDAY),
    ("es", "El convoy fue atacado el martes cerca del puente.", "el martes", TUESDAY),
    ("es", "El bombardeo del domingo dañó la escuela.", "del domingo", SUNDAY),
    ("pt", "O comboio foi atingido na terça-feira perto da ponte.", "na terça-feira", TUESDAY),
    ("pt", "O ataque de domingo (12) danificou a escola.", "domingo (12)", SUNDAY),
    ("pt", "Nesta terça, o comboio foi atingido.", "Nesta terça", TUESDAY),
    ("de", "Der Konvoi wurde am Dienstag an der Brücke getroffen.", "am Dienstag", TUESDAY),
    ("de", "Der Beschuss am Sonntagabend traf die Schule.", "am Sonntagabend", SUNDAY),
    ("it", "Il convoglio è stato colpito martedì vicino al ponte.", "martedì", TUESDAY),
    ("it", "I bombardamenti di domenica hanno colpito la scuola.", "di domenica", SUNDAY),
    ("ru", "Колонну обстреляли во вторник у моста.", "во вторник", TUESDAY),
    ("ru", "Обстрел в воскресенье повредил школу.", "в воскресенье", SUNDAY),
    ("uk", "Колону обстріляли у вівторок біля мосту.", "у вівторок", TUESDAY),
    ("uk", "Обстріл у неділю пошкодив школу.", "у неділю", SUNDAY),
    ("uk", "У п’ятницю колона повернулася.", "У п’ятницю", date(2023, 3, 10)),
    ("uk", "У пʼятницю колона повернулася.", "У пʼятницю", date(2023, 3, 10)),
    ("ar", "استهدفت القافلة الثلاثاء قرب الجسر.", "الثلاثاء", TUESDAY),
    ("ar", "وأصاب القصف يوم الأحد مدرسة.", "يوم الأحد", SUNDAY),
    ("ar", "وقال المسؤول والثلاثاء إن القافلة عادت.", "الثلاثاء", TUESDAY),  # و glued on
    ("ar", "وعادت القافلة مساء الاثنين.", "مساء الاثنين", date(2023, 3, 13)),
    ("el", "Η φάλαγγα χτυπήθηκε την Τρίτη κοντά στη γέφυρα.", "την Τρίτη", TUESDAY),
    ("el", "Οι βομβαρδισμοί της Κυριακής έπληξαν το σχολείο.", "Κυριακής", SUNDAY),
    ("el", "Το βράδυ της Κυριακής έπεσαν ρουκέτες.", "Το βράδυ της Κυριακής", SUNDAY),
]


@pytest.mark.parametrize(("language", "sentence", "expression", "expected"), WEEKDAYS)
def test_weekdays_in_every_language(
    language: str, sentence: str, expression: str, expected: date
) -> None:
    assert texts(sentence, language) == [expression]
    assert when(expression, language) == (expected, DAY)
    assert event_date(sentence, language, TUESDAY) == EventDate(expected, DAY, expression, "quote")


EXPLICIT = [
    ("en", "The ceasefire of 14 October 2017 held.", "14 October 2017", date(2017, 10, 14)),
    ("fr", "Le cessez-le-feu du 14 octobre 2017 a tenu.", "du 14 octobre 2017", date(2017, 10, 14)),
    ("fr", "La trêve du 1er mai a tenu.", "du 1er mai", date(2022, 5, 1)),
    ("es", "La tregua del 14 de octubre de 2017 se mantuvo.", "del 14 de octubre de 2017", None),
    ("pt", "A trégua de 14 de outubro de 2017 foi mantida.", "14 de outubro de 2017", None),
    ("de", "Die Waffenruhe vom 14. Oktober 2017 hielt.", "vom 14. Oktober 2017", None),
    ("it", "La tregua del 14 ottobre 2017 ha retto.", "del 14 ottobre 2017", None),
    ("it", "La tregua dell'8 marzo ha retto.", "dell'8 marzo", date(2023, 3, 8)),
    ("ru", "Перемирие 14 октября 2017 года соблюдалось.", "14 октября 2017 года", None),
    ("uk", "Перемир'я 14 жовтня 2017 року трималося.", "14 жовтня 2017 року", None),
    ("ar", "صمدت الهدنة في 14 أكتوبر 2017.", "في 14 أكتوبر 2017", None),
    ("ar", "صمدت هدنة 14 تشرين الأول/أكتوبر 2017.", "14 تشرين الأول/أكتوبر 2017", None),
    ("el", "Η εκεχειρία της 14ης Οκτωβρίου 2017 κράτησε.", "14ης Οκτωβρίου 2017", None),
]


@pytest.mark.parametrize(("language", "sentence", "expression", "expected"), EXPLICIT)
def test_explicit_dates_in_every_language(
    language: str, sentence: str, expression: str, expected: date | None
) -> None:
    assert texts(sentence, language) == [expression]
    assert when(expression, language) == (expected or date(2017, 10, 14), DAY)


@pytest.mark.parametrize(
    ("expression", "language", "expected"),
    [
        ("14 октября", "ru", date(2022, 10, 14)),  # after a March anchor: last year's
        ("3 марта", "ru", date(2023, 3, 3)),  # before it: the anchor's year
        ("17 أكتوبر", "ar", date(2022, 10, 17)),
        ("١٧ أكتوبر", "ar", date(2022, 10, 17)),  # Arabic-Indic digits
        ("3 آذار", "ar", date(2023, 3, 3)),  # the Levantine month names
        ("3 березня", "uk", date(2023, 3, 3)),
        ("ΣΤΙΣ 3 ΜΑΡΤΙΟΥ", "el", date(2023, 3, 3)),  # capitals lose their accents
        ("3 mars", "fr", date(2023, 3, 3)),
        ("3 de marzo", "es", date(2023, 3, 3)),
        ("3 de março", "pt", date(2023, 3, 3)),
        ("3. März", "de", date(2023, 3, 3)),
        ("3 marzo", "it", date(2023, 3, 3)),
    ],
)
def test_yearless_dates_take_the_anchors_year_unless_that_is_later(
    expression: str, language: str, expected: date
) -> None:
    assert when(expression, language) == (expected, DAY)


@pytest.mark.parametrize(
    ("expression", "language", "expected"),
    [
        # A night "onto" a date is the night before it, as "overnight" is the day before.
        ("в ночь на 8 марта", "ru", date(2023, 3, 7)),
        ("в ночь с 7 на 8 марта", "ru", date(2023, 3, 7)),
        ("в ночь с 28 февраля на 1 марта", "ru", date(2023, 2, 28)),
        ("в ночь на среду", "ru", date(2023, 3, 7)),
        ("в ніч на 8 березня", "uk", date(2023, 3, 7)),
        ("у ніч проти неділі", "uk", date(2023, 3, 11)),
        ("в ніч з суботи на неділю", "uk", date(2023, 3, 11)),
        ("dans la nuit de samedi à dimanche", "fr", date(2023, 3, 11)),
        ("dans la nuit du 7 au 8 mars", "fr", date(2023, 3, 7)),
        ("in der Nacht zum Sonntag", "de", date(2023, 3, 11)),
        ("in der Nacht von Samstag auf Sonntag", "de", date(2023, 3, 11)),
        ("nella notte tra sabato e domenica", "it", date(2023, 3, 11)),
        ("la madrugada del sábado al domingo", "es", date(2023, 3, 11)),
        ("na noite de sábado para domingo", "pt", date(2023, 3, 11)),
        ("ليلة الجمعة", "ar", date(2023, 3, 9)),  # the night before Friday
        ("ليل السبت الأحد", "ar", date(2023, 3, 11)),
        ("τη νύχτα του Σαββάτου προς την Κυριακή", "el", date(2023, 3, 11)),
    ],
)
def test_nights(expression: str, language: str, expected: date) -> None:
    assert when(expression, language) == (expected, DAY)


RELATIVE = [
    ("fr", "hier", "cette nuit", "la semaine dernière", "le mois dernier", "cette année"),
    ("es", "ayer", "anoche", "la semana pasada", "el mes pasado", "este año"),
    ("pt", "ontem", "esta madrugada", "na semana passada", "no mês passado", "este ano"),
    ("de", "gestern", "in der Nacht", "letzte Woche", "im vergangenen Monat", "dieses Jahr"),
    ("it", "ieri", "stanotte", "la settimana scorsa", "il mese scorso", "quest'anno"),
    ("ru", "вчера", "этой ночью", "на прошлой неделе", "в прошлом месяце", "в этом году"),
    ("uk", "вчора", "вночі", "минулого тижня", "минулого місяця", "цього року"),
    ("ar", "أمس", "الليلة الماضية", "الأسبوع الماضي", "الشهر الماضي", "هذا العام"),
    ("el", "χθες", "τη νύχτα", "την περασμένη εβδομάδα", "τον περασμένο μήνα", "φέτος"),
]


@pytest.mark.parametrize(("language", "yesterday", "night", "week", "month", "year"), RELATIVE)
def test_relative_words_in_every_language(
    language: str, yesterday: str, night: str, week: str, month: str, year: str
) -> None:
    day_before = TUESDAY - timedelta(days=1)
    assert when(yesterday, language) == (day_before, DAY)
    assert when(night, language) == (day_before, DAY)
    assert when(week, language) == (TUESDAY - timedelta(days=7), WEEK)
    assert when(month, language) == (date(2023, 2, 1), MONTH)
    assert when(year, language) == (date(2023, 1, 1), YEAR)
    sentence = f"{yesterday}, {week}, {month}, {year}"
    assert texts(sentence, language) == [yesterday, week, month, year]
    for relative in (yesterday, night, week, month, year):
        assert when(relative, language, anchor=None) == (None, None)


@pytest.mark.parametrize(
    ("expression", "language", "expected"),
    [
        ("en 2013", "fr", date(2013, 1, 1)),
        ("desde 2011", "es", date(2011, 1, 1)),
        ("em 2013", "pt", date(2013, 1, 1)),
        ("im Jahr 2013", "de", date(2013, 1, 1)),
        ("nel 2013", "it", date(2013, 1, 1)),
        ("в 2013 году", "ru", date(2013, 1, 1)),
        ("у 2013 році", "uk", date(2013, 1, 1)),
        ("عام 2013", "ar", date(2013, 1, 1)),
        ("το 2013", "el", date(2013, 1, 1)),
    ],
)
def test_years_in_context(expression: str, language: str, expected: date) -> None:
    assert when(expression, language, anchor=None) == (expected, YEAR)
    assert texts(f"… {expression} …", language) == [expression]


def test_russian_needs_the_year_noun_for_a_bare_year() -> None:
    assert texts("в 2000 домах нет света", "ru") == []


@pytest.mark.parametrize(
    ("expression", "language", "expected"),
    [
        ("il y a deux jours", "fr", (date(2023, 3, 12), DAY)),
        ("hace tres semanas", "es", (date(2023, 2, 21), WEEK)),
        ("há dois dias", "pt", (date(2023, 3, 12), DAY)),
        ("vor zwei Tagen", "de", (date(2023, 3, 12), DAY)),
        ("due giorni fa", "it", (date(2023, 3, 12), DAY)),
        ("три дня назад", "ru", (date(2023, 3, 11), DAY)),
        ("неделю назад", "ru", (date(2023, 3, 7), WEEK)),
        ("два дні тому", "uk", (date(2023, 3, 12), DAY)),
        ("قبل يومين", "ar", (date(2023, 3, 12), DAY)),
        ("قبل ثلاثة أيام", "ar", (date(2023, 3, 11), DAY)),
        ("πριν από δύο ημέρες", "el", (date(2023, 3, 12), DAY)),
    ],
)
def test_ago_in_every_language(expression: str, language: str, expected: Reading) -> None:
    assert when(expression, language) == expected


def test_a_glued_arabic_clitic_stays_out_of_the_span() -> None:
    sentence = "وقال إن الهجوم وقع والأحد."
    [mention] = find_dates(sentence, "ar")
    assert mention.text == "الأحد" and sentence[mention.start - 1] == "و"
    assert when("والأحد", "ar") == (SUNDAY, DAY)


def test_a_language_without_a_file_reads_english_and_numeric_dates() -> None:
    assert when("2017-10-14", "tr") == (date(2017, 10, 14), DAY)
    assert texts("Saldırı 2017-10-14 tarihinde oldu.", "tr") == ["2017-10-14"]


# ----------------------------------------------------------------------------- event_date


def test_event_date_prefers_a_day_over_a_year() -> None:
    sentence = "This year's worst attack came on Sunday, officials said."
    assert event_date(sentence, "en", TUESDAY) == EventDate(SUNDAY, DAY, "on Sunday", "quote")


def test_event_date_takes_the_first_of_equals() -> None:
    sentence = "Drones struck overnight, after shelling on Sunday."
    assert event_date(sentence, "en", TUESDAY).text == "overnight"


def test_event_date_passes_over_the_start_of_a_span() -> None:
    sentence = "Since Jan. 27 the town has been cut off, and on Sunday a convoy was hit."
    assert event_date(sentence, "en", TUESDAY) == EventDate(SUNDAY, DAY, "on Sunday", "quote")
    only = "The town has been cut off since Jan. 27."  # a span's start is not the event's date
    assert event_date(only, "en", TUESDAY) == EventDate(TUESDAY, WEEK, None, "document")
    assert (
        event_date(
            "Depuis dimanche, la ville est coupée; hier, un convoi a été touché.", "fr", TUESDAY
        ).text
        == "hier"
    )


def test_event_date_without_a_date_is_the_articles() -> None:
    sentence = "Three people were wounded, the ministry said."
    assert event_date(sentence, "en", TUESDAY) == EventDate(TUESDAY, WEEK, None, "document")
    assert event_date(sentence, "en", None) == EventDate(None, None, None, "document")
    # A relative date without an anchor resolves to nothing: the article's (unknown) date.
    assert event_date("Drones struck overnight.", "en", None) == EventDate(
        None, None, None, "document"
    )
    assert event_date("Drones struck on 14 October 2017.", "en", None) == EventDate(
        date(2017, 10, 14), DAY, "14 October 2017", "quote"
    )


# ----------------------------------------------------------------------------- article_date


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "PORTVILLE, June 12, 2024 (Wire) - Fighting resumed.", date(2024, 6, 12)),
        ("en", "Fighting resumes\nPublished: 12 June 2024\nShelling went on.", date(2024, 6, 12)),
        ("en", "Updated Oct. 15, 2017, 10:32 a.m.\nText.", date(2017, 10, 15)),
        ("en", "By J. Doe | June 12, 2024\nText.", date(2024, 6, 12)),
        ("en", "2024-06-12T10:30:00Z\nText.", date(2024, 6, 12)),
        ("de", "Schlagzeile\n15.10.2017\nText.", date(2017, 10, 15)),
        ("de", "Veröffentlicht am 12.06.2024, 14:35 Uhr", date(2024, 6, 12)),
        ("ru", "Заголовок\n12 июня 2024 года\nТекст.", date(2024, 6, 12)),
        ("ru", "Опубликовано: 12.06.2024 14:35", date(2024, 6, 12)),
        ("uk", "Опубліковано 12 червня 2024 року", date(2024, 6, 12)),
        ("fr", "Titre\nPublié le 12 juin 2024 à 10h30\nTexte.", date(2024, 6, 12)),
        ("es", "PORTVILLE, 12 de junio de 2024 (Agencia) -", date(2024, 6, 12)),
        ("pt", "Publicado em 12 de junho de 2024", date(2024, 6, 12)),
        ("it", "Pubblicato il 12 giugno 2024", date(2024, 6, 12)),
        ("ar", "عنوان\nنشر في 12 يونيو 2024\nنص.", date(2024, 6, 12)),
        ("el", "Τίτλος\nΔημοσιεύθηκε: 12 Ιουνίου 2024", date(2024, 6, 12)),
    ],
)
def test_article_date_from_datelines_and_bylines(language: str, text: str, expected: date) -> None:
    assert article_date(text, language) == expected


def test_article_date_is_not_a_date_in_a_sentence() -> None:
    assert article_date("The war began on 24 February 2022 and has not stopped.", "en") is None
    assert article_date("PORTVILLE, June 12 (Wire) - no year, no date.", "en") is None
    late = "\n".join(["line"] * 12 + ["Published: 12 June 2024"])
    assert article_date(late, "en") is None  # only the first lines are the article's head


# ----------------------------------------------------------------------------- the data files


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_data_file_names_every_weekday_and_month(language: str) -> None:
    lang = compiled(language)
    assert set(lang.weekdays.values()) == set(range(7))
    assert set(lang.months.values()) == set(range(1, 13))
    assert vocab.load("dates", language)["language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_data_agrees_with_dateparser_where_it_reads_the_name(language: str) -> None:
    """Every month and weekday form that dateparser also knows means the same to it; forms it
    does not know (inflections, Levantine months) are the reason the data file exists."""
    from dateparser.date import DateDataParser

    data = vocab.load("dates", language)
    base = datetime(2023, 3, 14)
    parser = DateDataParser(languages=[language], settings={"RELATIVE_BASE": base})
    read = 0
    for month, forms in data["months"].items():
        for form in forms:
            found = parser.get_date_data(f"14 {form} 2017").date_obj
            assert found is None or found.month == int(month), (form, found)
            read += found is not None
    weekdays = {**data["weekdays"], **(data.get("weekdays_short") or {})}
    for weekday, forms in weekdays.items():
        for form in forms:
            found = parser.get_date_data(form).date_obj
            assert found is None or found.weekday() == int(weekday), (form, found)
            read += found is not None
    assert read >= 19  # at least the base forms of every month and weekday


def test_lookup_keys_ignore_accents_case_and_spelling_variants() -> None:
    assert key("ΟΚΤΩΒΡΙΟΥ") == key("Οκτωβρίου")
    assert key("الإثنين") == key("الاثنين")
    assert key("пʼятниця") == key("п’ятниця")
    assert key("Martedi") == key("martedì")
