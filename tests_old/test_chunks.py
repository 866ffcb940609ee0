"""pipeline.chunks: documents → paragraph chunks with exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.chunks import MAX_CHARS, Chunk, split
from pipeline.sources import load

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FAST = settings(max_examples=120, deadline=None)


def check_offsets(text: str, chunks: list[Chunk]) -> None:
    assert [c.index for c in chunks] == list(range(len(chunks)))
    previous_end = 0
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert c.text and c.text == c.text.strip()
        assert "\n" not in c.text
        assert c.start >= previous_end
        previous_end = c.end
    # together the chunks hold every non-blank character, in order
    assert "".join("".join(c.text.split()) for c in chunks) == "".join(text.split())


def test_paragraphs_become_chunks():
    text = "First paragraph.\n\n  Second one, indented.  \n\n\n\nThird.\n"
    chunks = split(text)
    assert [(c.index, c.start, c.end, c.text) for c in chunks] == [
        (0, 0, 16, "First paragraph."),
        (1, 20, 41, "Second one, indented."),
        (2, 47, 53, "Third."),
    ]


def test_single_newlines_also_separate_and_blank_lines_never_merge():
    # every non-blank line is its own paragraph; nothing is merged across newlines
    text = "Line one.\nLine two.\n\nLine three."
    assert [c.text for c in split(text)] == ["Line one.", "Line two.", "Line three."]
    assert split("") == []
    assert split(" \n\t\n   \n") == []


def test_long_paragraph_cut_at_sentences():
    sentences = [f"Sentence number {i} says that drones struck the city again." for i in range(40)]
    paragraph = " ".join(sentences)
    assert len(paragraph) > 2 * MAX_CHARS
    text = "Intro.\n\n" + paragraph + "\n\nOutro."
    chunks = split(text)
    check_offsets(text, chunks)
    assert chunks[0].text == "Intro." and chunks[-1].text == "Outro."
    middle = chunks[1:-1]
    assert len(middle) >= 3
    for c in middle:
        assert len(c.text) <= MAX_CHARS
        assert c.text.startswith("Sentence number ") and c.text.endswith("again.")
    assert " ".join(c.text for c in middle) == paragraph


def test_single_long_sentence_is_kept_whole():
    sentence = "A" + " very" * 300 + " long sentence."
    text = f"Short one. {sentence} Another short one."
    chunks = split(text, max_chars=100)
    assert [c.text for c in chunks] == ["Short one.", sentence, "Another short one."]
    assert len(chunks[1].text) > 100


def test_paragraph_of_exactly_max_chars_is_one_chunk():
    text = ("Word. " * 20).strip()
    assert [c.text for c in split(text, max_chars=len(text))] == [text]
    assert len(split(text, max_chars=len(text) - 1)) == 2


def test_cuts_after_closing_quotes():
    text = "“We will win.” Zelenskyy said it twice. “We will win again.”"
    chunks = split(text, max_chars=30)
    assert [c.text for c in chunks] == [
        "“We will win.”",
        "Zelenskyy said it twice.",
        "“We will win again.”",
    ]
    check_offsets(text, chunks)


def test_no_cut_before_lowercase():
    text = "Russia fired 472 drones, the U.S. said. more text follows here without a capital."
    # "U.S. said" and "said. more" are not sentence ends: the line is one over-long sentence
    assert [c.text for c in split(text, max_chars=40)] == [text]
    text = "Russia fired 472 drones. The U.S. said so. Kyiv agreed."
    assert [c.text for c in split(text, max_chars=30)] == [
        "Russia fired 472 drones.",
        "The U.S. said so. Kyiv agreed.",
    ]


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_seed_documents(path):
    for doc in load(path, 1_000_000):
        chunks = split(doc.text)
        check_offsets(doc.text, chunks)
        lines = [line for line in doc.text.splitlines() if line.strip()]
        if all(len(line) <= MAX_CHARS for line in lines):
            assert [c.text for c in chunks] == [line.strip() for line in lines]
        else:
            assert len(chunks) > len(lines)
        assert all(len(c.text) <= MAX_CHARS for c in chunks)


# --- property ---------------------------------------------------------------------------------

SENTENCE = st.builds(
    lambda first, rest, end: first + rest + end,
    st.sampled_from("ABCKRTZ“"),
    st.text(alphabet="abcdefghij klmnop,’—0123456789", min_size=0, max_size=140).map(
        lambda s: " ".join(s.split())
    ),
    st.sampled_from([".", "!", "?", ".”"]),
)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=12)


@FAST
@given(
    paragraphs=st.lists(PARAGRAPH, min_size=0, max_size=6),
    breaks=st.lists(st.sampled_from(["\n", "\n\n", "\n \n", "\n\n\n", " \n\t\n"]), max_size=6),
    max_chars=st.integers(20, 400),
)
def test_split_properties(paragraphs, breaks, max_chars):
    texts = [" ".join(sentences) for sentences in paragraphs]
    # a break after every paragraph but the last
    padded = [*breaks, *["\n\n"] * len(texts)]
    seps = [*padded[: len(texts) - 1], ""] if texts else []
    text = "  " + "".join(p + b for p, b in zip(texts, seps, strict=True)) + "\n"
    chunks = split(text, max_chars=max_chars)
    check_offsets(text, chunks)

    # chunks never straddle paragraphs: each chunk lies inside one paragraph
    starts = []
    at = 2
    for p, b in zip(texts, seps, strict=True):
        starts.append((at, at + len(p)))
        at += len(p) + len(b)
    owner = []
    for c in chunks:
        inside = [k for k, (s, e) in enumerate(starts) if s <= c.start and c.end <= e]
        assert len(inside) == 1, (c, starts)
        owner.append(inside[0])
    assert sorted(set(owner)) == list(range(len(texts)))

    for k, sentences in enumerate(paragraphs):
        mine = [c.text for c, o in zip(chunks, owner, strict=True) if o == k]
        assert " ".join(mine) == texts[k]  # nothing lost, nothing added
        # each piece is a run of whole sentences
        groups: list[list[str]] = []
        at = 0
        for piece in mine:
            n = next(n for n in range(1, len(sentences) - at + 1)
                     if " ".join(sentences[at : at + n]) == piece)  # fmt: skip
            groups.append(sentences[at : at + n])
            at += n
        assert at == len(sentences)
        for piece, group in zip(mine, groups, strict=True):
            if len(piece) > max_chars:
                assert len(group) == 1  # only a single sentence may be over the limit
        # greedy: a piece plus the next piece's first sentence would not have fitted
        # (the cut also counts the space after that sentence, hence >=)
        for piece, following in zip(mine, groups[1:], strict=False):
            assert len(piece) + 1 + len(following[0]) >= max_chars
