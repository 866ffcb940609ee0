"""Replayed corpora: each corpus is extracted once per test session from the committed
cassettes (no model, no network) into its own database, then scored against its gold."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import pipeline.api as claimdiff
from pipeline.config import Settings
from pipeline.evaluate import Report, evaluate_db

ROOT = Path(__file__).resolve().parents[2]
CORPORA = {
    "seeds": (ROOT / "seeds", ROOT / "tests/corpora/seeds"),
    "dev": (ROOT / "tests/corpora/dev/articles", ROOT / "tests/corpora/dev"),
    "multilingual": (
        ROOT / "tests/corpora/multilingual/articles",
        ROOT / "tests/corpora/multilingual",
    ),
}


@dataclass
class Replayed:
    name: str
    db: Path
    summary: claimdiff.RunSummary
    report: Report


def _replay(name: str, tmp: Path) -> Replayed:
    articles, gold = CORPORA[name]
    db = tmp / f"{name}.duckdb"
    settings = Settings(cassettes_dir=ROOT / "cassettes", _env_file=None)  # type: ignore[call-arg]
    summary = claimdiff.extract([articles], db, settings=settings, replay=True)
    return Replayed(name, db, summary, evaluate_db(db, gold))


@pytest.fixture(scope="session")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Replayed]]:
    cache: dict[str, Replayed] = {}

    class Lazy(dict[str, Replayed]):
        def __missing__(self, name: str) -> Replayed:
            cache[name] = _replay(name, tmp_path_factory.mktemp(name))
            self[name] = cache[name]
            return cache[name]

    yield Lazy()
