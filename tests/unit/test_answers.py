"""pipeline.extract.answers: a model's answer checked against its chunk's choices.

The second line behind the response schema, for endpoints that ignore schemas and models that
drift: a sentence key or number phrase the chunk does not offer is an error message instructor
feeds back to the model; a place or name outside the chunk's lists is dropped. A record's
figures come as one list; code files each under the field that holds what it counts.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pipeline.extract.answers import answer_model, drafts, set_request_schema
from pipeline.extract.candidates import ChunkChoices, choices
from pipeline.extract.sentences import chunks
from schemas import RecordSpec, record_spec

TEXT = (
    "Gunmen attacked a convoy near Mopti on Sunday, killing 11 soldiers and wounding four, "
    "the army said. "
    "Another 60 people fled to Sévaré, according to Fatoumata Keita of the local council. "
    "Mediators from Algeria will host talks between the government and the rebels in Algiers. "
    "The rebels said they had taken the town of Kidal."
)

CASUALTY = record_spec("casualty")
DISPLACEMENT = record_spec("displacement")
TALKS = record_spec("talks")
TERRITORY = record_spec("territorial_claim")


@pytest.fixture(scope="module")
def chunk(gazetteer: Any) -> ChunkChoices:
    [only] = chunks(TEXT, "en")
    found = choices(only, "en", gazetteer)
    # What the tests below rely on: the parser's numbers and the gazetteer's places.
    assert [found.number_texts(i) for i in (1, 2, 3, 4)] == [["11", "four"], ["60"], [], []]
    assert {"Mopti", "Algeria", "Algiers", "Kidal"} <= set(found.place_texts())
    assert "Sévaré" not in found.place_texts() and "Sévaré" in found.name_texts()
    assert {"Fatoumata Keita", "the government"} <= set(found.name_texts())
    return found


def validate(answer: Any, chunk: ChunkChoices, *specs: RecordSpec) -> Any:
    model = answer_model(specs)
    context = {"choices": chunk, "specs": {s.name: s for s in specs}}
    return model.model_validate(answer, context=context)


def casualty(*figures: Any, location: Any = None) -> dict[str, Any]:
    """A casualty record as the model answers it."""
    return {"figures": list(figures), "location": location}


def filed(killed: Any = None, injured: Any = None, location: Any = None) -> dict[str, Any]:
    """A casualty draft's values: the figures filed under their fields."""
    return {"killed": killed, "injured": injured, "missing": None, "location": location}


def problems(answer: Any, chunk: ChunkChoices, *specs: RecordSpec) -> str:
    with pytest.raises(ValidationError) as raised:
        validate(answer, chunk, *specs)
    return str(raised.value)


# ----------------------------------------------------------------------------- errors fed back


def test_a_valid_answer_passes_and_becomes_a_draft(chunk: ChunkChoices) -> None:
    answer = validate({"sentence_1": casualty("11", "four", location="Mopti")}, chunk, CASUALTY)
    [draft] = drafts(answer, (CASUALTY,), chunk)
    assert (draft.record_type, draft.chunk_index, draft.sentence) == ("casualty", 0, 1)
    assert draft.values == filed("11", "four", "Mopti")


def test_figures_are_filed_by_what_their_words_count_not_by_their_order(
    chunk: ChunkChoices,
) -> None:
    answer = validate({"sentence_1": casualty("four", "11", "four")}, chunk, CASUALTY)
    [draft] = drafts(answer, (CASUALTY,), chunk)
    assert draft.values == filed(killed="11", injured="four")


def test_a_figure_no_field_of_the_type_holds_is_not_kept(chunk: ChunkChoices) -> None:
    # "60 people fled" counts the displaced: a casualty record has no field for it
    answer = validate({"sentence_2": casualty("60")}, chunk, CASUALTY)
    assert drafts(answer, (CASUALTY,), chunk) == []
    [moved] = drafts(validate({"sentence_2": {"figures": ["60"], "location": None}}, chunk,
                              DISPLACEMENT), (DISPLACEMENT,), chunk)  # fmt: skip
    assert moved.values["displaced"] == "60" and moved.values["evacuated"] is None


@pytest.mark.parametrize("key", ["sentence_5", "sentence_0", "sentence_-1", "row_1", "1", ""])
def test_a_sentence_key_outside_the_chunk_is_an_error(chunk: ChunkChoices, key: str) -> None:
    message = problems({key: casualty("11")}, chunk, CASUALTY)
    assert f"{key!r} is not a sentence key; use sentence_1 … sentence_4" in message


def test_a_number_phrase_of_another_sentence_is_an_error_naming_the_choices(
    chunk: ChunkChoices,
) -> None:
    message = problems({"sentence_1": casualty("11", "60")}, chunk, CASUALTY)
    assert "casualty sentence_1: figures ['60'] are not number phrases of sentence 1" in message
    assert "choose among ['11', 'four'], or []" in message


