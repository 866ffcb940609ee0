"""The DuckDB store: one transaction per document, re-runs replace a document's rows.

A document's rows (its `documents` row, records, facts and failures) are deleted and written
again inside one transaction, so a crash or an error mid-document leaves the previous state of
that document, and of every other document, intact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.rows import TABLES, Row, document_facts, record_row
from pipeline.sources import Document
from schemas import SCHEMA_VERSION, Record

SCHEMA_SQL = Path(__file__).with_name("sql") / "schema.sql"
DOCUMENT_TABLES = ("facts", *TABLES.values(), "failures", "documents")


class StoreError(RuntimeError):
    """The database cannot be opened or queried; the message says why."""


class StoreBusy(StoreError):
    """Another process holds the database for writing."""


@dataclass(frozen=True)
class DocumentMeta:
    run_id: str
    model: str | None
    prompt_version: str | None
    schema_version: str
    relevant: bool
    relevance_score: float
    status: str  # ok | partial | skipped


@dataclass(frozen=True)
class Failure:
    document_id: str
    source_path: str | None
    stage: str  # read | validation | transport | replay
    reason: str
    chunk_index: int | None = None
    record_type: str | None = None


class Store:
    """A read-write claimdiff database. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(path))
        except duckdb.IOException as error:
            if "lock" in str(error).casefold():
                raise StoreBusy(
                    f"database {path} is in use by another process (another claimdiff run?); "
                    "try again when it has finished"
                ) from error
            raise StoreError(f"cannot open database {path}: {error}") from error
        except (duckdb.Error, OSError) as error:
            raise StoreError(f"cannot open database {path}: {error}") from error
        self.con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def start_run(self, run_id: str, **columns: Any) -> None:
        _insert(self.con, "runs", [{"run_id": run_id, "started_at": _now(), **columns}])

    def finish_run(self, run_id: str, **columns: Any) -> None:
        columns["finished_at"] = _now()
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self.con.execute(
            f"UPDATE runs SET {assignments} WHERE run_id = ?", [*columns.values(), run_id]
        )

    def is_current(self, document: Document, model: str, prompt_version: str) -> bool:
        """Was this exact text already extracted with this model, prompt and schema version?"""
        found = self.con.execute(
            """SELECT count(*) FROM documents WHERE document_id = ? AND text_sha256 = ?
               AND model = ? AND prompt_version = ? AND schema_version = ?""",
            [document.document_id, document.text_sha256, model, prompt_version, SCHEMA_VERSION],
        ).fetchone()
        return bool(found and found[0])

    def save_document(
        self,
        document: Document,
        meta: DocumentMeta,
        records: Sequence[Record],
        failures: Sequence[Failure] = (),
    ) -> int:
        """Replace the document's rows; returns how many facts were stored."""
        record_rows: dict[str, list[Row]] = {table: [] for table in TABLES.values()}
        identified: list[tuple[str, Record]] = []
        for n, record in enumerate(records, start=1):
            record_id = f"{document.document_id}:{n}"
            record_rows[TABLES[record.record_type]].append(
                record_row(document.document_id, record_id, record)
            )
            identified.append((record_id, record))
        # One fact per number of the document, however many records quote it.
        facts = document_facts(document.document_id, identified)
        self.con.begin()
        try:
            for table in DOCUMENT_TABLES:
                self.con.execute(
                    f"DELETE FROM {table} WHERE document_id = ?", [document.document_id]
                )
            _insert(self.con, "documents", [_document_row(document, meta)])
            for table, rows in record_rows.items():
                _insert(self.con, table, rows)
            _insert(self.con, "facts", facts)
            _insert(self.con, "failures", [_failure_row(meta.run_id, f) for f in failures])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        return len(facts)

    def record_failure(self, run_id: str, failure: Failure) -> None:
        """A document that could not be processed; whatever was stored for it before stays."""
        self.con.begin()
        try:
            self.con.execute(
                "DELETE FROM failures WHERE document_id = ? AND stage = ?",
                [failure.document_id, failure.stage],
            )
            _insert(self.con, "failures", [_failure_row(run_id, failure)])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise


def query(
    path: Path, sql: str, params: Sequence[object] = ()
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one statement on a read-only connection: (column names, rows)."""
    if not path.exists():
        raise StoreError(f"no database at {path}; run `claimdiff run` first")
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            # Read-only covers this database only: also refuse COPY TO, ATTACH and other files,
            # and lock the settings so a query cannot turn that back on.
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
            cursor = con.execute(sql, list(params))
            columns = [d[0] for d in cursor.description] if cursor.description else []
            return columns, cursor.fetchall() if columns else []
    except duckdb.Error as error:
        raise StoreError(str(error).strip()) from error


EXPORT_FORMATS = {".parquet": "parquet", ".csv": "csv", ".json": "json"}


def export(path: Path, table: str, out: Path) -> int:
    """Write one table to Parquet, CSV or JSON with DuckDB's own writers; rows written."""
    if not path.exists():
        raise StoreError(f"no database at {path}; run `claimdiff run` first")
    file_format = EXPORT_FORMATS.get(out.suffix.lower())
    if file_format is None:
        raise StoreError(f"cannot tell the format of {out}: use {', '.join(EXPORT_FORMATS)}")
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
            if table not in tables:
                raise StoreError(f"no table {table!r}; tables: {', '.join(sorted(tables))}")
            target = str(out).replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' (FORMAT {file_format})")
            count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            return int(count[0]) if count else 0
    except duckdb.Error as error:
        raise StoreError(str(error).strip()) from error


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Row]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    placeholders = ", ".join("?" for _ in columns)
    con.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
        [[row[c] for c in columns] for row in rows],
    )


def _document_row(document: Document, meta: DocumentMeta) -> Row:
    return {
        "document_id": document.document_id,
        "source_path": document.source_path,
        "part": document.part,
        "outlet": document.outlet,
        "title": document.title,
        "published": document.published,
        "dateline": document.dateline,
        "text_sha256": document.text_sha256,
        "chars": document.chars,
        "relevant": meta.relevant,
        "relevance_score": meta.relevance_score,
        "status": meta.status,
        "model": meta.model,
        "prompt_version": meta.prompt_version,
        "schema_version": meta.schema_version,
        "run_id": meta.run_id,
        "text": document.text,
    }


def _failure_row(run_id: str, failure: Failure) -> Row:
    return {
        "run_id": run_id,
        "document_id": failure.document_id,
        "source_path": failure.source_path,
        "stage": failure.stage,
        "chunk_index": failure.chunk_index,
        "record_type": failure.record_type,
        "reason": failure.reason,
        "failed_at": _now(),
    }


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
