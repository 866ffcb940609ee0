"""Inserting rows with one statement per table, over NumPy columns DuckDB scans natively.

`insert` writes rows given as tuples, `insert_dicts` rows given as dicts; `Source` and
`registered` make columns a view for an INSERT ... SELECT that joins several (`BatchRows`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import duckdb
import numpy as np

Row = dict[str, Any]

# DuckDB scans a dict of NumPy arrays natively: 3-5x faster than unnesting Python lists passed
# as parameters (each list becomes one DuckDB value first), 50x faster than `executemany`.
# Numbers, booleans and dates go as typed arrays (masked where NULL), strings as object arrays
# (read by DuckDB's analyzer over every row, so a column NULL in its first thousand rows is
# still typed right), lists and structs as JSON text the INSERT casts to the column's type.

_EPOCH = date(1970, 1, 1).toordinal()
_NONE = type(None)
Array = np.ndarray[Any, np.dtype[Any]]


def _typed(values: Sequence[Any], dtype: Any, fill: Any, has_none: bool) -> Array:
    n = len(values)
    if not has_none:
        return np.fromiter(values, dtype=dtype, count=n)
    data = np.fromiter((fill if v is None else v for v in values), dtype=dtype, count=n)
    mask = np.fromiter((v is None for v in values), dtype=bool, count=n)
    return np.ma.masked_array(data, mask=mask)


def _column(values: Sequence[Any]) -> tuple[Array | None, str]:
    """A column as an array DuckDB scans natively, and how SQL reads it ({} = the column);
    no array for a column that is NULL throughout (many are: fields a record type leaves out)."""
    kinds = set(map(type, values))
    has_none = _NONE in kinds
    kinds.discard(_NONE)
    if not kinds:
        return None, "NULL"
    if kinds == {int}:
        return _typed(values, np.int64, 0, has_none), "{}"
    if kinds and kinds <= {int, float}:
        return _typed(values, np.float64, 0.0, has_none), "{}"
    if kinds == {bool}:
        return _typed(values, np.bool_, False, has_none), "{}"
    if kinds == {date}:
        days = [None if v is None else v.toordinal() - _EPOCH for v in values]
        return _typed(days, np.int32, 0, has_none), "CAST(DATE '1970-01-01' + {} AS DATE)"
    if kinds & {list, tuple, dict}:
        text = _json(values)
        return np.fromiter(text, dtype=object, count=len(text)), "CAST({} AS JSON)"
    return np.fromiter(values, dtype=object, count=len(values)), "{}"


_encode = json.JSONEncoder(default=str).encode


def _json(values: Sequence[Any]) -> list[str | None]:
    """Lists and structs as JSON text; a tuple seen before costs a lookup (actors repeat)."""
    memo: dict[Any, str] = {}
    out: list[str | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        try:
            text = memo.get(value)
        except TypeError:  # a list, a dict: not hashable
            out.append(_encode(value))
            continue
        if text is None:
            text = memo[value] = _encode(value)
        out.append(text)
    return out


class Source:
    """Rows as NumPy columns, for one INSERT ... SELECT."""

    def __init__(self, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if rows and len(rows[0]) != len(names):
            raise ValueError(f"{len(names)} column names for rows of {len(rows[0])}")
        self.arrays: dict[str, Array] = {}
        self._sql: dict[str, str] = {}
        columns = zip(*rows, strict=True) if rows else ((),) * len(names)
        for name, values in zip(names, columns, strict=True):
            array, self._sql[name] = _column(values)
            if array is not None:
                self.arrays[name] = array
        self.count = len(rows)
        if not self.arrays:  # every column NULL: the view still needs its rows
            self.arrays["_rows"] = np.zeros(len(rows), dtype=np.int8)

    def sql(self, name: str, alias: str) -> str:
        return self._sql[name].format(f'{alias}."{name}"')


@contextlib.contextmanager
def registered(
    con: duckdb.DuckDBPyConnection, sources: dict[str, Source], rows: int
) -> Iterator[dict[str, str]]:
    """The sources as views of this connection, for the statements inside: their names."""
    names = {key: f"_claimdiff_{key}" for key in sources}
    con.execute(f"SET pandas_analyze_sample = {max(rows, 1000)}")
    try:
        for key, source in sources.items():
            if source.count:
                con.register(names[key], source.arrays)
        yield names
    finally:
        for name in names.values():
            with contextlib.suppress(duckdb.Error):
                con.unregister(name)


def quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Insert rows (sequences in `names` order) with one statement."""
    if not rows:
        return
    source = Source(names, rows)
    with registered(con, {"rows": source}, len(rows)) as registered_names:
        select = ", ".join(source.sql(name, "r") for name in names)
        con.execute(f"INSERT INTO {table} ({quoted(names)}) SELECT {select} "
                    f"FROM {registered_names['rows']} r")  # fmt: skip


def columns_of(rows: Iterable[Row]) -> dict[str, list[Any]]:
    """Rows → one list per column."""
    rows = list(rows)
    if not rows:
        return {}
    names = list(rows[0])
    return {name: [row[name] for row in rows] for name in names}


def insert_dicts(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Row]) -> None:
    """`insert` for rows as dicts (the comparison's tables: few rows, any shape)."""
    if rows:
        names = list(rows[0])
        insert(con, table, names, [tuple(row[name] for name in names) for row in rows])
