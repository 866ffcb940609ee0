"""The report: one self-contained HTML page, each incident's figures outlet by outlet.

`load_report_data` reads the database (read-only, through `store.query`); `render_report` is pure
and turns that data into HTML with inline CSS and inline SVG charts: the page fetches nothing, so
it opens offline and prints as it shows. Every text from the database (quotes come from articles)
is escaped by Jinja2's autoescaping.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2

from pipeline import compare
from pipeline.store import StoreError, query

VERDICT_ORDER = {"conflict": 0, "compatible": 1, "agree": 2}
UNITS = {"count": "", "km": "km", "km2": "km²"}
MEASURE_LABELS = {"distance_km": "distance", "area_km2": "area"}


# --- the data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One document's figure in a divergence: a row of `divergences.reports`."""

    document_id: str
    outlet: str | None
    value_min: float | None
    value_max: float | None
    phrase: str
    quote: str | None = None
    statements: int = 1

    @property
    def source(self) -> str:
        return self.outlet or self.document_id


@dataclass(frozen=True)
class Divergence:
    """One measure of one incident reported by two or more documents."""

    measure: str
    verdict: str  # agree | compatible | conflict
    claims: tuple[Claim, ...]
    unit: str = "count"


@dataclass(frozen=True)
class Fact:
    """A fact no other document reports for the same incident and measure."""

    document_id: str
    outlet: str | None
    measure: str
    value_min: float
    value_max: float | None
    qualifier: str
    unit: str
    phrase: str
    quote: str

    @property
    def source(self) -> str:
        return self.outlet or self.document_id


@dataclass(frozen=True)
class Incident:
    incident_id: str
    label: str
    kind: str
    place: str | None
    n_documents: int
    n_records: int
    divergences: tuple[Divergence, ...] = ()
    single_facts: tuple[Fact, ...] = ()

    @property
    def conflicts(self) -> int:
        return sum(d.verdict == "conflict" for d in self.divergences)


@dataclass(frozen=True)
class Spelling:
    spelling: str
    document_id: str
    outlet: str | None
    occurrences: int

    @property
    def source(self) -> str:
        return self.outlet or self.document_id


@dataclass(frozen=True)
class NameVariants:
    canonical: str
    spellings: tuple[Spelling, ...]

    def by_spelling(self) -> list[tuple[str, list[Spelling]]]:
        grouped: dict[str, list[Spelling]] = {}
        for s in self.spellings:
            grouped.setdefault(s.spelling, []).append(s)
        return sorted(grouped.items(), key=lambda item: (item[0] != self.canonical, item[0]))


@dataclass(frozen=True)
class FailureRow:
    document_id: str
    outlet: str | None
    stage: str
    chunk_index: int | None
    record_type: str | None
    reason: str


@dataclass(frozen=True)
class DocumentRow:
    document_id: str
    outlet: str | None = None
    title: str | None = None
    status: str = "ok"
    relevant: bool = True
    facts: int = 0
    model: str | None = None
    prompt_version: str | None = None


@dataclass(frozen=True)
class ReportData:
    documents: tuple[DocumentRow, ...] = ()
    incidents: tuple[Incident, ...] = ()
    unassigned: tuple[Fact, ...] = ()  # facts not linked to any incident
    names: tuple[NameVariants, ...] = ()
    failures: tuple[FailureRow, ...] = ()
    source: str = ""  # the database file's name

    @property
    def outlets(self) -> list[str]:
        return sorted({d.outlet for d in self.documents if d.outlet})

    @property
    def models(self) -> list[str]:
        return sorted({d.model for d in self.documents if d.model})

    @property
    def prompt_versions(self) -> list[str]:
        return sorted({d.prompt_version for d in self.documents if d.prompt_version})

    @property
    def conflicts(self) -> int:
        return sum(i.conflicts for i in self.incidents)

    @property
    def facts(self) -> int:
        return sum(d.facts for d in self.documents)

    @property
    def off_topic(self) -> int:
        return sum(not d.relevant for d in self.documents)


# --- loading --------------------------------------------------------------------------------


