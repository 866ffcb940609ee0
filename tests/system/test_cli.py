"""The `claimdiff` command as people run it: a database built by a real run against the fake
server, then read with `sql` (read-only, no files), `export`, `schema`; usage errors."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from cli_support import ARTICLES, RELEVANT, claimdiff, environment, live_env, rows, write_articles
from fakeserver import FakeServer, first_choices
from typer.testing import CliRunner

from pipeline.cli import app


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the test articles, each sentence answered with its first choices."""
    folder = tmp_path_factory.mktemp("stored")
    articles = write_articles(folder / "articles")
    db = folder / "claimdiff.duckdb"
    with FakeServer(responder=first_choices) as server:
        done = claimdiff("run", articles, "--db", db, cwd=folder, env=live_env(server.base_url))
        assert server.misses == 0
    assert done.returncode == 0, done.stdout + done.stderr
    return db


@pytest.fixture
def db(stored: Path, tmp_path: Path) -> Path:
    """A copy of the stored database, in a folder of its own."""
    folder = tmp_path / "data"
    folder.mkdir()
    copy = folder / "claimdiff.duckdb"
    shutil.copy(stored, copy)
    (folder / "names.csv").write_text("canonical,spelling,document_id,occurrences\na,b,c,1\n")
    return copy


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def test_the_run_stored_every_article(stored: Path) -> None:
    documents = dict(rows(stored, "SELECT document_id, status FROM documents"))
    assert documents == {Path(n).stem: "skipped" if n == "bus_lanes.txt" else "ok"
                         for n in ARTICLES}  # fmt: skip
    assert rows(stored, "SELECT count(DISTINCT document_id) FROM facts") == [(RELEVANT - 1,)]
    assert rows(stored, """SELECT count(*) FROM facts f JOIN documents d USING (document_id)
                           WHERE substr(d.text, f.char_start + 1, f.char_end - f.char_start)
                                 <> f.quote""") == [(0,)]  # fmt: skip


# ----------------------------------------------------------------------------- sql


