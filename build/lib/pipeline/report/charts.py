"""The interval chart of one divergence, as inline SVG.

An inline chart needs no script and no network, prints as it shows, and scales with the page
(viewBox, width 100 %). One row per outlet on a shared axis from 0: a dot for a single value, a
bar for a closed interval, and for an open-ended one ("more than 104") a bar that runs to the
plot's right edge and ends in an arrow, so "no upper bound" cannot be read as a value. The bars
take the divergence's verdict colour, the same as its badge and the map's markers.

`tag` builds SVG elements with every text and attribute escaped; `map.py` uses it too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from pipeline.compare.verdicts import format_interval, format_number
from pipeline.report.data import Claim, DivergenceRow

VERDICT_COLOURS = {"conflict": "#c0271a", "compatible": "#d08a00", "agree": "#1a7f37"}
NO_VERDICT = "#8a929b"

WIDTH = 960
LABEL_RIGHT = 196  # outlet labels end here
PLOT_LEFT = 210
PLOT_RIGHT = 826  # an open-ended interval's arrow ends here
VALUE_X = 840  # the interval as text, right of the plot
PAD = 10
ROW = 28
TOP = 6
AXIS = 26
LABEL_CHARS = 26
INK, MUTED, GRID = "#1f2328", "#5b6470", "#e6e9ed"


def colour(verdict: str | None) -> str:
    return VERDICT_COLOURS.get(verdict or "", NO_VERDICT)


def num(value: float) -> str:
    """Coordinates with one decimal at most: enough at screen scale, and a smaller page."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def tag(name: str, attrs: Mapping[str, object] | None = None, *children: str) -> Markup:
    """One element; attribute values and plain-str children are escaped, Markup is kept."""
    parts = [name]
    for key, value in (attrs or {}).items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, float) else str(value)
        parts.append(f'{key}="{escape(shown)}"')
    head = " ".join(parts)
    if not children:
        return Markup(f"<{head}/>")
    inner = "".join(str(escape(child)) for child in children)
    return Markup(f"<{head}>{inner}</{name}>")


def nice_ticks(top: float, target: int = 5) -> list[float]:
    """Tick values 0, step, … covering `top`, the step 1, 2, 2.5 or 5 times a power of ten."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _top(claims: Sequence[Claim]) -> float:
    values = [v for c in claims for v in (c.value_min, c.value_max) if v is not None]
    top = max(values, default=1.0)
    return top * 1.15 if any(c.value_max is None for c in claims) else top


def _label(claim: Claim) -> Markup:
    full = claim.source
    short = full if len(full) <= LABEL_CHARS else full[: LABEL_CHARS - 1] + "…"
    language = tag("tspan", {"fill": MUTED, "font-size": 11}, f"  {claim.language}")
    return tag("title", None, full) + escape(short) + (language if claim.language else "")


def _bar(claim: Claim, y: float, x0: float, x1: float | None, fill: str) -> Markup:
    if x1 is None:  # open-ended: a bar to the edge, then an arrow head
        tip = PLOT_RIGHT
        return (
            tag("rect", {"x": x0, "y": y - 6, "width": max(tip - 11 - x0, 2.0), "height": 12,
                         "fill": fill, "fill-opacity": 0.55, "class": "open"})
            + tag("line", {"x1": x0, "x2": x0, "y1": y - 9, "y2": y + 9, "stroke": fill,
                           "stroke-width": 3})
            + tag("path", {"d": f"M{num(tip - 12)} {num(y - 9)} L{num(tip)} {num(y)} "
                                f"L{num(tip - 12)} {num(y + 9)} Z", "fill": fill})
        )  # fmt: skip
    if x1 - x0 < 0.5:
        return tag("circle", {"cx": x0, "cy": y, "r": 6, "fill": fill})
    return tag("rect", {"x": x0, "y": y - 6, "width": max(x1 - x0, 4.0), "height": 12, "rx": 3,
                        "fill": fill})  # fmt: skip


def interval_chart(divergence: DivergenceRow) -> Markup:
    """The chart of one divergence: its outlets' intervals on a shared axis."""
    claims = [c for c in divergence.claims if c.value_min is not None]
    ticks = nice_ticks(_top(claims))
    span = (PLOT_RIGHT - PAD) - (PLOT_LEFT + PAD)

    def x(value: float) -> float:
        return PLOT_LEFT + PAD + value / ticks[-1] * span

    fill = colour(divergence.verdict)
    axis_y = TOP + len(claims) * ROW + 4
    parts: list[str] = []
    for t in ticks:
        parts.append(tag("line", {"x1": x(t), "x2": x(t), "y1": TOP, "y2": axis_y + 4,
                                  "stroke": GRID}))  # fmt: skip
        parts.append(tag("text", {"x": x(t), "y": axis_y + 18, "text-anchor": "middle"},
                         format_number(t)))  # fmt: skip
    parts.append(tag("line", {"x1": PLOT_LEFT, "x2": PLOT_RIGHT, "y1": axis_y, "y2": axis_y,
                              "stroke": "#8a929b"}))  # fmt: skip
    for row, claim in enumerate(claims):
        y = TOP + row * ROW + ROW / 2
        lo = claim.value_min or 0.0
        hi = claim.value_max
        parts.append(tag("text", {"x": LABEL_RIGHT, "y": y + 4.5, "text-anchor": "end",
                                  "fill": INK, "font-size": 13}, _label(claim)))  # fmt: skip
        parts.append(_bar(claim, y, x(lo), None if hi is None else x(hi), fill))
        parts.append(tag("text", {"x": VALUE_X, "y": y + 4.5, "fill": INK, "font-size": 13,
                                  "font-weight": 600}, format_interval(lo, hi)))  # fmt: skip
    label = f"{divergence.measure}: the interval each outlet reports ({divergence.verdict})"
    attrs = {"class": f"chart {divergence.verdict}", "viewBox": f"0 0 {WIDTH} {axis_y + AXIS}",
             "role": "img", "aria-label": label, "font-size": 12, "fill": MUTED}  # fmt: skip
    return tag("svg", attrs, Markup("").join(parts))
