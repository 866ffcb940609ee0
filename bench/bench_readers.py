"""Readers during a real run: `claimdiff run` over 1,000 documents, once alone and once with an
analyst querying the database every 200 ms, as many times as `--rounds` says.

    .venv/bin/python bench/bench_readers.py [--documents 1000] [--rounds 1] [--cli-every 10]
    make bench-readers

The run is the real CLI against `tests/fakeserver.py`'s FakeServer (every request answered
with the first choices of its response schema: real records and facts, no model time), so
that the store, not the model, sets the pace: the hardest case for readers. The reader, in
this process, from the moment the file exists until the run exits:

- every 200 ms opens the file read-only (`connect_read_only`, which retries while a commit
  holds it), counts each stored document's facts, and closes it; every `--cli-every`th
  query is `claimdiff sql` in its own process instead, as an analyst at a terminal would;
- records how long each query waited for its connection and how long it took in all, and
  whether it succeeded;
- keeps what each query saw (document → facts), to check afterwards that every document a
  reader saw was whole: the same number of facts as in the finished database.

Prints, per round: queries made and succeeded, waits and whole query times (median, p95,
max), documents a reader saw incomplete, and the run's throughput (documents per second,
start to exit) with readers over alone. Asserts nothing; exits 1 only when a run fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests", ROOT / "tests" / "system"):
    sys.path.insert(0, str(folder))

from cli_support import CLAIMDIFF, live_env  # noqa: E402
from fakeserver import FakeServer, first_choices  # noqa: E402
from soak import done_times  # noqa: E402

from pipeline.store import connect_read_only  # noqa: E402
from pipeline.store.synthetic import write_articles  # noqa: E402

FACTS_BY_DOCUMENT_SQL = """
    SELECT d.document_id, count(f.document_id)
    FROM documents d LEFT JOIN facts f USING (document_id)
    WHERE d.status IN ('ok', 'partial')
    GROUP BY 1
