"""Extraction throughput against a local OpenAI-compatible server with a fixed latency.

    .venv/bin/python bench/bench_extract.py [--documents 500] [--serial-documents 100]

What it measures, each with a fresh database:

- throughput: `pipeline.run.run` (what `claimdiff run` calls, without its progress bars) on
  generated one-paragraph war reports, against `tests/faultserver.py` in a separate process,
  answering every request after `--latency` seconds (default 0.2) with a valid empty answer
  (`{"records": []}`), into a database that already holds one replayed seed article. Each
  document needs 2 requests (attacks, casualties), so the ideal rate is
  concurrency / (2 × latency) documents per second. Concurrency 1 runs `--serial-documents`
  documents (default 100: 500 would take over 3 minutes of mostly waiting); its rate does not
  depend on the count, and the table says how many documents each row ran.
- overhead: the same at zero latency and concurrency 1; wall time per document is the
  pipeline's own cost (relevance, routing, instructor, validation, HTTP, DuckDB), plus the local
  server's share of the CPU.
- insert rate: `pipeline.store.Store.save_document` alone, with 10 grounded casualty records
  (20 facts) per document.

Prints a table and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import duckdb
from pydantic import SecretStr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.chunks import Chunk  # noqa: E402
from pipeline.config import Settings  # noqa: E402
from pipeline.drafts import CasualtyDrafts  # noqa: E402
from pipeline.extract import plan, to_record  # noqa: E402
from pipeline.run import DocumentResult, run  # noqa: E402
from pipeline.sources import Document, load  # noqa: E402
from pipeline.store import DocumentMeta, Store  # noqa: E402
from schemas import SCHEMA_VERSION  # noqa: E402

REQUESTS_PER_DOCUMENT = 2
WIDTHS = (11, 9, 8, 7, 7, 6)
CITIES = ("Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Sumy", "Kherson", "Mykolaiv", "Lviv")


class Silent:
    """A run reporter that reports nothing."""

    def status(self, message: str) -> None: ...
    def planned(self, documents: int) -> None: ...
    def assembling(self, done: int, total: int) -> None: ...
    def document_started(self, document: Document, requests: int) -> None: ...
    def request_done(self, document_id: str) -> None: ...
    def document_done(self, result: DocumentResult) -> None: ...


def write_reports(folder: Path, count: int) -> Path:
    """`count` short, distinct war reports, one paragraph each."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        city = CITIES[n % len(CITIES)]
        (folder / f"report_{n:04d}.txt").write_text(
            f"{city.upper()} — Russian drones struck {city} overnight, killing {n % 9 + 2} "
            f"people and injuring {n % 40 + 10}, regional officials said in report {n}.\n",
            encoding="utf-8",
        )
    return folder


class Server:
    """tests/faultserver.py in its own process, so it does not share our interpreter lock."""

    def __init__(self, latency: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "faultserver.py"), "--empty-records",
             "--latency", str(latency), "--model", "bench-model"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()

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


@dataclass
class Throughput:
    concurrency: int
    latency: float
    documents: int
    requests: int
    seconds: float

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds

    @property
    def ideal(self) -> float | None:
        if not self.latency:
            return None
        return self.concurrency / (REQUESTS_PER_DOCUMENT * self.latency)


def seeded_database(work: Path) -> Path:
    """A database holding one replayed seed article (untimed).

    Works around a pipeline bug: a run into a database that holds no incident crashes in
    crosscheck (DuckDB refuses `executemany` with no rows), and the generated reports resolve
    to no incident.
    """
    db = work / "seed.duckdb"
    if not db.exists():
        settings = Settings(_env_file=None, cassettes_dir=ROOT / "cassettes")  # type: ignore[call-arg]
        run([ROOT / "seeds" / "004_4dfc51fa16fd28fe.txt"], db, settings, "replay", Silent())
    return db


def throughput(work: Path, documents: int, concurrency: int, latency: float) -> Throughput:
    folder = write_reports(work / f"reports_{documents}", documents)
    db = work / f"c{concurrency}_l{latency}.duckdb"
    shutil.copy(seeded_database(work), db)
    with Server(latency) as server:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            base_url=server.base_url, model="bench-model", api_key=SecretStr("sk-bench"),
            mode="json_schema", timeout=60, http_retries=1, validation_retries=0,
            concurrency=concurrency,
        )  # fmt: skip
        started = time.perf_counter()
        summary = run([folder], db, settings, "live", Silent())
        seconds = time.perf_counter() - started
        stats = server.stats()
    statuses = {d.status for d in summary.documents}
    assert statuses == {"ok"} and len(summary.documents) == documents, statuses
    expected = documents * REQUESTS_PER_DOCUMENT
    assert stats["requests"] == stats["answered"] == expected, (stats, expected)
    return Throughput(concurrency, latency, documents, stats["requests"], seconds)


