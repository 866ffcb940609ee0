"""Score a claimdiff database against hand-made gold facts (`tests/gold/*.yaml`).

Gold and extracted facts are matched per document, one to one:
- a numeric fact matches when document, record type and measure are equal and the two
  inclusive intervals overlap (an open `value_max` is +∞);
- a talks or territorial field (venue, date, heads, mediator, place) matches when the record
  types and fields are equal and the normalized values (case, accents and punctuation folded)
  contain one another as whole words, either way; a gold entry's `alternatives` count too.
Matching is greedy over all matching pairs, best pairs first (equal intervals or values before
merely overlapping ones), so an extracted fact is used at most once: a duplicate extraction of
a fact already matched is a false positive.

The grounding rate is the share of stored quotes (every record table and `facts`) that equal
`documents.text[char_start:char_end]` exactly; the pipeline's contract says it is 1.0.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml
from rich.table import Table

from pipeline.normalize import fold
from pipeline.store import StoreError
from schemas import Measure, RecordType

FIELDS: dict[str, tuple[str, ...]] = {
    RecordType.TALKS.value: ("venue", "date", "ukraine_head", "russia_head", "mediator"),
    RecordType.TERRITORIAL_CLAIM.value: ("place",),
}
NUMERIC_RECORD_TYPES = (
    RecordType.ATTACK.value,
    RecordType.CASUALTY.value,
    RecordType.TERRITORIAL_CLAIM.value,
)
_FIELD_TABLES = {
    RecordType.TALKS.value: "talks",
    RecordType.TERRITORIAL_CLAIM.value: "territorial_claims",
}
_VERSION_COLUMNS = ("model", "prompt_version", "schema_version")
_QUOTE_TABLES = ("attacks", "casualties", "talks", "territorial_claims", "facts")
_NUMERIC_KEYS = frozenset({"measure", "phrase", "value_min", "value_max"})
_FIELD_KEYS = frozenset({"field", "value", "alternatives"})
_COMMON_KEYS = frozenset({"record_type", "quote", "incident", "note"})

EVAL_RUNS_SQL = """
CREATE TABLE IF NOT EXISTS eval_runs (
    eval_id        VARCHAR PRIMARY KEY,      -- sortable: UTC time + random suffix
    evaluated_at   TIMESTAMP NOT NULL,
    model          VARCHAR,                  -- from the documents table; several: comma-joined
    prompt_version VARCHAR,
    schema_version VARCHAR,
    gold_dir       VARCHAR NOT NULL,
    precision      DOUBLE,                   -- numeric facts, all measures; NULL when undefined
    recall         DOUBLE,
    f1             DOUBLE,
    grounding_rate DOUBLE NOT NULL,
    details        JSON NOT NULL             -- EvalReport.to_json()
)
"""


class GoldError(ValueError):
    """A gold file is malformed; the message names the file and the entry."""


# ----------------------------------------------------------------------------- facts


class _Slotted:
    """What gold and extracted facts share for matching: a measure or a field."""

    measure: str | None
    field: str | None

    @property
    def slot(self) -> str:
        """What the fact fills: its measure, or its field."""
        return self.measure or self.field or ""

    @property
    def numeric(self) -> bool:
        return self.measure is not None


@dataclass(frozen=True)
class GoldFact(_Slotted):
    """One hand-annotated fact: numeric (`measure` and interval) or a field (`field`, `value`)."""

    document_id: str
    record_type: str
    quote: str
    measure: str | None = None
    phrase: str | None = None
    value_min: float | None = None
    value_max: float | None = None
    field: str | None = None
    value: str | None = None
    alternatives: tuple[str, ...] = ()
    incident: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ExtractedFact(_Slotted):
    """One fact as the database stores it: a `facts` row, or one filled talks/territory field."""

    document_id: str
    record_type: str
    source_id: str  # facts.fact_id, or "<record_id>:<field>"
    quote: str
    measure: str | None = None
    phrase: str | None = None
    value_min: float | None = None
    value_max: float | None = None
    field: str | None = None
    value: str | None = None


AnyFact = GoldFact | ExtractedFact


@dataclass(frozen=True)
class Matching:
    matched: tuple[tuple[GoldFact, ExtractedFact], ...]
    missed: tuple[GoldFact, ...]  # false negatives
    spurious: tuple[ExtractedFact, ...]  # false positives


@dataclass(frozen=True)
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        """None when nothing was extracted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """None when there is nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.tp + self.fn,
            "extracted": self.tp + self.fp,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class StoredQuote:
    table: str
    row_id: str
    document_id: str
    quote: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Grounding:
    checked: int
    exact: int
    ungrounded: tuple[str, ...]  # "<table>:<row id>"

    @property
    def rate(self) -> float:
        """Share of stored quotes equal to their span of the document; 1.0 when none stored."""
        return self.exact / self.checked if self.checked else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "exact": self.exact,
            "rate": self.rate,
            "ungrounded": list(self.ungrounded),
        }


@dataclass(frozen=True)
class Extracted:
    """What a claimdiff database holds, as evaluation needs it."""

    facts: tuple[ExtractedFact, ...]
    quotes: tuple[StoredQuote, ...]
    texts: Mapping[str, str]  # document_id → stored text
    models: tuple[str, ...] = ()
    prompt_versions: tuple[str, ...] = ()
    schema_versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvalReport:
    numeric: Scores  # every numeric fact: the headline
    overall: Scores  # numeric facts and fields
    by_record_type: dict[str, Scores]
    by_measure: dict[str, Scores]
    by_field: dict[str, Scores]  # "talks.venue", "territorial_claim.place", …
    by_document: dict[str, Scores]
    grounding: Grounding
    matching: Matching
    documents: tuple[str, ...]  # the documents scored
    missing_documents: tuple[str, ...]  # annotated but not in the database
    unannotated_documents: tuple[str, ...]  # in the database, no gold file: not scored
    model: str | None = None
    prompt_version: str | None = None
    schema_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def table(scores: Mapping[str, Scores]) -> dict[str, Any]:
            return {key: value.to_dict() for key, value in scores.items()}

        return {
            "model": self.model,
            "prompt_version": self.prompt_version,
            "schema_version": self.schema_version,
            "numeric": self.numeric.to_dict(),
            "overall": self.overall.to_dict(),
            "by_record_type": table(self.by_record_type),
            "by_measure": table(self.by_measure),
            "by_field": table(self.by_field),
            "by_document": table(self.by_document),
            "grounding": self.grounding.to_dict(),
            "documents": list(self.documents),
            "missing_documents": list(self.missing_documents),
            "unannotated_documents": list(self.unannotated_documents),
            "matched": [
                {"gold": _fact_dict(g), "extracted": _fact_dict(e)}
                for g, e in self.matching.matched
            ],
            "missed": [_fact_dict(g) for g in self.matching.missed],
            "spurious": [_fact_dict(e) for e in self.matching.spurious],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


# ----------------------------------------------------------------------------- gold


def load_gold(gold_dir: Path) -> list[GoldFact]:
    """Every gold fact of every `<document_id>.yaml` in `gold_dir`, in file order."""
    facts: list[GoldFact] = []
    for path in _gold_files(gold_dir):
        document_id, entries = _read_gold_file(path)
        facts.extend(_gold_fact(path, document_id, n, entry) for n, entry in enumerate(entries))
    return facts


def gold_documents(gold_dir: Path) -> list[str]:
    """The documents annotated in `gold_dir`, those with `facts: []` included."""
    return [_read_gold_file(path)[0] for path in _gold_files(gold_dir)]


def _gold_files(gold_dir: Path) -> list[Path]:
    if not gold_dir.is_dir():
        raise GoldError(f"no gold folder at {gold_dir}")
    return sorted(p for p in gold_dir.glob("*.yaml") if p.is_file())


def _read_gold_file(path: Path) -> tuple[str, list[Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise GoldError(f"{path}: cannot read: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("document_id"), str):
        raise GoldError(f"{path}: expected a mapping with document_id and facts")
    document_id: str = data["document_id"]
    if path.name != f"{document_id}.yaml":
        raise GoldError(f"{path}: file name does not match document_id {document_id!r}")
    entries = data.get("facts")
    if not isinstance(entries, list):
        raise GoldError(f"{path}: facts must be a list (use `facts: []` for none)")
    return document_id, entries


def _gold_fact(path: Path, document_id: str, n: int, entry: Any) -> GoldFact:
    where = f"{path}: facts[{n}]"
    if not isinstance(entry, dict):
        raise GoldError(f"{where}: expected a mapping")
    record_type = entry.get("record_type")
    if record_type not in {t.value for t in RecordType}:
        raise GoldError(f"{where}: unknown record_type {record_type!r}")
    quote = entry.get("quote")
    if not isinstance(quote, str) or not quote:
        raise GoldError(f"{where}: quote is required")
    numeric = "measure" in entry
    unknown = set(entry) - _COMMON_KEYS - (_NUMERIC_KEYS if numeric else _FIELD_KEYS)
    if unknown:
        raise GoldError(f"{where}: unknown keys {sorted(unknown)}")
    common: dict[str, Any] = {
        "document_id": document_id,
        "record_type": record_type,
        "quote": quote,
        "incident": _optional_str(where, entry, "incident"),
        "note": _optional_str(where, entry, "note"),
    }
    if numeric:
        return _numeric_gold(where, entry, common)
    return _field_gold(where, entry, common)


def _numeric_gold(where: str, entry: dict[str, Any], common: dict[str, Any]) -> GoldFact:
    measure = entry.get("measure")
    if measure not in {m.value for m in Measure}:
        raise GoldError(f"{where}: measure {measure!r} is not in schemas.Measure")
    if common["record_type"] not in NUMERIC_RECORD_TYPES:
        raise GoldError(f"{where}: {common['record_type']} records hold no measures")
    phrase = entry.get("phrase")
    if not isinstance(phrase, str) or not phrase:
        raise GoldError(f"{where}: phrase is required")
    value_min, value_max = _as_float(entry.get("value_min")), _as_float(entry.get("value_max"))
    if value_min is None or (value_max is None and entry.get("value_max") is not None):
        raise GoldError(f"{where}: value_min must be a number, value_max a number or null")
    if value_max is not None and value_max < value_min:
        raise GoldError(f"{where}: value_max {value_max} is below value_min {value_min}")
    return GoldFact(
        **common, measure=measure, phrase=phrase, value_min=value_min, value_max=value_max
    )


def _field_gold(where: str, entry: dict[str, Any], common: dict[str, Any]) -> GoldFact:
    field = entry.get("field")
    allowed = FIELDS.get(common["record_type"], ())
    if field not in allowed:
        raise GoldError(
            f"{where}: {common['record_type']} entries need a measure or one of the fields "
            f"{', '.join(allowed) or '(none)'}; got {field!r}"
        )
    value = entry.get("value")
    alternatives = entry.get("alternatives", [])
    if not isinstance(value, str) or not normalize_value(value):
        raise GoldError(f"{where}: value is required")
    if not isinstance(alternatives, list) or not all(isinstance(a, str) for a in alternatives):
        raise GoldError(f"{where}: alternatives must be a list of strings")
    return GoldFact(**common, field=field, value=value, alternatives=tuple(alternatives))


def _optional_str(where: str, entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise GoldError(f"{where}: {key} must be text")
    return value


def _as_float(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


# ----------------------------------------------------------------------------- matching


def intervals_overlap(a_min: float, a_max: float | None, b_min: float, b_max: float | None) -> bool:
    """Whether two inclusive intervals share a point; a None max is +∞."""
    return max(a_min, b_min) <= min(_upper(a_max), _upper(b_max))


def normalize_value(text: str) -> str:
    """Case, accents, typography and punctuation folded away; words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("ı", "i")  # Turkish dotless i has no decomposition: Çırağan
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def values_overlap(a: str, b: str) -> bool:
    """Whether one normalized value holds the other as whole words ("Umerov" ⊂ "Rustem Umerov")."""
    x, y = normalize_value(a), normalize_value(b)
    return bool(x and y) and (f" {x} " in f" {y} " or f" {y} " in f" {x} ")


