"""Concurrency against a slow endpoint: requests overlap, never beyond the configured limit,
and the tables come out equal to a one-at-a-time run."""

from __future__ import annotations

from pathlib import Path

from cli_support import claimdiff, differences, last_run, live_env, snapshot, write_articles
from fakeserver import RATE_LIMITED, SERVER_ERROR, FakeServer, Faults, first_choices


def run(tmp_path: Path, name: str, faults: Faults, **env: str) -> tuple[FakeServer, Path]:
    articles = write_articles(tmp_path / "articles")
    db = tmp_path / f"{name}.duckdb"
    with FakeServer(responder=first_choices, faults=faults) as server:
        done = claimdiff("run", articles, "--db", db, cwd=tmp_path,
                         env=live_env(server.base_url, **env))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert server.misses == 0
    return server, db


def test_concurrent_requests_overlap_and_store_what_one_at_a_time_stores(tmp_path: Path) -> None:
    slow = Faults(latency=0.1)
    one, db_one = run(tmp_path, "one", slow, CLAIMDIFF_CONCURRENCY="1")
    eight, db_eight = run(tmp_path, "eight", slow, CLAIMDIFF_CONCURRENCY="8")
    assert one.max_in_flight == 1
    assert 1 < eight.max_in_flight <= 8
    assert eight.requests == one.requests >= 8
    assert sorted(r.raw for r in eight.chats) == sorted(r.raw for r in one.chats)
    assert differences(snapshot(db_eight), snapshot(db_one)) == []
    assert last_run(db_eight)["requests"] == last_run(db_one)["requests"]


def test_the_command_line_limit_wins_and_faults_under_concurrency_change_nothing(
    tmp_path: Path,
) -> None:
    _, clean = run(tmp_path, "clean", Faults(), CLAIMDIFF_CONCURRENCY="1")
    faults = Faults({2: RATE_LIMITED, 5: SERVER_ERROR, 9: RATE_LIMITED}, latency=0.1)
    articles = tmp_path / "articles"
    db = tmp_path / "faults.duckdb"
    with FakeServer(responder=first_choices, faults=faults) as server:
        done = claimdiff("run", articles, "--db", db, "--concurrency", "3", cwd=tmp_path,
                         env=live_env(server.base_url, CLAIMDIFF_CONCURRENCY="1"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert 1 < server.max_in_flight <= 3
    assert sum(server.faults_served.values()) == 3
    assert last_run(db)["http_retries"] == 3
    assert differences(snapshot(db), snapshot(clean)) == []
