"""pipeline.compare.names: spellings of one name across outlets, linked and reported."""

from __future__ import annotations

import pytest

from pipeline.compare.names import name_divergence, skeleton, variants
from schemas import Verdict


@pytest.mark.parametrize(
    "spellings",
    [
        ("Bilodubskyy", "Bilodubsky", "Bilodubskiy"),  # -yy / -y / -iy
        ("Lyudmyla", "Liudmyla"),  # yu / iu
        ("Nataliya", "Natalia"),  # iya / ia
        ("Khadzhiev", "Hadzhiev"),  # kh / h
        ("Mousavi", "Musavi"),  # ou / u, a final -i
        ("Sheerazi", "Shirazi"),  # ee / i
        ("Yurchenko", "Jurchenko"),  # y / j
        ("Sorokin", "Sorokina", "Сорокин"),  # a feminine surname; another script
        ("Kamanzi", "Kamanzí"),  # a diacritic
    ],
)
def test_transliterations_share_a_skeleton(spellings: tuple[str, ...]) -> None:
    assert len({skeleton(s) for s in spellings}) == 1, [skeleton(s) for s in spellings]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sudan", "Sudanese"),
        ("Kravets", "Kravchenko"),
        ("Bunia", "Beni"),
        ("Hrytsenko", "Gritsenko"),
    ],
)
def test_different_names_keep_different_skeletons(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


def test_variants_across_documents_under_the_most_used_spelling() -> None:
    found = variants({
        "wire": "Governor Bilodubskyy said so. Bilodubskyy repeated it. Sorokin agreed.",
        "local": "Bilodubsky spoke first, then Bilodubskiy again. Sorokina was there.",
        "radio": "Bilodubskyy arrived late with Sorokin. Yurchenko and Jurchenko only here.",
    })  # fmt: skip
    by_name = {v.canonical: v.spellings for v in found}
    assert sorted(by_name) == ["Bilodubskyy", "Sorokin"]
    assert by_name["Bilodubskyy"] == {
        "Bilodubskiy": {"local": 1}, "Bilodubsky": {"local": 1},
        "Bilodubskyy": {"radio": 1, "wire": 2},
    }  # fmt: skip
    assert by_name["Sorokin"] == {"Sorokin": {"radio": 1, "wire": 1}, "Sorokina": {"local": 1}}
    assert "Governor" not in by_name


def test_the_canonical_spelling_is_in_most_documents_then_most_used() -> None:
    found = variants({
        "a": "Mousavi said. Mousavi said again. Mousavi once more.",
        "b": "Musavi said.", "c": "Musavi agreed.",
    })  # fmt: skip
    [variant] = found
    assert variant.canonical == "Musavi"  # two documents beat three mentions in one
    [more] = variants({"a": "Natalia spoke. Natalia again.", "b": "Nataliya spoke."})
    assert more.canonical == "Natalia"
    [tied] = variants({"a": "Natalia spoke.", "b": "Nataliya spoke."})
    assert tied.canonical == "Nataliya"  # a tie: the same choice on every run


@pytest.mark.parametrize(
    "texts",
    [
        {"a": "Kanyuka will lead.", "b": "Kanyuka arrived."},  # one spelling
        {"a": "Yurchenko and Jurchenko."},  # both spellings in one document
        {"a": "GOMA — the town.", "b": "Goma was quiet."},  # case only
        {"a": "Kamanzí spoke.", "b": "Kamanzi spoke."},  # a diacritic only
        {"a": "Сорокин spoke.", "b": "Sorokin spoke."},  # the same name in two scripts
        {"a": "the yurchenko farm", "b": "the jurchenko farm"},  # not capitalised
        {"a": "Ali said.", "b": "Aly said."},  # too short to compare
    ],
)
def test_no_variant(texts: dict[str, str]) -> None:
    assert variants(texts) == []


def test_variants_are_sorted_and_hyphenated_names_are_one_word() -> None:
    found = variants({
        "a": "Sorokin met Ould-Mousavi.", "b": "Sorokina met Ould-Musavi.",
    })  # fmt: skip
    assert [v.canonical for v in found] == sorted(v.canonical for v in found)
    assert {s for v in found for s in v.spellings} == {
        "Sorokin", "Sorokina", "Ould-Mousavi", "Ould-Musavi",
    }  # fmt: skip


def test_a_name_divergence_reports_each_spelling_per_document() -> None:
    [variant] = variants({"wire": "Lyudmyla said. Lyudmyla added.", "local": "Liudmyla said."})
    divergence = name_divergence(variant, {"wire": "Example Wire", "local": None})
    assert (divergence.kind, divergence.incident_id, divergence.measure) == (
        "name",
        None,
        "spelling",
    )
    assert divergence.incident == "Lyudmyla"
    assert divergence.verdict is Verdict.COMPATIBLE
    reports = sorted((r.document_id, r.outlet, r.phrase, r.statements) for r in divergence.reports)
    assert reports == [("local", None, "Liudmyla", 1), ("wire", "Example Wire", "Lyudmyla", 2)]
    assert (divergence.n_documents, divergence.n_outlets) == (2, 2)
