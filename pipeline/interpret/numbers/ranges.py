"""Ranges: two numbers that are one mention, and two that only look like one.

"200 to 300", "200-300", "between 200 and 300", "від 20 до 30", "بين 20 و30" are ranges;
"the toll rose from 20 to 31" and "выросло с 20 до 31" are changes, two numbers, and the second
must not take its preposition for a hedge ("до 31" alone would be "up to 31").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.interpret.numbers.lexicon import Lexicon
from pipeline.interpret.numbers.tokens import NEAR_GAP, Atom, Phrases, Tok, gap

_DASH = re.compile(r"\s*-\s*")
_RANGEABLE = frozenset({"num", "weak", "mult"})
_BLOCKER_WINDOW = 4  # tokens before "from" in which "rose" makes "from 20 to 31" a change


@dataclass(frozen=True, slots=True)
class Core:
    """One number or a range of two, with the range words ("between", "to") it took."""

    low: Atom
    high: Atom | None
    first: int
    last: int
    start: int
    end: int
    changed: bool = False  # the second number of a change ("с 20 до 31"): "до" is no hedge


def ranges(text: str, toks: Sequence[Tok], found: Sequence[Atom], lex: Lexicon) -> list[Core]:
    out: list[Core] = []
    k = 0
    while k < len(found):
        a = found[k]
        b = found[k + 1] if k + 1 < len(found) else None
        cores = None
        if b is not None and a.role in _RANGEABLE and b.role in _RANGEABLE:
            cores = _range(text, toks, a, b, lex)
        if cores is None:
            out.append(_single(a))
            k += 1
        else:
            out += cores
            k += 2
    return out


def _single(a: Atom, changed: bool = False) -> Core:
    return Core(a, None, a.first, a.last, a.start, a.end, changed)


def _range(
    text: str, toks: Sequence[Tok], a: Atom, b: Atom, lex: Lexicon
) -> tuple[Core, ...] | None:
    """ "200 to 300", "200-300", "between 200 and 300", "від 20 до 30", "بين 20 و30" are one
    range; "rose from 20 to 31" and "с 20 до 31" are a change: two numbers, the second without
    the hedge its closer would otherwise be ("до 31": up to 31)."""
    if a.scale == 1 and b.scale > 1 and a.value * b.scale <= b.value:  # "2-3 million"
        a = a._replace(value=a.value * b.scale, step=a.step * b.scale, scale=b.scale)
    if a.first > 0 and NEAR_GAP.fullmatch(gap(text, toks, a.first - 1, a.first)):
        change = lex.changes.ending(text, toks, a.first - 1)
        if change and _between(text, toks, a, b, lex.change_closers[int(change.phrase.label)],
                               lex):  # fmt: skip
            return _single(a), _single(b, changed=True)
        opener = lex.openers.ending(text, toks, a.first - 1)
        if opener and _between(text, toks, a, b, lex.closers[int(opener.phrase.label)], lex):
            if blocked(text, toks, opener.first, lex) or not b.value > a.value:
                return _single(a), _single(b, changed=True)
            return (Core(a, b, opener.first, b.last, opener.start, b.end),)
    if not b.value > a.value:
        return None
    if b.first == a.last + 1 and _DASH.fullmatch(gap(text, toks, a.last, b.first)):
        return (Core(a, b, a.first, b.last, a.start, b.end),)
    if _between(text, toks, a, b, lex.infixes, lex):
        return (Core(a, b, a.first, b.last, a.start, b.end),)
    return None


def _between(
    text: str, toks: Sequence[Tok], a: Atom, b: Atom, words: Phrases, lex: Lexicon
) -> bool:
    """Whether exactly one phrase of `words` stands between atoms a and b, as a word of its own
    or as the proclitic of b ("بين عشرين وثلاثين")."""
    if b.first == a.last + 1 and b.start > toks[b.first].start:
        prefix = lex.tokenize.key(text[toks[b.first].start : b.start])
        return words.has_word(prefix) and bool(NEAR_GAP.fullmatch(gap(text, toks, a.last,
                                                                      b.first)))  # fmt: skip
    if b.first <= a.last + 1 or not NEAR_GAP.fullmatch(gap(text, toks, a.last, a.last + 1)):
        return False
    hit = words.at(text, toks, a.last + 1)
    return hit is not None and hit.last == b.first - 1 and bool(NEAR_GAP.fullmatch(
        text[hit.end : b.start]))  # fmt: skip


def blocked(text: str, toks: Sequence[Tok], first: int, lex: Lexicon) -> bool:
    """Whether a change verb ("rose", "зросла") stands in the few words before token `first`."""
    k = first - 1
    while k >= 0 and first - k <= _BLOCKER_WINDOW:
        if toks[k].key in lex.blockers:
            return True
        if not NEAR_GAP.fullmatch(gap(text, toks, k, k + 1)) or toks[k].kind != "word":
            return False
        k -= 1
    return False
