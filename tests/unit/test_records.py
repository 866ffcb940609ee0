"""Drafts → facts: what the code reads around the numbers the model chose.

Sentences written for these tests."""

import pytest

from pipeline.interpret.places import Gazetteer
from pipeline.interpret.records import interpret
from schemas import Chunk, Document, Draft, Extraction, Sentence


@pytest.fixture(scope="module")
def places() -> Gazetteer:
    return Gazetteer.load()


def facts_of(text: str, record_type: str, values: dict[str, str | None], places: Gazetteer):
    document = Document("d1", "d1.txt", text)
    chunk = Chunk(0, 0, len(text), text, (Sentence(1, 0, len(text), text),))
    draft = Draft(record_type, 0, 1, values)
    extraction = Extraction("d1", drafts=[draft], chunks=[chunk])
    return [
        (f.measure, text[f.phrase_start : f.phrase_end])
        for f in interpret(document, extraction, places).facts
    ]


def test_a_conversion_in_brackets_is_the_same_figure(places: Gazetteer) -> None:
    text = "Drones struck a refinery 1,800 kilometres (1,120 miles) from the border on Friday."
    # whichever form the model chose, the figure is the first one, stated once
    for chosen in ("1,800 kilometres", "1,120 miles"):
        values = {"launched": None, "downed": None, "hit": None, "distance": chosen}
        assert facts_of(text, "attack", values, places) == [("distance_km", "1,800 kilometres")]


def test_two_distances_are_two_figures(places: Gazetteer) -> None:
    text = "Drones flew 1,800 kilometres and then 300 kilometres more before they struck."
    values = {"launched": None, "downed": None, "hit": None, "distance": "300 kilometres"}
    assert facts_of(text, "attack", values, places) == [
        ("distance_km", "1,800 kilometres"),
        ("distance_km", "300 kilometres"),
    ]


def test_a_capital_named_before_only_as_a_voice_is_not_the_place(places: Gazetteer) -> None:
    first = "Kyiv says dozens of people were wounded."
    second = "A rocket hit a block of flats on Sunday, killing ten people."
    text = f"{first} {second}"
    sentences = (Sentence(1, 0, len(first), first), Sentence(2, len(first) + 1, len(text), second))
    document = Document("d2", "d2.txt", text)
    chunk = Chunk(0, 0, len(text), text, sentences)
    values = {"killed": "ten", "injured": None, "missing": None, "location": "Kyiv"}
    extraction = Extraction("d2", drafts=[Draft("casualty", 0, 2, values)], chunks=[chunk])
    (record,) = interpret(document, extraction, places).records
    assert record.location is None
    # named as the place of something, the same capital stays the model's choice
    first = "Shelling hit Kyiv overnight."
    text = f"{first} {second}"
    sentences = (Sentence(1, 0, len(first), first), Sentence(2, len(first) + 1, len(text), second))
    document = Document("d3", "d3.txt", text)
    chunk = Chunk(0, 0, len(text), text, sentences)
    extraction = Extraction("d3", drafts=[Draft("casualty", 0, 2, values)], chunks=[chunk])
    (record,) = interpret(document, extraction, places).records
    assert record.location is not None and record.location.text == "Kyiv"


def _two_sentences(first: str, second: str, draft: Draft) -> tuple[Document, Extraction]:
    import datetime as dt

    text = f"{first} {second}"
    sentences = (Sentence(1, 0, len(first), first), Sentence(2, len(first) + 1, len(text), second))
    document = Document("d4", "d4.txt", text, published=dt.date(2023, 5, 2))
    chunk = Chunk(0, 0, len(text), text, sentences)
    return document, Extraction("d4", drafts=[draft], chunks=[chunk])


def test_a_sentence_told_at_the_time_takes_the_date_before_it(places: Gazetteer) -> None:
    first = "The rebels took the town in March 2021."
    values = {"displaced": "Up to 5,000", "evacuated": None, "settlements": None, "location": None}
    draft = Draft("displacement", 0, 2, values)
    said = "Up to 5,000 people fled in the days after, the UN said at the time."
    (record,) = interpret(*_two_sentences(first, said, draft), places).records
    assert record.date is not None
    assert (str(record.date.date), record.date.precision and record.date.precision.value) == (
        "2021-03-01",
        "month",
    )
    # without the words that send the reader back, the figure is of the article's time
    said = "Up to 5,000 people have fled in the past days, the UN said."
    (record,) = interpret(*_two_sentences(first, said, draft), places).records
    assert record.date is not None and record.date.source == "document"


def _casualty(killed: str, injured: str | None = None, sentence: int = 1) -> Draft:
    values = {"killed": killed, "injured": injured, "missing": None, "location": None}
    return Draft("casualty", 0, sentence, values)


