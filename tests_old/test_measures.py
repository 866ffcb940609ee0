"""pipeline.measures: which measure each number of a quote counts, read from its words; and
rows.facts_of / fact_rows / document_facts, which build `facts` rows on it."""

from __future__ import annotations

import pytest

from pipeline.measures import RECORD_TYPE_OF, classify, measures_of, number_phrases, read
from pipeline.normalize import parse_quantity, qualified_start, vague_spans
from pipeline.rows import document_facts, fact_rows, facts_of
from schemas import Attack, Casualty, Evidence, Measure, Record, RecordType, Talks

M = Measure


def measured(quote: str) -> list[tuple[str, Measure | None]]:
    """Every number phrase of the quote and the measure its words give it."""
    return [(reading.phrase, reading.measure) for reading in read(quote)]


def evidence(quote: str, text: str | None = None) -> Evidence:
    start = (text or quote).index(quote)
    return Evidence(quote=quote, char_start=start, char_end=start + len(quote))


# --- sentences from the seeds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        # the model put "seven" into `downed` here
        (
            "Overnight, Russia launched a record 472 drones and seven missiles against Ukraine, "
            "according to Ukrainian air force reports.",
            [("472", M.DRONES_LAUNCHED), ("seven", M.MISSILES_LAUNCHED)],
        ),
        # the number stands beside its noun; the year is a date
        (
            "Russia on Sunday launched the biggest number of drones — 472 — on Ukraine since the "
            "full-scale invasion in February 2022, Ukraine’s air force said.",
            [("472", M.DRONES_LAUNCHED), ("2022", None)],
        ),
        (
            "Alongside this barrage, seven missiles were also launched, according to Air Force "
            "spokesman Yuriy Ignat.",
            [("seven", M.MISSILES_LAUNCHED)],
        ),
        # the model filed "more than 60" injured as targets hit
        (
            "Ukraine’s military confirmed that at least 12 service members were killed and more "
            "than 60 injured after a Russian missile hit an army training unit. The strike "
            "occurred at 12:50 p.m. local time.",
            [("at least 12", M.KILLED), ("more than 60", M.INJURED), ("12", None), ("50", None)],
        ),
        (
            "Earlier Sunday, Ukraine’s army said at least 12 Ukrainian service members were "
            "killed and more than 60 were injured in a Russian missile strike on an army "
            "training unit.",
            [("at least 12", M.KILLED), ("more than 60", M.INJURED)],
        ),
        (
            "A Ukrainian drone attack has destroyed more than 40 Russian planes deep in Russia’s "
            "territory",
            [("more than 40", M.AIRCRAFT_HIT)],
        ),
        (
            "The airstrike targeted 41 bombers spread across five Russian airfields, according "
            "to Russia’s own Defense Ministry.",
            [("41", M.AIRCRAFT_HIT), ("five", M.TARGETS_HIT)],
        ),
        # "thousands of kilometers apart" is how far the bases are from each other
        (
            "Ukraine said Sunday it launched a spectacular surprise attack on four Russian "
            "airbases thousands of kilometers (miles) apart, destroying more than 40 warplanes.",
            [
                ("four", M.TARGETS_HIT),
                ("thousands of kilometers", None),
                ("more than 40", M.AIRCRAFT_HIT),
            ],
        ),
        (
            "Ukrainian air defenses damaged 52 out of 80 drones launched by Russia overnight, "
            "the Ukrainian air force said.",
            [("52", M.DRONES_DOWNED), ("80", M.DRONES_LAUNCHED)],
        ),
        (
            "Russian air defenses downed 162 Ukrainian drones over eight Russian regions "
            "overnight, as well as over the annexed Ukrainian peninsula of Crimea.",
            [("162", M.DRONES_DOWNED), ("over eight", None)],
        ),
        (
            "Also, a missile strike and shelling around the southern city of Zaporizhzhia, "
            "killing five people and injured nine others, officials said.",
            [("five", M.KILLED), ("nine", M.INJURED)],
        ),
        (
            "Russian forces shelled Ukraine’s southern Kherson region, killing three people and "
            "injuring 19 others, including two children, regional officials said Monday.",
            [("three", M.KILLED), ("19", M.INJURED), ("two", None)],
        ),
        (
            "The recent spike in violence saw a highway bridge in Russia’s Bryansk region blown "
            "up, killing at least seven and injuring 69 passengers on a train bound for Moscow.",
            [("at least seven", M.KILLED), ("69", M.INJURED)],
        ),
        (
            "Also on Sunday, at least seven people were killed and 69 injured when a highway "
            "bridge was blown up over a passenger train heading to Moscow with 388 people on "
            "board. No one has yet claimed responsibility.",
            [("at least seven", M.KILLED), ("69", M.INJURED), ("388", None), ("one", None)],
        ),
        (
            "The drones were used to strike 41 heavy bomber jets in bases as far away as "
            "Murmansk and Irkutsk, more than 2,700 miles away from the Ukrainian border.",
            [("41", M.AIRCRAFT_HIT), ("more than 2,700 miles", M.DISTANCE_KM)],
        ),
        (
            "Meanwhile, Ukrainian forces targeted Russian long-range bombers at an airbase over "
            "4,300 kilometers from the front lines, marking an unprecedented reach.",
            [("over 4,300 kilometers", M.DISTANCE_KM)],
        ),
        # the model's "1,000-kilometer (620-mile)" became weapons launched
        (
            "The training unit is located to the rear of the 1,000-kilometer (620-mile) active "
            "front line, where Russian reconnaissance and strike drones are able to strike.",
            [("1,000-kilometer", None), ("620-mile", None)],
        ),
        (
            "The drones reportedly hit 41 bombers on Sunday afternoon, more than 4,000 "
            "kilometers (2,500 miles) from Ukraine.",
            [
                ("41", M.AIRCRAFT_HIT),
                ("more than 4,000 kilometers", M.DISTANCE_KM),
                ("2,500 miles", None),  # the same distance, converted
            ],
        ),
        (
            "Russian forces also claimed advances in Ukraine’s Sumy region, seizing 450 square "
            "kilometers of territory in May, the fastest monthly gain in half a year.",
            [("450 square kilometers", M.AREA_KM2)],
        ),
        (
            "Russia also carried out attacks — launching more than 470 drones and several "
            "missiles at targets across Ukraine.",
            [("more than 470", M.DRONES_LAUNCHED), ("several", M.MISSILES_LAUNCHED)],
        ),
        (
            "According to Ukrainian official, at least 40 Russian warplanes were struck.",
            [("at least 40", M.AIRCRAFT_HIT)],
        ),
    ],
)
def test_seed_sentences(quote: str, expected: list[tuple[str, Measure | None]]) -> None:
    assert measured(quote) == expected


