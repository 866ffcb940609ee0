"""Distances and regions between places: what `near` settles an ambiguous name by."""

from __future__ import annotations

import math

from schemas.data import Place, PlacePrecision

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def distance_km(a: Place, b: Place) -> float | None:
    """Great-circle (haversine) distance; None when either has no coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def same_region(a: Place, b: Place) -> bool:
    """Same GeoNames admin1 code, which also holds for a linked region and a settlement in it
    (a region unlinked to an admin1 is in the same region only as itself)."""
    if a.place_id == b.place_id and a.precision is PlacePrecision.REGION:
        return True
    return a.admin1 is not None and a.admin1 == b.admin1
