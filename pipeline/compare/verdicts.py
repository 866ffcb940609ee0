"""Verdicts on what several outlets report for one measure of one incident.

Each report is an inclusive interval (`hi` None = open-ended). The verdict is
- ``agree``: every report gives the same interval;
- ``compatible``: the intervals differ but every pair overlaps, so all can be true at once
  ("more than 40" and "41");
- ``conflict``: some pair cannot both be true ("69 injured" and "more than 104 injured").
Only figures of the incident itself are compared (scope `incident`): a sub-count, an earlier
toll or a war-wide total stays stored but is not the incident's figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from schemas import Divergence, FactRef, Interval, Report, Scope, Verdict


def format_number(value: float) -> str:
    """4300 → "4,300", 4345.229 → "4,345.2"."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def format_interval(lo: float | None, hi: float | None) -> str:
    """How an interval reads: 69 → "69", [105, ∞) → "≥ 105", [427.5, 472.5] → "427.5–472.5"."""
    if lo is None:
        return ""
    if hi is None:
        return f"≥ {format_number(lo)}"
    return format_number(lo) if lo == hi else f"{format_number(lo)}–{format_number(hi)}"


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
    lede, "seven" later): what its statements allow together, read in order from the first.
    A statement that contradicts those before it is set aside ("a few" dead, then 77, then a
    list of some fifty trainees among them: 77), so the first statement always counts."""
    combined = intervals[0]
    for interval in intervals[1:]:
        combined = combined.intersect(interval) or combined
    return combined


def number_divergences(
    facts: Sequence[FactRef], incident_of: dict[str, str], labels: dict[str, str]
) -> list[Divergence]:
    """One divergence per incident and measure that two or more documents report."""
    groups: dict[tuple[str, str], dict[str, list[FactRef]]] = {}
    for fact in sorted(facts, key=lambda f: (f.document_id, f.char_start, f.fact_id)):
        incident_id = incident_of.get(fact.record_id)
        if incident_id is None or fact.scope is not Scope.INCIDENT:
            continue
        by_document = groups.setdefault((incident_id, fact.measure), {})
        by_document.setdefault(fact.document_id, []).append(fact)
    divergences = []
    for (incident_id, measure), by_document in sorted(groups.items()):
        if len(by_document) < 2:
            continue
        reports = tuple(_report(doc_facts) for doc_facts in by_document.values())
        intervals = [Interval(r.value_min, r.value_max) for r in reports]
        divergences.append(
            Divergence(
                "number",
                incident_id,
                labels.get(incident_id, incident_id),
                measure,
                reports,
                verdict(intervals),
            )
        )
    return divergences


def _report(facts: Sequence[FactRef]) -> Report:
    interval = document_interval([Interval(f.value_min, f.value_max) for f in facts])

    def width(f: FactRef) -> float:
        return (f.value_max if f.value_max is not None else float("inf")) - f.value_min

    # Quote the statement that says the most: the one whose interval is the document's, or
    # else the narrowest.
    best = min(facts, key=lambda f: (Interval(f.value_min, f.value_max) != interval, width(f)))
    return Report(
        document_id=best.document_id, outlet=best.outlet, language=best.language,
        value_min=interval.lo, value_max=interval.hi,
        phrase=" / ".join(dict.fromkeys(f.phrase for f in facts)), quote=best.quote,
        statements=len(facts), gloss=best.gloss,
    )  # fmt: skip
