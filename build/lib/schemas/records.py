"""Record types, declared once as data (`records/*.yaml`), loaded into `RecordSpec` values.

Everything that differs between record types is derived from its declaration: the answer the
model fills (`extract.answers`), the routing cues, the table and its columns (`store.ddl`), the
facts (`interpret`), the evaluation (`evaluate`). Adding a record type means adding its YAML,
its prompt (`prompts/<name>.md`) and its gold; no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml


class FieldKind(StrEnum):
    QUANTITY = "quantity"  # a number phrase of the sentence → Quantity, one fact per value
    PLACE = "place"  # a place named in the chunk → gazetteer entry
    NAME = "name"  # one name or source named in the chunk
    NAMES = "names"  # several
    PARTIES = "parties"  # sides at talks, each with its delegation's head
    CHOICE = "choice"  # one of the declared `choices`


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    describe: str
    measure: str | None = None  # QUANTITY: the field's measure
    # QUANTITY: when the words around the number say nothing of what it counts, keep it under
    # the field's measure (the model's choice of field), or drop it
    when_silent: str = "keep"  # keep | drop
    choices: tuple[str, ...] = ()  # CHOICE


@dataclass(frozen=True)
class RecordSpec:
    name: str  # record_type, e.g. "casualty"
    table: str  # e.g. "casualties"
    description: str
    event: bool  # carries event type and actors (attacks, casualties, …)
    where: str | None  # the PLACE field that says where
    needs_number: bool  # route: only chunks that hold a count
    cues: tuple[str, ...]  # route: cue classes (vocab/cues/<lang>.yaml, section routes)
    fields: tuple[FieldSpec, ...]
    measures: tuple[str, ...] = ()  # route: figures of these measures belong to this type

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def quantities(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.kind is FieldKind.QUANTITY)


def _field(name: str, raw: dict[str, Any]) -> FieldSpec:
    return FieldSpec(
        name=name,
        kind=FieldKind(raw["kind"]),
        describe=str(raw.get("describe", "")),
        measure=raw.get("measure"),
        when_silent=str(raw.get("when_silent", "keep")),
        choices=tuple(raw.get("choices", ())),
    )


def _spec(raw: dict[str, Any]) -> RecordSpec:
    route = raw.get("route", {})
    fields = tuple(_field(name, body) for name, body in raw["fields"].items())
    spec = RecordSpec(
        name=raw["name"],
        table=raw["table"],
        description=raw.get("description", ""),
        event=bool(raw.get("event", False)),
        where=raw.get("where"),
        needs_number=bool(route.get("needs_number", False)),
        cues=tuple(route.get("cues", ())),
        fields=fields,
        measures=tuple(raw.get("measures") or ()),
    )
    unknown = set(spec.measures) - set(measures())
    if unknown:
        raise ValueError(f"record type {spec.name}: unknown measures {sorted(unknown)}")
    if spec.where is not None and spec.field(spec.where).kind is not FieldKind.PLACE:
        raise ValueError(f"record type {spec.name}: `where` must name a place field")
    return spec


@cache
def record_specs() -> tuple[RecordSpec, ...]:
    """Every declared record type, in a fixed order (file name), so requests are stable."""
    folder = resources.files("schemas") / "records"
    specs = [
        _spec(yaml.safe_load(entry.read_text(encoding="utf-8")))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    ]
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"record types declared twice: {names}")
    return tuple(specs)


def record_spec(name: str) -> RecordSpec:
    for spec in record_specs():
        if spec.name == name:
            return spec
    raise KeyError(f"no record type {name!r}; declared: {[s.name for s in record_specs()]}")


@cache
def measures() -> dict[str, dict[str, str]]:
    """The controlled vocabulary of `facts.measure`: name → {unit, describe}."""
    text = (resources.files("schemas") / "measures.yaml").read_text(encoding="utf-8")
    loaded: dict[str, dict[str, str]] = yaml.safe_load(text)["measures"]
    return loaded


@cache
def measure_table() -> tuple[tuple[frozenset[str | None], frozenset[str | None], str], ...]:
    """(subject classes, event classes, measure) rows, first match wins."""
    text = (resources.files("schemas") / "measures.yaml").read_text(encoding="utf-8")
    rows = yaml.safe_load(text)["combine"]
    return tuple((frozenset(r["subject"]), frozenset(r["event"]), str(r["measure"])) for r in rows)


@cache
def event_types() -> dict[str, tuple[str, str]]:
    """ACLED sub-event type id → (event type id, label)."""
    text = (resources.files("schemas") / "event_types.yaml").read_text(encoding="utf-8")
    tree = yaml.safe_load(text)["event_types"]
    return {
        sub: (top, label)
        for top, body in tree.items()
        for sub, label in body["sub_event_types"].items()
    }