@pytest.mark.parametrize(
    ("first", "second", "killed", "injured", "language", "scope"),
    [
        (
            "The first estimates were lower.",
            "In the morning the regional office spoke of 30 dead and 80 injured.",
            "30",
            "80",
            "en",
            "superseded",
        ),
        (
            "Перші оцінки були нижчими.",
            "Вранці обласна адміністрація писала про 30 загиблих і 80 поранених.",
            "30",
            "80",
            "uk",
            "superseded",
        ),
        (
            "Les premiers bilans étaient moins lourds.",
            "Dans la matinée, la préfecture parlait de 30 morts et de 80 blessés.",
            "30",
            "80",
            "fr",
            "superseded",
        ),
        # a sentence of another kind before it frames nothing
        (
            "The streets were quiet by noon.",
            "In the evening the regional office spoke of 30 dead and 80 injured.",
            "30",
            "80",
            "en",
            "incident",
        ),
        # one that gives its own earlier count tells that count, not the next sentence's
        (
            "The first estimates spoke of 20 dead.",
            "By evening the regional office counted 30 dead and 80 injured.",
            "30",
            "80",
            "en",
            "incident",
        ),
    ],
)
def test_figures_after_a_sentence_naming_earlier_counts_are_superseded(
    places: Gazetteer, first: str, second: str, killed: str, injured: str, language: str, scope: str
) -> None:
    from dataclasses import replace

    document, extraction = _two_sentences(first, second, _casualty(killed, injured, 2))
    document = replace(document, language=language)
    facts = interpret(document, extraction, places).facts
    assert sorted((f.measure, f.scope.value) for f in facts) == [
        ("injured", scope),
        ("killed", scope),
    ]


@pytest.mark.parametrize(
    ("text", "language", "source"),
    [
        ("A city daily published on Thursday a list of 50 people killed.", "en", "document"),
        ("Un quotidien a publié jeudi une liste de 50 personnes tuées.", "fr", "document"),
        ("Un documento riservato circolato giovedì parlava di 50 morti.", "it", "document"),
        # the day of the event itself
        ("Fifty people were killed on Thursday.", "en", "quote"),
    ],
)
def test_the_day_a_report_was_published_is_not_the_events(
    places: Gazetteer, text: str, language: str, source: str
) -> None:
    import datetime as dt

    document = Document("d6", "d6.txt", text, published=dt.date(2023, 5, 5), language=language)
    chunk = Chunk(0, 0, len(text), text, (Sentence(1, 0, len(text), text),))
    number = "Fifty" if text.startswith("Fifty") else "50"
    extraction = Extraction("d6", drafts=[_casualty(number)], chunks=[chunk])
    (record,) = interpret(document, extraction, places).records
    assert record.date is not None and record.date.source == source


def test_a_name_the_page_calls_a_quarter_is_one_in_each_of_its_articles(places: Gazetteer) -> None:
    from pipeline.interpret.record_places import districts_in

    text = "Gunmen attacked the police school in Zarqa before dawn on Tuesday."
    sibling = "Gunfire was heard in the Zarqa district, where the school stands, residents said."
    alone = Document("d7.2", "page.txt", text, part=2)
    assert "Zarqa" not in districts_in(alone, places)
    on_page = Document("d7.2", "page.txt", text, part=2, page_context=sibling)
    assert "Zarqa" in districts_in(on_page, places)


def test_names_of_a_record_stand_in_its_own_sentence(places: Gazetteer) -> None:
    first = "A security source told the Harbour Courier that envoys had left for the capital."
    second = "Envoys of the Coastal Front and the Hill Council met in Lusaka, mediated by Zambia."
    values = {
        "venue": "Lusaka",
        "parties": [
            {"side": "Coastal Front", "head": None},
            # named only in the sentence before: no head of this one's
            {"side": "Hill Council", "head": "Harbour Courier"},
        ],
        "mediators": ["Zambia", "Harbour Courier"],
    }
    document, extraction = _two_sentences(first, second, Draft("talks", 0, 2, values))
    (record,) = interpret(document, extraction, places).records
    assert [(p.side, p.head) for p in record.values["parties"]] == [
        ("Coastal Front", None),
        ("Hill Council", None),
    ]
    assert record.values["mediators"] == ("Zambia",)


def test_a_talks_record_is_evidenced_by_the_sentences_of_its_chunk_about_the_talks(
    places: Gazetteer,
) -> None:
    # One talks record per chunk: the model chose the second sentence, the sides are named in
    # the first, which is about the same talks; the quote runs over both.
    first = "Envoys of the Coastal Front and the Hill Council opened talks on Tuesday."
    second = "The talks in Lusaka are mediated by Zambia."
    values = {
        "venue": "Lusaka",
        "parties": [
            {"side": "Coastal Front", "head": None},
            {"side": "Hill Council", "head": None},
        ],
        "mediators": ["Zambia"],
    }
    document, extraction = _two_sentences(first, second, Draft("talks", 0, 2, values))
    (record,) = interpret(document, extraction, places).records
    assert [p.side for p in record.values["parties"]] == ["Coastal Front", "Hill Council"]
    evidence = record.evidence
    assert evidence.quote == f"{first} {second}"
    assert document.text[evidence.char_start : evidence.char_end] == evidence.quote


def test_the_place_the_sentence_names_by_its_figures_beats_another_it_names(
    places: Gazetteer,
) -> None:
    # The model chose the capital that denies; the sentence names the city hit by the figure.
    text = "The missile strike on Ganja killed 14 people, and officials in Yerevan denied any part."
    document = Document("d8", "d8.txt", text)
    chunk = Chunk(0, 0, len(text), text, (Sentence(1, 0, len(text), text),))
    values = {"killed": "14", "injured": None, "missing": None, "location": "Yerevan"}
    extraction = Extraction("d8", drafts=[Draft("casualty", 0, 1, values)], chunks=[chunk])
    (record,) = interpret(document, extraction, places).records
    assert record.location is not None and record.location.text == "Ganja"
