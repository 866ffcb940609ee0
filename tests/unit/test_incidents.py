"""Incident resolution on records written for the test: general terms, vetoes, no chaining."""

from datetime import date

from pipeline.compare.incidents import resolve, score
from schemas import DatePrecision, Place, PlacePrecision, RecordRef


def town(name: str, lat: float, lon: float, country: str = "XX", admin1: str = "XX.01") -> Place:
    return Place(f"gn:{abs(hash(name)) % 10**6}", name, country, admin1, None, lat, lon,
                 PlacePrecision.SETTLEMENT)  # fmt: skip


NORTH = town("Northtown", 10.0, 20.0)
NEAR = town("Suburbia", 10.03, 20.02)  # ~4 km away
FAR = town("Farport", 12.0, 22.0, admin1="XX.02")  # ~300 km away
REGION = Place(
    "iso:XX-01", "North Province", "XX", "XX.01", None, None, None, PlacePrecision.REGION
)


def ref(record_id: str, place: Place | None, day: int | None, *, kind: str = "air_drone_strike",
        dated: bool = True, start: int = 0, actors: tuple[str, ...] = ()) -> RecordRef:  # fmt: skip
    document = record_id.split(":")[0]
    when = date(2024, 6, day) if day else None
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
