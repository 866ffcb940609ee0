"""schemas.records: the record types declared as data (schemas/records/*.yaml).

The model chooses a sentence's figures in one list and code files each under the quantity
field that holds its measure, so every measure a type is routed for must have exactly one
field to go to; a declaration that breaks this is refused when it is loaded.
"""

from __future__ import annotations

from typing import Any

import pytest

from schemas import record_spec, record_specs
from schemas.records import _spec

CASUALTY: dict[str, Any] = {
    "name": "casualty", "table": "casualties", "measures": ["killed", "injured"],
    "fields": {
        "killed": {"kind": "quantity", "measure": "killed"},
        "injured": {"kind": "quantity", "measure": "injured"},
        "location": {"kind": "place"},
    },
}  # fmt: skip


def test_every_measure_a_type_is_asked_for_has_one_field_to_go_to() -> None:
    for spec in record_specs():
        for measure in spec.measures:
            field = spec.holder(measure)
            assert field is not None, (spec.name, measure)
            assert [f.name for f in spec.quantities if measure in f.holds] == [field.name]
    downed = record_spec("attack").holder("drones_downed")
    assert downed is not None and downed.name == "downed"
    assert record_spec("casualty").holder("displaced") is None
    assert record_spec("casualty").holder(None) is None


def test_a_field_holds_its_own_measure_unless_told_otherwise() -> None:
    spec = _spec(CASUALTY)
    assert [f.holds for f in spec.quantities] == [("killed",), ("injured",)]


def test_a_measure_held_twice_or_not_routed_is_refused() -> None:
    twice = {**CASUALTY, "fields": {**CASUALTY["fields"], "injured": {
        "kind": "quantity", "measure": "injured", "holds": ["injured", "killed"]}}}  # fmt: skip
    with pytest.raises(ValueError, match="held by at most one quantity field"):
        _spec(twice)
    elsewhere = {**CASUALTY, "measures": ["killed"]}
    with pytest.raises(ValueError, match="held by at most one quantity field"):
        _spec(elsewhere)


def test_one_record_per_chunk_is_for_types_without_figures() -> None:
    assert record_spec("talks").one_per_chunk and not record_spec("casualty").one_per_chunk
    with pytest.raises(ValueError, match="one record per chunk holds no quantities"):
        _spec({**CASUALTY, "one_per_chunk": True})
