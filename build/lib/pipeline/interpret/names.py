"""Names as an article writes them: capitalised runs ("Rapid Support Forces", "Ministry of
Health", "RSF") and the lower-case sources the vocabulary lists ("health officials",
"witnesses"); who the article credits with a claim (attribution) and who carried out an event
(actors) are read from them here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from pipeline.text import Token, cues_of, tokens, words_of

MAX_NAME_TOKENS = 6
COMMON_ZIPF = 3.5
ATTRIBUTION_WINDOW = 6  # tokens between a name and the word that credits it ("…, police said")
# Lower-case words that may sit inside a name: "Ministry of Health", "Abu Bakr al-Baghdadi".
_CONNECTORS = frozenset(
    "of the de del della di da do dos das du des la le el al bin ibn abu bint van von y".split()
)


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    start: int
    end: int
    source: bool = False  # a lower-case source of the vocabulary ("witnesses")


def names(text: str, language: str, starts: set[int] | None = None) -> list[Name]:
    """Capitalised runs ("Rapid Support Forces", "Ministry of Health", "RSF") and the lower-case
    sources the vocabulary lists ("health officials", "witnesses"), in order of appearance."""
    stop = words_of(language, "name_stopwords")
    toks = tokens(text)
    starts = (starts or set()) | {0}
    found: list[Name] = []
    i = 0
    while i < len(toks):
        run = _capitalised_run(text, toks, i, stop, starts, language)
        if run is None:
            i += 1
            continue
        first, last = run
        start, end = toks[first].start, toks[last].end
        if text[end - 2 : end] in ("'s", "’s"):
            end -= 2  # "Sudan's army": the name is "Sudan"
        if _plain(toks[first].text) in stop or start >= end:
            i = last + 1
            continue
        found.append(Name(text[start:end], start, end))
        i = last + 1
    for hit in cues_of(language, "sources").find_all(toks):
        start, end = toks[hit.first].start, toks[hit.last].end
        if not any(c.start <= start < c.end for c in found):
            found.append(Name(text[start:end], start, end, source=True))
    return sorted(found, key=lambda c: c.start)


def _capitalised_run(
    text: str,
    toks: Sequence[Token],
    i: int,
    stop: frozenset[str],
    starts: set[int],
    language: str,
) -> tuple[int, int] | None:
    if not _capital(text, toks[i]) or _plain(toks[i].text) in stop:
        return None
    last = i
    j = i + 1
    while j < len(toks) and j - i < MAX_NAME_TOKENS and not _possessive(toks[j - 1].text):
        gap = text[toks[j - 1].end : toks[j].start]
        if gap.strip(" -'’"):
            break  # punctuation ends a name
        if _capital(text, toks[j]) and _plain(toks[j].text) not in stop:
            last = j
        elif toks[j].text not in _CONNECTORS:
            break
        j += 1
    if last == i and toks[i].start in starts and _is_common_word(toks[i].text, language):
        return None
    return i, last


def _possessive(word: str) -> bool:
    return word.endswith("'s")


def _plain(word: str) -> str:
    return word[:-2] if _possessive(word) else word


def _capital(text: str, tok: Token) -> bool:
    # Scripts without capitals (Arabic) have no capitalised runs: their names come from the
    # gazetteer and the vocabulary's sources only.
    return text[tok.start].isupper()


def _is_common_word(word: str, language: str) -> bool:
    """A lone capitalised word opening a sentence is usually just the sentence's first word:
    a common word of the language (wordfreq's Zipf frequency of 3.5 or more) is no name."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language) >= COMMON_ZIPF


def attribution(sentence: str, language: str, found: Sequence[Name]) -> str | None:
    """Who the sentence credits with its claim: the name nearest to a word that reports a claim
    ("…, police said", "according to the ministry"), within a few words; None without one."""
    toks = tokens(sentence)
    cues = cues_of(language, "attribution").find_all(toks)
    best: tuple[int, str] | None = None
    for name in found:
        first = next((i for i, t in enumerate(toks) if t.start >= name.start), None)
        last = next((i for i in range(len(toks) - 1, -1, -1) if toks[i].end <= name.end), None)
        if first is None or last is None:
            continue
        for cue in cues:
            gap = cue.first - last - 1 if cue.first > last else first - cue.last - 1
            if 0 <= gap <= ATTRIBUTION_WINDOW and (best is None or gap < best[0]):
                best = (gap, name.text)
    return best[1] if best else None


def actors(found: Sequence[Name], exclude: Collection[str]) -> tuple[str, ...]:
    """The names of a sentence that may have carried out its event: not its places, not its
    sources, not whoever it credits."""
    return tuple(dict.fromkeys(n.text for n in found if not n.source and n.text not in exclude))


def inside_a_longer_name(start: int, end: int, found: Sequence[Name]) -> bool:
    """Is text[start:end] part of a longer name ("Keita" in "Fatoumata Keita", "Saudi" in
    "Saudi Teaching Hospital")? Then it is no place of its own."""
    return any(
        n.start <= start and end <= n.end and (n.end - n.start) > (end - start) and not n.source
        for n in found
    )
