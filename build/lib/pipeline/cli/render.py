"""Rich tables for the command line's reports."""

from __future__ import annotations

from rich.table import Table

from pipeline.evaluate import Counts, Report


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def eval_table(report: Report) -> Table:
    table = Table(title=f"corpus {report.corpus} · grounding {_pct(report.grounding_rate)}",
                  title_justify="left")  # fmt: skip
    for name in ("scope", "gold", "extracted", "precision", "recall", "F1"):
        table.add_column(name, justify="left" if name == "scope" else "right")

    def row(label: str, c: Counts) -> None:
        table.add_row(label, str(c.tp + c.fn), str(c.tp + c.fp), _pct(c.precision),
                      _pct(c.recall), _pct(c.f1))  # fmt: skip

    row("numeric facts", report.numeric)
    row("talks & territory fields", report.fields)
    row("all facts", report.all_facts)
    for name, counts in sorted(report.by_language.items()):
        row(f"  language {name}", counts)
    for name, counts in sorted(report.by_record_type.items()):
        row(f"  {name}", counts)
    for name, counts in sorted(report.by_measure.items()):
        row(f"    {name}", counts)
    c = report.clustering
    table.add_row("incident clustering (pairs)", str(c.tp + c.fn), str(c.tp + c.fp),
                  _pct(c.precision), _pct(c.recall), _pct(c.f1))  # fmt: skip
    right = sum(v["right"] for v in report.verdicts)
    table.add_row("verdicts", str(len(report.verdicts)), f"{right} right",
                  _pct(report.verdict_accuracy), "", "")  # fmt: skip
    table.add_row("scope of matched figures", str(report.scope_checked),
                  f"{report.scope_right} right", "", "", "")  # fmt: skip
    return table
