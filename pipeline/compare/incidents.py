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
4. **Vetoes.** Settlements far apart, precise dates two days or more apart, or any dates months
   apart, cannot be one event, whatever else agrees.
5. **Clustering.** Average linkage: two groups merge only if their pairs score `JOIN` on
   average and no pair is vetoed, so a chain of weak links cannot merge two events.
Every joined pair becomes a `Link` with each term's contribution. Scoring and vetoes (3, 4)
are `scoring`'s; context, blocking and clustering are here.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from itertools import combinations

from pipeline.compare.candidates import candidate_pairs
from pipeline.compare.labels import incident_label, slug
from pipeline.compare.scoring import score
from pipeline.interpret.places import same_region
from schemas import DatePrecision, Incident, Link, Place, PlacePrecision, RecordRef, record_spec

JOIN = 0.45  # the same place alone, with nothing against it, is one event
RECENT_DAYS = 14  # a day this long before the article's date is background, if others are given
DATE_REACH = 400  # characters between a record and the one whose date it takes


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
                donors = [
                    r
                    for r in group
                    if not r.place_from_dateline
                    and _refines(r.place, None if record.place_from_dateline else record.place)
                ]
                donor = _nearest(record, donors)
                if donor is not None:
                    updated = replace(updated, place=donor.place, place_from_context=True)
                    notes.append(f"place from {donor.record_id}")
            if not record.date_from_text:
                # A date is taken from the sentences just before (what "the strike" refers
                # back to), never from a later one: the next paragraph may tell another day
                # ("On Thursday, strikes elsewhere…"); nor from another entry of a live blog.
                donor = _nearest(
                    record,
                    [
                        r
                        for r in group
                        if r.date_from_text
                        and r.entry == record.entry
                        and 0 <= record.char_start - r.char_start <= DATE_REACH
                    ],
                )
                if donor is not None:
                    updated = replace(updated, date=donor.date, date_precision=donor.date_precision,
                                      date_from_text=True)  # fmt: skip
                    notes.append(f"date from {donor.record_id}")
                elif record.entry is not None and record.published is not None:
                    # A live blog's entry that names no day is the page's day.
                    updated = replace(
                        updated,
                        date=record.published,
                        date_precision=DatePrecision.DAY,
                        date_from_text=True,
                    )
                    notes.append("date: the live blog's day")
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


# ----------------------------------------------------------------------------- clustering


def _cluster(profiles: Sequence[RecordRef]) -> list[list[int]]:
    """Average linkage over profiles: merge the best pair of clusters while its pairs score
    `JOIN` on average and none is vetoed (ties: the pair of lowest members).

    Only candidate pairs are scored (`candidates`: every other pair is vetoed), and a pair of
    clusters is tracked only while all its cross pairs are candidates and none is vetoed, so
    the cost follows the pairs that can join, not the square of the block."""
    scored = {(i, j): score(profiles[i], profiles[j]) for i, j in candidate_pairs(profiles)}
    members: dict[int, list[int]] = {i: [i] for i in range(len(profiles))}
    # (cluster, cluster) → (sum of cross scores, cross pairs); clusters are named by their
    # lowest member, and a pair with a veto or a missing cross pair is dropped for good
    cross: dict[tuple[int, int], tuple[float, int]] = {
        key: (pair.score, 1) for key, pair in scored.items() if pair.veto is None
    }
    neighbours: dict[int, set[int]] = defaultdict(set)
    for x, y in cross:
        neighbours[x].add(y)
        neighbours[y].add(x)
    heap = [(-total, x, y) for (x, y), (total, _) in cross.items() if total >= JOIN - _EPS]
    heapq.heapify(heap)
    while heap:
        negative, x, y = heapq.heappop(heap)
        current = cross.get((x, y))
        if current is None or not math.isclose(-negative, current[0] / current[1]):
            continue  # merged away, or its average changed since it was queued
        members[x] += members.pop(y)
        members[x].sort()
        for z in (neighbours.pop(x) | neighbours.pop(y)) - {x, y}:
            neighbours[z].discard(x)
            neighbours[z].discard(y)
            xz, yz = cross.pop(_key(x, z), None), cross.pop(_key(y, z), None)
            if xz is None or yz is None:
                continue  # a cross pair is vetoed or cannot join: never one incident
            total, count = xz[0] + yz[0], xz[1] + yz[1]
            key = _key(x, z)
            cross[key] = (total, count)
            neighbours[x].add(z)
            neighbours[z].add(x)
            if total / count >= JOIN - _EPS:
                heapq.heappush(heap, (-total / count, *key))
        del cross[(x, y)]
    return sorted(members.values())


