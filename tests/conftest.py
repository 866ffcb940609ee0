"""Shared fixtures and markers.

Layout: `tests/unit/` protects general code on inputs the tests write themselves (sentences,
chunks, gold files, small DuckDB files, the fake server); `tests/system/` runs real processes
(the `claimdiff` command) against the fake server; `tests/replay/` replays the committed
cassettes (marker `replay`). `live` tests run the real embedded model and are opt-in
(`pytest -m live`; pyproject's addopts deselect them).

Every test runs in its own temporary folder (no stray `.env`, relative paths land there),
without the developer's CLAIMDIFF_* and OPENAI_* variables, and with an empty cassette folder
of its own. Only CLAIMDIFF_CACHE_DIR is kept: it holds the gazetteer index (a minute to build)
and the assembled model, which no test writes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))  # `import fakeserver` from any test folder

from fakeserver import FakeServer  # noqa: E402

KEPT = {"CLAIMDIFF_CACHE_DIR"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "live: runs the real embedded model (opt in: -m live)")
    config.addinivalue_line("markers", "replay: replays the committed cassettes (tests/replay/)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/replay/ is a `replay` test: `-m replay` runs them alone, and
    `-m 'not replay'` leaves them out."""
    replay = TESTS / "replay"
    for item in items:
        if replay in item.path.parents:
            item.add_marker(pytest.mark.replay)


@pytest.fixture(scope="session", autouse=True)
def no_developer_settings() -> Iterator[None]:
    """No endpoint, key or setting from the developer's shell, for fixtures of every scope."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(("CLAIMDIFF_", "OPENAI_")) and name not in KEPT:
                patch.delenv(name)
        yield


@pytest.fixture(autouse=True)
def clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cassettes_dir: Path
) -> Iterator[None]:
    """Each test in its own folder, with a cassette folder of its own, and without what an
    earlier test may have set."""
    for name in list(os.environ):
        if name.startswith(("CLAIMDIFF_", "OPENAI_")) and name not in KEPT:
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLAIMDIFF_CASSETTES_DIR", str(cassettes_dir))
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def cassettes_dir(tmp_path: Path) -> Path:
    """An empty cassette folder of the test's own (CLAIMDIFF_CASSETTES_DIR points here)."""
    folder = tmp_path / "cassettes"
    folder.mkdir()
    return folder


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A running fake server with nothing to answer yet: push steps, or set `responder`."""
    with FakeServer() as server:
        yield server


@pytest.fixture(scope="session")
def gazetteer():  # type: ignore[no-untyped-def]
    """The real gazetteer (loaded from the cache; built there on first use)."""
    from pipeline.interpret.places import Gazetteer

    return Gazetteer.load()