def facts_match(gold: GoldFact, extracted: ExtractedFact) -> bool:
    if (gold.document_id, gold.record_type, gold.slot) != (
        extracted.document_id,
        extracted.record_type,
        extracted.slot,
    ):
        return False
    if gold.numeric:
        return (
            extracted.numeric
            and gold.value_min is not None
            and extracted.value_min is not None
            and intervals_overlap(
                gold.value_min, gold.value_max, extracted.value_min, extracted.value_max
            )
        )
    return extracted.value is not None and any(
        values_overlap(value, extracted.value) for value in _gold_values(gold)
    )


def match_cost(gold: GoldFact, extracted: ExtractedFact) -> tuple[float, ...]:
    """How far apart two matching facts are; lower pairs are matched first."""
    if gold.numeric:
        identical = (gold.value_min, gold.value_max) == (extracted.value_min, extracted.value_max)
        same_openness = (gold.value_max is None) == (extracted.value_max is None)
        low = abs((gold.value_min or 0.0) - (extracted.value_min or 0.0))
        both_closed = gold.value_max is not None and extracted.value_max is not None
        high = abs((gold.value_max or 0.0) - (extracted.value_max or 0.0)) if both_closed else 0.0
        return (float(not identical), float(not same_openness), low, high)
    value = normalize_value(extracted.value or "")
    equal = any(normalize_value(v) == value for v in _gold_values(gold))
    length = min(abs(len(normalize_value(v)) - len(value)) for v in _gold_values(gold))
    return (float(not equal), float(length))


