"""pipeline.evaluate: gold files, matching rules, clustering counts and verdict lookup, and a
real DuckDB file (created by pipeline.store.Store, rows inserted by the test) scored end to end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from pipeline.evaluate import (  # type: ignore[attr-defined]
    Counts,
    GoldError,
    clustering,
    evaluate,
    evaluate_db,
    load_gold,
    save_eval_run,
)
from pipeline.evaluate.gold import GoldFact
from pipeline.evaluate.match import Extracted, Matching, match
from pipeline.store import Store, StoreError
from schemas import Scope

# ----------------------------------------------------------------------------- gold files


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def numeric(
    measure: str, lo: float, hi: float | None, quote: str = "q", **more: Any
) -> dict[str, Any]:
    return {"record_type": "casualty", "measure": measure, "phrase": str(lo), "value_min": lo,
            "value_max": hi, "quote": quote, **more}  # fmt: skip


def test_a_corpus_folder_or_its_gold_folder(tmp_path: Path) -> None:
    write_yaml(tmp_path / "corpus" / "gold" / "wire_01.yaml",
               {"language": "fr", "facts": [numeric("killed", 23, 23, incident="G1")]})  # fmt: skip
    write_yaml(tmp_path / "corpus" / "gold" / "other.yaml", {"document_id": "renamed"})
    write_yaml(tmp_path / "corpus" / "incidents" / "all.yaml", {
        "incidents": {"G1": {"label": "Shelling of a market"}},
        "divergences": [{"incident": "G1", "measure": "killed", "verdict": "conflict"}],
        "apart": [["G1", "G2"]],
    })  # fmt: skip
    for folder in (tmp_path / "corpus", tmp_path / "corpus" / "gold"):
        gold = load_gold(folder)
        assert (gold.name, gold.documents) == ("corpus", {"renamed": "en", "wire_01": "fr"})
        [fact] = gold.facts
        assert (fact.document_id, fact.language, fact.measure, fact.incident) == (
            "wire_01", "fr", "killed", "G1"
        )  # fmt: skip
        assert (fact.value_min, fact.value_max, fact.scope) == (23.0, 23.0, Scope.INCIDENT)
        assert [d.verdict for d in gold.divergences] == ["conflict"]
        assert gold.apart == [("G1", "G2")] and set(gold.incidents) == {"G1"}


def gold_error(tmp_path: Path, entry: Any) -> str:
    write_yaml(tmp_path / "gold" / "wire_01.yaml", {"facts": [numeric("killed", 3, 3), entry]})
    with pytest.raises(GoldError) as raised:
        load_gold(tmp_path)
    return str(raised.value)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"record_type": "casualties", "measure": "killed"}, "unknown record_type 'casualties'"),
        (numeric("dead", 1, 1), "unknown measure 'dead'"),
        (numeric("killed", 1, 1, scope="regional"), "unknown scope 'regional'"),
        ({"record_type": "talks", "quote": "q"}, "an entry needs a measure or a field"),
    ],
)  # fmt: skip
def test_a_malformed_entry_is_refused_naming_file_and_entry(
    tmp_path: Path, entry: dict[str, Any], message: str
) -> None:
    found = gold_error(tmp_path, entry)
    assert found.startswith("wire_01.yaml entry 2: ") and message in found


@pytest.mark.parametrize(
    "entry",
    [
        {"record_type": "casualty", "measure": "killed", "phrase": "dozens", "quote": "q"},
        numeric("killed", "seven", None),  # type: ignore[arg-type]
        numeric("killed", 3, "many"),  # type: ignore[arg-type]
    ],
    ids=["no-value_min", "word-value_min", "word-value_max"],
)
def test_a_bad_interval_is_refused_naming_file_and_entry(
    tmp_path: Path, entry: dict[str, Any]
) -> None:
    # A gold error, which `claimdiff eval` reports in one line, not a KeyError or a bare
    # "could not convert string to float" with no file named.
    assert gold_error(tmp_path, entry).startswith("wire_01.yaml entry 2: ")


def test_gold_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "wire_01.yaml").write_text("facts: [unclosed\n")
    with pytest.raises(GoldError, match=r"wire_01\.yaml: not YAML"):
        load_gold(tmp_path)


def test_no_gold_folder(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match=r"no gold/ folder under"):
        load_gold(tmp_path)


def test_an_incident_declared_twice_is_refused(tmp_path: Path) -> None:
    write_yaml(tmp_path / "gold" / "a.yaml", {"facts": []})
    write_yaml(tmp_path / "incidents" / "one.yaml", {"incidents": {"G1": {}}})
    write_yaml(tmp_path / "incidents" / "two.yaml", {"incidents": {"G1": {}}})
    with pytest.raises(GoldError, match=r"two\.yaml: incident G1 is declared twice"):
        load_gold(tmp_path)


@pytest.mark.parametrize(
    ("text", "why"),
    [("divergences: [unclosed\n", "not-yaml"),
     ("divergences:\n  - {incident: G1, measure: killed}\n", "no-verdict")],
)  # fmt: skip
def test_a_malformed_incidents_file_is_refused_naming_it(
    tmp_path: Path, text: str, why: str
) -> None:
    write_yaml(tmp_path / "gold" / "a.yaml", {"facts": []})
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "all.yaml").write_text(text)
    with pytest.raises(GoldError, match=r"all\.yaml"):
        load_gold(tmp_path)


# ----------------------------------------------------------------------------- matching


def gold(measure: str, lo: float, hi: float | None, doc: str = "d", incident: str | None = None,
         scope: Scope = Scope.INCIDENT, record_type: str = "casualty") -> GoldFact:  # fmt: skip
    return GoldFact(doc, record_type, "q", measure=measure, phrase="p", value_min=lo,
                    value_max=hi, scope=scope, incident=incident)  # fmt: skip


def got(measure: str, lo: float, hi: float | None, doc: str = "d", incident: str | None = None,
        name: str = "") -> Extracted:  # fmt: skip
    return Extracted(doc, "casualty", name or f"{doc}:{measure}:{lo}:{hi}", "q", measure=measure,
                     value_min=lo, value_max=hi, incident_id=incident)  # fmt: skip


def field_gold(name: str, value: str, *alternatives: str, record_type: str = "talks") -> GoldFact:
    return GoldFact("d", record_type, "q", field=name, value=value, alternatives=alternatives)


def field_got(name: str, value: str, record_type: str = "talks") -> Extracted:
    return Extracted("d", record_type, f"r:{name}:{value}", "q", field=name, value=value)


def pairs(matching: Matching) -> list[tuple[Any, Any]]:
    return [((g.measure or g.field, g.value_min if g.numeric else g.value),
             (e.measure or e.field, e.value_min if e.numeric else e.value))
            for g, e in matching.matched]  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "matched"),
    [
        ((7, None), (7, 7), True),  # "at least seven" and "seven"
        ((7, None), (70, 70), True),
        ((41, None), (100, None), True),  # two open intervals always meet
        ((23, 23), (41, None), False),
        ((7, None), (0, 5), False),  # "at least seven" and "up to five"
        ((405, 495), (445, 455), True),  # "about 450" and "450"
        ((12, 12), (13, 13), False),
        ((0, 10), (10, None), True),  # inclusive bounds touch
    ],
)
def test_numbers_match_when_their_intervals_overlap(
    a: tuple[float, float | None], b: tuple[float, float | None], matched: bool
) -> None:
    assert bool(match([gold("killed", *a)], [got("killed", *b)]).matched) is matched
    assert bool(match([gold("killed", *b)], [got("killed", *a)]).matched) is matched


def test_document_and_measure_must_agree() -> None:
    target = gold("killed", 7, 7)
    for other in (got("injured", 7, 7), got("killed", 7, 7, doc="other")):
        matching = match([target], [other])
        assert (matching.missed, matching.spurious) == ((target,), (other,))


def test_equal_intervals_are_preferred_and_each_fact_is_used_once() -> None:
    # "more than 40" overlaps both gold figures, "41" only the first: best pairs first.
    exact, open_ended = gold("killed", 41, 41), gold("killed", 50, None)
    vague, precise = got("killed", 41, None), got("killed", 41, 41)
    matching = match([exact, open_ended], [vague, precise])
    assert set(matching.matched) == {(exact, precise), (open_ended, vague)}


def test_a_duplicate_extraction_is_a_false_positive() -> None:
    matching = match([gold("killed", 12, None)], [got("killed", 12, 12, name="a"),
                                                  got("killed", 12, 12, name="b")])  # fmt: skip
    assert (len(matching.matched), len(matching.spurious), len(matching.missed)) == (1, 1, 0)


@pytest.mark.parametrize(
    ("wanted", "found", "matched"),
    [
        ("Jean-Baptiste Kamanzi", "Minister Jean-Baptiste Kamanzi", True),
        ("Jean-Baptiste Kamanzi", "Kamanzi", True),  # either way round
        ("Nairobi", "NAIROBI.", True),
        ("Nairobi", "Nairobi, Kenya", True),
        ("Sévaré", "Sevare", True),  # folded to ASCII
        ("Goma", "Gomagoma", False),  # whole words only
        ("Kenya", "the African Union", False),
        ("Nairobi", "", False),
        ("Nairobi", "—", False),
    ],
)
def test_fields_match_as_whole_words_either_way(wanted: str, found: str, matched: bool) -> None:
    assert (
        bool(match([field_gold("venue", wanted)], [field_got("venue", found)]).matched) is matched
    )


def test_a_field_matches_an_alternative_and_needs_its_field_and_type() -> None:
    venue = field_gold("venue", "Nairobi", "Kenya's capital")
    assert pairs(match([venue], [field_got("venue", "the Kenya's capital city")])) == [
        (("venue", "Nairobi"), ("venue", "the Kenya's capital city"))
    ]
    assert not match([venue], [field_got("mediator", "Nairobi")]).matched
    assert not match([venue], [field_got("venue", "Nairobi", "territorial_claim")]).matched


def test_numbers_and_fields_never_match_each_other() -> None:
    matching = match([gold("killed", 7, 7)], [field_got("venue", "7", record_type="casualty")])
    assert not matching.matched


def test_an_exact_field_is_preferred_to_a_contained_one() -> None:
    wanted = [field_gold("party", "the government"), field_gold("party", "the government army")]
    found = [field_got("party", "the government army"), field_got("party", "the government")]
    assert sorted(pairs(match(wanted, found))) == [
        (("party", "the government"), ("party", "the government")),
        (("party", "the government army"), ("party", "the government army")),
    ]


def test_counts() -> None:
    assert (Counts(0, 0, 3).precision, Counts(0, 2, 0).recall, Counts().f1) == (None, None, None)
    assert Counts(0, 2, 3).f1 == 0.0
    assert Counts(3, 1, 2).precision == 0.75 and Counts(3, 1, 2).recall == 0.6
    assert Counts(1, 2, 3) + Counts(1, 0, 1) == Counts(2, 2, 4)
    assert Counts(1, 1, 0).to_dict() == {"gold": 1, "extracted": 2, "tp": 1, "fp": 1, "fn": 0,
                                         "precision": 0.5, "recall": 1.0, "f1": 2 / 3}  # fmt: skip


# ----------------------------------------------------------------------------- clustering


def test_clustering_counts_pairs_of_matched_figures() -> None:
    golds = [
        gold("killed", 23, 23, "wire", "G1"), gold("injured", 41, None, "wire", "G1"),
        gold("killed", 25, 25, "local", "G1"), gold("killed", 4, 4, "local", "G2"),
        gold("killed", 900, None, "local", "G1", scope=Scope.WIDER),  # not the incident's own
        gold("killed", 9, 9, "radio", "G1"),  # extracted without an incident
    ]  # fmt: skip
    found = [
        got("killed", 23, 23, "wire", "inc-a"), got("injured", 41, None, "wire", "inc-a"),
        got("killed", 25, 25, "local", "inc-a"), got("killed", 4, 4, "local", "inc-a"),
        got("killed", 900, None, "local", "inc-a"), got("killed", 9, 9, "radio", None),
    ]  # fmt: skip
    matching = match(golds, found)
    assert len(matching.matched) == 6
    # G1 figures: wire killed, wire injured, local killed (joined: 3 pairs), radio (3 pairs not
    # joined); G2's figure joined with each of the three G1 figures in inc-a: 3 false pairs.
    assert clustering(matching) == Counts(tp=3, fp=3, fn=3)


def test_two_figures_of_one_measure_in_one_document_are_not_a_pair() -> None:
    golds = [gold("killed", 23, 23, "wire", "G1"), gold("killed", 25, 25, "wire", "G1")]
    found = [got("killed", 23, 23, "wire", "inc-a"), got("killed", 25, 25, "wire", "inc-b")]
    assert clustering(match(golds, found)) == Counts()


# ----------------------------------------------------------------------------- a real database

WIRE = ("Shelling killed 23 people in Goma on Saturday, officials said. "
        "More than 40 were wounded. About 300 families fled.")  # fmt: skip
LOCAL = "The toll in Goma rose to 25 dead, a hospital said."
TALKS = ("Talks opened in Nairobi, mediated by Kenya; the government team was led by "
         "Jean-Baptiste Kamanzi.")  # fmt: skip


def insert(con: duckdb.DuckDBPyConnection, table: str, **row: Any) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def document(con: duckdb.DuckDBPyConnection, document_id: str, text: str) -> None:
    insert(con, "documents", document_id=document_id, source_path=f"{document_id}.txt", part=1,
           source_format="text", language="en", language_source="default",
           text_sha256="0" * 64, chars=len(text), status="ok", model="test-model",
           prompt_version="p0", schema_version="2", text=text)  # fmt: skip


def fact(con: duckdb.DuckDBPyConnection, document_id: str, text: str, sentence: str, n: int,
         measure: str, lo: float, hi: float | None, incident: str | None) -> None:  # fmt: skip
    start = text.index(sentence)
    insert(con, "facts", fact_id=f"{document_id}:{n}:{measure}", document_id=document_id,
           record_id=f"{document_id}:{n}", record_type="casualty", field=measure,
           measure=measure, value_min=lo, value_max=hi, qualifier="exact", unit="count",
           phrase=str(lo), scope="incident", reason="test", incident_id=incident,
           quote=sentence, char_start=start, char_end=start + len(sentence),
           phrase_start=start, phrase_end=start + 1)  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claimdiff.duckdb"
    store = Store(path).open()
    with store.writer() as con:
        assert con is not None
        for document_id, text in (("wire", WIRE), ("local", LOCAL), ("talks", TALKS),
                                  ("unannotated", "Nine people were hurt.")):  # fmt: skip
            document(con, document_id, text)
        killed, injured = WIRE.split(". ")[0] + ".", "More than 40 were wounded."
        fact(con, "wire", WIRE, killed, 1, "killed", 23, 23, "inc-a")
        fact(con, "wire", WIRE, injured, 2, "injured", 41, None, "inc-a")
        fact(con, "wire", WIRE, injured, 3, "missing", 5, 5, "inc-a")  # not in the gold
        fact(con, "local", LOCAL, LOCAL, 1, "killed", 25, 25, "inc-a")
        insert(con, "talks", record_id="talks:1", document_id="talks", venue="Nairobi",
               parties=[{"side": "the government", "head": "Jean-Baptiste Kamanzi"}],
               mediators=["Kenya", "the African Union"], quote=TALKS, char_start=0,
               char_end=len(TALKS))  # fmt: skip
        insert(con, "divergences", kind="number", incident_id="inc-a", incident="Goma shelling",
               measure="killed", n_documents=2, n_outlets=2, n_languages=1, reports=[],
               verdict="conflict")  # fmt: skip
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    killed = WIRE.split(". ")[0] + "."
    write_yaml(folder / "gold" / "wire.yaml", {"facts": [
        numeric("killed", 23, 23, killed, incident="G1"),
        numeric("injured", 41, None, "More than 40 were wounded.", incident="G1"),
        {**numeric("displaced", 270, 330, "About 300 families fled.", incident="G1"),
         "record_type": "displacement"},
    ]})  # fmt: skip
    write_yaml(folder / "gold" / "local.yaml", {"facts": [
        numeric("killed", 25, 25, LOCAL, incident="G1")]})  # fmt: skip
    write_yaml(folder / "gold" / "talks.yaml", {"facts": [
        {"record_type": "talks", "field": name, "value": value, "quote": TALKS, "incident": "T1"}
        for name, value in (("venue", "Nairobi"), ("mediator", "Kenya"),
                            ("head", "Jean-Baptiste Kamanzi"), ("party", "the government"))
    ]})  # fmt: skip
    write_yaml(folder / "gold" / "absent.yaml", {"facts": [numeric("killed", 3, 3)]})
    write_yaml(folder / "incidents" / "all.yaml", {
        "incidents": {"G1": {"label": "Shelling in Goma"}, "T1": {"label": "Talks in Nairobi"}},
        "divergences": [{"incident": "G1", "measure": "killed", "verdict": "conflict"},
                        {"incident": "G1", "measure": "injured", "verdict": "agree"}],
    })  # fmt: skip
    return folder


def test_a_database_scored_against_its_gold(db: Path, corpus: Path) -> None:
    report = evaluate_db(db, corpus)
    assert report.corpus == "corpus"
    assert report.numeric == Counts(tp=3, fp=1, fn=1)  # the displaced figure was not extracted
    assert report.fields == Counts(tp=4, fp=1, fn=0)  # "the African Union" is no gold mediator
    assert report.by_measure["killed"] == Counts(tp=2)
    assert report.by_measure["missing"] == Counts(fp=1)
    assert report.by_record_type["displacement"] == Counts(fn=1)
    assert report.by_language == {"en": Counts(tp=3, fp=1, fn=1)}
    assert (report.scope_right, report.scope_checked) == (3, 3)
    assert report.clustering == Counts(tp=3)
    assert report.verdicts == [
        {"incident": "G1", "measure": "killed", "expected": "conflict", "found": "conflict",
         "right": True},
        {"incident": "G1", "measure": "injured", "expected": "agree", "found": None,
         "right": False},
    ]  # fmt: skip
    assert report.verdict_accuracy == 0.5
    assert report.grounding == (5, 5) and report.grounding_rate == 1.0
    assert "document absent not stored" in report.missed
    assert any("displaced" in m for m in report.missed)
    assert report.versions == {"model": "test-model", "prompt_version": "p0", "schema_version": "2"}
    assert json.loads(json.dumps(report.to_dict()))["all"]["tp"] == 7


def test_a_quote_off_its_span_lowers_the_grounding(db: Path, corpus: Path) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE facts SET char_start = char_start + 1 WHERE fact_id = 'local:1:killed'")
    assert evaluate_db(db, corpus).grounding == (4, 5)


def test_a_database_without_the_corpus_is_refused(tmp_path: Path, corpus: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    Store(empty).open()
    with pytest.raises(GoldError, match="holds none of the 4 documents of corpus 'corpus'"):
        evaluate_db(empty, corpus)


def test_a_missing_database_is_a_store_error(tmp_path: Path, corpus: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        evaluate_db(tmp_path / "absent.duckdb", corpus)
    assert not (tmp_path / "absent.duckdb").exists()


def test_scores_are_appended_to_eval_runs(db: Path, corpus: Path) -> None:
    report = evaluate_db(db, corpus)
    first, second = save_eval_run(db, report), save_eval_run(db, report)
    assert first != second
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT eval_id, corpus, model, numeric_precision, numeric_recall, all_f1, "
            "cluster_precision, verdict_accuracy, grounding_rate, details FROM eval_runs "
            "ORDER BY eval_id"
        ).fetchall()
    assert [r[0] for r in rows] == sorted([first, second])
    _, corpus_name, model, precision, recall, all_f1, cluster, verdict, grounding, details = rows[0]
    assert (corpus_name, model, precision, recall) == ("corpus", "test-model", 0.75, 0.75)
    assert all_f1 == pytest.approx(2 * 7 / (2 * 7 + 2 + 1))
    assert (cluster, verdict, grounding) == (1.0, 0.5, 1.0)
    assert json.loads(details)["numeric"]["tp"] == 3


def test_evaluate_on_an_open_connection(db: Path, corpus: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        report = evaluate(con, load_gold(corpus))
    assert report.numeric.tp == 3
