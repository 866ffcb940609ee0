"""The `claimdiff` command line: a thin layer over `pipeline.api` (Typer + Rich)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import TypeAdapter, ValidationError
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from pipeline.api import query
from pipeline.cli.output import console, errors, print_rows, print_summary
from pipeline.cli.reporters import JsonReporter, RichReporter
from pipeline.compare import format_interval
from pipeline.config import Settings
from pipeline.model.local import LocalModelError
from pipeline.run import Terminated, run
from pipeline.run.ray_engine import RayUnavailable
from pipeline.run.session import CassetteMode, ConfigurationError
from pipeline.store import StoreError

app = typer.Typer(
    help="Turn news reports into comparable, structured facts in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file")]
DEFAULT_DB = Path("claimdiff.duckdb")
EX_TEMPFAIL = 75  # sysexits.h: try again later (the database is busy)
EX_SIGINT = 128 + 2  # the shell's code for a process ended by SIGINT
EX_SIGTERM = 128 + 15  # … by SIGTERM


@app.command("run")
def run_command(
    paths: Annotated[list[Path], typer.Argument(help="article files or folders of them")],
    db: DbOption = DEFAULT_DB,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            help="record model traffic into cassettes/ (requests already recorded for a "
            "document, under any prompt version, are answered from the recording)",
        ),
    ] = False,
    replay: Annotated[
        bool, typer.Option("--replay", help="answer from cassettes only; never use the network")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="re-extract documents that are already up to date")
    ] = False,
    log_format: Annotated[
        str, typer.Option("--log-format", help="text (progress bars) or json (JSON lines)")
    ] = "text",
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, help="model requests in flight at once (configured endpoints, live)"),
    ] = None,
    engine: Annotated[
        str | None, typer.Option(help="local (threads) or ray (a Ray cluster; see --address)")
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join, e.g. ray://head:10001 (default: start a local one)"
        ),
    ] = None,
    layout: Annotated[
        str | None,
        typer.Option(help="per_type (one request per chunk and record type) or per_chunk"),
    ] = None,
    cassettes: Annotated[
        Path | None,
        typer.Option(
            "--cassettes",
            help="folder of recorded model traffic for --record/--replay (default: ./cassettes, "
            "or CLAIMDIFF_CASSETTES_DIR)",
        ),
    ] = None,
) -> None:
    """Extract facts from articles into the database.

    Documents already extracted with the same text, model and prompts are skipped (--force
    re-extracts them). Analysts can query the database while a run writes it: the run holds
    the file only while it commits a batch of whole documents.

    Exit codes: 0 every document succeeded; 1 some failed (the others are stored); 2 usage or
    configuration error; 65 the database is another program's, of an older claimdiff schema,
    or not a database; 73 the database cannot be created or written (disk full, read-only);
    75 the database is busy (another run, or a reader past CLAIMDIFF_LOCK_TIMEOUT seconds);
    130 interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM). After 65, 73, 75, 130 and 143,
    every document committed before is kept and the next run goes on from there.
    """
    if record and replay:
        raise typer.BadParameter("choose one of --record and --replay")
    if log_format not in ("text", "json"):
        raise typer.BadParameter("--log-format must be text or json")
    # instructor logs every failed attempt; failures are reported once, in the summary.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    mode: CassetteMode = "record" if record else "replay" if replay else "live"
    settings = _settings()
    if engine not in (None, "local", "ray"):
        raise typer.BadParameter("--engine must be local or ray")
    if layout not in (None, "per_type", "per_chunk"):
        raise typer.BadParameter("--layout must be per_type or per_chunk")
    updates: dict[str, object] = {"concurrency": concurrency, "engine": engine, "layout": layout,
                                  "ray_address": address, "cassettes_dir": cassettes}  # fmt: skip
    settings = settings.model_copy(update={k: v for k, v in updates.items() if v is not None})
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
    )  # fmt: skip
    try:
        if log_format == "json":
            summary = run(paths, db, settings, mode, JsonReporter(), force=force)
        else:
            with Progress(*columns, console=errors, transient=True) as progress:
                summary = run(paths, db, settings, mode, RichReporter(progress), force=force)
    except StoreError as error:  # one line, never wrapped: schedulers grep logs
        errors.print(f"[red]error:[/] {escape(str(error))}", soft_wrap=True, highlight=False)
        raise typer.Exit(error.exit_code) from None
    except ConfigurationError as error:
        errors.print(f"[red]configuration error:[/] {error}")
        raise typer.Exit(2) from None
    except (LocalModelError, ValueError, RayUnavailable) as error:
        errors.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        errors.print("[yellow]interrupted[/] (SIGINT): documents committed so far are kept; "
                     "run again to go on", soft_wrap=True)  # fmt: skip
        raise typer.Exit(EX_SIGINT) from None
    except Terminated:
        errors.print("[yellow]terminated[/] (SIGTERM): documents committed so far are kept; "
                     "run again to go on", soft_wrap=True)  # fmt: skip
        raise typer.Exit(EX_SIGTERM) from None
    if log_format == "json":
        JsonReporter().emit(
            "run_done",
            run_id=summary.run_id,
            documents=len(summary.documents),
            failed=len(summary.failed),
            http_retries=summary.http_retries,
        )
    else:
        print_summary(summary, db)
    raise typer.Exit(1 if summary.failed else 0)


@app.command("sql")
def sql_command(
    statement: Annotated[str, typer.Argument(help="one SQL statement")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON lines")] = False,
) -> None:
    """Query the database (opened read-only) and print the result as a table."""
    try:
        columns, rows = query(db, statement)
    except StoreError as error:
        errors.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    if as_json:
        for row in rows:
            typer.echo(json.dumps(dict(zip(columns, row, strict=True)), default=str))
        return
    print_rows(columns, rows)
    errors.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


@app.command("diverge")
def diverge_command(
    db: DbOption = DEFAULT_DB,
    verdict: Annotated[
        str | None, typer.Option(help="only this verdict: agree, compatible or conflict")
    ] = None,
    measure: Annotated[str | None, typer.Option(help="only this measure, e.g. injured")] = None,
    kind: Annotated[str | None, typer.Option(help="number or name")] = None,
) -> None:
    """Show where outlets' reports of the same incident differ, outlets side by side."""
    if verdict and verdict not in ("agree", "compatible", "conflict"):
        raise typer.BadParameter("verdict must be agree, compatible or conflict")
    where, params = [], []
    for column, value in (("verdict", verdict), ("measure", measure), ("kind", kind)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    sql = "SELECT kind, incident, measure, verdict, reports FROM divergences"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY verdict = 'conflict' DESC, kind, incident, measure"
    try:
        _, rows = query(db, sql, params)
    except StoreError as error:
        errors.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    colour = {"agree": "green", "compatible": "yellow", "conflict": "bold red"}
    for kind_, incident, measure_, verdict_, reports in rows:
        table = Table(
            title=f"{incident} · {measure_} · [{colour[verdict_]}]{verdict_}[/]",
            title_justify="left", expand=True,
        )  # fmt: skip
        table.add_column("outlet / document", no_wrap=True)
        table.add_column("says", no_wrap=True)
        table.add_column("interval" if kind_ == "number" else "times", no_wrap=True)
        table.add_column("quote", ratio=1)
        for r in reports:
            span = (
                format_interval(r["value_min"], r["value_max"]) if kind_ == "number"
                else str(r["statements"])
            )  # fmt: skip
            source = r["outlet"] or r["document_id"]
            if r.get("language"):
                source += f" [{r['language']}]"
            table.add_row(source, r["phrase"], span, r["quote"] or "")
        console.print(table)
    errors.print(f"{len(rows)} divergence{'s' if len(rows) != 1 else ''}")


@app.command("report")
def report_command(
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write")] = Path("report.html"),
) -> None:
    """Write one self-contained HTML page: incidents, each outlet's figures, conflicts."""
    from pipeline.report import write_report

    try:
        write_report(db, out)
    except StoreError as error:
        errors.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    console.print(f"report written to {out}")


@app.command("runs")
def runs_command(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="most recent runs to show")] = 20,
) -> None:
    """What each run did: documents, requests, rejections, retries, tokens, time."""
    try:
        columns, rows = query(
            db,
            """SELECT run_id, cassette_mode AS mode, documents_seen AS seen,
                      unchanged, off_topic, documents AS extracted, failed_documents AS failed,
                      requests, rejected, http_retries AS retries,
                      prompt_tokens + completion_tokens AS tokens,
                      round(wall_seconds, 1) AS seconds,
                      CASE WHEN finished_at IS NULL THEN 'interrupted' ELSE 'done' END AS state
               FROM runs ORDER BY started_at DESC LIMIT ?""",
            [limit],
        )
    except StoreError as error:
        errors.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    print_rows(columns, rows)


