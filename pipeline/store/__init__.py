"""Store: the DuckDB file analysts query, written so that analysts can query it during a run.

A DuckDB file has one writer process or many readers, never both at once. So a run holds the
file only while it commits: it buffers finished documents and writes them in one transaction
per batch (whole documents only, crash safe), opening the file for the commit and closing it
right after. In between, any number of readers (`claimdiff sql`, `report`, an analyst's
read-only session) can open it; `connect_read_only` retries briefly on the writer's lock.
A reader that holds the file for long makes the run wait at its next commit, with a visible
message, while extraction goes on; nothing is lost.

The store only writes what it is given (`Outcome`s, a `Comparison`); rows are built by
`store.tables` from the record declarations.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.store.tables import (
    Row,
    columns_of,
    ddl,
    document_row,
    fact_row,
    record_row,
)
from schemas import SCHEMA_VERSION, Document, Failure, Outcome, record_spec, record_specs

FLUSH_SECONDS = 1.0  # buffered documents are committed at least this often
FLUSH_DOCUMENTS = 500  # or as soon as this many wait
RETRY_SECONDS = 0.02


class StoreError(RuntimeError):
    """The database cannot be used; the message says what to do."""


class StoreBusy(StoreError):
    """Another process holds the database."""


def _is_lock_error(error: Exception) -> bool:
    text = str(error)
    return "lock" in text.lower() and ("conflicting" in text.lower() or "could not set" in text.lower())


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if _is_lock_error(error):
            raise StoreBusy(f"{path} is in use by another process") from error
        raise StoreError(_io_message(path, error)) from error
    except duckdb.Error as error:
        raise StoreError(f"{path} is not a DuckDB database, or is damaged: {_first_line(error)}") from error


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _io_message(path: Path, error: BaseException) -> str:
    text = str(error)
    if "No space left" in text:
        return f"the disk holding {path} is full: free space and run again (committed documents are kept)"
    if "Permission denied" in text or "Read-only file system" in text:
        return f"cannot write {path}: the folder or file is read-only"
    return f"cannot open {path}: {_first_line(error)}"


def connect_read_only(path: Path, wait: float = 30.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection, retried while a run commits (it holds the file for a moment)."""
    if not path.exists():
        raise StoreError(f"no database at {path}; run `claimdiff run` first")
    deadline = time.monotonic() + wait
    while True:
        try:
            con = _connect(path, read_only=True)
        except StoreBusy:
            if time.monotonic() > deadline:
                raise StoreBusy(
                    f"{path} stayed locked by a writer for {wait:.0f} s; try again"
                ) from None
            time.sleep(RETRY_SECONDS)
            continue
        check_schema(con, path)
        return con


def check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A clear message for a file that is not ours, or of another schema version."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not tables:
        return
    if "meta" in tables:
        found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = found[0] if found else None
        if version == SCHEMA_VERSION:
            return
        raise StoreError(
            f"{path} was written by claimdiff with schema version {version}; this claimdiff "
            f"writes version {SCHEMA_VERSION}. Use a new --db file (re-run the articles into "
            "it), or the claimdiff version that wrote this one."
        )
    if {"documents", "facts", "runs"} <= tables:
        raise StoreError(
            f"{path} was written by an older claimdiff (schema version 1); this claimdiff "
            f"writes version {SCHEMA_VERSION}. Use a new --db file and re-run the articles into it."
        )
    raise StoreError(
        f"{path} is a DuckDB database of another program (tables: "
        f"{', '.join(sorted(tables)[:6])}); choose another --db file"
    )


@dataclass(frozen=True)
class Current:
    """What the database holds for a document: enough to skip it when nothing changed."""

    text_sha256: str
    model: str | None
    prompt_version: str | None
    schema_version: str | None
    status: str


