"""Verdict logic on hand-made intervals, and on intervals read from number phrases."""

from __future__ import annotations

import pytest

from pipeline.compare import Interval, Verdict, document_interval, verdict
from pipeline.normalize import parse_quantity


def read(phrase: str) -> Interval:
    q = parse_quantity(phrase)
    return Interval(q.value_min, q.value_max)


def test_same_interval_agrees() -> None:
    assert verdict([Interval(69, 69), Interval(69, 69), Interval(69, 69)]) is Verdict.AGREE


def test_open_ended_and_point_inside_are_compatible() -> None:
    assert verdict([read("more than 40"), read("41")]) is Verdict.COMPATIBLE


def test_point_below_open_ended_conflicts() -> None:
    assert verdict([read("69"), read("more than 104")]) is Verdict.CONFLICT


def test_one_conflicting_pair_is_enough() -> None:
    assert verdict([read("69"), read("69"), read("more than 104")]) is Verdict.CONFLICT


def test_two_open_ended_intervals_always_overlap() -> None:
    assert verdict([read("at least seven"), read("more than 100")]) is Verdict.COMPATIBLE


def test_hedged_figures() -> None:
    assert verdict([read("about 450"), read("450")]) is Verdict.COMPATIBLE
    assert verdict([read("nearly 100"), read("100")]) is Verdict.CONFLICT
    assert verdict([read("up to 30"), read("31")]) is Verdict.CONFLICT


def test_miles_and_kilometres_compare_in_km() -> None:
    assert verdict([read("4,000 kilometers"), read("2,500 miles")]) is Verdict.COMPATIBLE
    assert verdict([read("4,300 kilometers"), read("2,500 miles")]) is Verdict.CONFLICT


def test_a_verdict_needs_two_reports() -> None:
    with pytest.raises(ValueError):
        verdict([Interval(1, 1)])


def test_document_interval_narrows_repeated_statements() -> None:
    assert document_interval([read("at least seven"), read("seven")]) == Interval(7, 7)
    assert document_interval([read("more than 40"), read("up to 50")]) == Interval(41, 50)


def test_self_contradicting_document_keeps_its_first_statement() -> None:
    assert document_interval([read("69"), read("more than 104")]) == Interval(69, 69)
