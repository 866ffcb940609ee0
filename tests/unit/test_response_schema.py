"""pipeline.extract.schema on chunks written for the test: every response schema is made of the
chunk's choices, passes OpenAI's strict-mode rules and compiles to a llama.cpp grammar."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pipeline.extract import Request, plan
from pipeline.extract.schema import (
    FIGURES,
    RECORD,
    SENTENCE,
    event_type_choices,
    response_schema,
    sentence_key,
    sentences_for,
    strict_problems,
)
from pipeline.model.json_grammar import Unsupported, to_gbnf
from schemas import Document, FieldKind, record_spec, record_specs

ARTICLES = {
    "market": (
        "GOMA — Shells struck a crowded market in Goma on Saturday, killing at least 23 people "
        "and wounding more than 40, the provincial health office said.\n"
        "Among the dead were six children, a hospital director, Dr. Espérance Mulamba, told "
        "reporters. About 1,500 families fled toward the Rwandan border overnight.\n"
        "The army said its air defences shot down two of the five drones launched at the city. "
        "Rebels claimed they had taken the village of Sake and 120 square kilometres around it."
    ),
    "talks": (
        "Delegations of the government and the rebel alliance met in Nairobi on Monday for a "
        "third round of talks, mediated by Kenya and the African Union.\n"
        "The government team was led by Minister Jean-Baptiste Kamanzi; the rebels sent their "
        "spokesman, Lawrence Kanyuka. Neither side gave figures."
    ),
    "quotes": (
        "“They fired 30 rockets,” said Aïcha N'Diaye, whose shop in Bunia burned; "
        "the \"official\" toll of 12 dead was disputed by O'Brien & Sons' guards.\n"
        "Back\\slash Road in Bunia was closed after 4 people were hurt."
    ),
    "long": " ".join(
        f"In village number {n} near Beni, {n + 2} people were killed and {n * 3} were injured "
        f"when fighters attacked at dawn, a local chief said."
        for n in range(1, 16)
    ),
    "quiet": "The weather in Kisangani was mild and the river was calm on Tuesday.",
    "french": (
        "Au moins 14 civils ont été tués et 30 blessés lors d'une attaque contre un camp près "
        "de Bunia, selon un responsable local. Près de 2 000 personnes ont fui."
    ),
}


@pytest.fixture(scope="module")
def requests(gazetteer: Any) -> dict[str, list[Request]]:
    found: dict[str, list[Request]] = {}
    for name, text in ARTICLES.items():
        language = "fr" if name == "french" else "en"
        document = Document(name, f"{name}.txt", text, language=language)
        for layout in ("per_type", "per_chunk"):
            found[f"{name}/{layout}"] = plan(document, gazetteer, layout)  # type: ignore[arg-type]
    return found


def every(requests: dict[str, list[Request]]) -> list[tuple[str, Request]]:
    return [(f"{key}/{r.label}", r) for key, rs in requests.items() for r in rs]


def test_the_articles_ask_for_every_record_type(requests: dict[str, list[Request]]) -> None:
    asked = {s.name for _, r in every(requests) for s in r.specs}
    assert asked == {s.name for s in record_specs()}
    assert requests["quiet/per_type"] == [] == requests["quiet/per_chunk"]
    assert len(requests["long/per_type"]) >= 2  # more than one chunk


def test_every_schema_passes_openais_strict_rules(requests: dict[str, list[Request]]) -> None:
    for label, request in every(requests):
        assert strict_problems(request.schema) == [], label


def test_every_schema_compiles_to_a_llama_cpp_grammar(requests: dict[str, list[Request]]) -> None:
    llama_grammar = pytest.importorskip("llama_cpp.llama_grammar")
    for label, request in every(requests):
        grammar = llama_grammar.LlamaGrammar.from_json_schema(
            json.dumps(request.schema), verbose=False
        )
        assert grammar is not None, label


def enums(node: Any) -> list[str]:
    if isinstance(node, dict):
        return list(node.get("enum", [])) + [v for sub in node.values() for v in enums(sub)]
    if isinstance(node, list):
        return [v for sub in node for v in enums(sub)]
    return []


def test_every_value_a_schema_allows_is_a_choice_of_its_chunk(
    requests: dict[str, list[Request]],
) -> None:
    for label, request in every(requests):
        c = request.choices
        numbers = {n.text for s in c.sentences for n in s.numbers}
        declared = {v for s in request.specs for f in s.fields for v in f.choices}
        keys = {sentence_key(s.index) for s in c.sentences}  # a one-per-chunk record's sentence
        allowed = numbers | set(c.place_texts()) | set(c.name_texts()) | declared | keys
        assert set(enums(request.schema)) <= allowed, label
        for value in enums(request.schema["$defs"]["place"]):
            assert value in c.chunk.text, label


def records_of(request: Request) -> dict[str, dict[str, Any]]:
    """Record type → its part of the schema (the root, or the root's property)."""
    root = request.schema
    if len(request.specs) == 1:
        return {request.specs[0].name: root}
    assert set(root["properties"]) == {s.name for s in request.specs} == set(root["required"])
    return {name: root["properties"][name] for name in root["properties"]}


def test_each_sentence_key_is_required_and_offers_only_that_sentences_numbers(
    requests: dict[str, list[Request]],
) -> None:
    for label, request in every(requests):
        for name, part in records_of(request).items():
            spec = record_spec(name)
            keys = list(part["properties"])
            assert keys == part["required"] and keys, label
            if spec.one_per_chunk:
                continue  # below
            others = [f.name for f in spec.fields if f.kind is not FieldKind.QUANTITY]
            for key in keys:
                index = int(key.removeprefix("sentence_"))
                record, null = part["properties"][key]["anyOf"]
                assert null == {"type": "null"}
                own = request.choices.number_texts(index, spec.measures)
                figures = [FIGURES] if own else []
                assert sorted(record["properties"]) == sorted(figures + others), (label, key)
                if own:
                    offered = record["properties"][FIGURES]
                    assert offered["items"]["enum"] == own and offered["maxItems"] == len(own)


def test_a_one_per_chunk_type_offers_one_record_naming_one_of_its_sentences(
    requests: dict[str, list[Request]],
) -> None:
    seen = 0
    for label, request in every(requests):
        for name, part in records_of(request).items():
            spec = record_spec(name)
            if not spec.one_per_chunk:
                continue
            seen += 1
            assert list(part["properties"]) == [RECORD], label
            record, null = part["properties"][RECORD]["anyOf"]
            assert null == {"type": "null"}
            assert list(record["properties"]) == [SENTENCE] + [f.name for f in spec.fields]
            offered = record["properties"][SENTENCE]["enum"]
            indexes = [int(k.removeprefix("sentence_")) for k in offered]
            assert offered and all(1 <= i <= len(request.choices.sentences) for i in indexes)
    assert seen, "the corpus asks at least one talks request"


def test_a_sentence_is_offered_for_its_figures_or_its_cue_words(gazetteer: Any) -> None:
    [request] = [r for r in plan(Document("m", "m.txt", ARTICLES["market"]), gazetteer)
                 if r.label == "casualty" and r.choices.chunk.index == 0]  # fmt: skip
    c = request.choices
    assert [s.text[:22] for s in c.sentences] == [
        "GOMA — Shells struck a", "Among the dead were si", "About 1,500 families f",
        "The army said its air ", "Rebels claimed they ha",
    ]  # fmt: skip
    casualty = record_spec("casualty")
    assert sentences_for(casualty, c) == [1, 2]
    assert sentences_for(record_spec("displacement"), c) == [3]
    assert sentences_for(record_spec("territorial_claim"), c, set()) == [5]  # its area
    # A type that needs no number: any sentence with its cue words.
    assert sentences_for(record_spec("talks"), c, {2, 4}) == [2, 4]
    assert list(request.schema["properties"]) == [sentence_key(1), sentence_key(2)]


def test_a_chunk_with_no_places_or_names_allows_only_null_there(gazetteer: Any) -> None:
    text = "At dawn 31 people were killed and 12 were injured, it was said."
    [request] = [r for r in plan(Document("x", "x.txt", text), gazetteer) if r.label == "casualty"]
    assert request.choices.place_texts() == []
    assert request.schema["$defs"]["place"] == {"type": "null"}
    assert strict_problems(request.schema) == []


def test_a_type_no_sentence_may_quote_asks_for_an_empty_object(gazetteer: Any) -> None:
    [request] = plan(Document("q", "q.txt", ARTICLES["talks"]), gazetteer)[:1]
    schema = response_schema((record_spec("casualty"),), request.choices, {"casualty": set()})
    assert (schema["properties"], schema["required"]) == ({}, [])
    assert strict_problems(schema) == []


def test_event_types_offered_are_the_violent_ones() -> None:
    offered = event_type_choices()
    assert offered and len(set(offered)) == len(offered)
    assert "air_drone_strike" in offered
    assert "peaceful_protest" not in offered


def test_only_declared_field_kinds_have_a_schema() -> None:
    kinds = {f.kind for s in record_specs() for f in s.fields}
    assert kinds <= set(FieldKind)


# ----------------------------------------------------------------------------- the checker


def strict_object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}  # fmt: skip


