"""Sentences and chunks: what a quote can be (one sentence, exactly, at its offsets)."""

from pipeline.extract.sentences import chunks, sentence_spans


def texts(text: str, language: str = "en") -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, language)]


def test_sentences_end_at_stops_followed_by_a_capital() -> None:
    text = "Shells hit the market at dawn. At least 12 people died! Who fired? Nobody said."
    assert texts(text) == [
        "Shells hit the market at dawn.",
        "At least 12 people died!",
        "Who fired?",
        "Nobody said.",
    ]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "Gen. Amos Banda spoke on Oct. 14 in the capital. J. R. Mensah, a U.N. envoy, agreed."
    assert texts(text) == [
        "Gen. Amos Banda spoke on Oct. 14 in the capital.",
        "J. R. Mensah, a U.N. envoy, agreed.",
    ]


def test_lines_are_paragraphs_and_quotes_close_sentences() -> None:
    text = "Strike on a clinic\n\n“We heard two blasts.” Then the roof fell.\nPhoto: smoke rises."
    assert texts(text) == [
        "Strike on a clinic",
        "“We heard two blasts.”",
        "Then the roof fell.",
        "Photo: smoke rises.",
    ]


def test_scripts_without_capitals_split_on_their_stops() -> None:
    text = "قتل 31 شخصا في القصف. وأصيب 69 آخرون."
    assert texts(text, "ar") == ["قتل 31 شخصا في القصف.", "وأصيب 69 آخرون."]


def test_offsets_slice_back_to_the_sentence_on_non_ascii_text() -> None:
    text = "  «Dozens» were hurt — medics said.  Ещё 5 погибли. "
    for start, end in sentence_spans(text, "en"):
        assert text[start:end] == text[start:end].strip()
        assert text[start:end] in text


def test_chunks_group_sentences_and_number_them_from_one() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(1, 60))
    found = chunks(text, "en", max_chars=200)
    assert len(found) > 5
    for chunk in found:
        assert chunk.end - chunk.start <= 200
        assert [s.index for s in chunk.sentences] == list(range(1, len(chunk.sentences) + 1))
        assert text[chunk.start : chunk.end] == chunk.text
        for sentence in chunk.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
    assert [s.text for c in found for s in c.sentences] == texts(text)


def test_a_sentence_longer_than_a_chunk_stands_alone() -> None:
    long = "A " + "very " * 300 + "long sentence."
    found = chunks(f"Short one. {long} Another.", "en", max_chars=100)
    assert [c.text for c in found] == ["Short one.", long, "Another."]
