"""Spelling variants of one name across outlets (transliterations such as -sky / -skyy / -skiy).

Transliteration gives several Latin spellings of one name, and a differing spelling may also be
one outlet's error, so claimdiff links the variants under the most used spelling and reports
them. Two spellings are variants when they reduce to the same *skeleton*: transliterated to
ASCII (anyascii), lower case, and the usual alternations of romanised Slavic and Arabic names
merged (y/i/iy/yy endings, iu/yu, ia/ya, j/y, kh/h, ou/u, ee/i), a feminine surname ending
-ova/-eva/-ina folded onto -ov/-ev/-in. Names are the capitalised words of the documents'
records' quotes, so only names near the facts are compared.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping

from anyascii import anyascii

from schemas import Divergence, NameVariants, Report, Verdict

_NAME = re.compile(r"\b[^\W\d_][^\W\d_]+(?:-[^\W\d_]+)?\b")
_MIN_LENGTH = 4
_ALTERNATIONS = (
    ("yy", "y"), ("iy", "y"), ("ii", "i"), ("iu", "yu"), ("ia", "ya"), ("j", "y"),
    ("kh", "h"), ("ie", "ye"), ("ou", "u"), ("ee", "i"),
)  # fmt: skip
_FEMININE = re.compile(r"(ov|ev|in)a$")


def skeleton(name: str) -> str:
    text = anyascii(name).lower()
    for old, new in _ALTERNATIONS:
        text = text.replace(old, new)
    text = re.sub(r"i$", "y", text)
    return _FEMININE.sub(r"\1", text)


def variants(texts: Mapping[str, str]) -> list[NameVariants]:
    """Names spelled in two or more ways across the documents (document_id → text)."""
    by_skeleton: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for document_id, text in texts.items():
        for word in _NAME.findall(text):
            if len(word) >= _MIN_LENGTH and word[0].isupper():
                by_skeleton[skeleton(word)][word][document_id] += 1
    found = []
    for spellings in by_skeleton.values():
        if len(spellings) < 2 or len({d for s in spellings.values() for d in s}) < 2:
            continue  # one spelling, or all spellings in one document
        if len({anyascii(s).lower() for s in spellings}) < 2:
            continue  # the same name in two scripts is not a spelling variant
        canonical = max(spellings, key=lambda s: (len(spellings[s]), sum(spellings[s].values()), s))
        found.append(
            NameVariants(
                canonical, {s: dict(sorted(c.items())) for s, c in sorted(spellings.items())}
            )
        )
    return sorted(found, key=lambda v: v.canonical)


def name_divergence(n: NameVariants, outlets: Mapping[str, str | None]) -> Divergence:
    reports = tuple(
        Report(document_id=document_id, outlet=outlets.get(document_id), language=None,
               value_min=0.0, value_max=None, phrase=spelling, quote=None, statements=count)
        for spelling, documents in n.spellings.items()
        for document_id, count in documents.items()
    )  # fmt: skip
    # Variants name the same person or place: compatible, flagged as kind 'name' because a
    # spelling unlike every other outlet's may be an error.
    return Divergence("name", None, n.canonical, "spelling", reports, Verdict.COMPATIBLE)
