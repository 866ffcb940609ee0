"""What the report shows, read from the database into plain frozen values.

The page is rendered from these values only (`render` never touches the database), so a test can
build them by hand, and the SQL below is the one place that knows the analyst contract
(pipeline/store/sql/base.sql). Only the contract's tables and columns are queried: a database
written by any claimdiff of the same schema version renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from schemas import measures

# Worst first: the order of cards, of divergences in a card, and a marker's colour.
VERDICT_RANK = {"conflict": 0, "compatible": 1, "agree": 2}


@dataclass(frozen=True, slots=True)
class Claim:
    """One outlet's figure in a divergence: a row of `divergences.reports`."""

    document_id: str
    outlet: str | None
    language: str | None
    value_min: float | None
    value_max: float | None
    phrase: str
    quote: str | None
    statements: int = 1
    gloss: str | None = None  # machine translation of the quote, when the pipeline made one

    @property
    def source(self) -> str:
        """A document whose outlet is unknown is shown by its id, as the comparison counts it."""
        return self.outlet or self.document_id


@dataclass(frozen=True, slots=True)
class DivergenceRow:
    """One measure of one incident reported by two or more documents."""

    measure: str
    verdict: str  # agree | compatible | conflict
    unit: str
    n_documents: int
    n_outlets: int
    n_languages: int
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class IncidentRow:
    incident_id: str
    label: str
    record_type: str
    event_type: str | None
    date: date | None
    date_precision: str | None
    place_name: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    n_documents: int
    n_records: int
    divergences: tuple[DivergenceRow, ...] = ()

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def worst(self) -> str | None:
        """The worst verdict of its divergences (None: no figure reported twice)."""
        verdicts = sorted((d.verdict for d in self.divergences), key=verdict_rank)
        return verdicts[0] if verdicts else None

    @property
    def conflicts(self) -> int:
        return sum(d.verdict == "conflict" for d in self.divergences)

    @property
    def place(self) -> str:
        return ", ".join(p for p in (self.place_name, self.country) if p)


@dataclass(frozen=True, slots=True)
class Spelling:
    spelling: str
    document_id: str
    outlet: str | None
    language: str | None
    occurrences: int

    @property
    def source(self) -> str:
        return self.outlet or self.document_id


@dataclass(frozen=True, slots=True)
class NameRow:
    """Spellings of one name across documents, under the most used one (`canonical`)."""

    canonical: str
    spellings: tuple[Spelling, ...]

    def by_spelling(self) -> list[tuple[str, list[Spelling]]]:
        """The canonical spelling first, then the others alphabetically."""
        grouped: dict[str, list[Spelling]] = {}
        for s in self.spellings:
            grouped.setdefault(s.spelling, []).append(s)
        return sorted(grouped.items(), key=lambda item: (item[0] != self.canonical, item[0]))


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: str
    started_at: datetime | None
    finished_at: datetime | None
    model: str | None
    endpoint: str | None
    cassette_mode: str | None
    prompt_version: str | None
    schema_version: str | None
    documents: int | None
    facts: int | None


@dataclass(frozen=True, slots=True)
class ReportData:
    source: str = ""  # the database file's name
    incidents: tuple[IncidentRow, ...] = ()
    names: tuple[NameRow, ...] = ()
    runs: tuple[RunInfo, ...] = ()  # newest first
    documents: int = 0
    languages: tuple[tuple[str, int], ...] = ()  # document language → documents, most first
    failures: int = 0
    failures_by_stage: tuple[tuple[str, int], ...] = ()

    @property
    def divergences(self) -> int:
        return sum(len(i.divergences) for i in self.incidents)

    @property
    def conflicts(self) -> int:
        return sum(i.conflicts for i in self.incidents)

    @property
    def last_run(self) -> RunInfo | None:
        return self.runs[0] if self.runs else None


def verdict_rank(verdict: str | None) -> int:
    return VERDICT_RANK.get(verdict or "", len(VERDICT_RANK))


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description or ()]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


_DIVERGENCES = """
SELECT v.incident_id, v.measure, v.verdict, v.n_documents, v.n_outlets, v.n_languages, v.reports,
       (SELECT mode(f.unit) FROM facts f
        WHERE f.incident_id = v.incident_id AND f.measure = v.measure) AS unit
FROM divergences v WHERE v.kind = 'number' AND v.incident_id IS NOT NULL
"""
_INCIDENTS = """
SELECT incident_id, label, record_type, event_type, date, date_precision, place_name, admin1,
       country, latitude, longitude, n_documents, n_records
FROM incidents ORDER BY label, incident_id
"""
_NAMES = """
SELECT n.canonical, n.spelling, n.document_id, d.outlet, d.language, n.occurrences
FROM names n LEFT JOIN documents d USING (document_id)
ORDER BY n.canonical, n.spelling, n.document_id
"""
_RUNS = """
SELECT run_id, started_at, finished_at, model, endpoint, cassette_mode, prompt_version,
       schema_version, documents, facts
FROM runs ORDER BY run_id DESC
"""


def load(con: duckdb.DuckDBPyConnection, source: str = "") -> ReportData:
    """Everything the page shows, from an open (read-only) connection."""
    divergences = _divergences(con)
    incidents = tuple(
        IncidentRow(**row, divergences=tuple(divergences.get(row["incident_id"], ())))
        for row in _rows(con, _INCIDENTS)
    )
    counted = con.execute("SELECT count(*) FROM documents").fetchone()
    languages = con.execute(
        "SELECT language, count(*) FROM documents GROUP BY language ORDER BY 2 DESC, 1"
    ).fetchall()
    stages = con.execute(
        "SELECT stage, count(*) FROM failures GROUP BY stage ORDER BY 2 DESC, 1"
    ).fetchall()
    return ReportData(
        source=source,
        incidents=incidents,
        names=_names(con),
        runs=tuple(RunInfo(**row) for row in _rows(con, _RUNS)),
        documents=int(counted[0]) if counted else 0,
        languages=tuple((str(lang), int(n)) for lang, n in languages),
        failures=sum(int(n) for _, n in stages),
        failures_by_stage=tuple((str(stage), int(n)) for stage, n in stages),
    )


def _divergences(con: duckdb.DuckDBPyConnection) -> dict[str, list[DivergenceRow]]:
    vocabulary = measures()
    found: dict[str, list[DivergenceRow]] = {}
    for row in _rows(con, _DIVERGENCES):
        claims = tuple(Claim(**report) for report in row["reports"])
        unit = row["unit"] or vocabulary.get(row["measure"], {}).get("unit", "count")
        divergence = DivergenceRow(row["measure"], row["verdict"], unit, row["n_documents"],
                                   row["n_outlets"], row["n_languages"], claims)  # fmt: skip
        found.setdefault(row["incident_id"], []).append(divergence)
    for rows in found.values():
        rows.sort(key=lambda d: (verdict_rank(d.verdict), d.measure))
    return found


def _names(con: duckdb.DuckDBPyConnection) -> tuple[NameRow, ...]:
    grouped: dict[str, list[Spelling]] = {}
    for row in _rows(con, _NAMES):
        canonical = row.pop("canonical")
        grouped.setdefault(canonical, []).append(Spelling(**row))
    return tuple(NameRow(name, tuple(spellings)) for name, spellings in grouped.items())
