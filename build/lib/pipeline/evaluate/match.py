"""Gold facts ↔ extracted facts, one to one, per document.

- a numeric fact matches when document and measure are equal and the two inclusive intervals
  overlap (an open `value_max` is +∞); equal intervals are preferred;
- a talks or territorial field matches when record type and field are equal and the folded
  values contain one another as whole words, either way (a gold entry's `alternatives` too).
Matching is greedy over all candidate pairs, best first, so an extracted fact is used once: a
duplicate extraction of a matched fact is a false positive.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii

from pipeline.evaluate.gold import GoldFact
from schemas import Interval, Scope


@dataclass(frozen=True)
class Extracted:
    """One fact as the database stores it: a `facts` row, or one filled talks/territory field."""

    document_id: str
    record_type: str
    source_id: str  # facts.fact_id, or "<record_id>:<field>"
    quote: str
    measure: str | None = None
    value_min: float | None = None
    value_max: float | None = None
    scope: Scope = Scope.INCIDENT
    incident_id: str | None = None
    field: str | None = None
    value: str | None = None

    @property
    def numeric(self) -> bool:
        return self.measure is not None


@dataclass(frozen=True)
class Matching:
    matched: tuple[tuple[GoldFact, Extracted], ...]
    missed: tuple[GoldFact, ...]  # false negatives
    spurious: tuple[Extracted, ...]  # false positives


def _words(value: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", anyascii(value).lower())) + " "


def _field_match(gold: GoldFact, extracted: Extracted) -> int:
    if gold.record_type != extracted.record_type or gold.field != extracted.field:
        return 0
    found = _words(extracted.value or "")
    if found.strip() == "":
        return 0
    for option in (gold.value or "", *gold.alternatives):
        wanted = _words(option)
        if wanted.strip() and (wanted in found or found in wanted):
            return 2 if wanted == found else 1
    return 0


def _numeric_match(gold: GoldFact, extracted: Extracted) -> int:
    if gold.measure != extracted.measure or gold.value_min is None:
        return 0
    assert extracted.value_min is not None
    a = Interval(gold.value_min, gold.value_max)
    b = Interval(extracted.value_min, extracted.value_max)
    if a == b:
        return 2
    return 1 if a.overlaps(b) else 0


def match(gold: Sequence[GoldFact], extracted: Sequence[Extracted]) -> Matching:
    by_document: dict[str, tuple[list[GoldFact], list[Extracted]]] = defaultdict(lambda: ([], []))
    for g in gold:
        by_document[g.document_id][0].append(g)
    for e in extracted:
        by_document[e.document_id][1].append(e)
    matched: list[tuple[GoldFact, Extracted]] = []
    missed: list[GoldFact] = []
    spurious: list[Extracted] = []
    for document_id in sorted(by_document):
        golds, found = by_document[document_id]
        pairs = []
        for i, g in enumerate(golds):
            for j, e in enumerate(found):
                if g.numeric != e.numeric:
                    continue
                quality = _numeric_match(g, e) if g.numeric else _field_match(g, e)
                if quality:
                    pairs.append((-quality, i, j))
        used_g: set[int] = set()
        used_e: set[int] = set()
        for _, i, j in sorted(pairs):
            if i not in used_g and j not in used_e:
                used_g.add(i)
                used_e.add(j)
                matched.append((golds[i], found[j]))
        missed += [g for i, g in enumerate(golds) if i not in used_g]
        spurious += [e for j, e in enumerate(found) if j not in used_e]
    return Matching(tuple(matched), tuple(missed), tuple(spurious))
