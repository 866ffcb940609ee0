"""Live blogs → where their entries begin, from timestamp lines kept as data.

A live blog is many dispatches on one page, each opened by its time ("14:20 — …"), newest
first or last. Its entries lean on the page's day, not on each other: "Sunday's attack" in one
entry does not date the entry below it. Comparison needs to know where each entry begins; the
patterns are data (`live_entries` in `schemas/vocab/markers.yaml`), like the aggregator markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from pipeline.ingest.pages import DEFAULT_MARKERS_FILE


@dataclass(frozen=True, slots=True)
class EntryLayout:
    """Lines that open a live blog's entry, and how many make a page a live blog."""

    patterns: tuple[str, ...]
    min_entries: int = 3

    def __post_init__(self) -> None:
        for regex in self.patterns:
            try:
                re.compile(regex, re.M)
            except re.error as err:
                raise ValueError(f"live_entries: bad regex {regex!r}: {err}") from None
        if self.min_entries < 2:
            raise ValueError("live_entries: min_entries must be at least 2")


def load_entry_layout(path: str | Path | None = None) -> EntryLayout | None:
    """The `live_entries` section of a markers file (the built-in one when `path` is None);
    None when the file has no such section (no page is then read as a live blog)."""
    if path is None:
        return _default_layout()
    return _parse(Path(path).read_text(encoding="utf-8"), str(path))


@cache
def _default_layout() -> EntryLayout | None:
    entry = resources.files("schemas") / "vocab" / DEFAULT_MARKERS_FILE
    return _parse(entry.read_text(encoding="utf-8"), f"schemas/vocab/{DEFAULT_MARKERS_FILE}")


def _parse(source: str, where: str) -> EntryLayout | None:
    data: Any = yaml.safe_load(source) or {}
    section = data.get("live_entries") if isinstance(data, dict) else None
    if section is None:
        return None
    patterns = section.get("patterns") if isinstance(section, dict) else None
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ValueError(f"{where}: expected a list of regexes under `live_entries: patterns:`")
    return EntryLayout(tuple(patterns), int(section.get("min_entries", 3)))


def entry_starts(text: str, layout: EntryLayout | None) -> tuple[int, ...]:
    """Offsets in `text` where a live blog's entries begin, in order; () when the page is not
    a live blog (fewer timestamp lines than `min_entries`)."""
    if layout is None:
        return ()
    starts = sorted(
        {m.start() for regex in layout.patterns for m in re.finditer(regex, text, re.M)}
    )
    return tuple(starts) if len(starts) >= layout.min_entries else ()
