"""Places: gazetteer entries, the words of a text that name them, and a name settled to one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PlacePrecision(StrEnum):
    SETTLEMENT = "settlement"
    REGION = "region"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a GeoNames settlement, a region (ISO 3166-2) or a country."""

    place_id: str  # "gn:170063", "iso:SY-ID", "iso:SY"
    name: str
    country: str | None  # ISO 3166-1 alpha-2
    admin1: str | None  # GeoNames admin1 code, "SY.09"
    admin1_name: str | None
    latitude: float | None
    longitude: float | None
    precision: PlacePrecision
    population: int = 0


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """Words of a text that name a place, and the gazetteer entries they may mean."""

    start: int
    end: int
    text: str
    candidates: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class ResolvedPlace:
    """A place name as written, settled to one entry, or left ambiguous with its candidates."""

    text: str
    place: Place | None
    candidates: tuple[Place, ...] = ()
    reason: str = ""
