"""pipeline.ingest.pages: aggregator pages split at marker lines, in each default style, with
markers of one's own, and the seed aggregator page split exactly as the old code split it.

The pages here are written for these tests; only the last test reads seeds/."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.ingest import Document, Marker, SourceError, load_markers, read
from pipeline.ingest.entries import entry_starts, load_entry_layout
from pipeline.ingest.pages import split

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
AGGREGATOR = SEEDS / "003_58c9597274ac7f2c.txt"
OLD_SOURCES = ROOT / "pipeline_old" / "sources.py"
SEED_OUTLETS = ["Whec.com", "Ena.et", "Kvnutalk.com", "Npr.org", "Dw.com"]


def documents(tmp_path: Path, text: str, markers: list[Marker] | None = None) -> list[Document]:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    items = list(read([path], markers=markers))
    assert all(isinstance(i, Document) for i in items), items
    return [i for i in items if isinstance(i, Document)]


SUMMARY_PAGE = """Drone war on the coast: how outlets reported it

Share your view in the comments.

Boats sunk off the pier

An aggregator's own summary of the first article, in its own words, cut short…

Read full article ▼
PORT AMBER — Three fishing boats were sunk by drones on Sunday, the harbour master said.

Two crew members were killed.

Source: Amber Courier | View original article

Harbour master counts losses

The aggregator summarises the second article here…

Read full article ▼
PORT AMBER (KNA) — The harbour master said three boats were lost.
Source: Kestrel News Agency | View original article

