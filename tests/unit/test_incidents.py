"""Incident resolution on records written for the test: general terms, vetoes, no chaining."""

from dataclasses import replace
from datetime import date

from pipeline.compare.incidents import resolve, score
from schemas import DatePrecision, Place, PlacePrecision, RecordRef


def town(name: str, lat: float, lon: float, country: str = "XX", admin1: str = "XX.01") -> Place:
    return Place(f"gn:{abs(hash(name)) % 10**6}", name, country, admin1, None, lat, lon,
                 PlacePrecision.SETTLEMENT)  # fmt: skip


NORTH = town("Northtown", 10.0, 20.0)
NEAR = town("Suburbia", 10.03, 20.02)  # ~4 km away
FAR = town("Farport", 12.0, 22.0, admin1="XX.02")  # ~300 km away
REGION_ONLY = Place("iso:XX", "Xland", "XX", None, None, None, None, PlacePrecision.COUNTRY)
REGION = Place(
    "iso:XX-01", "North Province", "XX", "XX.01", None, None, None, PlacePrecision.REGION
)


def ref(record_id: str, place: Place | None, day: int | None, *, kind: str = "air_drone_strike",
        dated: bool = True, start: int = 0, actors: tuple[str, ...] = (),
        month: int = 6, published: date | None = None, entry: int | None = None,
        ) -> RecordRef:  # fmt: skip
    document = record_id.split(":")[0]
    when = date(2024, month, day) if day else None
    precision = DatePrecision.DAY if dated else DatePrecision.WEEK
    return RecordRef(
        record_id,
        document,
        "casualty",
        start,
        kind,
        when,
        precision if when else None,
        dated and when is not None,
        place,
        actors,
        published=published,
        entry=entry,
    )


def groups(records: list[RecordRef]) -> list[set[str]]:
    incidents, _, _ = resolve(records)
    return sorted((set(i.record_ids) for i in incidents), key=lambda g: sorted(g))


def test_same_place_and_day_is_one_incident_with_its_reasons() -> None:
    incidents, assignments, links = resolve(
        [ref("a:1", NORTH, 8), ref("b:1", NORTH, 8), ref("c:1", NEAR, 8)]
    )
    assert len(incidents) == 1 and len(set(assignments.values())) == 1
    assert incidents[0].incident_id == "air_drone_strike@northtown@2024-06-08"
    assert {(k.record_a, k.record_b) for k in links} == {
        ("a:1", "b:1"),
        ("a:1", "c:1"),
        ("b:1", "c:1"),
    }
    same = next(k for k in links if k.record_b == "b:1")
    assert same.terms == {"place": 0.45, "date": 0.3, "event_type": 0.15}
    assert "same place Northtown" in same.reason


def test_far_apart_places_and_distant_precise_dates_are_vetoed() -> None:
    assert score(ref("a:1", NORTH, 8), ref("b:1", FAR, 8)).veto
    assert score(ref("a:1", NORTH, 8), ref("b:1", NORTH, 12)).veto
    assert groups([ref("a:1", NORTH, 8), ref("b:1", NORTH, 12)]) == [{"a:1"}, {"b:1"}]


def test_the_same_kind_of_event_two_days_apart_stays_apart() -> None:
    assert groups([ref("a:1", NORTH, 8), ref("b:1", NORTH, 10)]) == [{"a:1"}, {"b:1"}]
    # a day apart: the same night as often as not, so place and type decide
    assert groups([ref("a:1", NORTH, 8), ref("b:1", NORTH, 9)]) == [{"a:1", "b:1"}]


def test_a_record_without_place_or_date_takes_its_articles_nearest() -> None:
    records = [ref("a:1", NORTH, 8, start=0), ref("a:2", None, None, start=300),
               ref("b:1", NORTH, 8)]  # fmt: skip
    assert groups(records) == [{"a:1", "a:2", "b:1"}]


def test_imprecise_dates_join_within_their_window() -> None:
    records = [ref("a:1", NORTH, 8), ref("b:1", NORTH, 10, dated=False)]
    assert groups(records) == [{"a:1", "b:1"}]


