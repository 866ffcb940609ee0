"""What the comparison reads from the database, and how its result is written back.

Reading builds `RecordRef`s from every record table (the tables come from the declarations)
and `FactRef`s from `facts`; writing replaces the comparison tables in one transaction and sets
`facts.incident_id` (NULL for figures of a wider scope: they are not the incident's).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from pipeline.store.columnar import Row
from schemas import (
    Comparison,
    DatePrecision,
    FactRef,
    Place,
    PlacePrecision,
    RecordRef,
    Scope,
    record_specs,
)


def _records_sql() -> str:
    parts = []
    for spec in record_specs():
        actors = "actors" if spec.event else "CAST([] AS VARCHAR[])"
        event_type = "event_type" if spec.event else "NULL"
        parts.append(
            f"SELECT record_id, r.document_id, '{spec.name}' AS record_type, char_start, "
            f"{event_type} AS event_type, event_date, event_date_precision, "
            f"event_date_text IS NOT NULL AS dated, place_id, place_name, r.country, admin1, "
            f"admin1_name, latitude, longitude, place_precision, {actors} AS actors, "
            f"d.outlet, d.language, quote, "
            f"coalesce(place_reason LIKE 'the article''s dateline%', false), "
            f"coalesce((SELECT bool_and(f.scope = 'wider') FROM facts f "
            f"WHERE f.record_id = r.record_id), false), "
            f"d.published "
            f"FROM {spec.table} r JOIN documents d USING (document_id)"
        )
    return " UNION ALL ".join(parts) + " ORDER BY 2, 4, 1"


_FACTS_SQL = """
SELECT f.fact_id, f.document_id, f.record_id, f.measure, f.value_min, f.value_max, f.phrase,
       f.quote, f.char_start, f.scope, d.outlet, d.language, f.gloss
FROM facts f JOIN documents d USING (document_id)
"""


_TEXTS_SQL = " UNION ".join(f"SELECT document_id FROM {spec.table}" for spec in record_specs())


def read_comparables(
    con: duckdb.DuckDBPyConnection,
    entry_starts: Callable[[str], Sequence[int]] | None = None,
) -> tuple[list[RecordRef], list[FactRef], dict[str, str], dict[str, str | None]]:
    """`entry_starts`: a document's text → where its live-blog entries begin (() when it is
    no live blog); each record is then told its entry."""
    starts: dict[str, Sequence[int]] = {}
    if entry_starts is not None:
        texts = con.execute(
            f"SELECT document_id, text FROM documents WHERE document_id IN ({_TEXTS_SQL})"
        ).fetchall()
        starts = {document_id: entry_starts(text) for document_id, text in texts}
    records = []
    quotes: dict[str, list[str]] = defaultdict(list)
    for row in con.execute(_records_sql()).fetchall():
        (record_id, document_id, record_type, char_start, event_type, event_date, precision,
         dated, place_id, place_name, country, admin1, admin1_name, lat, lon, place_precision,
         actors, outlet, language, quote, from_dateline, wider, published) = row  # fmt: skip
        place = None
        if place_id is not None:
            place = Place(place_id, place_name, country, admin1, admin1_name, lat, lon,
                          PlacePrecision(place_precision))  # fmt: skip
        records.append(
            RecordRef(
                record_id,
                document_id,
                record_type,
                char_start,
                event_type,
                event_date,
                DatePrecision(precision) if precision else None,
                bool(dated),
                place,
                tuple(actors or ()),
                outlet,
                language,
                bool(from_dateline),
                bool(wider),
                published,
                _entry(char_start, starts.get(document_id, ())),
            )
        )
        quotes[document_id].append(quote)
    # the query's columns are named as FactRef's fields
    cursor = con.execute(_FACTS_SQL)
    names = [column[0] for column in cursor.description]
    facts = []
    for row in cursor.fetchall():
        fields: dict[str, Any] = dict(zip(names, row, strict=True))
        facts.append(FactRef(**{**fields, "scope": Scope(fields["scope"])}))
    outlets = dict(con.execute("SELECT document_id, outlet FROM documents").fetchall())
    return records, facts, {d: "\n".join(q) for d, q in quotes.items()}, outlets


def _entry(offset: int, starts: Sequence[int]) -> int | None:
    """1 for a live blog's first entry, 0 for the header above it; None: no live blog."""
    return sum(1 for s in starts if s <= offset) if starts else None


