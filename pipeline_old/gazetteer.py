"""Places the articles name, under one canonical name each, with how specific each place is.

Outlets transliterate differently (Zaporizhzhia / Zaporizhia / Zaporozhye), so incidents are
matched on canonical places. A place's level decides which name identifies an incident: the
village of Oleksiivka in the Sumy region is a different claim from an advance "in Sumy".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from pipeline.normalize import fold


class Level(IntEnum):
    SETTLEMENT = 1  # village, town, city, base
    REGION = 2
    COUNTRY = 3


@dataclass(frozen=True)
class Place:
    name: str  # canonical, as analysts read it
    level: Level
    variants: tuple[str, ...]


PLACES: tuple[Place, ...] = (
    Place("Bryansk", Level.REGION, ("bryansk",)),
    Place("Kursk", Level.REGION, ("kursk",)),
    Place("Kherson", Level.REGION, ("kherson",)),
    Place("Zaporizhzhia", Level.REGION, ("zaporizhzhia", "zaporizhia", "zaporozhye")),
    Place("Sumy", Level.REGION, ("sumy",)),
    Place("Kharkiv", Level.REGION, ("kharkiv", "kharkov")),
    Place("Donetsk", Level.REGION, ("donetsk",)),
    Place("Irkutsk", Level.REGION, ("irkutsk",)),
    Place("Murmansk", Level.REGION, ("murmansk",)),
    Place("Ryazan", Level.REGION, ("ryazan",)),
    Place("Ivanovo", Level.REGION, ("ivanovo",)),
    Place("Amur", Level.REGION, ("amur",)),
    Place("Siberia", Level.REGION, ("siberia",)),
    Place("Oleksiivka", Level.SETTLEMENT, ("oleksiivka", "alekseevka", "alekseyevka")),
    Place("Belaya", Level.SETTLEMENT, ("belaya",)),
    Place("Olenya", Level.SETTLEMENT, ("olenya", "olenegorsk")),
    Place("Istanbul", Level.SETTLEMENT, ("istanbul",)),
    Place("Kyiv", Level.SETTLEMENT, ("kyiv", "kiev")),
    Place("Moscow", Level.SETTLEMENT, ("moscow",)),
    Place("Ukraine", Level.COUNTRY, ("ukraine",)),
    Place("Russia", Level.COUNTRY, ("russia",)),
    Place("Turkey", Level.COUNTRY, ("turkey", "turkiye", "türkiye")),
)

_PATTERN = re.compile(
    r"\b("
    + "|".join(sorted((v for p in PLACES for v in p.variants), key=len, reverse=True))
    + r")\b"
)
_BY_VARIANT = {variant: place for place in PLACES for variant in place.variants}


def places_in(text: str) -> list[Place]:
    """Canonical places named in `text`, in order of first mention, each once."""
    found: dict[str, Place] = {}
    for match in _PATTERN.finditer(fold(text)):
        place = _BY_VARIANT[match.group(1)]
        found.setdefault(place.name, place)
    return list(found.values())


def most_specific(places: list[Place]) -> Place | None:
    """The place that pins an incident down: the lowest level, first mentioned."""
    return min(places, key=lambda p: p.level) if places else None
