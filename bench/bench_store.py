"""The store alone: throughput, cost per document as the database grows, replacements, and
readers querying while a writer commits.

    .venv/bin/python bench/bench_store.py            # 100,000 documents (a few minutes)
    .venv/bin/python bench/bench_store.py --quick    # 10,000 documents, shorter reader rows

Documents come from `pipeline.store.synthetic` (the real data classes: 10 records, 20 facts,
~1.1 kB of text each). Rows, each with a fresh database in a temporary folder:

- throughput: every document through `Store.add` (what a run calls; the store commits a batch
  of whole documents per transaction, FLUSH_DOCUMENTS at most), timing the store only (the
  synthetic outcomes are built before the clock runs). Facts per second, and ms per document
  in the first and the last tenth of the documents (with their ratio: 1.0 = the cost does
  not grow with the database). Wall and CPU time: on a shared machine, CPU time is the
  steadier of the two.
- replace: re-extracted documents (same ids, new figures, picked at random among the stored
  ones) mixed into batches of new ones, 1, 10 or 100 per batch, once when the database holds
  a tenth of the documents and once when it holds them all: ms spent deleting their old
  rows, per replaced document, and the ratio between the two.
- readers: a writer process (`python -m pipeline.store.synthetic`) alone, then with this
  process opening the file read-only every 200 ms (`connect_read_only` + a query + close):
  how long each read waited for its connection (median, p95, max; DuckDB's own open cost,
  printed first, is in it), and the writer's documents per second with the reader over
  alone. Two writers: run-like (100 documents/s through `Store.add`, which commits when due:
  about once a second, as a run does) and saturated (batches of 50 committed back to back).

Prints a table of values and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.store import FLUSH_DOCUMENTS, Store, connect_read_only  # noqa: E402
from pipeline.store.synthetic import FACTS_PER_DOCUMENT, outcome  # noqa: E402

CHUNK = 1000  # outcomes built ahead of the clock at a time
REPLACED = (1, 10, 100)  # re-extracted documents per batch in the replace row


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def throughput(folder: Path, documents: int) -> dict[str, float]:
    db = folder / "throughput.duckdb"
    store = Store(db).open()
    store.start_run("bench")
    tenth = max(documents // 10, 1)
    spent: list[tuple[float, float]] = []  # (wall, cpu) per chunk
    for first in range(0, documents, CHUNK):
        chunk = [outcome(n, "bench") for n in range(first, min(first + CHUNK, documents))]
        wall, cpu = clocks()
        for item in chunk:
            store.add(item)
        if first + CHUNK >= documents:
            store.flush(force=True)
        end_wall, end_cpu = clocks()
        spent.append((end_wall - wall, end_cpu - cpu))
    store.finish_run("bench", documents=documents)
    per_chunk = [min(CHUNK, documents - i * CHUNK) for i in range(len(spent))]
    chunks_per_tenth = max(tenth // CHUNK, 1)

    def ms_per_document(part: list[tuple[float, float]], sizes: list[int], index: int) -> float:
        return 1000 * sum(p[index] for p in part) / sum(sizes)

    head, tail = spent[:chunks_per_tenth], spent[-chunks_per_tenth:]
    head_n, tail_n = per_chunk[:chunks_per_tenth], per_chunk[-chunks_per_tenth:]
    wall = sum(s[0] for s in spent)
    cpu = sum(s[1] for s in spent)
    return {
        "documents": documents,
        "facts_per_s": documents * FACTS_PER_DOCUMENT / wall,
        "facts_per_cpu_s": documents * FACTS_PER_DOCUMENT / cpu,
        "first_ms": ms_per_document(head, head_n, 0),
        "last_ms": ms_per_document(tail, tail_n, 0),
        "first_cpu_ms": ms_per_document(head, head_n, 1),
        "last_cpu_ms": ms_per_document(tail, tail_n, 1),
        "size_mb": db.stat().st_size / 1e6,
    }


def replace_cost(store: Store, held: int, replaced: int, rng: random.Random) -> float:
    """ms spent deleting the old rows, per re-extracted document: batches of FLUSH_DOCUMENTS
    holding `replaced` of the `held` stored documents (at random), the rest new ones."""
    new = iter(range(10_000_000 + held * 10, 10_000_000 + held * 10 + 20 * FLUSH_DOCUMENTS))
    rounds = 3
    before = store.replace_seconds
    for _ in range(rounds):
        again = [outcome(n, "again", version=1) for n in rng.sample(range(held), replaced)]
        store.pending.extend(again + [outcome(next(new), "new")
                                      for _ in range(FLUSH_DOCUMENTS - replaced)])  # fmt: skip
        store.flush(force=True)
    return 1000 * (store.replace_seconds - before) / (rounds * replaced)


def replacements(folder: Path, documents: int) -> dict[str, float]:
    """Replacing documents when the database holds a tenth of them, and all of them."""
    db = folder / "replace.duckdb"
    store = Store(db).open()
    rng = random.Random(7)
    tenth = documents // 10
    results: dict[str, float] = {}
    written = 0
    for target, label in ((tenth, "early"), (documents, "late")):
        for first in range(written, target, CHUNK):
            store.pending.extend(outcome(n) for n in range(first, min(first + CHUNK, target)))
            store.flush(force=True)
        written = target
        for replaced in REPLACED:
            results[f"{label}_{replaced}"] = replace_cost(store, written, replaced, rng)
        results[f"{label}_held"] = written
    return results


def _follow(stream: IO[str], committed: list[tuple[float, int]]) -> None:
    """The writer's `committed N` lines, with when they came."""
    for line in stream:
        if line.startswith("committed"):
            committed.append((time.perf_counter(), int(line.split()[1])))