@pytest.mark.parametrize("value", ["12", "eleven", "11 soldiers", 11, ["11"]])
def test_a_number_the_sentence_does_not_write_so_is_an_error(
    chunk: ChunkChoices, value: Any
) -> None:
    assert "are not number phrases of sentence 1" in problems(
        {"sentence_1": casualty(value)}, chunk, CASUALTY
    )


def test_keys_the_record_does_not_have_are_an_error(chunk: ChunkChoices) -> None:
    # what a model writes when the endpoint ignores the schema: a field per quantity
    answer = {"sentence_1": {"killed": "11", "injured": "four", "location": "Mopti"}}
    message = problems(answer, chunk, CASUALTY)
    assert "unknown keys ['killed', 'injured']: a casualty record has ['figures', 'location']" in (
        message
    )


def test_figures_that_are_not_a_list_are_an_error(chunk: ChunkChoices) -> None:
    answer = {"sentence_1": {"figures": "11", "location": None}}
    assert "figures ['11'] are not number phrases" in problems(answer, chunk, CASUALTY)


def test_a_number_in_a_sentence_without_numbers_is_an_error(chunk: ChunkChoices) -> None:
    message = problems({"sentence_4": casualty("11")}, chunk, CASUALTY)
    assert "choose among [], or []" in message


def test_a_record_must_be_an_object(chunk: ChunkChoices) -> None:
    assert "a record is an object, or null" in problems(
        {"sentence_1": "11 killed"}, chunk, CASUALTY
    )


def test_every_problem_is_reported_up_to_six(chunk: ChunkChoices) -> None:
    answer = {f"sentence_{i}": casualty("999", "998") for i in (1, 2)}
    answer |= {f"sentence_{i}": casualty() for i in (3, 4)} | {"sentence_9": casualty()}
    message = problems(answer, chunk, CASUALTY)
    assert "sentence_1: figures ['999', '998']" in message
    assert "sentence_2: figures ['999', '998']" in message and "'sentence_9'" in message
    many = {f"sentence_{i}": casualty() for i in range(10, 20)}
    assert problems(many, chunk, CASUALTY).count("is not a sentence key") == 6


def test_an_answer_is_only_validated_with_its_choices(chunk: ChunkChoices) -> None:
    with pytest.raises(ValidationError, match="pass the choices"):
        answer_model((CASUALTY,)).model_validate({"sentence_1": None})
    with pytest.raises(ValidationError, match="pass the choices"):
        validate(["sentence_1"], chunk, CASUALTY)


# ----------------------------------------------------------------------------- dropped values


def test_a_place_outside_the_list_is_dropped(chunk: ChunkChoices) -> None:
    for invented in ("Timbuktu", "Sévaré", "mopti", "Fatoumata Keita"):
        answer = validate({"sentence_1": casualty("11", location=invented)}, chunk, CASUALTY)
        [draft] = drafts(answer, (CASUALTY,), chunk)
        assert draft.values["location"] is None, invented


def talks(sentence: str, **fields: Any) -> dict[str, Any]:
    """The one talks record of a chunk, as the model answers it."""
    return {"record": {"sentence": sentence, **fields}}


def test_names_and_parties_outside_the_list_are_dropped(chunk: ChunkChoices) -> None:
    answer = {
        "record": {
            "sentence": "sentence_3",
            "venue": "Algiers",
            "parties": [
                {"side": "the government", "head": "Amadou Diallo"},  # an invented head
                {"side": "the rebels' leaders", "head": "nobody"},  # neither is listed
                {"side": None, "head": "Fatoumata Keita"},
                "the army",  # not an object
            ],
            "mediators": ["Algeria", "the United Nations", "Algeria", 7, None],
        }
    }
    [draft] = drafts(validate(answer, chunk, TALKS), (TALKS,), chunk)
    assert draft.values == {
        "venue": "Algiers",
        "parties": [{"side": "the government", "head": None},
                    {"side": None, "head": "Fatoumata Keita"}],
        "mediators": ["Algeria"],
    }  # fmt: skip


def test_names_that_are_not_a_list_are_dropped(chunk: ChunkChoices) -> None:
    answer = talks("sentence_3", venue=None, parties="the government", mediators="Algeria")
    assert drafts(validate(answer, chunk, TALKS), (TALKS,), chunk) == []


def test_the_one_talks_record_of_a_chunk_is_a_draft_of_its_sentence(chunk: ChunkChoices) -> None:
    answer = talks("sentence_3", venue="Algiers", parties=[], mediators=["Algeria"])
    [draft] = drafts(validate(answer, chunk, TALKS), (TALKS,), chunk)
    assert (draft.sentence, draft.values["venue"]) == (3, "Algiers")
    assert drafts(validate({"record": None}, chunk, TALKS), (TALKS,), chunk) == []
    keys = {"talks": {"sentence_3"}}
    assert drafts(validate(talks("sentence_4", venue="Kidal", parties=[], mediators=[]), chunk,
                           TALKS), (TALKS,), chunk, keys) == []  # fmt: skip