def test_the_checker_refuses_a_deep_nesting_and_foreign_refs() -> None:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(11):
        node = strict_object(a=node)
    assert any("nested deeper" in p for p in strict_problems(node))
    outside = strict_object(a={"$ref": "https://example.org/schema.json"})
    assert any("$ref must point into #/$defs" in p for p in strict_problems(outside))


def test_the_checker_counts_enum_characters_and_properties_over_the_whole_schema() -> None:
    long = [f"{'x' * 99}{i:02d}" for i in range(80)]  # 8,080 characters
    two = strict_object(a={"type": "string", "enum": long}, b={"type": "string", "enum": long})
    assert any("characters of enum values" in p for p in strict_problems(two))
    assert strict_problems(strict_object(a={"type": "string", "enum": long})) == []
    wide = strict_object(**{f"p{i}": {"type": "null"} for i in range(5001)})
    assert any("properties, over 5000" in p for p in strict_problems(wide))


def test_the_checker_walks_defs_items_and_any_of() -> None:
    schema = strict_object(a={"type": "array", "items": {"type": "object", "properties": {}}})
    schema["$defs"] = {"d": {"anyOf": [{"type": "string", "minLength": 1}]}}
    found = strict_problems(schema)
    assert any(p.startswith("$.a[]") and "additionalProperties" in p for p in found)
    assert any(p.startswith("$defs.d|0") and "'minLength'" in p for p in found)


