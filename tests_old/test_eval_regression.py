"""Extraction quality must not fall below what the committed cassettes reach.

The thresholds are fixed numbers, set just under the scores of the committed cassettes of the
default model (numeric F1 0.882, all facts F1 0.881, grounding 100 % on 2026-11-23). A change to
prompts, schemas, validators or the measure rules that lowers them fails here; one that raises
them should raise the thresholds too.
"""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, SEEDS
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate import evaluate_db

NUMERIC_F1 = 0.87
OVERALL_F1 = 0.87


def test_default_model_scores_hold(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "eval.duckdb"
    result = runner.invoke(app, ["run", str(SEEDS), "--replay", "--db", str(db)])
    assert result.exit_code == 0, result.output
    report = evaluate_db(db, ROOT / "tests" / "gold")
    assert report.grounding.rate == 1.0
    assert report.numeric.f1 is not None and report.numeric.f1 >= NUMERIC_F1
    assert report.overall.f1 is not None and report.overall.f1 >= OVERALL_F1
    assert report.missing_documents == ()
