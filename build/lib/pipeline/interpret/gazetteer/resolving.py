"""Settling one of a name's candidates, and saying how.

Many villages share a name (GeoNames has dozens of Alexandrovkas), and outlets rarely say which
they mean: the article says it through the countries it names and the other places it names.
The order is the order of evidence strength: a named country, then the same admin1 region as
a place of the article, then nearness to one, then a country's own name over its namesake
towns, and last a population so much larger (20 times the next) that a reader would assume it.
Anything weaker leaves the name ambiguous, with its candidates, rather than guess: a wrong place
merges incidents that are not one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pipeline.interpret.gazetteer.geo import distance_km, same_region
from schemas.data import Place, PlacePrecision

POPULATION_RATIO = 20
NEARER_RATIO = 2.0  # the nearest candidate must be at least twice as near as the next


def decide(
    candidates: Sequence[Place], countries: Sequence[str], near: Sequence[Place]
) -> tuple[Place | None, list[Place], str]:
    """(the place or None, the candidates still in the running, most populous first, why)."""
    cands = sorted(candidates, key=lambda p: -p.population)
    total = len(cands)
    if total == 1:
        return cands[0], cands, f"the only entry of that name ({_label(cands[0])})"
    notes: list[str] = []
    if countries:
        inside = [p for p in cands if p.country in countries]
        if len(inside) == 1:
            return (
                inside[0],
                cands,
                (
                    f"the only one of {total} candidates in a country the article names "
                    f"({inside[0].country})"
                ),
            )
        if inside:
            notes.append(f"{len(inside)} of {total} in {'/'.join(sorted(set(countries)))}")
            cands = inside
    if near:
        place, cands, why = _by_near(cands, near)
        if place is not None:
            return place, cands, "; ".join([*notes, why])
        if why:
            notes.append(why)
    states = [p for p in cands if p.precision is PlacePrecision.COUNTRY]
    if len(states) == 1:
        return states[0], cands, "; ".join([*notes, "a country's name, before its namesakes"])
    top, second = cands[0].population, cands[1].population
    if top > 0 and top >= POPULATION_RATIO * max(second, 1):
        ratio = "no population given" if second == 0 else f"{top / second:.0f}x"
        why = f"far the most populous of {len(cands)} ({top:,} vs {second:,}: {ratio})"
        return cands[0], cands, "; ".join([*notes, why])
    why = (
        f"ambiguous: {len(cands)} candidates, not settled by the countries named, nearby "
        f"places or population (largest {top:,}, next {second:,})"
    )
    return None, cands, "; ".join([*notes, why])


def _by_near(cands: list[Place], near: Sequence[Place]) -> tuple[Place | None, list[Place], str]:
    """Same admin1 as a place of the article, else clearly the nearest to one."""
    same = [p for p in cands if any(same_region(p, n) for n in near)]
    if len(same) == 1:
        anchor = next(n for n in near if same_region(same[0], n))
        return same[0], cands, f"in the same region as {anchor.name} ({same[0].admin1})"
    if same:
        cands = same
    scored: list[tuple[float, Place, Place]] = []
    for p in cands:
        dists = [(d, n) for n in near if (d := distance_km(p, n)) is not None]
        if dists:
            d, n = min(dists, key=lambda x: x[0])
            scored.append((d, p, n))
    scored.sort(key=lambda x: x[0])
    if len(scored) >= 2 and scored[0][0] * NEARER_RATIO <= scored[1][0]:
        d, p, n = scored[0]
        why = f"nearest to {n.name} ({d:,.0f} km; the next {scored[1][0]:,.0f} km)"
        return p, cands, why
    note = f"{len(same)} in the region of a place nearby" if same else ""
    return None, cands, note


def _label(place: Place) -> str:
    where = place.country or "?"
    if place.latitude is None or math.isnan(place.latitude):
        return f"{place.name}, {where}"
    return f"{place.name}, {where}, {place.precision.value}"
