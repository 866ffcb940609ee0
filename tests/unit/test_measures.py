"""What a number counts and what a figure is a figure of, read from English words.

Sentences written for these tests; the same algorithm reads every language from its
vocabulary (tests/unit/test_cues_languages.py)."""

import pytest

from pipeline.interpret.events import event_type
from pipeline.interpret.measures import read_measure
from pipeline.interpret.scope import read_scope
from schemas import Scope, Unit


def reading(sentence: str, phrase: str, default: str | None = "killed", *others: str,
            unit: Unit = Unit.COUNT) -> tuple[str | None, Scope]:  # fmt: skip
    start = sentence.index(phrase)
    spans = [(sentence.index(o), sentence.index(o) + len(o)) for o in (phrase, *others)]
    found = read_measure(sentence, start, start + len(phrase), unit, "en", default, spans)
    scope, _ = read_scope(sentence, start, start + len(phrase), found.measure, "en", spans)
    return found.measure, scope


@pytest.mark.parametrize(
    ("sentence", "phrase", "default", "measure"),
    [
        (
            "At least 31 people were killed and 69 injured when shells hit the market.",
            "At least 31",
            None,
            "killed",
        ),
        (
            "At least 31 people were killed and 69 injured when shells hit the market.",
            "69",
            None,
            "injured",
        ),
        (
            "The strike killed 31 people, including 12 children, and wounded 69.",
            "12",
            None,
            "children_killed",
        ),
        (
            "The strike killed 31 people, including 12 children, and wounded 69.",
            "69",
            None,
            "injured",
        ),
        ("The death toll rose to 45, health officials said.", "45", None, "killed"),
        ("Rescuers recovered 45 bodies from the rubble.", "45", None, "bodies"),
        (
            "Dozens of homes were destroyed in the raid.",
            "Dozens",
            "targets_hit",
            "buildings_destroyed",
        ),
        ("Militants attacked 3 army bases overnight.", "3", "targets_hit", "targets_hit"),
        (
            "Officials ordered the evacuation of 11 villages near the border.",
            "11",
            None,
            "settlements_evacuated",
        ),
        ("More than 2,000 families fled the fighting.", "More than 2,000", None, "displaced"),
        ("The blast killed five.", "five", "killed", "killed"),
        ("Seven were missing after the attack.", "Seven", None, "missing"),
        (
            "Residents saw at least two helicopters burning at the air base.",
            "at least two",
            None,
            "aircraft_hit",
        ),
    ],
)
def test_measures(sentence: str, phrase: str, default: str | None, measure: str) -> None:
    assert reading(sentence, phrase, default)[0] == measure


def test_parts_and_wholes() -> None:
    s = "The army said it shot down 21 of the 25 drones launched overnight."
    assert reading(s, "21", "weapons_downed", "25")[0] == "drones_downed"
    assert reading(s, "25", "weapons_launched", "21")[0] == "drones_launched"


def test_a_part_does_not_become_the_whole_whose_noun_it_borrows() -> None:
    s = "The navy stood by its account: 14 missiles, of which 11 were intercepted."
    assert reading(s, "11", "weapons_launched", "14")[0] == "missiles_downed"
    assert reading(s, "14", "weapons_downed", "11")[0] == "missiles_launched"


def test_a_clause_after_a_comma_and_an_opener_keeps_its_event_words() -> None:
    # the count noun is far before the number; the wounded belong to the clause after "after"
    s = ("The toll from Monday's shelling of the two villages on the northern edge of the "
         "valley now stands at 23, after more of the wounded died overnight.")  # fmt: skip
    assert reading(s, "23", "injured")[0] == "killed"
    s = "Rockets hit the port, where dozens of trucks were waiting to unload."
    assert reading(s, "dozens", "targets_hit")[0] is None


def test_each_number_of_a_toll_keeps_its_own_word() -> None:
    s = "A leaked report puts the toll of the raid at 41 dead and 130 wounded."
    assert reading(s, "41", "killed", "130")[0] == "killed"
    assert reading(s, "130", "killed", "41")[0] == "injured"


def test_a_count_of_attacks_is_not_a_fact() -> None:
    s = "The toll of the three attacks on the garrison rose to more than 60 dead."
    assert reading(s, "three", "killed", "more than 60")[0] is None
    assert reading(s, "more than 60", "killed", "three")[0] == "killed"


def test_dead_and_wounded_together_are_casualties() -> None:
    s = "The rebels claimed to have caused hundreds of dead and wounded among the troops."
    assert reading(s, "hundreds", "killed")[0] == "casualties"


def test_a_state_said_of_all_the_wounded_makes_them_critical() -> None:
    assert reading("Twelve wounded soldiers are in critical condition.", "Twelve")[0] == (
        "critically_injured"
    )
    # said of a part only: the whole stays injured, the part is critical
    s = "The strike wounded 40 people, 5 of them critically."
    assert reading(s, "40", "injured", "5")[0] == "injured"
    assert reading(s, "5", "injured", "40")[0] == "critically_injured"
    s = "More than 30 people were wounded, some of them critically, medics said."
    assert reading(s, "More than 30", "injured")[0] == "injured"


