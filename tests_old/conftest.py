"""Shared fixtures: the repository's own seeds and cassettes, and a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CASSETTES = ROOT / "cassettes"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Tests see the repository's cassettes and never a developer's endpoint or key."""
    for name in ("CLAIMDIFF_BASE_URL", "CLAIMDIFF_MODEL", "CLAIMDIFF_API_KEY", "OPENAI_API_KEY",
                 "CLAIMDIFF_MODE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLAIMDIFF_CASSETTES_DIR", str(CASSETTES))
    monkeypatch.chdir(tmp_path)  # no stray .env, and relative paths land in tmp_path
    yield


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


_exit_status = 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    # As in pipeline.cli.main: DuckDB 2's nanobind bindings print a wall of benign "leaked
    # instance" warnings at interpreter teardown once instructor has run in the process. The
    # report is written by now; leave without the teardown, keeping pytest's exit status.
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)