def test_a_region_joins_a_settlement_inside_it() -> None:
    assert groups([ref("a:1", NORTH, 8), ref("b:1", REGION, 8)]) == [{"a:1", "b:1"}]


def test_a_chain_of_weak_links_does_not_merge_two_events() -> None:
    # b sits between a and c, and links each weakly; a and c are vetoed (300 km apart)
    middle = town("Midway", 11.0, 21.0)
    records = [
        ref("a:1", NORTH, 8),
        ref("b:1", REGION, 8),
        ref("c:1", FAR, 8),
        ref("d:1", middle, 8),
    ]
    for group in groups(records):
        assert not {"a:1", "c:1"} <= group


def test_counts_never_decide_and_countries_block() -> None:
    other = town("Northtown", 10.0, 20.0, country="YY")
    assert groups([ref("a:1", NORTH, 8), ref("b:1", other, 8)]) == [{"a:1"}, {"b:1"}]


def test_records_without_a_place_stay_unresolved() -> None:
    incidents, assignments, _ = resolve([ref("a:1", None, 8), ref("b:1", None, 8)])
    assert incidents == [] and assignments == {}


def test_a_date_leans_on_the_sentence_before_not_the_paragraph_after() -> None:
    # "The military said the strike killed 19" (no day) comes between the lede (Saturday) and
    # a paragraph about Thursday's strikes 350 characters on: it belongs to Saturday's.
    records = [
        ref("a:1", NORTH, 10, start=0),
        ref("a:2", NORTH, None, start=800),
        ref("a:3", NORTH, 8, start=1150),
        ref("b:1", NORTH, 10),
        ref("c:1", NORTH, 8),
    ]
    assert groups(records) == [{"a:1", "a:2", "b:1"}, {"a:3", "c:1"}]


def test_a_live_blogs_entries_are_dated_by_the_page_not_by_each_other() -> None:
    saturday = date(2024, 6, 10)
    records = [
        # newest entry first: a revised toll of Thursday's strikes …
        ref("live:1", NORTH, 8, start=100, published=saturday, entry=1),
        # … then this morning's entries, which name no day
        ref("live:2", NORTH, None, start=600, published=saturday, entry=2),
        ref("live:3", None, None, start=900, published=saturday, entry=3),
        ref("wire:1", NORTH, 10),
        ref("other:1", NORTH, 8),
    ]
    incidents, _, links = resolve(records)
    found = sorted((set(i.record_ids) for i in incidents), key=sorted)
    assert found == [{"live:1", "other:1"}, {"live:2", "live:3", "wire:1"}]
    assert any("the live blog's day" in k.reason for k in links)
    # the same page read as an ordinary article: the undated sentences lean on Thursday's
    plain = [replace(r, entry=None) for r in records]
    assert {"live:1", "live:2"} <= next(g for g in groups(plain) if "live:1" in g)


def test_a_later_statement_of_the_toll_stays_with_its_event() -> None:
    # "The ministry gave a higher toll on Sunday" (no place of its own) after Friday's strike
    records = [
        ref("a:1", NORTH, 8, start=0),
        ref("a:2", REGION_ONLY, 10, start=500),
        ref("b:1", NORTH, 8),
    ]
    assert groups(records) == [{"a:1", "a:2", "b:1"}]
    # naming a place of its own, the later day is another event
    records[1] = ref("a:2", NORTH, 10, start=500)
    assert groups(records) == [{"a:1", "b:1"}, {"a:2"}]


def test_dates_months_apart_are_vetoed_and_background_dates_do_not_date_the_incident() -> None:
    june = date(2024, 6, 10)
    background = ref("a:2", NORTH, 7, month=1, start=900, published=june)
    assert score(ref("a:1", NORTH, 10, dated=False), background).veto
    records = [ref("a:1", NORTH, 10, dated=False, start=0, published=june), background]
    incidents, _, _ = resolve(records)
    assert sorted(i.date for i in incidents if i.date) == [date(2024, 1, 7), june]