def match_facts(gold: Sequence[GoldFact], extracted: Sequence[ExtractedFact]) -> Matching:
    """Greedy one-to-one matching, best pairs first; ties go to the earlier facts."""
    pairs = sorted(
        (match_cost(g, e), i, j)
        for i, g in enumerate(gold)
        for j, e in enumerate(extracted)
        if facts_match(g, e)
    )
    used_gold: set[int] = set()
    used_extracted: set[int] = set()
    matched: list[tuple[int, int]] = []
    for _, i, j in pairs:
        if i not in used_gold and j not in used_extracted:
            used_gold.add(i)
            used_extracted.add(j)
            matched.append((i, j))
    matched.sort()
    return Matching(
        matched=tuple((gold[i], extracted[j]) for i, j in matched),
        missed=tuple(g for i, g in enumerate(gold) if i not in used_gold),
        spurious=tuple(e for j, e in enumerate(extracted) if j not in used_extracted),
    )


def tally(matching: Matching, key: Callable[[AnyFact], str | None]) -> dict[str, Scores]:
    """Scores per key (facts whose key is None are left out), keys sorted."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for gold, _ in matching.matched:
        if (k := key(gold)) is not None:
            counts[k][0] += 1
    for extracted in matching.spurious:
        if (k := key(extracted)) is not None:
            counts[k][1] += 1
    for gold in matching.missed:
        if (k := key(gold)) is not None:
            counts[k][2] += 1
    return {k: Scores(*counts[k]) for k in sorted(counts)}


def _total(matching: Matching, numeric_only: bool) -> Scores:
    scores = tally(matching, lambda f: "all" if f.numeric or not numeric_only else None)
    return scores.get("all", Scores())


def _gold_values(gold: GoldFact) -> tuple[str, ...]:
    return (gold.value or "", *gold.alternatives)


def _upper(value: float | None) -> float:
    return math.inf if value is None else value


# ----------------------------------------------------------------------------- grounding


def check_grounding(texts: Mapping[str, str], quotes: Iterable[StoredQuote]) -> Grounding:
    """How many stored quotes equal their document's text between char_start and char_end."""
    checked, exact, ungrounded = 0, 0, []
    for quote in quotes:
        checked += 1
        text = texts.get(quote.document_id)
        if text is not None and text[quote.char_start : quote.char_end] == quote.quote:
            exact += 1
        else:
            ungrounded.append(f"{quote.table}:{quote.row_id}")
    return Grounding(checked, exact, tuple(ungrounded))


