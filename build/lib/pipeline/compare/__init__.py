"""Compare: stored records and facts of many documents → incidents, links, divergences, names.

Pure: it takes what the store read (`RecordRef`, `FactRef`, the quotes) and returns a
`Comparison`; the store writes it. Rebuilt from everything stored after every run, so the
comparison always matches the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.compare.incidents import resolve
from pipeline.compare.names import name_divergence, variants
from pipeline.compare.verdicts import format_interval, number_divergences, verdict
from schemas import Comparison, FactRef, RecordRef

__all__ = ["compare", "format_interval", "verdict"]


def compare(
    records: Sequence[RecordRef],
    facts: Sequence[FactRef],
    quotes: Mapping[str, str] | None = None,
    outlets: Mapping[str, str | None] | None = None,
) -> Comparison:
    """`quotes`: document_id → the text whose names are compared for spelling (its records'
    quotes); `outlets`: document_id → outlet."""
    incidents, assignments, links = resolve(records)
    labels = {i.incident_id: i.label for i in incidents}
    numbers = number_divergences(facts, assignments, labels)
    names = variants(quotes or {})
    spelled = [name_divergence(n, outlets or {}) for n in names]
    return Comparison(
        incidents=tuple(incidents),
        assignments=assignments,
        links=tuple(links),
        divergences=tuple(numbers + spelled),
        names=tuple(names),
    )
