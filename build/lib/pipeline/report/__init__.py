"""The report: one self-contained HTML page of the incidents and where outlets' figures differ.

`write_report` reads the database read-only and writes the page; `render` is pure (data →
HTML), so it is tested without a database. The page inlines its stylesheet and its SVG charts
and map and has no script: it fetches nothing, opens offline, prints as it shows, and can be
mailed as one file. Every text from the database (quotes come from articles, in any language)
goes through Jinja2's autoescaping; the markup lives in templates/, not in Python strings.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import jinja2
from markupsafe import Markup

from pipeline.compare.verdicts import format_interval
from pipeline.report.charts import colour, interval_chart
from pipeline.report.data import IncidentRow, ReportData, load, verdict_rank
from pipeline.report.map import ATTRIBUTION, world_map
from pipeline.store import StoreError, connect_read_only
from schemas import event_types

__all__ = ["ReportData", "load", "render", "sort_incidents", "write_report"]

UNITS = {"count": "", "km": "km", "km2": "km²", "kg": "kg", "usd": "USD", "percent": "%"}
RTL = {"ar", "fa", "he", "iw", "ps", "ur", "yi", "ckb", "dv", "sd", "ug"}
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def write_report(db: Path, out: Path) -> None:
    """Render the database's report into `out`; StoreError when either cannot be used."""
    con = connect_read_only(db)  # StoreError: no such file, not ours, another schema version
    try:
        data = load(con, source=db.name)
    except duckdb.Error as error:
        raise StoreError(f"cannot read the report's tables from {db}: {error}") from error
    finally:
        con.close()
    html = render(data)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as error:  # the CLI shows a StoreError as a one-line message
        raise StoreError(f"cannot write the report to {out}: {error.strerror or error}") from error


def sort_incidents(incidents: tuple[IncidentRow, ...]) -> tuple[IncidentRow, ...]:
    """Conflicts first (most conflicts first), then compatible, agreeing, and incidents with no
    figure reported twice; ties by how widely reported, then label."""

    def key(i: IncidentRow) -> tuple[int, int, int, int, str]:
        return (verdict_rank(i.worst), -i.conflicts, -len(i.divergences), -i.n_documents, i.label)

    return tuple(sorted(incidents, key=key))


def render(data: ReportData) -> str:
    """The whole page; pure: the same data gives the same page."""
    ordered = replace(data, incidents=sort_incidents(data.incidents))
    numbers = {i.incident_id: n for n, i in enumerate(ordered.incidents, start=1)}
    return _template().render(
        data=ordered,
        numbers=numbers,
        world_map=world_map(ordered.incidents, numbers),
        unplaced=[i for i in ordered.incidents if not i.located],
        css=_css(),
        attribution=ATTRIBUTION,
    )


def unit_label(unit: str) -> str:
    return UNITS.get(unit, unit)


def interval(lo: float | None, hi: float | None, unit: str = "count") -> str:
    """The CLI's reading of an interval with its unit: [427.5, 472.5] km → "427.5–472.5 km"."""
    text = format_interval(lo, hi)
    suffix = unit_label(unit)
    return f"{text} {suffix}" if text and suffix else text


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def words(name: str | None) -> str:
    """A vocabulary name as words: "drones_launched" → "Drones launched"."""
    text = (name or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def event_label(event_type: str | None, record_type: str) -> str:
    """ACLED's label for a sub-event type ("Air/drone strike"), else the record type as words."""
    known = event_types().get(event_type or "")
    return known[1] if known else words(event_type or record_type)


def lang_tag(language: str | None) -> str:
    """A `lang` attribute value: the stored ISO 639-1 code, or "und" when unknown or odd."""
    return language if language and _LANG.fullmatch(language) else "und"


def text_dir(language: str | None) -> str:
    """Right-to-left scripts get dir="rtl"; others "auto" (the first strong letter decides)."""
    return "rtl" if (language or "").split("-")[0].lower() in RTL else "auto"


def split_quote(quote: str | None, phrase: str) -> tuple[str, str, str]:
    """The quote around the first occurrence of the phrase, to highlight it."""
    quote = quote or ""
    at = quote.casefold().find(phrase.casefold()) if phrase else -1
    if at < 0 or len(quote.casefold()) != len(quote):  # casefold changed offsets: no highlight
        return quote, "", ""
    return quote[:at], quote[at : at + len(phrase)], quote[at + len(phrase) :]


@cache
def _css() -> Markup:
    """The stylesheet, our own file and not data: inlined as it is."""
    text = (resources.files("pipeline.report") / "templates" / "report.css").read_text("utf-8")
    return Markup(text)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.report", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        chart=interval_chart,
        colour=colour,
        event_label=event_label,
        interval=interval,
        lang_tag=lang_tag,
        plural=plural,
        split_quote=split_quote,
        text_dir=text_dir,
        unit_label=unit_label,
        words=words,
    )
    return env.get_template("report.html.j2")
