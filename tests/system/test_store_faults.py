"""`claimdiff run` against what goes wrong with its database, as a real process on real
files: a full disk, a read-only folder, a file of another program, of an older claimdiff, or
not a database; SIGTERM and SIGINT. Each ends in one clear line and its documented exit code
(73, 65, 143, 130), keeps every document committed before, and the next run goes on.

The full disk and the read-only folder are small tmpfs mounts (root only; skipped otherwise,
or, for the read-only folder, made with chmod when not root)."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from cli_support import CLAIMDIFF, claimdiff, differences, environment, live_env, rows, snapshot
from fakeserver import FakeServer, Faults, first_choices

from pipeline.store.synthetic import write_articles

ROOT = Path(__file__).resolve().parents[2]


def one_error_line(stderr: str) -> str:
    """The run's error message: exactly one line starting with `error:`, no traceback."""
    assert "Traceback" not in stderr, stderr[-3000:]
    assert "no transaction is active" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr[-3000:]
    return lines[0]


def mount(folder: Path, options: str) -> None:
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


@contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("a small filesystem needs root to mount")
    folder.mkdir(parents=True, exist_ok=True)
    mount(folder, f"size={size},mode=0777")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)


def off_topic_articles(folder: Path, count: int, size: int) -> Path:
    """Articles the relevance score keeps from the model (stored as `skipped`, no model
    needed), of long random words: DuckDB cannot compress them much, and there are few
    words to score."""
    rng = random.Random(5)
    folder.mkdir(parents=True, exist_ok=True)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for n in range(count):
        words = ["".join(rng.choices(letters, k=200)) for _ in range(size // 201)]
        text = f"Published: 2025-01-0{n % 9 + 1}\n\n" + " ".join(words) + ".\n"
        (folder / f"notes_{n:03d}.txt").write_text(text)
    return folder


def whole_documents(db: Path) -> int:
    """Stored documents, each with exactly its text (nothing half written)."""
    with duckdb.connect(str(db), read_only=True) as con:
        broken = con.execute("SELECT count(*) FROM documents WHERE length(text) <> chars")
        broken = broken.fetchone()
        count = con.execute("SELECT count(*) FROM documents").fetchone()
    assert broken == (0,)
    assert count is not None
    return int(count[0])


def test_a_full_disk_is_one_line_exit_73_and_the_next_run_goes_on(tmp_path: Path) -> None:
    inbox = off_topic_articles(tmp_path / "inbox", 120, 30_000)  # 3.6 MB of text
    first = tmp_path / "first"
    first.mkdir()
    for path in sorted(inbox.iterdir())[:10]:
        (first / path.name).write_bytes(path.read_bytes())
    with tmpfs(tmp_path / "small", "3m") as small:
        db = small / "claimdiff.duckdb"
        fits = claimdiff("run", first, "--db", db, cwd=tmp_path)
        assert fits.returncode == 0, fits.stderr[-2000:]
        full = claimdiff("run", inbox, "--db", db, cwd=tmp_path)
        assert full.returncode == 73, full.stdout[-2000:] + full.stderr[-2000:]
        line = one_error_line(full.stderr)
        assert "is full" in line and str(db) in line and "kept" in line
        assert 10 <= whole_documents(db) < 120
        remount(small, "size=64m")
        again = claimdiff("run", inbox, "--db", db, cwd=tmp_path)
        assert again.returncode == 0, again.stderr[-3000:]
        assert whole_documents(db) == 120
        assert rows(db, "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL")[0][0] >= 2


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` made read-only: a read-only remount of a tmpfs as root, chmod otherwise."""
    if os.geteuid() == 0:
        remount(folder, "ro")
        try:
            yield
        finally:
            remount(folder, "rw")
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@contextmanager
def folder_for_read_only(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "shared"
    if os.geteuid() == 0:
        with tmpfs(folder, "16m"):
            yield folder
    else:
        folder.mkdir()
        yield folder


def test_a_read_only_folder_is_one_line_exit_73(tmp_path: Path) -> None:
    inbox = off_topic_articles(tmp_path / "inbox", 3, 2000)
    with folder_for_read_only(tmp_path) as folder:
        new_db = folder / "new.duckdb"
        existing = folder / "claimdiff.duckdb"
        first = claimdiff("run", inbox, "--db", existing, cwd=tmp_path)
        assert first.returncode == 0, first.stderr[-2000:]
        before = hashlib.sha256(existing.read_bytes()).hexdigest()
        with read_only(folder):
            for db in (new_db, existing):
                result = claimdiff("run", inbox, "--force", "--db", db, cwd=tmp_path)
                assert result.returncode == 73, result.stderr[-2000:]
                line = one_error_line(result.stderr)
                assert "read-only" in line and str(db) in line
        assert not new_db.exists()
        assert hashlib.sha256(existing.read_bytes()).hexdigest() == before
        assert whole_documents(existing) == 3


def foreign_files(tmp_path: Path) -> dict[Path, str]:
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE documents (id INTEGER, body VARCHAR)")
        con.execute("INSERT INTO documents VALUES (1, 'an invoice')")
    older = tmp_path / "older.duckdb"
    with duckdb.connect(str(older)) as con:
        con.execute("CREATE TABLE documents (document_id VARCHAR, text VARCHAR)")
        con.execute("CREATE TABLE facts (fact_id VARCHAR, document_id VARCHAR)")
        con.execute("CREATE TABLE runs (run_id VARCHAR)")
    notes = tmp_path / "notes.duckdb"
    notes.write_text("my notes, not a database\n" * 200)
    return {other: "another program", older: "older claimdiff", notes: "not a DuckDB database"}


def test_a_database_that_is_not_ours_is_one_line_exit_65_and_untouched(tmp_path: Path) -> None:
    inbox = off_topic_articles(tmp_path / "inbox", 2, 2000)
    for db, words in foreign_files(tmp_path).items():
        before = hashlib.sha256(db.read_bytes()).hexdigest()
        result = claimdiff("run", inbox, "--db", db, cwd=tmp_path)
        assert result.returncode == 65, (db, result.stderr[-2000:])
        line = one_error_line(result.stderr)
        assert words in line and str(db) in line
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before
        assert not db.with_name(db.name + ".wal").exists()


# ----------------------------------------------------------------------------- signals


def committed(db: Path) -> int:
    """Documents committed so far (0 while the file is missing or held a moment)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with duckdb.connect(str(db), read_only=True) as con:
                found = con.execute("SELECT count(*) FROM documents").fetchone()
                return int(found[0]) if found else 0
        except duckdb.Error:
            time.sleep(0.02)
    return 0


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize(("number", "code", "word"), [
    (signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted"),
])  # fmt: skip
def test_a_signalled_run_exits_with_its_code_and_the_next_run_goes_on(
    tmp_path: Path, number: int, code: int, word: str
) -> None:
    inbox = tmp_path / "inbox"
    write_articles(inbox, 16)
    clean_db, db = tmp_path / "clean.duckdb", tmp_path / "claimdiff.duckdb"
    with FakeServer(responder=first_choices) as server:
        clean = claimdiff("run", inbox, "--db", clean_db, cwd=tmp_path,
                          env=live_env(server.base_url))  # fmt: skip
        assert clean.returncode == 0, clean.stderr[-2000:]
        server.faults = Faults(latency=0.25)
        env = live_env(server.base_url, CLAIMDIFF_CONCURRENCY="1")
        command = [str(CLAIMDIFF), "run", str(inbox), "--db", str(db)]
        run = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            wait_for(lambda: committed(db) >= 2, 90, "two committed documents")
            run.send_signal(number)
            stdout, stderr = run.communicate(timeout=30)
        finally:
            if run.poll() is None:
                run.kill()
        assert run.returncode == code, stderr[-3000:]
        assert "Traceback" not in stderr + stdout
        [line] = [line for line in stderr.splitlines() if line.startswith(word)]
        assert "kept" in line
        kept = committed(db)
        assert 2 <= kept < 16
        server.faults = Faults()
        again = claimdiff("run", inbox, "--db", db, cwd=tmp_path, env=live_env(server.base_url))
        assert again.returncode == 0, again.stderr[-2000:]
    assert differences(snapshot(db), snapshot(clean_db)) == []


# A stand-in for llama.cpp's server: answers the readiness probe, then holds every chat request
# (a model thinking). LocalServer starts it in a session of its own, like the real one.
SLOW_MODEL = textwrap.dedent("""
    import sys, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args): pass
        def do_GET(self):
            body = b'{"object": "list", "data": [{"id": "m", "object": "model"}]}'
            self.send_response(200); self.send_header("Content-Length", str(len(body)))
            self.end_headers(); self.wfile.write(body)
        def do_POST(self):
            Path(sys.argv[2]).write_text("asked")
            time.sleep(600)

    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
""")

# `claimdiff run` with the embedded model's server command swapped for SLOW_MODEL (and no GGUF
# to assemble); everything else, LocalServer.stop included, is the real code.
WRAPPER = textwrap.dedent("""
    import os, subprocess, sys, types
    from pathlib import Path
    import pipeline.model.local as local

    local.assemble = lambda model, cache_dir, progress=None: Path(os.devnull)
    local.importlib = types.SimpleNamespace(util=types.SimpleNamespace(find_spec=lambda n: True))

    class Popen(subprocess.Popen):
        def __init__(self, command, *args, **kwargs):
            port = command[command.index("--port") + 1]
            super().__init__([sys.executable, os.environ["SLOW_MODEL"], port,
                              os.environ["ASKED_FILE"]], *args, **kwargs)
            Path(os.environ["CHILD_PID_FILE"]).write_text(str(self.pid))

    local.subprocess = types.SimpleNamespace(Popen=Popen, STDOUT=subprocess.STDOUT,
                                             TimeoutExpired=subprocess.TimeoutExpired)
    from pipeline.cli import main
    sys.argv = ["claimdiff", *sys.argv[1:]]
    main()
""")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.parametrize(("number", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_the_embedded_model_server_never_outlives_its_run(
    tmp_path: Path, number: int, code: int
) -> None:
    inbox = tmp_path / "inbox"
    write_articles(inbox, 3)
    (tmp_path / "slow_model.py").write_text(SLOW_MODEL)
    (tmp_path / "wrapper.py").write_text(WRAPPER)
    pid_file, asked = tmp_path / "child.pid", tmp_path / "asked"
    env = environment(SLOW_MODEL=str(tmp_path / "slow_model.py"), CHILD_PID_FILE=str(pid_file),
                      ASKED_FILE=str(asked), PYTHONPATH=str(ROOT),
                      CLAIMDIFF_CACHE_DIR=os.environ.get("CLAIMDIFF_CACHE_DIR", str(
                          Path.home() / ".cache" / "claimdiff")))  # fmt: skip
    run = subprocess.Popen([sys.executable, str(tmp_path / "wrapper.py"), "run", str(inbox),
                            "--db", str(tmp_path / "claimdiff.duckdb")], cwd=tmp_path, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        wait_for(asked.exists, 120, "the model server to be asked")
        child = int(pid_file.read_text())
        assert alive(child)
        run.send_signal(number)
        stdout, stderr = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == code, stderr[-3000:]
    assert "Traceback" not in stderr + stdout
    wait_for(lambda: not alive(child), 5, "the model server to stop")
