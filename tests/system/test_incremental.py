"""Scheduled runs: what is unchanged costs no request (the fake server counts), --force and any
change of text, model or layout extract again, and the rows come out the same."""

from __future__ import annotations

from pathlib import Path

from cli_support import (
    ARTICLES,
    claimdiff,
    differences,
    last_run,
    live_env,
    rows,
    snapshot,
    write_articles,
)
from fakeserver import FakeServer, first_choices


def test_unchanged_input_asks_nothing_and_force_asks_again(tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "articles")
    db = tmp_path / "claimdiff.duckdb"
    with FakeServer(responder=first_choices) as server:
        env = live_env(server.base_url)

        def run(*args: str) -> int:
            before = server.requests
            done = claimdiff("run", articles, "--db", db, *args, cwd=tmp_path, env=env)
            assert done.returncode == 0, done.stderr
            return server.requests - before

        asked = run()
        assert asked > 0 and last_run(db)["requests"] == asked
        first = snapshot(db)

        assert run() == 0
        again = last_run(db)
        assert (again["unchanged"], again["documents"], again["requests"]) == (len(ARTICLES), 0, 0)
        assert differences(snapshot(db), first) == []

        assert run("--force") == asked
        forced = last_run(db)
        assert (forced["unchanged"], forced["documents"]) == (0, len(ARTICLES) - 1)
        assert differences(snapshot(db), first) == []
        assert rows(db, "SELECT count(*) FROM documents") == [(len(ARTICLES),)]
        assert rows(db, "SELECT count(*) - count(DISTINCT fact_id) FROM facts") == [(0,)]

        # One article edited: only it is asked again.
        (articles / "bunia_post.txt").write_text(
            ARTICLES["bunia_post.txt"].replace("nine officers", "ten officers"), encoding="utf-8"
        )
        edited = run()
        assert 0 < edited < asked
        assert last_run(db)["unchanged"] == len(ARTICLES) - 1
        [(killed,)] = rows(db, "SELECT killed_phrase FROM casualties WHERE document_id = "
                               "'bunia_post' AND killed_phrase IS NOT NULL")  # fmt: skip
        assert killed == "ten"
        assert rows(db, "SELECT count(*) FROM runs") == [(4,)]


def test_another_model_or_layout_extracts_again(tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "articles", ["bunia_post.txt", "goma_wire.txt"])
    db = tmp_path / "claimdiff.duckdb"
    with FakeServer(responder=first_choices) as server:
        env = live_env(server.base_url)
        assert claimdiff("run", articles, "--db", db, cwd=tmp_path, env=env).returncode == 0
        per_type = server.requests
        other = {**env, "CLAIMDIFF_MODEL": "another-model"}
        assert claimdiff("run", articles, "--db", db, cwd=tmp_path, env=other).returncode == 0
        assert server.requests == 2 * per_type
        assert {r.body["model"] for r in server.chats} == {"fake-model", "another-model"}
        chunked = {**env, "CLAIMDIFF_LAYOUT": "per_chunk"}
        assert claimdiff("run", articles, "--db", db, cwd=tmp_path, env=chunked).returncode == 0
        per_chunk = server.requests - 2 * per_type
        assert 0 < per_chunk < per_type  # one request per chunk instead of one per type
    [(model, version)] = rows(db, "SELECT DISTINCT model, prompt_version FROM documents")
    run = last_run(db)
    assert (model, version) == ("fake-model", run["prompt_version"])
    assert run["layout"] == "per_chunk"
