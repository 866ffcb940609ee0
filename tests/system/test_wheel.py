"""The built wheel carries everything claimdiff reads: installed (not editable) into a fresh
environment, it replays the seeds from another folder and stores what the checkout stores."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from cli_support import ROOT, claimdiff, environment, snapshot

# What the package reads at run time, by the folder it ships in.
SHIPPED = (
    "prompts/common.md",
    "pipeline/store/sql/base.sql",
    "schemas/measures.yaml",
    "schemas/records/casualty.yaml",
    "schemas/vocab/cues/en.yaml",
    "pipeline/report/templates/report.html.j2",
)


def _build_wheel(folder: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(folder),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = folder.glob("claimdiff-*.whl")
    return wheel


def _fresh_environment(folder: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed. Its dependencies come from the test's
    own environment, appended after the new site-packages by a .pth line (a path line, so the
    checkout's editable hook in there is not run): the wheel's copy of claimdiff is the one
    imported."""
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder / "bin"


def test_the_wheel_replays_the_seeds_from_another_folder(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(SHIPPED) <= names, sorted(set(SHIPPED) - names)
    assert not {n for n in names if n.split("/")[0] in ("tests", "seeds", "cassettes", "bench")}

    bin_dir = _fresh_environment(tmp_path / "env", wheel)
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert where.startswith(str(tmp_path / "env")), where

    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "seeds", elsewhere / "articles")
    env = environment(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    installed = subprocess.run(
        [
            str(bin_dir / "claimdiff"),
            "run",
            "articles",
            "--replay",
            "--db",
            "x.duckdb",
            "--cassettes",
            str(ROOT / "cassettes"),
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    assert "Traceback" not in installed.stderr

    report = subprocess.run(
        [str(bin_dir / "claimdiff"), "report", "--db", "x.duckdb", "--out", "report.html"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert report.returncode == 0, report.stderr[-2000:]
    assert "<svg" in (elsewhere / "report.html").read_text(encoding="utf-8")

    # eval's default gold lives in the checkout, not in the wheel: one clear line, exit 2
    evaluated = subprocess.run(
        [str(bin_dir / "claimdiff"), "eval", "--db", "x.duckdb"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert evaluated.returncode == 2 and "--gold" in evaluated.stderr
    assert "Traceback" not in evaluated.stderr

    # the checkout, replaying the same cassettes, stores the same rows
    checkout = claimdiff(
        "run",
        ROOT / "seeds",
        "--replay",
        "--db",
        tmp_path / "y.duckdb",
        "--cassettes",
        ROOT / "cassettes",
        cwd=tmp_path,
        timeout=600,
    )
    assert checkout.returncode == 0, checkout.stderr[-2000:]
    installed_rows, checkout_rows = (
        snapshot(elsewhere / "x.duckdb"),
        snapshot(tmp_path / "y.duckdb"),
    )
    # documents.source_path is the path as each run was given it; every other value is equal
    for tables in (installed_rows, checkout_rows):
        tables["documents"] = [row[:1] + row[2:] for row in tables["documents"]]
    assert installed_rows == checkout_rows