@app.command("eval")
def eval_command(
    db: DbOption = DEFAULT_DB,
    gold: Annotated[
        list[Path] | None,
        typer.Option("--gold", help="corpus folder (holding gold/ and incidents/); repeatable"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    save: Annotated[bool, typer.Option(help="record the scores in the eval_runs table")] = True,
) -> None:
    """Score the database against gold: facts (P/R/F1), incidents (pairwise clustering),
    verdicts and grounding, for each corpus separately."""
    from pipeline.cli.render import eval_table
    from pipeline.evaluate import GoldError, evaluate_db, save_eval_run

    folders = gold or _default_corpora()
    if not folders:
        raise typer.BadParameter("name a corpus folder with --gold (e.g. tests/corpora/dev)")
    reports = []
    try:
        for folder in folders:
            report = evaluate_db(db, folder)
            reports.append(report)
            if save:
                errors.print(
                    f"{report.corpus}: saved as eval_runs.eval_id = {save_eval_run(db, report)}"
                )
    except (GoldError, StoreError) as error:
        errors.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in reports], indent=2, default=str))
        return
    for report in reports:
        console.print(eval_table(report))


def _default_corpora() -> list[Path]:
    """The repository's corpora, when run from a checkout."""
    root = Path("tests/corpora")
    return sorted(p for p in root.iterdir() if (p / "gold").is_dir()) if root.is_dir() else []


