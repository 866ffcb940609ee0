"""The store on real DuckDB files in tmp_path: rows as the data classes say, replacements,
read failures, the schema checks and their exit codes, the run lock, and the insert path's
typing (columns NULL at first, lists, structs, dates)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.store import (
    EX_CANTCREAT,
    EX_DATAERR,
    EX_TEMPFAIL,
    Store,
    StoreBusy,
    StoreCannotWrite,
    StoreError,
    StoreNotOurs,
    classify,
    connect_read_only,
)
from pipeline.store.synthetic import FACTS_PER_DOCUMENT, RECORDS_PER_DOCUMENT, outcome
from pipeline.store.tables import Source, insert
from schemas import (
    Document,
    Evidence,
    Failure,
    Interpretation,
    Outcome,
    Party,
    Place,
    PlacePrecision,
    Record,
    ResolvedPlace,
)


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def store_of(tmp_path: Path, *outcomes: Outcome) -> tuple[Store, Path]:
    db = tmp_path / "claimdiff.duckdb"
    store = Store(db).open()
    store.pending.extend(outcomes)
    store.flush(force=True)
    return store, db


def test_a_documents_rows_are_what_its_outcome_says(tmp_path: Path) -> None:
    item = outcome(3, run_id="r1")
    _, db = store_of(tmp_path, item)
    document = item.document
    assert query(db, "SELECT document_id, source_path, outlet, published, text, text_sha256, "
                     "chars, status, relevant, relevance_score, run_id FROM documents") == [
        (document.document_id, document.source_path, document.outlet, document.published,
         document.text, document.text_sha256, document.chars, "ok", True, 0.9, "r1"),
    ]  # fmt: skip
    assert item.interpretation is not None
    facts = {f.fact_id: f for f in item.interpretation.facts}
    records = {r.record_id: r for r in item.interpretation.records}
    stored = query(db, "SELECT fact_id, record_id, measure, value_min, value_max, qualifier, "
                       "unit, phrase, scope, location, place_id, country, event_type, "
                       "event_date, language, quote, char_start, char_end, phrase_start, "
                       "phrase_end, attributed_to, incident_id FROM facts")  # fmt: skip
    assert len(stored) == len(facts) == FACTS_PER_DOCUMENT
    for row in stored:
        fact = facts[row[0]]
        record = records[fact.record_id]
        assert record.location is not None and record.location.place is not None
        assert record.date is not None
        q, ev = fact.quantity, fact.evidence
        assert row[1:] == (
            fact.record_id, fact.measure, q.value_min, q.value_max, q.qualifier.value,
            q.unit.value, q.phrase, fact.scope.value, record.location.text,
            record.location.place.place_id, record.location.place.country, record.event_type,
            record.date.date, "en", ev.quote, ev.char_start, ev.char_end, fact.phrase_start,
            fact.phrase_end, ev.attributed_to, None,
        )  # fmt: skip
        assert document.text[row[16] : row[17]] == row[15]  # the quote is its span
    casualty = next(r for r in records.values() if r.record_type == "casualty")
    [row] = query(db, "SELECT killed_min, killed_max, killed_qualifier, killed_phrase, "
                      "missing_min, location, place_id, place_precision, place_candidates, "
                      "event_date_precision, event_family, actors, attributed_to "
                      f"FROM casualties WHERE record_id = '{casualty.record_id}'")  # fmt: skip
    killed, where = casualty.values["killed"], casualty.location
    assert where is not None and where.place is not None
    assert row == (killed.value_min, killed.value_max, "exact", killed.phrase, None, where.text,
                   where.place.place_id, "settlement", None, "day", "explosions_remote_violence",
                   [], "officials")  # fmt: skip
    assert query(db, "SELECT count(*) FROM casualties")[0][0] + query(
        db, "SELECT count(*) FROM attacks")[0][0] == RECORDS_PER_DOCUMENT  # fmt: skip
    assert query(db, "SELECT DISTINCT actors FROM attacks") == [(["the RSF"],)]


def test_lists_structs_and_ambiguous_places_are_stored_as_such(tmp_path: Path) -> None:
    text = "Talks between Khartoum and Port Sudan opened in Jeddah, mediated by Egypt and the UN."
    document = Document("talks-1", "talks-1.txt", text, published=date(2025, 3, 1))
    jeddah = Place("gn:105343", "Jeddah", "SA", "SA.14", "Makkah", 21.5, 39.2,
                     PlacePrecision.SETTLEMENT)  # fmt: skip
    other = replace(jeddah, place_id="gn:1", name="Jeddah (elsewhere)")
    record = Record(
        "talks-1:1", "talks-1", "talks", Evidence(text, 0, len(text)),
        {"venue": ResolvedPlace("Jeddah", None, (jeddah, other), "two places"),
         "parties": (Party("Khartoum", None), Party("Port Sudan", "a minister")),
         "mediators": ("Egypt", "the UN")},
        location=ResolvedPlace("Jeddah", None, (jeddah, other), "two places"),
    )  # fmt: skip
    item = Outcome(document, "ok", True, 0.5, Interpretation("talks-1", (record,), ()))
    _, db = store_of(tmp_path, item)
    assert query(
        db, "SELECT venue, parties, mediators, place_id, place_candidates, place_reason FROM talks"
    ) == [
        (
            "Jeddah",
            [{"side": "Khartoum", "head": None}, {"side": "Port Sudan", "head": "a minister"}],
            ["Egypt", "the UN"],
            None,
            ["gn:105343", "gn:1"],
            "two places",
        ),
    ]


def test_a_fact_with_evidence_of_its_own_keeps_it(tmp_path: Path) -> None:
    item = outcome(0)
    assert item.interpretation is not None
    first = item.interpretation.facts[0]
    own = replace(first, evidence=Evidence(first.evidence.quote[:20], 0, 20, "someone else"))
    interpretation = replace(item.interpretation, facts=(own, *item.interpretation.facts[1:]))
    _, db = store_of(tmp_path, replace(item, interpretation=interpretation))
    assert query(db, f"SELECT quote, char_start, char_end, attributed_to FROM facts "
                     f"WHERE fact_id = '{first.fact_id}'") == [
        (first.evidence.quote[:20], 0, 20, "someone else")]  # fmt: skip


def test_a_re_extracted_document_replaces_its_rows_and_only_its_own(tmp_path: Path) -> None:
    store, db = store_of(tmp_path, *(outcome(n) for n in range(5)))
    before = query(db, "SELECT * FROM facts WHERE document_id <> 'doc-0000002' ORDER BY ALL")
    store.pending.append(outcome(2, version=1))
    store.flush(force=True)
    assert query(db, "SELECT count(*) FROM documents") == [(5,)]
    assert query(db, "SELECT count(*) FROM facts") == [(5 * FACTS_PER_DOCUMENT,)]
    assert (
        query(db, "SELECT * FROM facts WHERE document_id <> 'doc-0000002' ORDER BY ALL") == before
    )
    new = outcome(2, version=1).interpretation
    assert new is not None
    assert sorted(query(db, "SELECT value_min FROM facts WHERE document_id = 'doc-0000002'")) == (
        sorted((f.quantity.value_min,) for f in new.facts))  # fmt: skip
    # A new Store sees the replaced document as current, and replaces it again.
    again = Store(db).open()
    assert again.current["doc-0000002"].text_sha256 == outcome(2, version=1).document.text_sha256
    again.pending.append(outcome(2, version=2))
    again.flush(force=True)
    assert query(db, "SELECT count(*) FROM facts WHERE document_id = 'doc-0000002'") == [
        (FACTS_PER_DOCUMENT,)]  # fmt: skip


def test_a_document_twice_in_one_batch_keeps_its_last_outcome(tmp_path: Path) -> None:
    _, db = store_of(tmp_path, outcome(1), outcome(1, version=1))
    assert query(db, "SELECT count(*) FROM documents") == [(1,)]
    assert query(db, "SELECT text_sha256 FROM documents") == [
        (outcome(1, version=1).document.text_sha256,)]  # fmt: skip


def read_failure(document_id: str) -> Failure:
    return Failure(document_id, f"{document_id}.txt", "read", "not UTF-8 text")


def test_an_earlier_read_failure_goes_when_the_input_is_stored(tmp_path: Path) -> None:
    db = tmp_path / "claimdiff.duckdb"
    first = Store(db).open()
    first.add_failure("run-1", read_failure("doc-0000001"))
    first.add_failure("run-1", read_failure("unfixed"))
    first.flush(force=True)
    second = Store(db).open()
    assert second.unread == {"doc-0000001", "unfixed"}
    second.pending.append(outcome(1, run_id="run-2"))
    second.add_failure("run-2", read_failure("unfixed"))  # refused again: replaced
    second.flush(force=True)
    assert query(db, "SELECT run_id, document_id FROM failures") == [("run-2", "unfixed")]


def test_a_refusal_of_this_run_survives_the_document_with_its_id(tmp_path: Path) -> None:
    # Two files with one id: the second is refused, the first stored in a later commit.
    db = tmp_path / "claimdiff.duckdb"
    store = Store(db).open()
    store.add_failure("run-1", read_failure("doc-0000001"))
    store.flush(force=True)
    store.pending.append(outcome(1, run_id="run-1"))
    store.flush(force=True)
    assert query(db, "SELECT run_id, document_id FROM failures") == [("run-1", "doc-0000001")]
    # … and when that document is replaced in the same run.
    store.pending.append(outcome(1, run_id="run-1", version=1))
    store.flush(force=True)
    assert query(db, "SELECT run_id, document_id FROM failures") == [("run-1", "doc-0000001")]


def test_the_insert_types_columns_from_every_row(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute("CREATE TABLE t (a VARCHAR, b DOUBLE, c DATE, d VARCHAR[], "
                "e STRUCT(side VARCHAR, head VARCHAR)[], f INTEGER, g BOOLEAN, "
                "h VARCHAR)")  # fmt: skip
    n = 3000
    rows = [
        (None if i < n - 1 else "late", 1 if i % 2 else 2.5, None if i < 10 else date(2024, 1, 2),
         () if i < n - 1 else ("x", "y"), [{"side": "A", "head": None}] if i < n - 1
         else [{"side": "B", "head": "Z"}], None if i < n - 1 else 7, i % 3 == 0, None)
        for i in range(n)
    ]  # fmt: skip
    insert(con, "t", "abcdefgh", rows)
    assert con.execute("SELECT count(*), count(a), sum(b), count(c), min(c), sum(f), "
                       "count(*) FILTER (g), count(h) FROM t").fetchone() == (
        n, 1, 1500 * 1 + 1500 * 2.5, n - 10, date(2024, 1, 2), 7, 1000, 0)  # fmt: skip
    assert con.execute("SELECT d, e FROM t WHERE a = 'late'").fetchone() == (
        ["x", "y"], [{"side": "B", "head": "Z"}])  # fmt: skip
    assert con.execute("SELECT DISTINCT d FROM t WHERE a IS NULL").fetchall() == [([],)]
    con.close()
    with pytest.raises(ValueError, match="column names"):
        Source(("a", "b"), [(1,)])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_files_that_are_not_ours_are_refused_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE documents (id INTEGER, body VARCHAR)")
    older = tmp_path / "older.duckdb"
    with duckdb.connect(str(older)) as con:
        for table in ("documents", "facts", "runs"):
            con.execute(f"CREATE TABLE {table} (id INTEGER)")
    notes = tmp_path / "notes.duckdb"
    notes.write_text("my notes, not a database\n" * 50)
    expected = {foreign: "another program", older: "older claimdiff", notes: "not a DuckDB"}
    for path, words in expected.items():
        before = digest(path)
        with pytest.raises(StoreNotOurs, match=words) as raised:
            Store(path).open()
        assert raised.value.exit_code == EX_DATAERR == 65
        assert "\n" not in str(raised.value)
        assert digest(path) == before
        assert not path.with_name(path.name + ".wal").exists()
        with pytest.raises(StoreNotOurs, match=words):
            connect_read_only(path)


def test_a_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "claimdiff.duckdb"
    Store(db).open()
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreNotOurs, match="schema version 999"):
        Store(db).open()


def test_errors_are_classified_into_exit_codes(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    cases = {
        'IO Error: Could not set lock on file "x": Conflicting lock is held': StoreBusy,
        'TransactionContext Error: Failed to commit: Could not write file "x.wal": No space '
        "left on device": StoreCannotWrite,
        'IO Error: Cannot open file "x": Read-only file system': StoreCannotWrite,
        'IO Error: Cannot open file "x": Permission denied': StoreCannotWrite,
        'IO Error: The file "x" exists, but it is not a valid DuckDB database file!': StoreNotOurs,
    }
    for text, kind in cases.items():
        found = classify(path, duckdb.IOException(text))
        assert type(found) is kind, text
        assert "\n" not in str(found) and str(path) in str(found)
    assert classify(path, OSError(28, "No space left on device")).exit_code == EX_CANTCREAT
    assert StoreBusy("x").exit_code == EX_TEMPFAIL == 75
    assert StoreCannotWrite("x").exit_code == EX_CANTCREAT == 73
    assert isinstance(classify(path, duckdb.Error("something else\nsecond line")), StoreError)
    assert "\n" not in str(classify(path, duckdb.Error("something else\nsecond line")))


def test_a_comparison_of_its_own_waits_for_no_run_and_keeps_a_runs_lock(tmp_path: Path) -> None:
    db = tmp_path / "claimdiff.duckdb"
    run = Store(db).open()
    run.start_run("run-1")
    with pytest.raises(StoreBusy, match="another claimdiff run"), Store(db).open().exclusive():
        pass
    with run.exclusive():  # the run's own comparison: it holds the lock already
        pass
    assert run.run_lock.held  # ... and still does
    run.finish_run("run-1", documents=0)
    other = Store(db).open()
    with other.exclusive():
        assert other.run_lock.held
    assert not other.run_lock.held


def test_one_run_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "claimdiff.duckdb"
    first = Store(db).open()
    first.start_run("run-1")
    second = Store(db).open()
    with pytest.raises(StoreBusy, match="another claimdiff run") as raised:
        second.start_run("run-2")
    assert raised.value.exit_code == 75
    first.finish_run("run-1", documents=0)
    second.start_run("run-2")
    second.finish_run("run-2", documents=0)
    assert [r[0] for r in query(db, "SELECT run_id FROM runs ORDER BY 1")] == ["run-1", "run-2"]
    assert all(r[0] is not None for r in query(db, "SELECT finished_at FROM runs"))


def test_a_busy_file_is_buffered_then_written_whole(tmp_path: Path) -> None:
    db = tmp_path / "claimdiff.duckdb"
    said: list[str] = []
    store = Store(db, on_wait=said.append).open()
    reader = connect_read_only(db)  # in this process: the writer cannot attach meanwhile
    store._last_flush = 0.0  # due at once
    store.add(outcome(0))
    assert store.pending and said and "extraction goes on" in said[0]
    for n in range(1, 4):
        store.add(outcome(n))
    reader.close()
    store._last_flush = 0.0
    store.add(outcome(4))
    assert not store.pending
    assert query(db, "SELECT count(*) FROM documents") == [(5,)]
    assert query(db, "SELECT count(*) FROM facts") == [(5 * FACTS_PER_DOCUMENT,)]


def test_a_reader_past_the_lock_timeout_is_a_busy_error(tmp_path: Path) -> None:
    db = tmp_path / "claimdiff.duckdb"
    said: list[str] = []
    store = Store(db, on_wait=said.append, lock_timeout=0.8).open()
    store.pending.append(outcome(0))
    reader = connect_read_only(db)
    try:
        with pytest.raises(StoreBusy, match="CLAIMDIFF_LOCK_TIMEOUT"):
            store.flush(force=True)
    finally:
        reader.close()
    assert said and "waiting to write" in said[0]
    assert store.pending  # nothing lost: the next flush writes it
    store.flush(force=True)
    assert query(db, "SELECT count(*) FROM documents") == [(1,)]