_TERMS = ("place", "date", "event_type", "actors")


COMPARISON_TABLES = ("incidents", "record_incidents", "incident_links", "divergences", "names")


def stage_comparison(host: duckdb.DuckDBPyConnection, comparison: Comparison) -> None:
    """The comparison's rows into the in-memory copies of its tables (`host`'s default
    database, the file not attached): the Python work, done while readers can still read.
    `write_staged_comparison` then swaps them in (see `writes.stage_outcomes` for why)."""
    from pipeline.interpret.events import family
    from pipeline.store.writes import _insert

    document_of = {}
    for incident in comparison.incidents:
        for record_id in incident.record_ids:
            document_of[record_id] = record_id.rsplit(":", 1)[0]
    incidents: list[Row] = []
    for i in comparison.incidents:
        p = i.place
        incidents.append({
            "incident_id": i.incident_id, "label": i.label, "record_type": i.record_type,
            "event_type": i.event_type, "event_family": family(i.event_type), "date": i.date,
            "date_precision": i.date_precision.value if i.date_precision else None,
            "place_id": p.place_id if p else None, "place_name": p.name if p else None,
            "admin1": p.admin1 if p else None, "country": p.country if p else None,
            "latitude": p.latitude if p else None, "longitude": p.longitude if p else None,
            "place_precision": p.precision.value if p else None,
            "n_documents": len(i.document_ids), "n_records": len(i.record_ids),
        })  # fmt: skip
    assignments = [
        {"record_id": r, "document_id": document_of.get(r, r.rsplit(":", 1)[0]), "incident_id": i}
        for r, i in sorted(comparison.assignments.items())
    ]
    links = [{
        "incident_id": k.incident_id, "record_a": k.record_a, "record_b": k.record_b,
        "document_a": k.document_a, "document_b": k.document_b, "score": k.score,
        "terms": {t: k.terms.get(t, 0.0) for t in _TERMS}, "reason": k.reason,
    } for k in comparison.links]  # fmt: skip
    divergences = [{
        "kind": d.kind, "incident_id": d.incident_id, "incident": d.incident,
        "measure": d.measure, "n_documents": d.n_documents, "n_outlets": d.n_outlets,
        "n_languages": len({r.language for r in d.reports if r.language}),
        "reports": [{"document_id": r.document_id, "outlet": r.outlet, "language": r.language,
                     "value_min": r.value_min if d.kind == "number" else None,
                     "value_max": r.value_max, "phrase": r.phrase, "quote": r.quote,
                     "statements": r.statements, "gloss": r.gloss} for r in d.reports],
        "verdict": d.verdict.value,
    } for d in comparison.divergences]  # fmt: skip
    names = [{"canonical": n.canonical, "spelling": spelling, "document_id": document_id,
              "occurrences": count}
             for n in comparison.names for spelling, documents in n.spellings.items()
             for document_id, count in documents.items()]  # fmt: skip
    for table in COMPARISON_TABLES:
        host.execute(f"DELETE FROM memory.main.{table}")
    _insert(host, "incidents", incidents)
    _insert(host, "record_incidents", assignments)
    _insert(host, "incident_links", links)
    _insert(host, "divergences", divergences)
    _insert(host, "names", names)


def write_staged_comparison(con: duckdb.DuckDBPyConnection) -> None:
    """One transaction, one call: the comparison tables replaced by the staged ones, and
    `facts.incident_id` set from them (NULL for figures of a wider scope)."""
    wider = Scope.WIDER.value.replace("'", "''")
    try:
        con.execute("; ".join([
            "BEGIN TRANSACTION",
            *(f"DELETE FROM {t}" for t in COMPARISON_TABLES),
            *(f"INSERT INTO {t} BY NAME SELECT * FROM memory.main.{t}" for t in COMPARISON_TABLES),
            f"""UPDATE facts SET incident_id = CASE WHEN facts.scope = '{wider}' THEN NULL
                                                    ELSE r.incident_id END
                FROM record_incidents r WHERE facts.record_id = r.record_id""",
            "UPDATE facts SET incident_id = NULL WHERE incident_id IS NOT NULL AND record_id "
            "NOT IN (SELECT record_id FROM record_incidents)",
            "COMMIT",
        ]))  # fmt: skip
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise
