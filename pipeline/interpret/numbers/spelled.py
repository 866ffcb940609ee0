"""Numbers as atoms: digits, spelled-out numbers and vague amounts, before any hedge or unit.

Spelled-out numbers are read by text2num where it covers the language (its grammar of French
"quatre-vingt-dix" or German "zweihundertfünfzig" is better than any we would write), and by
the vocabulary's `number_words` elsewhere (Russian, Ukrainian, Arabic, Greek): a small grammar
of places (units, teens, tens, hundreds) and scales that inflected forms and Arabic's
unit-before-ten order ("خمسة وعشرون") fit. What neither reads is vocabulary too: vague amounts
("dozens", "десятки", "عشرات"), approximate nouns ("une dizaine"), "a dozen", "half a million".
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

import text_to_num  # type: ignore[import-untyped]

from pipeline.interpret.numbers.intervals import step_of
from pipeline.interpret.numbers.lexicon import NEAR_GAP, Lexicon, Tok, gap


@dataclass(frozen=True, slots=True)
class Atom:
    """A number before its context: tokens first..last, characters start..end."""

    first: int
    last: int
    start: int
    end: int
    role: str  # num | weak | mult | ordinal | vague | approximate | fixed | time | date
    value: float = 0.0
    step: float = 1.0
    plain: bool = False  # digits with no separator and no decimals: may be a year or a day
    scale: float = 1.0  # the scale word it took: "2 million" → 1e6
    lone_scale: bool = False  # a scale word alone ("hundred", "тысяча"): "a hundred" is 100


def atoms(text: str, toks: Sequence[Tok], lex: Lexicon) -> list[Atom]:
    """Every number of the folded `text`, composed ("two dozen", "2.5 million", "tens of
    thousands"), left to right, without overlaps."""
    found = _vocabulary(text, toks, lex)
    claimed = {i for a in found for i in range(a.first, a.last + 1)}
    for i, t in enumerate(toks):
        if t.kind == "num" and i not in claimed:
            found.append(Atom(i, i, t.start, t.end, "num", t.value, t.step, t.plain))
        elif t.kind in ("time", "date"):
            found.append(Atom(i, i, t.start, t.end, t.kind))
    if lex.spelled == "text2num":
        spelled = _text2num(text, toks, lex, claimed)
        found += spelled
        claimed |= {i for a in spelled for i in range(a.first, a.last + 1)}
    if lex.number_words:
        found += _words(text, toks, lex, claimed)
    return _compose(text, toks, sorted(found, key=lambda a: a.first), lex)


# ----------------------------------------------------------------------------- vocabulary


def _vocabulary(text: str, toks: Sequence[Tok], lex: Lexicon) -> list[Atom]:
    """Vague and approximate amounts, fixed phrases ("a couple of"), multipliers ("dozen") and
    ordinal words: they come first, so that no number reader takes "hundreds" for 100."""
    found: list[Atom] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        hit = lex.counts.at(text, toks, i) if t.kind in ("word", "sym") else None
        scale = t.key in lex.scales or t.key in lex.multipliers
        if hit is not None and not (
            hit.first == hit.last and scale and _after_number(text, toks, i, lex)
        ):  # "тысячи" alone is "thousands", after a number ("две тысячи") it is a scale
            value = hit.phrase.value
            found.append(Atom(hit.first, hit.last, hit.start, hit.end, hit.phrase.label, value,
                              step_of(value)))  # fmt: skip
            i = hit.last + 1
            continue
        if t.kind == "word":
            key, shift = _known(t, lex.ordinal_words)
            if key:
                found.append(Atom(i, i, t.start + shift, t.end, "ordinal"))
            elif t.key in lex.multipliers:
                found.append(Atom(i, i, t.start, t.end, "mult", lex.multipliers[t.key]))
        i += 1
    return found


def _known(t: Tok, table: frozenset[str] | dict[str, object]) -> tuple[str, int]:
    for key, shift in t.keys:
        if key in table:
            return key, shift
    return "", 0


def _after_number(text: str, toks: Sequence[Tok], i: int, lex: Lexicon) -> bool:
    if i == 0 or not NEAR_GAP.fullmatch(gap(text, toks, i - 1, i)):
        return False
    prev = toks[i - 1]
    if prev.kind == "num":
        return True
    if prev.kind != "word":
        return False
    if _known(prev, lex.number_words)[0]:
        return True
    return lex.spelled == "text2num" and _reads_as_number(prev.key, lex.language)


@cache
def _reads_as_number(word: str, language: str) -> bool:
    try:
        text_to_num.text2num(word, language)
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------------------- text2num


class _Word:
    """A token as text2num's `find_numbers` wants one."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: object) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


_BREAK = _Word(",")  # punctuation: text2num never reads a number across it


def _text2num(text: str, toks: Sequence[Tok], lex: Lexicon, claimed: set[int]) -> list[Atom]:
    stream: list[_Word] = []
    where: list[int] = []  # token index of each stream word, -1 for a break
    prev = -1
    for i, t in enumerate(toks):
        if t.kind != "word" or i in claimed or t.key in lex.not_numbers:
            prev = -1
            continue
        if stream and (prev < 0 or not NEAR_GAP.fullmatch(gap(text, toks, prev, i))):
            stream.append(_BREAK)
            where.append(-1)
        stream.append(_Word(unicodedata.normalize("NFC", t.text)))
        where.append(i)
        prev = i
    found: list[Atom] = []
    if not stream:
        return found
    for o in text_to_num.find_numbers(stream, lex.language, 0.0):
        inside = [where[k] for k in range(int(o.start), int(o.end)) if where[k] >= 0]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        value = float(o.value)
        if bool(o.is_ordinal):
            role = "ordinal"
        elif first == last and toks[first].key in lex.weak_ones and value == 1:
            role = "weak"
        else:
            role = "num"
        lone = first == last and toks[first].key in lex.scales
        found.append(Atom(first, last, toks[first].start, toks[last].end, role, value,
                          step_of(value), lone_scale=lone))  # fmt: skip
    return found


# ----------------------------------------------------------------------------- number words


def _words(text: str, toks: Sequence[Tok], lex: Lexicon, claimed: set[int]) -> list[Atom]:
    found: list[Atom] = []
    i = 0
    while i < len(toks):
        atom = None if i in claimed else _read(text, toks, i, lex, claimed)
        if atom is None:
            i += 1
            continue
        found.append(atom)
        i = atom.last + 1
    return found


def _entry(t: Tok, lex: Lexicon) -> tuple[str, float, int] | None:
    """(place, value, proclitic length) of a number word; scales are a place of their own."""
    for key, shift in t.keys:
        if key in lex.number_words:
            place, value = lex.number_words[key]
            return place, value, shift
        if key in lex.scales:
            return "scales", lex.scales[key], shift
    return None


def _read(text: str, toks: Sequence[Tok], i: int, lex: Lexicon, claimed: set[int]) -> Atom | None:
    """The spelled number that starts at token i: places fill at most once per group
    (hundreds first; units and tens in either order), scales close a group and must fall."""
    total = group = 0.0
    used: set[str] = set()
    last_scale = math.inf
    last = -1
    start = 0
    j = i
    while j < len(toks) and j not in claimed and toks[j].kind == "word":
        if j > i and not NEAR_GAP.fullmatch(gap(text, toks, j - 1, j)):
            break
        entry = _entry(toks[j], lex)
        if entry is None:
            nxt = j + 1 < len(toks) and _entry(toks[j + 1], lex) is not None
            if last >= 0 and toks[j].key in lex.joiners and nxt:
                j += 1
                continue
            break
        place, value, shift = entry
        if place == "scales":
            if value >= last_scale:
                break
            total += (group or 1) * value
            group, used, last_scale = 0.0, set(), value
        elif place == "hundreds":
            if value == 100 and used == {"units"}:  # "ثلاث مئة": three hundred
                group *= 100
            elif used:
                break
            else:
                group += value
            used = {"hundreds"}
        elif used & _BLOCKS[place]:
            break
        else:
            group += value
            used.add(place)
        if last < 0:
            start = toks[j].start + shift
        last = j
        j += 1
    if last < 0:
        return None
    value = total + group
    first_key = toks[i].key
    role = "weak" if last == i and first_key in lex.weak_ones else "num"
    lone = last == i and _entry(toks[i], lex) is not None and first_key in lex.scales
    k = last + 1
    if k < len(toks) and NEAR_GAP.fullmatch(gap(text, toks, last, k)):
        if _known(toks[k], lex.ordinal_words)[0]:  # "двадцать пятый": twenty-fifth
            return Atom(i, k, start, toks[k].end, "ordinal")
    return Atom(i, last, start, toks[last].end, role, value, step_of(value), lone_scale=lone)


_BLOCKS = {
    "tens": {"tens", "teens"},
    "teens": {"tens", "teens", "units"},
    "units": {"units", "teens"},
}


# ----------------------------------------------------------------------------- composition


def _next(text: str, toks: Sequence[Tok], j: int) -> int | None:
    k = j + 1
    return k if k < len(toks) and NEAR_GAP.fullmatch(gap(text, toks, j, k)) else None


def _prev(text: str, toks: Sequence[Tok], j: int) -> int | None:
    k = j - 1
    return k if k >= 0 and NEAR_GAP.fullmatch(gap(text, toks, k, j)) else None


def _compose(text: str, toks: Sequence[Tok], found: Sequence[Atom], lex: Lexicon) -> list[Atom]:
    at = {a.first: a for a in found}
    out: list[Atom] = []
    done = -1
    for a in found:
        if a.first <= done:
            continue
        a = _grow(text, toks, a, at, lex)
        while out and out[-1].last >= a.first:  # "un demi-million": the article joined it
            out.pop()
        out.append(a)
        done = a.last
    return out


def _grow(text: str, toks: Sequence[Tok], a: Atom, at: dict[int, Atom], lex: Lexicon) -> Atom:
    if a.role in ("num", "weak"):
        while (j := _next(text, toks, a.last)) is not None and toks[j].key in lex.scales:
            s = lex.scales[toks[j].key]
            if s <= a.scale or (a.lone_scale and s <= a.value):
                break  # "2 million", "2.5 million", "veintiún mil"; not "hundred hundred"
            end = toks[j].end
            if toks[j].key in lex.dotted and text[end : end + 1] == ".":
                end += 1
            a = replace(a, last=j, end=end, role="num", value=a.value * s, step=a.step * s,
                        scale=s, lone_scale=False, plain=False)  # fmt: skip
        j = _next(text, toks, a.last)
        b = at.get(j) if j is not None else None
        if b is not None and b.role == "mult":  # "two dozen", "une douzaine"
            a = replace(a, last=b.last, end=b.end, role="num", value=a.value * b.value,
                        step=1.0, plain=False)  # fmt: skip
        elif b is not None and b.role == "approximate" and a.role == "num":  # "два десятка"
            a = replace(a, last=b.last, end=b.end, role="approximate", value=a.value * b.value,
                        plain=False)  # fmt: skip
    if a.role == "mult" or (a.role == "num" and toks[a.first].key in lex.scales):
        a = _before(text, toks, a, at, lex)  # "a dozen", "a hundred and five", "half a million"
    if a.role in ("vague", "approximate"):  # "tens of thousands", "une dizaine de milliers"
        while (j := _next(text, toks, a.last)) is not None:
            if toks[j].key in lex.vague_joiners and (k := _next(text, toks, j)) is not None:
                j = k
            b = at.get(j)
            if b is None or not (b.role in ("vague", "approximate", "mult") or b.lone_scale):
                break
            a = replace(a, last=b.last, end=b.end, value=a.value * b.value)
    return a


def _before(text: str, toks: Sequence[Tok], a: Atom, at: dict[int, Atom], lex: Lexicon) -> Atom:
    """An article or a fraction before a multiplier or a lone scale: "a dozen", "a hundred",
    "half a million", "ein halbes Dutzend", "نصف مليون"."""
    first, factor = a.first, 1.0
    owners = {i: b for b in at.values() for i in range(b.first, b.last + 1)}

    def free(k: int | None) -> bool:
        return k is not None and (k not in owners or owners[k].role == "weak")

    k = _prev(text, toks, first)
    if free(k) and k is not None and toks[k].key in lex.articles | lex.weak_ones:
        first, k = k, _prev(text, toks, k)
    if free(k) and k is not None and toks[k].key in lex.fractions:
        factor = lex.fractions[toks[k].key]
        first, k = k, _prev(text, toks, k)
        if free(k) and k is not None and toks[k].key in lex.articles | lex.weak_ones:
            first = k
    if first == a.first:
        return a
    return replace(a, first=first, start=toks[first].start, role="num", value=a.value * factor,
                   lone_scale=False)  # fmt: skip

