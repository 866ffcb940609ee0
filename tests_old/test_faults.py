"""Live runs against a real HTTP server that answers from the committed cassettes, with faults.

The server (`faultserver.CassetteServer`) plays the recorded model: the same requests get the
same answers as when the cassettes were recorded, so a live run must store exactly what a
`--replay` run stores — whatever 429s, 5xx, dropped connections, timeouts or concurrency it
meets on the way, and even when it is killed half-way and run again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from conftest import CASSETTES, SEEDS
from faultserver import (
    DROP,
    INVALID_JSON,
    RATE_LIMITED,
    SERVER_ERROR,
    TIMEOUT,
    UNAVAILABLE,
    CassetteServer,
    Faults,
    Served,
    canonical,
)
from typer.testing import CliRunner, Result

from pipeline.cli import app
from pipeline.drafts import RESPONSE_MODELS
from pipeline.prompts import prompt_version

MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"
SECRET = "sk-test-secret"
RECORDED = CASSETTES / MODEL / prompt_version()
RELEVANT = 8  # of the 9 seed documents; 003_58c9597274ac7f2c.3 is off-topic, never sent
OFF_TOPIC = "003_58c9597274ac7f2c.3"
TRANSPORT_FAULTS = (RATE_LIMITED, SERVER_ERROR, UNAVAILABLE, TIMEOUT, DROP)
# Columns that differ between two runs by design.
RUN_COLUMNS = {"run_id", "started_at", "finished_at", "failed_at"}


# --- helpers --------------------------------------------------------------------------------


def live_env(server: CassetteServer, **extra: str) -> dict[str, str]:
    return {
        "CLAIMDIFF_BASE_URL": server.base_url,
        "CLAIMDIFF_MODEL": MODEL,
        "CLAIMDIFF_API_KEY": SECRET,
        "CLAIMDIFF_TIMEOUT": "2",
        "CLAIMDIFF_CASSETTES_DIR": str(CASSETTES),
        **extra,
    }


def claimdiff(env: dict[str, str], *args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def live_run(server: CassetteServer, db: Path, *args: str, **env: str) -> Result:
    return claimdiff(live_env(server, **env), "run", SEEDS, "--db", db, *args)


def exited(result: Result, code: int) -> bool:
    """The command chose this exit code; it did not crash into it."""
    chose = result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code == code and chose


Rows = dict[str, list[dict[str, Any]]]


def snapshot(db: Path) -> Rows:
    """Every table but `runs`, without run ids and timestamps, rows sorted."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' AND table_name <> 'runs' ORDER BY 1"
            ).fetchall()
        ]
        tables_rows = {}
        for table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if c not in RUN_COLUMNS
            ]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"SELECT {quoted} FROM {table} ORDER BY ALL").fetchall()
            tables_rows[table] = [dict(zip(columns, row, strict=True)) for row in rows]
    return tables_rows


def differences(got: Rows, want: Rows) -> list[str]:
    """What differs, table by table, short enough to read in a failed assertion."""
    out = []
    for table in sorted(set(got) | set(want)):
        a, b = got.get(table, []), want.get(table, [])
        if a != b:
            extra = [r for r in a if r not in b][:2]
            missing = [r for r in b if r not in a][:2]
            out.append(f"{table}: {len(a)} rows vs {len(b)}; extra {extra}; missing {missing}")
    return out


def runs(db: Path) -> list[dict[str, Any]]:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute("SELECT * FROM runs ORDER BY started_at")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# Rebuilt from all documents at the end of a run, so not yet there when a run is killed.
CROSS_DOCUMENT = {"incidents", "incident_links", "record_incidents", "divergences", "names"}


