"""What the model is shown: the chunk's choices (extract.candidates) and the prompt layout
(extract.prompts, extract.plan), laid out for llama.cpp's KV cache.

The system prompt is the same for every request, and a chunk's requests follow one another
and share their whole user message but the final task line, so the server reads a chunk once
whatever the number of record types asked.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pipeline.extract import plan
from pipeline.extract.candidates import choices
from pipeline.extract.prompts import (
    chunk_listing,
    messages,
    prompt_version,
    system_prompt,
    task_line,
)
from pipeline.extract.sentences import chunks
from schemas import Document, NumberKind, record_spec, record_specs

CLASH = (
    "Fighters attacked two checkpoints near Mopti, killing 11 soldiers and wounding four. "
    "About 600 residents fled the area, the regional governor said. "
    "Talks between the army and the militia are due in Bamako next week."
)
NOT_COUNTS = (
    "In 2023, 12 gunmen raided the camp on March 3 at 6:30 a.m., and prices rose 40 percent. "
    "A 9-year-old boy was among three people wounded."
)


def document(text: str, name: str = "doc", language: str = "en") -> Document:
    return Document(name, f"{name}.txt", text, language=language)


# ----------------------------------------------------------------------------- candidates


def test_number_phrases_belong_to_their_sentence_with_the_chunks_offsets(gazetteer: Any) -> None:
    [chunk] = chunks(CLASH, "en")
    found = choices(chunk, "en", gazetteer)
    numbers = [[(n.text, n.measure) for n in s.numbers] for s in found.sentences]
    assert numbers == [[("two", "targets_hit"), ("11", "killed"), ("four", "injured")],
                       [("About 600", "displaced")], []]  # fmt: skip
    for sentence in found.sentences:
        for number in sentence.numbers:
            assert chunk.text[number.start : number.end] == number.text
            assert number.text in sentence.text
    assert found.has_numbers
    assert found.number_texts(1) == ["two", "11", "four"]
    assert found.number_texts(1, ["killed", "injured"]) == ["11", "four"]


def test_only_counts_and_measures_are_offered(gazetteer: Any) -> None:
    [chunk] = chunks(NOT_COUNTS, "en")
    found = choices(chunk, "en", gazetteer)
    offered = [n.text for s in found.sentences for n in s.numbers]
    assert offered == ["three"]
    kinds = {m.text: m.kind for m in found.mentions}
    for text, kind in kinds.items():
        if kind not in (NumberKind.COUNT, NumberKind.MEASURE):
            assert not any(text in o for o in offered), text
    assert {NumberKind.YEAR, NumberKind.PERCENT, NumberKind.AGE} <= set(kinds.values())


def test_places_and_names_are_the_chunks_words(gazetteer: Any) -> None:
    [chunk] = chunks(CLASH, "en")
    found = choices(chunk, "en", gazetteer)
    assert {"Mopti", "Bamako"} <= set(found.place_texts())
    for choice in (*found.places, *found.names):
        assert chunk.text[choice.start : choice.end] == choice.text
    assert "the army" in found.name_texts()
    # A name never overlaps a number phrase.
    spans = [(m.start, m.end) for m in found.mentions]
    assert not any(s < n.end and n.start < e for n in found.names for s, e in spans)
    assert len(found.place_texts()) == len(set(found.place_texts()))


def test_a_chunk_without_numbers_offers_none(gazetteer: Any) -> None:
    [chunk] = chunks("The envoy arrived in Bamako and met the militia's leaders.", "en")
    found = choices(chunk, "en", gazetteer)
    assert not found.has_numbers and found.number_texts(1) == []


# ----------------------------------------------------------------------------- the listing


def test_the_chunk_listing(gazetteer: Any) -> None:
    text = "Gunmen killed 11 soldiers near Mopti. The governor condemned it."
    [chunk] = chunks(text, "en")
    listing = chunk_listing(choices(chunk, "en", gazetteer))
    lines = listing.splitlines()
    assert lines[:5] == [
        "Sentences:",
        "[1] Gunmen killed 11 soldiers near Mopti.",
        "[2] The governor condemned it.",
        "Numbers:",
        '[1] "11"',
    ]
    assert lines[5] == 'Places: "Mopti"'
    # A place is listed once, though a name field may take it too.
    assert lines[6].startswith("Names: ") and '"Mopti"' not in lines[6]
    assert "Mopti" in choices(chunk, "en", gazetteer).name_texts()


def test_a_listing_says_none_where_there_is_nothing(gazetteer: Any) -> None:
    [chunk] = chunks("it was quiet.", "en")
    assert chunk_listing(choices(chunk, "en", gazetteer)).splitlines()[2:] == [
        "Numbers: none", "Places: none", "Names: none",
    ]  # fmt: skip


def test_task_lines() -> None:
    assert task_line([record_spec("casualty")]) == "Task casualty."
    both = task_line([record_spec("casualty"), record_spec("attack")])
    assert both == "Tasks casualty, attack: one answer object per task."


# ----------------------------------------------------------------------------- the layout


def test_the_system_prompt_is_identical_for_every_request(gazetteer: Any) -> None:
    others = document(NOT_COUNTS, "other")
    requests = [*plan(document(CLASH), gazetteer), *plan(others, gazetteer),
                *plan(document(CLASH), gazetteer, "per_chunk")]  # fmt: skip
    assert len(requests) >= 4
    systems = {r.messages[0]["content"] for r in requests}
    assert systems == {system_prompt()}
    assert [m["role"] for r in requests for m in r.messages] == ["system", "user"] * len(requests)
    for spec in record_specs():  # one part per record type, whichever is asked
        assert spec.name in system_prompt()


def test_a_chunks_requests_share_all_but_the_task_line(gazetteer: Any) -> None:
    requests = plan(document(CLASH), gazetteer)
    assert len(requests) >= 2 and len({r.choices.chunk.index for r in requests}) == 1
    users = [r.messages[1]["content"] for r in requests]
    prefixes = {u.rsplit("\n", 1)[0] for u in users}
    assert len(prefixes) == 1
    [prefix] = prefixes
    assert prefix == chunk_listing(requests[0].choices) + "\n"
    assert [u.rsplit("\n", 1)[1] for u in users] == [task_line(r.specs) for r in requests]


def test_a_chunks_requests_follow_one_another_in_chunk_order(gazetteer: Any) -> None:
    paragraph = ("Gunmen killed {n} soldiers near Mopti and wounded {m} others, officials said, "
                 "as about {k} residents fled.")  # fmt: skip
    text = "\n".join(paragraph.format(n=n, m=n + 1, k=100 * n) for n in range(2, 40))
    requests = plan(document(text), gazetteer)
    order = [r.choices.chunk.index for r in requests]
    assert len(set(order)) >= 3
    assert order == sorted(order)  # a chunk's requests in a row, chunks in order
    declared = [s.name for s in record_specs()]
    for index in set(order):
        labels = [r.label for r in requests if r.choices.chunk.index == index]
        assert labels == sorted(labels, key=declared.index)


def test_per_chunk_layout_asks_once_per_chunk(gazetteer: Any) -> None:
    per_type = plan(document(CLASH), gazetteer)
    [per_chunk] = plan(document(CLASH), gazetteer, "per_chunk")
    assert per_chunk.specs == tuple(s for r in per_type for s in r.specs)
    assert per_chunk.messages == messages(per_chunk.choices, per_chunk.specs)
    assert per_chunk.messages[1]["content"].endswith(task_line(per_chunk.specs))


def test_a_chunk_whose_text_repeats_is_asked_once(gazetteer: Any) -> None:
    paragraph = (
        "Gunmen killed 11 soldiers near Mopti and wounded four others, the army said on Sunday. "
        "The attackers came on motorbikes from the north and burned two trucks before leaving. "
        "Residents said the fighting lasted most of the afternoon and that shops stayed shut. "
        "The governor called the attack cowardly and promised that the army would pursue them. "
        "Aid groups said they could not reach the area because the roads were still unsafe. "
        "Local radio said the market would reopen once the army had cleared the main road. "
        "Teachers said the school would stay closed for the rest of the week, and perhaps longer. "
        "Farmers on the edge of the town said they had moved their cattle across the river. "
        "The town has been attacked several times this year, residents told a visiting reporter. "
        "Officials said a curfew would be imposed from dusk to dawn."
    )
    assert 820 < len(paragraph) <= 900  # one chunk; two copies make two equal chunks
    once = plan(document(paragraph), gazetteer)
    twice = plan(document(f"{paragraph}\n{paragraph}"), gazetteer)
    assert len(chunks(f"{paragraph}\n{paragraph}", "en")) == 2
    assert [r.messages for r in twice] == [r.messages for r in once]


def test_a_chunk_with_nothing_to_ask_makes_no_request(gazetteer: Any) -> None:
    assert plan(document("The weather in Kisangani was mild on Tuesday."), gazetteer) == []


def test_the_prompt_version_names_the_layout() -> None:
    version = prompt_version()
    assert re.fullmatch(r"p[0-9a-f]{10}", version)
    assert version == prompt_version("per_type") != prompt_version("per_chunk")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_requests_do_not_depend_on_the_run(gazetteer: Any, language: str) -> None:
    text = CLASH if language == "en" else "Au moins 14 civils ont été tués près de Bunia."
    first = plan(document(text, language=language), gazetteer)
    again = plan(document(text, language=language), gazetteer)
    assert [(r.messages, r.schema) for r in first] == [(r.messages, r.schema) for r in again]
