"""Aggregator pages → their outlets' articles, split at marker lines kept as data.

An aggregator joins several outlets' articles on one page and marks each with a line naming
the outlet. Comparing outlets needs one document per outlet, so the page is split there; the
aggregator's own words (its summaries, header and footer) belong to no outlet and are dropped.
The markers are data (`schemas/vocab/markers.yaml`, which says how to add one), because each
aggregator has its own layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from pipeline.ingest.decode import Refusal, strip_blank_lines

Where = Literal["after", "before"]


@dataclass(frozen=True, slots=True)
class Marker:
    """A line that marks an article on an aggregator page.

    `regex` finds the marker line (searched with re.MULTILINE; anchor it with ^ and $) and
    names the outlet in its group `outlet`. `where` is "after" when the line closes the
    article above it, "before" when it opens the article below it. `summary_until`, when set,
    finds the line that ends the aggregator's own summary ("Read full article"): the summary
    and that line are dropped, and the line before the summary is the article's title.
    """

    name: str
    regex: str
    where: Where = "after"
    summary_until: str | None = None

    def __post_init__(self) -> None:
        if self.where not in ("after", "before"):
            raise ValueError(f"marker {self.name!r}: where must be 'after' or 'before'")
        try:
            pattern = re.compile(self.regex, re.M)
            if self.summary_until is not None:
                re.compile(self.summary_until, re.M)
        except re.error as err:
            raise ValueError(f"marker {self.name!r}: bad regex: {err}") from None
        if "outlet" not in pattern.groupindex:
            raise ValueError(f"marker {self.name!r}: regex has no group (?P<outlet>…)")

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.regex, re.M)  # re caches compiled patterns

    @property
    def summary(self) -> re.Pattern[str] | None:
        return None if self.summary_until is None else re.compile(self.summary_until, re.M)


@dataclass(frozen=True, slots=True)
class PageArticle:
    """One outlet's article cut from a page: its 1-based place among the page's markers."""

    part: int
    outlet: str
    title: str | None
    text: str


DEFAULT_MARKERS_FILE = "markers.yaml"  # in schemas/vocab/


def load_markers(path: str | Path | None = None) -> tuple[Marker, ...]:
    """The markers of a markers file (`schemas/vocab/markers.yaml` when `path` is None)."""
    if path is None:
        return _default_markers()
    return _parse(Path(path).read_text(encoding="utf-8"), str(path))


@cache
def _default_markers() -> tuple[Marker, ...]:
    entry = resources.files("schemas") / "vocab" / DEFAULT_MARKERS_FILE
    return _parse(entry.read_text(encoding="utf-8"), f"schemas/vocab/{DEFAULT_MARKERS_FILE}")


def _parse(source: str, where: str) -> tuple[Marker, ...]:
    data: Any = yaml.safe_load(source) or {}
    entries = data.get("markers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{where}: expected a list under `markers:`")
    markers = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not {"name", "regex"} <= entry.keys():
            raise ValueError(f"{where}: marker {n} needs at least `name` and `regex`")
        unknown = set(entry) - {"name", "regex", "where", "summary_until"}
        if unknown:
            name = entry["name"]
            raise ValueError(f"{where}: marker {name!r} has unknown keys {sorted(unknown)}")
        until = entry.get("summary_until")
        markers.append(
            Marker(
                name=str(entry["name"]),
                regex=str(entry["regex"]),
                where=entry.get("where", "after"),
                summary_until=None if until is None else str(until),
            )
        )
    return tuple(markers)


def split(text: str, markers: Sequence[Marker]) -> list[PageArticle] | None:
    """The articles of an aggregator page, or None when no marker matches (a plain article).

    The first marker that matches a line splits the page; an article's part is the position of
    its marker line, so ids stay the same when an empty article between markers is skipped.
    Refuses a page whose marker lines enclose no text at all.
    """
    for marker in markers:
        lines = list(marker.pattern.finditer(text))
        if not lines:
            continue
        articles = _cut(text, marker, lines)
        if not articles:
            raise Refusal(
                f"page has {len(lines)} '{marker.name}' marker line(s) but no article text "
                "next to them"
            )
        return articles
    return None


def _cut(text: str, marker: Marker, lines: list[re.Match[str]]) -> list[PageArticle]:
    if marker.where == "after":
        # Whatever follows the last marker is the page's own footer (comments, the page's link).
        starts = [0] + [m.end() for m in lines[:-1]]
        segments = [text[s : m.start()] for s, m in zip(starts, lines, strict=True)]
    else:
        # Whatever precedes the first marker is the page's own header.
        ends = [m.start() for m in lines[1:]] + [len(text)]
        segments = [text[m.end() : e] for m, e in zip(lines, ends, strict=True)]
    articles = []
    for part, (found, segment) in enumerate(zip(lines, segments, strict=True), start=1):
        title, body = _article(segment, marker.summary)
        if body:
            articles.append(PageArticle(part, found["outlet"].strip(), title, body))
    return articles


def _article(segment: str, summary: re.Pattern[str] | None) -> tuple[str | None, str]:
    """(title, text) of one article: with a summary, the title line, then the outlet's text.

    The aggregator writes title, its own summary, "Read full article", then the outlet's text;
    the summary is the aggregator's words, so it is not part of the outlet's document.
    """
    more = summary.search(segment) if summary is not None else None
    if more is None:
        body = strip_blank_lines(segment)
        return headline(body), body
    line_start = segment.rfind("\n", 0, more.start()) + 1
    line_end = segment.find("\n", more.end())
    line_end = len(segment) if line_end < 0 else line_end
    lines = [line.strip() for line in segment[:line_start].splitlines() if line.strip()]
    title = lines[-2] if len(lines) >= 2 else None
    body = strip_blank_lines(segment[line_end:])
    if not body:
        return title, ""
    return title, (f"{title}\n\n{body}" if title else body)


def headline(text: str) -> str | None:
    """The first line of `text` when it reads as a headline: short, with no final full stop,
    and followed by more text (a one-line article has no headline, only a sentence)."""
    first, _, rest = text.strip("\n").partition("\n")
    first = first.strip().lstrip("#").strip()  # a Markdown heading is a headline too
    if not rest.strip() or not first or len(first) > 150:
        return None
    if first.endswith((".", "…", ":", ";", ",")) or not any(ch.isalpha() for ch in first):
        return None
    return first