_EPS = 1e-9  # sums of three-decimal scores, added in another order, differ in the last bit


def _key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def article_groups(records: Sequence[RecordRef]) -> list[list[RecordRef]]:
    """One article's records of one family, grouped by the events they report: in reading
    order, a record joins the group of the nearest record before it that it is compatible
    with (no veto: same or near place, close dates), else opens a group. An article mostly
    reports one event, and its sentences lean on each other; a background event it recalls
    (a strike last month, one in another town) gets its own group."""
    groups: list[list[RecordRef]] = []
    for record in sorted(records, key=lambda r: (r.char_start, r.record_id)):
        fits = [g for g in groups if _fits_group(record, g)]
        if not fits and _may_be_later_statement(record):
            # "The ministry gave a higher toll on Sunday": a record that names no place of its
            # own, dated a few days after an event the article told, reports on that event;
            # its day is the statement's, not the event's.
            undated = replace(record, date=None, date_precision=None, date_from_text=False)
            fits = [g for g in groups if _follows(record, g) and _fits_group(undated, g)]
            if fits:
                record = undated
        if fits:
            nearest = max(fits, key=lambda g: max(r.char_start for r in g))
            nearest.append(record)
        else:
            groups.append([record])
    return groups


LATER_STATEMENT_DAYS = 3  # how long after an event a statement of its toll is still news of it


def _may_be_later_statement(record: RecordRef) -> bool:
    return (
        record.entry is None  # a live blog's later entries tell their own day's events
        and record.date_from_text
        and record.date_precision is DatePrecision.DAY
        and (record.place is None or record.place_from_context)
    )


def _follows(record: RecordRef, group: Sequence[RecordRef]) -> bool:
    """Is `record` dated 1 to `LATER_STATEMENT_DAYS` days after every precise date of `group`
    (and the group has one)?"""
    days = [r.date for r in group if r.date and r.date_from_text
            and r.date_precision is DatePrecision.DAY]  # fmt: skip
    assert record.date is not None
    return bool(days) and all(1 <= (record.date - d).days <= LATER_STATEMENT_DAYS for d in days)


def _fits_group(record: RecordRef, group: Sequence[RecordRef]) -> bool:
    """No veto against any member, and nothing that tells another event: a place the group
    does not share, an event type of another ACLED type."""
    if any(score(record, other).veto for other in group) or _recalled(record, group):
        return False
    summary = profile(group)
    pair = score(record, summary)
    if (
        record.place is not None
        and not record.place_from_dateline
        and summary.place is not None
        and pair.terms.get("place", 0.0) <= 0.0
    ):
        return False
    return pair.terms.get("event_type", 0.0) >= 0.0


def _recalled(record: RecordRef, group: Sequence[RecordRef]) -> bool:
    """ "On 11 October a missile hit the same town" in an article of the 17th, whose event so
    far has only the article's own day: an earlier event the article recalls, not its news
    (a few days back is still the news: `LATER_STATEMENT_DAYS`)."""
    if not (
        record.date_from_text
        and record.date_precision is DatePrecision.DAY
        and record.date is not None
        and record.published is not None
    ):
        return False
    if any(r.date_from_text and r.date_precision is DatePrecision.DAY for r in group):
        return False
    return (record.published - record.date).days > LATER_STATEMENT_DAYS


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
    when: date | None
    precision: DatePrecision | None
    if recent or (days and not any(r.date for r in group if not r.date_from_text)):
        chosen = recent or days
        when, precision, dated = min(chosen, key=lambda d: (-chosen[d], d)), DatePrecision.DAY, True
    else:
        known = [r for r in group if r.date is not None and not _background(r, published)]
        known = known or [r for r in group if r.date is not None]
        best = min(known, key=lambda r: (not r.date_from_text, r.char_start)) if known else first
        when, precision, dated = best.date, best.date_precision, best.date_from_text
    types = Counter(r.event_type for r in group if r.event_type)
    kind = min(types, key=lambda t: (-types[t], t)) if types else None
    actors = tuple(dict.fromkeys(a for r in group for a in r.actors))
    return replace(first, event_type=kind, date=when, date_precision=precision,
                   date_from_text=dated, place=place, actors=actors,
                   place_from_dateline=all(r.place_from_dateline for r in group))  # fmt: skip


def _background(record: RecordRef, published: date | None) -> bool:
    """A date the text gives, weeks before the article's own: what the article recalls."""
    return (
        record.date_from_text
        and published is not None
        and record.date is not None
        and (published - record.date).days > RECENT_DAYS
    )


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
