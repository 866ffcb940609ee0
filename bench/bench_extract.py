"""Extraction throughput against a local OpenAI-compatible server with a fixed latency.

    .venv/bin/python bench/bench_extract.py             # 128 documents a row, ray at 8 and 32
    .venv/bin/python bench/bench_extract.py --quick     # 64 documents a row, ray at 8 (~2 min)
    .venv/bin/python bench/bench_extract.py --documents 1000 --serial-documents 100 --no-ray

Every row is `pipeline.run.run` (what `claimdiff run` calls, without its progress bars) on
short war reports this script writes (places of Sudan, Mali, Yemen and Myanmar; outlets and
figures made up), live against `tests/fakeserver.py`'s FakeServer in a process of its own (so
that it does not share our interpreter lock), answering each request after `--latency`
seconds (default 0.2) with the first choices its response schema offers (real records and
facts: interpret, incidents and the store all work), into a fresh database. Each row checks
that every document came out `ok` and that the server answered every request. An untimed
warm-up run comes first (imports, the gazetteer, language models).

Columns: `req/doc` requests per document as counted at the server (requests received /
documents), never assumed; `in flight` the most requests the server held at once; `seconds`
the whole run; `first` until the first document was stored (startup, the relevance pass over
all documents, and the first wave's work); `doc/s` documents / seconds; `steady doc/s` the
rate from the `conc`-th document stored (one full wave) to the last, without what `first`
holds.

- throughput (engine local): concurrency 1, 8 and 32 (`--concurrency`). The ideal rate is
  concurrency / (requests per document × latency) documents per second; `ratio` is doc/s
  over it (1.00 = the endpoint's latency is the only cost). Concurrency 1 runs
  `--serial-documents` documents (its rate does not depend on the count).
- overhead: zero latency, concurrency 1, the whole run: wall ms per document is the
  pipeline's own cost (reading, relevance, planning, instructor and validation, HTTP,
  interpret, DuckDB, the comparison at the end); CPU ms per document is this process's share
  of it (the server's is not in it).
- ray: the same documents with `engine=ray` (pipeline/run/ray_engine.py) on a local Ray
  instance of `--ray-cpus` CPUs (default 2; started once, before the clock; each run starts
  its actors, which `first` shows), against the same server at the same latency
  (`--ray-concurrency`): `vs local` is its doc/s over the local engine's at the same
  concurrency, `steady vs local` the same for steady rates. `--no-ray` leaves these rows out.

Prints a table and writes bench/results.json. The store alone is bench/bench_store.py.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests"):
    sys.path.insert(0, str(folder))

from pipeline.config import Settings  # noqa: E402
from pipeline.run import DocumentResult, SilentReporter, run  # noqa: E402

MODEL = "bench-model"
Engine = Literal["local", "ray"]
# (country's towns, a nearby one) pairs from conflicts the pipeline's corpora do not seed.
PLACES = (
    ("El Fasher", "Kutum"),
    ("Nyala", "Zalingei"),
    ("Omdurman", "Bahri"),
    ("Gao", "Menaka"),
    ("Mopti", "Djenne"),
    ("Timbuktu", "Goundam"),
    ("Taiz", "Hodeidah"),
    ("Marib", "Sirwah"),
    ("Lashio", "Hsipaw"),
    ("Myitkyina", "Bhamo"),
    ("Sittwe", "Kyauktaw"),
)
OUTLETS = ("Sahel Wire", "Red Sea Daily", "Irrawaddy Desk", "Nile Bulletin", "Herald")
FIRST_DAY = date(2025, 3, 1)


def write_reports(folder: Path, count: int) -> Path:
    """`count` short, distinct war reports (a metadata header, a casualty sentence and an
    attack sentence), written for this benchmark."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        town, near = PLACES[n % len(PLACES)]
        day = FIRST_DAY + timedelta(days=n % 50)
        (folder / f"report_{n:05d}.txt").write_text(
            f"Outlet: {OUTLETS[n % len(OUTLETS)]}\nPublished: {day.isoformat()}\n\n"
            f"Shells hit a crowded market in {town} on Tuesday, killing {n % 29 + 3} people "
            f"and wounding {n % 47 + 8}, a hospital director said in report {n}. Gunmen "
            f"attacked an army post near {near} overnight, killing {n % 7 + 2} soldiers, and "
            f"the army said it had launched {n % 4 + 2} drones at them.\n",
            encoding="utf-8",
        )
    return folder


