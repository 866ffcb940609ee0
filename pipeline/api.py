"""claimdiff as a library: the functions the command line is a thin layer over.

    import pipeline.api as claimdiff

    summary = claimdiff.extract(["seeds/"], "out/claimdiff.duckdb", replay=True)
    print(len(summary.comparison.conflicts), "conflicts")
    columns, rows = claimdiff.query("out/claimdiff.duckdb",
                                    "SELECT measure, verdict FROM divergences")
    claimdiff.report("out/claimdiff.duckdb", "out/report.html")

Every function takes plain arguments (paths as str or Path) and returns plain values; errors
are `StoreError` (the database), `LocalModelError` (the embedded model) or `ValueError` (bad
arguments), each with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.run import Reporter, RunSummary, compare_database, run
from pipeline.run.session import CassetteMode
from pipeline.store import Store, connect_read_only
from pipeline.store import read as _read
from schemas import Comparison

__all__ = [
    "Settings",
    "compare",
    "connect",
    "export",
    "extract",
    "open_store",
    "query",
    "report",
]


def extract(
    paths: Sequence[str | Path],
    db: str | Path,
    *,
    settings: Settings | None = None,
    record: bool = False,
    replay: bool = False,
    force: bool = False,
    reporter: Reporter | None = None,
) -> RunSummary:
    """Extract the articles under `paths` into the database `db`, then compare outlets.
    `replay` answers from cassettes only; `record` records model traffic into them."""
    if record and replay:
        raise ValueError("choose one of record and replay")
    mode: CassetteMode = "record" if record else "replay" if replay else "live"
    return run(paths, Path(db), settings or Settings(), mode, reporter, force=force)


def compare(db: str | Path) -> Comparison:
    """Rebuild incidents, links and divergences over everything stored in `db`."""
    return compare_database(Store(Path(db)).open())


def open_store(db: str | Path) -> Store:
    """The database as a writer: created or checked against this schema version."""
    return Store(Path(db)).open()


def connect(db: str | Path, wait: float = 30.0) -> Any:
    """A read-only DuckDB connection to `db` (retried while a run commits)."""
    return connect_read_only(Path(db), wait)


def query(
    db: str | Path, sql: str, params: Sequence[object] = ()
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """One SQL statement on a read-only connection: (columns, rows)."""
    return _read.query(Path(db), sql, params)


def export(db: str | Path, table: str, out: str | Path) -> int:
    """Write a table with DuckDB's Parquet, CSV or JSON writer; returns the rows written."""
    return _read.export(Path(db), table, Path(out))


def report(db: str | Path, out: str | Path) -> Path:
    """Write the self-contained HTML report of `db` to `out`."""
    from pipeline.report import write_report

    write_report(Path(db), Path(out))
    return Path(out)
