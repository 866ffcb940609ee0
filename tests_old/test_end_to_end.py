"""The CLI on seeds/, replayed from the committed cassettes, checked in DuckDB."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import CASSETTES, SEEDS
from typer.testing import CliRunner

from pipeline.cli import app

BRYANSK = "004_4dfc51fa16fd28fe"
BRITAIN = "003_58c9597274ac7f2c.3"


def run_cli(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("e2e") / "claimdiff.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("CLAIMDIFF_CASSETTES_DIR", str(CASSETTES))
    try:
        code, output = run_cli(CliRunner(), "run", str(SEEDS), "--replay", "--db", str(db))
    finally:
        mp.undo()
    assert code == 0, output
    return db


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_seed_article_becomes_a_document(seeds_db: Path) -> None:
    documents = rows(seeds_db, "SELECT document_id, outlet FROM documents ORDER BY document_id")
    ids = [d for d, _ in documents]
    assert len(ids) == 9  # four plain files, and five articles on the aggregator page 003
    assert [d for d in ids if d.startswith("003_")] == [
        f"003_58c9597274ac7f2c.{n}" for n in range(1, 6)
    ]
    outlets = {d: o for d, o in documents}
    assert outlets["003_58c9597274ac7f2c.4"] == "Npr.org"
    assert outlets[BRYANSK] is None


def test_bryansk_bridge_casualties(seeds_db: Path) -> None:
    found = rows(
        seeds_db,
        f"""SELECT measure, value_min, value_max, qualifier, quote FROM facts
            WHERE document_id = '{BRYANSK}' AND measure IN ('killed', 'injured')
              AND quote LIKE '%Bryansk%'""",
    )
    by_measure = {m: (lo, hi, q) for m, lo, hi, q, _ in found}
    assert by_measure["killed"] == (7, None, "at_least")
    assert by_measure["injured"] == (69, 69, "exact")


def test_quotes_are_the_articles_own_text(seeds_db: Path) -> None:
    mismatched = rows(
        seeds_db,
        """SELECT f.fact_id FROM facts f JOIN documents d USING (document_id)
           WHERE substr(d.text, f.char_start + 1, f.char_end - f.char_start) <> f.quote""",
    )
    assert mismatched == []
    assert rows(seeds_db, "SELECT count(*) FROM facts")[0][0] >= 10


def test_off_topic_article_yields_no_records(seeds_db: Path) -> None:
    assert rows(
        seeds_db, f"SELECT relevant, status FROM documents WHERE document_id = '{BRITAIN}'"
    ) == [(False, "skipped")]
    for table in ("attacks", "casualties", "talks", "territorial_claims", "facts"):
        assert rows(seeds_db, f"SELECT count(*) FROM {table} WHERE document_id = '{BRITAIN}'") == [
            (0,)
        ]


def test_rerun_replaces_rows(seeds_db: Path, tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "again.duckdb"
    shutil.copy(seeds_db, db)
    before = rows(db, "SELECT count(*), sum(value_min) FROM facts")
    code, output = run_cli(
        runner, "run", str(SEEDS / f"{BRYANSK}.txt"), "--replay", "--db", str(db)
    )
    assert code == 0, output
    assert rows(db, "SELECT count(*), sum(value_min) FROM facts") == before
    assert rows(db, "SELECT count(*) FROM runs")[0][0] == 2


def test_bad_inputs_fail_alone(tmp_path: Path, runner: CliRunner) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / f"{BRYANSK}.txt", inbox)
    (inbox / "empty.txt").write_text("")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (inbox / "latin1.txt").write_bytes("Kyiv’s mayor said".encode("cp1252"))
    (inbox / "huge.txt").write_text("Drones struck Kyiv. " * 262_144)  # 5 MiB
    db = tmp_path / "db.duckdb"
    code, output = run_cli(
        runner, "run", str(inbox), str(tmp_path / "missing.txt"), "--replay", "--db", str(db)
    )
    assert code == 1, output
    failures = dict(rows(db, "SELECT document_id, reason FROM failures WHERE stage = 'read'"))
    assert set(failures) == {"empty", "binary", "latin1", "huge", "missing"}
    assert "empty" in failures["empty"]
    assert "binary" in failures["binary"]
    assert "UTF-8" in failures["latin1"] and "0x92" in failures["latin1"]
    assert "limit" in failures["huge"]
    assert "no such file" in failures["missing"]
    assert rows(db, "SELECT document_id, status IN ('ok', 'partial') FROM documents") == [
        (BRYANSK, True)
    ]
    assert "Traceback" not in output


def test_replay_miss_names_the_document(tmp_path: Path, runner: CliRunner) -> None:
    article = tmp_path / "unrecorded.txt"
    article.write_text(
        "KYIV — Russian drones struck Kyiv overnight, killing three people, officials said.\n"
    )
    db = tmp_path / "db.duckdb"
    code, output = run_cli(runner, "run", str(article), "--replay", "--db", str(db))
    assert code == 1
    (reason,) = rows(db, "SELECT reason FROM failures WHERE stage = 'replay'")[0]
    assert "unrecorded" in reason and "--record" in reason
    assert "unrecorded" in output


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(app, ["run", "seeds", "--record", "--replay"]).exit_code == 2
    assert runner.invoke(app, ["run"]).exit_code == 2


def test_cassettes_hold_no_secrets() -> None:
    files = list(CASSETTES.rglob("*.yaml"))
    assert files, "cassettes are committed"
    for path in files:
        text = path.read_text(encoding="utf-8").casefold()
        for secret in ("authorization", "api-key", "bearer", "sk-"):
            assert secret not in text, f"{secret} in {path}"


def test_sql_command_is_read_only(seeds_db: Path, runner: CliRunner) -> None:
    code, output = run_cli(
        runner, "sql", "SELECT count(*) AS n FROM documents", "--db", str(seeds_db)
    )
    assert code == 0 and "9" in output
    code, output = run_cli(runner, "sql", "DELETE FROM facts", "--db", str(seeds_db))
    assert code == 1 and "read-only" in output.casefold()
    assert rows(seeds_db, "SELECT count(*) FROM facts")[0][0] > 0


def test_schema_command_prints_json_schema(runner: CliRunner) -> None:
    code, output = run_cli(runner, "schema")
    assert code == 0
    assert '"attack"' in output and '"territorial_claim"' in output and "evidence" in output


def test_bryansk_injuries_are_a_conflict_across_outlets(seeds_db: Path) -> None:
    (row,) = rows(
        seeds_db,
        """SELECT verdict, n_documents, list_transform(reports, lambda r: r.phrase)
           FROM divergences
           WHERE incident_id = 'bridge_collapse@bryansk' AND measure = 'injured'""",
    )
    verdict, n_documents, phrases = row
    assert verdict == "conflict"
    assert n_documents == 3
    assert sorted(phrases) == ["69", "69", "more than 104"]
    assert rows(
        seeds_db,
        """SELECT verdict FROM divergences
           WHERE incident_id = 'bridge_collapse@bryansk' AND measure = 'killed'""",
    ) == [("agree",)]


def test_incidents_join_documents_with_reasons(seeds_db: Path) -> None:
    incidents = dict(rows(seeds_db, "SELECT incident_id, n_documents FROM incidents"))
    assert incidents["bridge_collapse@bryansk"] >= 3
    assert incidents["airbase_strike"] >= 5
    assert incidents["talks"] >= 5
    links = rows(
        seeds_db,
        "SELECT score, reason FROM incident_links WHERE incident_id = 'bridge_collapse@bryansk'",
    )
    assert links and all(0.8 <= score <= 1 and "Bryansk" in reason for score, reason in links)
    unlinked = rows(
        seeds_db, "SELECT count(*) FROM facts WHERE incident_id IS NOT NULL AND incident_id NOT IN "
        "(SELECT incident_id FROM incidents)"
    )  # fmt: skip
    assert unlinked == [(0,)]


def test_name_spellings_are_reported(seeds_db: Path) -> None:
    names = rows(
        seeds_db,
        "SELECT incident, n_documents FROM divergences WHERE kind = 'name' ORDER BY incident",
    )
    assert [n for n, _ in names] == ["Kobzev", "Malyuk", "Zelenskyy"]


def test_readme_queries_run_and_answer(seeds_db: Path) -> None:
    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    statements = [
        s.strip()
        for block in re.findall(r"```sql\n(.*?)```", readme, re.S)
        for s in block.split(";")
        if s.strip()
    ]
    assert len(statements) >= 5
    for statement in statements:
        if statement.startswith("SELECT document_id, stage"):
            continue  # failures: none on the seeds
        assert rows(seeds_db, statement), statement


def test_export_writes_parquet_that_duckdb_reads_back(
    seeds_db: Path, tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "facts.parquet"
    code, output = run_cli(runner, "export", "facts", "--out", str(out), "--db", str(seeds_db))
    assert code == 0, output
    with duckdb.connect() as con:
        exported = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()
    assert exported == rows(seeds_db, "SELECT count(*) FROM facts")[0]
    code, output = run_cli(runner, "export", "nope", "--out", str(out), "--db", str(seeds_db))
    assert code == 1 and "no table 'nope'" in output
