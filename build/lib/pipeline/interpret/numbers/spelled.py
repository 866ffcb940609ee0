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
from functools import cache

import text_to_num  # type: ignore[import-untyped, unused-ignore]  # no stubs

from pipeline.interpret.numbers.compose import compose, known
from pipeline.interpret.numbers.intervals import step_of
from pipeline.interpret.numbers.lexicon import Lexicon
from pipeline.interpret.numbers.tokens import NEAR_GAP, Atom, Tok, gap

_STARTS, _NUMBER, _READABLE = 1, 2, 4  # what a word may be: see _flags


def atoms(text: str, toks: Sequence[Tok], lex: Lexicon) -> list[Atom]:
    """Every number of the folded `text`, composed ("two dozen", "2.5 million", "tens of
    thousands"), left to right, without overlaps."""
    # One pass sorts the tokens: each distinct word is classified once per language, so the
    # readers below visit only the few tokens that may be theirs.
    seen = lex.word_flags
    starts: list[int] = []
    numbers: list[int] = []
    readable: list[int] = []
    found: list[Atom] = []
    for i, t in enumerate(toks):
        if t.kind == "word":
            flags = seen.get(t.text)
            if flags is None:
                flags = seen[t.text] = _flags(t, lex)
            if flags:
                if flags & _STARTS:
                    starts.append(i)
                if flags & _NUMBER:
                    numbers.append(i)
                if flags & _READABLE:
                    readable.append(i)
        elif t.kind == "num":
            found.append(Atom(i, i, t.start, t.end, "num", t.value, t.step, t.plain))
        elif t.kind != "sym":
            found.append(Atom(i, i, t.start, t.end, t.kind))  # time | date
    vocabulary = _vocabulary(text, toks, lex, starts)
    claimed = {i for a in vocabulary for i in range(a.first, a.last + 1)}
    found = [a for a in found if a.first not in claimed] + vocabulary
    if readable:
        spelled = _text2num(text, toks, lex, [i for i in readable if i not in claimed])
        found += spelled
        claimed |= {i for a in spelled for i in range(a.first, a.last + 1)}
    if numbers:
        found += _words(text, toks, lex, claimed, numbers)
    return compose(text, toks, sorted(found, key=lambda a: a.first), lex)


def _flags(t: Tok, lex: Lexicon) -> int:
    """Whether a word may start a vague amount, an ordinal or a multiplier; start a spelled
    number of the vocabulary; or be read by text2num."""
    keys = [k for k, _ in t.keys]
    flags = _STARTS if any(k in lex.starters for k in keys) else 0
    if any(k in lex.number_keys for k in keys):
        flags |= _NUMBER
    if (
        lex.spelled == "text2num"
        and t.key not in lex.not_numbers
        and _reads_alone(t.text, lex.language)
    ):
        flags |= _READABLE
    return flags


# ----------------------------------------------------------------------------- vocabulary


def _vocabulary(text: str, toks: Sequence[Tok], lex: Lexicon, starts: Sequence[int]) -> list[Atom]:
    """Vague and approximate amounts, fixed phrases ("a couple of"), multipliers ("dozen") and
    ordinal words: they come first, so that no number reader takes "hundreds" for 100."""
    found: list[Atom] = []
    done = -1
    for i in starts:
        if i <= done:
            continue
        t = toks[i]
        hit = lex.counts.at(text, toks, i)
        scale = t.key in lex.scales or t.key in lex.multipliers
        if hit is not None and not (
            hit.first == hit.last and scale and _after_number(text, toks, i, lex)
        ):  # "тысячи" alone is "thousands", after a number ("две тысячи") it is a scale
            value = hit.phrase.value
            found.append(Atom(hit.first, hit.last, hit.start, hit.end, hit.phrase.label, value,
                              step_of(value)))  # fmt: skip
            done = hit.last
            continue
        key, shift = known(t, lex.ordinal_words)
        if key:
            found.append(Atom(i, i, t.start + shift, t.end, "ordinal"))
        elif t.key in lex.multipliers:
            found.append(Atom(i, i, t.start, t.end, "mult", lex.multipliers[t.key]))
    return found


def _after_number(text: str, toks: Sequence[Tok], i: int, lex: Lexicon) -> bool:
    if i == 0 or not NEAR_GAP.fullmatch(gap(text, toks, i - 1, i)):
        return False
    prev = toks[i - 1]
    if prev.kind == "num":
        return True
    if prev.kind != "word":
        return False
    if known(prev, lex.number_words)[0]:
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


def _text2num(text: str, toks: Sequence[Tok], lex: Lexicon, usable: Sequence[int]) -> list[Atom]:
    """Spelled numbers read by text2num. Only words it reads alone are fed to it, with a word
    between two of them ("hundred and five", "vingt et un"): an article's other words are
    breaks, which keeps the call cheap."""
    fed: list[int] = []
    for i in usable:
        if fed and i == fed[-1] + 2 and toks[i - 1].kind == "word":
            fed.append(i - 1)  # the word between two number words: "and", "et", "y"
        fed.append(i)
    stream: list[_Word] = []
    where: list[int] = []  # token index of each stream word, -1 for a break
    for i in fed:
        if where and not (i == where[-1] + 1 and NEAR_GAP.fullmatch(gap(text, toks, i - 1, i))):
            stream.append(_BREAK)
            where.append(-1)
        stream.append(_Word(unicodedata.normalize("NFC", toks[i].text)))
        where.append(i)
    found: list[Atom] = []
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


@cache
def _reads_alone(word: str, language: str) -> bool:
    """Whether text2num reads `word` by itself as a number or an ordinal."""
    return bool(text_to_num.find_numbers([_Word(unicodedata.normalize("NFC", word))], language,
                                         0.0))  # fmt: skip


# ----------------------------------------------------------------------------- number words


def _words(
    text: str, toks: Sequence[Tok], lex: Lexicon, claimed: set[int], numbers: Sequence[int]
) -> list[Atom]:
    found: list[Atom] = []
    done = -1
    for i in numbers:
        if i <= done or i in claimed:
            continue
        atom = _read(text, toks, i, lex, claimed)
        if atom is not None:
            found.append(atom)
            done = atom.last
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
        elif used & _BLOCKS[place] or _out_of_order(place, used, lex):
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
    near = k < len(toks) and NEAR_GAP.fullmatch(gap(text, toks, last, k))
    if near and known(toks[k], lex.ordinal_words)[0]:  # "двадцать пятый": twenty-fifth
        return Atom(i, k, start, toks[k].end, "ordinal")
    return Atom(i, last, start, toks[last].end, role, value, step_of(value), lone_scale=lone)


_BLOCKS = {
    "tens": {"tens", "teens"},
    "teens": {"tens", "teens", "units"},
    "units": {"units", "teens"},
}


def _out_of_order(place: str, used: set[str], lex: Lexicon) -> bool:
    """Tens may not follow units ("пять двадцать" is two numbers) unless the language writes
    units first; then units may not follow tens ("مئة وخمسون وثلاثة آلاف": 150, 3000)."""
    behind = "units" if place == "tens" else "tens" if place == "units" else ""
    return bool(behind) and behind in used and (place == "units") == lex.units_first