def reader_row(folder: Path, seconds: float, writer_args: list[str]) -> dict[str, float]:
    """A writer process alone, then with this process reading every 200 ms."""
    rows: dict[str, float] = {}
    for label, with_reader in (("alone", False), ("reader", True)):
        db = folder / f"readers_{label}_{len(list(folder.iterdir()))}.duckdb"
        Store(db).open()
        command = [sys.executable, "-m", "pipeline.store.synthetic", "--db", str(db),
                   "--documents", "100000000", *writer_args]  # fmt: skip
        writer = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
        assert writer.stdout is not None
        committed: list[tuple[float, int]] = []
        follower = threading.Thread(target=_follow, args=(writer.stdout, committed), daemon=True)
        follower.start()
        while not committed:
            time.sleep(0.01)
        waits: list[float] = []
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            if with_reader:
                asked = time.perf_counter()
                con = connect_read_only(db, wait=60)
                waits.append(time.perf_counter() - asked)
                con.execute("SELECT count(*) FROM facts").fetchone()
                con.close()
            time.sleep(0.2)
        writer.terminate()
        writer.wait()
        follower.join(timeout=5)
        window = [c for c in committed if c[0] >= started]
        span = window[-1][0] - window[0][0] if len(window) > 1 else 0.0
        rows[f"{label}_docs_per_s"] = (window[-1][1] - window[0][1]) / span if span else 0.0
        if with_reader:
            ordered = sorted(waits)
            rows["queries"] = len(waits)
            rows["wait_median_ms"] = 1000 * statistics.median(ordered)
            rows["wait_p95_ms"] = 1000 * ordered[int(0.95 * (len(ordered) - 1))]
            rows["wait_max_ms"] = 1000 * ordered[-1]
    rows["ratio"] = rows["reader_docs_per_s"] / rows["alone_docs_per_s"]
    return rows


def open_baseline(folder: Path) -> float:
    """ms to open a file read-only, query it and close it when no writer is there (DuckDB's
    own cost, which every wait above includes)."""
    db = folder / "baseline.duckdb"
    store = Store(db).open()
    store.pending.extend(outcome(n) for n in range(100))
    store.flush(force=True)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        con = connect_read_only(db)
        times.append(time.perf_counter() - started)
        con.execute("SELECT count(*) FROM facts").fetchone()
        con.close()
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 documents")
    parser.add_argument("--documents", type=int, default=None)
    parser.add_argument("--reader-seconds", type=float, default=None)
    args = parser.parse_args()
    documents = args.documents or (10_000 if args.quick else 100_000)
    seconds = args.reader_seconds or (10.0 if args.quick else 30.0)
    print(f"bench_store: {documents:,} documents × {FACTS_PER_DOCUMENT} facts; "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        folder = Path(tmp)
        t = throughput(folder, documents)
        print(f"throughput   {t['facts_per_s']:>9,.0f} facts/s wall "
              f"({t['facts_per_cpu_s']:,.0f} per CPU s); ms/document first tenth "
              f"{t['first_ms']:.3f}, last tenth {t['last_ms']:.3f} (ratio "
              f"{t['last_ms'] / t['first_ms']:.2f}); CPU {t['first_cpu_ms']:.3f} → "
              f"{t['last_cpu_ms']:.3f} (ratio {t['last_cpu_ms'] / t['first_cpu_ms']:.2f}); "
              f"file {t['size_mb']:.1f} MB")  # fmt: skip
        r = replacements(folder, documents)
        print("replace      ms deleting old rows per re-extracted document, "
              f"{r['early_held']:,} → {r['late_held']:,} stored:")  # fmt: skip
        for replaced in REPLACED:
            early, late = r[f"early_{replaced}"], r[f"late_{replaced}"]
            print(f"  {replaced:3} per batch of {FLUSH_DOCUMENTS}: {early:.2f} → {late:.2f} ms "
                  f"(ratio {late / early:.2f})")  # fmt: skip
        baseline = open_baseline(folder)
        print(f"readers      opening read-only, querying and closing takes {baseline:.0f} ms "
              "(median) with no writer; with one, a read every 200 ms waited:")  # fmt: skip
        for label, writer_args in (
            ("run-like", ["--rate", "100"]),  # Store.add, a commit per second
            ("saturated", ["--batch", "50", "--pause", "0"]),  # commits back to back
        ):
            w = reader_row(folder, seconds, writer_args)
            print(f"  {label:10} writer ({' '.join(writer_args)}): {w['queries']:.0f} reads, "
                  f"median {w['wait_median_ms']:.0f} ms, p95 {w['wait_p95_ms']:.0f} ms, max "
                  f"{w['wait_max_ms']:.0f} ms; writer {w['reader_docs_per_s']:,.0f} documents/s "
                  f"with the reader vs {w['alone_docs_per_s']:,.0f} alone (ratio "
                  f"{w['ratio']:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
