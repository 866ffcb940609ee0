"""pipeline.sources (files → documents) and pipeline.relevance on the seed articles."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from pipeline.relevance import THRESHOLD, is_relevant, score
from pipeline.sources import Document, SourceError, discover, load, read_text, split_page

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AGGREGATOR = SEEDS / "003_58c9597274ac7f2c.txt"
MAX = 1_000_000

OUTLETS = ["Whec.com", "Ena.et", "Kvnutalk.com", "Npr.org", "Dw.com"]
TITLES = [
    "Ukraine and Russia teams gather in Turkey for peace talks after launching major attacks",
    "Ukraine Launches Major Drone Strike on Russian Airbases",
    "Britain getting a defense boost aimed at sending a message to Moscow, and to Trump",
    "Ukraine destroys Russian bombers with shocking barrage of drones ahead of peace talks",
    "Ukraine updates: Russian planes on fire after drone strikes – DW – 06",
]


@pytest.fixture(scope="module")
def page() -> list[Document]:
    return load(AGGREGATOR, MAX)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- the aggregator page ----------------------------------------------------------------------


def test_one_document_per_source_line(page):
    raw = AGGREGATOR.read_text(encoding="utf-8")
    markers = re.findall(r"^Source: (.+?) \| View original article$", raw, re.M)
    assert markers == OUTLETS
    assert [d.outlet for d in page] == OUTLETS
    assert [d.part for d in page] == [1, 2, 3, 4, 5]
    assert [d.document_id for d in page] == [f"003_58c9597274ac7f2c.{n}" for n in range(1, 6)]
    assert {d.source_path for d in page} == {str(AGGREGATOR)}
    assert [d.title for d in page] == TITLES


def test_each_document_starts_with_its_title_then_the_outlets_text(page):
    for doc in page:
        assert doc.text.startswith(doc.title + "\n\n")
        assert doc.text == doc.text.strip()
    assert page[0].text.split("\n\n")[1].startswith("ISTANBUL (AP) — Delegations from Russia")
    assert page[1].text.split("\n\n")[1].startswith("Addis Ababa, June 2, 2025 (ENA)— In a major")
    assert page[2].text.split("\n\n")[1].startswith("LONDON — The United Kingdom will build")
    assert page[4].text.endswith("to achieve “a lasting peace.”")


def test_aggregator_words_are_not_in_any_document(page):
    raw = AGGREGATOR.read_text(encoding="utf-8")
    lines = raw.splitlines()
    # the aggregator's summary is the paragraph just before each "Read full article" line
    summaries = [
        lines[i - 2] for i, line in enumerate(lines) if line.startswith("Read full article")
    ]
    assert len(summaries) == 5
    assert all(len(s) > 200 for s in summaries)
    for doc, summary in zip(page, summaries, strict=True):
        assert summary not in doc.text
    for doc in page:
        for words in (
            "Read full article",
            "View original article",
            "Source:",
            "Diverging Reports Breakdown",
            "How did your country report this?",
            "Leave a Reply",
            "news.google.com",
        ):
            assert words not in doc.text, (doc.document_id, words)


def test_documents_are_contiguous_text_of_the_page(page):
    raw = AGGREGATOR.read_text(encoding="utf-8")
    for doc in page:
        body = doc.text.split("\n\n", 1)[1]
        assert body in raw


def test_dateline_and_published_date(page):
    assert page[0].dateline == "ISTANBUL (AP)"
    assert page[1].dateline == "Addis Ababa, June 2, 2025 (ENA)"
    assert page[1].published == date(2025, 6, 2)
    assert page[2].dateline == "LONDON"
    assert page[0].published is None


def test_loads_are_stable_and_hashes_are_of_the_text(page):
    again = load(AGGREGATOR, MAX)
    assert again == page
    for doc in page:
        assert doc.text_sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        assert doc.chars == len(doc.text)
    assert len({d.text_sha256 for d in page}) == 5


# --- plain files ------------------------------------------------------------------------------


def test_plain_file_is_one_document(tmp_path):
    path = write(
        tmp_path, "kyiv_report.txt", "Drones over Kyiv\n\nKYIV, Ukraine — Seven drones.\n".encode()
    )
    (doc,) = load(path, MAX)
    assert doc.document_id == "kyiv_report"
    assert doc.part == 1
    assert doc.outlet is None
    assert doc.title == "Drones over Kyiv"
    assert doc.dateline == "KYIV, Ukraine"
    assert doc.text == "Drones over Kyiv\n\nKYIV, Ukraine — Seven drones."
    assert doc.source_path == str(path)


@pytest.mark.parametrize(
    "seed", ["000_d60c701ba5b29b26", "001_1afb7a1d624a0626", "002_c8b743be4cf8ebab"]
)
def test_plain_seeds(seed):
    path = SEEDS / f"{seed}.txt"
    (doc,) = load(path, MAX)
    assert (doc.document_id, doc.part, doc.outlet) == (seed, 1, None)
    assert doc.text == path.read_text(encoding="utf-8").strip()


def test_source_word_without_marker_format_is_plain():
    text = "Source: Reuters\nKYIV — Two drones were downed.\n"
    (doc,) = split_page(text, "x.txt", "x")
    assert doc.document_id == "x" and doc.outlet is None
    assert doc.text == text.strip()


def test_split_page_without_read_more_keeps_segment():
    text = (
        "First title\n\nBody one.\n\nSource: One.com | View original article\n\n"
        "Second title\n\nBody two.\nSource: Two.org | View original article\nfooter\n"
    )
    docs = split_page(text, "p.txt", "p")
    assert [(d.document_id, d.outlet, d.title, d.text) for d in docs] == [
        ("p.1", "One.com", "First title", "First title\n\nBody one."),
        ("p.2", "Two.org", "Second title", "Second title\n\nBody two."),
    ]


# --- refusals ---------------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"^empty file"):
        read_text(write(tmp_path, "a.txt", b""), MAX)


def test_whitespace_only_file_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"^empty file"):
        read_text(write(tmp_path, "a.txt", b" \n\t\r\n  \n"), MAX)


def test_binary_file_is_refused(tmp_path):
    path = write(tmp_path, "a.txt", b"GIF89a\x00\x01\x02 some text")
    with pytest.raises(ValueError, match=r"binary file \(it contains NUL bytes\)"):
        read_text(path, MAX)


def test_control_character_soup_is_refused(tmp_path):
    path = write(tmp_path, "a.txt", bytes(range(1, 32)) * 20)
    with pytest.raises(ValueError, match=r"binary file \(\d+ control characters\)"):
        read_text(path, MAX)


def test_latin1_file_is_refused_naming_byte_and_offset(tmp_path):
    data = "Kyiv café report".encode("latin-1")
    assert data.index(b"\xe9") == 8
    with pytest.raises(ValueError, match=r"not UTF-8 text: byte 0xe9 at offset 8 \(convert it"):
        read_text(write(tmp_path, "a.txt", data), MAX)


def test_file_over_max_bytes_is_refused(tmp_path):
    path = write(tmp_path, "a.txt", b"x" * 1001)
    with pytest.raises(ValueError, match=r"file is 1,001 bytes, over the 1,000-byte limit"):
        read_text(path, 1000)
    assert read_text(path, 1001) == "x" * 1001


def test_line_endings_are_normalised_and_bom_dropped(tmp_path):
    path = write(tmp_path, "a.txt", "\ufeffTitle\r\n\r\nOne.\rTwo — “three”.\r\n".encode())
    assert read_text(path, MAX) == "Title\n\nOne.\nTwo — “three”.\n"


def test_load_propagates_refusal(tmp_path):
    with pytest.raises(ValueError, match="empty file"):
        load(write(tmp_path, "a.txt", b"\n\n"), MAX)


# --- discover ---------------------------------------------------------------------------------


def test_discover_sorts_and_skips_dotfiles(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ["b.txt", "a.md", "C.txt", ".hidden.txt", ".notes.md", "data.csv", "sub/z.txt"]:
        (folder / name).write_text("text", encoding="utf-8")
    (folder / "dir.txt").mkdir()  # a folder named like a text file is not a file
    assert list(discover([folder])) == [
        folder / "C.txt",
        folder / "a.md",
        folder / "b.txt",
        folder / "sub" / "z.txt",
    ]


def test_discover_skips_files_in_hidden_folders(tmp_path):
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "a-checkpoint.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert list(discover([tmp_path])) == [tmp_path / "a.txt"]


def test_discover_reports_missing_and_empty(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    real = tmp_path / "real.txt"
    real.write_text("x", encoding="utf-8")
    missing = tmp_path / "gone.txt"
    assert list(discover([missing, real, empty, str(real)])) == [
        SourceError(str(missing), "gone", "no such file or folder"),
        real,
        SourceError(str(empty), "empty", "folder holds no *.txt or *.md files"),
        real,
    ]


def test_discover_seeds_folder():
    found = list(discover([SEEDS]))
    assert [p.name for p in found] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert len(found) == 5


# --- relevance --------------------------------------------------------------------------------


def all_seed_documents() -> list[Document]:
    return [doc for path in sorted(SEEDS.glob("*.txt")) for doc in load(path, MAX)]


def test_relevance_on_seeds():
    documents = all_seed_documents()
    assert len(documents) == 9
    verdicts = {d.document_id: is_relevant(d.text) for d in documents}
    assert verdicts.pop("003_58c9597274ac7f2c.3") is False
    assert verdicts == dict.fromkeys(verdicts, True)
    assert len(verdicts) == 8


def test_relevance_scores_have_margin():
    by_id = {d.document_id: score(d.text) for d in all_seed_documents()}
    assert by_id.pop("003_58c9597274ac7f2c.3") < THRESHOLD / 2
    assert min(by_id.values()) > 2 * THRESHOLD


def test_relevance_words_not_names():
    assert not is_relevant("Russia and Ukraine " * 50)
    assert is_relevant("Drones struck Kyiv; two people were killed.")
    assert score("") == 0
