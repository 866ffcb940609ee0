"""Records from many documents → incidents: which reports describe the same real-world event.

Deterministic and explainable. Each record gets a *signature*: the kind of event its quote
describes (a bridge collapse onto a train, a strike on air bases, a drone barrage, a round of
talks…, by word rules below) and, for kinds that happen in many places, the most specific
place it names. Records with the same signature are one incident; every pair of records from
different documents that were joined becomes an `incident_links` row with a score and the
reason, so an analyst can see why two reports were compared.

The rules know the event kinds of this war's reporting, not the seed articles: a new kind of
event needs a new rule, and an unrecognised record simply stays unresolved (NULL incident).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from pipeline.gazetteer import Level, Place, most_specific, places_in
from pipeline.normalize import fold


@dataclass(frozen=True)
class RecordRef:
    """What resolution needs of a stored record."""

    record_id: str
    document_id: str
    record_type: str
    quote: str
    context: str = ""  # the record's own fields (target, location, place…), space-separated


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    all_of: tuple[str, ...]  # regexes that must all match the folded quote + context
    record_types: tuple[str, ...] = ()  # empty: any
    by_place: bool = False  # the place tells incidents of this kind apart
    none_of: tuple[str, ...] = ()


_EVENT = ("attack", "casualty")
# A place identifies an incident only when the quote names it this close to the event's words
# ("a highway bridge in Russia's Bryansk region"), not elsewhere in a long lede sentence.
PLACE_WINDOW = 60

# First match wins: specific events before general ones.
KINDS: tuple[Kind, ...] = (
    Kind("bridge_collapse", "Bridge collapse onto a train",
         (r"\bbridges?\b", r"\b(train|railway|rail)\b"), _EVENT, by_place=True),
    Kind("training_unit_strike", "Strike on a training unit",
         (r"\btraining (unit|ground|camp|centre|center)s?\b",), _EVENT),
    Kind("airbase_strike", "Drone strike on air bases",
         (r"\b(air ?bases?|airfields?|bombers?|warplanes?|planes|aircraft|strategic aviation)\b",),
         _EVENT),
    Kind("shelling", "Shelling or strike on a city or region",
         (r"\b(shell(ed|ing)|missile strikes?|strikes? on)\b",), _EVENT, by_place=True,
         none_of=(r"\bdrones? (launched|attack)",)),
    Kind("drone_barrage", "Russian drone and missile barrage",
         (r"\b(drones?|missiles?)\b",
          r"\b(launch\w*|fired|barrage|assault|record|biggest|largest)\b"),
         record_types=("attack",), none_of=(r"\b(ukrainian drones|downed)\b",)),
    Kind("talks", "Peace talks", (), record_types=("talks",),
         none_of=(r"\bfirst round\b",)),
    Kind("territorial_claim", "Territorial claim", (), record_types=("territorial_claim",),
         by_place=True),
)  # fmt: skip


@dataclass(frozen=True)
class Signature:
    kind: Kind
    place: Place | None  # set only for kinds told apart by place

    @property
    def incident_id(self) -> str:
        return self.kind.name + (f"@{self.place.name.lower()}" if self.place else "")

    @property
    def label(self) -> str:
        return self.kind.label + (f" — {self.place.name}" if self.place else "")


@dataclass(frozen=True)
class Incident:
    incident_id: str
    label: str
    kind: str
    place: str | None
    record_ids: tuple[str, ...]
    document_ids: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    record_a: str
    record_b: str
    document_a: str
    document_b: str
    incident_id: str
    score: float
    reason: str


@dataclass(frozen=True)
class Resolution:
    incidents: list[Incident]
    assignments: dict[str, str]  # record_id → incident_id
    links: list[Link]


_STOP = frozenset(
    "the a an and or of in on at to for from by with as was were is are be been has have had "
    "that this it its their his her said says say after before during over more than least "
    "about some also which who while into not no".split()
)


def signature(record: RecordRef) -> Signature | None:
    text = fold(f"{record.quote} {record.context}")
    for kind in KINDS:
        if kind.record_types and record.record_type not in kind.record_types:
            continue
        if all(re.search(p, text) for p in kind.all_of) and not any(
            re.search(p, text) for p in kind.none_of
        ):
            place = _identifying_place(record, kind, text) if kind.by_place else None
            if kind.by_place and place is None:
                return None  # "shelling" somewhere unnamed cannot be matched to anything
            return Signature(kind, place)
    return None


def _identifying_place(record: RecordRef, kind: Kind, text: str) -> Place | None:
    """The place the quote names nearest to the event's defining word ("a highway bridge in
    Russia's Bryansk region"), within `PLACE_WINDOW` characters; else the most specific place
    in the record's own fields. Countries never identify an incident."""
    quote = fold(record.quote)
    triggers = [m.start() for m in re.finditer(kind.all_of[0], quote)] if kind.all_of else []
    nearest: tuple[int, Place] | None = None
    for position, place in _place_mentions(quote) if triggers else []:
        distance = min(abs(position - t) for t in triggers)
        if distance <= PLACE_WINDOW and (nearest is None or distance < nearest[0]):
            nearest = (distance, place)
    if nearest is not None:
        return nearest[1]
    if not triggers:
        found = most_specific([p for p in places_in(quote) if p.level < Level.COUNTRY])
        if found is not None:
            return found
    return most_specific([p for p in places_in(record.context) if p.level < Level.COUNTRY])