def insert_rate(work: Path, documents: int = 200, records: int = 10) -> dict[str, float]:
    """Facts per second through Store.save_document, timing only the saves."""
    sentences = [
        f"In {CITIES[i % len(CITIES)]}, {i + 2} people were killed and {i + 20} injured."
        for i in range(records)
    ]
    text = " ".join(sentences) + "\n"
    chunk = Chunk(0, 0, len(text) - 1, text[:-1])
    drafts = CasualtyDrafts.model_validate(
        {"records": [{"quote": s, "killed": str(i + 2), "injured": str(i + 20)}
                     for i, s in enumerate(sentences)]},
        context={"chunk": chunk.text},
    ).records  # fmt: skip
    path = work / "insert" / "article.txt"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    [template] = load(path, 1_000_000)
    built = [to_record(d, chunk, text)[0] for d in drafts]
    meta = DocumentMeta("bench", "bench-model", "p", SCHEMA_VERSION, True, 9.9, "ok")
    facts = 0
    times = []
    with Store(work / "insert.duckdb") as store:
        for n in range(documents):
            document = Document(
                f"doc{n:04d}", template.source_path, 1, None, None, None, None, text
            )
            started = time.perf_counter()
            facts += store.save_document(document, meta, built)
            times.append(time.perf_counter() - started)
    seconds = sum(times)
    quarter = max(documents // 4, 1)
    return {
        "documents": documents,
        "records_per_document": records,
        "facts": facts,
        "seconds": round(seconds, 3),
        "facts_per_second": round(facts / seconds, 1),
        "documents_per_second": round(documents / seconds, 1),
        "ms_per_document_first_quarter": round(1000 * sum(times[:quarter]) / quarter, 2),
        "ms_per_document_last_quarter": round(1000 * sum(times[-quarter:]) / quarter, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--serial-documents", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # as `claimdiff run` does

    rows: list[Throughput] = []
    with tempfile.TemporaryDirectory(prefix="claimdiff-bench-") as tmp:
        work = Path(tmp)
        for path in sorted(write_reports(work / "sample", 3).iterdir()):
            [document] = load(path, 1_000_000)
            assert len(plan(document)) == REQUESTS_PER_DOCUMENT, plan(document)
        for concurrency in (1, 8, 32):
            documents = args.serial_documents if concurrency == 1 else args.documents
            print(f"concurrency {concurrency}: {documents} documents …", file=sys.stderr)
            rows.append(throughput(work, documents, concurrency, args.latency))
        print("overhead: zero latency, concurrency 1 …", file=sys.stderr)
        overhead = throughput(work, args.documents, 1, 0.0)
        print("insert rate …", file=sys.stderr)
        inserts = insert_rate(work)

    print()
    print(f"latency {args.latency * 1000:.0f} ms a request, {REQUESTS_PER_DOCUMENT} a document")
    header = ("concurrency", "documents", "seconds", "doc/s", "ideal", "ratio")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, WIDTHS, strict=True)))
    for r in rows:
        ideal = r.ideal or 0.0
        cells = (
            f"{r.concurrency}",
            f"{r.documents}",
            f"{r.seconds:.1f}",
            f"{r.docs_per_second:.2f}",
            f"{ideal:.2f}",
            f"{r.docs_per_second / ideal:.2f}",
        )
        print(" ".join(f"{c:>{w}}" for c, w in zip(cells, WIDTHS, strict=True)))  # fmt: skip
    serial = rows[0]
    print(
        f"(concurrency 1 ran {serial.documents} documents; at that rate "
        f"{args.documents} would take {args.documents / serial.docs_per_second:.0f} s)"
    )
    per_document = overhead.seconds / overhead.documents * 1000
    print(
        f"overhead: {per_document:.1f} ms/document at zero latency, concurrency 1 "
        f"({overhead.documents} documents in {overhead.seconds:.1f} s, "
        f"{per_document / REQUESTS_PER_DOCUMENT:.1f} ms/request)"
    )
    print(
        f"DuckDB: {inserts['facts_per_second']:,.0f} facts/s through Store.save_document "
        f"({inserts['documents_per_second']:,.0f} documents/s of "
        f"{inserts['records_per_document']} records, {inserts['facts']} facts; "
        f"{inserts['ms_per_document_first_quarter']} ms/document in the first quarter, "
        f"{inserts['ms_per_document_last_quarter']} in the last)"
    )

    results = {
        "latency_seconds": args.latency,
        "requests_per_document": REQUESTS_PER_DOCUMENT,
        "throughput": [
            {
                "concurrency": r.concurrency,
                "documents": r.documents,
                "requests": r.requests,
                "seconds": round(r.seconds, 3),
                "documents_per_second": round(r.docs_per_second, 3),
                "ideal_documents_per_second": round(r.ideal or 0.0, 3),
                "ratio_to_ideal": round(r.docs_per_second / (r.ideal or 1.0), 3),
            }
            for r in rows
        ],
        "overhead": {
            "documents": overhead.documents,
            "seconds": round(overhead.seconds, 3),
            "ms_per_document": round(per_document, 2),
        },
        "duckdb_insert": inserts,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
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
