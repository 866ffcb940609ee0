"""Store: the DuckDB file analysts query, written so that analysts can query it during a run.

One file, one writer, any number of readers. The run keeps the file closed and opens it only to
commit: about once a second (or every FLUSH_DOCUMENTS documents) it attaches the file to an
in-memory DuckDB, copies in a batch of whole documents in one transaction, checkpoints and
detaches. Everything Python does for a commit (the rows, their columns) is staged beforehand
in empty copies of the tables in that in-memory DuckDB, so that the file is held only for
DuckDB's own copying: tens of milliseconds. Readers (`connect_read_only`, `claimdiff sql`, an
analyst's session) open the file read-only between commits, retrying while one holds it; a
reader that keeps the file open makes the run wait (or give up after CLAIMDIFF_LOCK_TIMEOUT)
and buffer meanwhile, never lose work. Chosen over a published snapshot (a copy of the whole
file per batch) and DuckLake (a catalog and an extension for every analyst) because it keeps
the one-file contract at no cost when nobody reads.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipeline.store.columnar import insert_dicts
from pipeline.store.comparison import stage_comparison, write_staged_comparison
from pipeline.store.errors import (
    EX_CANTCREAT,
    EX_DATAERR,
    EX_TEMPFAIL,
    StoreBusy,
    StoreCannotWrite,
    StoreError,
    StoreNotOurs,
    check_schema,
    classify,
)
from pipeline.store.locks import RunLock, alive, prompt_gil
from pipeline.store.read import connect_read_only
from pipeline.store.writes import (
    create_tables,
    stage_ddl,
    stage_outcomes,
    utc_now,
    write_staged,
)
from schemas import SCHEMA_VERSION, Comparison, Document, Failure, Outcome

__all__ = [
    "EX_CANTCREAT",
    "EX_DATAERR",
    "EX_TEMPFAIL",
    "FLUSH_DOCUMENTS",
    "Current",
    "Store",
    "StoreBusy",
    "StoreCannotWrite",
    "StoreError",
    "StoreNotOurs",
    "check_schema",
    "classify",
    "connect_read_only",
]

FLUSH_SECONDS = 1.0  # buffered documents are committed at least this often
FLUSH_DOCUMENTS = 500  # or as soon as this many wait
MAX_PENDING = 5000  # documents buffered while a reader holds the file; then the run waits
WRITE_RETRY_SECONDS = 0.02  # how often the writer retries while a reader holds it
CHECKPOINT_THRESHOLD = "1KB"  # see Store._attach
_ALIAS = "claimdiff_db"  # the file's name while the writer has it attached


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
    `start_run()` takes the run lock (one run per database at a time); `add()` buffers a
    document's outcome and commits when due; `flush()` commits the buffer in one transaction;
    `finish_run()` commits the rest, records the run's totals and releases the run lock."""

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
        self.unread: set[str] = set()  # ids with a `read` failure row of an earlier run
        self.written = 0
        self.waits: list[float] = []  # seconds each commit waited for readers
        self.replace_seconds = 0.0  # spent deleting the rows of re-extracted documents
        self._last_flush = time.monotonic()
        self._told_busy = False
        self.run_lock = RunLock(path)
        self._host: duckdb.DuckDBPyConnection | None = None

    # -- connections

    @contextmanager
    def writer(self, wait: bool = True) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """The file opened for writing (None when busy and `wait` is False), released after:
        a connection whose default database is the file. Every error inside comes out as a
        one-line `StoreError`."""
        started = time.monotonic()
        told = False
        while True:
            try:
                with prompt_gil():
                    con = self._attach()
                break
            except StoreBusy:
                if not wait:
                    yield None
                    return
                waited = time.monotonic() - started
                if self.lock_timeout and waited > self.lock_timeout:
                    raise StoreBusy(
                        f"{self.path} stayed locked by another process for "
                        f"{self.lock_timeout:g} s (CLAIMDIFF_LOCK_TIMEOUT); try again later"
                    ) from None
                if not told and waited > 0.5:
                    self.on_wait(f"{self.path} is open in another process (a reader?): "
                                 "waiting to write")  # fmt: skip
                    told = True
                time.sleep(WRITE_RETRY_SECONDS)
        self.waits.append(time.monotonic() - started)
        if told:
            self.on_wait(f"{self.path} is free again: writing")
        failed = False
        with prompt_gil():
            try:
                yield con
            except (duckdb.Error, OSError) as error:
                failed = True
                raise classify(self.path, error) from error
            except BaseException:
                failed = True
                raise
            finally:
                self._detach(failed)

    def _memory(self) -> duckdb.DuckDBPyConnection:
        """This store's in-memory DuckDB, started once: it attaches the file to write, and
        holds empty copies of the tables where a batch is staged before (`flush`).

        A DuckDB instance costs 20-50 ms to start and stop (it registers every built-in
        function); attaching a file to one kept running costs 2-3 ms, and detaching it
        checkpoints and releases the file's lock just as closing would."""
        if self._host is None:
            try:
                host = duckdb.connect(":memory:")
                # Checkpoint at every commit, without writing the WAL first: the file is
                # released right after anyway, and readers then never replay a WAL. A
                # checkpoint is atomic (a new header, written last), so a commit interrupted
                # at any moment leaves the database as it was before.
                host.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
                host.execute(stage_ddl())  # in the instance's own database, `memory`
            except duckdb.Error as error:
                raise classify(self.path, error) from error
            self._host = host
        return self._host

    def _attach(self, path: Path | None = None) -> duckdb.DuckDBPyConnection:
        """The file attached to this store's in-memory DuckDB, and made its default database."""
        host = self._memory()
        target = str(path or self.path).replace("'", "''")
        try:
            host.execute(f"ATTACH '{target}' AS {_ALIAS}; USE {_ALIAS}")  # one GIL round trip
        except (duckdb.Error, OSError) as error:
            classified = classify(self.path, error)
            if not isinstance(classified, StoreBusy):  # busy: nothing attached, staging kept
                self._drop_host()
            raise classified from error
        return host

    def _detach(self, failed: bool) -> None:
        """Checkpoint and release the file. If that fails (a full disk), the whole in-memory
        instance goes, so that the lock goes with it; committed work is in the WAL."""
        host = self._host
        if host is None:
            return
        try:
            host.execute(f"USE memory; DETACH {_ALIAS}")
        except (duckdb.Error, OSError) as error:
            self._drop_host()
            if not failed:
                raise classify(self.path, error) from error

    def _drop_host(self) -> None:
        host, self._host = self._host, None
        if host is not None:
            with contextlib.suppress(duckdb.Error, OSError):
                host.close()

    def close(self) -> None:
        """Release everything this store holds (the run lock, the in-memory DuckDB)."""
        self.run_lock.release()
        self._drop_host()

    def open(self) -> Store:
        """Create the database (whole, or not at all) or check it, and read what it holds."""
        parent = self.path.parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise classify(parent, error) from error
        if not self.path.exists() or self.path.stat().st_size == 0:
            self._create()
        with self.writer() as con:
            assert con is not None
            check_schema(con, self.path)
            create_tables(con)  # tables of record types declared since
            rows = con.execute(
                "SELECT document_id, text_sha256, model, prompt_version, schema_version, status "
                "FROM documents"
            ).fetchall()
            unread = con.execute(
                "SELECT DISTINCT document_id FROM failures WHERE stage = 'read'"
            ).fetchall()
        self.current = {r[0]: Current(*r[1:]) for r in rows}
        self.unread = {r[0] for r in unread}
        return self

    def _create(self) -> None:
        """A new database is made under a temporary name and linked into place when its
        tables are there: a run killed at that moment leaves no file, or a whole one (never
        a half-written header that every later run would refuse)."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.new"):
            with contextlib.suppress(ValueError, OSError):
                pid = int(stale.name.rsplit(".", 2)[-2])
                if pid != os.getpid() and not alive(pid):
                    stale.unlink()
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.new")
        try:
            temporary.unlink(missing_ok=True)
            con = self._attach(temporary)
            try:
                create_tables(con)
            finally:
                self._detach(failed=False)
            try:
                os.link(temporary, self.path)  # never over a file another process made
            except FileExistsError:
                if self.path.stat().st_size == 0:  # an empty file: nothing to keep
                    os.replace(temporary, self.path)
        except OSError as error:
            raise classify(self.path, error) from error
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    # -- runs

    def start_run(self, run_id: str, **meta: Any) -> None:
        """Take the run lock (StoreBusy if another run holds it) and record the run."""
        self.run_lock.acquire()
        try:
            with self.writer() as con:
                assert con is not None
                insert_dicts(con, "runs", [{"run_id": run_id, "started_at": utc_now(), **meta}])
        except BaseException:
            self.close()
            raise

    def finish_run(self, run_id: str, **totals: Any) -> None:
        """Commit what is buffered, record the run's totals, release the run lock."""
        try:
            self.flush(force=True)
            self._record_totals(run_id, totals, wait=True)
        finally:
            self.close()

    def abandon_run(self, run_id: str, **totals: Any) -> None:
        """A run that stops on an error or a signal: commit what is buffered and the totals if
        the file is free right now (never wait, never raise), and release the run lock."""
        try:
            with contextlib.suppress(StoreError):
                if self.flush(force=False):
                    self._record_totals(run_id, totals, wait=False)
        finally:
            self.close()

    def _record_totals(self, run_id: str, totals: dict[str, Any], wait: bool) -> None:
        sets = ", ".join(f"{k} = ?" for k in totals)
        with self.writer(wait=wait) as con:
            if con is not None:
                con.execute(f"UPDATE runs SET finished_at = ?{', ' if sets else ''}{sets} "
                            "WHERE run_id = ?", [utc_now(), *totals.values(), run_id])  # fmt: skip

    # -- the comparison

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """The run lock for work that must not interleave with a run (a comparison started
        on its own); within a run, which holds it already, nothing changes."""
        held = self.run_lock.held
        self.run_lock.acquire()
        try:
            yield
        finally:
            if not held:
                self.run_lock.release()

    def write_comparison(self, comparison: Comparison) -> None:
        """Replace the comparison tables: rows staged in memory first, then one short hold."""
        try:
            stage_comparison(self._memory(), comparison)
        except duckdb.Error as error:
            raise classify(self.path, error) from error
        with self.writer() as con:
            assert con is not None
            write_staged_comparison(con)

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
        """Buffer a document; commit when FLUSH_DOCUMENTS wait or FLUSH_SECONDS have passed.
        While a reader holds the file the run goes on buffering (saying so once), and waits
        for it once MAX_PENDING documents wait."""
        self.pending.append(outcome)
        due = (
            len(self.pending) >= FLUSH_DOCUMENTS
            or time.monotonic() - self._last_flush >= FLUSH_SECONDS
        )
        if not due:
            return
        if self.flush(force=len(self.pending) >= MAX_PENDING):
            if self._told_busy:
                self._told_busy = False
            return
        if not self._told_busy:
            self.on_wait(
                f"{self.path} is open in another process (a reader?): {len(self.pending)} "
                "documents wait to be written; extraction goes on"
            )
            self._told_busy = True

    def add_failure(self, run_id: str, failure: Failure) -> None:
        """An input that could not be read (a file, a table row): a `failures` row only."""
        self.pending_failures.append((run_id, failure))

    def flush(self, force: bool = False) -> bool:
        """Commit the buffered documents in one transaction; True when written. Unless
        `force`, a database held by a reader is left for the next flush."""
        if not self.pending and not self.pending_failures:
            return True
        batch, failures = self.pending, self.pending_failures
        try:
            staged = stage_outcomes(self._memory(), batch, self.current, failures, self.unread)
        except duckdb.Error as error:
            raise classify(self.path, error) from error
        with self.writer(wait=force) as con:
            if con is None:
                self._last_flush = time.monotonic()  # retry after FLUSH_SECONDS, not per add
                return False
            self.replace_seconds += write_staged(con, staged)
            self.pending, self.pending_failures = [], []
            self.written += len(batch)
        self._last_flush = time.monotonic()
        for outcome in batch:
            d = outcome.document
            self.current[d.document_id] = Current(d.text_sha256, outcome.model,
                                                  outcome.prompt_version, SCHEMA_VERSION,
                                                  outcome.status)  # fmt: skip
            self.unread.discard(d.document_id)
        self.unread.difference_update(f.document_id for _, f in failures)
        return True