def test_sql_prints_a_table_and_json_lines(db: Path, tmp_path: Path) -> None:
    sql = "SELECT document_id, status FROM documents ORDER BY document_id"
    table = claimdiff("sql", sql, "--db", db, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "bunia_post" in table.stdout and "6 rows" in table.stderr
    lines = claimdiff("sql", sql, "--db", db, "--json", cwd=tmp_path)
    assert [json.loads(line)["document_id"] for line in lines.stdout.splitlines()] == sorted(
        Path(n).stem for n in ARTICLES
    )


WRITES = [
    "DELETE FROM facts",
    "TRUNCATE facts",
    "INSERT INTO facts SELECT * FROM facts",
    "UPDATE facts SET value_min = 0",
    "DROP TABLE facts",
    "ALTER TABLE facts ADD COLUMN forged INTEGER",
    "CREATE TABLE forged AS SELECT 1 AS a",
    "CREATE OR REPLACE VIEW forged AS SELECT 1 AS a",
    "SELECT 1; DELETE FROM facts",
    "COPY names FROM '{dir}/names.csv'",
    "COPY (SELECT 'gone' AS a) TO '{db}' (FORMAT csv)",
    "COPY facts TO '{dir}/leak.csv'",
    "EXPORT DATABASE '{dir}/dump'",
    "IMPORT DATABASE '{dir}'",
    "ATTACH '{dir}/other.duckdb' AS other (READ_WRITE); DELETE FROM other.facts",
    "ATTACH '{dir}/new.duckdb' AS new; CREATE TABLE new.t AS SELECT 1 AS a",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "SELECT * FROM read_csv('{dir}/names.csv')",
]


@pytest.mark.parametrize("statement", WRITES)
def test_sql_cannot_write_the_database_nor_any_file(db: Path, statement: str) -> None:
    shutil.copy(db, db.parent / "other.duckdb")
    before = digests(db.parent)
    facts = rows(db, "SELECT count(*) FROM facts")
    sql = statement.format(db=db, dir=db.parent)
    result = CliRunner().invoke(app, ["sql", sql, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "error:" in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert digests(db.parent) == before
    assert rows(db, "SELECT count(*) FROM facts") == facts != [(0,)]


@pytest.mark.parametrize("statement", ["DELETE FROM facts", "COPY facts TO 'leak.csv'"])
def test_sql_refusals_as_a_process(db: Path, statement: str) -> None:
    before = digests(db.parent)
    result = claimdiff("sql", statement, "--db", db, cwd=db.parent)
    assert result.returncode == 1
    assert "error:" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert digests(db.parent) == before


def test_sql_on_a_missing_or_foreign_database(tmp_path: Path) -> None:
    missing = claimdiff("sql", "SELECT 1", "--db", tmp_path / "absent.duckdb", cwd=tmp_path)
    assert missing.returncode == 1 and "no database at" in missing.stderr
    assert not (tmp_path / "absent.duckdb").exists()
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE invoices (n INTEGER)")
    result = CliRunner().invoke(app, ["sql", "SELECT 1", "--db", str(foreign)])
    assert result.exit_code == 1 and "another program" in result.output
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("these are my notes\n" * 100)
    result = CliRunner().invoke(app, ["sql", "SELECT 1", "--db", str(not_duckdb)])
    assert result.exit_code == 1 and "Traceback" not in result.output


# ----------------------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("name", "reader"),
    [("facts.parquet", "read_parquet"), ("facts.csv", "read_csv"), ("facts.json", "read_json"),
     ("facts.jsonl", "read_json"), ("it's here.parquet", "read_parquet")],
)  # fmt: skip
def test_export_writes_what_duckdb_reads_back(
    db: Path, tmp_path: Path, name: str, reader: str
) -> None:
    before = digests(db.parent)
    out = tmp_path / name
    result = claimdiff("export", "facts", "--out", out, "--db", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [(count,)] = rows(db, "SELECT count(*) FROM facts")
    assert f"{count} rows of facts written" in " ".join(result.stdout.split())
    with duckdb.connect() as con:
        path = str(out).replace("'", "''")
        exported = con.execute(f"SELECT count(*), count(DISTINCT fact_id) FROM {reader}('{path}')")
        assert exported.fetchone() == (count, count) and count > 0
    assert digests(db.parent) == before


@pytest.mark.parametrize(
    ("table", "out", "message"),
    [("facts", "facts.xlsx", "cannot tell the format"), ("nope", "nope.csv", "no table 'nope'"),
     ("facts; DROP TABLE facts", "x.csv", "no table")],
)  # fmt: skip
def test_export_refusals(db: Path, tmp_path: Path, table: str, out: str, message: str) -> None:
    before = digests(db.parent)
    result = CliRunner().invoke(
        app, ["export", table, "--out", str(tmp_path / out), "--db", str(db)]
    )
    assert result.exit_code == 1 and message in result.output, result.output
    assert not (tmp_path / out).exists()
    assert digests(db.parent) == before


# ----------------------------------------------------------------------------- schema


def test_schema_prints_the_json_schema_of_records_and_facts(tmp_path: Path) -> None:
    result = claimdiff("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    schema = json.loads(result.stdout)
    assert set(schema) == {"record", "fact"}
    assert "evidence" in json.dumps(schema["record"]) and "measure" in json.dumps(schema["fact"])


# ----------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "a.txt", "--record", "--replay"], "choose one of --record and --replay"),
        (["run"], "Missing argument"),
        (["run", "a.txt", "--log-format", "xml"], "--log-format must be text or json"),
        (["run", "a.txt", "--concurrency", "0"], "--concurrency"),
        (["diverge", "--verdict", "maybe"], "verdict must be agree, compatible or conflict"),
        (["export", "facts"], "Missing option '--out'"),
        (["fly"], "No such command 'fly'"),
        (["eval"], "name a corpus folder with --gold"),
    ],
)
def test_usage_errors_exit_2_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "a.txt").write_text(ARTICLES["bunia_post.txt"])
    result = claimdiff(*args, cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr + result.stdout
    assert not list(tmp_path.glob("*.duckdb"))


def test_a_bad_setting_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLES["bunia_post.txt"])
    result = claimdiff("run", "a.txt", cwd=tmp_path, env=environment(CLAIMDIFF_CONCURRENCY="many"))
    assert result.returncode == 2
    assert "configuration error" in result.stderr and "CLAIMDIFF_CONCURRENCY" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_endpoint_without_a_model_name_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLES["bunia_post.txt"])
    env = environment(CLAIMDIFF_BASE_URL="http://127.0.0.1:9/v1")
    result = claimdiff("run", "a.txt", "--db", "out.duckdb", cwd=tmp_path, env=env)
    assert result.returncode != 0
    assert "CLAIMDIFF_MODEL" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.duckdb").exists()


def test_eval_with_malformed_gold_is_an_error_message(stored: Path, tmp_path: Path) -> None:
    gold = tmp_path / "corpus" / "gold"
    gold.mkdir(parents=True)
    (gold / "goma_wire.yaml").write_text(
        "facts:\n  - {record_type: casualty, measure: killed, phrase: at least 23, quote: q}\n"
    )  # value_min is missing
    result = claimdiff("eval", "--db", stored, "--gold", tmp_path / "corpus", "--no-save",
                       cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    assert "goma_wire.yaml" in result.stderr and "Traceback" not in result.stderr
