"""Real input formats through `claimdiff run`, as a data team feeds it: an HTML page, a JSONL
file, a Parquet table and JSONL on stdin, mixed in one folder, each row or page a document
with its metadata; a row without text is a `read` failure of its own, and nothing else is
lost."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
from cli_support import CLAIMDIFF, claimdiff, dicts, live_env, rows
from fakeserver import FakeServer, first_choices

# Pages and rows written for this test; places are real, outlets and people made up.
PAGE = """<!doctype html>
<html lang="en"><head>
<title>Shelling hits market in Kadugli | Nuba Courier</title>
<meta property="og:site_name" content="Nuba Courier">
<meta property="og:title" content="Shelling hits market in Kadugli">
<meta property="article:published_time" content="2025-02-03T09:15:00Z">
<link rel="canonical" href="https://nuba-courier.example/2025/02/kadugli-market">
</head><body>
<nav>Home | World | Sport | Markets</nav>
<article><h1>Shelling hits market in Kadugli</h1>
<p>KADUGLI — Artillery shells struck the central market of Kadugli on Sunday, killing at
least 14 people and wounding 37, the state health office said.</p>
<p>Witnesses said the shells came from positions east of the town. Traders said dozens of
stalls burned, and the market stayed closed on Monday.</p>
</article>
<footer>Subscribe to our newsletter. Cookie settings.</footer>
</body></html>
"""

ROWS = [
    {"id": "wire-0204", "url": "https://wire.example/kadugli", "outlet": "Sahel Wire",
     "published": "2025-02-04", "title": "Kadugli toll rises",
     "text": "The toll from Sunday's shelling of the Kadugli market rose to 19 dead, medics "
             "said, and 40 people were being treated for wounds.", "section": "world"},
    {"id": "wire-0205", "url": "https://wire.example/empty", "outlet": "Sahel Wire",
     "published": "2025-02-05", "title": "A row without its text", "text": None},
]  # fmt: skip

TABLE = [
    ("ledger-0203", "https://ledger.example/a", "Kordofan Ledger", "2025-02-03",
     "Market struck", "Shells struck a market in Kadugli on Sunday; 16 people were killed, "
     "local officials said."),
]  # fmt: skip

STDIN = {"id": "radio-0204", "outlet": "Radio Dalami", "published": "2025-02-04",
         "text": "Au moins 18 personnes ont été tuées dimanche à Kadugli, selon la police.",
         "language": "fr"}  # fmt: skip


def test_pages_and_tables_become_documents_with_their_metadata(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "kadugli.html").write_text(PAGE, encoding="utf-8")
    (inbox / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t (id TEXT, url TEXT, outlet TEXT, published TEXT, "
                    "title TEXT, text TEXT)")  # fmt: skip
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", TABLE)
        con.execute(f"COPY t TO '{inbox / 'ledger.parquet'}' (FORMAT parquet)")
    db = tmp_path / "claimdiff.duckdb"
    with FakeServer(responder=first_choices) as server:
        env = live_env(server.base_url)
        done = claimdiff("run", inbox, "--db", db, cwd=tmp_path, env=env)
        piped = subprocess.run([str(CLAIMDIFF), "run", "-", "--db", str(db)],
                               input=json.dumps(STDIN) + "\n", text=True, capture_output=True,
                               cwd=tmp_path, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 1, done.stderr  # one row failed, the rest stored
    assert "Traceback" not in done.stderr and "wire-0205" in done.stderr
    assert piped.returncode == 0, piped.stderr

    documents = {d["document_id"]: d for d in dicts(db, "SELECT * FROM documents")}
    page = documents["kadugli"]
    assert (page["outlet"], page["title"], page["url"], str(page["published"])) == (
        "Nuba Courier", "Shelling hits market in Kadugli",
        "https://nuba-courier.example/2025/02/kadugli-market", "2025-02-03",
    )  # fmt: skip
    assert "Artillery shells struck" in page["text"] and "Cookie" not in page["text"]
    assert page["language"] == "en" and page["status"] == "ok"

    wire = documents["wire-0204"]
    assert (wire["outlet"], wire["url"], str(wire["published"])) == (
        "Sahel Wire", "https://wire.example/kadugli", "2025-02-04")  # fmt: skip
    assert documents["ledger-0203"]["outlet"] == "Kordofan Ledger"
    assert documents["radio-0204"]["language"] == "fr"

    # the row without text could not be read: no document, a `read` failure naming its row
    assert "wire-0205" not in documents
    [(stage, reason)] = rows(db, "SELECT stage, reason FROM failures "
                                 "WHERE document_id = 'wire-0205'")  # fmt: skip
    assert stage == "read" and "text" in reason, (stage, reason)

    # offsets refer to the stored text, whatever the format
    assert rows(db, """SELECT count(*) FROM facts f JOIN documents d USING (document_id)
                       WHERE substr(d.text, f.char_start + 1, f.char_end - f.char_start)
                             <> f.quote""") == [(0,)]  # fmt: skip
    assert rows(db, "SELECT count(DISTINCT document_id) FROM facts")[0][0] >= 3

    # ids are stable: a second run over the same inputs makes no request and stores no new row
    before = rows(db, "SELECT document_id, text_sha256 FROM documents ORDER BY 1")
    with FakeServer(responder=first_choices) as server:
        again = claimdiff("run", inbox, "--db", db, cwd=tmp_path, env=live_env(server.base_url))
        assert server.chats == []
    assert again.returncode == 1  # the text-less row fails again, and says so
    assert rows(db, "SELECT document_id, text_sha256 FROM documents ORDER BY 1") == before
