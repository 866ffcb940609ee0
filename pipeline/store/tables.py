"""The record tables, derived from the record declarations, and the rows every table gets.

A record table has the evidence, the where and when of every record, the event descriptors of
event records, and one group of columns per declared field: a quantity `f` becomes `f_min`,
`f_max`, `f_qualifier`, `f_phrase`; a name `f`; names `f` (a list); parties `f` (a list of
side/head structs); the `where` place keeps its words in `f` and its resolution in `place_*`.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

from pipeline.interpret.events import family
from schemas import (
    Document,
    Fact,
    FieldKind,
    Place,
    Quantity,
    Record,
    RecordSpec,
    ResolvedPlace,
    record_specs,
)

Row = dict[str, Any]

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
    columns = [("record_id", "VARCHAR PRIMARY KEY", "document_id:n"),
               ("document_id", "VARCHAR NOT NULL", "")]  # fmt: skip
    for field in spec.fields:
        name, kind = field.name, field.kind
        if kind is FieldKind.QUANTITY:
            columns += [(f"{name}_min", "DOUBLE", field.describe),
                        (f"{name}_max", "DOUBLE", "NULL = open-ended"),
                        (f"{name}_qualifier", "VARCHAR", ""), (f"{name}_phrase", "VARCHAR", "")]  # fmt: skip
        elif kind is FieldKind.NAMES:
            columns.append((name, "VARCHAR[]", field.describe))
        elif kind is FieldKind.PARTIES:
            columns.append((name, "STRUCT(side VARCHAR, head VARCHAR)[]", field.describe))
        else:
            columns.append((name, "VARCHAR", field.describe + (" (as written)" if kind is FieldKind.PLACE else "")))
    columns += _WHERE_WHEN
    if spec.event:
        columns += _EVENT
    return columns + _EVIDENCE


def record_ddl(spec: RecordSpec) -> str:
    columns = record_columns(spec)
    lines = []
    for i, (name, sql_type, comment) in enumerate(columns):
        separator = "," if i < len(columns) - 1 else ""
        lines.append(f"    {name:<22} {sql_type}{separator}" + (f"  -- {comment}" if comment else ""))
    return f"CREATE TABLE IF NOT EXISTS {spec.table} (\n" + "\n".join(lines) + "\n);"


def ddl() -> str:
    base = (resources.files("pipeline.store") / "sql" / "base.sql").read_text(encoding="utf-8")
    return base + "\n\n" + "\n\n".join(record_ddl(spec) for spec in record_specs())


def _place_columns(resolved: ResolvedPlace | None) -> Row:
    place: Place | None = resolved.place if resolved else None
    return {
        "place_id": place.place_id if place else None,
        "place_name": place.name if place else None,
        "admin1": place.admin1 if place else None,
        "admin1_name": place.admin1_name if place else None,
        "country": place.country if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "place_precision": place.precision.value if place else None,
        "place_candidates": [c.place_id for c in resolved.candidates] if resolved and not place else None,
        "place_reason": resolved.reason if resolved else None,
    }


def record_row(spec: RecordSpec, record: Record) -> Row:
    row: Row = {"record_id": record.record_id, "document_id": record.document_id}
    for field in spec.fields:
        value = record.values.get(field.name)
        if field.kind is FieldKind.QUANTITY:
            q: Quantity | None = value
            row.update({f"{field.name}_min": q.value_min if q else None,
                        f"{field.name}_max": q.value_max if q else None,
                        f"{field.name}_qualifier": q.qualifier.value if q else None,
                        f"{field.name}_phrase": q.phrase if q else None})  # fmt: skip
        elif field.kind is FieldKind.PLACE:
            row[field.name] = value.text if isinstance(value, ResolvedPlace) else None
        elif field.kind is FieldKind.NAMES:
            row[field.name] = list(value or ())
        elif field.kind is FieldKind.PARTIES:
            row[field.name] = [{"side": p.side, "head": p.head} for p in value or ()]
        else:
            row[field.name] = value
    row.update(_place_columns(record.location))
    date = record.date
    row.update({"event_date": date.date if date else None,
                "event_date_precision": date.precision.value if date and date.precision else None,
                "event_date_text": date.text if date else None})  # fmt: skip
    if spec.event:
        row.update({"event_type": record.event_type, "event_family": family(record.event_type),
                    "event_type_source": record.event_type_source,
                    "actors": list(record.actors)})  # fmt: skip
    ev = record.evidence
    row.update({"quote": ev.quote, "char_start": ev.char_start, "char_end": ev.char_end,
                "attributed_to": ev.attributed_to})  # fmt: skip
    return row


def fact_row(fact: Fact, record: Record, language: str) -> Row:
    q, ev, place = fact.quantity, fact.evidence, record.location
    return {
        "fact_id": fact.fact_id, "document_id": fact.document_id, "record_id": fact.record_id,
        "record_type": fact.record_type, "field": fact.field, "measure": fact.measure,
        "value_min": q.value_min, "value_max": q.value_max, "qualifier": q.qualifier.value,
        "unit": q.unit.value, "phrase": q.phrase, "scope": fact.scope.value,
        "reason": fact.reason, "incident_id": None,
        "location": place.text if place else None,
        "place_id": place.place.place_id if place and place.place else None,
        "place_name": place.place.name if place and place.place else None,
        "country": place.place.country if place and place.place else None,
        "event_type": record.event_type,
        "event_date": record.date.date if record.date else None,
        "language": language,
        "quote": ev.quote, "char_start": ev.char_start, "char_end": ev.char_end,
        "phrase_start": fact.phrase_start, "phrase_end": fact.phrase_end,
        "attributed_to": ev.attributed_to,
    }  # fmt: skip


def document_row(document: Document, meta: Row) -> Row:
    return {
        "document_id": document.document_id, "source_path": document.source_path,
        "part": document.part, "source_format": document.source_format,
        "outlet": document.outlet, "title": document.title, "url": document.url,
        "published": document.published, "dateline": document.dateline,
        "language": document.language, "language_source": document.language_source,
        "text_sha256": document.text_sha256, "chars": document.chars,
        **meta, "text": document.text,
    }  # fmt: skip


def columns_of(rows: Iterable[Row]) -> dict[str, list[Any]]:
    """Rows → one list per column (the shape DuckDB inserts fastest)."""
    rows = list(rows)
    if not rows:
        return {}
    names = list(rows[0])
    return {name: [row[name] for row in rows] for name in names}
