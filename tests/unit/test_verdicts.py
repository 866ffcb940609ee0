"""Verdicts on intervals, and divergences from facts (only the incident's own figures)."""

import pytest

from pipeline.compare.verdicts import (
    document_interval,
    format_interval,
    number_divergences,
    verdict,
)
from schemas import FactRef, Interval, Scope, Verdict


def test_verdicts() -> None:
    assert verdict([Interval(69, 69), Interval(69, 69)]) is Verdict.AGREE
    assert verdict([Interval(41, None), Interval(41, 41)]) is Verdict.COMPATIBLE
    assert verdict([Interval(69, 69), Interval(105, None)]) is Verdict.CONFLICT
    with pytest.raises(ValueError):
        verdict([Interval(1, 1)])


def test_a_document_stating_a_figure_twice_contributes_what_both_allow() -> None:
    assert document_interval([Interval(7, None), Interval(7, 7)]) == Interval(7, 7)
    # contradicting itself: its first statement stands
    assert document_interval([Interval(7, 7), Interval(9, 9)]) == Interval(7, 7)
    # read in order: a statement that contradicts those before it is set aside, the others
    # still narrow the figure ("a few" dead, then 77, then a list of some fifty among them)
    few, exact, fifty = Interval(2, None), Interval(77, 77), Interval(45, 55)
    assert document_interval([few, exact, fifty]) == exact
    assert document_interval([few, fifty, exact]) == fifty


def test_format_interval() -> None:
    assert format_interval(69, 69) == "69"
    assert format_interval(105, None) == "≥ 105"
    assert format_interval(4345.229, 5000) == "4,345.2–5,000"


def fact(doc: str, lo: float, hi: float | None, scope: Scope = Scope.INCIDENT,
         measure: str = "killed") -> FactRef:  # fmt: skip
    return FactRef(f"{doc}:1:killed", doc, f"{doc}:1", measure, lo, hi, str(lo), "q", 0, scope,
                   f"outlet {doc}", "en")  # fmt: skip


def test_only_incident_scope_figures_are_compared() -> None:
    facts = [fact("a", 31, 31), fact("b", 40, None), fact("c", 20, 20, Scope.SUPERSEDED),
             fact("d", 40000, None, Scope.WIDER)]  # fmt: skip
    incident_of = {f.record_id: "x" for f in facts}
    [divergence] = number_divergences(facts, incident_of, {"x": "X"})
    assert divergence.verdict is Verdict.CONFLICT
    assert [r.document_id for r in divergence.reports] == ["a", "b"]
    assert divergence.n_outlets == 2


def test_one_document_is_no_divergence() -> None:
    facts = [fact("a", 31, 31), fact("a", 31, None)]
    assert number_divergences(facts, {f.record_id: "x" for f in facts}, {}) == []
