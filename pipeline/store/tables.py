"""The record tables, derived from the record declarations, and the rows every table gets.

A record table has the evidence, the where and when of every record, the event descriptors of
event records, and one group of columns per declared field: a quantity `f` becomes `f_min`,
`f_max`, `f_qualifier`, `f_phrase`; a name `f`; names `f` (a list); parties `f` (a list of
side/head structs); the `where` place keeps its words in `f` and its resolution in `place_*`.

Rows are inserted by `insert` (`columnar`): one statement per table and batch, over NumPy
columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import duckdb

from pipeline.interpret.events import family
from pipeline.store.columnar import Source, insert, quoted, registered
from schemas import (
    Document,
    Evidence,
    Fact,
    Failure,
    FieldKind,
    Place,
    Quantity,
    Record,
    RecordSpec,
    ResolvedPlace,
    record_specs,
)

_EVIDENCE = [
    ("quote", "VARCHAR NOT NULL", "the sentence, = substr(documents.text, char_start + 1, …)"),
    ("char_start", "INTEGER NOT NULL", "Python string index into documents.text"),
    ("char_end", "INTEGER NOT NULL", ""),
    ("attributed_to", "VARCHAR", "who the article says makes the claim"),
]
_WHERE_WHEN = [
    ("place_id", "VARCHAR", "gn:<GeoNames id> | iso:<ISO 3166-2> | iso:<country>"),
    ("place_name", "VARCHAR", ""),
    ("admin1", "VARCHAR", "GeoNames admin1 code, e.g. SY.09"),
    ("admin1_name", "VARCHAR", ""),
    ("country", "VARCHAR", "ISO 3166-1 alpha-2"),
    ("latitude", "DOUBLE", ""),
    ("longitude", "DOUBLE", ""),
    ("place_precision", "VARCHAR", "settlement | region | country"),
    ("place_candidates", "VARCHAR[]", "ids of the places an ambiguous name may mean"),
    ("place_reason", "VARCHAR", "how the name was settled"),
    ("event_date", "DATE", "resolved against the article's date"),
    ("event_date_precision", "VARCHAR", "day | week | month | year"),
    ("event_date_text", "VARCHAR", "the date as written; NULL: the article's date stood in"),
]
_EVENT = [
    ("event_type", "VARCHAR", "ACLED sub-event type (schemas/event_types.yaml)"),
    ("event_family", "VARCHAR", "ACLED event type"),
    ("event_type_source", "VARCHAR", "the cue word that decided it, or 'model'"),
    ("actors", "VARCHAR[]", "sides that carried it out, as written"),
]


def record_columns(spec: RecordSpec) -> list[tuple[str, str, str]]:
    columns = [("record_id", "VARCHAR NOT NULL", "document_id:n, unique (see base.sql)"),
               ("document_id", "VARCHAR NOT NULL", "")]  # fmt: skip
    for field in spec.fields:
        name, kind = field.name, field.kind
        if kind is FieldKind.QUANTITY:
            columns += [(f"{name}_min", "DOUBLE", field.describe),
                        (f"{name}_max", "DOUBLE", "NULL = open-ended"),
                        (f"{name}_qualifier", "VARCHAR", ""),
                        (f"{name}_phrase", "VARCHAR", "")]  # fmt: skip
        elif kind is FieldKind.NAMES:
            columns.append((name, "VARCHAR[]", field.describe))
        elif kind is FieldKind.PARTIES:
            columns.append((name, "STRUCT(side VARCHAR, head VARCHAR)[]", field.describe))
        else:
            written = " (as written)" if kind is FieldKind.PLACE else ""
            columns.append((name, "VARCHAR", field.describe + written))
    columns += _WHERE_WHEN
    if spec.event:
        columns += _EVENT
    return columns + _EVIDENCE


def record_ddl(spec: RecordSpec) -> str:
    columns = record_columns(spec)
    lines = []
    for i, (name, sql_type, comment) in enumerate(columns):
        separator = "," if i < len(columns) - 1 else ""
        note = f"  -- {comment}" if comment else ""
        lines.append(f"    {name:<22} {sql_type}{separator}{note}")
    return f"CREATE TABLE IF NOT EXISTS {spec.table} (\n" + "\n".join(lines) + "\n);"


def ddl() -> str:
    base = (resources.files("pipeline.store") / "sql" / "base.sql").read_text(encoding="utf-8")
    return base + "\n\n" + "\n\n".join(record_ddl(spec) for spec in record_specs())


# ----------------------------------------------------------------------------- rows
# A batch's rows are tuples (no dict per row: a document makes ~30 of them). What a record's
# row and its facts' rows share (where, when, what, the evidence) is built once per record, in
# `info` and `evidence`, and joined back by the INSERTs: half the values a fact row would
# repeat are never converted.

DOCUMENT_COLUMNS = (
    "document_id", "source_path", "part", "source_format", "outlet", "title", "url",
    "published", "dateline", "language", "language_source", "text_sha256", "chars",
    "relevant", "relevance_score", "status", "model", "prompt_version", "schema_version",
    "run_id", "text",
)  # fmt: skip
FACT_COLUMNS = (
    "fact_id", "document_id", "record_id", "record_type", "field", "measure", "value_min",
    "value_max", "qualifier", "unit", "phrase", "scope", "reason", "incident_id", "location",
    "place_id", "place_name", "country", "event_type", "event_date", "language", "quote",
    "char_start", "char_end", "phrase_start", "phrase_end", "attributed_to",
)  # fmt: skip
FAILURE_COLUMNS = (
    "run_id", "document_id", "source_path", "stage", "chunk_index", "record_type", "reason",
    "failed_at",
)  # fmt: skip

# What a record's row and its facts' rows share, one row per record.
_INFO = (
    "ri", "ei", "location", "place_id", "place_name", "admin1", "admin1_name", "country",
    "latitude", "longitude", "place_precision", "place_candidates", "place_reason",
    "event_date", "event_date_precision", "event_date_text", "event_type", "event_family",
    "event_type_source", "actors", "language",
)  # fmt: skip
_EVIDENCE_SOURCE = ("ei", "quote", "char_start", "char_end", "attributed_to")
_FACT_SOURCE = (
    "ri", "ei", "fact_id", "document_id", "record_id", "record_type", "field", "measure",
    "value_min", "value_max", "qualifier", "unit", "phrase", "scope", "reason", "phrase_start",
    "phrase_end",
)  # fmt: skip
_FROM_INFO = {"location", "place_id", "place_name", "country", "event_type", "event_date",
              "language"}  # fmt: skip
_FROM_EVIDENCE = {"quote", "char_start", "char_end", "attributed_to"}
_NO_PLACE = (None,) * 10


@cache
def record_column_names(spec: RecordSpec) -> tuple[str, ...]:
    return tuple(name for name, _, _ in record_columns(spec))


@cache
def _field_column_names(spec: RecordSpec) -> tuple[str, ...]:
    """A record table's own columns: its id, document and declared fields."""
    shared = {name for name, _, _ in (*_WHERE_WHEN, *_EVENT, *_EVIDENCE)}
    return tuple(name for name in record_column_names(spec) if name not in shared)


