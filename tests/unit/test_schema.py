"""Response schemas built per chunk: choices only, and acceptable to OpenAI's strict mode."""

from pipeline.extract.schema import strict_problems


def test_the_strict_checker_finds_what_openai_refuses() -> None:
    good = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"],
            "additionalProperties": False}  # fmt: skip
    assert strict_problems(good) == []
    optional = {**good, "required": []}
    assert "every property must be required" in strict_problems(optional)[0]
    open_object = {k: v for k, v in good.items() if k != "additionalProperties"}
    assert "additionalProperties" in strict_problems(open_object)[0]
    assert "not supported" in strict_problems({**good, "oneOf": []})[0]
    assert "root" in strict_problems({"anyOf": [good]})[0]
    many = {**good, "properties": {"a": {"type": "string", "enum": [str(i) for i in range(1001)]}}}
    assert any("enum values" in p for p in strict_problems(many))