def _place_mentions(text: str) -> list[tuple[int, Place]]:
    mentions = []
    for place in places_in(text):
        if place.level < Level.COUNTRY:
            for variant in place.variants:
                mentions += [(m.start(), place) for m in re.finditer(rf"\b{variant}\b", text)]
    return mentions


def resolve(records: Sequence[RecordRef]) -> Resolution:
    groups: dict[str, list[RecordRef]] = defaultdict(list)
    signatures: dict[str, Signature] = {}
    for record in records:
        found = signature(record)
        if found is not None:
            groups[found.incident_id].append(record)
            signatures[found.incident_id] = found
    incidents, assignments, links = [], {}, []
    for incident_id in sorted(groups):
        members, sig = groups[incident_id], signatures[incident_id]
        incidents.append(
            Incident(
                incident_id, sig.label, sig.kind.name, sig.place.name if sig.place else None,
                tuple(r.record_id for r in members),
                tuple(sorted({r.document_id for r in members})),
            )
        )  # fmt: skip
        assignments.update({r.record_id: incident_id for r in members})
        links.extend(_links(members, sig))
    return Resolution(incidents, assignments, links)


def _links(members: Iterable[RecordRef], sig: Signature) -> list[Link]:
    links = []
    for a, b in combinations(members, 2):
        if a.document_id == b.document_id:
            continue
        shared, jaccard = _shared_terms(a, b)
        place = f"; both name {sig.place.name}" if sig.place else ""
        reason = f"both describe: {sig.kind.label.lower()}{place}"
        if shared:
            reason += f"; shared words: {', '.join(sorted(shared)[:8])}"
        # Kind (and place, where it identifies) decide the join; word overlap grades it.
        score = round(0.6 + (0.2 if sig.place or not sig.kind.by_place else 0) + 0.2 * jaccard, 3)
        links.append(Link(a.record_id, b.record_id, a.document_id, b.document_id,
                          sig.incident_id, score, reason))  # fmt: skip
    return links


def _terms(record: RecordRef) -> set[str]:
    words = re.findall(r"[a-z][a-z'-]{2,}", fold(record.quote))
    return {w for w in words if w not in _STOP}


def _shared_terms(a: RecordRef, b: RecordRef) -> tuple[set[str], float]:
    ta, tb = _terms(a), _terms(b)
    union = ta | tb
    return ta & tb, (len(ta & tb) / len(union) if union else 0.0)