@app.command("export")
def export_command(
    table: Annotated[str, typer.Argument(help="table to export, e.g. facts or divergences")],
    out: Annotated[Path, typer.Option("--out", help="file to write: .parquet, .csv or .json")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export a table for other tools (Parquet, CSV or JSON), reading the database read-only."""
    from pipeline.api import export

    try:
        rows = export(db, table, out)
    except StoreError as error:
        errors.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    console.print(f"{rows} rows of {table} written to {out}")


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the records and facts claimdiff stores."""
    from schemas import Fact, Record

    schema = {"record": TypeAdapter(Record).json_schema(), "fact": TypeAdapter(Fact).json_schema()}
    typer.echo(json.dumps(schema, indent=2))


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"CLAIMDIFF_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
        )
        errors.print(f"[red]configuration error:[/] {problems}")
        raise typer.Exit(2) from None


EX_SOFTWARE = 70  # sysexits.h: an internal error


def main() -> None:
    try:
        app()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:
        errors.print("[yellow]interrupted[/]")
        code = 130
    except Exception as error:  # a bug of ours: one line, and where to look, not a traceback
        errors.print(f"[red]internal error:[/] {type(error).__name__}: {error}")
        errors.print("  run with CLAIMDIFF_DEBUG=1 for the traceback, and please report it")
        if os.environ.get("CLAIMDIFF_DEBUG"):
            import traceback

            traceback.print_exc()
        code = EX_SOFTWARE
    else:
        code = 0
    # DuckDB 2's nanobind bindings print a wall of benign "leaked instance" warnings during
    # interpreter teardown once instructor has run in the same process. Everything is closed
    # and flushed by now, so skip the teardown.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
