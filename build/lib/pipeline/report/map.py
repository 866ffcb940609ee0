"""A map of the incidents as inline SVG, drawn from data installed with the package.

The report must open offline and fetch nothing, so no tile server and no web font: country
outlines come from the GeoJSON that the `countryinfo` wheel ships (countryinfo/data/*.json, key
`geoJSON`; countryinfo is MIT-licensed, © 2018 Porimol Chandro; its outlines come from the
world.geo.json project, coarse Natural Earth-style 1:110m shapes). Coarse is right here: a
marker shows where an incident was, not a street. A few countries have no outline in that
dataset (Hungary, Serbia, Montenegro, Kosovo, Myanmar and small islands): they would read as sea,
so those of 10,000 km² or more are named in grey at their centre instead. Markers are placed
from the incidents' own coordinates and never depend on an outline.

The projection is equirectangular with a standard parallel at the view's middle latitude (so a
country is not squashed), cropped to the incidents' bounding box with a margin, or the whole
world when they are spread across it. Only the countries in view are drawn, clipped to the
view and simplified (a point closer than a pixel to the last kept one is dropped), which keeps
the page small. Each incident located by coordinates gets one marker, numbered as its card and
linked to it, coloured by its worst verdict, with a <title> tooltip.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from markupsafe import Markup

from pipeline.report.charts import colour, num, tag
from pipeline.report.data import IncidentRow

ATTRIBUTION = (
    "Country outlines: countryinfo (MIT licence, © 2018 Porimol Chandro), GeoJSON from the "
    "world.geo.json project. Some countries have no outline there and show as sea."
)
WIDTH = 960.0
WORLD = (-180.0, 180.0, -58.0, 84.0)  # west, east, south, north: the world less Antarctica
CLIP_MARGIN = 4.0  # px beyond the view, so clipped edges never show a stroke
MIN_STEP = 1.0  # px: closer points are dropped
MARKER_R = 10.0
UNMAPPED_AREA = 10_000  # km²: a country without outline this large is named on the map
WITHDRAWN = frozenset({"AN", "CS", "YU"})  # ISO codes of countries that no longer exist
LAND, LAND_HIT, BORDER, SEA, GRATICULE = "#e3e6ea", "#cfd6de", "#ffffff", "#f2f6f9", "#e2e9ef"

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Country:
    alpha2: str | None
    name: str
    bbox: tuple[float, float, float, float]  # west, south, east, north
    rings: tuple[tuple[Point, ...], ...]  # lon, lat; inner rings are holes (even-odd fill)


@dataclass(frozen=True, slots=True)
class Unmapped:
    """A country the dataset has no outline for: named at its centre instead."""

    name: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class View:
    west: float
    east: float
    south: float
    north: float
    width: float
    height: float

    def xy(self, lon: float, lat: float) -> Point:
        return (
            (lon - self.west) / (self.east - self.west) * self.width,
            (self.north - lat) / (self.north - self.south) * self.height,
        )


def countries() -> tuple[Country, ...]:
    return _atlas()[0]


def unmapped() -> tuple[Unmapped, ...]:
    return _atlas()[1]


@cache
def _atlas() -> tuple[tuple[Country, ...], tuple[Unmapped, ...]]:
    """Every outline countryinfo ships (about 10,000 points), and the larger countries it has
    none for; read once per process."""
    try:
        folder = resources.files("countryinfo") / "data"
        entries = sorted((e for e in folder.iterdir() if e.name.endswith(".json")),
                         key=lambda e: e.name)  # fmt: skip
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return (), ()  # no outlines: the map still shows its markers
    found: dict[str, Country] = {}
    missing: dict[str, Unmapped] = {}
    for entry in entries:
        raw = json.loads(entry.read_text(encoding="utf-8"))
        alpha2 = (raw.get("ISO") or {}).get("alpha2")
        centre = raw.get("latlng") or []
        large = (raw.get("area") or 0) >= UNMAPPED_AREA and alpha2 not in WITHDRAWN
        if not raw.get("geoJSON") and large and len(centre) == 2:
            name = str(raw.get("name") or alpha2)
            missing[name] = Unmapped(name, float(centre[1]), float(centre[0]))
        for feature in (raw.get("geoJSON") or {}).get("features", ()):
            key = str(feature.get("id") or entry.name)
            geometry = feature.get("geometry") or {}
            coordinates = geometry.get("coordinates") or []
            kind = geometry.get("type")
            polygons = coordinates if kind == "MultiPolygon" else [coordinates] if kind else []
            rings = tuple(
                tuple((float(p[0]), float(p[1])) for p in ring)
                for polygon in polygons
                for ring in polygon
                if len(ring) >= 3
            )
            if rings and key not in found:
                lons = [p[0] for r in rings for p in r]
                lats = [p[1] for r in rings for p in r]
                name = str((feature.get("properties") or {}).get("name") or raw.get("name"))
                found[key] = Country(alpha2, name, (min(lons), min(lats), max(lons), max(lats)),
                                     rings)  # fmt: skip
    return tuple(found.values()), tuple(missing.values())


def view_for(points: Sequence[Point]) -> View:
    """The incidents' bounding box with a margin, shaped between 2.4:1 and 1.8:1 (a band that
    leaves room for the cards); the world when they are spread over more than a continent."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    if east - west > 140 or north - south > 65:
        west, east, south, north = WORLD
        return View(west, east, south, north, WIDTH, WIDTH * (north - south) / (east - west))
    pad_lon, pad_lat = max(3.0, (east - west) * 0.2), max(2.0, (north - south) * 0.2)
    west, east, south, north = west - pad_lon, east + pad_lon, south - pad_lat, north + pad_lat
    if east - west < 12:
        middle = (east + west) / 2
        west, east = middle - 6, middle + 6
    squeeze = max(math.cos(math.radians((south + north) / 2)), 0.2)
    ratio = (north - south) / ((east - west) * squeeze)  # height / width
    if ratio < 0.42:
        grow = (0.42 * (east - west) * squeeze - (north - south)) / 2
        south, north = south - grow, north + grow
    elif ratio > 0.56:
        grow = ((north - south) / (0.56 * squeeze) - (east - west)) / 2
        west, east = west - grow, east + grow
    south, north = max(south, -85.0), min(north, 85.0)
    west, east = max(west, -180.0), min(east, 180.0)
    height = WIDTH * (north - south) / ((east - west) * squeeze)
    return View(west, east, south, north, WIDTH, height)


