"""Evaluate: a database against a corpus's gold — facts, incidents and verdicts.

- **Facts**: precision, recall and F1 of numeric facts (overall, per measure, record type and
  language) and of talks/territorial fields (`evaluate.match` says what matches); how many
  matched figures got the gold's scope.
- **Incidents**: pairwise clustering over the matched gold facts of the incident's own scope:
  two figures of one gold incident should share an extracted incident, two of different gold
  incidents should not.
- **Verdicts**: each gold divergence is looked up as the extracted divergence of the incident
  its figures were put in, for the same measure; right when the verdicts are equal.
- **Grounding**: the share of stored quotes (record tables and facts) equal to their span of
  the document text; the contract says 100 %.
Scores are appended to `eval_runs`, so runs can be compared in SQL.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.evaluate.gold import Gold, GoldError, GoldFact, load_gold
from pipeline.evaluate.match import Extracted, Matching, match
from pipeline.store import StoreError, connect_read_only
from schemas import FieldKind, Scope, record_specs

__all__ = ["GoldError", "Report", "evaluate", "evaluate_db", "load_gold", "save_eval_run"]


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.tp + self.fn, "extracted": self.tp + self.fp, "tp": self.tp,
                "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}  # fmt: skip


@dataclass
class Report:
    corpus: str
    numeric: Counts
    fields: Counts
    by_measure: dict[str, Counts]
    by_record_type: dict[str, Counts]
    by_language: dict[str, Counts]
    scope_right: int
    scope_checked: int
    clustering: Counts
    verdicts: list[dict[str, Any]]
    grounding: tuple[int, int]  # (exact, checked)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    versions: dict[str, str | None] = field(default_factory=dict)

    @property
    def all_facts(self) -> Counts:
        return self.numeric + self.fields

    @property
    def verdict_accuracy(self) -> float | None:
        return (
            sum(v["right"] for v in self.verdicts) / len(self.verdicts) if self.verdicts else None
        )

    @property
    def grounding_rate(self) -> float:
        exact, checked = self.grounding
        return exact / checked if checked else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus, "numeric": self.numeric.to_dict(),
            "fields": self.fields.to_dict(), "all": self.all_facts.to_dict(),
            "by_measure": {k: v.to_dict() for k, v in sorted(self.by_measure.items())},
            "by_record_type": {k: v.to_dict() for k, v in sorted(self.by_record_type.items())},
            "by_language": {k: v.to_dict() for k, v in sorted(self.by_language.items())},
            "scope": {"right": self.scope_right, "checked": self.scope_checked},
            "clustering": self.clustering.to_dict(), "verdicts": self.verdicts,
            "verdict_accuracy": self.verdict_accuracy,
            "grounding": {"exact": self.grounding[0], "checked": self.grounding[1],
                          "rate": self.grounding_rate},
            "missed": self.missed, "spurious": self.spurious, "versions": self.versions,
        }  # fmt: skip


# ----------------------------------------------------------------------------- reading


def _gold_field(spec_field: str, kind: FieldKind) -> str:
    return spec_field[:-1] if kind is FieldKind.NAMES and spec_field.endswith("s") else spec_field


def extracted_facts(con: duckdb.DuckDBPyConnection, documents: Iterable[str]) -> list[Extracted]:
    wanted = list(documents)
    rows = con.execute(
        """SELECT document_id, record_type, fact_id, quote, measure, value_min, value_max, scope,
                  incident_id FROM facts WHERE document_id IN (SELECT unnest(?))""",
        [wanted],
    ).fetchall()
    found = [Extracted(d, rt, fid, q, m, lo, hi, Scope(s), inc)
             for d, rt, fid, q, m, lo, hi, s, inc in rows]  # fmt: skip
    for spec in record_specs():
        if spec.event:
            continue
        columns = [f.name for f in spec.fields if f.kind is not FieldKind.QUANTITY]
        rows = con.execute(
            f"SELECT record_id, document_id, quote, event_date_text, "
            f"{', '.join(columns)} FROM {spec.table} WHERE document_id IN (SELECT unnest(?))",
            [wanted],
        ).fetchall()
        seen: set[tuple[str, str, str]] = set()
        for record_id, document_id, quote, date_text, *values in rows:
            fields: list[tuple[str, Any]] = [("date", date_text)]
            for spec_field, value in zip((spec.field(c) for c in columns), values, strict=True):
                if spec_field.kind is FieldKind.PARTIES:
                    for party in value or []:
                        fields.append(("party", party["side"]))
                        fields.append(("head", party["head"]))
                elif spec_field.kind is FieldKind.NAMES:
                    for name in value or []:
                        fields.append((_gold_field(spec_field.name, spec_field.kind), name))
                else:
                    fields.append((spec_field.name, value))
            for name, value in fields:
                # A value the article repeats (the venue in three sentences) is one fact, as
                # a repeated figure is: gold annotates it once.
                key = (document_id, name, str(value).casefold())
                if value and key not in seen:
                    seen.add(key)
                    found.append(
                        Extracted(
                            document_id,
                            spec.name,
                            f"{record_id}:{name}",
                            quote,
                            field=name,
                            value=str(value),
                        )
                    )
    return found


def _grounding(con: duckdb.DuckDBPyConnection, documents: Sequence[str]) -> tuple[int, int]:
    exact = checked = 0
    for table in ["facts", *(s.table for s in record_specs())]:
        row = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE substr(d.text, t.char_start + 1,
                       t.char_end - t.char_start) = t.quote)
                FROM {table} t JOIN documents d USING (document_id)
                WHERE t.document_id IN (SELECT unnest(?))""",
            [list(documents)],
        ).fetchone()
        if row:
            checked += row[0]
            exact += row[1]
    return exact, checked