# ----------------------------------------------------------------------------- evaluation


def evaluate(
    gold: Sequence[GoldFact],
    extracted: Extracted,
    documents: Collection[str] | None = None,
) -> EvalReport:
    """Score `extracted` against `gold` over `documents` (default: the gold facts' documents).

    Pass every annotated document (`gold_documents`) so that facts extracted from a document
    annotated with `facts: []` count as false positives.
    """
    scope = set(documents) if documents is not None else {g.document_id for g in gold}
    gold_in = [g for g in gold if g.document_id in scope]
    extracted_in = [e for e in extracted.facts if e.document_id in scope]
    matching = match_facts(gold_in, extracted_in)
    stored = set(extracted.texts)
    return EvalReport(
        numeric=_total(matching, numeric_only=True),
        overall=_total(matching, numeric_only=False),
        by_record_type=tally(matching, lambda f: f.record_type),
        by_measure=tally(matching, lambda f: f.measure),
        by_field=tally(matching, lambda f: f"{f.record_type}.{f.field}" if f.field else None),
        by_document=tally(matching, lambda f: f.document_id),
        grounding=check_grounding(extracted.texts, extracted.quotes),
        matching=matching,
        documents=tuple(sorted(scope)),
        missing_documents=tuple(sorted(scope - stored)),
        unannotated_documents=tuple(sorted(stored - scope)),
        model=_joined(extracted.models),
        prompt_version=_joined(extracted.prompt_versions),
        schema_version=_joined(extracted.schema_versions),
    )


