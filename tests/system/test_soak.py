"""`make soak` at a small N, as CI runs it: generated articles served by the fault server,
runs SIGKILLed at random and re-run; the tables must equal a clean run's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_soak_at_a_small_n_gives_a_clean_runs_tables(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), "--documents", "80", "--kills", "2",
         "--fault-rate", "0.2", "--seed", "3", "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tables identical to a clean run's: yes" in done.stdout
    assert "80 documents" in done.stdout and "faults served" in done.stdout
