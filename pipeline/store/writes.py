"""Writing to the database in transactions: its tables, and a batch of outcomes.

`stage_outcomes` builds a batch's rows in memory, and `write_staged` replaces each document's
rows with them in one transaction, as `Store.flush` commits a batch; `create_tables` makes every
table with the schema version.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import duckdb

from pipeline.store.columnar import Row, insert_dicts
from pipeline.store.tables import BatchRows, ddl
from schemas import SCHEMA_VERSION, Failure, Outcome, record_specs

if TYPE_CHECKING:
    from pipeline.store import Current


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
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


def stage_tables() -> tuple[str, ...]:
    """The tables a batch of outcomes writes to."""
    return ("documents", "failures", "facts", *(s.table for s in record_specs()))


# Ids a commit deletes by, staged beside the rows (a commit then passes no parameters).
_ID_TABLES = {"_replaced": "document_id", "_unread_again": "document_id", "_batch_runs": "run_id"}


def stage_ddl() -> str:
    """The staging tables of an in-memory DuckDB: empty copies of every table, and the ids."""
    ids = (f"CREATE TABLE {table} ({column} VARCHAR);" for table, column in _ID_TABLES.items())
    return ddl() + "\n\n" + "\n".join(ids)


@dataclass(frozen=True)
class Staged:
    """What a staged batch needs its commit to delete first."""

    replaced: bool  # documents the database held before: their old rows go
    unread_again: bool  # inputs whose read failures of earlier runs go


def stage_outcomes(
    host: duckdb.DuckDBPyConnection,
    batch: Sequence[Outcome],
    current: dict[str, Current] | set[str],
    read_failures: Sequence[tuple[str, Failure]] = (),
    unread: set[str] | frozenset[str] = frozenset(),
) -> Staged:
    """A batch's rows, and the ids its commit deletes by, into the in-memory copies of the
    tables (`host`'s default database, the file not attached): all the Python work of a
    commit, done before the file is taken.

    Why: while a run's worker threads hold the GIL, every return from DuckDB to Python waits
    to win it back (5 ms or more each). Done while holding the file, a commit of 20 documents
    made ~20 such round trips and took 0.3-1.6 s instead of 50 ms; readers waited as long.
    `write_staged` copies the staged tables into the file in one statement list."""
    latest = {o.document.document_id for o in batch}
    runs = sorted({o.run_id for o in batch} | {run_id for run_id, _ in read_failures})
    replaced = sorted(d for d in latest if d in current)
    # Read failures of earlier runs go once the input is stored or refused again; this run's
    # own refusals stay (another file may carry the id of a document this run stores).
    unread_again = {d for d in latest if d in unread and d not in current}
    unread_again |= {f.document_id for _, f in read_failures if f.document_id in unread}
    with _no_gc():
        rows = _batch_rows(batch, read_failures)
        clear_stage(host)
        rows.insert(host)
        for table, ids in (("_replaced", replaced), ("_unread_again", sorted(unread_again)),
                           ("_batch_runs", runs)):  # fmt: skip
            if ids:
                host.execute(f"INSERT INTO memory.main.{table} SELECT unnest(?)", [ids])
    return Staged(bool(replaced), bool(unread_again))


def clear_stage(host: duckdb.DuckDBPyConnection) -> None:
    host.execute("; ".join(f"DELETE FROM memory.main.{t}" for t in (*stage_tables(), *_ID_TABLES)))


def write_staged(con: duckdb.DuckDBPyConnection, staged: Staged) -> float:
    """One transaction: replace each document's rows with its outcome's, staged before by
    `stage_outcomes` (and record inputs that could not be read, replacing their earlier read
    failures). Returns the seconds spent deleting the rows of documents stored before.

    Only documents the database already holds are deleted first, in one statement per table
    for the whole batch: a batch of new documents deletes nothing and scans nothing. The
    statement is a semi-join on the batch's ids, and DuckDB pushes their range into the scan,
    which skips the row groups (zone maps) that cannot hold them; an ART index on
    `document_id` measured slower (its upkeep on every insert and delete costs more than the
    scans it saves: 154 vs 68 ms CPU for one replaced document at 100,000 stored)."""
    ids = "SELECT document_id FROM memory.main._replaced"
    runs = "SELECT run_id FROM memory.main._batch_runs"
    deleting = 0.0
    first = ["BEGIN TRANSACTION"]
    if staged.unread_again:
        first.append(
            "DELETE FROM failures WHERE stage = 'read' AND document_id IN (SELECT "
            f"document_id FROM memory.main._unread_again) AND run_id NOT IN ({runs})"
        )
    try:
        if staged.replaced:
            started = time.perf_counter()
            first += [
                f"DELETE FROM {t} WHERE document_id IN ({ids})"
                for t in ("documents", "facts", *(s.table for s in record_specs()))
            ]
            first.append(f"DELETE FROM failures WHERE document_id IN ({ids}) AND NOT "
                         f"(stage = 'read' AND run_id IN ({runs}))")  # fmt: skip
            con.execute("; ".join(first))
            deleting = time.perf_counter() - started
            first = []
        # One call: each return to Python costs a wait for the GIL (see stage_outcomes).
        con.execute("; ".join([
            *first,
            *(f"INSERT INTO {t} BY NAME SELECT * FROM memory.main.{t}" for t in stage_tables()),
            "COMMIT",
        ]))  # fmt: skip
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
    now = utc_now()
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


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
