"""Incident resolution and name variants, on hand-made records."""

from __future__ import annotations

from pipeline.names import skeleton, variants
from pipeline.resolve import RecordRef, resolve, signature


def ref(record_id: str, document_id: str, quote: str, record_type: str = "casualty",
        context: str = "") -> RecordRef:  # fmt: skip
    return RecordRef(record_id, document_id, record_type, quote, context)


BRYANSK_AP = ref("a:1", "a", "At least seven people were killed and 69 injured when a "
                 "highway bridge in Russia’s Bryansk region was blown up over a passenger "
                 "train.")  # fmt: skip
BRYANSK_NPR = ref("b:1", "b", "At least seven people were killed and more than 104 injured "
                  "after a bridge collapsed on a passenger train in western Russia’s Bryansk "
                  "region.")  # fmt: skip
KURSK = ref("b:2", "b", "A separate rail bridge collapsed in the neighboring Kursk region hours "
            "later, derailing a freight train and injuring several crew members.")  # fmt: skip


def test_same_bridge_collapse_across_outlets_is_one_incident() -> None:
    result = resolve([BRYANSK_AP, BRYANSK_NPR])
    assert result.assignments == {
        "a:1": "bridge_collapse@bryansk",
        "b:1": "bridge_collapse@bryansk",
    }
    (link,) = result.links
    assert (link.document_a, link.document_b) == ("a", "b")
    assert "bryansk" in link.reason.casefold() and 0.8 <= link.score <= 1.0


def test_kursk_rail_bridge_is_not_the_bryansk_one() -> None:
    result = resolve([BRYANSK_AP, BRYANSK_NPR, KURSK])
    assert result.assignments["b:2"] == "bridge_collapse@kursk"
    assert {i.incident_id for i in result.incidents} == {
        "bridge_collapse@bryansk",
        "bridge_collapse@kursk",
    }
    assert all("b:2" not in (k.record_a, k.record_b) for k in result.links)


def test_kherson_shelling_is_not_the_zaporizhzhia_strike() -> None:
    kherson = ref("a:2", "a", "Russian forces shelled Ukraine’s southern Kherson region, killing "
                  "three people and injuring 19 others.")  # fmt: skip
    zaporizhzhia = ref("b:3", "b", "A missile strike and shelling around the southern city of "
                       "Zaporizhzhia killed five people.")  # fmt: skip
    result = resolve([kherson, zaporizhzhia])
    assert result.assignments == {"a:2": "shelling@kherson", "b:3": "shelling@zaporizhzhia"}
    assert result.links == []


def test_place_far_from_the_event_words_does_not_identify_it() -> None:
    lede = ref("c:1", "c", "On the eve of the second round of peace talks in Istanbul, Ukraine "
               "and Russia escalated their conflict, including a devastating attack on a "
               "Russian highway bridge over a passenger train.", record_type="attack")  # fmt: skip
    assert signature(lede) is None


def test_air_base_strike_reports_join_whatever_bases_they_name() -> None:
    ap = ref("a:3", "a", "A Ukrainian drone attack has destroyed more than 40 Russian planes "
             "deep in Russia’s territory.", record_type="attack")  # fmt: skip
    dw = ref("d:1", "d", "The drones hit airfields including the Belaya air base in Russia's "
             "Irkutsk region.", record_type="attack")  # fmt: skip
    result = resolve([ap, dw])
    assert set(result.assignments.values()) == {"airbase_strike"}


def test_talks_records_form_one_incident_but_the_first_round_stays_apart() -> None:
    talks = ref("a:4", "a", "Ukraine will send a delegation to Istanbul for talks.", "talks")
    first = ref("b:4", "b", "The first round of talks, held on May 16, ended quickly.", "talks")
    result = resolve([talks, first])
    assert result.assignments == {"a:4": "talks"}


def test_unrecognised_records_stay_unresolved() -> None:
    other = ref("a:5", "a", "The official said the attack took over 1 1/2 years to plan.", "attack")
    assert resolve([other]).assignments == {}


def test_name_skeletons_merge_transliterations() -> None:
    assert skeleton("Zelensky") == skeleton("Zelenskyy") == skeleton("Zelenskiy")
    assert skeleton("Maliuk") == skeleton("Malyuk")
    assert skeleton("Kobzev") == skeleton("Kobzeva")
    assert skeleton("Russia") != skeleton("Russian")
    assert skeleton("Ukraine") != skeleton("Ukrainian")


def test_name_variants_across_documents() -> None:
    found = variants({
        "a": "Zelenskyy said so. Zelenskyy again. Governor Kobzev said.",
        "b": "Zelensky said. Zelenskiy said. Governor Kobzeva said.",
        "c": "Zelenskyy agreed. Malyuk spoke.",
        "d": "Maliuk and Malyuk in one document only.",
    })  # fmt: skip
    by_name = {v.canonical: v.spellings for v in found}
    assert set(by_name["Zelenskyy"]) == {"Zelensky", "Zelenskyy", "Zelenskiy"}
    assert by_name["Zelenskyy"]["Zelenskyy"] == {"a": 2, "c": 1}
    assert set(by_name["Kobzev"]) == {"Kobzev", "Kobzeva"}
    assert set(by_name["Malyuk"]) == {"Maliuk", "Malyuk"}  # two documents spell it
    assert "Governor" not in by_name


def test_one_spelling_in_many_documents_is_no_variant() -> None:
    assert variants({"a": "Umerov will lead.", "b": "Umerov arrived."}) == []