def _place_values(resolved: ResolvedPlace | None) -> tuple[Any, ...]:
    if resolved is None:
        return _NO_PLACE
    place: Place | None = resolved.place
    if place is None:
        candidates = tuple(c.place_id for c in resolved.candidates)
        return (None,) * 8 + (candidates, resolved.reason)
    return (place.place_id, place.name, place.admin1, place.admin1_name, place.country,
            place.latitude, place.longitude, place.precision, None, resolved.reason)  # fmt: skip


class BatchRows:
    """The rows a batch of outcomes gives each table, built with as little Python as can be."""

    def __init__(self) -> None:
        self.documents: list[tuple[Any, ...]] = []
        self.failures: list[tuple[Any, ...]] = []
        self.info: list[tuple[Any, ...]] = []
        self.evidence: list[tuple[Any, ...]] = []
        self.facts: list[tuple[Any, ...]] = []
        self.records: dict[str, list[tuple[Any, ...]]] = {s.name: [] for s in record_specs()}
        self._specs = {spec.name: spec for spec in record_specs()}

    def add_document(self, document: Document, meta: tuple[Any, ...]) -> None:
        """`meta`: (relevant, relevance_score, status, model, prompt_version, schema_version,
        run_id)."""
        d = document
        self.documents.append((
            d.document_id, d.source_path, d.part, d.source_format, d.outlet, d.title, d.url,
            d.published, d.dateline, d.language, d.language_source, d.text_sha256, d.chars,
            *meta, d.text,
        ))  # fmt: skip

    def add_failure(self, run_id: str, failure: Failure, at: datetime) -> None:
        f = failure
        self.failures.append((run_id, f.document_id, f.source_path, f.stage, f.chunk_index,
                              f.record_type, f.reason, at))  # fmt: skip

    def _add_evidence(self, ev: Evidence) -> int:
        ei = len(self.evidence)
        self.evidence.append((ei, ev.quote, ev.char_start, ev.char_end, ev.attributed_to))
        return ei

    def add_interpretation(self, records: Sequence[Record], facts: Sequence[Fact],
                           language: str) -> None:  # fmt: skip
        placed: dict[str, tuple[int, int, Evidence]] = {}
        info, specs = self.info, self._specs
        for record in records:
            spec = specs[record.record_type]
            ri = len(info)
            ei = self._add_evidence(record.evidence)
            placed[record.record_id] = (ri, ei, record.evidence)
            where, date = record.location, record.date
            info.append((
                ri, ei, where.text if where else None, *_place_values(where),
                *((date.date, date.precision, date.text) if date else (None, None, None)),
                record.event_type, family(record.event_type), record.event_type_source,
                tuple(record.actors), language,
            ))  # fmt: skip
            self.records[spec.name].append((ri, record.record_id, record.document_id,
                                       *_field_values(spec, record.values)))  # fmt: skip
        facts_rows = self.facts
        for fact in facts:
            ri, ei, evidence = placed[fact.record_id]
            own = fact.evidence
            if own is not evidence and own != evidence:
                ei = self._add_evidence(own)
            q = fact.quantity
            facts_rows.append((
                ri, ei, fact.fact_id, fact.document_id, fact.record_id, fact.record_type,
                fact.field, fact.measure, q.value_min, q.value_max, q.qualifier, q.unit,
                q.phrase, fact.scope, fact.reason, fact.phrase_start, fact.phrase_end,
            ))  # fmt: skip

    def insert(self, con: duckdb.DuckDBPyConnection) -> None:
        """Every row, one INSERT per table."""
        insert(con, "documents", DOCUMENT_COLUMNS, self.documents)
        insert(con, "failures", FAILURE_COLUMNS, self.failures)
        if not self.info:
            return
        sources = {"i": Source(_INFO, self.info), "e": Source(_EVIDENCE_SOURCE, self.evidence),
                   "f": Source(_FACT_SOURCE, self.facts)}  # fmt: skip
        specs = [(spec, self.records[spec.name]) for spec in record_specs()]
        for spec, rows in specs:
            if rows:
                sources[spec.table] = Source(("ri", *_field_column_names(spec)), rows)
        with registered(con, sources, max(len(self.info), len(self.facts))) as names:
            i, e = sources["i"], sources["e"]
            for spec, rows in specs:
                if not rows:
                    continue
                t = sources[spec.table]
                own = set(_field_column_names(spec))
                columns = record_column_names(spec)
                select = [t.sql(c, "t") if c in own else e.sql(c, "e") if c in _FROM_EVIDENCE
                          else i.sql(c, "i") for c in columns]  # fmt: skip
                con.execute(
                    f"INSERT INTO {spec.table} ({quoted(columns)}) SELECT {', '.join(select)} "
                    f"FROM {names[spec.table]} t JOIN {names['i']} i ON t.ri = i.ri "
                    f"JOIN {names['e']} e ON i.ei = e.ei"
                )
            if self.facts:
                f = sources["f"]
                select = ["NULL" if c == "incident_id" else i.sql(c, "i") if c in _FROM_INFO
                          else e.sql(c, "e") if c in _FROM_EVIDENCE else f.sql(c, "f")
                          for c in FACT_COLUMNS]  # fmt: skip
                con.execute(
                    f"INSERT INTO facts ({quoted(FACT_COLUMNS)}) SELECT {', '.join(select)} "
                    f"FROM {names['f']} f JOIN {names['i']} i ON f.ri = i.ri "
                    f"JOIN {names['e']} e ON f.ei = e.ei"
                )


def _field_values(spec: RecordSpec, values: dict[str, Any]) -> list[Any]:
    row: list[Any] = []
    for field in spec.fields:
        value = values.get(field.name)
        kind = field.kind
        if kind is FieldKind.QUANTITY:
            q: Quantity | None = value
            row += (None, None, None, None) if q is None else (
                q.value_min, q.value_max, q.qualifier, q.phrase)  # fmt: skip
        elif kind is FieldKind.PLACE:
            row.append(value.text if isinstance(value, ResolvedPlace) else None)
        elif kind is FieldKind.NAMES:
            row.append(tuple(value or ()))
        elif kind is FieldKind.PARTIES:
            row.append([{"side": p.side, "head": p.head} for p in value or ()])
        else:
            row.append(value)
    return row
