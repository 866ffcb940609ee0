"""How alike two records are, for incident resolution: a pair's score, each term's share and
the vetoes.

A pair scores on place (same GeoNames id, distance, same region), date (equal, close, within
the window its precision allows), event type (same sub-type, same ACLED type) and actors (a
shared name); settlements far apart, precise dates two days or more apart, or any dates
months apart, veto the pair.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii

from pipeline.interpret.events import family
from pipeline.interpret.places import distance_km, same_region
from schemas import DatePrecision, Place, PlacePrecision, RecordRef

NEAR_KM, CLOSE_KM, FAR_KM = 10.0, 50.0, 100.0
FAR_DAYS = 90  # dates this far apart are two events, however imprecise
_WINDOW_DAYS = {DatePrecision.DAY: 1, DatePrecision.WEEK: 7, DatePrecision.MONTH: 31,
                DatePrecision.YEAR: 366}  # fmt: skip


@dataclass(frozen=True)
class Pair:
    score: float
    terms: dict[str, float]
    why: list[str]
    veto: str | None = None


def score(a: RecordRef, b: RecordRef) -> Pair:
    terms: dict[str, float] = {}
    why: list[str] = []
    veto = _place_term(a.place, b.place, terms, why)
    if veto is None and a.place is not None and b.place is not None and "place" not in terms:
        # An incident happens in one place: two places that neither are one, nor lie close,
        # nor one inside the other, are two events, whatever the day and the kind say.
        veto = f"{a.place.name} and {b.place.name} do not agree"
    veto = _date_term(a, b, terms, why) or veto
    _type_term(a.event_type, b.event_type, terms, why)
    shared = _actor_keys(a.actors) & _actor_keys(b.actors)
    if shared:
        terms["actors"] = 0.1
        why.append(f"shared actor {sorted(shared)[0]!r}")
    return Pair(round(sum(terms.values()), 3), terms, why, veto)


def _place_term(
    a: Place | None, b: Place | None, terms: dict[str, float], why: list[str]
) -> str | None:
    if a is None or b is None:
        return None
    if a.place_id == b.place_id:
        terms["place"] = 0.45
        why.append(f"same place {a.name}")
        return None
    km = distance_km(a, b)
    settlements = (
        a.precision is PlacePrecision.SETTLEMENT and b.precision is PlacePrecision.SETTLEMENT
    )
    if km is not None and settlements:
        if km <= NEAR_KM:
            terms["place"] = 0.35
            why.append(f"{a.name} and {b.name} {km:.0f} km apart")
        elif km <= CLOSE_KM:
            terms["place"] = 0.15
            why.append(f"{a.name} and {b.name} {km:.0f} km apart")
        elif km > FAR_KM:
            return f"{a.name} and {b.name} are {km:.0f} km apart"
        return None
    if same_region(a, b):
        terms["place"] = 0.25
        why.append(f"{a.name} and {b.name} in one region")
    elif (
        a.country == b.country
        and PlacePrecision.SETTLEMENT in (a.precision, b.precision)
        and (PlacePrecision.COUNTRY in (a.precision, b.precision) or not (a.admin1 and b.admin1))
    ):
        # A country, or a region not tied to GeoNames' admin codes, may hold the settlement.
        terms["place"] = 0.15
        why.append(f"{a.name} and {b.name} in one country")
    return None


def _date_term(a: RecordRef, b: RecordRef, terms: dict[str, float], why: list[str]) -> str | None:
    if a.date is None or b.date is None:
        return None
    days = abs((a.date - b.date).days)
    precise = (
        a.date_from_text
        and b.date_from_text
        and a.date_precision is DatePrecision.DAY
        and b.date_precision is DatePrecision.DAY
    )
    if precise and a.document_id == b.document_id and days == 1:
        # Within one article the next day is mostly a toll's update ("by Sunday, 70 had died").
        terms["date"] = 0.1
        why.append("dates of one article, a day apart")
        return None
    if precise:
        if days == 0:
            terms["date"] = 0.3
            why.append(f"same day {a.date.isoformat()}")
        elif days == 1:
            # A day apart across outlets is as often the same night ("overnight", "late on
            # Saturday", a time zone) as two events: neither for nor against.
            terms["date"] = 0.0
            why.append(f"dates a day apart ({a.date.isoformat()}, {b.date.isoformat()})")
        else:
            return f"dates {days} days apart ({a.date.isoformat()}, {b.date.isoformat()})"
        return None
    window = max(date_window(a), date_window(b))
    if days <= window:
        # the nearer, the likelier: an article's own date stands in for the event's
        terms["date"] = round(0.15 * (1 - days / (window + 1)), 3)
        why.append(f"dates {days} days apart, within {window}")
    elif days > max(4 * window, FAR_DAYS):
        # Months apart: an article's own date does not stand in for an event that long before
        # it ("since the attack of 7 October"), whatever the precision.
        return f"dates {days} days apart ({a.date.isoformat()}, {b.date.isoformat()})"
    elif days > 2 * window:
        terms["date"] = -0.15
        why.append(f"dates {days} days apart (imprecise)")
    return None


def date_window(record: RecordRef) -> int:
    """Days around a record's date that its precision leaves open (a week for the article's
    own date standing in)."""
    return _WINDOW_DAYS.get(record.date_precision or DatePrecision.WEEK, 7)


def _type_term(a: str | None, b: str | None, terms: dict[str, float], why: list[str]) -> None:
    if a is None or b is None:
        return
    if a == b:
        terms["event_type"] = 0.15
        why.append(f"both {a}")
    elif family(a) == family(b):
        terms["event_type"] = 0.08
        why.append(f"both {family(a)}")
    else:
        terms["event_type"] = -0.1
        why.append(f"{a} vs {b}")


def _actor_keys(actors: Sequence[str]) -> set[str]:
    keys = set()
    for actor in actors:
        key = re.sub(r"[^a-z0-9]+", " ", anyascii(actor).lower()).strip()
        key = re.sub(r"^(the|al|el) ", "", key)
        if len(key) >= 3:
            keys.add(key)
    return keys
