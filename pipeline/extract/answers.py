"""The model's answers, checked against their chunk: the second line behind the schema.

An answer holds, per sentence key ("sentence_3"), null or the record that sentence states (one
such object per record type when one request asks for several); a `one_per_chunk` type holds
one record naming its sentence instead. A record's figures come as one list of the sentence's
number phrases: `filled_by` files each under the quantity field that holds what its words say
it counts, and a figure whose words say nothing is not kept. A server that enforces the
response schema can only return valid choices. Endpoints that ignore schemas, or models that
drift, are caught here through Pydantic validation context: a sentence or number phrase the
chunk does not offer is an error instructor sends back to the model with the allowed values; a
place or name outside the lists is dropped (it says nothing we could keep).

The schema instructor sends is the one built for the chunk (`extract.schema`), read from a
context variable set around each request: the answer classes stay static and cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from instructor import OpenAISchema
from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

from pipeline.extract.candidates import ChunkChoices
from pipeline.extract.schema import FIGURES, RECORD, SENTENCE, offered_keys
from schemas import Draft, FieldKind, RecordSpec

_REQUEST_SCHEMA: ContextVar[dict[str, Any]] = ContextVar("claimdiff_request_schema")
_NULL_WORDS = frozenset({"", "null", "none", "n/a", "unknown", "-"})
_SENTENCE_KEY = re.compile(r"^sentence_(\d+)$")


def set_request_schema(schema: dict[str, Any]) -> None:
    _REQUEST_SCHEMA.set(schema)


# What validation checks an answer against (the chunk's choices, the record types, the sentence
# keys asked) when the caller passes no Pydantic context. The client sets it: instructor renders
# the messages as Jinja templates whenever it is handed a context, and an article's own "{{" or
# "{%" would then change the prompt or fail the request.
_REQUEST_CONTEXT: ContextVar[dict[str, Any] | None] = ContextVar(
    "claimdiff_request_context", default=None
)


@contextmanager
def request_context(context: dict[str, Any]) -> Iterator[None]:
    token = _REQUEST_CONTEXT.set(context)
    try:
        yield
    finally:
        _REQUEST_CONTEXT.reset(token)


def records_of(data: dict[str, Any], spec: RecordSpec, several: bool) -> dict[str, Any]:
    """The sentence-keyed records of one record type in an answer."""
    found = data.get(spec.name) if several else data
    if not isinstance(found, dict):
        return {}
    if not spec.one_per_chunk:
        return found
    record = found.get(RECORD)
    if not isinstance(record, dict) or not isinstance(record.get(SENTENCE), str):
        return {}
    return {record[SENTENCE]: {k: v for k, v in record.items() if k != SENTENCE}}


# instructor wraps a response model that is not already one of its schemas in a new class on
# every request (pydantic's create_model: ~8 % of a document's CPU); ours are built once.
class _Answer(OpenAISchema):
    model_config = ConfigDict(extra="allow")
    record_types: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # instructor asks the response model for its schema; ours is the chunk's own.
        return _REQUEST_SCHEMA.get()

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any, info: ValidationInfo) -> Any:
        context: dict[str, Any] = info.context or _REQUEST_CONTEXT.get() or {}
        choices: ChunkChoices | None = context.get("choices")
        specs: dict[str, RecordSpec] = context.get("specs", {})
        if choices is None or not isinstance(data, dict):
            raise ValueError("answers are validated against their chunk: pass the choices")
        keys: dict[str, set[str]] = context.get("keys", {})
        problems: list[str] = []
        for spec in specs.values():
            for key, record in records_of(data, spec, len(specs) > 1).items():
                allowed = keys.get(spec.name)
                if allowed is not None and key not in allowed:
                    problems.append(f"{spec.name}: {key!r} is not asked; use {sorted(allowed)}")
                    continue
                if record is None:
                    continue
                problems += [
                    f"{spec.name} {key}: {p}" for p in check_record(key, record, spec, choices)
                ]
        if problems:
            raise ValueError("; ".join(problems[:6]))
        return data


def sentence_of(key: str, choices: ChunkChoices) -> int | None:
    found = _SENTENCE_KEY.match(key)
    index = int(found.group(1)) if found else None
    if index is None or key != f"sentence_{index}":  # "sentence_01" is no key we asked for
        return None
    return index if 1 <= index <= len(choices.sentences) else None


def asked_keys(schema: dict[str, Any], specs: tuple[RecordSpec, ...]) -> dict[str, set[str]]:
    """Record type → the sentence keys the request's schema offers it."""
    if len(specs) == 1:
        return {specs[0].name: offered_keys(schema, specs[0])}
    return {s.name: offered_keys(schema.get("properties", {}).get(s.name, {}), s) for s in specs}


