"""The DuckDB store on a real database file: rows written, replaced, rolled back, queried."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.rows import facts_of
from pipeline.sources import Document
from pipeline.store import DocumentMeta, Failure, Store, StoreError, query
from schemas import (
    Attack,
    Casualty,
    Evidence,
    Match,
    Measure,
    Qualifier,
    Quantity,
    Record,
    Unit,
)

TEXT = (
    "KYIV, Ukraine — At least seven people were killed and 69 injured in Bryansk, officials "
    "said. Ukraine launched 117 drones at airfields and hit 41 aircraft, the SBU said. "
    "Russia fired 90 drones overnight and air defences shot down 47 of them."
)
RECORD_TABLES = ("casualties", "attacks", "talks", "territorial_claims")


def evidence(quote: str, attributed_to: str | None = None, text: str = TEXT) -> Evidence:
    start = text.index(quote)
    return Evidence(
        quote=quote, char_start=start, char_end=start + len(quote), attributed_to=attributed_to
    )


def count(phrase: str, value_min: float, value_max: float | None, qualifier: Qualifier) -> Quantity:
    return Quantity(
        value_min=value_min,
        value_max=value_max,
        qualifier=qualifier,
        unit=Unit.COUNT,
        phrase=phrase,
    )


CASUALTY = Casualty(
    evidence=evidence(
        "At least seven people were killed and 69 injured in Bryansk, officials said.", "officials"
    ),
    victims="people",
    location="Bryansk",
    killed=count("At least seven", 7, None, Qualifier.AT_LEAST),
    injured=count("69", 69, 69, Qualifier.EXACT),
)
SPIDERWEB = Attack(
    evidence=evidence("Ukraine launched 117 drones at airfields and hit 41 aircraft", "SBU"),
    actor="Ukraine",
    weapon="drones",
    target="aircraft",
    launched=count("117", 117, 117, Qualifier.EXACT),
    hit=count("41", 41, 41, Qualifier.EXACT),
)
BARRAGE = Attack(
    evidence=evidence("Russia fired 90 drones overnight and air defences shot down 47 of them."),
    actor="Russia",
    weapon="drones",
    launched=count("90", 90, 90, Qualifier.EXACT),
    downed=count("47", 47, 47, Qualifier.EXACT),
)
RECORDS: list[Record] = [CASUALTY, SPIDERWEB, BARRAGE]
N_FACTS = 6


def document(document_id: str = "kyiv-1", text: str = TEXT) -> Document:
    return Document(
        document_id=document_id,
        source_path=f"seeds/{document_id}.txt",
        part=1,
        outlet="Example Wire",
        title="Overnight",
        published=None,
        dateline="KYIV, Ukraine",
        text=text,
    )


def meta(run_id: str = "run-1", status: Any = "ok") -> DocumentMeta:
    return DocumentMeta(
        run_id=run_id,
        model="m",
        prompt_version="p1",
        schema_version="1",
        relevant=True,
        relevance_score=0.9,
        status=status,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "claimdiff.duckdb"


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    return query(db, sql)[1]


def counts(db: Path) -> dict[str, int]:
    tables = ("documents", "facts", "failures", *RECORD_TABLES)
    return {t: rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every document table, in a stable order."""
    tables = ("documents", "facts", *RECORD_TABLES)
    out = {t: rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
    out["failures"] = rows(
        db, "SELECT document_id, stage, reason FROM failures ORDER BY document_id, stage"
    )
    return out


# --- rows.facts_of: the measure vocabulary -------------------------------------------------


def quoting(record: Record, quote: str) -> Record:
    """The same record (same model fields), quoting other words."""
    return record.model_copy(update={"evidence": evidence(quote, text=quote)})


def test_facts_of_names_measures_by_the_quotes_nouns_and_verbs() -> None:
    assert [f.measure for f in facts_of(CASUALTY)] == [Measure.KILLED, Measure.INJURED]
    assert [f.measure for f in facts_of(SPIDERWEB)] == [
        Measure.DRONES_LAUNCHED,
        Measure.AIRCRAFT_HIT,
    ]
    assert [f.measure for f in facts_of(BARRAGE)] == [
        Measure.DRONES_LAUNCHED,
        Measure.DRONES_DOWNED,
    ]
    missiles = quoting(
        BARRAGE, "Russia fired 90 cruise missiles at power plants; air defences shot down 47."
    )
    assert [f.measure for f in facts_of(missiles)] == [
        Measure.MISSILES_LAUNCHED,
        Measure.MISSILES_DOWNED,
    ]
    refinery = quoting(SPIDERWEB, "Russia launched 117 air attack weapons and hit 41 refineries")
    assert [f.measure for f in facts_of(refinery)] == [
        Measure.WEAPONS_LAUNCHED,
        Measure.TARGETS_HIT,
    ]


def test_the_models_fields_name_the_measure_only_where_the_words_are_silent() -> None:
    silent = quoting(SPIDERWEB, "The SBU counted 117 and 41, Ukraine said")
    assert [f.measure for f in facts_of(silent)] == [
        Measure.DRONES_LAUNCHED,
        Measure.AIRCRAFT_HIT,
    ]
    unknown = silent.model_copy(update={"weapon": None, "target": "oil refinery"})
    assert [f.measure for f in facts_of(unknown)] == [
        Measure.WEAPONS_LAUNCHED,
        Measure.TARGETS_HIT,
    ]
    # The words win over the model's field: "seven missiles" filed as drones downed.
    misfiled = quoting(
        BARRAGE.model_copy(update={"launched": count("472", 472, 472, Qualifier.EXACT),
                                   "downed": count("seven", 7, 7, Qualifier.EXACT)}),
        "Russia launched a record 472 drones and seven missiles against Ukraine",
    )  # fmt: skip
    assert [(f.measure, f.quantity.value_min) for f in facts_of(misfiled)] == [
        (Measure.DRONES_LAUNCHED, 472),
        (Measure.MISSILES_LAUNCHED, 7),
    ]


def test_hitting_anti_aircraft_systems_is_not_aircraft_hit() -> None:
    air_defence = quoting(SPIDERWEB, "Ukraine launched 117 drones and hit 41 anti-aircraft systems")
    assert [f.measure for f in facts_of(air_defence)][1] == Measure.TARGETS_HIT


# --- save_document --------------------------------------------------------------------------


def test_save_document_writes_documents_records_and_facts(db: Path) -> None:
    with Store(db) as store:
        assert store.save_document(document(), meta(), RECORDS) == N_FACTS

    [doc] = rows(
        db,
        "SELECT document_id, source_path, part, outlet, dateline, status, relevant, run_id, "
        "chars, text_sha256, text FROM documents",
    )
    source = document()
    assert doc == (
        "kyiv-1", "seeds/kyiv-1.txt", 1, "Example Wire", "KYIV, Ukraine", "ok", True, "run-1",
        len(TEXT), source.text_sha256, TEXT,
    )  # fmt: skip

    assert rows(
        db,
        "SELECT record_id, victims, location, killed_min, killed_max, killed_qualifier, "
        "killed_phrase, injured_min, injured_max, injured_qualifier, attributed_to, match "
        "FROM casualties",
    ) == [
        ("kyiv-1:1", "people", "Bryansk", 7.0, None, "at_least", "At least seven",
         69.0, 69.0, "exact", "officials", Match.EXACT.value),
    ]  # fmt: skip
    assert rows(
        db,
        "SELECT record_id, actor, weapon, target, launched_min, hit_min, hit_phrase, downed_min "
        "FROM attacks ORDER BY record_id",
    ) == [
        ("kyiv-1:2", "Ukraine", "drones", "aircraft", 117.0, 41.0, "41", None),
        ("kyiv-1:3", "Russia", "drones", None, 90.0, None, None, 47.0),
    ]
    assert rows(db, "SELECT count(*) FROM talks")[0][0] == 0

    facts = rows(
        db,
        "SELECT fact_id, record_type, measure, value_min, value_max, qualifier, unit, phrase "
        "FROM facts ORDER BY fact_id",
    )
    assert facts == [
        ("kyiv-1:1:injured", "casualty", "injured", 69.0, 69.0, "exact", "count", "69"),
        ("kyiv-1:1:killed", "casualty", "killed", 7.0, None, "at_least", "count",
         "At least seven"),
        ("kyiv-1:2:aircraft_hit", "attack", "aircraft_hit", 41.0, 41.0, "exact", "count", "41"),
        ("kyiv-1:2:drones_launched", "attack", "drones_launched", 117.0, 117.0, "exact",
         "count", "117"),
        ("kyiv-1:3:drones_downed", "attack", "drones_downed", 47.0, 47.0, "exact", "count",
         "47"),
        ("kyiv-1:3:drones_launched", "attack", "drones_launched", 90.0, 90.0, "exact", "count",
         "90"),
    ]  # fmt: skip


def test_stored_spans_index_the_stored_text(db: Path) -> None:
    with Store(db) as store:
        store.save_document(document(), meta(), RECORDS)
    for table in ("facts", "casualties", "attacks"):
        spans = rows(
            db,
            f"SELECT t.quote, t.char_start, t.char_end, d.text FROM {table} t "
            "JOIN documents d USING (document_id)",
        )
        assert spans
        for quote, start, end, text in spans:
            assert text[start:end] == quote


def test_fact_context_columns(db: Path) -> None:
    with Store(db) as store:
        store.save_document(document(), meta(), RECORDS)
    assert rows(
        db,
        "SELECT fact_id, incident, location, actor, attributed_to, incident_id FROM facts "
        "WHERE measure IN ('killed', 'aircraft_hit') ORDER BY fact_id",
    ) == [
        ("kyiv-1:1:killed", "people, Bryansk", "Bryansk", None, "officials", None),
        ("kyiv-1:2:aircraft_hit", "aircraft", None, "Ukraine", "SBU", None),
    ]


def test_saving_again_replaces_the_documents_rows(db: Path) -> None:
    with Store(db) as store:
        store.save_document(document(), meta("run-1"), RECORDS)
        store.save_document(document("other"), meta("run-1"), [CASUALTY])
    before = snapshot(db)
    assert counts(db)["facts"] == N_FACTS + 2

    with Store(db) as store:
        assert store.save_document(document(), meta("run-1"), RECORDS) == N_FACTS
    assert snapshot(db) == before

    with Store(db) as store:  # a later run that finds less: old rows must not linger
        assert store.save_document(document(), meta("run-2"), [CASUALTY]) == 2
    assert counts(db) == {
        "documents": 2, "facts": 4, "failures": 0, "casualties": 2, "attacks": 0,
        "talks": 0, "territorial_claims": 0,
    }  # fmt: skip
    assert rows(db, "SELECT document_id, run_id FROM documents ORDER BY ALL") == [
        ("kyiv-1", "run-2"),
        ("other", "run-1"),
    ]


def test_save_document_stores_its_failures_and_replaces_old_ones(db: Path) -> None:
    old = Failure("kyiv-1", "seeds/kyiv-1.txt", "validation", "old reason", 0, "casualty")
    new = Failure("kyiv-1", "seeds/kyiv-1.txt", "validation", "new reason", 2, "attack")
    with Store(db) as store:
        store.save_document(document(), meta("run-1", "partial"), [CASUALTY], [old])
        store.save_document(document(), meta("run-2", "partial"), [CASUALTY], [new])
    assert rows(
        db, "SELECT run_id, document_id, stage, chunk_index, record_type, reason FROM failures"
    ) == [("run-2", "kyiv-1", "validation", 2, "attack", "new reason")]


# A document whose save fails part-way, after its old rows were deleted: at the documents row
# (status is NOT NULL); after its documents, record and fact rows were written (a failure's
# reason is NOT NULL); or by a Python error there, which DuckDB does not roll back by itself.
FAILING_SAVES = {
    "documents row": (meta("run-2", status=None), (), "NOT NULL"),
    "failures row": (meta("run-2"), [Failure("kyiv-1", None, "validation", None)], "NOT NULL"),  # type: ignore[arg-type]
    "crash": (meta("run-2"), [object()], "has no attribute"),
}


@pytest.mark.parametrize("where", FAILING_SAVES)
def test_failed_save_rolls_back_and_keeps_previous_rows(db: Path, where: str) -> None:
    with Store(db) as store:
        store.save_document(document(), meta("run-1"), [CASUALTY, BARRAGE])
        store.save_document(document("other"), meta("run-1"), [SPIDERWEB])
    before = snapshot(db)

    bad_meta, failures, error = FAILING_SAVES[where]
    with Store(db) as store:
        with pytest.raises(Exception, match=error):
            store.save_document(document(), bad_meta, RECORDS, failures)  # type: ignore[arg-type]
        # the connection is still usable after the rollback
        assert store.save_document(document("third"), meta("run-2"), [CASUALTY]) == 2

    after = snapshot(db)
    for table, table_rows in before.items():
        assert [r for r in after[table] if "third" not in r] == table_rows, table
    assert rows(db, "SELECT run_id FROM documents WHERE document_id = 'kyiv-1'") == [("run-1",)]


def test_failed_save_of_a_new_document_leaves_nothing_behind(db: Path) -> None:
    with Store(db) as store, pytest.raises(Exception, match="NOT NULL"):
        store.save_document(document(), meta(status=None), RECORDS)
    assert all(n == 0 for n in counts(db).values())


# --- record_failure -------------------------------------------------------------------------


def test_record_failure_keeps_the_documents_rows(db: Path) -> None:
    with Store(db) as store:
        store.save_document(document(), meta("run-1"), RECORDS)
    before = snapshot(db)

    failure = Failure("kyiv-1", "seeds/kyiv-1.txt", "transport", "HTTP 503 after 3 attempts")
    with Store(db) as store:
        store.record_failure("run-2", failure)
        store.record_failure("run-3", failure)  # the same stage again replaces, not appends
        store.record_failure("run-3", Failure("kyiv-1", None, "read", "not UTF-8 text"))

    after = snapshot(db)
    assert {t: r for t, r in after.items() if t != "failures"} == {
        t: r for t, r in before.items() if t != "failures"
    }
    assert rows(db, "SELECT run_id, stage, reason FROM failures ORDER BY stage") == [
        ("run-3", "read", "not UTF-8 text"),
        ("run-3", "transport", "HTTP 503 after 3 attempts"),
    ]


# --- runs -----------------------------------------------------------------------------------


def test_start_and_finish_run(db: Path) -> None:
    with Store(db) as store:
        store.start_run("run-1", model="m", endpoint="embedded")
        store.finish_run("run-1", documents=3, facts=6)
    [(model, endpoint, documents, facts, started, finished)] = rows(
        db, "SELECT model, endpoint, documents, facts, started_at, finished_at FROM runs"
    )
    assert (model, endpoint, documents, facts) == ("m", "embedded", 3, 6)
    assert started <= finished


# --- query ----------------------------------------------------------------------------------


def test_query_returns_columns_and_rows(db: Path) -> None:
    with Store(db) as store:
        store.save_document(document(), meta(), RECORDS)
    columns, result = query(db, "SELECT measure, value_min FROM facts WHERE measure = 'killed'")
    assert columns == ["measure", "value_min"]
    assert result == [("killed", 7.0)]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM facts",
        "INSERT INTO runs (run_id, started_at) VALUES ('x', now())",
        "DROP TABLE facts",
    ],
)
def test_query_is_read_only(db: Path, sql: str) -> None:
    with Store(db) as store:
        store.save_document(document(), meta(), RECORDS)

    with pytest.raises(StoreError, match="read-only"):
        query(db, sql)

    assert counts(db)["facts"] == N_FACTS
    assert rows(db, "SELECT count(*) FROM runs") == [(0,)]


def test_query_on_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(StoreError, match=r"no database at .*nowhere\.duckdb.*claimdiff run"):
        query(missing, "SELECT 1")
    assert not missing.exists()  # a query must not create an empty database


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("SELEC * FROM facts", "syntax error"),
        ("SELECT * FROM no_such_table", "no_such_table"),
        ("SELECT no_such_column FROM facts", "no_such_column"),
    ],
)
def test_bad_sql_raises_store_error(db: Path, sql: str, says: str) -> None:
    with Store(db):
        pass
    with pytest.raises(StoreError, match=says) as raised:
        query(db, sql)
    assert type(raised.value) is StoreError
    assert "Traceback" not in str(raised.value)


def test_store_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.duckdb"
    junk.write_text("these are not the tables you are looking for\n" * 50, encoding="utf-8")
    with pytest.raises(StoreError, match=r"cannot open database .*notes\.duckdb"):
        Store(junk)
    with pytest.raises(StoreError):
        query(junk, "SELECT 1")