# ----------------------------------------------------------------------------- scoring


def _counts(matching: Matching, key: Any) -> dict[str, Counts]:
    counts: dict[str, Counts] = defaultdict(Counts)
    for g, _e in matching.matched:
        if g.numeric:
            counts[key(g)] += Counts(tp=1)
    for g in matching.missed:
        if g.numeric:
            counts[key(g)] += Counts(fn=1)
    for e in matching.spurious:
        if e.numeric:
            counts[key(e)] += Counts(fp=1)
    return dict(counts)


def clustering(matching: Matching) -> Counts:
    """Pairwise, over matched gold figures of the incident's own figures (not wider totals)."""
    found = [(g, e.incident_id) for g, e in matching.matched
             if g.numeric and g.incident and g.scope is not Scope.WIDER]  # fmt: skip
    tp = fp = fn = 0
    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            (gi, ei), (gj, ej) = found[i], found[j]
            if (
                gi.document_id == gj.document_id
                and gi.incident == gj.incident
                and gi.measure == gj.measure
            ):
                continue
            joined = ei is not None and ei == ej
            if gi.incident == gj.incident:
                tp += joined
                fn += not joined
            else:
                fp += joined
    return Counts(tp, fp, fn)


def verdicts(
    con: duckdb.DuckDBPyConnection, gold: Gold, matching: Matching
) -> list[dict[str, Any]]:
    incident_of: dict[str, Counter[str]] = defaultdict(Counter)
    for g, e in matching.matched:
        if g.incident and e.incident_id and g.scope is Scope.INCIDENT:
            incident_of[g.incident][e.incident_id] += 1
    extracted = {
        (incident_id, measure): verdict
        for incident_id, measure, verdict in con.execute(
            "SELECT incident_id, measure, verdict FROM divergences WHERE kind = 'number'"
        ).fetchall()
    }
    results = []
    for d in gold.divergences:
        candidates = incident_of.get(d.incident, Counter())
        found = None
        for incident_id, _ in candidates.most_common():
            if (incident_id, d.measure) in extracted:
                found = extracted[(incident_id, d.measure)]
                break
        results.append({"incident": d.incident, "measure": d.measure, "expected": d.verdict,
                        "found": found, "right": found == d.verdict})  # fmt: skip
    return results


