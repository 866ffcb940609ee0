"""Concurrency against a slow endpoint: requests overlap, never beyond the configured limit,
and the tables come out equal to a one-at-a-time run."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import claimdiff, differences, last_run, live_env, snapshot, write_articles
from fakeserver import RATE_LIMITED, SERVER_ERROR, FakeServer, Faults, first_choices

SLOW = Faults(latency=0.1)


def run(articles: Path, db: Path, faults: Faults, *args: str, **env: str) -> FakeServer:
    with FakeServer(responder=first_choices, faults=faults) as server:
        done = claimdiff("run", articles, "--db", db, *args, cwd=db.parent,
                         env=live_env(server.base_url, **env))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert server.misses == 0
    return server


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_articles(tmp_path_factory.mktemp("concurrency") / "articles")


@pytest.fixture(scope="module")
def one_at_a_time(articles: Path) -> tuple[FakeServer, Path]:
    db = articles.parent / "one.duckdb"
    return run(articles, db, SLOW, CLAIMDIFF_CONCURRENCY="1"), db


def test_concurrent_requests_overlap_and_store_what_one_at_a_time_stores(
    articles: Path, one_at_a_time: tuple[FakeServer, Path], tmp_path: Path
) -> None:
    one, db_one = one_at_a_time
    db_eight = tmp_path / "eight.duckdb"
    eight = run(articles, db_eight, SLOW, CLAIMDIFF_CONCURRENCY="8")
    assert one.max_in_flight == 1
    assert 1 < eight.max_in_flight <= 8
    assert eight.requests == one.requests >= 8
    assert sorted(r.raw for r in eight.chats) == sorted(r.raw for r in one.chats)
    assert differences(snapshot(db_eight), snapshot(db_one)) == []
    assert last_run(db_eight)["requests"] == last_run(db_one)["requests"]


def test_the_command_line_limit_wins_and_faults_under_concurrency_change_nothing(
    articles: Path, one_at_a_time: tuple[FakeServer, Path], tmp_path: Path
) -> None:
    _, clean = one_at_a_time
    db = tmp_path / "faults.duckdb"
    faults = Faults({2: RATE_LIMITED, 5: SERVER_ERROR, 9: RATE_LIMITED}, latency=0.1)
    server = run(articles, db, faults, "--concurrency", "3", CLAIMDIFF_CONCURRENCY="1")
    assert 1 < server.max_in_flight <= 3
    assert sum(server.faults_served.values()) == 3
    assert last_run(db)["http_retries"] == 3
    assert differences(snapshot(db), snapshot(clean)) == []
