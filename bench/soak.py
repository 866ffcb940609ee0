"""Soak: many documents through `claimdiff run` against a model endpoint that misbehaves, with
the run SIGKILLed at random moments and started again until it is done; the tables must end
up exactly as a clean run's.

    .venv/bin/python bench/soak.py [--documents 200] [--kills 3] [--fault-rate 0.1] [--seed 1]
    make soak N=1000

1. Writes `--documents` short war reports (text files the pipeline extracts) to a temporary
   folder.
2. A clean run: `claimdiff run` against `tests/fakeserver.py`'s FakeServer answering every
   request with the first choices of its response schema (a number phrase per sentence: real
   records and facts), no faults. Its JSON log gives the time per document in the first and
   the last tenth of the documents.
3. The soak: the same articles into another database, the server spoiling `--fault-rate` of
   the requests at random (429, 500, 503, dropped connections, 200s whose body is not JSON);
   `--kills` times the run is SIGKILLed after a random delay (anywhere from startup to the
   last commit), and then started again; the last run is left to finish (and re-run while
   some documents failed, as a scheduler would).
4. Compares every table but `runs`, without run ids and timestamps, with the clean run's.

Prints documents, faults served, kills, runs, whether the tables are identical, and the
times; exits 1 when the tables differ.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests", ROOT / "tests" / "system"):
    sys.path.insert(0, str(folder))

from cli_support import CLAIMDIFF, differences, live_env, snapshot  # noqa: E402
from fakeserver import (  # noqa: E402
    DROPPED,
    INVALID_JSON,
    RATE_LIMITED,
    SERVER_ERROR,
    UNAVAILABLE,
    FakeServer,
    Faults,
    first_choices,
)

from pipeline.store.synthetic import write_articles  # noqa: E402

KINDS = (RATE_LIMITED, SERVER_ERROR, UNAVAILABLE, DROPPED, INVALID_JSON)
MAX_RUNS = 20


def start(inbox: Path, db: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [str(CLAIMDIFF), "run", str(inbox), "--db", str(db), "--log-format", "json"]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=db.parent, env=env, stdout=subprocess.DEVNULL,
                                stderr=out)  # fmt: skip


def done_times(log: Path) -> tuple[float, list[float]]:
    """When the first document was started and each was done (seconds since the epoch),
    from a run's JSON log."""
    started, done = None, []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            ts = datetime.fromisoformat(event["ts"]).timestamp()
            if event.get("event") == "document_started" and started is None:
                started = ts
            elif event.get("event") == "document_done":
                done.append(ts)
    return (started if started is not None else done[0]), done


def per_document_ms(started: float, done: list[float]) -> tuple[float, float]:
    """ms per document over the first and the last tenth of the documents done (from the
    first start to the tenth's last, and from the ninth tenth's last to the end)."""
    tenth = max(len(done) // 10, 1)
    first = (done[tenth - 1] - started) / tenth
    last = (done[-1] - done[-tenth - 1]) / tenth if len(done) > tenth else first
    return 1000 * first, 1000 * last


def soak(documents: int, kills: int, rate: float, seed: int, folder: Path) -> bool:
    rng = random.Random(seed)
    inbox = folder / "articles"
    write_articles(inbox, documents)
    clean_db, db = folder / "clean.duckdb", folder / "soak.duckdb"
    clean_log = folder / "clean.log"
    with FakeServer(responder=first_choices) as server:
        started = time.monotonic()
        clean = start(inbox, clean_db, live_env(server.base_url), clean_log)
        clean.wait()
        clean_seconds = time.monotonic() - started
    if clean.returncode != 0:
        print(f"the clean run failed (exit {clean.returncode}); see {clean_log}")
        return False
    first_ms, last_ms = per_document_ms(*done_times(clean_log))

    faults = Faults(probability=rate, kinds=KINDS, seed=seed)
    killed, runs, codes = 0, 0, []
    soak_started = time.monotonic()
    with FakeServer(responder=first_choices, faults=faults) as server:
        env = live_env(server.base_url)
        while runs < MAX_RUNS:
            runs += 1
            run = start(inbox, db, env, folder / f"soak_{runs}.log")
            if killed < kills:
                # anywhere in a run: startup, triage, extraction and commits, the comparison
                time.sleep(rng.uniform(0.5, max(clean_seconds * 0.9, 1.0)))
                if run.poll() is None:
                    run.send_signal(signal.SIGKILL)
                    killed += 1
                run.wait()
                codes.append(run.returncode)
                if run.returncode == 0:
                    break  # it finished before its kill: the soak is done (kills print as made)
                continue
            run.wait()
            codes.append(run.returncode)
            if run.returncode == 0:
                break
        served = dict(server.faults_served)
        requests = server.requests
    soak_seconds = time.monotonic() - soak_started

    diff = differences(snapshot(db), snapshot(clean_db))
    tables = snapshot(clean_db)
    print(f"soak: {documents:,} documents ({len(tables.get('facts', [])):,} facts, "
          f"{len(tables.get('incidents', [])):,} incidents); {requests:,} requests, "
          f"{sum(served.values()):,} faults served "
          f"({', '.join(f'{k} {v}' for k, v in sorted(served.items()))}); "
          f"{killed} SIGKILLs; {runs} runs (exit codes {codes})")  # fmt: skip
    print(f"tables identical to a clean run's: {'yes' if not diff else 'NO'}")
    for line in diff:
        print(f"  {line}")
    print(f"clean run: {clean_seconds:.1f} s; ms per document, first tenth {first_ms:.1f}, "
          f"last tenth {last_ms:.1f} (ratio {last_ms / first_ms:.2f}); soak {soak_seconds:.1f} s "
          f"in all")  # fmt: skip
    return not diff and codes[-1] == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        ok = soak(args.documents, args.kills, args.fault_rate, args.seed, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="claimdiff-soak-") as tmp:
            ok = soak(args.documents, args.kills, args.fault_rate, args.seed, Path(tmp))
    sys.stdout.flush()
    os._exit(0 if ok else 1)  # as the CLI does: skip DuckDB's noisy interpreter teardown


if __name__ == "__main__":
    main()
