"""The API key goes to the endpoint, in the Authorization header, and nowhere else: not into
the database file, the JSON log, the printed summary, error messages nor recorded cassettes."""

from __future__ import annotations

from pathlib import Path

from cli_support import claimdiff, live_env, rows, write_articles
from fakeserver import RATE_LIMITED, UNAVAILABLE, FakeServer, Faults, null_records
from typer.testing import CliRunner

from pipeline.cli import app

SECRET = "sk-test-SECRET"


def test_the_api_key_is_not_stored_logged_printed_or_recorded(tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "articles")
    cassettes = tmp_path / "cassettes"
    db = tmp_path / "claimdiff.duckdb"
    faults = Faults({2: RATE_LIMITED, 4: UNAVAILABLE})
    with FakeServer(responder=null_records, faults=faults) as server:
        env = live_env(server.base_url, OPENAI_API_KEY=SECRET,
                       CLAIMDIFF_CASSETTES_DIR=str(cassettes))  # fmt: skip
        recorded = claimdiff("run", articles, "--db", db, "--record", "--log-format", "json",
                             cwd=tmp_path, env=env)  # fmt: skip
        assert recorded.returncode == 0, recorded.stderr
        server.faults = Faults(always=UNAVAILABLE)  # every request fails: error messages
        impatient = {**env, "CLAIMDIFF_HTTP_RETRIES": "1"}
        failed = claimdiff("run", articles, "--db", db, "--force", cwd=tmp_path, env=impatient)
        assert failed.returncode == 1
        failed_json = claimdiff("run", articles, "--db", db, "--force", "--log-format", "json",
                                cwd=tmp_path, env=impatient)  # fmt: skip
    printed = [recorded.stdout + recorded.stderr, failed.stdout + failed.stderr,
               failed_json.stdout + failed_json.stderr]  # fmt: skip
    for args in (["sql", "SELECT * FROM runs"], ["sql", "SELECT * FROM failures"], ["runs"],
                 ["diverge"]):  # fmt: skip
        shown = CliRunner().invoke(app, [*args, "--db", str(db)])
        assert shown.exit_code == 0, shown.output
        printed.append(shown.output)

    # The key was in play, and went where it should.
    authorizations = {r.headers.get("authorization") for r in server.received}
    assert authorizations == {f"Bearer {SECRET}"}
    for received in server.received:
        headers = {k: v for k, v in received.headers.items() if k != "authorization"}
        assert SECRET not in repr(headers) and SECRET.encode() not in received.raw
    assert server.faults_served[RATE_LIMITED] == 1

    assert '"event": "run_done"' in recorded.stderr
    assert rows(db, "SELECT count(*) FROM failures WHERE stage = 'transport'") != [(0,)]
    assert "HTTP 503" in failed.stdout + failed.stderr
    for output in printed:
        assert "SECRET" not in output

    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".txt"]
    assert db in written and any(p.suffix == ".yaml" for p in written)
    for path in written:  # the database, its WAL, the cassettes, anything else written
        data = path.read_bytes()
        assert SECRET.encode() not in data and b"SECRET" not in data, path
    for cassette in cassettes.rglob("*.yaml"):
        text = cassette.read_text(encoding="utf-8").casefold()
        for word in ("authorization", "bearer", "api-key", "x-stainless", "sk-test"):
            assert word not in text, (word, cassette)