def check_record(key: str, record: Any, spec: RecordSpec, choices: ChunkChoices) -> list[str]:
    """Why a record is not a valid choice (and cleans place and name fields in place)."""
    sentence = sentence_of(key, choices)
    if sentence is None:
        return [
            f"{key!r} is not a sentence key; use sentence_1 … sentence_{len(choices.sentences)}"
        ]
    if not isinstance(record, dict):
        return ["a record is an object, or null"]
    problems = []
    keys = [FIGURES] + [f.name for f in spec.fields if f.kind is not FieldKind.QUANTITY]
    unknown = [k for k in record if k not in keys]
    if unknown:  # an endpoint that ignores the schema ("killed": "11")
        problems.append(f"unknown keys {unknown}: a {spec.name} record has {keys}")
    numbers = choices.number_texts(sentence)
    figures = record.get(FIGURES) or []
    wrong = [f for f in figures if f not in numbers] if isinstance(figures, list) else [figures]
    if wrong:
        problems.append(
            f"figures {wrong!r} are not number phrases of sentence {sentence}; "
            f"choose among {numbers}, or []"
        )
    for field in spec.fields:
        value = _clean(record.get(field.name))
        if field.kind is FieldKind.CHOICE:
            record[field.name] = value if value in field.choices else None
        elif field.kind is FieldKind.PLACE:
            record[field.name] = value if value in choices.place_texts() else None
        elif field.kind is FieldKind.NAME:
            record[field.name] = value if value in choices.name_texts() else None
        elif field.kind is FieldKind.NAMES:
            record[field.name] = _names(value, choices)
        elif field.kind is FieldKind.PARTIES:
            record[field.name] = _parties(value, choices)
    return problems


def _names(value: Any, choices: ChunkChoices) -> list[str]:
    allowed = choices.name_texts()
    items = value if isinstance(value, list) else []
    return list(dict.fromkeys(v for v in items if isinstance(v, str) and v in allowed))


def _parties(value: Any, choices: ChunkChoices) -> list[dict[str, str | None]]:
    parties = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            side, head = _name(item.get("side"), choices), _name(item.get("head"), choices)
            if side or head:
                parties.append({"side": side, "head": head})
    return parties


def _clean(value: Any) -> Any:
    if isinstance(value, str) and value.strip().casefold() in _NULL_WORDS:
        return None
    return value


def _name(value: Any, choices: ChunkChoices) -> str | None:
    value = _clean(value)
    return value if isinstance(value, str) and value in choices.name_texts() else None


_MODELS: dict[tuple[str, ...], type[_Answer]] = {}


def answer_model(specs: tuple[RecordSpec, ...]) -> type[_Answer]:
    """The (static) answer class for one record type, or for several asked at once; its name
    is part of the request body, so it is derived from the record types only."""
    key = tuple(s.name for s in specs)
    if key not in _MODELS:
        name = f"{key[0]}_records" if len(key) == 1 else "chunk_records"
        _MODELS[key] = type(name, (_Answer,), {"record_types": key, "__module__": __name__})
    return _MODELS[key]


def filled_by(
    figures: list[str], spec: RecordSpec, choices: ChunkChoices, key: str
) -> dict[str, str | None]:
    """Quantity field → the first chosen figure whose words say it counts a measure the field
    holds. Other chosen figures of a filled field are read again with the record's sentence
    (`interpret.records`); a figure whose words say nothing, or count what no field holds, is
    not kept (no field name of the model's says what it counts)."""
    values: dict[str, str | None] = {f.name: None for f in spec.quantities}
    index = sentence_of(key, choices)
    if index is None:
        return values
    measure_of: dict[str, str | None] = {}
    for number in choices.sentences[index - 1].numbers:
        measure_of.setdefault(number.text, number.measure)
    for phrase in dict.fromkeys(figures):
        field = spec.holder(measure_of.get(phrase))
        if field is not None and values[field.name] is None:
            values[field.name] = phrase
    return values


def _says_something(values: dict[str, Any], spec: RecordSpec) -> bool:
    """A record with no quantity and no field filled says nothing: it is not kept."""
    return any(values.get(f.name) not in (None, [], "") for f in spec.fields)


def _counts_in(key: str, spec: RecordSpec, choices: ChunkChoices) -> bool:
    """The model marked the sentence for this record type but chose nothing in it, and one of
    its numbers reads as a measure of the type ("more than 100 wounded are in hospital"): the
    draft is kept, and interpretation reads that number (`record_facts`)."""
    index = sentence_of(key, choices)
    if index is None:
        return False
    measures = set(spec.measures)
    return any(c.measure in measures for c in choices.sentences[index - 1].numbers)


def drafts(
    answer: BaseModel,
    specs: tuple[RecordSpec, ...],
    choices: ChunkChoices,
    keys: dict[str, set[str]] | None = None,
) -> list[Draft]:
    """The answer's records as drafts, in sentence order (only the sentences asked)."""
    data = answer.model_dump()
    result = []
    for spec in specs:
        allowed = (keys or {}).get(spec.name)
        for key, record in records_of(data, spec, len(specs) > 1).items():
            if allowed is not None and key not in allowed:
                continue
            if record is None or check_record(key, record, spec, choices):
                continue
            values = {
                f.name: _clean(record.get(f.name))
                for f in spec.fields
                if f.kind is not FieldKind.QUANTITY
            }
            values |= filled_by(record.get(FIGURES) or [], spec, choices, key)
            if not _says_something(values, spec) and not _counts_in(key, spec, choices):
                continue
            result.append(
                Draft(
                    record_type=spec.name,
                    chunk_index=choices.chunk.index,
                    sentence=sentence_of(key, choices) or 0,
                    values=values,
                )
            )
    return sorted(
        result,
        key=lambda d: (d.sentence, specs.index(next(s for s in specs if s.name == d.record_type))),
    )