def serve(latency: float) -> None:
    """The server process (`--serve`): prints its base URL, serves until stdin closes."""
    from fakeserver import FakeServer, Faults, first_choices

    with FakeServer(responder=first_choices, faults=Faults(latency=latency), model=MODEL) as s:
        print(s.base_url, flush=True)
        sys.stdin.read()


class Server:
    """`serve` in a process of its own; `stats()` reads its counters over HTTP."""

    def __init__(self, latency: float) -> None:
        command = [sys.executable, __file__, "--serve", str(latency)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        if not self.base_url.startswith("http"):
            raise RuntimeError(f"the fake server did not start: {self.base_url!r}")

    def stats(self) -> dict[str, Any]:
        with urlopen(self.base_url.removesuffix("/v1") + "/stats", timeout=10) as response:
            return dict(json.load(response))

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()  # the server stops when its input closes
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Timing(SilentReporter):
    """A reporter that notes the wall and CPU clocks as each document is stored."""

    def __init__(self) -> None:
        self.done: list[tuple[float, float]] = []

    def document_done(self, result: DocumentResult) -> None:
        self.done.append((time.perf_counter(), time.process_time()))


@dataclass
class Row:
    engine: str
    concurrency: int
    latency: float
    documents: int
    requests: int
    seconds: float  # the whole run: reading, relevance, extraction, storing, comparing
    cpu_seconds: float  # this process's CPU time over the run (Ray workers' is not in it)
    first: float  # seconds until the first document was stored
    steady_seconds: float  # from the `concurrency`-th document stored to the last
    max_in_flight: int

    @property
    def rate(self) -> float:
        """Documents per second over the whole run."""
        return self.documents / self.seconds

    @property
    def steady_rate(self) -> float:
        """Documents per second once the first `concurrency` were stored (a full wave):
        without the startup (Ray's actors) and the relevance pass before extraction."""
        return (self.documents - self.concurrency) / self.steady_seconds

    @property
    def requests_per_document(self) -> float:
        return self.requests / self.documents

    @property
    def ideal(self) -> float | None:
        if not self.latency:
            return None
        return self.concurrency / (self.requests_per_document * self.latency)


def measure(
    work: Path, documents: int, concurrency: int, latency: float, engine: Engine = "local"
) -> Row:
    if documents < 2 * concurrency:
        raise SystemExit(f"concurrency {concurrency} needs {2 * concurrency} documents or more")
    folder = write_reports(work / f"reports_{documents}", documents)
    db = work / f"{engine}_c{concurrency}_l{latency}_{documents}.duckdb"
    with Server(latency) as server:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            base_url=server.base_url, model=MODEL, mode="json_schema", timeout=60,
            http_retries=1, validation_retries=0, concurrency=concurrency, engine=engine,
            cassettes_dir=work / "cassettes",
        )  # fmt: skip
        reporter = Timing()
        started, cpu = time.perf_counter(), time.process_time()
        summary = run([folder], db, settings, "live", reporter)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        stats = server.stats()
    statuses = {d.status for d in summary.documents}
    if statuses != {"ok"} or len(summary.documents) != documents:
        failed = [d.error for d in summary.documents if d.status != "ok"][:3]
        raise SystemExit(f"{engine} c{concurrency}: statuses {statuses}, e.g. {failed}")
    if stats["answered"] != stats["requests"] or stats["misses"]:
        raise SystemExit(f"{engine} c{concurrency}: the server did not answer all: {stats}")
    done = [wall for wall, _ in reporter.done]
    return Row(engine, concurrency, latency, documents, stats["requests"], seconds, cpu,
               done[0] - started, done[-1] - done[concurrency - 1],
               stats["max_in_flight"])  # fmt: skip


def start_ray(cpus: int) -> bool:
    """A local Ray instance for the ray rows (the engine joins it); False if Ray is missing."""
    try:
        import ray
    except ImportError:
        print("ray is not installed: no ray rows", file=sys.stderr)
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    for attempt in (1, 2):  # Ray gives its raylet 30 s to start: too few on a busy machine
        try:
            ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
            return True
        except Exception as error:
            ray.shutdown()
            print(f"Ray did not start (attempt {attempt}): {error}", file=sys.stderr)
    print("no ray rows", file=sys.stderr)
    return False


