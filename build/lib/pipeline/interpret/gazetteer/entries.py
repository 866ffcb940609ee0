"""Entries of the loaded index as the API's Places, and the lookups matching and resolving share.

An entry is a number: settlements first, then regions, then countries (see `store`). Places are
made on first use and kept, so a mention's candidates cost one dictionary look-up each after.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipeline.interpret.gazetteer.keys import ascii_key
from pipeline.interpret.gazetteer.store import Hit, Index
from schemas.data import Place, PlacePrecision

_NO_ADMIN1 = 0xFFFFFFFF
_NO_COUNTRY = 0xFFFF
HIT_MEMO = 100_000


class Entries:
    def __init__(self, index: Index) -> None:
        self.index = index
        self._places: dict[int, Place] = {}
        self._seated: dict[int, list[int]] = {}  # settlement → regions it is the seat of
        self._hits: dict[str, Hit | None] = {}  # keys looked up lately
        s = index.n_settlements
        for r in range(index.n_regions):
            if index.namesake[r] >= 0:
                self._seated.setdefault(index.namesake[r], []).append(s + r)

    def kind(self, entry: int) -> PlacePrecision:
        if entry < self.index.n_settlements:
            return PlacePrecision.SETTLEMENT
        if entry < self.index.n_settlements + self.index.n_regions:
            return PlacePrecision.REGION
        return PlacePrecision.COUNTRY

    def population(self, entry: int) -> int:
        return int(self.index.pop[entry])

    def place(self, entry: int) -> Place:
        cached = self._places.get(entry)
        if cached is not None:
            return cached
        ix = self.index
        kind = self.kind(entry)
        a1 = ix.admin1[entry]
        admin1 = ix.admin1_codes[a1] if a1 != _NO_ADMIN1 else None
        cc = ix.country[entry]
        coordinates = ix.coordinates(entry)
        if kind is PlacePrecision.SETTLEMENT:
            place_id = f"gn:{ix.gids[entry]}"
            admin1_name = ix.admin1_names[a1] if a1 != _NO_ADMIN1 else None
        else:
            place_id = f"iso:{ix.codes[entry - ix.n_settlements]}"
            admin1_name = ix.names[entry] if kind is PlacePrecision.REGION and admin1 else None
        place = Place(
            place_id=place_id,
            name=ix.names[entry],
            country=ix.country_codes[cc] if cc != _NO_COUNTRY else None,
            admin1=admin1,
            admin1_name=admin1_name,
            latitude=coordinates[0] if coordinates else None,
            longitude=coordinates[1] if coordinates else None,
            precision=kind,
            population=int(ix.pop[entry]),
        )
        self._places[entry] = place
        return place

    def get(self, place_id: str) -> Place | None:
        """The entry of a place id ("gn:170063", "iso:SY-ID", "iso:SY"), or None."""
        scheme, _, code = place_id.partition(":")
        entry: int | None = None
        if scheme == "gn" and code.isdigit():
            entry = self.index.settlement_of(int(code))
        elif scheme == "iso":
            entry = self.index.code_index.get(code.upper())
        return None if entry is None else self.place(entry)

    def by_population(self, entries: Iterable[int]) -> tuple[int, ...]:
        """Most populous first; ties in entry order, so results never depend on set order."""
        return tuple(sorted(set(entries), key=lambda e: (-self.index.pop[e], e)))

    def lookup(self, name_key: str, capitals: bool) -> tuple[set[int], bool]:
        """Entries named by a key or its transliteration, and whether longer keys start with
        it; abbreviations ("UAE") count only when the text wrote them in capitals."""
        found, longer = self.native(name_key, capitals)
        form = ascii_key(name_key)
        if form != name_key:
            more, more_longer = self.native(form, capitals)
            found |= more
            longer = longer or more_longer
        return found, longer

    def native(self, name_key: str, capitals: bool) -> tuple[set[int], bool]:
        """`lookup` of the key alone, not of its transliteration."""
        if name_key in self._hits:
            hit = self._hits[name_key]
        else:
            if len(self._hits) >= HIT_MEMO:
                self._hits.clear()
            hit = self._hits[name_key] = self.index.lookup(name_key)
        if hit is None:
            return set(), False
        return {p >> 1 for p in hit.postings if capitals or not p & 1}, hit.longer

    def scripts(self, entry: int) -> int:
        """The scripts the entry has names in (`build.SCRIPT_BITS`)."""
        return self.index.scripts[entry]

    def seat_of(self, entry: int) -> int | None:
        """The settlement a region is named after (linked by name or stem), if any."""
        s = self.index.n_settlements
        if s <= entry < s + self.index.n_regions and self.index.namesake[entry - s] >= 0:
            return int(self.index.namesake[entry - s])
        return None

    def regions_for(self, entries: Sequence[int]) -> tuple[int, ...]:
        """For a region phrase ("Idlib province", "Odesa region"): the regions of that name,
        else the regions those settlements are the seats of, else the entries as they are."""
        regions = {e for e in entries if self.kind(e) is PlacePrecision.REGION}
        if not regions:
            regions = {r for e in entries for r in self._seated.get(e, ())}
        return self.by_population(regions) if regions else tuple(entries)

    def without_namesake_regions(self, entries: Iterable[int]) -> tuple[int, ...]:
        """A bare name ("Idlib") means the town when a region is named after it: the region
        is what "Idlib province" says."""
        entries = set(entries)
        return self.by_population(e for e in entries if self.seat_of(e) not in entries)
