"""Composition: atoms that make one amount together.

"two dozen", "2.5 million", "a hundred", "half a million", "tens of thousands", "une dizaine
de milliers", "два десятка": each reader finds its own words; this joins them, so that no
language needs code for its multipliers, articles or fractions, only vocabulary.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from pipeline.interpret.numbers.lexicon import Lexicon
from pipeline.interpret.numbers.tokens import NEAR_GAP, Atom, Tok, gap


def known(t: Tok, table: Container[str]) -> tuple[str, int]:
    """The first key of t in `table`, with the proclitic it dropped; ("", 0) when none is."""
    for key, shift in t.keys:
        if key in table:
            return key, shift
    return "", 0


# ----------------------------------------------------------------------------- composition


def _next(text: str, toks: Sequence[Tok], j: int) -> int | None:
    k = j + 1
    return k if k < len(toks) and NEAR_GAP.fullmatch(gap(text, toks, j, k)) else None


def _prev(text: str, toks: Sequence[Tok], j: int) -> int | None:
    k = j - 1
    return k if k >= 0 and NEAR_GAP.fullmatch(gap(text, toks, k, j)) else None


def compose(text: str, toks: Sequence[Tok], found: Sequence[Atom], lex: Lexicon) -> list[Atom]:
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
            a = a._replace(last=j, end=end, role="num", value=a.value * s, step=a.step * s,
                        scale=s, lone_scale=False, plain=False)  # fmt: skip
        j = _next(text, toks, a.last)
        b = at.get(j) if j is not None else None
        if b is not None and b.role == "mult":  # "two dozen", "une douzaine"
            a = a._replace(last=b.last, end=b.end, role="num", value=a.value * b.value,
                        step=1.0, plain=False)  # fmt: skip
        elif b is not None and b.role == "approximate" and a.role == "num":  # "два десятка"
            a = a._replace(last=b.last, end=b.end, role="approximate", value=a.value * b.value,
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
            if b.start != toks[b.first].start:
                break  # "وعدة": a conjunction starts another amount
            a = a._replace(last=b.last, end=b.end, value=a.value * b.value)
    return a


def _before(text: str, toks: Sequence[Tok], a: Atom, at: dict[int, Atom], lex: Lexicon) -> Atom:
    """An article or a fraction before a multiplier or a lone scale: "a dozen", "a hundred",
    "half a million", "ein halbes Dutzend", "ونصف مليون"."""
    owners = {i: b for b in at.values() for i in range(b.first, b.last + 1)}
    ones = lex.articles | lex.weak_ones
    first, start, factor = a.first, a.start, 1.0

    def word(k: int | None, table: Container[str]) -> tuple[str, int] | None:
        if k is None or (k in owners and owners[k].role != "weak"):
            return None
        key, shift = known(toks[k], table)
        return (key, shift) if key else None

    k = _prev(text, toks, first)
    if (found := word(k, ones)) is not None and k is not None:
        first, start, k = k, toks[k].start + found[1], _prev(text, toks, k)
    if (found := word(k, lex.fractions)) is not None and k is not None:
        factor = lex.fractions[found[0]]
        first, start, k = k, toks[k].start + found[1], _prev(text, toks, k)
        if (found := word(k, ones)) is not None and k is not None:
            first, start = k, toks[k].start + found[1]
    if first == a.first:
        return a
    return a._replace(first=first, start=start, role="num", value=a.value * factor,
                   lone_scale=False)  # fmt: skip