def test_a_count_of_bridges_near_a_death_word_is_not_a_toll() -> None:
    s = "He mourned the deaths that followed when two bridges were blown up in the region."
    assert reading(s, "two", None)[0] is None
    assert reading("Two people died when the bridge was blown up.", "Two", None)[0] == "killed"


def test_people_with_no_casualty_are_not_a_fact() -> None:
    assert reading("The bus was carrying 40 passengers when it was stopped.", "40")[0] is None


def test_units_decide_measurements() -> None:
    s = "The drones flew 1,200 km before hitting a depot."
    assert reading(s, "1,200 km", unit=Unit.KM)[0] == "distance_km"
    assert (
        reading("They took 30 square kilometres.", "30 square kilometres", unit=Unit.KM2)[0]
        == "area_km2"
    )


def test_a_length_that_describes_a_thing_is_no_distance() -> None:
    s = "The depot lies behind a 600-kilometre (370-mile) frontier."
    assert reading(s, "600-kilometre", unit=Unit.KM)[0] is None
    assert reading(s, "370-mile", unit=Unit.KM)[0] is None
    s = "The rockets were fired from 600 kilometres away."
    assert reading(s, "600 kilometres", unit=Unit.KM)[0] == "distance_km"


def test_a_number_between_dashes_counts_the_noun_before_them() -> None:
    s = "The rebels fired their largest salvo of rockets — 95 — at the port overnight."
    assert reading(s, "95", None)[0] == "rockets_launched"
    s = "The army said it downed most of the drones - 31 - before dawn."
    assert reading(s, "31", None)[0] == "drones_downed"
    # no dashes: the number's own words decide
    s = "Rockets hit the depot, and 95 people were evacuated."
    assert reading(s, "95", None)[0] == "evacuated"


def test_people_waiting_for_an_evacuation_are_not_evacuated() -> None:
    s = "Thousands of people were waiting for evacuation buses when the shells fell."
    assert reading(s, "Thousands", None)[0] is None
    s = "Evacuation buses carried 2,000 people out of the town."
    assert reading(s, "2,000", None)[0] == "evacuated"


def test_a_superlative_makes_a_wider_cue_a_comparison() -> None:
    s = "It was the deadliest raid since the war began, killing 27 people in the market."
    assert reading(s, "27")[1] is Scope.INCIDENT
    s = "The rebels fired the largest barrage of the war, 95 rockets, at the port."
    assert reading(s, "95", "rockets_launched")[1] is Scope.INCIDENT
    # no superlative: the same cue totals the span
    s = "Since the war began, 2,700 people have been killed in the province."
    assert reading(s, "2,700")[1] is Scope.WIDER


def test_a_span_that_opens_the_sentence_frames_all_its_clauses() -> None:
    s = ("Since the fighting resumed in March, officials say, 60 civilians have been killed; "
         "more than 1,700 homes were damaged.")  # fmt: skip
    assert reading(s, "more than 1,700", "buildings_destroyed", "60")[1] is Scope.WIDER
    # a span inside the first clause does not reach past the semicolon
    s = "Officials said 60 civilians had died since the fighting resumed; 12 more were killed."
    assert reading(s, "12", "killed", "60")[1] is Scope.INCIDENT


def test_scopes() -> None:
    s = "The toll rose from 20 to 31 on Sunday."
    assert reading(s, "20", "killed", "31")[1] is Scope.SUPERSEDED
    assert reading(s, "31", "killed", "20")[1] is Scope.INCIDENT
    assert reading("Since the war began, more than 40,000 people have been killed.",
                   "more than 40,000")[1] is Scope.WIDER  # fmt: skip
    assert reading("The attack killed 12, among them five soldiers.", "five")[1] is Scope.SUBGROUP
    # a group with its own measure is the incident's figure for that group
    assert reading("The strike killed 31, including 12 children.", "12")[1] is Scope.INCIDENT


def test_event_types_from_cue_words_before_the_model() -> None:
    assert event_type("An airstrike hit the camp.", "en", "armed_clash") == (
        "air_drone_strike",
        "cue 'airstrike*'",
    )
    assert (
        event_type("A car bomb exploded near the market.", "en", None)[0]
        == "remote_explosive_landmine_ied"
    )
    assert event_type("Residents said sarin was used.", "en", None)[0] == "chemical_weapon"
    assert (
        event_type("Heavy shelling continued.", "en", None)[0]
        == "shelling_artillery_missile_attack"
    )
    assert event_type("Something happened.", "en", "attack") == ("attack", "model")
    assert event_type("Something happened.", "en", "not_a_type") == (None, None)
