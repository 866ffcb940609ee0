"""Analysts query while a run writes, as real processes on a real file: `claimdiff sql` and a
plain read-only DuckDB connection succeed during the writer's commits and see only whole
documents; a reader that holds the file makes the run wait, visibly, and lose nothing; past
CLAIMDIFF_LOCK_TIMEOUT the run exits 75; and one run at a time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from cli_support import CLAIMDIFF, claimdiff, live_env, rows
from fakeserver import FakeServer, Faults, first_choices

from pipeline.store import Store
from pipeline.store.synthetic import FACTS_PER_DOCUMENT, RECORDS_PER_DOCUMENT, write_articles

ROOT = Path(__file__).resolve().parents[2]
BATCH = 40


def writer(
    db: Path, documents: int, batch: int = BATCH, pause: float = 0.02
) -> subprocess.Popen[str]:
    """`python -m pipeline.store.synthetic`: commits `batch` documents per transaction."""
    command = [sys.executable, "-m", "pipeline.store.synthetic", "--db", str(db), "--documents",
               str(documents), "--batch", str(batch), "--pause", str(pause)]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip


def read(db: Path, retry: float = 10.0) -> duckdb.DuckDBPyConnection:
    """A plain read-only connection, retried for a moment while a commit holds the file."""
    deadline = time.monotonic() + retry
    while True:
        try:
            return duckdb.connect(str(db), read_only=True)
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def count(db: Path, sql: str) -> int:
    con = read(db)
    try:
        found = con.execute(sql).fetchone()
        return int(found[0]) if found else 0
    finally:
        con.close()


def check_whole(con: duckdb.DuckDBPyConnection) -> int:
    """Every stored document has exactly its facts and records: no commit is seen half done."""
    documents = con.execute("SELECT count(*) FROM documents").fetchone()
    facts = con.execute("SELECT count(*) FROM facts").fetchone()
    records = con.execute("SELECT (SELECT count(*) FROM casualties) + "
                          "(SELECT count(*) FROM attacks)").fetchone()  # fmt: skip
    short = con.execute(
        "SELECT count(*) FROM (SELECT d.document_id, count(f.fact_id) AS n FROM documents d "
        "LEFT JOIN facts f USING (document_id) GROUP BY 1) WHERE n <> ?", [FACTS_PER_DOCUMENT]
    ).fetchone()  # fmt: skip
    assert documents and facts and records and short
    n = int(documents[0])
    assert facts[0] == n * FACTS_PER_DOCUMENT and records[0] == n * RECORDS_PER_DOCUMENT
    assert short[0] == 0
    return n


def test_readers_during_a_run_succeed_and_see_whole_documents(tmp_path: Path) -> None:
    db = tmp_path / "claimdiff.duckdb"
    Store(db).open()
    total = 2400
    process = writer(db, total)
    seen: list[int] = []
    cli_counts: list[int] = []
    try:
        while process.poll() is None:
            con = read(db)
            try:
                seen.append(check_whole(con))
            finally:
                con.close()
            if len(cli_counts) < 2 and seen[-1] > 0:
                done = claimdiff("sql", "select count(*) from documents", "--db", db, "--json",
                                 cwd=tmp_path)  # fmt: skip
                assert done.returncode == 0, done.stderr
                cli_counts.append(json.loads(done.stdout.splitlines()[0])["count_star()"])
            time.sleep(0.05)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert len(cli_counts) == 2 and all(c % BATCH == 0 for c in cli_counts)
    assert len(seen) >= 5 and seen == sorted(seen)
    assert all(n % BATCH == 0 for n in seen)  # whole batches only
    assert len({n for n in seen if 0 < n < total}) >= 2  # read while the writer was writing
    con = read(db)
    assert check_whole(con) == total
    con.close()


def hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    """A reader process that keeps the file open read-only for `seconds`."""
    code = ("import duckdb, sys, time\n"
            f"con = duckdb.connect({str(db)!r}, read_only=True)\n"
            "print('open', flush=True)\n"
            f"time.sleep({seconds})\n"
            "con.close()\n")  # fmt: skip
    reader = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None and reader.stdout.readline().strip() == "open"
    return reader


def test_a_reader_holding_the_file_makes_the_run_wait_and_lose_nothing(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_articles(inbox, 12)
    db = tmp_path / "claimdiff.duckdb"
    with FakeServer(responder=first_choices, faults=Faults(latency=0.3)) as server:
        env = live_env(server.base_url, CLAIMDIFF_CONCURRENCY="1")
        command = [str(CLAIMDIFF), "run", str(inbox), "--db", str(db), "--log-format", "json"]
        run = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while not (db.exists() and count(db, "SELECT count(*) FROM documents") >= 1):
                assert time.monotonic() < deadline and run.poll() is None
                time.sleep(0.2)
            reader = hold(db, 6)  # longer than what is left of the run
            held = count(db, "SELECT count(*) FROM documents")
            reader.wait(timeout=30)
            _, stderr = run.communicate(timeout=90)
        finally:
            if run.poll() is None:
                run.kill()
    assert run.returncode == 0, stderr[-3000:]
    events = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    said = [e["message"] for e in events if e["event"] == "status"]
    assert any("open in another process" in m for m in said), said
    assert any("free again" in m for m in said) or any("extraction goes on" in m for m in said)
    assert held < 12
    assert rows(db, "SELECT count(*) FROM documents WHERE status = 'ok'") == [(12,)]
    assert rows(db, "SELECT count(DISTINCT document_id) FROM facts") == [(12,)]
    assert rows(db, "SELECT finished_at IS NOT NULL FROM runs") == [(True,)]


def test_a_reader_past_the_lock_timeout_ends_the_run_with_75(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_articles(inbox, 2)
    db = tmp_path / "claimdiff.duckdb"
    Store(db).open()
    reader = hold(db, 20)
    try:
        env = live_env("http://127.0.0.1:9/v1", CLAIMDIFF_LOCK_TIMEOUT="1")
        result = claimdiff("run", inbox, "--db", db, cwd=tmp_path, env=env)
    finally:
        reader.kill()
        reader.wait()
    assert result.returncode == 75, result.stderr[-2000:]
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "CLAIMDIFF_LOCK_TIMEOUT" in line and "Traceback" not in result.stderr


def test_one_run_at_a_time_the_second_exits_75(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_articles(inbox, 6)
    db = tmp_path / "claimdiff.duckdb"
    with FakeServer(responder=first_choices, faults=Faults(latency=0.5)) as server:
        env = live_env(server.base_url, CLAIMDIFF_CONCURRENCY="1")
        first = subprocess.Popen([str(CLAIMDIFF), "run", str(inbox), "--db", str(db)],
                                 cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while server.requests == 0:
                assert time.monotonic() < deadline and first.poll() is None
                time.sleep(0.1)
            second = claimdiff("run", inbox, "--db", db, cwd=tmp_path, env=env)
            _, stderr = first.communicate(timeout=120)
        finally:
            if first.poll() is None:
                first.kill()
    assert second.returncode == 75, second.stderr[-2000:]
    [line] = [line for line in second.stderr.splitlines() if line.startswith("error:")]
    assert "another claimdiff run" in line
    assert first.returncode == 0, stderr[-2000:]
    assert rows(db, "SELECT count(*) FROM runs") == [(1,)]
    assert rows(db, "SELECT count(*) FROM documents") == [(6,)]
