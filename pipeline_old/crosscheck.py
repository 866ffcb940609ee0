"""After a run, across the whole database: incidents, divergences between outlets, name variants.

Everything here is derived from the stored documents and records, so it is rebuilt from
scratch, in one transaction, after every run: the comparison always matches what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipeline.compare import Divergence, FactReport, Verdict, number_divergences
from pipeline.names import NameVariants, variants
from pipeline.resolve import RecordRef, Resolution, resolve

_RECORDS_SQL = """
SELECT record_id, document_id, 'attack', quote, concat_ws(' ', target, location) FROM attacks
UNION ALL SELECT record_id, document_id, 'casualty', quote, concat_ws(' ', victims, location)
  FROM casualties
UNION ALL SELECT record_id, document_id, 'talks', quote, concat_ws(' ', venue) FROM talks
UNION ALL SELECT record_id, document_id, 'territorial_claim', quote, concat_ws(' ', place)
  FROM territorial_claims
ORDER BY 2, 1
"""


_FACTS_SQL = """
SELECT f.record_id, f.document_id, d.outlet, f.measure, f.value_min, f.value_max, f.phrase,
       f.quote, f.char_start
FROM facts f JOIN documents d USING (document_id)
"""


@dataclass(frozen=True)
class Crosscheck:
    resolution: Resolution
    divergences: list[Divergence]  # numbers
    names: list[NameVariants]
    name_divergences: list[Divergence]

    @property
    def conflicts(self) -> list[Divergence]:
        return [d for d in self.divergences if d.verdict is Verdict.CONFLICT]


def crosscheck(con: duckdb.DuckDBPyConnection) -> Crosscheck:
    """Compute, and store, the comparison of everything in the database."""
    records = [RecordRef(*row) for row in con.execute(_RECORDS_SQL).fetchall()]
    resolution = resolve(records)
    labels = {i.incident_id: i.label for i in resolution.incidents}
    facts = []
    for record_id, document_id, outlet, *numbers in con.execute(_FACTS_SQL).fetchall():
        incident_id = resolution.assignments.get(record_id)
        if incident_id is not None:
            facts.append(
                FactReport(document_id, outlet, incident_id, labels[incident_id], *numbers)
            )
    texts = dict(con.execute("SELECT document_id, text FROM documents WHERE relevant").fetchall())
    outlets = dict(con.execute("SELECT document_id, outlet FROM documents").fetchall())
    names = variants(texts)
    result = Crosscheck(
        resolution, number_divergences(facts), names, [_name_divergence(n, outlets) for n in names]
    )
    _store(con, result, {r.record_id: r.document_id for r in records})
    return result


def _store(con: duckdb.DuckDBPyConnection, result: Crosscheck, document_of: dict[str, str]) -> None:
    resolution = result.resolution
    con.begin()
    try:
        for table in ("incidents", "record_incidents", "incident_links", "divergences", "names"):
            con.execute(f"DELETE FROM {table}")
        if resolution.incidents:
            con.executemany(
                "INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?)",
                [[i.incident_id, i.label, i.kind, i.place, len(i.document_ids),
                  len(i.record_ids)] for i in resolution.incidents],
            )  # fmt: skip
        if resolution.assignments:
            con.executemany(
                "INSERT INTO record_incidents VALUES (?, ?, ?)",
                [[r, document_of[r], i] for r, i in sorted(resolution.assignments.items())],
            )
        if resolution.links:
            con.executemany(
                "INSERT INTO incident_links VALUES (?, ?, ?, ?, ?, ?, ?)",
                [[k.incident_id, k.record_a, k.record_b, k.document_a, k.document_b, k.score,
                  k.reason] for k in resolution.links],
            )  # fmt: skip
        con.execute(
            """UPDATE facts SET incident_id = r.incident_id
               FROM record_incidents r WHERE facts.record_id = r.record_id"""
        )
        con.execute(
            "UPDATE facts SET incident_id = NULL WHERE record_id NOT IN "
            "(SELECT record_id FROM record_incidents)"
        )
        rows = [_divergence_row(d) for d in result.divergences + result.name_divergences]
        if rows:
            con.executemany("INSERT INTO divergences VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        name_rows = [
            [n.canonical, spelling, document_id, count]
            for n in result.names
            for spelling, documents in n.spellings.items()
            for document_id, count in documents.items()
        ]
        if name_rows:
            con.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", name_rows)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _divergence_row(d: Divergence) -> list[object]:
    return [d.kind, d.incident_id, d.incident, d.measure, d.n_documents, d.n_outlets,
            list(d.reports), d.verdict.value]  # fmt: skip


def _name_divergence(n: NameVariants, outlets: dict[str, str | None]) -> Divergence:
    reports: tuple[dict[str, object], ...] = tuple(
        {"document_id": document_id, "outlet": outlets.get(document_id), "value_min": None,
         "value_max": None, "phrase": spelling, "quote": None, "statements": count}
        for spelling, documents in n.spellings.items()
        for document_id, count in documents.items()
    )  # fmt: skip
    # Transliteration variants name the same person or place: compatible, flagged as kind
    # 'name' because a spelling unlike every other outlet's may be an error.
    return Divergence(None, n.canonical, "spelling", "name", reports, Verdict.COMPATIBLE)