def _own(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A document's own rows, without `facts.incident_id` (set across documents)."""
    return [{k: v for k, v in row.items() if k != "incident_id"} for row in rows]


def recorded_requests(document_id: str) -> int:
    """Chat completions in the document's cassette: what a live run asks for it."""
    cassette = yaml.safe_load((RECORDED / f"{document_id}.yaml").read_text(encoding="utf-8"))
    return sum(i["request"]["method"] == "POST" for i in cassette["interactions"])


def attempt_of(served: Served) -> int:
    """1 for a chunk's first request, 2 and 3 for instructor's re-asks (answer + error added)."""
    return (len(served.body["messages"]) - 2) // 2 + 1


def valid_answer(served: Served, clean: Clean) -> bool:
    """Does the recorded answer to this request pass the drafts' validation?"""
    body = served.body
    name = body["response_format"]["json_schema"]["name"]
    [model] = [m for m in RESPONSE_MODELS.values() if m.__name__ == name]
    chunk = body["messages"][1]["content"].removeprefix("Paragraph:\n")
    try:
        model.model_validate_json(clean.answers[canonical(body)], context={"chunk": chunk})
    except ValueError:
        return False
    return True


# --- the clean run, shared ------------------------------------------------------------------


@dataclass
class Clean:
    """A fault-free live run at concurrency 1: its database, its rows, the requests it made."""

    db: Path
    tables: Rows
    served: list[Served]
    answers: dict[str, str]  # canonical request body → the recorded answer's message content


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Clean:
    folder = tmp_path_factory.mktemp("clean")
    with pytest.MonkeyPatch.context() as mp, CassetteServer(RECORDED, model=MODEL) as server:
        mp.chdir(folder)
        db = folder / "clean.duckdb"
        result = live_run(server, db, "--concurrency", "1")
        assert exited(result, 0), result.output
        assert server.misses == 0 and not server.faults_served
        # Every recorded answer was asked for, once.
        assert server.requests == sum(len(a) for a in server.answers.values())
        answers = {
            key: json.loads(recorded[0].body)["choices"][0]["message"]["content"]
            for key, recorded in server.answers.items()
        }
        return Clean(db, snapshot(db), list(server.served), answers)


# --- (a) a clean live run stores what a replay stores ----------------------------------------


def test_clean_live_run_equals_replay(clean: Clean, tmp_path: Path) -> None:
    db = tmp_path / "replay.duckdb"
    result = claimdiff({}, "run", SEEDS, "--replay", "--db", db)
    assert exited(result, 0), result.output

    assert differences(snapshot(db), clean.tables) == []
    assert len(clean.tables["documents"]) == 9 and len(clean.tables["facts"]) >= 10
    [live] = runs(clean.db)
    assert (live["cassette_mode"], live["http_retries"], live["failed_documents"]) == ("live", 0, 0)
    assert live["requests"] == len(clean.served)


# --- (b) faults spread over a run change nothing --------------------------------------------


def test_faults_spread_over_the_run_leave_the_same_rows(clean: Clean, tmp_path: Path) -> None:
    transport = {
        3: RATE_LIMITED, 20: SERVER_ERROR, 41: UNAVAILABLE, 60: DROP, 85: TIMEOUT,
        110: RATE_LIMITED, 130: UNAVAILABLE, 150: DROP, 170: SERVER_ERROR,
    }  # fmt: skip
    # A corrupt 200 body is a transport fault too: retried below instructor, costing no re-ask.
    accepted_at_once = [s for s in clean.served if attempt_of(s) == 1 and valid_answer(s, clean)]
    corrupt = {canonical(s.body): INVALID_JSON for s in accepted_at_once[5::40]}
    assert len(corrupt) >= 2
    faults = Faults(transport, first_of=corrupt, retry_after="1", timeout_delay=3)
    db = tmp_path / "faults.duckdb"
    with CassetteServer(RECORDED, faults, model=MODEL) as server:
        started = time.monotonic()
        result = live_run(server, db)  # concurrency 8, the default
        seconds = time.monotonic() - started

    assert exited(result, 0), result.output
    assert server.faults_served == Counter(transport.values()) + Counter(corrupt.values())
    assert server.misses == 0
    assert differences(snapshot(db), clean.tables) == []
    [run] = runs(db)
    assert run["http_retries"] == len(transport) + len(corrupt)  # one retry per fault
    assert run["requests"] == len(clean.served)  # corrupt bodies are not counted as answers
    assert seconds >= 2  # the timeout was waited for


def test_a_corrupt_response_body_on_a_last_attempt_changes_nothing(
    clean: Clean, tmp_path: Path
) -> None:
    accepted_last = [s for s in clean.served if attempt_of(s) == 3 and valid_answer(s, clean)]
    assert accepted_last, "the cassettes hold a chunk accepted at its third attempt"
    corrupt = {canonical(accepted_last[0].body): INVALID_JSON}
    db = tmp_path / "corrupt.duckdb"
    with CassetteServer(RECORDED, Faults(first_of=corrupt), model=MODEL) as server:
        result = live_run(server, db)
    assert exited(result, 0), result.output
    assert server.faults_served == Counter(corrupt.values())
    assert differences(snapshot(db), clean.tables) == []


# --- (c) a fault that never clears ----------------------------------------------------------


def test_an_outage_fails_each_document_alone_and_keeps_what_was_stored(
    clean: Clean, tmp_path: Path
) -> None:
    db = tmp_path / "kept.duckdb"
    shutil.copy(clean.db, db)
    with CassetteServer(RECORDED, Faults(always=UNAVAILABLE), model=MODEL) as server:
        result = live_run(server, db, "--force", "--concurrency", "1", CLAIMDIFF_HTTP_RETRIES="2")
    assert exited(result, 1), result.output
    assert server.requests == RELEVANT * 2  # each document's first request, tried twice
    assert "HTTP 503" in result.output and "8 failed" in result.output

    after = snapshot(db)
    transport = [r for r in after["failures"] if r["stage"] == "transport"]
    assert sorted(r["document_id"] for r in transport) == sorted(
        d["document_id"] for d in clean.tables["documents"] if d["document_id"] != OFF_TOPIC
    )
    for failure in transport:
        assert "HTTP 503 from the model endpoint" in failure["reason"], failure
    after["failures"] = [r for r in after["failures"] if r["stage"] != "transport"]
    assert differences(after, clean.tables) == []  # every row stored before is still there
    [_, down] = runs(db)
    assert down["finished_at"] is not None and down["failed_documents"] == RELEVANT


def test_an_outage_on_a_first_run_fails_each_document_alone(tmp_path: Path) -> None:
    db = tmp_path / "down.duckdb"
    with CassetteServer(RECORDED, Faults(always=SERVER_ERROR), model=MODEL) as server:
        result = live_run(server, db, CLAIMDIFF_HTTP_RETRIES="2")

    with duckdb.connect(str(db), read_only=True) as con:
        failures = con.execute("SELECT document_id, stage, reason FROM failures").fetchall()
        documents = con.execute("SELECT document_id, status FROM documents").fetchall()
    assert len(failures) == RELEVANT == len({d for d, _, _ in failures})
    for _, stage, reason in failures:
        assert stage == "transport" and "HTTP 500 from the model endpoint" in reason
    assert documents == [(OFF_TOPIC, "skipped")]  # the document that needs no model is stored
    assert exited(result, 1), repr(result.exception)


# --- (d) concurrency ------------------------------------------------------------------------


def test_concurrency_8_stores_what_concurrency_1_stores(clean: Clean, tmp_path: Path) -> None:
    db = tmp_path / "c8.duckdb"
    with CassetteServer(RECORDED, model=MODEL) as server:
        result = live_run(server, db, "--concurrency", "8")
    assert exited(result, 0), result.output
    assert differences(snapshot(db), clean.tables) == []
    assert server.requests == len(clean.served)


def test_one_documents_chunks_run_concurrently_within_the_limit(
    clean: Clean, tmp_path: Path
) -> None:
    article = SEEDS / "004_4dfc51fa16fd28fe.txt"  # one document, 18 requests
    db = tmp_path / "one.duckdb"
    with CassetteServer(RECORDED, Faults(latency=0.05), model=MODEL) as server:
        result = claimdiff(live_env(server), "run", article, "--db", db, "--concurrency", "4")
    assert exited(result, 0), result.output
    assert 2 <= server.max_in_flight <= 4  # chunks overlapped, never beyond --concurrency
    stored = snapshot(db)
    expected = {
        table: [r for r in clean.tables[table] if r["document_id"] == article.stem]
        for table in ("facts", "casualties", "attacks")
    }
    assert {t: stored[t] for t in expected} == expected


def test_random_transport_faults_under_concurrency(clean: Clean, tmp_path: Path) -> None:
    faults = Faults(probability=0.12, kinds=(RATE_LIMITED, SERVER_ERROR, UNAVAILABLE, DROP), seed=7)
    db = tmp_path / "c8-faults.duckdb"
    with CassetteServer(RECORDED, faults, model=MODEL) as server:
        result = live_run(server, db, "--concurrency", "8")
    assert exited(result, 0), result.output
    assert sum(server.faults_served.values()) >= 10
    assert differences(snapshot(db), clean.tables) == []
    [run] = runs(db)
    assert run["http_retries"] == sum(server.faults_served.values())


# --- (e) the API key goes to the endpoint and nowhere else ----------------------------------


def test_the_api_key_is_not_stored_printed_or_logged(tmp_path: Path) -> None:
    db = tmp_path / "secret.duckdb"
    faults = Faults({2: RATE_LIMITED, 5: UNAVAILABLE, 9: DROP})
    with CassetteServer(RECORDED, faults, model=MODEL) as server:
        logged = live_run(server, db, "--log-format", "json")
        server.faults = Faults(always=UNAVAILABLE)
        printed = live_run(server, db, "--force", CLAIMDIFF_HTTP_RETRIES="1")
        queried = claimdiff({}, "sql", "SELECT * FROM runs", "--db", db)
        listed = claimdiff({}, "runs", "--db", db)
    assert server.authorizations == {f"Bearer {SECRET}"}  # the key was in play
    assert exited(logged, 0), logged.output
    assert exited(printed, 1), printed.output
    lines = [json.loads(line) for line in logged.output.splitlines() if line.startswith("{")]
    assert {"planned", "document_done", "run_done"} <= {line["event"] for line in lines}

    for output in (logged.output, printed.output, queried.output, listed.output):
        assert SECRET not in output
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute("SHOW TABLES").fetchall()]
        for table in tables:
            for row in con.execute(f"SELECT * FROM {table}").fetchall():
                assert SECRET not in repr(row), table
        assert con.execute("SELECT count(*) FROM failures WHERE stage = 'transport'").fetchone()
    for path in tmp_path.iterdir():  # the database file, its WAL, anything else written
        assert SECRET.encode() not in path.read_bytes(), path