def write_report(db: Path, out: Path) -> None:
    """Render the database's report into `out`; StoreError if either cannot be used."""
    html = render_report(load_report_data(db))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as error:  # the CLI reports StoreError as a one-line error
        raise StoreError(f"cannot write the report to {out}: {error}") from error


def load_report_data(db: Path) -> ReportData:
    """Everything the page shows, read from the database (opened read-only)."""
    rows = _rows(db, "SELECT * FROM incidents ORDER BY label, incident_id")
    divergences = _load_divergences(db)
    facts_by_incident, unassigned = _load_single_facts(db)
    known = {row["incident_id"] for row in rows}
    stray = [f for key, facts in facts_by_incident.items() if key not in known for f in facts]
    incidents = tuple(
        Incident(
            incident_id=row["incident_id"],
            label=row["label"],
            kind=row["kind"],
            place=row["place"],
            n_documents=row["n_documents"],
            n_records=row["n_records"],
            divergences=tuple(divergences.get(row["incident_id"], ())),
            single_facts=tuple(facts_by_incident.get(row["incident_id"], ())),
        )
        for row in rows
    )
    return ReportData(
        documents=_load_documents(db),
        incidents=incidents,
        unassigned=(*unassigned, *stray),
        names=_load_names(db),
        failures=_load_failures(db),
        source=db.name,
    )


def sort_incidents(incidents: Sequence[Incident]) -> list[Incident]:
    """Incidents with conflicts first, then the most widely reported."""
    return sorted(
        incidents, key=lambda i: (-i.conflicts, -len(i.divergences), -i.n_documents, i.label)
    )


