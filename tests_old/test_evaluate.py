"""pipeline.evaluate: matching rules, the gold files' integrity, and the DuckDB path end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from pipeline.evaluate import (
    ExtractedFact,
    GoldError,
    GoldFact,
    Scores,
    StoredQuote,
    check_grounding,
    evaluate,
    evaluate_db,
    facts_match,
    gold_documents,
    intervals_overlap,
    load_extracted,
    load_gold,
    match_facts,
    normalize_value,
    render_table,
    save_eval_run,
    tally,
    values_overlap,
)
from pipeline.normalize import parse_quantity
from pipeline.sources import Document, load
from pipeline.store import DocumentMeta, Store, StoreError
from schemas import Attack, Casualty, Evidence, Record, Talks, TerritorialClaim

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"


def gold(
    measure: str, lo: float, hi: float | None, doc: str = "d", record_type: str = "casualty"
) -> GoldFact:
    return GoldFact(doc, record_type, "q", measure=measure, phrase="p", value_min=lo, value_max=hi)


def got(
    measure: str, lo: float, hi: float | None, doc: str = "d", record_type: str = "casualty"
) -> ExtractedFact:
    return ExtractedFact(
        doc, record_type, f"{doc}:{measure}:{lo}", "q", measure=measure, value_min=lo, value_max=hi
    )


def gold_field(field: str, value: str, *alternatives: str, record_type: str = "talks") -> GoldFact:
    return GoldFact("d", record_type, "q", field=field, value=value, alternatives=alternatives)


def got_field(field: str, value: str, record_type: str = "talks") -> ExtractedFact:
    return ExtractedFact("d", record_type, f"r:{field}", "q", field=field, value=value)


# ----------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((7, None), (7, 7), True),  # "at least seven" vs "seven"
        ((7, None), (69, 69), True),
        ((61, None), (41, None), True),  # both open-ended
        ((69, 69), (105, None), False),  # "69" vs "more than 104"
        ((7, None), (0, 5), False),  # "at least seven" vs "up to five"
        ((405, 495), (445, 455), True),  # "about 450" vs "450"
        ((12, 12), (13, 13), False),
        ((0, 10), (10, None), True),  # inclusive bounds touch
    ],
)
def test_intervals_overlap(
    a: tuple[float, float | None], b: tuple[float, float | None], overlap: bool
) -> None:
    assert intervals_overlap(*a, *b) is overlap
    assert intervals_overlap(*b, *a) is overlap


def test_overlapping_numbers_match_and_disjoint_ones_do_not() -> None:
    matching = match_facts(
        [gold("killed", 7, None), gold("injured", 69, 69)],
        [got("killed", 7, 7), got("injured", 105, None)],
    )
    assert [(g.measure, e.measure) for g, e in matching.matched] == [("killed", "killed")]
    assert [g.measure for g in matching.missed] == ["injured"]
    assert [e.value_min for e in matching.spurious] == [105]


def test_document_record_type_and_measure_must_all_agree() -> None:
    target = gold("killed", 7, None)
    assert facts_match(target, got("killed", 7, 7))
    assert not facts_match(target, got("injured", 7, 7))
    assert not facts_match(target, got("killed", 7, 7, doc="other"))
    assert not facts_match(target, got("killed", 7, 7, record_type="attack"))
    assert not facts_match(target, got_field("venue", "7"))


def test_a_duplicate_extraction_is_a_false_positive() -> None:
    matching = match_facts(
        [gold("killed", 12, None)], [got("killed", 12, 12), got("killed", 12, 12)]
    )
    scores = tally(matching, lambda f: f.measure)["killed"]
    assert scores == Scores(tp=1, fp=1, fn=0)
    assert (scores.precision, scores.recall) == (0.5, 1.0)
    assert scores.f1 == pytest.approx(2 / 3)


def test_greedy_matching_takes_the_closest_pairs_first() -> None:
    # "more than 40" overlaps both gold facts; "41" only the first. Taken in input order,
    # "more than 40" would use up "41" and leave one pair unmatched.
    exact, open_ended = gold("aircraft_hit", 41, 41), gold("aircraft_hit", 50, None)
    vague, precise = got("aircraft_hit", 41, None), got("aircraft_hit", 41, 41)
    matching = match_facts([exact, open_ended], [vague, precise])
    assert set(matching.matched) == {(exact, precise), (open_ended, vague)}
    assert not matching.missed
    assert not matching.spurious


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("Rustem Umerov", "Defense Minister Rustem Umerov", True),
        ("Rustem Umerov", "Umerov", True),
        ("Istanbul", "ISTANBUL.", True),
        ("Istanbul", "Istanbul, Türkiye", True),
        ("Türkiye", "Turkiye", True),
        ("Vladimir Medinsky", "Rustem Umerov", False),
        ("Kyiv", "Kyivstar", False),  # whole words only
        ("Istanbul", "", False),
        ("Istanbul", "—", False),
    ],
)
def test_values_overlap(a: str, b: str, overlap: bool) -> None:
    assert values_overlap(a, b) is overlap
    assert values_overlap(b, a) is overlap


def test_normalize_value_folds_case_accents_and_punctuation() -> None:
    assert normalize_value("  Çırağan  Palace’s, “Istanbul” — ") == "ciragan palace s istanbul"


def test_field_facts_match_by_field_and_value_or_an_alternative() -> None:
    venue = gold_field("venue", "Istanbul", "Turkey")
    assert facts_match(venue, got_field("venue", "Istanbul, Turkey"))
    assert facts_match(venue, got_field("venue", "Turkey"))
    assert not facts_match(venue, got_field("venue", "Ankara"))
    assert not facts_match(venue, got_field("date", "Istanbul"))
    place = gold_field("place", "Oleksiivka", record_type="territorial_claim")
    assert facts_match(place, got_field("place", "village of Oleksiivka", "territorial_claim"))
    assert not facts_match(place, got_field("place", "Oleksiivka", "talks"))


def test_scores_are_none_when_undefined() -> None:
    assert Scores(tp=0, fp=0, fn=3).precision is None
    assert Scores(tp=0, fp=2, fn=0).recall is None
    assert Scores().f1 is None
    assert Scores(tp=0, fp=2, fn=3).f1 == 0.0
    assert Scores(1, 2, 3) + Scores(1, 0, 1) == Scores(2, 2, 4)


def test_check_grounding_compares_python_string_offsets() -> None:
    text = "Russia’s “biggest” barrage — 472 drones."
    start = text.index("472")
    quotes = [
        StoredQuote("facts", "ok", "d", "472 drones", start, start + 10),
        StoredQuote("facts", "shifted", "d", "472 drones", start + 1, start + 11),
        StoredQuote("facts", "orphan", "gone", "472 drones", start, start + 10),
    ]
    grounding = check_grounding({"d": text}, quotes)
    assert (grounding.checked, grounding.exact) == (3, 1)
    assert grounding.ungrounded == ("facts:shifted", "facts:orphan")
    assert check_grounding({}, []).rate == 1.0


# ----------------------------------------------------------------------------- gold files


def seed_documents() -> dict[str, Document]:
    return {d.document_id: d for path in sorted(SEEDS.glob("*.txt")) for d in load(path, 10**6)}


def test_every_seed_document_has_exactly_one_gold_file() -> None:
    assert sorted(gold_documents(GOLD)) == sorted(seed_documents())


def test_gold_quotes_are_verbatim_and_phrases_parse_to_their_intervals() -> None:
    documents = seed_documents()
    facts = load_gold(GOLD)
    assert facts
    for fact in facts:
        text = documents[fact.document_id].text
        assert fact.quote in text, (fact.document_id, fact.quote)
        if fact.numeric:
            assert fact.phrase is not None and fact.phrase in fact.quote, fact
            quantity = parse_quantity(fact.phrase)
            assert (quantity.value_min, quantity.value_max) == (fact.value_min, fact.value_max)
        else:
            assert fact.value is not None and fact.value in fact.quote, fact
            for alternative in fact.alternatives:
                assert alternative in text, (fact.document_id, alternative)


def test_gold_holds_one_entry_per_number_per_incident() -> None:
    keys = [
        (f.document_id, f.record_type, f.slot, f.phrase or f.value, f.incident)
        for f in load_gold(GOLD)
    ]
    assert len(keys) == len(set(keys))


def test_the_off_topic_article_has_no_gold_facts() -> None:
    britain = "003_58c9597274ac7f2c.3"
    assert britain in gold_documents(GOLD)
    assert not [f for f in load_gold(GOLD) if f.document_id == britain]


def write_gold(folder: Path, document_id: str, facts: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{document_id}.yaml"
    path.write_text(
        yaml.safe_dump({"document_id": document_id, "facts": facts}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {
                "record_type": "casualty",
                "measure": "dead",
                "phrase": "7",
                "value_min": 7,
                "value_max": 7,
                "quote": "q",
            },
            "not in schemas.Measure",
        ),
        (
            {
                "record_type": "casualty",
                "measure": "killed",
                "phrase": "7",
                "value_min": "7",
                "value_max": 7,
                "quote": "q",
            },
            "value_min must be a number",
        ),
        (
            {"record_type": "talks", "field": "city", "value": "Istanbul", "quote": "q"},
            "one of the fields",
        ),
        (
            {
                "record_type": "talks",
                "field": "venue",
                "value": "Istanbul",
                "quote": "q",
                "qoute": "typo",
            },
            "unknown keys",
        ),
        ({"record_type": "talks", "field": "venue", "value": "Istanbul"}, "quote is required"),
    ],
)
def test_malformed_gold_is_refused_with_its_place(
    tmp_path: Path, entry: dict[str, Any], message: str
) -> None:
    write_gold(tmp_path, "doc", [entry])
    with pytest.raises(GoldError, match=message) as error:
        load_gold(tmp_path)
    assert "doc.yaml: facts[0]" in str(error.value)


def test_gold_file_name_must_match_its_document_id(tmp_path: Path) -> None:
    write_gold(tmp_path, "doc", []).rename(tmp_path / "other.yaml")
    with pytest.raises(GoldError, match="does not match"):
        gold_documents(tmp_path)


# ----------------------------------------------------------------------------- DuckDB


TEXT = (
    "KYIV — At least seven people were killed and 69 injured when a bridge fell in Russia’s "
    "Bryansk region.\n"
    "Russia launched 472 drones and seven missiles, Ukraine’s air force said.\n"
    "The “second round” of talks opens in Istanbul on Monday, led by Rustem Umerov.\n"
    "Russia said it took the village of Oleksiivka."
)


def evidence(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(quote=sentence, char_start=start, char_end=start + len(sentence))


def sentence(n: int) -> str:
    return TEXT.split("\n")[n]


def document(document_id: str, text: str) -> Document:
    return Document(document_id, f"{document_id}.txt", 1, None, None, None, None, text)


def stored_db(path: Path) -> Path:
    q = parse_quantity
    drones = "Russia launched 472 drones"  # stops before "seven missiles": they stay unextracted
    records: list[Record] = [
        Casualty(evidence=evidence(TEXT, sentence(0)), killed=q("At least seven"), injured=q("69")),
        Attack(evidence=evidence(TEXT, drones), weapon="drones", launched=q("472")),
        Attack(evidence=evidence(TEXT, drones), weapon="drones", launched=q("472")),
        Talks(
            evidence=evidence(TEXT, sentence(2)),
            venue="Istanbul",
            date="Monday",
            ukraine_head="Rustem Umerov",
        ),
        TerritorialClaim(evidence=evidence(TEXT, sentence(3)), place="village of Oleksiivka"),
    ]
    meta = DocumentMeta("run-1", "qwen-test", "p1", "1", True, 1.0, "ok")
    other = "Nine people were injured."
    with Store(path) as store:
        store.save_document(document("doc1", TEXT), meta, records)
        store.save_document(
            document("unannotated", other),
            meta,
            [Casualty(evidence=evidence(other, other), injured=q("Nine"))],
        )
    return path


def gold_dir(folder: Path) -> Path:
    def numeric(record_type: str, measure: str, phrase: str, quote: str) -> dict[str, Any]:
        quantity = parse_quantity(phrase)
        return {
            "record_type": record_type,
            "measure": measure,
            "phrase": phrase,
            "value_min": quantity.value_min,
            "value_max": quantity.value_max,
            "quote": quote,
        }

    def field(record_type: str, name: str, value: str, quote: str) -> dict[str, Any]:
        return {"record_type": record_type, "field": name, "value": value, "quote": quote}

    write_gold(
        folder,
        "doc1",
        [
            numeric("casualty", "killed", "At least seven", sentence(0)),
            numeric("casualty", "injured", "69", sentence(0)),
            numeric("attack", "drones_launched", "472", sentence(1)),
            numeric("attack", "missiles_launched", "seven", sentence(1)),
            field("talks", "venue", "Istanbul", sentence(2)),
            field("talks", "date", "Monday", sentence(2)),
            field("talks", "ukraine_head", "Rustem Umerov", sentence(2)),
            field("territorial_claim", "place", "Oleksiivka", sentence(3)),
        ],
    )
    write_gold(folder, "not_stored", [numeric("casualty", "killed", "three", "three killed")])
    return folder


def test_evaluate_db_end_to_end(tmp_path: Path) -> None:
    db = stored_db(tmp_path / "claimdiff.duckdb")
    report = evaluate_db(db, gold_dir(tmp_path / "gold"))

    # killed, injured, drones matched; the two records quoting the same "472" are stored as one
    # fact (the store keeps one fact per number of a document), so no false positive; the
    # missiles and the unstored document's fact are missed.
    assert report.numeric == Scores(tp=3, fp=0, fn=2)
    assert report.by_measure["drones_launched"] == Scores(tp=1, fp=0, fn=0)
    assert report.by_measure["missiles_launched"] == Scores(tp=0, fp=0, fn=1)
    assert report.by_field["talks.venue"] == Scores(tp=1, fp=0, fn=0)
    assert report.by_field["territorial_claim.place"] == Scores(tp=1, fp=0, fn=0)
    assert report.by_record_type["talks"] == Scores(tp=3, fp=0, fn=0)
    assert report.overall == Scores(tp=7, fp=0, fn=2)
    assert report.missing_documents == ("not_stored",)
    assert report.unannotated_documents == ("unannotated",)
    assert (report.model, report.prompt_version, report.schema_version) == ("qwen-test", "p1", "1")
    # 5 + 1 records and 3 + 1 facts rows, every quote exactly its span of the text.
    assert (report.grounding.checked, report.grounding.rate) == (10, 1.0)

    partial = evaluate_db(db, tmp_path / "gold", stored_only=True)
    assert partial.numeric == Scores(tp=3, fp=0, fn=1)
    assert partial.missing_documents == ()

    details = json.loads(report.to_json())
    assert details["numeric"]["precision"] == 1.0
    assert {m["gold"]["measure"] for m in details["matched"] if "measure" in m["gold"]} == {
        "killed",
        "injured",
        "drones_launched",
    }
    assert render_table(report).row_count > 0


def test_grounding_reports_a_quote_that_does_not_match_its_span(tmp_path: Path) -> None:
    db = stored_db(tmp_path / "claimdiff.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE talks SET char_start = char_start + 1, char_end = char_end + 1")
    grounding = load_extracted(db)
    report = evaluate([], grounding, documents=[])
    assert report.grounding.ungrounded == ("talks:doc1:4",)
    assert report.grounding.rate == pytest.approx(9 / 10)


def test_save_eval_run_appends_a_row(tmp_path: Path) -> None:
    db = stored_db(tmp_path / "claimdiff.duckdb")
    gold = gold_dir(tmp_path / "gold")
    report = evaluate_db(db, gold)
    first = save_eval_run(db, report, gold)
    second = save_eval_run(db, report, gold)
    assert first != second
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT eval_id, model, prompt_version, schema_version, gold_dir, precision, recall,"
            " f1, grounding_rate, details FROM eval_runs ORDER BY eval_id"
        ).fetchall()
    assert len(rows) == 2
    eval_id, model, prompt, schema, folder, precision, recall, f1, grounding, details = rows[0]
    assert eval_id == min(first, second)
    assert (model, prompt, schema, folder) == ("qwen-test", "p1", "1", str(gold))
    assert (precision, recall, grounding) == (1.0, 0.6, 1.0)
    assert f1 == pytest.approx(2 * 3 / (2 * 3 + 0 + 2))
    assert json.loads(details)["numeric"]["tp"] == 3


def test_a_missing_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        load_extracted(tmp_path / "absent.duckdb")
    assert not (tmp_path / "absent.duckdb").exists()
