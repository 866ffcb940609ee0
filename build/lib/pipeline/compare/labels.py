"""Names an analyst reads: incident labels and ids made from what, where and when."""

from __future__ import annotations

import re
from datetime import date

from anyascii import anyascii

from schemas import Place, event_types, record_spec


def slug(name: str) -> str:
    """ "Khan Yūnis" → "khan-yunis": ASCII, lower case, hyphens (ids must survive any shell)."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-") or "place"


def what_label(what: str) -> str:
    known = event_types()
    if what in known:
        return known[what][1]
    try:
        return record_spec(what).description.split(":")[0].rstrip(".")
    except KeyError:
        return what.replace("_", " ").capitalize()


def incident_label(what: str, place: Place | None, when: date | None) -> str:
    """ "Air/drone strike — Khan Yunis, PS — 2024-06-08"."""
    parts = [what_label(what) if what != "event" else "Event"]
    if place is not None:
        parts.append(
            place.name
            + (f", {place.country}" if place.country and place.precision.value != "country" else "")
        )
    if when is not None:
        parts.append(when.isoformat())
    return " — ".join(parts)