# ----------------------------------------------------------------------------- the grammar
# The embedded server decodes under `json_grammar.to_gbnf(schema)`. Our grammars are not
# recursive and use GBNF's regular part only, so a regular expression translated from one
# tells which texts it accepts.

_GBNF_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9-]+|\{\d+,\d+\}|[()|?*])')


def _gbnf_regex(grammar: str) -> re.Pattern[str]:
    rules = dict(line.split(" ::= ", 1) for line in grammar.strip().splitlines())

    def translate(body: str) -> str:
        out = []
        for token in _GBNF_TOKEN.findall(body):
            if token.startswith('"'):
                text = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), token[1:-1])
                out.append(re.escape(text.replace('\\"', '"').replace("\\\\", "\\")))
            elif token == "(":
                out.append("(?:")
            elif token[0].isalnum():
                out.append(f"(?:{translate(rules[token])})")
            else:
                out.append(token)
        return "".join(out)

    return re.compile(translate(rules["root"]))


def _instances(node: Any, defs: dict[str, Any], fullest: bool) -> Any:
    """One value the schema allows: the fullest one, or the emptiest."""
    if "$ref" in node:
        return _instances(defs[node["$ref"].removeprefix("#/$defs/")], defs, fullest)
    if "anyOf" in node:
        return _instances(node["anyOf"][0 if fullest else -1], defs, fullest)
    if "enum" in node:
        return node["enum"][-1 if fullest else 0]
    if node["type"] == "null":
        return None
    if node["type"] == "object":
        return {k: _instances(v, defs, fullest) for k, v in node["properties"].items()}
    most = node.get("maxItems", 2) if fullest else 0
    return [_instances(node["items"], defs, fullest) for _ in range(most)]


def test_every_schema_has_a_grammar_spelling_json_one_way(
    requests: dict[str, list[Request]],
) -> None:
    for label, request in every(requests):
        matches = _gbnf_regex(to_gbnf(request.schema)).fullmatch
        for fullest in (True, False):
            value = _instances(request.schema, request.schema.get("$defs", {}), fullest)
            text = json.dumps(value, ensure_ascii=False)
            assert matches(text), (label, text)
            # Another spelling of the same value, or a value no enum holds, is refused.
            assert not matches(json.dumps(value, indent=1)) or text == json.dumps(value, indent=1)
            assert not matches(text.replace('": ', '":'))
        assert not matches(text.replace("null", '"invented"', 1)), label


def test_the_grammar_of_a_small_schema() -> None:
    schema = {
        "type": "object", "additionalProperties": False, "required": ["a", "b"],
        "properties": {
            "a": {"anyOf": [{"type": "string", "enum": ['say "hi"', "Kyiv"]}, {"type": "null"}]},
            "b": {"type": "array", "items": {"$ref": "#/$defs/x"}, "maxItems": 2},
        },
        "$defs": {"x": {"type": "string", "enum": ["1"]}},
    }  # fmt: skip
    grammar = to_gbnf(schema)
    assert grammar.splitlines() == [
        'root ::= ("{\\"a\\": " (("\\"say \\\\\\"hi\\\\\\"\\"" | "\\"Kyiv\\"") | "null") '
        '", \\"b\\": " ("[" (def-x (", " def-x){0,1})? "]") "}")',
        'def-x ::= ("\\"1\\"")',
    ]
    matches = _gbnf_regex(grammar).fullmatch
    assert matches('{"a": "say \\"hi\\"", "b": ["1", "1"]}')
    assert matches('{"a": null, "b": []}')
    assert not matches('{"a": null, "b": ["1", "1", "1"]}')  # maxItems
    assert not matches('{"a":null, "b": []}')


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string"},
        {"type": "object", "properties": {"a": {"type": "null"}}, "required": [],
         "additionalProperties": False},
        {"type": "object", "properties": {}},
        {"type": "array", "items": {"type": "null"}, "minItems": 1},
        {"$ref": "#/definitions/a"},
    ],
)  # fmt: skip
def test_a_schema_the_converter_does_not_write_is_unsupported(schema: dict[str, Any]) -> None:
    # The server then falls back to llama-cpp-python's own converter.
    with pytest.raises(Unsupported):
        to_gbnf(schema)