def evaluate_db(db_path: Path, gold_dir: Path, *, stored_only: bool = False) -> EvalReport:
    """Load gold and database and score them. `stored_only`: skip annotated documents that the
    database does not hold (a run on part of the seeds) instead of counting them as missed."""
    gold = load_gold(gold_dir)
    extracted = load_extracted(db_path)
    documents = set(gold_documents(gold_dir))
    if stored_only:
        documents &= set(extracted.texts)
    return evaluate(gold, extracted, documents)


# ----------------------------------------------------------------------------- database


def load_extracted(db_path: Path) -> Extracted:
    """Facts, talks/territory fields, stored quotes and texts, read on a read-only connection."""
    if not db_path.exists():
        raise StoreError(f"no database at {db_path}; run `claimdiff run` first")
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return _read_extracted(con)
    except duckdb.Error as error:
        raise StoreError(f"cannot read {db_path}: {str(error).strip()}") from error


def _read_extracted(con: duckdb.DuckDBPyConnection) -> Extracted:
    facts = [
        ExtractedFact(
            document_id=doc,
            record_type=rtype,
            source_id=fact_id,
            quote=quote,
            measure=measure,
            phrase=phrase,
            value_min=lo,
            value_max=hi,
        )
        for fact_id, doc, rtype, measure, lo, hi, phrase, quote in con.execute(
            "SELECT fact_id, document_id, record_type, measure, value_min, value_max, phrase,"
            " quote FROM facts ORDER BY document_id, char_start, fact_id"
        ).fetchall()
    ]
    for record_type, table in _FIELD_TABLES.items():
        facts.extend(_field_facts(con, record_type, table))
    quotes = [
        StoredQuote(table, str(row_id), doc, quote, start, end)
        for table in _QUOTE_TABLES
        for row_id, doc, quote, start, end in con.execute(
            f"SELECT {'fact_id' if table == 'facts' else 'record_id'}, document_id, quote,"
            f" char_start, char_end FROM {table} ORDER BY 1"
        ).fetchall()
    ]
    documents = con.execute(
        "SELECT document_id, text, model, prompt_version, schema_version FROM documents"
    ).fetchall()
    return Extracted(
        facts=tuple(facts),
        quotes=tuple(quotes),
        texts={doc: text for doc, text, *_ in documents},
        models=_distinct(row[2] for row in documents),
        prompt_versions=_distinct(row[3] for row in documents),
        schema_versions=_distinct(row[4] for row in documents),
    )


def _field_facts(
    con: duckdb.DuckDBPyConnection, record_type: str, table: str
) -> list[ExtractedFact]:
    fields = FIELDS[record_type]
    rows = con.execute(
        f"SELECT record_id, document_id, quote, {', '.join(fields)} FROM {table}"
        " ORDER BY document_id, char_start, record_id"
    ).fetchall()
    # A document that names the venue in three paragraphs states one fact, not three: count
    # each (document, field, value) once.
    seen: set[tuple[str, str, str]] = set()
    facts = []
    for record_id, doc, quote, *values in rows:
        for name, value in zip(fields, values, strict=True):
            if not (isinstance(value, str) and value.strip()):
                continue
            key = (doc, name, normalize_value(value))
            if key in seen:
                continue
            seen.add(key)
            facts.append(
                ExtractedFact(
                    document_id=doc,
                    record_type=record_type,
                    source_id=f"{record_id}:{name}",
                    quote=quote,
                    field=name,
                    value=value,
                )
            )
    return facts