def table(rows: Sequence[Row], local: dict[int, Row]) -> list[str]:
    header = ("engine", "conc", "docs", "req/doc", "in flight", "seconds", "first", "doc/s",
              "ideal", "ratio", "vs local", "steady doc/s", "steady vs local")  # fmt: skip
    widths = (6, 4, 5, 7, 9, 7, 5, 6, 6, 5, 8, 12, 15)
    lines = [" ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True))]
    for r in rows:
        ideal = r.ideal
        base = local.get(r.concurrency) if r.engine != "local" else None
        cells = (
            r.engine, f"{r.concurrency}", f"{r.documents}", f"{r.requests_per_document:.2f}",
            f"{r.max_in_flight}", f"{r.seconds:.1f}", f"{r.first:.1f}", f"{r.rate:.2f}",
            f"{ideal:.2f}" if ideal else "-", f"{r.rate / ideal:.2f}" if ideal else "-",
            f"{r.rate / base.rate:.2f}" if base else "-", f"{r.steady_rate:.2f}",
            f"{r.steady_rate / base.steady_rate:.2f}" if base else "-",
        )  # fmt: skip
        lines.append(" ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="64 documents a row, 16 serial")
    parser.add_argument("--documents", type=int, default=None, help="default 128 (quick 64)")
    parser.add_argument("--serial-documents", type=int, default=None,
                        help="documents at concurrency 1 (default 24, quick 16)")  # fmt: skip
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated")
    parser.add_argument("--ray-concurrency", default=None,
                        help="comma-separated (default 8,32; quick 8)")  # fmt: skip
    parser.add_argument("--ray-cpus", type=int, default=2)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--serve", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    documents = args.documents or (64 if args.quick else 128)
    serial = args.serial_documents or (16 if args.quick else 24)
    levels = [int(c) for c in args.concurrency.split(",")]
    ray_concurrency = args.ray_concurrency or ("8" if args.quick else "8,32")
    ray_levels = [] if args.no_ray else [int(c) for c in ray_concurrency.split(",")]
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # as `claimdiff run` does

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="claimdiff-bench-") as tmp:
        work = Path(tmp)
        print("warm-up (untimed): imports, the gazetteer, language models …", file=sys.stderr)
        measure(work, 4, 1, 0.0)
        for concurrency in levels:
            count = serial if concurrency == 1 else documents
            print(f"local, concurrency {concurrency}: {count} documents …", file=sys.stderr)
            rows.append(measure(work, count, concurrency, args.latency))
        print(f"overhead: zero latency, concurrency 1: {documents} documents …", file=sys.stderr)
        overhead = measure(work, documents, 1, 0.0)
        if ray_levels and start_ray(args.ray_cpus):
            import ray

            try:
                for concurrency in ray_levels:
                    print(f"ray, concurrency {concurrency}: {documents} documents …",
                          file=sys.stderr)  # fmt: skip
                    rows.append(measure(work, documents, concurrency, args.latency, "ray"))
            finally:
                ray.shutdown()  # here: the os._exit below skips Ray's own shutdown at exit

    per_document = {r.requests_per_document for r in [*rows, overhead]}
    local = {r.concurrency: r for r in rows if r.engine == "local"}
    print()
    print(f"latency {args.latency * 1000:.0f} ms a request; requests per document as counted at "
          f"the server: {', '.join(f'{p:.2f}' for p in sorted(per_document))}")  # fmt: skip
    for line in table(rows, local):
        print(line)
    if ray_levels and not any(r.engine == "ray" for r in rows):
        print("(no ray rows: see above)")
    ms = 1000 * overhead.seconds / overhead.documents
    cpu_ms = 1000 * overhead.cpu_seconds / overhead.documents
    print(
        f"overhead at zero latency, concurrency 1: {ms:.1f} ms/document wall "
        f"({ms / overhead.requests_per_document:.1f} ms/request), {cpu_ms:.1f} ms/document CPU "
        f"in this process ({overhead.documents} documents in {overhead.seconds:.1f} s)"
    )

    def summary(row: Row) -> dict[str, Any]:
        return asdict(row) | {
            "documents_per_second": round(row.rate, 3),
            "steady_documents_per_second": round(row.steady_rate, 3),
            "ideal_documents_per_second": row.ideal and round(row.ideal, 3),
            "requests_per_document": round(row.requests_per_document, 3),
        }

    results = {
        "latency_seconds": args.latency,
        "rows": [summary(r) for r in rows],
        "overhead": summary(overhead)
        | {"ms_per_document": round(ms, 2), "cpu_ms_per_document": round(cpu_ms, 2)},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
    # As in pipeline.cli.main: skip DuckDB's noisy interpreter teardown once all is written.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
