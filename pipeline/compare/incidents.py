"""Records of many documents → incidents: which reports describe the same real-world event.

General and explainable, the way ACLED and cross-document event coreference work:
1. **Context within an article.** A record that names no place, or no date, takes them from
   the nearest record of its article that does (the lede usually names both): "Health
   officials said 31 had died" belongs where the article's strike happened.
2. **Blocking.** Records are compared only within one country (their places' country) and one
   family (events; talks; territorial claims).
3. **Scoring.** A pair scores on place (same GeoNames id, distance, same region), date (equal,
   close, within the window its precision allows), event type (same sub-type, same ACLED type)
   and actors (a shared name). Counts never enter: they are what gets compared.
4. **Vetoes.** Settlements far apart, or precise dates two days or more apart, cannot be one
   event, whatever else agrees.
5. **Clustering.** Average linkage: two groups merge only if their pairs score `JOIN` on
   average and no pair is vetoed, so a chain of weak links cannot merge two events.
Every joined pair becomes a `Link` with each term's contribution.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from anyascii import anyascii

from pipeline.compare.labels import incident_label, slug
from pipeline.interpret.events import family
from pipeline.interpret.places import distance_km, same_region
from schemas import DatePrecision, Incident, Link, Place, PlacePrecision, RecordRef, record_spec

JOIN = 0.45  # the same place alone, with nothing against it, is one event
RECENT_DAYS = 14  # a day this long before the article's date is background, if others are given
DATE_REACH = 400  # characters between a record and the one whose date it takes
NEAR_KM, CLOSE_KM, FAR_KM = 10.0, 50.0, 100.0
_WINDOW_DAYS = {DatePrecision.DAY: 1, DatePrecision.WEEK: 7, DatePrecision.MONTH: 31,
                DatePrecision.YEAR: 366}  # fmt: skip


@dataclass(frozen=True)
class Pair:
    score: float
    terms: dict[str, float]
    why: list[str]
    veto: str | None = None


def family_of(record: RecordRef) -> str:
    """Events of any declared type (attacks, casualties, …) can be one incident; talks and
    territorial claims are incidents of their own kind."""
    try:
        return "event" if record_spec(record.record_type).event else record.record_type
    except KeyError:
        return record.record_type


# ----------------------------------------------------------------------------- context


def with_context(records: Sequence[RecordRef]) -> tuple[list[RecordRef], dict[str, str]]:
    """Records whose missing place or date is taken from the nearest record of the same
    article and family that has one; returns (records, record_id → what was taken)."""
    by_document: dict[tuple[str, str], list[RecordRef]] = defaultdict(list)
    for record in records:
        if record.wider:
            continue  # a war's or a month's total is no incident, and says nothing of one
        by_document[(record.document_id, family_of(record))].append(record)
    result: list[RecordRef] = []
    taken: dict[str, str] = {}
    for group in by_document.values():
        group.sort(key=lambda r: (r.char_start, r.record_id))
        for record in group:
            updated, notes = record, []
            if (
                record.place is None
                or record.place_from_dateline
                or (record.place.precision is not PlacePrecision.SETTLEMENT)
            ):
                # No place, or only a region or country: the nearest record of the article
                # that names a more precise place inside it says where.
                donors = [r for r in group if not r.place_from_dateline
                          and _refines(r.place, None if record.place_from_dateline else record.place)]  # fmt: skip
                donor = _nearest(record, donors)
                if donor is not None:
                    updated = replace(updated, place=donor.place)
                    notes.append(f"place from {donor.record_id}")
            if not record.date_from_text:
                # Dates lean on the next sentences only: a live blog's entries, or a page's
                # background paragraphs, tell other days.
                donor = _nearest(record, [r for r in group if r.date_from_text
                                          and abs(r.char_start - record.char_start) <= DATE_REACH])  # fmt: skip
                if donor is not None:
                    updated = replace(updated, date=donor.date, date_precision=donor.date_precision,
                                      date_from_text=True)  # fmt: skip
                    notes.append(f"date from {donor.record_id}")
            if notes:
                taken[record.record_id] = ", ".join(notes)
            result.append(updated)
    return result, taken


_RANK = {PlacePrecision.SETTLEMENT: 0, PlacePrecision.REGION: 1, PlacePrecision.COUNTRY: 2}


def _refines(donor: Place | None, place: Place | None) -> bool:
    """Is `donor` a more precise place than `place`, and inside it (as far as we can tell: a
    region without a GeoNames admin1 code is taken to hold its country's settlements)?"""
    if donor is None or donor.precision is PlacePrecision.COUNTRY:
        return False
    if place is None:
        return True
    if _RANK[donor.precision] >= _RANK[place.precision] or donor.country != place.country:
        return False
    return (
        place.precision is PlacePrecision.COUNTRY
        or place.admin1 is None
        or same_region(donor, place)
    )


def _nearest(record: RecordRef, donors: Sequence[RecordRef]) -> RecordRef | None:
    if not donors:
        return None
    return min(donors, key=lambda r: (abs(r.char_start - record.char_start), r.char_start))


# ----------------------------------------------------------------------------- scoring


def score(a: RecordRef, b: RecordRef) -> Pair:
    terms: dict[str, float] = {}
    why: list[str] = []
    veto = _place_term(a.place, b.place, terms, why)
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
    precise = (a.date_from_text and b.date_from_text
               and a.date_precision is DatePrecision.DAY and b.date_precision is DatePrecision.DAY)  # fmt: skip
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
    window = max(_WINDOW_DAYS.get(a.date_precision or DatePrecision.WEEK, 7),
                 _WINDOW_DAYS.get(b.date_precision or DatePrecision.WEEK, 7))  # fmt: skip
    if days <= window:
        # the nearer, the likelier: an article's own date stands in for the event's
        terms["date"] = round(0.15 * (1 - days / (window + 1)), 3)
        why.append(f"dates {days} days apart, within {window}")
    elif days > 2 * window:
        terms["date"] = -0.15
        why.append(f"dates {days} days apart (imprecise)")
    return None


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


# ----------------------------------------------------------------------------- clustering


def _cluster(profiles: Sequence[RecordRef]) -> list[list[int]]:
    """Average linkage over profiles: merge the best pair of clusters while its pairs score
    `JOIN` on average and none is vetoed."""
    n = len(profiles)
    pairs: dict[tuple[int, int], Pair] = {
        (i, j): score(profiles[i], profiles[j]) for i, j in combinations(range(n), 2)
    }
    clusters: list[list[int]] = [[i] for i in range(n)]
    while len(clusters) > 1:
        best: tuple[float, int, int] | None = None
        for x, y in combinations(range(len(clusters)), 2):
            cross = [pairs[(min(i, j), max(i, j))] for i in clusters[x] for j in clusters[y]]
            if any(p.veto for p in cross):
                continue
            average = sum(p.score for p in cross) / len(cross)
            if average >= JOIN and (best is None or average > best[0]):
                best = (average, x, y)
        if best is None:
            break
        _, x, y = best
        clusters[x] = sorted(clusters[x] + clusters[y])
        del clusters[y]
    return clusters


def article_groups(records: Sequence[RecordRef]) -> list[list[RecordRef]]:
    """One article's records of one family, grouped by the events they report: in reading
    order, a record joins the group of the nearest record before it that it is compatible
    with (no veto: same or near place, close dates), else opens a group. An article mostly
    reports one event, and its sentences lean on each other; a background event it recalls
    (a strike last month, one in another town) gets its own group."""
    groups: list[list[RecordRef]] = []
    for record in sorted(records, key=lambda r: (r.char_start, r.record_id)):
        fits = [g for g in groups if _fits_group(record, g)]
        if fits:
            nearest = max(fits, key=lambda g: max(r.char_start for r in g))
            nearest.append(record)
        else:
            groups.append([record])
    return groups


def _fits_group(record: RecordRef, group: Sequence[RecordRef]) -> bool:
    """No veto against any member, and nothing that tells another event: a place the group
    does not share, an event type of another ACLED type."""
    if any(score(record, other).veto for other in group):
        return False
    summary = profile(group)
    pair = score(record, summary)
    if record.place is not None and not record.place_from_dateline and summary.place is not None:
        if pair.terms.get("place", 0.0) <= 0.0:
            return False
    return pair.terms.get("event_type", 0.0) >= 0.0


def profile(group: Sequence[RecordRef]) -> RecordRef:
    """What a group says of its event: its most precise place, its day if a record gives one,
    its most frequent event type, all its actors (a synthetic record to score with)."""
    first = group[0]
    places = [r.place for r in group if r.place is not None and not r.place_from_dateline] or [
        r.place for r in group if r.place is not None
    ]
    counts = Counter(p.place_id for p in places)
    place = (
        min(places, key=lambda p: (_RANK[p.precision], -counts[p.place_id], p.place_id))
        if places
        else None
    )
    days = Counter(r.date for r in group if r.date and r.date_from_text
                   and r.date_precision is DatePrecision.DAY)  # fmt: skip
    published = first.published
    # News is about recent days: a date weeks before the article's own ("after the attack of
    # 7 October") is background; the article's own date does better than it.
    recent = {d: n for d, n in days.items()
              if published is None or (published - d).days <= RECENT_DAYS}  # fmt: skip
    if recent or (days and not any(r.date for r in group if not r.date_from_text)):
        chosen = recent or days
        when, precision, dated = min(chosen, key=lambda d: (-chosen[d], d)), DatePrecision.DAY, True
    else:
        known = [r for r in group if r.date is not None]
        best = min(known, key=lambda r: (not r.date_from_text, r.char_start)) if known else first
        when, precision, dated = best.date, best.date_precision, best.date_from_text
    types = Counter(r.event_type for r in group if r.event_type)
    kind = min(types, key=lambda t: (-types[t], t)) if types else None
    actors = tuple(dict.fromkeys(a for r in group for a in r.actors))
    return replace(first, event_type=kind, date=when, date_precision=precision,
                   date_from_text=dated, place=place, actors=actors,
                   place_from_dateline=all(r.place_from_dateline for r in group))  # fmt: skip


def resolve(records: Sequence[RecordRef]) -> tuple[list[Incident], dict[str, str], list[Link]]:
    """(incidents, record_id → incident_id, links between the groups of different articles)."""
    contextual, taken = with_context(records)
    by_article: dict[tuple[str, str], list[RecordRef]] = defaultdict(list)
    for record in contextual:
        if not record.wider:
            by_article[(family_of(record), record.document_id)].append(record)
    blocks: dict[tuple[str, str], list[list[RecordRef]]] = defaultdict(list)
    for (kind, _), members in sorted(by_article.items()):
        for group in article_groups(members):
            place = profile(group).place
            if place is not None and place.country:
                blocks[(kind, place.country)].append(group)
    incidents: list[Incident] = []
    assignments: dict[str, str] = {}
    links: list[Link] = []
    used_ids: Counter[str] = Counter()
    for key in sorted(blocks):
        groups = blocks[key]
        profiles = [profile(g) for g in groups]
        for cluster in _cluster(profiles):
            members = [r for i in cluster for r in groups[i]]
            incident = _incident(members, key[0], used_ids)
            incidents.append(incident)
            assignments.update({r.record_id: incident.incident_id for r in members})
            links += _links([profiles[i] for i in cluster], incident.incident_id, taken)
    incidents.sort(key=lambda i: i.incident_id)
    return incidents, assignments, links


def _incident(group: Sequence[RecordRef], kind: str, used: Counter[str]) -> Incident:
    summary = profile(group)
    place, when, precision, event_type = (summary.place, summary.date, summary.date_precision,
                                          summary.event_type)  # fmt: skip
    what = event_type or (group[0].record_type if kind != "event" else "event")
    base = "@".join(
        x for x in (what, slug(place.name) if place else "", when.isoformat() if when else "") if x
    )
    used[base] += 1
    incident_id = base if used[base] == 1 else f"{base}-{used[base]}"
    return Incident(
        incident_id=incident_id,
        label=incident_label(what, place, when),
        record_type=group[0].record_type if kind != "event" else "event",
        event_type=event_type,
        date=when,
        date_precision=precision,
        place=place,
        record_ids=tuple(r.record_id for r in group),
        document_ids=tuple(sorted({r.document_id for r in group})),
    )


def _links(profiles: Sequence[RecordRef], incident_id: str, taken: dict[str, str]) -> list[Link]:
    """One link per pair of article groups of different articles, named by each group's
    first record, scored on the groups' profiles."""
    links = []
    for a, b in combinations(profiles, 2):
        if a.document_id == b.document_id:
            continue
        pair = score(a, b)
        notes = [f"{r.record_id}: {taken[r.record_id]}" for r in (a, b) if r.record_id in taken]
        reason = "; ".join(pair.why + notes) or "joined through the other members of the incident"
        links.append(Link(incident_id, a.record_id, b.record_id, a.document_id, b.document_id,
                          pair.score, pair.terms, reason))  # fmt: skip
    return links
