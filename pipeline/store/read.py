"""Reading the database for people and other tools: SQL, exports. Always read-only, and
retried briefly while a run commits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from pipeline.store import StoreError, connect_read_only

EXPORT_FORMATS = {".parquet": "parquet", ".csv": "csv", ".json": "json", ".jsonl": "json"}


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
