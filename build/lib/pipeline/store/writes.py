"""Writing to the database in transactions: its tables, and a batch of outcomes.

`write_outcomes` replaces each document's rows with its outcome's in one transaction, as
`Store.flush` commits a batch; `create_tables` makes every table with the schema version.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