def save_eval_run(db_path: Path, report: EvalReport, gold_dir: Path) -> str:
    """Append the report to the database's `eval_runs` table (created if needed); its eval_id.

    Opens the database read-write, so it fails while another process writes to it.
    """
    if not db_path.exists():
        raise StoreError(f"no database at {db_path}; run `claimdiff run` first")
    eval_id = new_eval_id()
    try:
        with duckdb.connect(str(db_path)) as con:
            con.execute(EVAL_RUNS_SQL)
            versions = [_document_values(con, column) for column in _VERSION_COLUMNS]
            con.execute(
                "INSERT INTO eval_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    eval_id,
                    datetime.now(UTC).replace(tzinfo=None),
                    *versions,
                    str(gold_dir),
                    report.numeric.precision,
                    report.numeric.recall,
                    report.numeric.f1,
                    report.grounding.rate,
                    report.to_json(indent=None),
                ],
            )
    except duckdb.Error as error:
        raise StoreError(f"cannot write eval_runs in {db_path}: {str(error).strip()}") from error
    return eval_id


def _document_values(con: duckdb.DuckDBPyConnection, column: str) -> str | None:
    """The column's distinct values over `documents`, comma-joined; None when all are NULL."""
    rows = con.execute(f"SELECT DISTINCT {column} FROM documents").fetchall()
    return _joined(_distinct(row[0] for row in rows))


def new_eval_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def _distinct(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in values if v is not None}))


def _joined(values: Sequence[str]) -> str | None:
    return ", ".join(values) or None


def _fact_dict(fact: AnyFact) -> dict[str, Any]:
    out: dict[str, Any] = {"document_id": fact.document_id, "record_type": fact.record_type}
    if isinstance(fact, ExtractedFact):
        out["source_id"] = fact.source_id
    if fact.numeric:
        out |= {
            "measure": fact.measure,
            "phrase": fact.phrase,
            "value_min": fact.value_min,
            "value_max": fact.value_max,
        }
    else:
        out |= {"field": fact.field, "value": fact.value}
    if isinstance(fact, GoldFact) and fact.incident:
        out["incident"] = fact.incident
    out["quote"] = fact.quote
    return out


# ----------------------------------------------------------------------------- display


def render_table(report: EvalReport) -> Table:
    """Precision, recall and F1: overall, per record type, per measure and per field."""
    title = " · ".join(
        part
        for part in (
            "eval",
            report.model,
            report.prompt_version and f"prompt {report.prompt_version}",
        )
        if part
    )
    table = Table("scope", "gold", "extracted", "matched", "precision", "recall", "F1", title=title)
    sections: list[dict[str, Scores]] = [
        {"numeric facts": report.numeric, "all facts": report.overall},
        report.by_record_type,
        report.by_measure,
        report.by_field,
    ]
    for n, section in enumerate(sections):
        if n:
            table.add_section()
        for name, scores in section.items():
            table.add_row(
                name,
                str(scores.tp + scores.fn),
                str(scores.tp + scores.fp),
                str(scores.tp),
                _percent(scores.precision),
                _percent(scores.recall),
                _percent(scores.f1),
            )
    grounding = report.grounding
    caption = [
        f"grounding {_percent(grounding.rate)}: {grounding.exact}/{grounding.checked} quotes exact",
        f"{len(report.documents)} documents scored",
    ]
    if report.missing_documents:
        caption.append(f"{len(report.missing_documents)} annotated but not stored")
    if report.unannotated_documents:
        caption.append(f"{len(report.unannotated_documents)} stored without gold (not scored)")
    table.caption = " · ".join(caption)
    return table


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}" if value in (0.0, 1.0) else f"{value:.1%}"
