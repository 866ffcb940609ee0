"""Store: the DuckDB file analysts query, written so that analysts can query it during a run.

DESIGN-PLACEHOLDER
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import duckdb

from pipeline.store.tables import BatchRows, Row, ddl, insert_dicts
from schemas import SCHEMA_VERSION, Document, Failure, Outcome, record_specs

FLUSH_SECONDS = 1.0  # buffered documents are committed at least this often
FLUSH_DOCUMENTS = 500  # or as soon as this many wait
MAX_PENDING = 5000  # documents buffered while a reader holds the file; then the run waits
READ_RETRY_SECONDS = 0.02  # how often a reader retries while a commit holds the file
WRITE_RETRY_SECONDS = 0.02  # how often the writer retries while a reader holds it
CHECKPOINT_THRESHOLD = "1KB"  # see Store._attach
_ALIAS = "claimdiff_db"  # the file's name while the writer has it attached

# sysexits.h codes for the errors below (documented in `claimdiff run --help`)
EX_DATAERR = 65  # the file is not a claimdiff database of this schema
EX_CANTCREAT = 73  # the database cannot be created or written (disk full, read-only)
EX_TEMPFAIL = 75  # the database stayed busy; try again later


class StoreError(RuntimeError):
    """The database cannot be used; the message (one line) says what to do. `exit_code` is
    what `claimdiff run` exits with."""

    exit_code = EX_CANTCREAT


class StoreBusy(StoreError):
    """Another process holds the database (a reader past the lock timeout, another run)."""

    exit_code = EX_TEMPFAIL


class StoreCannotWrite(StoreError):
    """The database or its folder cannot be created or written: disk full, read-only."""

    exit_code = EX_CANTCREAT


class StoreNotOurs(StoreError):
    """The file is not a claimdiff database of this schema version (another program's, an
    older claimdiff's, or not a database at all)."""

    exit_code = EX_DATAERR


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _is_lock_error(error: BaseException) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def classify(path: Path, error: BaseException) -> StoreError:
    """A DuckDB or OS error on `path` as the StoreError a person can act on (one line)."""
    if isinstance(error, StoreError):
        return error
    text = str(error)
    code = error.errno if isinstance(error, OSError) else None
    if _is_lock_error(error) or "Unique file handle conflict" in text:
        return StoreBusy(f"{path} is in use by another process")
    if code == errno.ENOSPC or "No space left" in text or "Disk full" in text:
        return StoreCannotWrite(
            f"the disk holding {path} is full: free space and run again "
            "(documents committed so far are kept; the next run goes on from there)"
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or any(
        words in text for words in ("Permission denied", "Read-only file system", "read-only")
    ):
        return StoreCannotWrite(
            f"cannot write {path}: the file or its folder is read-only "
            "(choose another --db, or make it writable)"
        )
    if "not a valid DuckDB database" in text or "Invalid Input Error: The file" in text:
        return StoreNotOurs(f"{path} is not a DuckDB database: choose another --db file")
    if "created with" in text and "version" in text.lower():
        return StoreNotOurs(f"{path} was written by another DuckDB version: {_first_line(error)}")
    if isinstance(error, OSError):
        return StoreError(f"cannot use {path}: {error.strerror or _first_line(error)}")
    return StoreError(f"cannot use {path}: {_first_line(error)}")


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except (duckdb.Error, OSError) as error:
        raise classify(path, error) from error


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
            time.sleep(READ_RETRY_SECONDS)
            continue
        try:
            check_schema(con, path)
        except BaseException:
            con.close()
            raise
        return con


def check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A clear message for a file that is not ours, or of another schema version."""
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema = 'main'"
        ).fetchall()
    }
    if not tables:
        return
    if "meta" in tables:
        found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = found[0] if found else None
        if version == SCHEMA_VERSION:
            return
        raise StoreNotOurs(
            f"{path} was written by claimdiff with schema version {version}; this claimdiff "
            f"writes version {SCHEMA_VERSION}. Use a new --db file (re-run the articles into "
            "it), or the claimdiff version that wrote this one."
        )
    if {"documents", "facts", "runs"} <= tables:
        raise StoreNotOurs(
            f"{path} was written by an older claimdiff (schema version 1); this claimdiff "
            f"writes version {SCHEMA_VERSION}. Use a new --db file and re-run the articles into it."
        )
    raise StoreNotOurs(
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
        self._run_lock: IO[str] | None = None
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

    def _attach(self, path: Path | None = None) -> duckdb.DuckDBPyConnection:
        """The file attached to this store's in-memory DuckDB, and made its default database.

        A DuckDB instance costs 20-50 ms to start and stop (it registers every built-in
        function); attaching a file to one kept running costs 2-3 ms, and detaching it
        checkpoints and releases the file's lock just as closing would."""
        if self._host is None:
            try:
                self._host = duckdb.connect(":memory:")
                # Checkpoint at every commit, without writing the WAL first: the file is
                # released right after anyway, and readers then never replay a WAL. A
                # checkpoint is atomic (a new header, written last), so a commit interrupted
                # at any moment leaves the database as it was before.
                self._host.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
            except duckdb.Error as error:
                raise classify(self.path, error) from error
        host = self._host
        target = str(path or self.path).replace("'", "''")
        try:
            host.execute(f"ATTACH '{target}' AS {_ALIAS}")
            host.execute(f"USE {_ALIAS}")
        except (duckdb.Error, OSError) as error:
            self._drop_host()
            raise classify(self.path, error) from error
        return host

    def _detach(self, failed: bool) -> None:
        """Checkpoint and release the file. If that fails (a full disk), the whole in-memory
        instance goes, so that the lock goes with it; committed work is in the WAL."""
        host = self._host
        if host is None:
            return
        try:
            host.execute("USE memory")
            host.execute(f"DETACH {_ALIAS}")
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
        self._unlock_run()
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
            _create_tables(con)  # tables of record types declared since
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
                if pid != os.getpid() and not _alive(pid):
                    stale.unlink()
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.new")
        try:
            temporary.unlink(missing_ok=True)
            con = self._attach(temporary)
            try:
                _create_tables(con)
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
        self._lock_run()
        try:
            with self.writer() as con:
                assert con is not None
                insert_dicts(con, "runs", [{"run_id": run_id, "started_at": _now(), **meta}])
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
                            "WHERE run_id = ?", [_now(), *totals.values(), run_id])  # fmt: skip

    def _lock_run(self) -> None:
        """One run per database: an advisory lock on `<db>.lock`, held until the run ends
        (released by the kernel if the process dies, SIGKILL included)."""
        if self._run_lock is not None:
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            handle = lock_path.open("a+", encoding="utf-8")
        except OSError as error:
            raise classify(self.path, error) from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise StoreBusy(
                f"another claimdiff run{f' (pid {holder})' if holder else ''} is writing "
                f"{self.path}; try again when it has finished"
            ) from None
        with contextlib.suppress(OSError):
            handle.truncate(0)
            handle.write(str(os.getpid()))
            handle.flush()
        self._run_lock = handle

    def _unlock_run(self) -> None:
        handle, self._run_lock = self._run_lock, None
        if handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()

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
        with self.writer(wait=force) as con:
            if con is None:
                self._last_flush = time.monotonic()  # retry after FLUSH_SECONDS, not per add
                return False
            batch, failures = self.pending, self.pending_failures
            self.replace_seconds += write_outcomes(con, batch, self.current, failures,
                                                   self.unread)  # fmt: skip
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


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every table, and the schema version, in one transaction."""
    con.begin()
    try:
        con.execute(ddl())
        con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        con.commit()
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_outcomes(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[Outcome],
    current: dict[str, Current] | set[str],
    read_failures: Sequence[tuple[str, Failure]] = (),
    unread: set[str] | frozenset[str] = frozenset(),
) -> float:
    """One transaction: replace each document's rows with its outcome's (and record inputs
    that could not be read, replacing their earlier read failures). Returns the seconds spent
    deleting the rows of documents stored before.

    Only documents the database already holds (`current`) are deleted first, in one statement
    per table for the whole batch: a batch of new documents deletes nothing and scans nothing.
    The statement is a semi-join on the batch's ids, and DuckDB pushes their range into the
    scan, which skips the row groups (zone maps) that cannot hold them; an ART index on
    `document_id` measured slower (its upkeep on every insert and delete costs more than the
    scans it saves: 154 vs 68 ms CPU for one replaced document at 100,000 stored)."""
    with _no_gc():
        rows = _batch_rows(batch, read_failures)
    latest = {o.document.document_id for o in batch}
    runs = sorted({o.run_id for o in batch} | {run_id for run_id, _ in read_failures})
    replaced = [d for d in latest if d in current]
    # Read failures of earlier runs go once the input is stored or refused again; this run's
    # own refusals stay (another file may carry the id of a document this run stores).
    unread_again = {d for d in latest if d in unread and d not in current}
    unread_again |= {f.document_id for _, f in read_failures if f.document_id in unread}
    deleting = 0.0
    con.begin()
    try:
        if unread_again:
            con.execute("DELETE FROM failures WHERE stage = 'read' AND document_id IN "
                        "(SELECT unnest(?)) AND run_id NOT IN (SELECT unnest(?))",
                        [sorted(unread_again), runs])  # fmt: skip
        if replaced:
            started = time.perf_counter()
            for table in ("documents", "facts", *(s.table for s in record_specs())):
                con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?))",
                            [replaced])  # fmt: skip
            con.execute("DELETE FROM failures WHERE document_id IN (SELECT unnest(?)) AND NOT "
                        "(stage = 'read' AND run_id IN (SELECT unnest(?)))",
                        [replaced, runs])  # fmt: skip
            deleting = time.perf_counter() - started
        with _no_gc():
            rows.insert(con)
        con.commit()
    except BaseException:
        # A full disk aborts the transaction itself: then there is nothing to roll back.
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise
    return deleting


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: building a batch's rows allocates ~1000 tuples per
    document, and every collection would walk the whole heap (2-3x the build time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _batch_rows(
    batch: Sequence[Outcome], read_failures: Sequence[tuple[str, Failure]]
) -> BatchRows:
    rows = BatchRows()
    now = _now()
    latest = {o.document.document_id: o for o in batch}  # a document twice: its last outcome
    for outcome in latest.values():
        document = outcome.document
        rows.add_document(document, (
            outcome.relevant, outcome.relevance_score, outcome.status, outcome.model,
            outcome.prompt_version, SCHEMA_VERSION, outcome.run_id,
        ))  # fmt: skip
        interpretation = outcome.interpretation
        if interpretation is not None:
            rows.add_interpretation(interpretation.records, interpretation.facts,
                                    document.language)  # fmt: skip
        for failure in outcome.failures:
            rows.add_failure(outcome.run_id, failure, now)
    for run_id, failure in read_failures:
        rows.add_failure(run_id, failure, now)
    return rows


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Row]) -> None:
    """Rows as dicts (the comparison's tables)."""
    insert_dicts(con, table, rows)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
