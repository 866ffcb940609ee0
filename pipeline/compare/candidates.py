"""Which pairs of a block could be one incident, found without scoring every pair.

A pair is worth scoring only when no veto can stop it: its places agree (the same place, one
region, settlements within `CLOSE_KM`, or a country, an unlinked region or an unlinked
settlement with a settlement of its country) and its dates are not too far apart (precise
days at most a day apart; other dates within the veto's reach). Every other pair is vetoed by
`scoring.score`, so leaving it out changes nothing; it only spares the comparison the square of
a block's size (10,000 articles on one war give blocks of tens of thousands of article groups).

Pairs are drawn from buckets keyed by place (place id, admin1 region, grid cell), each sorted
by date and scanned only as far as a date can reach.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from pipeline.compare.scoring import CLOSE_KM, FAR_DAYS, date_window
from schemas import DatePrecision, PlacePrecision, RecordRef

_KM_PER_DEGREE = 111.2


def candidate_pairs(profiles: Sequence[RecordRef]) -> set[tuple[int, int]]:
    """(i, j), i < j: the pairs of `profiles` that no place or date veto can stop."""
    buckets: dict[tuple[object, ...], list[int]] = defaultdict(list)
    settlements: list[int] = []
    vague: list[int] = []
    for i, p in enumerate(profiles):
        place = p.place
        if place is None:
            continue
        buckets[("id", place.place_id)].append(i)
        if place.admin1 is not None:
            buckets[("admin1", place.admin1)].append(i)
        if place.precision is PlacePrecision.SETTLEMENT:
            settlements.append(i)
        if place.precision is PlacePrecision.COUNTRY or place.admin1 is None:
            vague.append(i)  # may hold any settlement of its country
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        pairs |= _dated_pairs(profiles, members, members)
    for cell_members, neighbours in _grid(profiles, settlements):
        pairs |= _dated_pairs(profiles, cell_members, neighbours)
    if vague:
        pairs |= _dated_pairs(profiles, vague, settlements)
        # a settlement tied to no region may lie in any region of its country
        towns = set(settlements)
        loose = [i for i in vague if i in towns]
        placed = [i for i, p in enumerate(profiles) if p.place is not None]
        pairs |= _dated_pairs(profiles, loose, placed)
    return pairs


def _grid(
    profiles: Sequence[RecordRef], settlements: Sequence[int]
) -> Iterable[tuple[list[int], list[int]]]:
    """For each one-degree cell of settlements: its members and every settlement in the cells
    that lie within `CLOSE_KM` of it."""
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in settlements:
        place = profiles[i].place
        assert place is not None
        if place.latitude is not None and place.longitude is not None:
            cells[(math.floor(place.latitude), math.floor(place.longitude))].append(i)
    for (lat, lon), members in cells.items():
        # cells narrow towards the poles: a degree of longitude is 111 km × cos(latitude)
        # (the narrowest of this cell's and its neighbours' rows)
        narrowest = max(math.cos(math.radians(min(max(abs(lat - 1), abs(lat + 2)), 89))), 0.02)
        reach = math.ceil(CLOSE_KM / (_KM_PER_DEGREE * narrowest))
        neighbours = [j for dlat in (-1, 0, 1) for dlon in range(-reach, reach + 1)
                      for j in cells.get((lat + dlat, lon + dlon), ())]  # fmt: skip
        yield members, neighbours


def _precise(p: RecordRef) -> bool:
    return p.date_from_text and p.date_precision is DatePrecision.DAY


def _reach(p: RecordRef) -> int:
    """Days beyond which a date veto stops any pair of `p` with a date of no wider window."""
    return max(4 * date_window(p), FAR_DAYS)


class _ByDay:
    """Profiles sorted by their day, for range scans."""

    def __init__(self, profiles: Sequence[RecordRef], members: Iterable[int]) -> None:
        self.members = sorted(members, key=lambda j: _ordinal(profiles[j]))
        self.days = [_ordinal(profiles[j]) for j in self.members]

    def around(self, day: int, reach: int) -> list[int]:
        lo, hi = bisect_left(self.days, day - reach), bisect_right(self.days, day + reach)
        return self.members[lo:hi]


def _ordinal(p: RecordRef) -> int:
    assert p.date is not None
    return p.date.toordinal()


def _dated_pairs(
    profiles: Sequence[RecordRef], left: Sequence[int], right: Sequence[int]
) -> set[tuple[int, int]]:
    """Pairs (one of `left`, one of `right`) whose dates can be one event's."""
    if left is right and len(left) <= 64:
        return {(min(i, j), max(i, j)) for i, j in combinations(left, 2)}
    undated = [j for j in right if profiles[j].date is None]
    precise = _ByDay(profiles, (j for j in right if profiles[j].date and _precise(profiles[j])))
    loose = [j for j in right if profiles[j].date and not _precise(profiles[j])]
    imprecise = _ByDay(profiles, loose)
    loose_reach = max((_reach(profiles[j]) for j in loose), default=0)
    pairs: set[tuple[int, int]] = set()
    for i in left:
        p = profiles[i]
        if p.date is None:
            partners: Iterable[int] = right
        else:
            day = _ordinal(p)
            near = precise.around(day, 1 if _precise(p) else _reach(p))
            others = [j for j in imprecise.around(day, max(loose_reach, _reach(p)))
                      if _dates_may_meet(p, profiles[j])]  # fmt: skip
            partners = [*near, *others, *undated]
        for j in partners:
            if i != j:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def _dates_may_meet(a: RecordRef, b: RecordRef) -> bool:
    assert a.date is not None and b.date is not None
    days = abs((a.date - b.date).days)
    if _precise(a) and _precise(b):
        return days <= 1
    return days <= max(4 * max(date_window(a), date_window(b)), FAR_DAYS)
