"""Cassettes recorded from a run against the fake server, then played back two ways: by
`claimdiff run --replay` (no connection at all) and by the fake server answering a live run
from them. All three runs store the same rows."""

from __future__ import annotations

from pathlib import Path

import yaml
from cli_support import (
    ARTICLES,
    claimdiff,
    differences,
    environment,
    live_env,
    rows,
    snapshot,
    write_articles,
)
from fakeserver import RATE_LIMITED, FakeServer, Faults, first_choices

from pipeline.extract.prompts import prompt_version


def test_record_then_replay_and_serve_the_cassettes(tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "articles")
    cassettes = tmp_path / "cassettes"
    recorded_db, replayed_db, served_db = (tmp_path / f"{n}.duckdb" for n in ("rec", "rep", "srv"))

    with FakeServer(responder=first_choices, faults=Faults({3: RATE_LIMITED})) as server:
        env = live_env(server.base_url, CLAIMDIFF_CASSETTES_DIR=str(cassettes))
        recorded = claimdiff("run", articles, "--record", "--db", recorded_db, cwd=tmp_path,
                             env=env)  # fmt: skip
        asked = server.requests
    assert recorded.returncode == 0, recorded.stderr
    folder = cassettes / "fake-model" / prompt_version()
    assert sorted(p.stem for p in folder.glob("*.yaml")) == sorted(
        Path(n).stem
        for n in ARTICLES
        if n != "bus_lanes.txt"  # off-topic: never asked
    )
    interactions = [i for p in folder.glob("*.yaml")
                    for i in yaml.safe_load(p.read_text())["interactions"]]  # fmt: skip
    assert len(interactions) == asked  # the 429 too: a replay meets it again, and retries
    assert {i["request"]["uri"].split("/v1")[0] for i in interactions} == {server.url}

    # Replay: the endpoint is a closed port, and nothing is asked of it.
    closed = environment(CLAIMDIFF_BASE_URL="http://127.0.0.1:9/v1", CLAIMDIFF_MODEL="fake-model",
                         CLAIMDIFF_CASSETTES_DIR=str(cassettes))  # fmt: skip
    replayed = claimdiff("run", articles, "--replay", "--db", replayed_db, cwd=tmp_path,
                         env=closed)  # fmt: skip
    assert replayed.returncode == 0, replayed.stderr
    assert differences(snapshot(replayed_db), snapshot(recorded_db)) == []
    assert rows(replayed_db, "SELECT cassette_mode, http_retries FROM runs") == [("replay", 1)]

    # The fake server answers from the cassettes alone (no responder): a miss would be a 404.
    with FakeServer(cassettes=cassettes) as server:
        served = claimdiff("run", articles, "--db", served_db, cwd=tmp_path,
                           env=live_env(server.base_url))  # fmt: skip
        assert server.misses == 0 and server.requests == asked
        assert {r.outcome for r in server.chats} == {"recorded"}
    assert served.returncode == 0, served.stderr
    assert differences(snapshot(served_db), snapshot(recorded_db)) == []

    # Edited text asks something never recorded: a replay miss, not another document's answer.
    (articles / "bunia_post.txt").write_text(
        ARTICLES["bunia_post.txt"].replace("17", "18"), encoding="utf-8"
    )
    edited = claimdiff("run", articles / "bunia_post.txt", "--replay", "--db", replayed_db,
                       cwd=tmp_path, env=closed)  # fmt: skip
    assert edited.returncode == 1 and "Traceback" not in edited.stderr
    [(stage, reason)] = rows(replayed_db, "SELECT stage, reason FROM failures")
    assert stage == "replay" and "has no recorded answer for one of its requests" in reason
    assert rows(replayed_db, "SELECT status FROM documents WHERE document_id = 'bunia_post'") == [
        ("failed",)
    ]
    assert rows(replayed_db, "SELECT count(*) FROM facts WHERE document_id = 'bunia_post'") == [
        (0,)
    ]


