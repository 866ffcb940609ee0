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
