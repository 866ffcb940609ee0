"""A language's date expressions, compiled from `schemas/vocab/dates/<language>.yaml`.

The data file says what a language writes (weekday and month names in every inflected form,
the phrases around them, the relative words) and what each phrase means; this module only turns
it into regular expressions. So a new language is a data file plus its tests, and no code.

Patterns run on folded text (`pipeline.text.fold`: lower case, one apostrophe, one dash, ASCII
digits), which keeps offsets, so a match is a span of the article's own characters. Letters
match with or without their accents ("martedi", upper-case Greek that lost its tonos), and the
Arabic letters that outlets spell either way (أ/ا, ة/ه, ى/ي) match each other.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from pipeline.text import fold

# Placeholders a pattern may use, and the category a group of each is read as.
CATEGORIES = {
    "weekday": "weekday",
    "weekday_short": "weekday",
    "month": "month",
    "day": "day",
    "year": "year",
    "count": "count",
    "unit": "unit",
}
UNITS = ("day", "week", "month", "year")

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_DAY = r"(?<![\d.,:])(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_YEAR = r"(?<![\d.,])(?:1[89]\d\d|20\d\d)(?!\d)"
# Numeric dates need no words: the same in every language (read by dateparser).
_NUMERIC = {
    "iso": r"(?:1[89]|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])",
    "dmy": r"(?:0?[1-9]|[12]\d|3[01])(?P<sep>[.-])(?:0?[1-9]|1[0-2])(?P=sep)(?:1[89]|20)\d\d",
    "slash": r"\d{1,2}/\d{1,2}/(?:1[89]|20)\d\d",
}
_NUMERIC_EDGES = (r"(?<![\d.,/\-])", r"(?![\d/\-]|[.,]\d)")
_ARABIC_VARIANTS = ("اأإآ", "هة", "يى")


@dataclass(frozen=True)
class Template:
    """One pattern of a data file and what it means.

    kind: date | numeric | weekday | month | year | ago | relative. ``shift`` is days to add to
    a weekday or a date ("the night before Sunday" → -1), or, for relative words, how many
    ``unit``s from the anchor ("last week" → week, -1). ``strict``: a weekday that names the
    anchor's own day means a week before ("last Sunday" in a Sunday article)."""

    kind: str
    source: str
    regex: re.Pattern[str]
    shift: int = 0
    unit: str = "day"
    strict: bool = False
    order: str = ""  # numeric only: the DATE_ORDER dateparser is given


@dataclass(frozen=True)
class Language:
    """Everything the date reader knows of one language."""

    code: str
    templates: tuple[Template, ...]
    scan: re.Pattern[str]  # any template: where the next expression may start
    weekdays: dict[str, int]  # key(form) → 0 (Monday) … 6 (Sunday)
    months: dict[str, int]  # key(form) → 1 … 12
    counts: dict[str, int]  # key(word) → the number it says
    units: dict[str, str]  # key(form) → day | week | month | year
    capitalized: bool  # names are written with a capital ("may" is no month in English)
    since: re.Pattern[str]  # a word after which a date starts a span, at the end of a text
    since_word: re.Pattern[str]  # the same word anywhere ("since the start of the war in …")
    published: re.Pattern[str]  # by-line words before the article's own date


def key(word: str) -> str:
    """The form a word is looked up by: folded, without accents or Arabic spelling variants,
    so that whatever spelling a pattern let through finds its entry."""
    text = unicodedata.normalize("NFD", fold(word))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for group in _ARABIC_VARIANTS:
        text = re.sub(f"[{group}]", group[0], text)
    return " ".join(text.replace("ς", "σ").replace("ʼ", "'").split())


@cache
def _variants() -> dict[str, str]:
    """Letter → a character class of the letter and its accented siblings (Latin, Greek)."""
    groups: dict[str, set[str]] = {}
    for cp in [*range(0x61, 0x7B), *range(0xE0, 0x250), 0x390, *range(0x3AC, 0x3D0)]:
        ch = chr(cp)
        if ch.lower() != ch:
            continue
        base = unicodedata.normalize("NFD", ch)[0].replace("ς", "σ")
        groups.setdefault(base, set()).add(ch)
    for group in _ARABIC_VARIANTS:
        groups[group[0]] = set(group)
    classes: dict[str, str] = {}
    for members in groups.values():
        if len(members) > 1:
            cls = "[" + "".join(sorted(members)) + "]"
            classes.update(dict.fromkeys(members, cls))
    return classes


def _literal(ch: str) -> str:
    """One character of a word as a regex: itself, or the class of its spelling variants
    (only for letters outside ASCII: an accented form in the data also matches the bare one)."""
    if ch == "'":
        return "['ʼ]"
    if ch.isascii():
        return ch if ch.isalnum() else re.escape(ch)
    return _variants().get(ch, ch if ch.isalnum() else re.escape(ch))


def _words(forms: Any) -> str:
    """An alternation of word forms, longest first (so "jan." wins over "jan")."""
    found = sorted({fold(str(f)).strip() for f in forms or ()}, key=lambda f: (-len(f), f))
    return "|".join("".join(r"\s+" if c == " " else _literal(c) for c in f) for f in found)


