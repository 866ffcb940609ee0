"""The response schema of one request, built for its chunk: every answer field is a choice.

A record is one branch per sentence (`anyOf`): the branch fixes the sentence number, and its
quantity fields may only take the number phrases of that sentence. Places, names and choices
are enums of what the chunk holds. A server that enforces JSON schemas (llama.cpp's grammar,
vLLM's guided decoding, OpenAI's strict structured outputs, Ollama's `format`) can then only
produce grounded answers; `strict_problems` checks a schema against OpenAI's strict-mode rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.extract.candidates import ChunkChoices
from schemas import FieldKind, RecordSpec, event_types

MAX_RECORDS = 6  # per record type and chunk: a chunk of a few sentences never holds more
MAX_NAMES = 3
MAX_PARTIES = 4
# The sub-event types an attack or casualty can be: the violent ones of ACLED's ontology.
VIOLENT_EVENT_TYPES = ("battles", "explosions_remote_violence", "violence_against_civilians")

Schema = dict[str, Any]


def event_type_choices() -> list[str]:
    return [sub for sub, (top, _) in event_types().items() if top in VIOLENT_EVENT_TYPES]


def _nullable(values: Sequence[str]) -> Schema:
    if not values:
        return {"type": "null"}
    return {"anyOf": [{"type": "string", "enum": list(values)}, {"type": "null"}]}


def _names_array(ref: Schema, limit: int) -> Schema:
    return {"type": "array", "items": ref, "maxItems": limit}


def sentences_for(spec: RecordSpec, choices: ChunkChoices) -> list[int]:
    """The sentences a record of this type may quote: with a number, if the type needs one."""
    if spec.needs_number:
        return [s.index for s in choices.sentences if s.numbers]
    return [s.index for s in choices.sentences]


def record_branches(spec: RecordSpec, choices: ChunkChoices) -> list[Schema]:
    """One object schema per sentence the record may quote."""
    branches = []
    for index in sentences_for(spec, choices):
        properties: Schema = {"sentence": {"type": "integer", "enum": [index]}}
        for field in spec.fields:
            properties[field.name] = _field_schema(field.kind, field.choices,
                                                   choices.number_texts(index))  # fmt: skip
        if spec.event:
            properties["event_type"] = _nullable(event_type_choices())
            properties["actors"] = _names_array({"$ref": "#/$defs/name"}, MAX_NAMES)
        properties["attributed_to"] = {"$ref": "#/$defs/name"}
        branches.append(_object(properties))
    return branches


def _field_schema(kind: FieldKind, declared: Sequence[str], numbers: Sequence[str]) -> Schema:
    if kind is FieldKind.QUANTITY:
        return _nullable(numbers)
    if kind is FieldKind.PLACE:
        return {"$ref": "#/$defs/place"}
    if kind is FieldKind.NAME:
        return {"$ref": "#/$defs/name"}
    if kind is FieldKind.NAMES:
        return _names_array({"$ref": "#/$defs/name"}, MAX_NAMES)
    if kind is FieldKind.PARTIES:
        party = _object({"side": {"$ref": "#/$defs/name"}, "head": {"$ref": "#/$defs/name"}})
        return {"type": "array", "items": party, "maxItems": MAX_PARTIES}
    if kind is FieldKind.CHOICE:
        return _nullable(declared)
    raise ValueError(f"no schema for field kind {kind}")


def _object(properties: Schema) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _records(spec: RecordSpec, choices: ChunkChoices) -> Schema:
    branches = record_branches(spec, choices)
    if not branches:
        return {"type": "array", "items": _object({}), "maxItems": 0}
    items = branches[0] if len(branches) == 1 else {"anyOf": branches}
    return {"type": "array", "items": items, "maxItems": MAX_RECORDS}


def _defs(choices: ChunkChoices) -> Schema:
    return {"place": _nullable(choices.place_texts()), "name": _nullable(choices.name_texts())}


def response_schema(specs: Sequence[RecordSpec], choices: ChunkChoices) -> Schema:
    """The schema for one request: {"records": [...]} for one record type, or one list per
    record type ({"casualty": [...], "attack": [...]}) when one request asks for several."""
    if len(specs) == 1:
        root = _object({"records": _records(specs[0], choices)})
    else:
        root = _object({spec.name: _records(spec, choices) for spec in specs})
    root["$defs"] = _defs(choices)
    return root


# ----------------------------------------------------------------------------- OpenAI strict

_ALLOWED = {
    "type", "properties", "required", "additionalProperties", "items", "anyOf", "enum",
    "const", "$ref", "$defs", "description", "title", "minItems", "maxItems", "pattern",
    "format", "minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum",
}  # fmt: skip
MAX_ENUM_VALUES = 1000
MAX_ENUM_CHARS = 15_000
MAX_DEPTH = 10
MAX_PROPERTIES = 5000


def strict_problems(schema: Schema) -> list[str]:
    """Why OpenAI's strict structured outputs would refuse this schema (empty: accepted).

    The rules of OpenAI's "Supported schemas" documentation: the root is an object and not an
    anyOf; every object lists all its properties as required and sets additionalProperties to
    false; only the supported keywords; at most 10 levels of nesting, 5000 properties, 1000 enum
    values and 15,000 characters of enum strings in all."""
    problems: list[str] = []
    totals = {"properties": 0, "enum_values": 0, "enum_chars": 0}
    if schema.get("type") != "object" or "anyOf" in schema:
        problems.append("the root must be an object, not anyOf")

    def walk(node: Any, path: str, depth: int) -> None:
        if not isinstance(node, dict):
            return
        if depth > MAX_DEPTH:
            problems.append(f"{path}: nested deeper than {MAX_DEPTH} levels")
        for key in node:
            if key not in _ALLOWED:
                problems.append(f"{path}: keyword {key!r} is not supported")
        if node.get("type") == "object" or "properties" in node:
            props = node.get("properties", {})
            totals["properties"] += len(props)
            if node.get("additionalProperties") is not False:
                problems.append(f"{path}: additionalProperties must be false")
            if sorted(node.get("required", [])) != sorted(props):
                problems.append(f"{path}: every property must be required")
            for name, sub in props.items():
                walk(sub, f"{path}.{name}", depth + 1)
        if "enum" in node:
            values = node["enum"]
            totals["enum_values"] += len(values)
            totals["enum_chars"] += sum(len(v) for v in values if isinstance(v, str))
        for key in ("items",):
            if key in node:
                walk(node[key], f"{path}[]", depth + 1)
        for i, sub in enumerate(node.get("anyOf", [])):
            walk(sub, f"{path}|{i}", depth + 1)
        for name, sub in node.get("$defs", {}).items():
            walk(sub, f"$defs.{name}", 1)
        if "$ref" in node and not str(node["$ref"]).startswith("#/$defs/"):
            problems.append(f"{path}: $ref must point into #/$defs")

    walk(schema, "$", 1)
    if totals["properties"] > MAX_PROPERTIES:
        problems.append(f"{totals['properties']} properties, over {MAX_PROPERTIES}")
    if totals["enum_values"] > MAX_ENUM_VALUES:
        problems.append(f"{totals['enum_values']} enum values, over {MAX_ENUM_VALUES}")
    if totals["enum_chars"] > MAX_ENUM_CHARS:
        problems.append(f"{totals['enum_chars']} characters of enum values, over {MAX_ENUM_CHARS}")
    return problems