def clip(ring: Sequence[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland–Hodgman: the part of a polygon inside an axis-aligned box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    edges = ((0, x0, False), (0, x1, True), (1, y0, False), (1, y1, True))
    points = list(ring)
    for axis, limit, upper in edges:
        if not points:
            break

        def inside(p: Point, axis: int = axis, limit: float = limit, upper: bool = upper) -> bool:
            return p[axis] <= limit if upper else p[axis] >= limit

        def cross(a: Point, b: Point, axis: int = axis, limit: float = limit) -> Point:
            t = (limit - a[axis]) / (b[axis] - a[axis])
            return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))

        kept: list[Point] = []
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    kept.append(cross(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(cross(previous, current))
            previous = current
        points = kept
    return points


def simplify(points: Sequence[Point], step: float = MIN_STEP) -> list[Point]:
    """Drop every point closer than `step` to the last one kept."""
    kept: list[Point] = []
    for p in points:
        if not kept or abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= step:
            kept.append(p)
    return kept


def _area(points: Sequence[Point]) -> float:
    pairs = zip(points, [*points[1:], points[0]], strict=True)
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in pairs)) / 2


def _path(country: Country, view: View) -> str:
    box = (-CLIP_MARGIN, -CLIP_MARGIN, view.width + CLIP_MARGIN, view.height + CLIP_MARGIN)
    parts = []
    for ring in country.rings:
        points = simplify(clip([view.xy(lon, lat) for lon, lat in ring], box))
        if len(points) >= 3 and _area(points) >= 1.0:
            parts.append("M" + " ".join(f"{num(x)} {num(y)}" for x, y in points) + "Z")
    return "".join(parts)


def _in_view(country: Country, view: View) -> bool:
    west, south, east, north = country.bbox
    return west <= view.east and east >= view.west and south <= view.north and north >= view.south