def test_a_choice_outside_the_declared_ones_is_dropped(chunk: ChunkChoices) -> None:
    def claim(action: str) -> dict[str, Any]:
        return {"sentence_4": {"claimant": "Gunmen", "place": "Kidal", "action": action,
                               "figures": []}}  # fmt: skip

    [took] = drafts(validate(claim("took"), chunk, TERRITORY), (TERRITORY,), chunk)
    assert took.values["action"] == "took"
    [other] = drafts(validate(claim("captured"), chunk, TERRITORY), (TERRITORY,), chunk)
    assert other.values == {"claimant": "Gunmen", "place": "Kidal", "action": None, "area": None}


@pytest.mark.parametrize("word", ["null", "None", " N/A ", "unknown", "-", ""])
def test_words_for_nothing_are_nothing(chunk: ChunkChoices, word: str) -> None:
    answer = validate({"sentence_1": casualty("11", location=word)}, chunk, CASUALTY)
    [draft] = drafts(answer, (CASUALTY,), chunk)
    assert draft.values == filed("11")


def test_a_record_that_says_nothing_is_not_kept(chunk: ChunkChoices) -> None:
    answer = {"sentence_3": casualty(location="Sévaré"), "sentence_2": None}
    assert drafts(validate(answer, chunk, CASUALTY), (CASUALTY,), chunk) == []


def test_an_empty_record_is_kept_where_the_sentence_counts_the_types_measures(
    chunk: ChunkChoices,
) -> None:
    # the model marked the sentences but chose no number: "killing 11 soldiers" reads as a
    # casualty figure, so interpretation gets the sentence; "60 people fled" does not
    answer = {"sentence_1": casualty(), "sentence_2": casualty()}
    [draft] = drafts(validate(answer, chunk, CASUALTY), (CASUALTY,), chunk)
    assert draft.sentence == 1 and draft.values == filed()


# ----------------------------------------------------------------------------- several types


def test_one_answer_for_several_record_types(chunk: ChunkChoices) -> None:
    specs = (CASUALTY, DISPLACEMENT, TALKS)
    answer = {
        "casualty": {"sentence_1": casualty("11", "four", location="Mopti")},
        "displacement": {"sentence_2": {"figures": ["60"], "location": "Mali"}},
        "talks": {"record": None},
    }  # fmt: skip
    found = drafts(validate(answer, chunk, *specs), specs, chunk)
    assert [(d.record_type, d.sentence) for d in found] == [("casualty", 1), ("displacement", 2)]
    assert found[1].values["location"] is None  # not a place of this chunk


def test_problems_of_several_types_name_their_type(chunk: ChunkChoices) -> None:
    answer = {"casualty": {"sentence_1": casualty("60")},
              "displacement": {"sentence_2": {"figures": ["four"]}}}  # fmt: skip
    message = problems(answer, chunk, CASUALTY, DISPLACEMENT)
    assert "casualty sentence_1: figures ['60']" in message
    assert "displacement sentence_2: figures ['four']" in message


def test_a_record_type_missing_from_the_answer_has_no_drafts(chunk: ChunkChoices) -> None:
    specs = (CASUALTY, TALKS)
    answer = {"casualty": {"sentence_1": casualty("11")}, "talks": "none"}
    found = drafts(validate(answer, chunk, *specs), specs, chunk)
    assert [d.record_type for d in found] == ["casualty"]


def test_drafts_come_in_sentence_order_then_declaration_order(chunk: ChunkChoices) -> None:
    specs = (TALKS, CASUALTY)
    answer = {
        "talks": talks("sentence_1", venue="Mopti", parties=[], mediators=[]),
        "casualty": {"sentence_2": casualty(), "sentence_1": casualty("11")},
    }  # fmt: skip
    found = drafts(validate(answer, chunk, *specs), specs, chunk)
    assert [(d.sentence, d.record_type) for d in found] == [(1, "talks"), (1, "casualty")]


# ----------------------------------------------------------------------------- the classes


def test_answer_classes_are_named_by_record_types_and_reused() -> None:
    assert answer_model((CASUALTY,)).__name__ == "casualty_records"
    assert answer_model((CASUALTY, TALKS)).__name__ == "chunk_records"
    assert answer_model((CASUALTY,)) is answer_model((CASUALTY,))
    assert answer_model((CASUALTY, TALKS)) is not answer_model((TALKS, CASUALTY))


def test_the_schema_instructor_sends_is_the_requests_own() -> None:
    schema = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
    set_request_schema(schema)
    assert answer_model((TALKS,)).model_json_schema() is schema