def translate(pattern: str, fragments: dict[str, str], capture: bool = True) -> str:
    """A data-file pattern as a Python regex: a space is any white space, letters match their
    variants, {name} is a fragment (captured as ``name__k`` for its k-th use); character
    classes and escapes are copied as written."""
    out: list[str] = []
    uses: dict[str, int] = {}
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif ch == "[":
            end = i + 1
            while end < len(pattern) and (pattern[end] != "]" or end == i + 1):
                end += 2 if pattern[end] == "\\" else 1
            out.append(pattern[i : end + 1])
            i = end + 1
        elif ch == "{" and (m := _PLACEHOLDER.match(pattern, i)):
            name = m.group(1)
            if name not in fragments:
                raise ValueError(f"unknown placeholder {{{name}}} in {pattern!r}")
            k = uses.get(name, 0)
            uses[name] = k + 1
            body = fragments[name]
            out.append(f"(?P<{name}__{k}>{body})" if capture else f"(?:{body})")
            i = m.end()
        else:
            out.append(r"\s+" if ch == " " else _literal(ch) if ch.isalpha() or ch == "'" else ch)
            i += 1
    return "".join(out)


def _lookup(section: Any, cast: type = int) -> dict[str, Any]:
    """{value: [forms]} of a data file → {key(form): value}."""
    table: dict[str, Any] = {}
    for value, forms in (section or {}).items():
        for form in forms if isinstance(forms, list) else [forms]:
            table[key(str(form))] = cast(value)
    return table


def _meaning(kind: str, value: Any) -> dict[str, Any]:
    """What a pattern's value in the data file says: a shift, "before", or "unit shift"."""
    if kind == "relative":
        unit, _, shift = str(value).partition(" ")
        if unit not in UNITS:
            raise ValueError(f"relative value must be '<unit> <shift>', not {value!r}")
        return {"unit": unit, "shift": int(shift or 0)}
    if value == "before":
        return {"strict": True}
    return {"shift": int(value or 0)}


_SECTIONS = (
    ("dates", "date"),
    ("weekday_phrases", "weekday"),
    ("month_phrases", "month"),
    ("year_phrases", "year"),
    ("ago", "ago"),
    ("relative", "relative"),
)
_NEVER = r"(?!x)x"  # a regex that matches nothing: a list the data file leaves empty


def _fragments(data: dict[str, Any]) -> dict[str, str]:
    """What each placeholder stands for in this language."""

    def names(section: str) -> str:
        return _words(w for forms in (data.get(section) or {}).values() for w in forms)

    fragments = {
        "weekday": names("weekdays"),
        "weekday_short": names("weekdays_short"),
        "month": names("months"),
        "day": _DAY + translate(str(data.get("day_suffix") or ""), {}),
        "year": _YEAR + translate(str(data.get("year_suffix") or ""), {}),
        "count": "|".join(filter(None, [_words(data.get("counts") or {}), r"\d{1,3}(?!\d)"])),
        "unit": names("units"),
    }
    return {k: v or _NEVER for k, v in fragments.items()}


def _templates(data: dict[str, Any], left: str) -> tuple[list[Template], str]:
    """Every pattern of the data file, then the numeric ones, and a regex of where any of
    them may start (no groups: it only finds the place)."""
    fragments = _fragments(data)
    templates: list[Template] = []
    scans: list[str] = []
    for section, kind in _SECTIONS:
        entries = data.get(section) or {}
        if isinstance(entries, list):
            entries = dict.fromkeys(entries, 0)
        for source, value in entries.items():
            body = translate(str(source), fragments)
            regex = re.compile(f"{left}(?:{body})(?!\\w)")
            templates.append(Template(kind, str(source), regex, **_meaning(kind, value)))
            scans.append(translate(str(source), fragments, capture=False))
    orders = {"iso": "YMD", "dmy": "DMY", "slash": str(data.get("numeric_order") or "DMY")}
    for name, body in _NUMERIC.items():
        regex = re.compile(_NUMERIC_EDGES[0] + f"(?:{body})" + _NUMERIC_EDGES[1])
        templates.append(Template("numeric", name, regex, order=orders[name]))
    numeric = _NUMERIC["iso"] + "|" + _NUMERIC["slash"] + r"|\d{1,2}[.\-]\d{1,2}[.\-]\d{4}"
    words = "|".join(f"(?:{s})" for s in scans) or _NEVER
    return templates, f"(?:{left}(?:{words})(?!\\w))|(?:{numeric})"


def _cue(words: Any, end: str = "") -> re.Pattern[str]:
    return re.compile(f"(?<!\\w)(?:{_words(words) or _NEVER})(?!\\w){end}")


@cache
def compiled(code: str) -> Language:
    """The compiled date vocabulary of `code` (English when the language has no file: numeric
    dates and any English phrase still read)."""
    from schemas import vocab

    data = vocab.load("dates", code) or vocab.load("dates", "en")
    left = r"(?<!\w)"
    if data.get("clitics"):  # a letter glued in front still leaves the word its own start
        glued = "".join(sorted(fold(str(c)) for c in data["clitics"]))
        left = rf"(?:(?<!\w)|(?<=(?<!\w)[{glued}]))"
    templates, scan = _templates(data, left)
    return Language(
        code=code,
        templates=tuple(templates),
        scan=re.compile(scan),
        weekdays=_lookup(data.get("weekdays")) | _lookup(data.get("weekdays_short")),
        months=_lookup(data.get("months")),
        counts={key(str(k)): int(v) for k, v in (data.get("counts") or {}).items()},
        units=_lookup(data.get("units"), str),
        capitalized=bool(data.get("names_capitalized")),
        since=_cue(data.get("since"), r"\s*$"),
        since_word=_cue(data.get("since")),
        published=_cue(data.get("published")),
    )
