"""The gazetteer: names in four scripts meet one entry, ambiguous names stay ambiguous unless the
article settles them, common words are no places, and the cache is built once.

The first run builds the index into the cache ($CLAIMDIFF_CACHE_DIR or ~/.cache/claimdiff,
about a minute); every later run and process loads it. All sentences are written for these
tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.interpret.places import Gazetteer, distance_km, same_region
from schemas.data import Place, PlacePrecision


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _id(gaz: Gazetteer, name: str, countries: list[str] | None = None) -> str:
    resolved = gaz.resolve(name, countries or [])
    assert resolved.place is not None, resolved.reason
    return resolved.place.place_id


def _texts(gaz: Gazetteer, text: str, language: str = "en") -> list[str]:
    return [m.text for m in gaz.mentions(text, language)]


# ----------------------------------------------------------------------- one place, many names


def test_one_city_in_four_scripts(gaz: Gazetteer) -> None:
    ids = {_id(gaz, name) for name in ("Aleppo", "Халеб", "Χαλέπι", "حلب", "Alep", "Halab")}
    assert len(ids) == 1
    place = gaz.get(ids.pop())
    assert place is not None
    assert place.country == "SY" and place.precision is PlacePrecision.SETTLEMENT


def test_a_port_city_in_four_scripts(gaz: Gazetteer) -> None:
    # Towns on another continent share the name, so the article's country settles it.
    names = ("Odesa", "Odessa", "Одеса", "Одесса", "Οδησσός")
    ids = {_id(gaz, name, ["UA"]) for name in names}
    assert len(ids) == 1
    assert _id(gaz, "Οδησσός") in ids  # the Greek name is the Black Sea city's alone


def test_transliterations_meet(gaz: Gazetteer) -> None:
    names = ("Khan Younis", "Khan Yunis", "Khan-Yunis", "خان يونس", "Хан-Юніс", "KHAN YOUNIS")
    assert len({_id(gaz, name) for name in names}) == 1
    fasher = {_id(gaz, name) for name in ("El Fasher", "El-Fasher", "Al-Fashir", "الفاشر")}
    assert len(fasher) == 1


def test_a_close_spelling_is_found_and_said(gaz: Gazetteer) -> None:
    resolved = gaz.resolve("Khan Yunnis")
    assert resolved.place is not None
    assert resolved.place.place_id == _id(gaz, "Khan Yunis")
    assert "close spelling" in resolved.reason


def test_a_made_up_name_is_nothing(gaz: Gazetteer) -> None:
    resolved = gaz.resolve("Qworpzilvanka")
    assert resolved.place is None and resolved.candidates == ()
    assert resolved.reason


# ----------------------------------------------------------------------------- ambiguity


def test_the_country_named_settles_a_shared_name(gaz: Gazetteer) -> None:
    ukraine = gaz.resolve("Odessa", countries=["UA"])
    assert ukraine.place is not None and ukraine.place.country == "UA"
    assert "UA" in ukraine.reason
    usa = gaz.resolve("Odessa", countries=["US"])
    # Several towns of that country are called Odessa: the country narrows, it does not settle.
    assert usa.place is None
    assert usa.candidates and all(p.country == "US" for p in usa.candidates)


def test_nothing_settles_it_so_it_stays_ambiguous(gaz: Gazetteer) -> None:
    resolved = gaz.resolve("Odessa")
    assert resolved.place is None
    assert "ambiguous" in resolved.reason
    assert 2 <= len(resolved.candidates) <= 10
    pops = [p.population for p in resolved.candidates]
    assert pops == sorted(pops, reverse=True)
    assert {p.country for p in resolved.candidates} >= {"UA", "US"}


def test_places_nearby_settle_it(gaz: Gazetteer) -> None:
    mykolaiv = gaz.resolve("Mykolaiv", ["UA"]).place
    assert mykolaiv is not None
    near_sea = gaz.resolve("Odessa", near=[mykolaiv])
    assert near_sea.place is not None and near_sea.place.country == "UA"
    assert "nearest" in near_sea.reason
    midland = next(p for p in gaz.resolve("Midland", ["US"]).candidates if p.admin1 == "US.TX")
    in_texas = gaz.resolve("Odessa", near=[midland])
    assert in_texas.place is not None and in_texas.place.admin1 == "US.TX"
    assert "same region" in in_texas.reason


def test_a_far_larger_population_settles_it(gaz: Gazetteer) -> None:
    resolved = gaz.resolve("Mogadishu")
    assert resolved.place is not None and resolved.place.country == "SO"
    gaza = gaz.resolve("Gaza")
    assert gaza.place is not None and gaza.place.country == "PS"
    assert gaza.place.precision is PlacePrecision.SETTLEMENT
    assert "populous" in gaza.reason


# ----------------------------------------------------------------------- regions and countries


def test_region_phrases(gaz: Gazetteer) -> None:
    for phrase in ("Idlib province", "province of Idlib", "Idlib Province"):
        resolved = gaz.resolve(phrase)
        assert resolved.place is not None, phrase
        assert resolved.place.place_id == "iso:SY-ID"
        assert resolved.place.precision is PlacePrecision.REGION
    assert _id(gaz, "Idlib") != "iso:SY-ID"  # the bare name is the town
    assert _id(gaz, "North Darfur") == "iso:SD-DN"
    strip = gaz.resolve("Gaza Strip").place
    assert strip is not None and strip.precision is PlacePrecision.REGION
    assert strip.country == "PS"


def test_a_linked_region_has_coordinates_and_contains_its_towns(gaz: Gazetteer) -> None:
    region = gaz.get("iso:SY-ID")
    town = gaz.get(_id(gaz, "Idlib"))
    assert region is not None and town is not None
    assert region.admin1 is not None and region.latitude is not None
    assert same_region(region, town)
    assert town.admin1_name == region.name
    km = distance_km(region, town)
    assert km is not None and km < 100


def test_countries_named_and_demonyms(gaz: Gazetteer) -> None:
    text = "Sudanese troops and Somali officials met Syrian envoys, then left for Sudan again."
    assert gaz.countries_in(text, "en") == ["SD", "SO", "SY"]
    assert gaz.countries_in("Войска вошли в Судан.", "ru") == ["SD"]
    assert gaz.countries_in("قالت حكومة السودان", "ar") == ["SD"]
    country = gaz.get("iso:SD")
    assert country is not None and country.precision is PlacePrecision.COUNTRY
    assert country.latitude is not None


# ----------------------------------------------------------------------------- mentions


def test_common_words_are_not_places(gaz: Gazetteer) -> None:
    text = (
        "The convoy left. Police said Many residents fled. Sale of fuel stopped. Of the "
        "wounded, most were treated. May brought rain. Monday was calm. Hospital staff waited."
    )
    assert _texts(gaz, text) == []
    assert _texts(gaz, "troops reached aleppo and odessa at dawn.") == []


def test_mentions_in_several_scripts(gaz: Gazetteer) -> None:
    text = "Shelling hit Aleppo and Khan Yunis; in Idlib province and the Gaza Strip, too."
    assert _texts(gaz, text) == ["Aleppo", "Khan Yunis", "Idlib province", "Gaza Strip"]
    assert _texts(gaz, "Бої в Одесі та Одеса, а також Халеб.", "uk")[-2:] == ["Одеса", "Халеб"]
    assert _texts(gaz, "Μάχες στο Χαλέπι.", "el") == ["Χαλέπι"]
    arabic = gaz.mentions("قصف على حلب وخان يونس وبالفاشر", "ar")
    assert [m.text for m in arabic] == ["حلب", "خان يونس", "الفاشر"]  # و and ب taken off
    assert gaz.resolve(arabic[2].text).place == gaz.get(_id(gaz, "El Fasher"))


def test_sudan_sentence(gaz: Gazetteer) -> None:
    mentions = gaz.mentions("The Sudanese army said it repelled an attack on El Fasher.", "en")
    assert [m.text for m in mentions] == ["Sudanese", "El Fasher"]
    assert mentions[0].candidates[0].place_id == "iso:SD"


def test_offsets_with_curly_quotes_and_non_ascii(gaz: Gazetteer) -> None:
    text = "«Привет» — “Khan Younis” was quiet; al-Fashir’s market and ‘Mogadishu’… Χαλέπι."
    mentions = gaz.mentions(text, "en")
    assert [m.text for m in mentions] == ["Khan Younis", "al-Fashir", "Mogadishu", "Χαλέπι"]
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.candidates
    assert mentions[0].start == text.index("Khan")


def test_longest_match_wins(gaz: Gazetteer) -> None:
    mentions = gaz.mentions("Clashes in North Darfur worsened.", "en")
    assert [m.text for m in mentions] == ["North Darfur"]
    assert mentions[0].candidates[0].place_id == "iso:SD-DN"


# ----------------------------------------------------------------------------- entries and cache


def test_get_and_geometry(gaz: Gazetteer) -> None:
    aleppo = gaz.get(_id(gaz, "Aleppo"))
    idlib = gaz.get(_id(gaz, "Idlib"))
    assert aleppo is not None and idlib is not None
    km = distance_km(aleppo, idlib)
    assert km is not None and 40 < km < 90
    assert gaz.get("gn:0") is None and gaz.get("iso:XX-NOPE") is None and gaz.get("x") is None
    nowhere = Place("x:1", "Nowhere", None, None, None, None, None, PlacePrecision.SETTLEMENT)
    assert distance_km(aleppo, nowhere) is None
    assert not same_region(aleppo, idlib) and same_region(aleppo, aleppo)


def test_load_reuses_the_cache(gaz: Gazetteer) -> None:
    index_file = gaz.cache_path / "index.pickle"
    stamp = index_file.stat().st_mtime_ns
    root = gaz.cache_path.parent.parent  # <cache dir>/gazetteer/<version>
    again = Gazetteer.load(root)
    assert again.cache_path == gaz.cache_path and not again.built_now
    assert index_file.stat().st_mtime_ns == stamp
    # A fresh process loads the same file rather than building.
    code = (
        "import sys; from pathlib import Path; from pipeline.interpret.places import Gazetteer;"
        "g = Gazetteer.load(Path(sys.argv[1])); print(g.built_now, g.cache_path)"
    )
    cwd = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True,
        cwd=cwd,
    )  # fmt: skip
    assert out.stdout.split() == ["False", str(gaz.cache_path)]
    assert index_file.stat().st_mtime_ns == stamp


# ----------------------------------------------------------------------- a city's quarters


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Gunfire broke out at dawn in the Matam district of Conakry. The school in "
            "Matam was hit first, Guinean officials said.",
        ),
        ("fr", "Des tirs ont éclaté à l'aube dans le quartier de Matam, à Conakry, en Guinée."),
        (
            "en",
            "Gunfire was heard in the Matam district, where the school stands, Guinean "
            "officials said in Conakry.",
        ),
    ],
)
def test_a_quarter_of_a_city_is_no_namesake_town(gaz: Gazetteer, language: str, text: str) -> None:
    """GeoNames lists villages named like a city's quarter; called a quarter anywhere in the
    article, the name is believed nowhere in it, and the record takes the city instead."""
    from pipeline.interpret.record_places import context_of, place_in_sentence, plausible
    from schemas import Document, Sentence

    assert gaz.resolve("Matam").place is not None  # a namesake exists (Senegal)
    document = Document("d", "d.txt", text, language=language)
    context = context_of(document, gaz)
    assert "Matam" in context.districts or "Matam district" in context.districts
    for name in context.districts:
        assert not plausible(gaz.resolve(name, context.countries), context)
    found = place_in_sentence(Sentence(1, 0, len(text), text), document, context, gaz)
    assert found is not None and found.place is not None and found.place.name == "Conakry"
