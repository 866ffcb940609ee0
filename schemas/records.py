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
    # QUANTITY: the measures whose figures this field holds (default: its own measure). The
    # model chooses a sentence's figures in one list; code files each under the field that
    # holds what its words say it counts.
    holds: tuple[str, ...] = ()
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
    # The answer holds one record for the whole chunk, naming its sentence, instead of one per
    # sentence: for a type a chunk states once however many sentences mention it (talks).
    one_per_chunk: bool = False

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def quantities(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.kind is FieldKind.QUANTITY)

    def holder(self, measure: str | None) -> FieldSpec | None:
        """The quantity field that holds figures of this measure, if one does."""
        for field in self.quantities:
            if measure is not None and measure in field.holds:
                return field
        return None


def _field(name: str, raw: dict[str, Any]) -> FieldSpec:
    return FieldSpec(
        name=name,
        kind=FieldKind(raw["kind"]),
        describe=str(raw.get("describe", "")),
        measure=raw.get("measure"),
        holds=tuple(raw.get("holds") or ([raw["measure"]] if raw.get("measure") else [])),
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
        one_per_chunk=bool(raw.get("one_per_chunk", False)),
    )
    unknown = set(spec.measures) - set(measures())
    if unknown:
        raise ValueError(f"record type {spec.name}: unknown measures {sorted(unknown)}")
    held = [m for f in spec.quantities for m in f.holds]
    if len(set(held)) != len(held) or set(held) - set(spec.measures):
        raise ValueError(
            f"record type {spec.name}: each of its measures is held by at most one quantity field"
        )
    if spec.one_per_chunk and spec.quantities:
        raise ValueError(f"record type {spec.name}: one record per chunk holds no quantities")
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