"""
INTERVAL = 0.2


@dataclass
class Readings:
    waits: list[float] = field(default_factory=list)  # seconds to get a connection
    asked: list[float] = field(default_factory=list)  # when each was asked (epoch seconds)
    totals: list[float] = field(default_factory=list)  # seconds for the whole query
    cli_totals: list[float] = field(default_factory=list)  # `claimdiff sql`, process included
    failures: list[str] = field(default_factory=list)
    seen: list[dict[str, int]] = field(default_factory=list)  # per query: document → facts

    @property
    def queries(self) -> int:
        return len(self.totals) + len(self.cli_totals) + len(self.failures)


def read_once(db: Path, readings: Readings) -> None:
    asked, epoch = time.perf_counter(), time.time()
    try:
        con = connect_read_only(db, wait=60)
    except Exception as error:  # a failed query is a finding, not a crash
        readings.failures.append(f"{type(error).__name__}: {error}")
        return
    got = time.perf_counter()
    try:
        rows = con.execute(FACTS_BY_DOCUMENT_SQL).fetchall()
    except Exception as error:
        readings.failures.append(f"{type(error).__name__}: {error}")
        return
    finally:
        con.close()
    readings.waits.append(got - asked)
    readings.asked.append(epoch)
    readings.totals.append(time.perf_counter() - asked)
    readings.seen.append({document: facts for document, facts in rows})


def read_with_cli(db: Path, readings: Readings) -> None:
    asked = time.perf_counter()
    done = subprocess.run(
        [str(CLAIMDIFF), "sql", "SELECT count(*) FROM facts", "--db", str(db)],
        capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    if done.returncode != 0:
        readings.failures.append(f"claimdiff sql exit {done.returncode}: {done.stderr.strip()}")
    else:
        readings.cli_totals.append(time.perf_counter() - asked)


def reader(db: Path, run: subprocess.Popen[bytes], cli_every: int, readings: Readings) -> None:
    while run.poll() is None and not db.exists():
        time.sleep(0.01)
    n = 0
    while run.poll() is None:
        n += 1
        if cli_every and n % cli_every == 0:
            read_with_cli(db, readings)
        else:
            read_once(db, readings)
        time.sleep(INTERVAL)


def one_run(inbox: Path, db: Path, url: str, cli_every: int | None) -> tuple[float, Readings]:
    """(seconds from start to exit, what the reader saw); no reader when `cli_every` is None."""
    readings = Readings()
    command = [str(CLAIMDIFF), "run", str(inbox), "--db", str(db), "--log-format", "json"]
    started = time.perf_counter()
    with (db.parent / f"{db.stem}.log").open("wb") as log:
        run = subprocess.Popen(command, cwd=db.parent, env=live_env(url),
                               stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
        thread = None
        if cli_every is not None:
            thread = threading.Thread(target=reader, args=(db, run, cli_every, readings))
            thread.start()
        run.wait()
        seconds = time.perf_counter() - started
        if thread is not None:
            thread.join()
    if run.returncode != 0:
        raise SystemExit(f"claimdiff run exited {run.returncode}; see {db.stem}.log in {db.parent}")
    return seconds, readings


def incomplete(db: Path, readings: Readings) -> tuple[int, int]:
    """(document sightings, sightings with fewer or more facts than the finished database)."""
    con = connect_read_only(db)
    try:
        final = dict(con.execute(FACTS_BY_DOCUMENT_SQL).fetchall())
    finally:
        con.close()
    sightings = sum(len(seen) for seen in readings.seen)
    wrong = sum(1 for seen in readings.seen for doc, n in seen.items() if final.get(doc) != n)
    return sightings, wrong


def extraction_end(log: Path) -> float:
    """When the run's last document was done (epoch seconds): after it, the run compares."""
    return done_times(log)[1][-1]


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"median {1000 * statistics.median(ordered):.0f} ms, p95 {1000 * p95:.0f} ms, "
            f"max {1000 * ordered[-1]:.0f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--cli-every", type=int, default=10,
                        help="every Nth query through `claimdiff sql` (0: never)")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimdiff-readers-") as tmp:
        folder = Path(tmp)
        inbox = folder / "articles"
        write_articles(inbox, args.documents)
        print(f"{args.documents:,} documents, a reader every {INTERVAL * 1000:.0f} ms "
              f"(every {args.cli_every}th through `claimdiff sql`)")  # fmt: skip
        ratios = []
        with FakeServer(responder=first_choices) as server:
            # the first run of a machine builds the gazetteer's index: not part of any round
            one_run(inbox, folder / "warm.duckdb", server.base_url, None)
            for round_ in range(1, args.rounds + 1):
                alone, _ = one_run(inbox, folder / f"alone_{round_}.duckdb", server.base_url, None)
                db = folder / f"readers_{round_}.duckdb"
                with_readers, readings = one_run(inbox, db, server.base_url, args.cli_every)
                sightings, wrong = incomplete(db, readings)
                ok = readings.queries - len(readings.failures)
                ratio = alone / with_readers
                ratios.append(ratio)
                print(f"round {round_}: {readings.queries} queries, {ok} succeeded "
                      f"({100 * ok / max(readings.queries, 1):.1f} %)")  # fmt: skip
                end = extraction_end(folder / f"{db.stem}.log")
                during = [w for w, t in zip(readings.waits, readings.asked, strict=True)
                          if t <= end]  # fmt: skip
                after = readings.waits[len(during) :]
                print(f"  connection wait: {spread(readings.waits)}")
                print(f"    while extracting ({len(during)}): {spread(during)}")
                print(f"    while comparing ({len(after)}): {spread(after)}")
                print(f"  whole query:     {spread(readings.totals)}")
                print(f"  claimdiff sql:   {spread(readings.cli_totals)} (process start included)")
                print(f"  documents seen: {sightings:,} sightings, {wrong} not whole")
                print(f"  run alone {alone:.1f} s ({args.documents / alone:.1f} docs/s), with "
                      f"readers {with_readers:.1f} s ({args.documents / with_readers:.1f} "
                      f"docs/s): throughput ratio {ratio:.2f}")  # fmt: skip
                for failure in readings.failures[:5]:
                    print(f"  failed: {failure}")
        if len(ratios) > 1:
            print(f"throughput ratio over {len(ratios)} rounds: median "
                  f"{statistics.median(ratios):.2f}, min {min(ratios):.2f}")  # fmt: skip
    sys.stdout.flush()
    os._exit(0)  # as the CLI does: skip DuckDB's noisy interpreter teardown


if __name__ == "__main__":
    main()
