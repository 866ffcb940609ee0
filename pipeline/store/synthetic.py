"""Synthetic outcomes for the store's benchmark and tests, built with the real data classes.

A document is ten sentences; each states one record (five casualty records with a killed and
an injured figure, five attack records with launched and downed figures): 10 records and 20
facts per document, grounded in the document's text like the pipeline's own.

    python -m pipeline.store.synthetic --db F --documents 2000 [--start 0] [--batch 50]
        [--pause 0.05] [--rate 0] [--version 0]

writes documents through `Store` (one transaction per batch of whole documents), printing
one line per commit: a writer process for the reader tests and the reader-wait benchmark.
`--rate` adds documents at that pace through `Store.add`, which commits when due, as a run
does.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from schemas import (
    DatePrecision,
    Document,
    EventDate,
    Evidence,
    Fact,
    Interpretation,
    Outcome,
    Place,
    PlacePrecision,
    Qualifier,
    Quantity,
    Record,
    ResolvedPlace,
    Scope,
    Unit,
)

RECORDS_PER_DOCUMENT = 10
FACTS_PER_DOCUMENT = 20
CITIES = (
    "El Fasher",
    "Nyala",
    "Omdurman",
    "Kadugli",
    "El Obeid",
    "Kassala",
    "Wad Madani",
    "Sennar",
)
_PLACES = {
    city: Place(f"gn:{700000 + i}", city, "SD", f"SD.{i:02d}", f"{city} State",
                48.0 + i / 10, 35.0 + i / 10, PlacePrecision.SETTLEMENT)
    for i, city in enumerate(CITIES)
}  # fmt: skip
_BASE_DAY = date(2024, 6, 1)


def _casualty(city: str, killed: int, injured: int) -> str:
    return (f"In {city}, {killed} people were killed and {injured} injured by the strike "
            "overnight, regional officials said on Monday.")  # fmt: skip


def _attack(city: str, launched: int, downed: int) -> str:
    return (f"The RSF launched {launched} drones at {city} and air defences shot down {downed} "
            "of them before dawn, the air force said.")  # fmt: skip


def outcome(n: int, run_id: str = "synthetic", version: int = 0, prefix: str = "doc") -> Outcome:
    """Document number `n` (id `{prefix}-{n:07d}`); another `version` changes its figures
    (a re-extracted article with new text), not its record or fact ids."""
    document_id = f"{prefix}-{n:07d}"
    day = _BASE_DAY + timedelta(days=n % 90)
    sentences: list[tuple[str, str, int, int]] = []  # (text, kind, first, second)
    for i in range(RECORDS_PER_DOCUMENT):
        city = CITIES[(n + i) % len(CITIES)]
        first, second = (n + i + version) % 50 + 2, (n * 7 + i + version) % 40 + 1
        if i % 2 == 0:
            sentences.append((_casualty(city, first, second), "casualty", first, second))
        else:
            sentences.append((_attack(city, first + 10, second), "attack", first + 10, second))
    text = " ".join(s[0] for s in sentences)
    document = Document(
        document_id=document_id, source_path=f"synthetic/{document_id}.txt", text=text,
        outlet=("Wire", "Daily", "Herald", "Post")[n % 4], title=f"Report {n}",
        url=f"https://example.org/{document_id}", published=day, dateline=None,
    )  # fmt: skip
    records: list[Record] = []
    facts: list[Fact] = []
    start = 0
    for i, (sentence, kind, first, second) in enumerate(sentences):
        end = start + len(sentence)
        city = CITIES[(n + i) % len(CITIES)]
        record_id = f"{document_id}:{i + 1}"
        evidence = Evidence(sentence, start, end, "officials" if kind == "casualty" else None)
        fields = ("killed", "injured") if kind == "casualty" else ("launched", "downed")
        measures = (
            ("killed", "injured") if kind == "casualty" else ("drones_launched", "drones_downed")
        )
        values: dict[str, object] = {"location": ResolvedPlace(city, _PLACES[city], (), "only")}
        for field, measure, value in zip(fields, measures, (first, second), strict=True):
            phrase = str(value)
            quantity = Quantity(float(value), float(value), Qualifier.EXACT, Unit.COUNT, phrase)
            values[field] = quantity
            at = sentence.index(f" {phrase} ") + 1
            facts.append(Fact(
                fact_id=f"{record_id}:{field}", document_id=document_id, record_id=record_id,
                record_type=kind, field=field, measure=measure, quantity=quantity,
                scope=Scope.INCIDENT, reason=f"'{field}' next to the number", evidence=evidence,
                phrase_start=start + at, phrase_end=start + at + len(phrase),
            ))  # fmt: skip
        if kind == "attack":
            values.update(hit=None, distance=None)
        else:
            values.update(missing=None)
        records.append(Record(
            record_id=record_id, document_id=document_id, record_type=kind, evidence=evidence,
            values=values, location=values["location"],  # type: ignore[arg-type]
            date=EventDate(day, DatePrecision.DAY, "overnight", "quote"),
            event_type="air_drone_strike", event_type_source="cue 'drones'",
            actors=("the RSF",) if kind == "attack" else (),
        ))  # fmt: skip
        start = end + 1
    interpretation = Interpretation(document_id, tuple(records), tuple(facts))
    return Outcome(document, "ok", True, 0.9, interpretation, (), run_id, "synthetic-model", "p1")


_OUTLETS = ("Lake Wire", "Radio Grands Lacs", "The Daily Post", "Herald")
_TOWNS = ("Goma", "Bunia", "Beni", "Butembo", "Uvira", "Bukavu", "Rutshuru", "Kalemie")


def write_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    """`count` short war reports as text files the pipeline extracts (metadata header, a
    paragraph with casualty and attack figures in real towns), distinct by number."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        town, other = _TOWNS[n % len(_TOWNS)], _TOWNS[(n + 3) % len(_TOWNS)]
        day = _BASE_DAY + timedelta(days=n % 60)
        text = (
            f"Outlet: {_OUTLETS[n % len(_OUTLETS)]}\nPublished: {day.isoformat()}\n\n"
            f"Shells struck a crowded market in {town} on Saturday, killing {n % 37 + 3} people "
            f"and wounding {n % 53 + 10}, the provincial health office said in report {n}. "
            f"Militants attacked an army post near {other} overnight, killing {n % 11 + 2} "
            f"soldiers, and the army said it had launched {n % 5 + 2} drones at the attackers.\n"
        )
        path = folder / f"report_{n:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Write documents through `Store`, printing `committed N SECONDS` after each commit."""
    from pipeline.store import Store

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--batch", type=int, default=50, help="documents per commit")
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between commits")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="documents per second through Store.add, committed when due as a "
                        "run commits them (instead of --batch and --pause)")  # fmt: skip
    parser.add_argument("--version", type=int, default=0)
    args = parser.parse_args(argv)
    store = Store(args.db, on_wait=lambda message: print(f"wait: {message}", flush=True)).open()
    run_id = f"synthetic-{args.start}-{args.version}"
    store.start_run(run_id)
    end = args.start + args.documents
    if args.rate:
        began = time.monotonic()
        for i, n in enumerate(range(args.start, end)):
            before = store.written
            started = time.monotonic()
            store.add(outcome(n, run_id, args.version))
            if store.written != before:
                print(f"committed {store.written} {time.monotonic() - started:.4f}", flush=True)
            time.sleep(max(0.0, began + (i + 1) / args.rate - time.monotonic()))
    else:
        for first in range(args.start, end, args.batch):
            for n in range(first, min(first + args.batch, end)):
                store.pending.append(outcome(n, run_id, args.version))
            started = time.monotonic()
            store.flush(force=True)
            print(f"committed {store.written} {time.monotonic() - started:.4f}", flush=True)
            time.sleep(args.pause)
    store.finish_run(run_id, documents=args.documents)
    print(f"committed {store.written} 0", flush=True)
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