Leave a reply: 3 comments
"""


def test_source_lines_close_articles_and_summaries_are_dropped(tmp_path: Path) -> None:
    first, second = documents(tmp_path, SUMMARY_PAGE)
    assert [(d.document_id, d.part, d.outlet) for d in (first, second)] == [
        ("page.1", 1, "Amber Courier"),
        ("page.2", 2, "Kestrel News Agency"),
    ]
    assert first.title == "Boats sunk off the pier"
    assert first.text == (
        "Boats sunk off the pier\n\nPORT AMBER — Three fishing boats were sunk by drones on "
        "Sunday, the harbour master said.\n\nTwo crew members were killed."
    )
    assert second.text == (
        "Harbour master counts losses\n\nPORT AMBER (KNA) — The harbour master said three boats "
        "were lost."
    )
    assert (first.dateline, second.dateline) == ("PORT AMBER", "PORT AMBER (KNA)")
    for doc in (first, second):
        for words in ("summar", "Read full article", "Source:", "comments", "Drone war on"):
            assert words not in doc.text


def test_each_article_of_a_page_carries_the_others_as_context(tmp_path: Path) -> None:
    first, second = documents(tmp_path, SUMMARY_PAGE)
    # read only to learn what the page's names are (record_places.districts_in), never as text
    assert first.page_context == second.text
    assert second.page_context == first.text
    (single,) = documents(tmp_path, "Boats sunk\n\nThree boats were sunk on Sunday.\n")
    assert single.page_context is None


def test_source_lines_without_summaries_keep_the_whole_segment(tmp_path: Path) -> None:
    text = (
        "First title\n\nBody one.\n\nSource: One.example | View original article\n\n"
        "Second title\n\nBody two.\nSource: Two.example | View original article\nfooter\n"
    )
    assert [(d.document_id, d.outlet, d.title, d.text) for d in documents(tmp_path, text)] == [
        ("page.1", "One.example", "First title", "First title\n\nBody one."),
        ("page.2", "Two.example", "Second title", "Second title\n\nBody two."),
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("--- Amber Courier ---", "--- Kestrel News-Agency ---"),
        ("=== Source: Amber Courier ===", "=== Source: Kestrel News-Agency ==="),
        ("---- Amber Courier ----", "==== Kestrel News-Agency ===="),
    ],
)
def test_rule_lines_open_articles(tmp_path: Path, first: str, second: str) -> None:
    text = (
        "Today's coast round-up, collected by the page.\n\n"
        f"{first}\nBoats sunk off the pier\n\nPORT AMBER — Three boats were sunk.\n\n"
        f"{second}\n\nKESTREL BAY — The agency counted three boats lost.\n"
    )
    one, two = documents(tmp_path, text)
    assert [(d.document_id, d.outlet) for d in (one, two)] == [
        ("page.1", "Amber Courier"),
        ("page.2", "Kestrel News-Agency"),
    ]
    assert one.title == "Boats sunk off the pier"
    assert one.text == "Boats sunk off the pier\n\nPORT AMBER — Three boats were sunk."
    assert two.text == "KESTREL BAY — The agency counted three boats lost."
    assert two.title is None
    assert "round-up" not in one.text + two.text  # the page's own header is dropped


def test_a_markdown_rule_alone_is_not_a_marker(tmp_path: Path) -> None:
    text = "Boats sunk off the pier\n\n---\n\nPORT AMBER — Three boats were sunk.\n"
    (doc,) = documents(tmp_path, text)
    assert doc.document_id == "page" and doc.outlet is None


def test_an_empty_article_between_markers_keeps_the_others_parts(tmp_path: Path) -> None:
    text = "--- One ---\nText one.\n--- Two ---\n\n--- Three ---\nText three.\n"
    docs = documents(tmp_path, text)
    assert [(d.document_id, d.part, d.outlet) for d in docs] == [
        ("page.1", 1, "One"),
        ("page.3", 3, "Three"),
    ]


def test_markers_with_no_text_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("--- One ---\n\n--- Two ---\n", encoding="utf-8")
    (item,) = read([path])
    assert isinstance(item, SourceError)
    assert item.reason == "page has 2 'rule_line' marker line(s) but no article text next to them"


def test_page_metadata_gives_language_and_date_not_outlet(tmp_path: Path) -> None:
    text = "Outlet: The Round-up\nPublished: 2024-06-12\nLanguage: en\n\n" + SUMMARY_PAGE
    docs = documents(tmp_path, text)
    assert [d.outlet for d in docs] == ["Amber Courier", "Kestrel News Agency"]
    assert {(d.published.isoformat() if d.published else None) for d in docs} == {"2024-06-12"}
    assert {d.language_source for d in docs} == {"metadata"}


# --- markers of one's own ---------------------------------------------------------------------


def test_markers_are_data_and_can_be_replaced(tmp_path: Path) -> None:
    names = [m.name for m in load_markers()]
    assert names[:2] == ["source_view_original", "rule_line"]
    own = tmp_path / "markers.yaml"
    own.write_text(
        "markers:\n  - name: via\n    where: after\n    regex: '^\\(via (?P<outlet>[^)]+)\\)$'\n",
        encoding="utf-8",
    )
    markers = load_markers(own)
    assert markers == (Marker("via", r"^\(via (?P<outlet>[^)]+)\)$", "after"),)
    text = "One title\n\nBody one.\n(via Amber Courier)\nBody two.\n(via Kestrel Wire)\n"
    docs = documents(tmp_path, text, markers=list(markers))
    assert [(d.document_id, d.outlet, d.text) for d in docs] == [
        ("page.1", "Amber Courier", "One title\n\nBody one."),
        ("page.2", "Kestrel Wire", "Body two."),
    ]
    # with no markers at all a page is one article
    (whole,) = documents(tmp_path, text, markers=[])
    assert whole.document_id == "page"


def test_a_marker_with_a_summary_regex_opening_articles() -> None:
    marker = Marker("open", r"^## (?P<outlet>.+)$", "before", summary_until=r"^\[more\]")
    text = "## Amber Courier\nTitle here\nOur summary.\n[more]\nThe outlet's own text.\n"
    (article,) = split(text, [marker]) or []
    assert (article.outlet, article.title) == ("Amber Courier", "Title here")
    assert article.text == "Title here\n\nThe outlet's own text."


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"regex": r"^Source: (.+)$"}, "no group"),
        ({"regex": r"^Source: (?P<outlet>.+$"}, "bad regex"),
        ({"regex": r"^(?P<outlet>.+)$", "where": "inside"}, "where must be"),
    ],
)
def test_bad_markers_are_rejected(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Marker(name="bad", **kwargs)  # type: ignore[arg-type]


def test_a_markers_file_with_unknown_keys_is_rejected(tmp_path: Path) -> None:
    own = tmp_path / "markers.yaml"
    own.write_text("markers:\n  - {name: x, regex: '^(?P<outlet>x)$', wher: after}\n")
    with pytest.raises(ValueError, match=r"unknown keys \['wher'\]"):
        load_markers(own)


# --- the seed aggregator page, against the old code --------------------------------------------


def _old_sources() -> ModuleType | None:
    if not OLD_SOURCES.is_file():
        return None
    spec = importlib.util.spec_from_file_location("claimdiff_old_sources", OLD_SOURCES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_seed_aggregator_splits_as_before() -> None:
    docs = [d for d in read([AGGREGATOR]) if isinstance(d, Document)]
    assert len(docs) == 5
    assert [d.document_id for d in docs] == [f"003_58c9597274ac7f2c.{n}" for n in range(1, 6)]
    assert [d.outlet for d in docs] == SEED_OUTLETS
    assert [d.part for d in docs] == [1, 2, 3, 4, 5]
    old = _old_sources()
    if old is None:
        pytest.skip("pipeline_old/sources.py is gone: compared with the outlets alone")
    before = [d for path in sorted(SEEDS.glob("*.txt")) for d in old.load(path, 1_000_000)]
    now = [d for d in read([SEEDS]) if isinstance(d, Document)]
    assert len(now) == len(before) == 9
    for new, was in zip(now, before, strict=True):
        assert (new.document_id, new.outlet, new.part) == (was.document_id, was.outlet, was.part)
        assert new.text == was.text
        assert (new.title, new.dateline) == (was.title, was.dateline)


def test_live_blog_entries_are_found_by_their_time_lines() -> None:
    layout = load_entry_layout()
    page = (
        "LIVE: storm over the harbour\n\nUpdated 14:20 local time\n\n"
        "14:20 — Power is back in the north of the city.\n\n"
        "12:05 GMT — Two dock workers were hurt, the ministry says.\n\n"
        "9h15 : L'armée dit avoir intercepté des drones.\n\n"
        "08:00\nFlights have been suspended.\n"
    )
    starts = entry_starts(page, layout)
    assert [page[s:].lstrip()[:5] for s in starts] == ["14:20", "12:05", "9h15 ", "08:00"]
    # "Updated 14:20" is no entry; two time lines are not a live blog; nor are figures
    assert entry_starts("10:30 — one.\n\n11:00 — two.\n", layout) == ()
    prose = "4.000 personas huyeron.\n\n12.500 — según la ONU.\n\n3:1 fue el resultado.\n"
    assert entry_starts(prose, layout) == ()


def test_a_markers_file_without_live_entries_reads_no_live_blog(tmp_path: Path) -> None:
    path = tmp_path / "markers.yaml"
    path.write_text("version: 1\nmarkers: []\n", encoding="utf-8")
    assert load_entry_layout(path) is None
    assert entry_starts("10:00 — a\n11:00 — b\n12:00 — c\n", None) == ()
    path.write_text("live_entries:\n  patterns: ['^(']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad regex"):
        load_entry_layout(path)