# --- what is not a count of the event ----------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "The official said the attack took over 1 1/2-year to execute.",
        "The operation took 18 months to prepare.",
        "After three years of intense fighting, the gap remains wide.",
        "Expectations were low for any progress on ending the three-year war.",
        "The first round of talks, held on May 16, ended after less than two hours.",
        "Peace talks in Istanbul, Turkey, Monday, June 2, 2025.",
        "The strike occurred at 12:50 p.m. local time.",
        "Russia occupies roughly one fifth of Ukraine's territory.",
        "The aircraft are worth $7 billion.",
        "Air defences shot down about 90% of the drones.",
        "It was the 21st attack on Kyiv this month.",
        "Putin demanded that Ukraine withdraw from all four regions claimed by Russia.",
        "Explosions were reported in five regions, with fires in two locations.",
        "A passenger train heading to Moscow with 388 people on board.",
        "Some 50,000 troops were massed near Sumy.",
        "No one has yet claimed responsibility.",
        "Ukraine escalated with one of the largest drone battles so far.",
        "Over 1.2 million were killed or injured since 2022.",
        "The ministry said its forces had thwarted additional attacks on three other bases.",
        "Russia keeps 300 drones in reserve.",
        "Russian drones are able to strike from the 1,000-km front line.",
    ],
)
def test_numbers_that_count_nothing_here(quote: str) -> None:
    assert [reading for reading in read(quote) if reading.measure] == []


def test_model_names_are_not_numbers() -> None:
    assert measured("Ukraine said 41 Tu-95 bombers were destroyed.") == [("41", M.AIRCRAFT_HIT)]


