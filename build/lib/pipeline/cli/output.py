"""Where the command line prints, and the plain tables it prints there: `console` (stdout) for
results, `errors` (stderr) for messages; a query's rows and a run's summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from pipeline.run import RunSummary

console = Console()
errors = Console(stderr=True)


def print_summary(summary: RunSummary, db: Path) -> None:
    table = Table(title=f"run {summary.run_id} · {summary.model} · {summary.cassette_mode}")
    for name in (
        "document",
        "outlet",
        "lang",
        "status",
        "records",
        "facts",
        "requests",
        "rejected",
        "s",
    ):
        table.add_column(
            name,
            no_wrap=name == "document",
            justify="right"
            if name in {"records", "facts", "requests", "rejected", "s"}
            else "left",
        )
    style = {
        "ok": "green", "partial": "yellow", "skipped": "dim", "unchanged": "dim", "failed": "red",
    }  # fmt: skip
    for d in summary.documents:
        table.add_row(
            d.document_id, d.outlet or "", d.language or "", f"[{style[d.status]}]{d.status}[/]",
            str(d.records), str(d.facts), str(d.requests), str(d.rejected), f"{d.seconds:.1f}",
        )  # fmt: skip
    console.print(table)
    if summary.comparison is not None:
        comparison = summary.comparison
        conflicts = comparison.conflicts
        numbers = [d for d in comparison.divergences if d.kind == "number"]
        console.print(
            f"{len(comparison.incidents)} incidents, {len(numbers)} divergences, "
            f"[bold red]{len(conflicts)} conflicts[/]"
            + "".join(
                f"\n  [red]conflict[/] {d.incident} · {d.measure}: "
                + " vs ".join(
                    f"{r.phrase} ({r.outlet or r.document_id}"
                    f"{', ' + r.language if r.language else ''})"
                    for r in d.reports
                )
                for d in conflicts
            )
        )
    failed = len(summary.failed)
    console.print(
        f"{len(summary.documents) - failed} documents stored, {failed} failed → {db}"
        + (f'  (see: claimdiff sql "SELECT * FROM failures" --db {db})' if failed else "")
    )


def print_rows(columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    table = Table(*columns)
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    console.print(table)