def evaluate(con: duckdb.DuckDBPyConnection, gold: Gold) -> Report:
    stored = {r[0] for r in con.execute("SELECT document_id FROM documents").fetchall()}
    missing = sorted(set(gold.documents) - stored)
    if len(missing) == len(gold.documents):
        raise GoldError(
            f"the database holds none of the {len(gold.documents)} documents of corpus "
            f"{gold.name!r}; run claimdiff on its articles first"
        )
    # Only the corpus's documents that the database holds are scored; the others are listed.
    gold = _restricted(gold, stored)
    extracted = extracted_facts(con, gold.documents)
    matching = match(gold.facts, extracted)
    numeric = sum(_counts(matching, lambda f: "all").values(), Counts())
    field_counts = Counts(
        tp=sum(1 for g, _ in matching.matched if not g.numeric),
        fp=sum(1 for e in matching.spurious if not e.numeric),
        fn=sum(1 for g in matching.missed if not g.numeric),
    )
    language = gold.documents.get
    scope_pairs = [(g, e) for g, e in matching.matched if g.numeric]
    versions = con.execute(
        "SELECT string_agg(DISTINCT model, ','), string_agg(DISTINCT prompt_version, ','), "
        "string_agg(DISTINCT schema_version, ',') FROM documents WHERE document_id IN "
        "(SELECT unnest(?))", [list(gold.documents)],
    ).fetchone() or (None, None, None)  # fmt: skip
    return Report(
        corpus=gold.name,
        numeric=numeric,
        fields=field_counts,
        by_measure=_counts(matching, lambda f: f.measure),
        by_record_type=_counts(matching, lambda f: f.record_type),
        by_language=_counts(matching, lambda f: language(f.document_id, "?")),
        scope_right=sum(g.scope is e.scope for g, e in scope_pairs),
        scope_checked=len(scope_pairs),
        clustering=clustering(matching),
        verdicts=verdicts(con, gold, matching),
        grounding=_grounding(con, list(gold.documents)),
        missed=[_describe(g) for g in matching.missed]
        + [f"document {d} not stored" for d in missing],
        spurious=[
            f"{e.document_id} {e.measure or e.field} "
            f"{e.value_min if e.numeric else e.value!r} ({e.source_id})"
            for e in matching.spurious
        ],
        versions={
            "model": versions[0],
            "prompt_version": versions[1],
            "schema_version": versions[2],
        },
    )


def _restricted(gold: Gold, stored: set[str]) -> Gold:
    kept = Gold(gold.name, gold.folder, [f for f in gold.facts if f.document_id in stored],
                {d: lang for d, lang in gold.documents.items() if d in stored},
                gold.incidents, gold.divergences, gold.apart)  # fmt: skip
    return kept


def _describe(g: GoldFact) -> str:
    what = f"{g.measure} {g.phrase!r}" if g.numeric else f"{g.field} {g.value!r}"
    return f"{g.document_id} {what}"


def evaluate_db(db: Path, gold_folder: Path) -> Report:
    gold = load_gold(gold_folder)
    con = connect_read_only(db)
    try:
        return evaluate(con, gold)
    except duckdb.Error as error:
        raise StoreError(str(error).strip()) from error
    finally:
        con.close()


def save_eval_run(db: Path, report: Report) -> str:
    """Append the scores to `eval_runs`; returns the eval id."""
    from pipeline.store import Store

    eval_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)
    n, a, c = report.numeric, report.all_facts, report.clustering
    with Store(db).writer() as con:
        assert con is not None
        con.execute(
            "INSERT INTO eval_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [eval_id, datetime.now(UTC).replace(tzinfo=None), report.corpus,
             report.versions.get("model"), report.versions.get("prompt_version"),
             report.versions.get("schema_version"), n.precision, n.recall, n.f1,
             a.precision, a.recall, a.f1, c.precision, c.recall, c.f1,
             report.verdict_accuracy, report.grounding_rate, json.dumps(report.to_dict())],
        )  # fmt: skip
    return eval_id