# --- general English beyond the seeds ----------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        (
            "Air defences intercepted 30 of the 35 cruise missiles Russia fired.",
            [("30", M.MISSILES_DOWNED), ("35", M.MISSILES_LAUNCHED)],
        ),
        (
            "Russia fired 90 drones overnight and air defences shot down 47 of them.",
            [("90", M.DRONES_LAUNCHED), ("47", M.DRONES_DOWNED)],
        ),
        (
            "Russia launched 472 drones, of which 382 were shot down or suppressed.",
            [("472", M.DRONES_LAUNCHED), ("382", M.DRONES_DOWNED)],
        ),
        ("Russia attacked with 90 Shahed drones overnight.", [("90", M.DRONES_LAUNCHED)]),
        (
            "Two civilians died and 14 were wounded in the shelling of Kharkiv.",
            [("Two", M.KILLED), ("14", M.INJURED)],
        ),
        (
            "Ukraine destroyed 41 bombers and damaged a dozen more aircraft.",
            [("41", M.AIRCRAFT_HIT), ("a dozen", M.AIRCRAFT_HIT)],
        ),
        (
            "Russia launched 120 air attack weapons and hit 3 refineries.",
            [("120", M.WEAPONS_LAUNCHED), ("3", M.TARGETS_HIT)],
        ),
        (
            "Ukraine launched 117 drones and hit 41 anti-aircraft systems.",
            [("117", M.DRONES_LAUNCHED), ("41", M.TARGETS_HIT)],
        ),
        (
            "Missiles flew 1,500 miles before striking the port.",
            [("1,500 miles", M.DISTANCE_KM)],
        ),
        (
            "Dozens of drones struck Odesa, causing several aircraft to catch fire.",
            [("Dozens", M.DRONES_LAUNCHED), ("several", M.AIRCRAFT_HIT)],
        ),
    ],
)
def test_general_patterns(quote: str, expected: list[tuple[str, Measure | None]]) -> None:
    assert measured(quote) == expected


def test_two_weapons_before_a_bare_downed_number_leave_it_undecided() -> None:
    quote = "Russia launched 472 drones and 7 missiles; air defences shot down 382."
    assert measured(quote)[2] == ("382", None)


def test_quantities_carry_hedges_and_units() -> None:
    by_phrase = {r.phrase: r.quantity for r in read("It reached more than 2,700 miles away.")}
    distance = by_phrase["more than 2,700 miles"]
    assert distance.unit.value == "km"
    assert distance.value_min == pytest.approx(2700 * 1.609344, abs=0.01)
    assert distance.value_max is None
    [killed] = read("killing at least seven")
    assert (killed.quantity.value_min, killed.quantity.value_max) == (7, None)
    [several] = read("several missiles were fired")
    assert (several.quantity.value_min, several.quantity.value_max) == (3, None)


def test_every_reading_says_why() -> None:
    launched, missiles = read("Russia launched a record 472 drones and seven missiles")
    assert "drones" in launched.why and "launched" in launched.why
    assert "missiles" in missiles.why
    [duration] = read("The operation took 18 months to prepare.")
    assert duration.rejected and "duration" in duration.why


def test_number_phrases_take_in_hedges_units_and_vague_counts() -> None:
    quote = "Russia launched over 400 drones and several missiles 4,000 km away; see Tu-95"
    assert [quote[s:e] for s, e, _ in number_phrases(quote)] == [
        "over 400",
        "several",
        "4,000 km",
    ]


# --- the model's fields: a fallback where the words are silent ---------------------------------


def test_hints_decide_only_silent_numbers() -> None:
    quote = "The SBU counted 117 by the evening; the attack took over 1 1/2-year to plan."
    hints = [
        (M.DRONES_LAUNCHED, parse_quantity("117")),
        (M.WEAPONS_LAUNCHED, parse_quantity("over 1 1/2")),
    ]
    counted, duration = classify(quote, hints)
    assert (counted.measure, counted.from_model) == (M.DRONES_LAUNCHED, True)
    assert duration.measure is None and duration.rejected  # a hint never overrules a rejection
    assert [r.measure for r in classify(quote)] == [None, None]


def test_the_words_overrule_the_models_field() -> None:
    quote = "Overnight, Russia launched a record 472 drones and seven missiles against Ukraine"
    attack = Attack(
        evidence=evidence(quote),
        weapon=None,  # the model's "472" with no weapon became weapons_launched
        launched=parse_quantity("472"),
        downed=parse_quantity("seven"),
    )
    assert [(r.measure, r.from_model) for r in measures_of(attack)] == [
        (M.DRONES_LAUNCHED, False),
        (M.MISSILES_LAUNCHED, False),
    ]


# --- rows: facts of a record, facts of a document ----------------------------------------------

