"""pipeline.model.local: the embedded model assembled from part packages, on small real files.

The part packages are real importable packages written into tmp_path, so assembly finds them
the way it finds the PyPI parts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import os
import socket
import sys
import tomllib
from pathlib import Path

import pytest

from pipeline.model.local import (
    LOCAL_INSTALL_HINT,
    MODELS,
    LocalModel,
    LocalModelError,
    assemble,
    free_port,
    get_model,
)

ROOT = Path(__file__).resolve().parents[2]


def part_packages(root: Path, contents: list[bytes], prefix: str = "tinypart") -> LocalModel:
    """Packages `<prefix>1`, `<prefix>2`, … under `root`, each holding data/partNN.bin."""
    packages, files = [], []
    for n, data in enumerate(contents, start=1):
        package = root / f"{prefix}{n}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{n:02d}.bin").write_bytes(data)
        packages.append(package.name)
        files.append(f"data/part{n:02d}.bin")
    whole = b"".join(contents)
    return LocalModel(
        key="tiny", alias="tiny-test-q4", packages=tuple(packages), part_files=tuple(files),
        size=len(whole), sha256=hashlib.sha256(whole).hexdigest(),
        pip_requirements=" ".join(f"tiny-part{n}==1.0" for n in range(1, len(contents) + 1)),
    )  # fmt: skip


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[LocalModel, bytes, Path]:
    root = tmp_path / "site"
    contents = [b"GGUF" + bytes(range(256)) * 40, os.urandom(9_000), b"tail" * 1000]
    model = part_packages(root, contents, prefix=f"tinypart_{tmp_path.name.replace('-', '_')}_")
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    return model, b"".join(contents), tmp_path / "cache"


def test_parts_are_assembled_in_order_and_verified(parts: tuple[LocalModel, bytes, Path]) -> None:
    model, whole, cache = parts
    seen: list[tuple[int, int]] = []
    path = assemble(model, cache, lambda done, total: seen.append((done, total)))
    assert path == cache / "models" / "tiny-test-q4.gguf"
    assert path.read_bytes() == whole
    assert seen[-1] == (len(whole), len(whole))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert sorted(p.name for p in path.parent.iterdir()) == ["tiny-test-q4.gguf",
                                                              "tiny-test-q4.sha256"]  # fmt: skip


def test_a_verified_model_is_not_assembled_again(parts: tuple[LocalModel, bytes, Path]) -> None:
    model, whole, cache = parts
    path = assemble(model, cache)
    for name in model.packages:  # the parts are gone: only the stamp can answer
        sys.modules.pop(name, None)
    broken = dataclasses.replace(model, packages=tuple(f"{p}_gone" for p in model.packages))
    assert assemble(broken, cache) == path
    assert path.read_bytes() == whole


def test_a_replaced_model_file_is_assembled_again(parts: tuple[LocalModel, bytes, Path]) -> None:
    model, whole, cache = parts
    path = assemble(model, cache)
    path.write_bytes(b"something else")
    assert assemble(model, cache).read_bytes() == whole


def test_a_checksum_mismatch_is_refused_and_leaves_nothing(
    parts: tuple[LocalModel, bytes, Path],
) -> None:
    model, _, cache = parts
    wrong = dataclasses.replace(model, sha256="0" * 64)
    with pytest.raises(LocalModelError, match=r"does not match its pinned checksum") as raised:
        assemble(wrong, cache)
    assert "reinstall the part packages (tiny-part1==1.0" in str(raised.value)
    assert list((cache / "models").iterdir()) == []


def test_a_part_of_the_wrong_size_is_refused(parts: tuple[LocalModel, bytes, Path]) -> None:
    model, whole, cache = parts
    bigger = dataclasses.replace(model, size=len(whole) + 1)
    with pytest.raises(LocalModelError, match=rf"size {len(whole):,} of {len(whole) + 1:,}"):
        assemble(bigger, cache)
    assert list((cache / "models").iterdir()) == []


def test_a_missing_part_package_names_the_install_command(
    parts: tuple[LocalModel, bytes, Path],
) -> None:
    model, _, cache = parts
    missing = dataclasses.replace(model, packages=(*model.packages[:2], "no_such_part_pkg"))
    with pytest.raises(LocalModelError) as raised:
        assemble(missing, cache)
    message = str(raised.value)
    assert "model part package 'no_such_part_pkg' is not installed" in message
    assert LOCAL_INSTALL_HINT in message and "pip install 'claimdiff[local]'" in message
    assert not (cache / "models").exists()


def test_a_missing_part_file_is_named(parts: tuple[LocalModel, bytes, Path]) -> None:
    model, _, cache = parts
    [path] = [p for p in model.part_paths() if p.name == "part02.bin"]
    path.unlink()
    with pytest.raises(LocalModelError, match=r"model parts missing: .*part02\.bin \(make run"):
        assemble(model, cache)


def test_an_unknown_model_key_lists_the_known_ones() -> None:
    with pytest.raises(LocalModelError) as raised:
        get_model("gpt-17")
    assert "unknown local model 'gpt-17'" in str(raised.value)
    for key in MODELS:
        assert key in str(raised.value)


@pytest.mark.parametrize("key", sorted(MODELS))
def test_the_pinned_models_are_consistent_with_the_package_extras(key: str) -> None:
    model = get_model(key)
    assert len(model.packages) == len(model.part_files) == len(model.pip_requirements.split())
    assert len(model.sha256) == 64 and model.size > 0
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    pinned = {r for requirements in extras.values() for r in requirements}
    assert set(model.pip_requirements.split()) <= pinned
    for package, requirement in zip(model.packages, model.pip_requirements.split(), strict=True):
        assert package == requirement.split("==")[0].replace("-", "_")


def test_free_port_is_free_on_loopback() -> None:
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))
