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
