"""What can be wrong with the database file, as one-line errors a person can act on.

`StoreError` and its kinds carry the exit code `claimdiff run` ends with; `classify` turns a
DuckDB or OS error into one of them, and `check_schema` says when a file is not ours or of
another schema version.
"""

from __future__ import annotations

import errno
from pathlib import Path

import duckdb

from schemas import SCHEMA_VERSION

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
