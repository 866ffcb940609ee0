"""The response schema of one request, built for its chunk: every answer field is a choice.

The answer has one key per sentence the record type may quote ("sentence_3"), each required:
null, or the record that sentence states. So the model goes through the sentences in order
and cannot skip one unseen. A record's figures are one list, chosen among that sentence's
number phrases: code reads what each counts and files it under its field (`answers`), so the
model writes each figure once and no field names. A type declared `one_per_chunk` (talks) has
one key instead, "record": null, or one record naming its sentence. Places, names and choices
are enums of what the chunk holds. A server that
enforces JSON schemas (llama.cpp's grammar, vLLM's guided decoding, OpenAI's strict structured
outputs, Ollama's `format`) can then only produce grounded answers; `strict_problems` checks
a schema against OpenAI's strict-mode rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.extract.candidates import ChunkChoices
from schemas import FieldKind, RecordSpec, event_types

MAX_NAMES = 3
MAX_PARTIES = 4
# The sub-event types an attack or casualty can be: the violent ones of ACLED's ontology.
VIOLENT_EVENT_TYPES = ("battles", "explosions_remote_violence", "violence_against_civilians")

Schema = dict[str, Any]

FIGURES = "figures"  # a record's chosen number phrases, in one list
RECORD = "record"  # the one record of a `one_per_chunk` type
SENTENCE = "sentence"  # … and the sentence key it quotes


def event_type_choices() -> list[str]:
    return [sub for sub, (top, _) in event_types().items() if top in VIOLENT_EVENT_TYPES]


def _nullable(values: Sequence[str]) -> Schema:
    if not values:
        return {"type": "null"}
    return {"anyOf": [{"type": "string", "enum": list(values)}, {"type": "null"}]}


def _names_array(ref: Schema, limit: int) -> Schema:
    return {"type": "array", "items": ref, "maxItems": limit}


def sentence_key(index: int) -> str:
    return f"sentence_{index}"


def sentences_for(
    spec: RecordSpec, choices: ChunkChoices, cued: set[int] | None = None
) -> list[int]:
    """The sentences a record of this type may quote: those with a figure of one of the
    type's measures (as the words around it read), and those with a cue word of the type
    (`cued`; None: every sentence) holding a number whose words say nothing, or, for a type
    that needs no number, any."""
    chosen = []
    for s in choices.sentences:
        measured = {c.measure for c in s.numbers}
        figured = bool(measured & set(spec.measures))
        cued_here = (cued is None or s.index in cued) and (
            not spec.needs_number or None in measured
        )
        if figured or cued_here:
            chosen.append(s.index)
    return chosen


def record_schema(spec: RecordSpec, choices: ChunkChoices, index: int | None) -> Schema:
    """The record sentence `index` may state (None: any sentence; no figures then). Its
    figures take the place of the first quantity field; none when the sentence has no number
    phrase for the type."""
    numbers = list(dict.fromkeys(choices.number_texts(index, spec.measures) if index else []))
    properties: Schema = {}
    for field in spec.fields:
        if field.kind is not FieldKind.QUANTITY:
            properties[field.name] = _field_schema(field.kind, field.choices)
        elif numbers and FIGURES not in properties:
            properties[FIGURES] = {
                "type": "array", "items": {"type": "string", "enum": numbers},
                "maxItems": len(numbers),
            }  # fmt: skip
    return _object(properties)


def _field_schema(kind: FieldKind, declared: Sequence[str]) -> Schema:
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


def _records(spec: RecordSpec, choices: ChunkChoices, cued: set[int] | None) -> Schema:
    # No sentence key asks for nothing: then the answer is {} (the type is not routed here).
    indexes = sentences_for(spec, choices, cued)
    if spec.one_per_chunk:
        if not indexes:
            return _object({})
        record = record_schema(spec, choices, None)
        keys = {"type": "string", "enum": [sentence_key(i) for i in indexes]}
        record = _object({SENTENCE: keys, **record["properties"]})
        return _object({RECORD: {"anyOf": [record, {"type": "null"}]}})
    return _object({
        sentence_key(i): {"anyOf": [record_schema(spec, choices, i), {"type": "null"}]}
        for i in indexes
    })  # fmt: skip


def offered_keys(section: Schema, spec: RecordSpec) -> set[str]:
    """The sentence keys one record type's part of a response schema offers."""
    properties = section.get("properties", {})
    if not spec.one_per_chunk:
        return set(properties)
    if RECORD not in properties:
        return set()
    record = properties[RECORD]["anyOf"][0]
    return set(record["properties"][SENTENCE]["enum"])


def _defs(choices: ChunkChoices) -> Schema:
    return {"place": _nullable(choices.place_texts()), "name": _nullable(choices.name_texts())}


def response_schema(
    specs: Sequence[RecordSpec],
    choices: ChunkChoices,
    cued: dict[str, set[int]] | None = None,
) -> Schema:
    """The schema for one request: {"sentence_1": record | null, ...} for one record type, or
    one such object per record type ({"casualty": {...}, "attack": {...}}) when one request
    asks for several. `cued`: record type → the sentences holding its cue words."""
    cued = cued or {}
    if len(specs) == 1:
        root = _records(specs[0], choices, cued.get(specs[0].name))
    else:
        root = _object({spec.name: _records(spec, choices, cued.get(spec.name)) for spec in specs})
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