def test_a_replay_without_its_cassette_names_the_document_and_the_fix(tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "articles", ["bunia_post.txt", "bus_lanes.txt"])
    db = tmp_path / "claimdiff.duckdb"
    env = environment(CLAIMDIFF_BASE_URL="http://127.0.0.1:9/v1", CLAIMDIFF_MODEL="fake-model",
                      CLAIMDIFF_CASSETTES_DIR=str(tmp_path / "cassettes"))  # fmt: skip
    result = claimdiff("run", articles, "--replay", "--db", db, cwd=tmp_path, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [(document_id, stage, reason)] = rows(db, "SELECT document_id, stage, reason FROM failures")
    assert (document_id, stage) == ("bunia_post", "replay")
    assert "has no cassette" in reason and "claimdiff run --record" in reason
    assert rows(db, "SELECT document_id, status FROM documents ORDER BY 1") == [
        ("bunia_post", "failed"), ("bus_lanes", "skipped"),
    ]  # fmt: skip


def test_recording_again_asks_only_what_was_never_recorded(tmp_path: Path) -> None:
    """A new prompt version re-records every document, but a request identical to one recorded
    under an earlier version is answered from it: only the edited article reaches the model,
    and the new cassettes replay the run on their own."""
    articles = write_articles(tmp_path / "articles")
    cassettes = tmp_path / "cassettes"
    with FakeServer(responder=first_choices, faults=Faults({2: RATE_LIMITED})) as server:
        env = live_env(server.base_url, CLAIMDIFF_CASSETTES_DIR=str(cassettes))
        first = claimdiff("run", articles, "--record", "--db", tmp_path / "first.duckdb",
                          cwd=tmp_path, env=env)  # fmt: skip
        asked_first = server.requests
    assert first.returncode == 0, first.stderr
    current = cassettes / "fake-model" / prompt_version()
    current.rename(cassettes / "fake-model" / "p0000000000")  # as if the prompts changed since

    (articles / "bunia_post.txt").write_text(
        ARTICLES["bunia_post.txt"].replace("17", "18"), encoding="utf-8"
    )
    recorded_db, replayed_db = tmp_path / "rec.duckdb", tmp_path / "rep.duckdb"
    with FakeServer(responder=first_choices) as server:
        env = live_env(server.base_url, CLAIMDIFF_CASSETTES_DIR=str(cassettes))
        again = claimdiff("run", articles, "--record", "--db", recorded_db, cwd=tmp_path,
                          env=env)  # fmt: skip
        asked = [r.body for r in server.chats]
    assert again.returncode == 0, again.stderr
    assert 0 < len(asked) < asked_first - 1  # the 429 and its retry are not asked again
    assert all("18" in str(body["messages"]) for body in asked)  # the edited article's alone

    # The new cassettes hold each request once, the old folder's answers included.
    interactions = [i for p in current.glob("*.yaml")
                    for i in yaml.safe_load(p.read_text())["interactions"]]  # fmt: skip
    assert len(interactions) == asked_first - 1
    assert {i["response"]["status"]["code"] for i in interactions} == {200}
    closed = environment(CLAIMDIFF_BASE_URL="http://127.0.0.1:9/v1", CLAIMDIFF_MODEL="fake-model",
                         CLAIMDIFF_CASSETTES_DIR=str(cassettes))  # fmt: skip
    (cassettes / "fake-model" / "p0000000000").rename(tmp_path / "gone")
    replayed = claimdiff("run", articles, "--replay", "--db", replayed_db, cwd=tmp_path,
                         env=closed)  # fmt: skip
    assert replayed.returncode == 0, replayed.stderr
    assert differences(snapshot(replayed_db), snapshot(recorded_db)) == []


def test_recording_the_same_version_again_asks_nothing(tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "articles", ["bunia_post.txt"])
    cassettes = tmp_path / "cassettes"
    counts = []
    for n in (1, 2):
        with FakeServer(responder=first_choices) as server:
            env = live_env(server.base_url, CLAIMDIFF_CASSETTES_DIR=str(cassettes))
            result = claimdiff("run", articles, "--record", "--force", "--db",
                               tmp_path / f"{n}.duckdb", cwd=tmp_path, env=env)  # fmt: skip
            counts.append(server.requests)
        assert result.returncode == 0, result.stderr
    [cassette] = (cassettes / "fake-model" / prompt_version()).glob("*.yaml")
    assert counts[0] > 0 and counts[1] == 0
    assert len(yaml.safe_load(cassette.read_text())["interactions"]) == counts[0]
    (cassette).write_text("interactions: [unclosed", encoding="utf-8")  # a broken cassette
    with FakeServer(responder=first_choices) as server:
        env = live_env(server.base_url, CLAIMDIFF_CASSETTES_DIR=str(cassettes))
        again = claimdiff("run", articles, "--record", "--force", "--db", tmp_path / "3.duckdb",
                          cwd=tmp_path, env=env)  # fmt: skip
        assert server.requests == counts[0]  # asked again, nothing lost
    assert again.returncode == 0, again.stderr