# --- (f) killed half-way, run again ---------------------------------------------------------


def test_a_run_killed_half_way_completes_on_the_next_run(clean: Clean, tmp_path: Path) -> None:
    db = tmp_path / "killed.duckdb"
    faults = Faults(latency=0.03)  # about 6 s for the whole run at concurrency 1
    with CassetteServer(RECORDED, faults, model=MODEL) as server:
        env = {**os.environ, **live_env(server)}
        command = [sys.executable, "-c", "from pipeline.cli import main; main()",
                   "run", str(SEEDS), "--db", str(db), "--concurrency", "1",
                   "--log-format", "json"]  # fmt: skip
        with (tmp_path / "killed.log").open("w") as log:
            child = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=log)
            deadline = time.monotonic() + 60
            try:
                while server.requests < 80 and child.poll() is None:
                    assert time.monotonic() < deadline, "the run did not get going"
                    time.sleep(0.01)
                assert child.poll() is None, (tmp_path / "killed.log").read_text()
                os.kill(child.pid, signal.SIGKILL)
            finally:
                child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL
        asked_before = server.requests

        stored = snapshot(db)
        done = {d["document_id"] for d in stored["documents"]}
        assert OFF_TOPIC in done and 3 <= len(done - {OFF_TOPIC}) < RELEVANT, done
        for table, rows in stored.items():  # each stored document is whole, none is half-written
            if table in CROSS_DOCUMENT:
                continue
            wanted = [r for r in clean.tables[table] if r["document_id"] in done]
            assert _own(rows) == _own(wanted), table
        [killed] = runs(db)
        assert killed["finished_at"] is None

        server.faults = Faults()
        result = live_run(server, db, "--concurrency", "1")
        asked_after = server.requests - asked_before
    assert exited(result, 0), result.output

    assert differences(snapshot(db), clean.tables) == []
    first, second = runs(db)
    assert first["run_id"] == killed["run_id"] and first["finished_at"] is None
    assert second["finished_at"] is not None
    assert second["unchanged"] == len(done)  # stored documents were not asked again
    left = {d["document_id"] for d in clean.tables["documents"]} - done
    assert asked_after == sum(recorded_requests(d) for d in left)
