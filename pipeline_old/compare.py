"""Verdicts on what several outlets report for one measure of one incident.

Each report is an inclusive interval (`value_max` None = open-ended). The verdict is
- ``agree``: every report gives the same interval;
- ``compatible``: the intervals differ but every pair overlaps, so all can be true at once
  ("more than 40" and "41");
- ``conflict``: some pair cannot both be true ("69 injured" and "more than 104 injured").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations


class Verdict(StrEnum):
    AGREE = "agree"
    COMPATIBLE = "compatible"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float | None  # None: no upper bound

    def overlaps(self, other: Interval) -> bool:
        his = [hi for hi in (self.hi, other.hi) if hi is not None]
        return not his or max(self.lo, other.lo) <= min(his)

    def intersect(self, other: Interval) -> Interval | None:
        his = [hi for hi in (self.hi, other.hi) if hi is not None]
        lo, hi = max(self.lo, other.lo), (min(his) if his else None)
        return None if hi is not None and lo > hi else Interval(lo, hi)


def format_interval(lo: float | None, hi: float | None) -> str:
    """How an interval reads: 69 → "69", [105, ∞) → "≥ 105", [427.5, 472.5] → "427.5–472.5"."""
    if lo is None:
        return ""
    if hi is None:
        return f"≥ {format_number(lo)}"
    return format_number(lo) if lo == hi else f"{format_number(lo)}–{format_number(hi)}"


def format_number(value: float) -> str:
    """4300 → "4,300", 4345.229 → "4,345.2"."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def verdict(intervals: Sequence[Interval]) -> Verdict:
    if len(intervals) < 2:
        raise ValueError("a verdict needs two reports or more")
    if all(i == intervals[0] for i in intervals):
        return Verdict.AGREE
    if all(a.overlaps(b) for a, b in combinations(intervals, 2)):
        return Verdict.COMPATIBLE
    return Verdict.CONFLICT


def document_interval(intervals: Sequence[Interval]) -> Interval:
    """One document's figure when it states a measure several times ("at least seven" in the
    lede, "seven" later): what all its statements allow together, or, if the document
    contradicts itself, its first statement."""
    combined: Interval | None = intervals[0]
    for interval in intervals[1:]:
        combined = combined.intersect(interval) if combined else None
    return combined or intervals[0]


@dataclass(frozen=True)
class FactReport:
    """One stored fact, as divergence building needs it."""

    document_id: str
    outlet: str | None
    incident_id: str
    incident: str
    measure: str
    value_min: float
    value_max: float | None
    phrase: str
    quote: str
    char_start: int


@dataclass(frozen=True)
class Divergence:
    incident_id: str | None
    incident: str
    measure: str
    kind: str  # number | name
    reports: tuple[dict[str, object], ...]  # one per document
    verdict: Verdict

    @property
    def n_documents(self) -> int:
        return len({r["document_id"] for r in self.reports})

    @property
    def n_outlets(self) -> int:
        # A document whose outlet is unknown counts as a source of its own.
        return len({r["outlet"] or f"?{r['document_id']}" for r in self.reports})


def number_divergences(facts: Sequence[FactReport]) -> list[Divergence]:
    """One divergence per incident and measure that two or more documents report."""
    groups: dict[tuple[str, str], dict[str, list[FactReport]]] = {}
    for fact in sorted(facts, key=lambda f: (f.document_id, f.char_start)):
        by_document = groups.setdefault((fact.incident_id, fact.measure), {})
        by_document.setdefault(fact.document_id, []).append(fact)
    divergences = []
    for (incident_id, measure), by_document in sorted(groups.items()):
        if len(by_document) < 2:
            continue
        reports = tuple(_report(doc_facts) for doc_facts in by_document.values())
        intervals = [Interval(r["value_min"], r["value_max"]) for r in reports]  # type: ignore[arg-type]
        incident = next(iter(by_document.values()))[0].incident
        divergences.append(
            Divergence(incident_id, incident, measure, "number", reports, verdict(intervals))
        )
    return divergences


def _report(facts: Sequence[FactReport]) -> dict[str, object]:
    interval = document_interval([Interval(f.value_min, f.value_max) for f in facts])
    # Quote the statement that says the most: the one whose interval is the document's, or else
    # the narrowest.
    best = min(facts, key=lambda f: (Interval(f.value_min, f.value_max) != interval,
                                     (f.value_max if f.value_max is not None else float("inf"))
                                     - f.value_min))  # fmt: skip
    return {
        "document_id": best.document_id, "outlet": best.outlet,
        "value_min": interval.lo, "value_max": interval.hi,
        "phrase": " / ".join(dict.fromkeys(f.phrase for f in facts)),
        "quote": best.quote, "statements": len(facts),
    }  # fmt: skip
