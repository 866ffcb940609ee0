"""What the system tests share: articles written for them, the `claimdiff` command run as a
real process, and the database read back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[2]
CLAIMDIFF = Path(sys.executable).parent / "claimdiff"

# Articles written for the tests. Places are real (the gazetteer must find them); people and
# outlets are made up.
ARTICLES = {
    "goma_wire.txt": (
        "Outlet: Lake Wire\nPublished: 2025-03-08\n\n"
        "GOMA — Shells struck a crowded market in Goma on Saturday, killing at least 23 people "
        "and wounding more than 40, the provincial health office said.\n"
        "About 1,500 families fled toward the border overnight, aid workers said.\n"
    ),
    "goma_radio.txt": (
        "Outlet: Radio Grands Lacs\nPublished: 2025-03-09\n\n"
        "The death toll from Saturday's shelling of the market in Goma rose to 31, hospital "
        "staff said. Another 52 people were wounded, and rescuers were still searching.\n"
    ),
    "bunia_post.txt": (
        "Published: 2025-03-07\n\n"
        "Militants stormed a police post outside Bunia before dawn on Friday, killing nine "
        "officers and wounding 17, a provincial spokesman said. The attackers fled with weapons "
        "taken from the post, and the army said it had launched two drones to track them.\n"
    ),
    "nairobi_talks.txt": (
        "Published: 2025-03-10\n\n"
        "Delegations of the government and the rebel alliance met in Nairobi on Monday for a "
        "third round of peace talks on the fighting, mediated by Kenya. The government team was "
        "led by Minister Jean-Baptiste Kamanzi, and the rebels sent Lawrence Kanyuka.\n"
    ),
    "goma_fr.txt": (
        "Language: fr\nPublished: 2025-03-08\n\n"
        "Au moins 25 personnes ont été tuées et 40 blessées samedi dans le bombardement d'un "
        "marché de Goma, selon la police. Près de 2 000 habitants ont fui les combats.\n"
    ),
    "bus_lanes.txt": (  # off-topic: stored, never sent to the model
        "Published: 2025-03-04\n\n"
        "The city council approved new bus lanes and a larger library budget on Tuesday, and "
        "said the swimming pool would reopen in the spring after repairs to its roof.\n"
    ),
}
RELEVANT = len(ARTICLES) - 1


def write_articles(folder: Path, names: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or list(ARTICLES):
        (folder / name).write_text(ARTICLES[name], encoding="utf-8")
    return folder


KEPT = {"CLAIMDIFF_CACHE_DIR"}  # the gazetteer index and the model: see tests/conftest.py


def environment(**extra: str) -> dict[str, str]:
    """This process's environment without the developer's CLAIMDIFF_* and OPENAI_* settings
    (module fixtures run before tests/conftest.py cleans it), with `extra` added."""
    mine = {k: v for k, v in os.environ.items()
            if not k.startswith(("CLAIMDIFF_", "OPENAI_")) or k in KEPT}  # fmt: skip
    return {**mine, **extra}


def claimdiff(*args: str | Path, cwd: Path, env: dict[str, str] | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """`claimdiff ARGS` as a real process in `cwd` (relative paths, the default cassette
    folder and any `.env` are looked up there): exit code, stdout and stderr."""
    return subprocess.run(
        [str(CLAIMDIFF), *map(str, args)], env=env or environment(), cwd=cwd,
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def live_env(base_url: str, **extra: str) -> dict[str, str]:
    return environment(CLAIMDIFF_BASE_URL=base_url, CLAIMDIFF_MODEL="fake-model", **extra)


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def dicts(db: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def last_run(db: Path) -> dict[str, Any]:
    return dicts(db, "SELECT * FROM runs ORDER BY started_at DESC LIMIT 1")[0]


# Columns that differ between two runs by design.
RUN_COLUMNS = {"run_id", "started_at", "finished_at", "failed_at", "evaluated_at"}


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but `runs`, without run ids and timestamps, rows sorted."""
    found = {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_name <> 'runs' ORDER BY 1").fetchall()]  # fmt: skip
        for table in tables:
            listed = con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
            columns = [c for (c,) in listed if c not in RUN_COLUMNS]
            quoted = ", ".join(f'"{c}"' for c in columns)
            found[table] = con.execute(f"SELECT {quoted} FROM {table} ORDER BY ALL").fetchall()
    return found


def differences(got: dict[str, list[Any]], want: dict[str, list[Any]]) -> list[str]:
    """What differs, table by table, short enough to read in a failed assertion."""
    out = []
    for table in sorted(set(got) | set(want)):
        a, b = got.get(table, []), want.get(table, [])
        if a != b:
            extra = [r for r in a if r not in b][:2]
            missing = [r for r in b if r not in a][:2]
            out.append(f"{table}: {len(a)} rows vs {len(b)}; extra {extra}; missing {missing}")
    return out
