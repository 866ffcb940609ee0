"""Which record types are worth asking the model about, for one chunk.

Each request to a small model is slow and each unneeded one is a chance to invent a record, so
a chunk is only asked for a record type when it holds the words that type is made of. The
triggers are deliberately broad: a missed trigger loses a fact, an extra one costs a second.
"""

from __future__ import annotations

import re

from pipeline.normalize import has_number
from schemas import RecordType

_CASUALTY = re.compile(
    r"\b(killed|killing|kills|dead|died|deaths?|death toll|injur\w*|wounded|wounding|"
    r"casualt\w*|hurt|lives)\b",
    re.I,
)
_ATTACK = re.compile(
    r"\b(drones?|missiles?|strikes?|struck|attack\w*|bombers?|warplanes?|planes?|aircraft|"
    r"air ?bases?|airfields?|shell(ed|ing)|barrage|launch\w*|fired|downed|shot down|"
    r"destroy\w*|hit)\b",
    re.I,
)
_TALKS = re.compile(r"\b(talks|negotiat\w*|delegations?|memorand\w*|ceasefire|mediat\w*)\b", re.I)
_TERRITORY = re.compile(
    r"\b(seiz\w*|captur\w*|(took|taken|take|taking) control|advances?|advanced|gains?|"
    r"square (kilomet\w+|miles?)|km2|km²|liberat\w*|recaptur\w*)\b",
    re.I,
)


def record_types(text: str) -> list[RecordType]:
    """The record types to request for this chunk, in a fixed order (requests must be stable)."""
    wanted: list[RecordType] = []
    numeric = has_number(text)
    if numeric and _ATTACK.search(text):
        wanted.append(RecordType.ATTACK)
    if numeric and _CASUALTY.search(text):
        wanted.append(RecordType.CASUALTY)
    if _TALKS.search(text):
        wanted.append(RecordType.TALKS)
    if _TERRITORY.search(text):
        wanted.append(RecordType.TERRITORIAL_CLAIM)
    return wanted
