"""Hostile and bad inputs in one run: each becomes a `failures` row with a reason a person can
act on, the other documents are stored, the exit code says some failed, nothing crashes."""

from __future__ import annotations

from pathlib import Path

from cli_support import ARTICLES, claimdiff, dicts, last_run, live_env, rows, write_articles
from fakeserver import FakeServer, Faults, null_records


def test_bad_inputs_fail_alone(tmp_path: Path) -> None:
    inbox = write_articles(tmp_path / "inbox", ["bunia_post.txt", "nairobi_talks.txt"])
    (inbox / "empty.txt").write_text("")
    (inbox / "blank.txt").write_text(" \n\t\n   \n")
    (inbox / "header_only.txt").write_text("Outlet: Lake Wire\nPublished: 2025-03-08\n\n\n")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (inbox / "latin1.txt").write_bytes("Le maire de Bunia a parlé d’une attaque".encode("cp1252"))
    (inbox / "oversize.txt").write_text("Shells fell on the market again. " * 40_000)  # 1.3 MB
    (inbox / "twice.txt").write_text("Outlet: A\nOutlet: B\n\nGunmen killed 4 people.\n")
    (inbox / ".hidden.txt").write_text("never read")
    no_articles = tmp_path / "scans"
    no_articles.mkdir()
    (no_articles / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    db = tmp_path / "claimdiff.duckdb"

    with FakeServer(responder=null_records) as server:
        result = claimdiff("run", inbox, tmp_path / "missing.txt", no_articles, "--db", db,
                           cwd=tmp_path, env=live_env(server.base_url))  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert server.misses == 0 and server.requests > 0

    failures = {r["document_id"]: r for r in dicts(db, "SELECT * FROM failures")}
    assert {r["stage"] for r in failures.values()} == {"read"}
    reasons = {document_id: r["reason"] for document_id, r in failures.items()}
    assert set(reasons) == {"empty", "blank", "header_only", "binary", "latin1", "oversize",
                            "twice", "missing", "scans"}  # fmt: skip
    assert "empty file" in reasons["empty"] and "empty file" in reasons["blank"]
    assert "only a metadata header" in reasons["header_only"]
    assert "binary file" in reasons["binary"]
    assert (
        "not UTF-8 text: byte 0xe9 at offset 24" in reasons["latin1"]
        and "iconv" in reasons["latin1"]
    )
    assert "over the 1,000,000-byte limit" in reasons["oversize"]
    assert "CLAIMDIFF_MAX_BYTES" in reasons["oversize"]
    assert "'Outlet' appears twice" in reasons["twice"]
    assert "no such file or folder" in reasons["missing"]
    assert "folder holds no" in reasons["scans"] and "*.txt" in reasons["scans"]

    documents = rows(db, "SELECT document_id, status FROM documents ORDER BY 1")
    assert documents == [("bunia_post", "ok"), ("nairobi_talks", "ok")]
    run = last_run(db)
    assert (run["documents_seen"], run["failed_documents"], run["documents"]) == (11, 9, 2)
    assert run["finished_at"] is not None
    for name in ("latin1", "oversize", "missing"):
        assert name in result.stdout  # the summary names what failed


def test_a_second_file_with_a_documents_id_is_refused_and_the_refusal_kept(
    tmp_path: Path,
) -> None:
    # The refusal of the second file carries the id of the document the first file holds; it
    # must survive that document being stored, also in a later commit than the refusal (here
    # the slow server makes the first article's commit carry the refusal, the second's come
    # after it).
    inbox = write_articles(tmp_path / "inbox", ["bunia_post.txt"])
    (inbox / "a_goma.txt").write_text(ARTICLES["goma_radio.txt"])
    (inbox / "nested").mkdir()
    (inbox / "nested" / "bunia_post.txt").write_text(ARTICLES["goma_radio.txt"])
    db = tmp_path / "claimdiff.duckdb"
    with FakeServer(responder=null_records, faults=Faults(latency=1.1)) as server:
        result = claimdiff("run", inbox, "--db", db, cwd=tmp_path,
                           env=live_env(server.base_url, CLAIMDIFF_CONCURRENCY="1"))  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert rows(db, "SELECT document_id, status, source_path FROM documents ORDER BY 1") == [
        ("a_goma", "ok", str(inbox / "a_goma.txt")),
        ("bunia_post", "ok", str(inbox / "bunia_post.txt")),  # the first one read is kept
    ]
    [(source, reason)] = rows(db, "SELECT source_path, reason FROM failures")
    assert source == str(inbox / "nested" / "bunia_post.txt")
    assert "already used by" in reason and "rename one of the files" in reason


def test_a_read_failure_is_replaced_once_the_file_is_fixed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bunia_post.txt").write_bytes(ARTICLES["bunia_post.txt"].encode("utf-16"))
    db = tmp_path / "claimdiff.duckdb"
    with FakeServer(responder=null_records) as server:
        env = live_env(server.base_url)
        first = claimdiff("run", inbox, "--db", db, cwd=tmp_path, env=env)
        assert first.returncode == 1
        assert [s for (s,) in rows(db, "SELECT stage FROM failures")] == ["read"]
        write_articles(inbox, ["bunia_post.txt"])
        second = claimdiff("run", inbox, "--db", db, cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert rows(db, "SELECT count(*) FROM failures") == [(0,)]
    assert rows(db, "SELECT document_id, status FROM documents") == [("bunia_post", "ok")]


def test_an_endpoint_that_is_down_fails_each_document_alone(tmp_path: Path) -> None:
    inbox = write_articles(tmp_path / "inbox")
    db = tmp_path / "claimdiff.duckdb"
    with FakeServer() as server:  # answers nothing: every request is a 404
        result = claimdiff("run", inbox, "--db", db, cwd=tmp_path,
                           env=live_env(server.base_url, CLAIMDIFF_HTTP_RETRIES="1"))  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    failures = rows(db, "SELECT document_id, stage, reason FROM failures ORDER BY 1")
    assert len(failures) == len(ARTICLES) - 1  # the off-topic article needs no model
    for _, stage, reason in failures:
        assert stage == "transport" and "HTTP 404 from the model endpoint" in reason
    assert rows(db, "SELECT document_id, status FROM documents WHERE status <> 'failed'") == [
        ("bus_lanes", "skipped")
    ]