TEXT = (
    "Earlier Sunday, Ukraine’s army said at least 12 Ukrainian service members were killed and "
    "more than 60 were injured in a Russian missile strike on an army training unit. Ukraine "
    "destroyed 41 bombers and damaged 12 more aircraft."
)
SENTENCE = TEXT.split(". ")[0] + "."
AIRCRAFT = "Ukraine destroyed 41 bombers and damaged 12 more aircraft."


def test_a_numbers_record_type_is_its_measures() -> None:
    attack = Attack(evidence=evidence(SENTENCE, TEXT), hit=parse_quantity("at least 12"))
    rows = fact_rows("doc", "doc:1", attack)
    assert [(r["record_type"], r["measure"], r["value_min"]) for r in rows] == [
        ("casualty", "killed", 12),
        ("casualty", "injured", 61),
    ]
    assert all(RECORD_TYPE_OF[m] is RecordType.ATTACK for m in (M.TARGETS_HIT, M.DISTANCE_KM))
    assert RECORD_TYPE_OF[M.AREA_KM2] is RecordType.TERRITORIAL_CLAIM


def test_fact_ids_stay_unique_when_a_quote_counts_a_measure_twice() -> None:
    attack = Attack(evidence=evidence(AIRCRAFT, TEXT))
    assert [r["fact_id"] for r in fact_rows("doc", "doc:3", attack)] == [
        "doc:3:aircraft_hit",
        "doc:3:aircraft_hit:2",
    ]


def test_document_facts_count_a_number_once_across_records() -> None:
    attack = Attack(evidence=evidence(SENTENCE, TEXT), hit=parse_quantity("at least 12"))
    casualty = Casualty(
        evidence=evidence(SENTENCE, TEXT),
        killed=parse_quantity("at least 12"),
        injured=parse_quantity("more than 60"),
    )
    part = "at least 12 Ukrainian service members were killed"  # overlaps the sentence
    talks = Talks(evidence=evidence(part, TEXT))
    aircraft = Attack(evidence=evidence(AIRCRAFT, TEXT))
    records: list[tuple[str, Record]] = [
        ("doc:1", attack),
        ("doc:2", casualty),
        ("doc:3", talks),
        ("doc:4", aircraft),
    ]
    assert [(r["fact_id"], r["value_min"]) for r in document_facts("doc", records)] == [
        ("doc:2:killed", 12),  # the casualty record's own measures win over the attack's
        ("doc:2:injured", 61),
        ("doc:4:aircraft_hit", 41),
        ("doc:4:aircraft_hit:2", 12),
    ]
    per_record = [row for record_id, r in records for row in fact_rows("doc", record_id, r)]
    assert len(per_record) == 7


def test_document_facts_prefer_words_over_the_models_field() -> None:
    text = "Russia launched 117 drones overnight."
    # this quote leaves the verb out: only the model's field (no weapon named) decides
    cut = Attack(evidence=evidence("117 drones overnight", text), launched=parse_quantity("117"))
    assert [r["measure"] for r in fact_rows("doc", "doc:1", cut)] == ["weapons_launched"]
    whole = Attack(evidence=evidence(text))
    rows = document_facts("doc", [("doc:1", cut), ("doc:2", whole)])
    assert [(r["fact_id"], r["measure"]) for r in rows] == [
        ("doc:2:drones_launched", "drones_launched")
    ]


def test_facts_of_keep_their_place_in_the_quote() -> None:
    casualty = Casualty(evidence=evidence(SENTENCE, TEXT))
    spans = [(f.start, f.end) for f in facts_of(casualty)]
    assert [SENTENCE[s:e] for s, e in spans if s is not None and e is not None] == [
        "at least 12",
        "more than 60",
    ]


# --- the helpers shared with extract ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "phrase"),
    [
        ("killing at least seven people", "seven", "at least seven"),
        ("more than 60 were injured", "60", "more than 60"),
        ("some 50,000 troops", "50,000", "some 50,000"),
        ("a record 472 drones", "472", "472"),
    ],
)
def test_qualified_start(text: str, number: str, phrase: str) -> None:
    start = text.index(number)
    end = start + len(number)
    assert text[qualified_start(text, start, end) : end] == phrase


def test_vague_spans_prefer_the_longest_wording() -> None:
    text = "tens of thousands fled; several drones and dozens of missiles; a number of jets"
    assert [(text[s:e], v) for s, e, v in vague_spans(text)] == [
        ("tens of thousands", 10_000),
        ("several", 3),
        ("dozens", 12),
        ("a number of", 2),
    ]