def _graticule(view: View) -> Iterable[Markup]:
    step = 30 if view.east - view.west > 90 else 10 if view.east - view.west > 25 else 5
    for lon in range(-180, 181, step):
        if view.west < lon < view.east:
            x = view.xy(lon, 0)[0]
            yield tag("line", {"x1": x, "x2": x, "y1": 0.0, "y2": view.height})
    for lat in range(-90, 91, step):
        if view.south < lat < view.north:
            y = view.xy(0, lat)[1]
            yield tag("line", {"x1": 0.0, "x2": view.width, "y1": y, "y2": y})


def words(name: str) -> str:
    return name.replace("_", " ")


def tooltip(incident: IncidentRow) -> str:
    """Label, date and verdicts: what a marker says when hovered."""
    verdicts = ", ".join(f"{words(d.measure)}: {d.verdict}" for d in incident.divergences)
    when = incident.date.isoformat() if incident.date else "date unknown"
    return f"{incident.label} — {when} — {verdicts or 'no figure reported by two outlets'}"


def _place(points: list[Point], x: float, y: float) -> Point:
    """Where a marker goes: at its spot, or nudged around it when a marker is already there."""
    turn = 0
    spot = (x, y)
    while any(math.dist(spot, p) < MARKER_R * 1.6 for p in points) and turn < 24:
        turn += 1
        angle, radius = turn * math.pi / 3, MARKER_R * 1.8 * (1 + (turn - 1) // 6)
        spot = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    points.append(spot)
    return spot


def _marker(incident: IncidentRow, number: int, x: float, y: float) -> Markup:
    worst = incident.worst or "none"
    return tag(
        "a", {"href": f"#incident-{number}", "class": f"marker {worst}"},
        tag("title", None, tooltip(incident)),
        tag("circle", {"cx": x, "cy": y, "r": MARKER_R, "fill": colour(incident.worst),
                       "stroke": "#ffffff", "stroke-width": 2}),
        tag("text", {"x": x, "y": y + 4, "text-anchor": "middle", "font-size": 11,
                     "font-weight": 700, "fill": "#ffffff"}, str(number)),
    )  # fmt: skip


def world_map(incidents: Sequence[IncidentRow], numbers: Mapping[str, int]) -> Markup:
    """The map of the incidents that have coordinates ("" when none has)."""
    located = [i for i in incidents if i.located]
    if not located:
        return Markup("")
    view = view_for([(float(i.longitude or 0), float(i.latitude or 0)) for i in located])
    hit = {i.country for i in located if i.country}
    land: list[str] = []
    for country in countries():
        if _in_view(country, view) and (d := _path(country, view)):
            fill = LAND_HIT if country.alpha2 in hit else LAND
            land.append(tag("path", {"d": d, "fill": fill}, tag("title", None, country.name)))
    names: list[str] = []
    for place in unmapped():
        if view.west < place.lon < view.east and view.south < place.lat < view.north:
            x, y = view.xy(place.lon, place.lat)
            names.append(tag("text", {"x": x, "y": y, "class": "unmapped", "text-anchor": "middle",
                                     "font-size": 11, "font-style": "italic", "fill": "#8a929b"},
                            tag("title", None, "no outline in the shipped dataset"),
                            place.name))  # fmt: skip
    placed: list[Point] = []
    markers = []
    for incident in sorted(located, key=lambda i: -numbers.get(i.incident_id, 0)):
        x, y = view.xy(float(incident.longitude or 0), float(incident.latitude or 0))
        spot = _place(placed, x, y)
        markers.append(_marker(incident, numbers.get(incident.incident_id, 0), *spot))
    attrs = {"class": "map", "viewBox": f"0 0 {num(view.width)} {num(view.height)}",
             "role": "img", "aria-label": f"map of {len(located)} incidents"}  # fmt: skip
    return tag(
        "svg", attrs,
        tag("rect", {"width": view.width, "height": view.height, "fill": SEA}),
        tag("g", {"stroke": GRATICULE, "stroke-width": 0.8}, Markup("").join(_graticule(view))),
        tag("g", {"stroke": BORDER, "stroke-width": 0.8, "fill-rule": "evenodd",
                  "stroke-linejoin": "round"}, Markup("").join(land)),
        tag("g", {"class": "names"}, Markup("").join(names)),
        tag("g", {"class": "markers"}, Markup("").join(markers)),
    )  # fmt: skip
