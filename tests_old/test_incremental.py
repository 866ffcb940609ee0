"""Scheduled runs: unchanged documents cost nothing, a busy database is refused cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import SEEDS
from typer.testing import CliRunner

from pipeline.cli import EX_TEMPFAIL, app


def last_run(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute("SELECT * FROM runs ORDER BY started_at DESC LIMIT 1")
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(names, row, strict=True))


def test_second_run_over_unchanged_input_asks_nothing(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "db.duckdb"
    first = runner.invoke(app, ["run", str(SEEDS), "--replay", "--db", str(db)])
    assert first.exit_code == 0, first.output
    first_requests = last_run(db)["requests"]
    assert isinstance(first_requests, int) and first_requests > 0

    second = runner.invoke(app, ["run", str(SEEDS), "--replay", "--db", str(db)])
    assert second.exit_code == 0, second.output
    run = last_run(db)
    assert (run["requests"], run["unchanged"], run["documents"]) == (0, 9, 0)

    forced = runner.invoke(app, ["run", str(SEEDS), "--replay", "--force", "--db", str(db)])
    assert forced.exit_code == 0, forced.output
    assert last_run(db)["requests"] == first_requests
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (9,)
        assert con.execute(
            "SELECT count(*) FROM (SELECT fact_id FROM facts GROUP BY 1 HAVING count(*) > 1)"
        ).fetchone() == (0,)


def test_a_busy_database_is_refused_with_a_clear_message(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = runner.invoke(app, ["run", str(SEEDS), "--replay", "--db", str(db)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == EX_TEMPFAIL
    assert "in use by another process" in " ".join(result.output.split())
    assert "Traceback" not in result.output