def _rows(db: Path, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
    columns, rows = query(db, sql, params)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _load_documents(db: Path) -> tuple[DocumentRow, ...]:
    sql = """SELECT d.document_id, d.outlet, d.title, d.status, d.relevant,
                    count(f.fact_id) AS facts, d.model, d.prompt_version
             FROM documents d LEFT JOIN facts f USING (document_id)
             GROUP BY ALL ORDER BY d.document_id"""
    return tuple(DocumentRow(**row) for row in _rows(db, sql))


def _load_divergences(db: Path) -> dict[str, list[Divergence]]:
    sql = """SELECT v.incident_id, v.measure, v.verdict, v.reports,
                    (SELECT mode(f.unit) FROM facts f
                     WHERE f.incident_id = v.incident_id AND f.measure = v.measure) AS unit
             FROM divergences v WHERE v.kind = 'number'"""
    found: dict[str, list[Divergence]] = {}
    for row in _rows(db, sql):
        claims = tuple(Claim(**report) for report in row["reports"])
        divergence = Divergence(row["measure"], row["verdict"], claims, row["unit"] or "count")
        found.setdefault(row["incident_id"], []).append(divergence)
    for divergences in found.values():
        divergences.sort(key=lambda d: (VERDICT_ORDER.get(d.verdict, 3), d.measure))
    return found


def _load_single_facts(db: Path) -> tuple[dict[str, list[Fact]], list[Fact]]:
    """Facts no divergence shows, by incident; and those linked to no incident."""
    sql = """SELECT f.incident_id, f.document_id, d.outlet, f.measure, f.value_min, f.value_max,
                    f.qualifier, f.unit, f.phrase, f.quote
             FROM facts f LEFT JOIN documents d USING (document_id)
             WHERE NOT EXISTS (SELECT 1 FROM divergences v WHERE v.kind = 'number'
                               AND v.incident_id = f.incident_id AND v.measure = f.measure)
             ORDER BY f.measure, f.document_id, f.fact_id"""
    by_incident: dict[str, list[Fact]] = {}
    unassigned: list[Fact] = []
    for row in _rows(db, sql):
        incident_id = row.pop("incident_id")
        fact = Fact(**row)
        if incident_id is None:
            unassigned.append(fact)
        else:
            by_incident.setdefault(incident_id, []).append(fact)
    return by_incident, unassigned


def _load_names(db: Path) -> tuple[NameVariants, ...]:
    sql = """SELECT n.canonical, n.spelling, n.document_id, d.outlet, n.occurrences
             FROM names n LEFT JOIN documents d USING (document_id)
             ORDER BY n.canonical, n.spelling, n.document_id"""
    grouped: dict[str, list[Spelling]] = {}
    for row in _rows(db, sql):
        canonical = row.pop("canonical")
        grouped.setdefault(canonical, []).append(Spelling(**row))
    return tuple(NameVariants(name, tuple(spellings)) for name, spellings in grouped.items())


def _load_failures(db: Path) -> tuple[FailureRow, ...]:
    sql = """SELECT f.document_id, d.outlet, f.stage, f.chunk_index, f.record_type, f.reason
             FROM failures f LEFT JOIN documents d USING (document_id)
             ORDER BY f.document_id, f.chunk_index NULLS FIRST, f.stage"""
    return tuple(FailureRow(**row) for row in _rows(db, sql))


# --- formatting -----------------------------------------------------------------------------


def format_interval(lo: float | None, hi: float | None, unit: str = "count") -> str:
    """The CLI's reading of an interval, with its unit: [427.5, 472.5] km → "427.5–472.5 km"."""
    text = compare.format_interval(lo, hi)
    suffix = unit_label(unit)
    return f"{text} {suffix}" if text and suffix else text


def unit_label(unit: str) -> str:
    return UNITS.get(unit, unit)


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def measure_label(measure: str) -> str:
    label = MEASURE_LABELS.get(measure, measure.replace("_", " "))
    return label[:1].upper() + label[1:]


def split_quote(quote: str, phrase: str) -> tuple[str, str, str]:
    """The quote around the first occurrence of the phrase, to highlight it."""
    at = quote.casefold().find(phrase.casefold()) if phrase else -1
    if at < 0 or len(quote.casefold()) != len(quote):
        return quote, "", ""
    return quote[:at], quote[at : at + len(phrase)], quote[at + len(phrase) :]


# --- charts ---------------------------------------------------------------------------------

CHART_WIDTH = 960
PLOT_LEFT = 210  # outlet labels to the left of this
PLOT_RIGHT = 830  # interval text to the right of this
PLOT_PAD = 10
ROW_HEIGHT = 30
AXIS_HEIGHT = 30
LABEL_CHARS = 30


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    y: float
    shape: Literal["point", "range", "open"]
    x0: float
    x1: float
    text: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    height: float
    axis_y: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    plot_left: float = PLOT_LEFT
    plot_right: float = PLOT_RIGHT
    width: float = CHART_WIDTH


def nice_ticks(top: float, target: int = 5) -> list[float]:
    """Tick values 0, step, … covering `top`, the step a 1, 2, 2.5 or 5 times a power of ten."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def interval_chart(divergence: Divergence) -> Chart:
    """Horizontal bars on a shared axis, one row per document: a dot for a single value, a bar
    for a closed interval, a bar fading into an arrow at the right edge for an open-ended one."""
    claims = [c for c in divergence.claims if c.value_min is not None]
    ticks = nice_ticks(_chart_top(claims))
    span = (PLOT_RIGHT - PLOT_PAD) - (PLOT_LEFT + PLOT_PAD)

    def x(value: float) -> float:
        return round(PLOT_LEFT + PLOT_PAD + value / ticks[-1] * span, 1)

    bars = tuple(_bar(c, i, x, divergence.unit) for i, c in enumerate(claims))
    axis_y = 8 + len(bars) * ROW_HEIGHT
    labels = tuple(Tick(x(t), compare.format_number(t)) for t in ticks)
    return Chart(height=axis_y + AXIS_HEIGHT, axis_y=axis_y, bars=bars, ticks=labels)


def _chart_top(claims: Sequence[Claim]) -> float:
    values = [v for c in claims for v in (c.value_min, c.value_max) if v is not None]
    top = max(values, default=1.0)
    open_ended = any(c.value_max is None for c in claims)
    return top * 1.15 if open_ended else top


def _bar(claim: Claim, row: int, x: Callable[[float], float], unit: str) -> Bar:
    lo = claim.value_min if claim.value_min is not None else 0.0
    hi = claim.value_max
    shape: Literal["point", "range", "open"] = (
        "open" if hi is None else "point" if hi == lo else "range"
    )
    label = claim.source
    short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
    return Bar(
        label=short,
        full_label=label,
        y=8 + row * ROW_HEIGHT + ROW_HEIGHT / 2,
        shape=shape,
        x0=x(lo),
        x1=PLOT_RIGHT if hi is None else x(hi),
        text=format_interval(lo, hi, unit),
    )


# --- rendering ------------------------------------------------------------------------------


def render_report(data: ReportData) -> str:
    """The whole page as one HTML string; pure: the same data gives the same page."""
    ordered = replace(data, incidents=tuple(sort_incidents(data.incidents)))
    return _template().render(data=ordered)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        chart=interval_chart,
        interval=format_interval,
        measure_label=measure_label,
        split_quote=split_quote,
        unit_label=unit_label,
        plural=plural,
    )
    return env.from_string(TEMPLATE)


CSS = """
:root {
  --ink: #1f2328; --muted: #5b6470; --line: #d9dee4; --soft: #f5f7f9; --bar: #3a5a98;
  --conflict: #c0271a; --conflict-bg: #fdecea; --compatible: #8a5800; --compatible-bg: #fff3d1;
  --compatible-line: #e5b94e; --agree: #1a7f37; --agree-bg: #def7e3; --agree-line: #8fd19e;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
    "Liberation Sans", Arial, sans-serif;
}
main { max-width: 1160px; margin: 0 auto; padding: 36px 40px 64px; }
h1 { font-size: 28px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 22px; margin: 0 0 6px; }
h3 { font-size: 16px; margin: 0; }
h4 { font-size: 13px; margin: 18px 0 6px; color: var(--muted);
     text-transform: uppercase; letter-spacing: 0.05em; }
a { color: inherit; }
.muted { color: var(--muted); }
.meta { color: var(--muted); font-size: 13px; margin: 0; }
.meta code { font-size: 12px; }
code, .doc { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; }
.doc { font-size: 11.5px; color: var(--muted); overflow-wrap: anywhere; }
.stats { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin: 20px 0 8px; }
.stat { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px;
        background: var(--soft); }
.stat b { display: block; font-size: 26px; line-height: 1.2; }
.stat span { font-size: 12px; color: var(--muted);
             text-transform: uppercase; letter-spacing: 0.05em; }
.stat.alert { border-color: var(--conflict); background: var(--conflict-bg); }
.stat.alert b { color: var(--conflict); }
.badge {
  display: inline-block; padding: 1px 9px; border-radius: 999px; border: 1px solid;
  font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
  vertical-align: 2px; white-space: nowrap;
}
.badge.conflict { color: #fff; background: var(--conflict); border-color: var(--conflict); }
.badge.compatible { color: var(--compatible); background: var(--compatible-bg);
                    border-color: var(--compatible-line); }
.badge.agree { color: var(--agree); background: var(--agree-bg); border-color: var(--agree-line); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px;
         border-bottom: 1px solid var(--line); }
th { font-size: 11.5px; font-weight: 600; color: var(--muted); text-transform: uppercase;
     letter-spacing: 0.05em; border-bottom-width: 2px; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.says { font-weight: 600; }
col.source { width: 19%; } col.measure { width: 12%; } col.says { width: 14%; }
col.interval { width: 11%; }
.quote { font-family: Georgia, "DejaVu Serif", "Liberation Serif", serif;
         font-size: 14px; color: #333; }
mark { background: #ffeaa0; color: inherit; padding: 0 1px; border-radius: 2px; }
nav.toc { margin: 28px 0 0; }
nav.toc td { padding: 4px 10px; }
nav.toc a { text-decoration: none; border-bottom: 1px dotted var(--muted); }
section { margin-top: 44px; }
section.incident { border-top: 3px solid var(--line); padding-top: 14px; }
section.incident.has-conflict { border-top-color: var(--conflict); }
.divergence {
  border: 1px solid var(--line); border-left: 6px solid var(--line); border-radius: 8px;
  padding: 12px 18px 8px; margin: 16px 0; break-inside: avoid;
}
.divergence.conflict { border-left-color: var(--conflict); }
.divergence.compatible { border-left-color: var(--compatible-line); }
.divergence.agree { border-left-color: var(--agree-line); }
.divergence header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.divergence header .meta { margin-left: auto; }
svg.chart { display: block; width: 100%; height: auto; margin: 8px 0 4px; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
                 sans-serif; }
.single { font-size: 13.5px; }
.single td, .single th { padding: 4px 10px; }
.reason { font-size: 12.5px; overflow-wrap: anywhere; }
.empty { color: var(--muted); font-style: italic; }
@media (max-width: 900px) { .stats { grid-template-columns: repeat(3, 1fr); } }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section { margin-top: 24px; }
  tr, .stat, svg.chart { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { text-decoration: none; border: none; }
}
"""

_MACROS = """
{% macro source(document_id, outlet) -%}
{% if outlet %}<b>{{ outlet }}</b><br>{% endif %}<span class="doc">{{ document_id }}</span>
{%- endmacro %}

{% macro badge(verdict) %}<span class="badge {{ verdict }}">{{ verdict }}</span>{% endmacro %}

{% macro quoted(quote, phrase) -%}
{% set before, hit, after = split_quote(quote or "", phrase) -%}
<span class="quote">“{{ before }}{% if hit %}<mark>{{ hit }}</mark>{% endif %}{{ after }}”</span>
{%- endmacro %}

{% macro columns(measure=false) -%}
<colgroup><col class="source">{% if measure %}<col class="measure">{% endif %}
<col class="says"><col class="interval"><col></colgroup>
<thead><tr><th>Outlet / document</th>{% if measure %}<th>Measure</th>{% endif %}
<th>Says</th><th class="num">Interval</th><th>Quote</th></tr></thead>
{%- endmacro %}

{% macro facts_table(facts) %}
<table class="single">
{{ columns(measure=true) }}
<tbody>
{% for f in facts %}
<tr><td>{{ source(f.document_id, f.outlet) }}</td><td>{{ measure_label(f.measure) }}</td>
<td class="says">{{ f.phrase }}</td>
<td class="num">{{ interval(f.value_min, f.value_max, f.unit) }}</td>
<td>{{ quoted(f.quote, f.phrase) }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endmacro %}

{% macro chart_svg(c) %}
<svg class="chart" viewBox="0 0 {{ c.width }} {{ c.height }}" role="img"
     aria-label="interval reported by each document">
<g font-size="12" fill="#5b6470" text-anchor="middle">
{% for t in c.ticks %}
<line x1="{{ t.x }}" x2="{{ t.x }}" y1="4" y2="{{ c.axis_y }}" stroke="#e6e9ed"/>
<line x1="{{ t.x }}" x2="{{ t.x }}" y1="{{ c.axis_y }}" y2="{{ c.axis_y + 5 }}"
      stroke="#8a929b"/>
<text x="{{ t.x }}" y="{{ c.axis_y + 19 }}">{{ t.label }}</text>
{% endfor %}
</g>
<line x1="{{ c.plot_left }}" x2="{{ c.plot_right }}" y1="{{ c.axis_y }}" y2="{{ c.axis_y }}"
      stroke="#8a929b"/>
{% for b in c.bars %}
<text x="{{ c.plot_left - 12 }}" y="{{ b.y + 4.5 }}" text-anchor="end" font-size="13"
      fill="#1f2328"><title>{{ b.full_label }}</title>{{ b.label }}</text>
{% if b.shape == "point" %}
<circle cx="{{ b.x0 }}" cy="{{ b.y }}" r="6" fill="#3a5a98"/>
{% elif b.shape == "range" %}
<rect x="{{ b.x0 }}" y="{{ b.y - 6 }}" width="{{ [b.x1 - b.x0, 4] | max }}" height="12"
      rx="3" fill="#3a5a98"/>
{% else %}
<rect class="open" x="{{ b.x0 }}" y="{{ b.y - 6 }}" width="{{ [b.x1 - b.x0 - 10, 2] | max }}"
      height="12" fill="url(#open-fade)"/>
<line x1="{{ b.x0 }}" x2="{{ b.x0 }}" y1="{{ b.y - 9 }}" y2="{{ b.y + 9 }}" stroke="#3a5a98"
      stroke-width="3"/>
<path d="M{{ b.x1 - 11 }} {{ b.y - 8 }} L{{ b.x1 }} {{ b.y }} L{{ b.x1 - 11 }} {{ b.y + 8 }} Z"
      fill="#9fb0d1"/>
{% endif %}
<text x="{{ c.plot_right + 14 }}" y="{{ b.y + 4.5 }}" font-size="13" font-weight="600"
      fill="#1f2328">{{ b.text }}</text>
{% endfor %}
</svg>
{% endmacro %}
"""

_HEADER = """
<header class="summary">
<h1>claimdiff report</h1>
<p class="meta">
{% if data.source %}database <code>{{ data.source }}</code> · {% endif %}
model {{ data.models | join(", ") or "unknown" }}
· prompt version {{ data.prompt_versions | join(", ") or "unknown" }}
</p>
<div class="stats">
<div class="stat"><b>{{ data.documents | length }}</b><span>documents</span></div>
<div class="stat"><b>{{ data.outlets | length }}</b><span>named outlets</span></div>
<div class="stat"><b>{{ data.facts }}</b><span>facts</span></div>
<div class="stat"><b>{{ data.incidents | length }}</b><span>incidents</span></div>
<div class="stat{{ ' alert' if data.conflicts }}">
<b>{{ data.conflicts }}</b><span>conflicts</span></div>
<div class="stat"><b>{{ data.failures | length }}</b><span>failures</span></div>
</div>
<p class="meta">
{% if data.outlets %}Outlets: {{ data.outlets | join(", ") }}. {% endif %}
{% set unnamed = data.documents | rejectattr("outlet") | list | length %}
{% if unnamed %}{{ plural(unnamed, "document") }} with no outlet named
{{ "is" if unnamed == 1 else "are" }} shown by document id. {% endif %}
{% if data.off_topic %}{{ plural(data.off_topic, "off-topic document") }}
not sent to the model.{% endif %}
</p>
{% if data.incidents %}
<nav class="toc">
<table>
<thead><tr><th>Incident</th><th class="num">Documents</th><th>Compared across documents</th>
</tr></thead>
<tbody>
{% for i in data.incidents %}
<tr><td><a href="#incident-{{ loop.index }}">{{ i.label }}</a></td>
<td class="num">{{ i.n_documents }}</td>
<td>
{% for d in i.divergences %}
{{ measure_label(d.measure) }} {{ badge(d.verdict) }}{{ " ·" if not loop.last }}
{% else %}
<span class="muted">{{ "only single-document figures" if i.single_facts
                       else "no numeric facts" }}</span>
{% endfor %}
</td></tr>
{% endfor %}
</tbody>
</table>
</nav>
{% endif %}
</header>
"""

_INCIDENTS = """
{% for i in data.incidents %}
<section class="incident{{ ' has-conflict' if i.conflicts }}" id="incident-{{ loop.index }}">
<h2>{{ i.label }}{% if i.conflicts %} {{ badge("conflict") }}{% endif %}</h2>
<p class="meta">
{{ [i.kind | replace("_", " "), i.place, plural(i.n_documents, "document"),
    plural(i.n_records, "record")] | select | join(" · ") }}
· <code>{{ i.incident_id }}</code></p>
{% for d in i.divergences %}
<div class="divergence {{ d.verdict }}">
<header><h3>{{ measure_label(d.measure) }}
{% if unit_label(d.unit) %}<span class="muted">({{ unit_label(d.unit) }})</span>{% endif %}
</h3>
{{ badge(d.verdict) }}
<p class="meta">{{ plural(d.claims | length, "document") }}</p></header>
{{ chart_svg(chart(d)) }}
<table>
{{ columns() }}
<tbody>
{% for r in d.claims %}
<tr><td>{{ source(r.document_id, r.outlet) }}</td>
<td class="says">{{ r.phrase }}
{% if r.statements > 1 %}<span class="muted">({{ r.statements }} statements)</span>{% endif %}
</td>
<td class="num">{{ interval(r.value_min, r.value_max, d.unit) }}</td>
<td>{{ quoted(r.quote, r.phrase) }}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% endfor %}
{% if i.single_facts %}
<h4>Reported by one document only</h4>
{{ facts_table(i.single_facts) }}
{% elif not i.divergences %}
<p class="empty">No numeric facts in these records.</p>
{% endif %}
</section>
{% endfor %}

{% if data.unassigned %}
<section>
<h2>Facts not linked to an incident</h2>
{{ facts_table(data.unassigned) }}
</section>
{% endif %}
"""

_APPENDIX = """
{% if data.names %}
<section>
<h2>Name spellings</h2>
<p class="meta">Names spelled differently across documents, under the most used spelling.</p>
<table>
<colgroup><col style="width:20%"><col style="width:20%"><col></colgroup>
<thead><tr><th>Name</th><th>Spelling</th><th>Used by (occurrences)</th></tr></thead>
<tbody>
{% for n in data.names %}
{% for spelling, uses in n.by_spelling() %}
<tr>{% if loop.first %}<td rowspan="{{ loop.length }}"><b>{{ n.canonical }}</b></td>{% endif %}
<td>{{ spelling }}</td>
<td>
{% for u in uses %}{{ u.source }} ({{ u.occurrences }}){{ ", " if not loop.last }}{% endfor %}
</td></tr>
{% endfor %}
{% endfor %}
</tbody>
</table>
</section>
{% endif %}

{% if data.failures %}
<section>
<h2>Failures</h2>
<p class="meta">Paragraphs or documents whose extraction failed: their facts are missing above.
</p>
<table>
<colgroup><col class="source"><col style="width:9%"><col style="width:9%">
<col style="width:9%"><col></colgroup>
<thead><tr><th>Outlet / document</th><th>Stage</th><th class="num">Paragraph</th>
<th>Record</th><th>Reason</th></tr></thead>
<tbody>
{% for f in data.failures %}
<tr><td>{{ source(f.document_id, f.outlet) }}</td><td>{{ f.stage }}</td>
<td class="num">{{ f.chunk_index if f.chunk_index is not none else "" }}</td>
<td>{{ f.record_type or "" }}</td><td class="reason">{{ f.reason }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endif %}

{% if data.documents %}
<section>
<h2>Documents</h2>
<table>
<colgroup><col class="source"><col style="width:14%"><col><col style="width:14%">
<col style="width:7%"></colgroup>
<thead><tr><th>Document</th><th>Outlet</th><th>Title</th><th>Status</th>
<th class="num">Facts</th></tr></thead>
<tbody>
{% for d in data.documents %}
<tr><td class="doc">{{ d.document_id }}</td><td>{{ d.outlet or "" }}</td>
<td>{{ d.title or "" }}</td>
<td>{{ d.status }}{% if not d.relevant %} <span class="muted">(off-topic)</span>{% endif %}</td>
<td class="num">{{ d.facts }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endif %}
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimdiff report{% if data.source %} — {{ data.source }}{% endif %}</title>
<style>@CSS@</style>
</head>
<body>
@MACROS@
<svg width="0" height="0" style="position:absolute" aria-hidden="true">
<defs><linearGradient id="open-fade" x1="0" x2="1" y1="0" y2="0">
<stop offset="0" stop-color="#3a5a98" stop-opacity="0.95"/>
<stop offset="1" stop-color="#3a5a98" stop-opacity="0.12"/>
</linearGradient></defs>
</svg>
<main>
@HEADER@
@INCIDENTS@
@APPENDIX@
</main>
</body>
</html>
"""

TEMPLATE = (
    _PAGE.replace("@CSS@", CSS)
    .replace("@MACROS@", _MACROS)
    .replace("@HEADER@", _HEADER)
    .replace("@INCIDENTS@", _INCIDENTS)
    .replace("@APPENDIX@", _APPENDIX)
)
