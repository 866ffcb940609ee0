"""Reading the database for people and other tools: read-only connections
(`connect_read_only`), SQL, exports. Always read-only, and retried briefly while a run commits."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from pipeline.store.errors import StoreBusy, StoreError, check_schema, classify

READ_RETRY_SECONDS = 0.02  # how often a reader retries while a commit holds the file
EXPORT_FORMATS = {".parquet": "parquet", ".csv": "csv", ".json": "json", ".jsonl": "json"}


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


def query(
    path: Path, sql: str, params: Sequence[object] = (), wait: float = 30.0
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one statement on a read-only connection: (column names, rows)."""
    con = connect_read_only(path, wait)
    try:
        # Read-only covers this database only: also refuse COPY TO, ATTACH and other files,
        # and lock the settings so a query cannot turn that back on.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        cursor = con.execute(sql, list(params))
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall() if columns else []
    except duckdb.Error as error:
        raise StoreError(str(error).strip()) from error
    finally:
        con.close()


def export(path: Path, table: str, out: Path) -> int:
    """Write one table to Parquet, CSV or JSON with DuckDB's own writers; rows written."""
    file_format = EXPORT_FORMATS.get(out.suffix.lower())
    if file_format is None:
        raise StoreError(f"cannot tell the format of {out}: use {', '.join(EXPORT_FORMATS)}")
    con = connect_read_only(path)
    try:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        if table not in tables:
            raise StoreError(f"no table {table!r}; tables: {', '.join(sorted(tables))}")
        target = str(out).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' (FORMAT {file_format})")
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(count[0]) if count else 0
    except duckdb.Error as error:
        raise StoreError(str(error).strip()) from error
    finally:
        con.close()
