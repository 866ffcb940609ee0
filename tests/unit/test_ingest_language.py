"""pipeline.ingest.language: offline detection in the supported languages, on headlines and
paragraphs, and metadata overriding it. Texts written for these tests."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from pipeline.ingest.language import DEFAULT, SUPPORTED, code_of, detect, language_of
from pipeline.ingest.metadata import language_code

SHORT = {
    "en": "Ceasefire talks resume on Monday",
    "fr": "Les négociations reprendront lundi",
    "es": "Las conversaciones se reanudan el lunes",
    "pt": "As negociações serão retomadas na segunda",
    "de": "Die Gespräche gehen am Montag weiter",
    "it": "Forti piogge allagano il vecchio porto",
    "ru": "Переговоры возобновятся в понедельник",
    "uk": "Переговори відновляться у понеділок",
    "ar": "استئناف المحادثات يوم الاثنين",
    "el": "Οι συνομιλίες συνεχίζονται τη Δευτέρα",
}

LONG = {
    "en": "At least nine people were killed and dozens wounded when artillery shells hit a "
    "crowded market on the edge of the city on Tuesday morning, local health officials said.",
    "fr": "Au moins neuf personnes ont été tuées et des dizaines blessées mardi matin lorsque "
    "des obus d'artillerie sont tombés sur un marché bondé à la sortie de la ville.",
    "es": "Al menos nueve personas murieron y decenas resultaron heridas el martes por la mañana "
    "cuando proyectiles de artillería cayeron sobre un mercado lleno de gente.",
    "pt": "Pelo menos nove pessoas morreram e dezenas ficaram feridas na manhã de terça-feira "
    "quando projéteis de artilharia atingiram um mercado lotado nos arredores da cidade.",
    "de": "Mindestens neun Menschen wurden am Dienstagmorgen getötet und Dutzende verletzt, als "
    "Artilleriegranaten auf einem belebten Markt am Stadtrand einschlugen.",
    "it": "Almeno nove persone sono state uccise e decine ferite martedì mattina quando colpi di "
    "artiglieria hanno centrato un mercato affollato alla periferia della città.",
    "ru": "По меньшей мере девять человек погибли и десятки получили ранения во вторник утром, "
    "когда артиллерийские снаряды попали на многолюдный рынок на окраине города.",
    "uk": "Щонайменше дев'ятеро людей загинули і десятки отримали поранення у вівторок вранці, "
    "коли артилерійські снаряди влучили в людний ринок на околиці міста.",
    "ar": "قُتل تسعة أشخاص على الأقل وأصيب العشرات صباح الثلاثاء عندما سقطت قذائف مدفعية على "
    "سوق مزدحمة في أطراف المدينة، بحسب السلطات الصحية المحلية.",
    "el": "Τουλάχιστον εννέα άνθρωποι σκοτώθηκαν και δεκάδες τραυματίστηκαν το πρωί της Τρίτης, "
    "όταν βλήματα πυροβολικού έπληξαν μια γεμάτη αγορά στην άκρη της πόλης.",
}


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The detector's model is in its wheel: detection must not touch the network."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("language detection tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("language", sorted(SHORT))
def test_headlines_are_detected(language: str) -> None:
    found = detect(SHORT[language])
    assert found is not None and found[0] == language


@pytest.mark.parametrize("language", sorted(LONG))
def test_paragraphs_are_detected_surely(language: str) -> None:
    found = detect(LONG[language])
    assert found is not None
    assert found[0] == language
    assert found[1] > 0.9


@pytest.mark.parametrize("text", ["", "12345 678", "— … —", "https://x.example/1/2"])
def test_no_language_in_it_means_the_default(text: str) -> None:
    assert detect(text) is None
    assert language_of(text, None) == (DEFAULT, "default")


def test_detection_is_only_among_supported_languages() -> None:
    assert set(SHORT) <= set(SUPPORTED)
    found = detect("Dit is een korte zin in het Nederlands over het weer van morgen.")
    assert found is not None and found[0] == "nl"


def test_metadata_overrides_detection() -> None:
    assert language_of(LONG["fr"], None) == ("fr", "detected")
    assert language_of(LONG["fr"], "it") == ("it", "metadata")
    # a declared language is taken even when detection does not support it
    assert language_of(LONG["en"], "sw") == ("sw", "metadata")


@pytest.mark.parametrize(
    ("value", "code"),
    [("en", "en"), ("EN", "en"), ("en-GB", "en"), ("pt_BR", "pt"), (" uk ", "uk"),
     ("English", None), ("eng", None), ("", None)],
)  # fmt: skip
def test_declared_codes(value: str, code: str | None) -> None:
    assert code_of(value) == code


def test_an_empty_declared_language_is_no_declaration() -> None:
    assert language_code(None) is None
    assert language_code("  ") is None