class Store:
    """The run's writer. `open()` creates or checks the database and reads what it holds;
    `add()` buffers a document's outcome; `flush()` commits the buffer in one transaction."""

    def __init__(
        self,
        path: Path,
        on_wait: Callable[[str], None] | None = None,
        lock_timeout: float = 0.0,
    ) -> None:
        self.path = path
        self.on_wait = on_wait or (lambda message: None)
        self.lock_timeout = lock_timeout  # 0: wait for readers as long as it takes
        self.pending: list[Outcome] = []
        self.pending_failures: list[tuple[str, Failure]] = []  # inputs that never became documents
        self.current: dict[str, Current] = {}
        self._last_flush = time.monotonic()
        self.written = 0

    # -- connections

    @contextmanager
    def writer(self, wait: bool = True) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """The file opened for writing (None when busy and `wait` is False); closed after."""
        started = time.monotonic()
        told = False
        while True:
            try:
                con = _connect(self.path, read_only=False)
                break
            except StoreBusy:
                if not wait:
                    yield None
                    return
                if not told:
                    self.on_wait(f"{self.path} is open in another process (a reader?): "
                                 "waiting to write; extraction goes on")  # fmt: skip
                    told = True
                if self.lock_timeout and time.monotonic() - started > self.lock_timeout:
                    raise StoreBusy(f"{self.path} stayed locked for {self.lock_timeout:.0f} s") from None
                time.sleep(0.05)
        try:
            yield con
        except duckdb.Error as error:
            raise StoreError(_io_message(self.path, error)) from error
        finally:
            try:
                con.close()
            except duckdb.Error as error:
                raise StoreError(_io_message(self.path, error)) from error

    def open(self) -> Store:
        if self.path.parent and not self.path.parent.exists():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create {self.path.parent}: {error.strerror}") from error
        with self.writer() as con:
            assert con is not None
            check_schema(con, self.path)
            con.execute(ddl())
            con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            rows = con.execute(
                "SELECT document_id, text_sha256, model, prompt_version, schema_version, status "
                "FROM documents"
            ).fetchall()
        self.current = {r[0]: Current(*r[1:]) for r in rows}
        return self

    # -- runs

    def start_run(self, run_id: str, **meta: Any) -> None:
        with self.writer() as con:
            assert con is not None
            _insert(con, "runs", [{"run_id": run_id, "started_at": _now(), **meta}])

    def finish_run(self, run_id: str, **totals: Any) -> None:
        self.flush(force=True)
        sets = ", ".join(f"{k} = ?" for k in totals)
        with self.writer() as con:
            assert con is not None
            con.execute(f"UPDATE runs SET finished_at = ?, {sets} WHERE run_id = ?",
                        [_now(), *totals.values(), run_id])  # fmt: skip

    def is_current(self, document: Document, model: str, prompt_version: str) -> bool:
        """Was this exact text already extracted with this model, prompt and schema version?"""
        found = self.current.get(document.document_id)
        return bool(
            found
            and found.text_sha256 == document.text_sha256
            and found.model == model
            and found.prompt_version == prompt_version
            and found.schema_version == SCHEMA_VERSION
            and found.status in ("ok", "partial", "skipped")
        )

    # -- documents

    def add(self, outcome: Outcome) -> None:
        self.pending.append(outcome)
        if (
            len(self.pending) >= FLUSH_DOCUMENTS
            or time.monotonic() - self._last_flush >= FLUSH_SECONDS
        ):
            self.flush()

    def add_failure(self, run_id: str, failure: Failure) -> None:
        """An input that could not be read (a file, a table row): a `failures` row only."""
        self.pending_failures.append((run_id, failure))

    def flush(self, force: bool = False) -> bool:
        """Commit the buffered documents in one transaction; True when written. Unless
        `force`, a database held by a reader is left for the next flush."""
        if not self.pending and not self.pending_failures:
            return True
        with self.writer(wait=force) as con:
            if con is None:
                return False
            batch, failures = self.pending, self.pending_failures
            write_outcomes(con, batch, self.current, failures)
            self.pending, self.pending_failures = [], []
            self.written += len(batch)
        self._last_flush = time.monotonic()
        for outcome in batch:
            d = outcome.document
            self.current[d.document_id] = Current(d.text_sha256, outcome.model,
                                                  outcome.prompt_version, SCHEMA_VERSION,
                                                  outcome.status)  # fmt: skip
        return True


def write_outcomes(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[Outcome],
    current: dict[str, Current],
    read_failures: Sequence[tuple[str, Failure]] = (),
) -> None:
    """One transaction: replace each document's rows with its outcome's (and record inputs
    that could not be read, replacing their earlier read failures)."""
    tables: dict[str, list[Row]] = {"documents": [], "facts": [], "failures": []}
    for spec in record_specs():
        tables[spec.table] = []
    replaced = [o.document.document_id for o in batch if o.document.document_id in current]
    for outcome in batch:
        document = outcome.document
        tables["documents"].append(document_row(document, {
            "relevant": outcome.relevant, "relevance_score": outcome.relevance_score,
            "status": outcome.status, "model": outcome.model,
            "prompt_version": outcome.prompt_version, "schema_version": SCHEMA_VERSION,
            "run_id": outcome.run_id,
        }))  # fmt: skip
        if outcome.interpretation is not None:
            records = {r.record_id: r for r in outcome.interpretation.records}
            for record in outcome.interpretation.records:
                spec = record_spec(record.record_type)
                tables[spec.table].append(record_row(spec, record))
            for fact in outcome.interpretation.facts:
                tables["facts"].append(fact_row(fact, records[fact.record_id], document.language))
        tables["failures"] += [failure_row(outcome.run_id, f) for f in outcome.failures]
    tables["failures"] += [failure_row(run_id, f) for run_id, f in read_failures]
    unread = [f.document_id for _, f in read_failures]
    con.begin()
    try:
        if unread:
            con.execute("DELETE FROM failures WHERE stage = 'read' AND document_id IN "
                        "(SELECT unnest(?))", [unread])  # fmt: skip
        if replaced:
            # Only documents stored before are deleted, so a run over new articles never scans.
            for table in ("documents", "facts", "failures", *(s.table for s in record_specs())):
                con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?))",
                            [replaced])  # fmt: skip
        for table, rows in tables.items():
            _insert(con, table, rows)
        con.commit()
    except BaseException:
        try:
            con.rollback()
        except duckdb.Error:
            pass  # the transaction is already gone (a full disk aborts it)
        raise


def failure_row(run_id: str, failure: Failure) -> Row:
    return {
        "run_id": run_id, "document_id": failure.document_id, "source_path": failure.source_path,
        "stage": failure.stage, "chunk_index": failure.chunk_index,
        "record_type": failure.record_type, "reason": failure.reason, "failed_at": _now(),
    }  # fmt: skip


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Row]) -> None:
    """Insert rows as columns: one statement, unnested by DuckDB (row by row is 100× slower)."""
    if not rows:
        return
    columns = columns_of(rows)
    names = list(columns)
    selects = ", ".join(f"unnest(${i + 1}) AS {name}" for i, name in enumerate(names))
    con.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT * FROM (SELECT {selects})",
        [columns[name] for name in names],
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
