"""Vocabularies kept as data: `<topic>/<language>.yaml` (topics: cues, numbers, dates).

Every file is general vocabulary of a language (cue words, number words, hedges), never
knowledge of particular places or stories. Their hash enters the prompt version, so a changed
vocabulary names new cassettes. A language is supported by adding its files (and tests).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

import yaml

TOPICS = ("cues", "numbers", "dates")


def _folder(topic: str) -> Any:
    return resources.files("schemas") / "vocab" / topic


@cache
def languages(topic: str = "cues") -> tuple[str, ...]:
    """The languages that have a vocabulary file for `topic`."""
    folder = _folder(topic)
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(e.name.removesuffix(".yaml") for e in folder.iterdir() if e.name.endswith(".yaml"))
    )


@cache
def load(topic: str, language: str) -> dict[str, Any]:
    """The vocabulary of `topic` for `language`; empty when the language has none."""
    entry = _folder(topic) / f"{language}.yaml"
    if not entry.is_file():
        return {}
    data: dict[str, Any] = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
    return data


@cache
def version() -> str:
    """A short hash of every vocabulary file, the record declarations and the ontologies."""
    digest = hashlib.sha256()
    root = resources.files("schemas")
    files = [root / "measures.yaml", root / "event_types.yaml"]
    files += sorted((root / "records").iterdir(), key=lambda e: e.name)
    for topic in TOPICS:
        folder = _folder(topic)
        if folder.is_dir():
            files += sorted(folder.iterdir(), key=lambda e: e.name)
    for entry in files:
        if entry.name.endswith(".yaml"):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:10]
