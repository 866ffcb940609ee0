"""JSON schema → llama.cpp grammar (GBNF) that spells JSON one way: `{"key": value, "key": value}`.

llama-cpp-python's own converter lets an optional space stand after every bracket, key and
comma, so every one of them is a choice the model decodes token by token. Our response schemas
are objects whose properties are all required, enums, nulls, bounded arrays and `$defs`
references; written with the spacing of `json.dumps` (how the model writes JSON anyway), all
text between two real choices (keys, brackets, separators, the rest of an enum value once its
first letters decide it) is forced, and the sampler (`grammar_sampling`) evaluates forced text
in one batch instead of one token at a time.

A schema using anything else raises `Unsupported`; the server then keeps llama-cpp-python's
converter for it.
"""

from __future__ import annotations

import json
import re
from typing import Any


class Unsupported(ValueError):
    """The schema uses a construct this converter does not write."""


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f]", lambda m: f"\\x{ord(m.group()):02x}", escaped)
    return f'"{escaped}"'


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _rule_name(ref: str) -> str:
    if not ref.startswith("#/$defs/"):
        raise Unsupported(f"$ref {ref!r} does not point into #/$defs")
    return "def-" + re.sub(r"[^a-zA-Z0-9]+", "-", ref.removeprefix("#/$defs/"))


def to_gbnf(schema: dict[str, Any]) -> str:
    """The grammar of the JSON texts `schema` accepts, in one spelling."""
    defs: dict[str, Any] = schema.get("$defs", {})
    rules: dict[str, str] = {}

    def expression(node: Any) -> str:
        if not isinstance(node, dict):
            raise Unsupported(f"schema node {node!r}")
        if "$ref" in node:
            name = _rule_name(node["$ref"])
            if name not in rules:
                rules[name] = ""  # placeholder: a recursive reference ends here
                key = node["$ref"].removeprefix("#/$defs/")
                if key not in defs:
                    raise Unsupported(f"$ref {node['$ref']!r} is not defined")
                rules[name] = expression(defs[key])
            return name
        if "anyOf" in node:
            return "(" + " | ".join(expression(n) for n in node["anyOf"]) + ")"
        if "enum" in node:
            return "(" + " | ".join(_literal(_json(v)) for v in node["enum"]) + ")"
        if "const" in node:
            return _literal(_json(node["const"]))
        kind = node.get("type")
        if kind == "null":
            return _literal("null")
        if kind == "object":
            return _object(node)
        if kind == "array":
            return _array(node)
        raise Unsupported(f"type {kind!r} without an enum")

    def _object(node: dict[str, Any]) -> str:
        properties: dict[str, Any] = node.get("properties", {})
        closed = node.get("additionalProperties") is False
        if not closed or set(node.get("required", [])) != set(properties):
            raise Unsupported("an object whose properties are not all required and closed")
        if not properties:
            return _literal("{}")
        parts = []
        for i, (key, value) in enumerate(properties.items()):
            parts.append(_literal(("{" if i == 0 else ", ") + _json(key) + ": "))
            parts.append(expression(value))
        return "(" + " ".join([*parts, _literal("}")]) + ")"

    def _array(node: dict[str, Any]) -> str:
        most = node.get("maxItems")
        if node.get("minItems", 0) != 0 or "items" not in node:
            raise Unsupported("an array with minItems or without items")
        if most == 0:
            return _literal("[]")
        item = expression(node["items"])
        more = f'(", " {item})' + ("*" if most is None else f"{{0,{most - 1}}}")
        return f'("[" ({item} {more})? "]")'

    root = expression(schema)
    lines = [f"root ::= {root}"] + [f"{name} ::= {body}" for name, body in rules.items()]
    return "\n".join(lines) + "\n"
