"""Spelling variants of one name across outlets: Zelensky / Zelenskyy / Zelenskiy.

Transliteration from Ukrainian and Russian gives several Latin spellings of one name, and a
differing spelling may also be one outlet's error, so claimdiff links the variants under one
canonical spelling and reports them. Two spellings are variants when they reduce to the same
*skeleton*: lower case, accents dropped, and the usual transliteration alternations merged
(y/i/iy/yy endings, iu/yu, ia/ya, j/y, kh/h), and a Russian feminine surname ending -ova/-eva/-ina
folded onto -ov/-ev/-in (Kobzev / Kobzeva).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

# Capitalised words of four letters or more; sentence starts are fine, names start sentences.
_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
_MIN_LENGTH = 4
_ALTERNATIONS = (
    ("yy", "y"), ("iy", "y"), ("ii", "i"), ("iu", "yu"), ("ia", "ya"), ("j", "y"),
    ("kh", "h"), ("ie", "ye"),
)  # fmt: skip
_FEMININE = re.compile(r"(ov|ev|in)a$")


@dataclass(frozen=True)
class NameVariants:
    canonical: str  # the spelling most documents use
    spellings: dict[str, dict[str, int]]  # spelling → document_id → occurrences


def skeleton(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for old, new in _ALTERNATIONS:
        text = text.replace(old, new)
    text = re.sub(r"i$", "y", text)  # Zelenski / Zelensky
    return _FEMININE.sub(r"\1", text)


def variants(texts: Mapping[str, str]) -> list[NameVariants]:
    """Names spelled in two or more ways across the documents (document_id → text)."""
    by_skeleton: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for document_id, text in texts.items():
        for word in _NAME.findall(text):
            if len(word) >= _MIN_LENGTH:
                by_skeleton[skeleton(word)][word][document_id] += 1
    found = []
    for spellings in by_skeleton.values():
        if len(spellings) < 2 or len({d for s in spellings.values() for d in s}) < 2:
            continue  # one spelling, or all spellings in one document
        canonical = max(spellings, key=lambda s: (len(spellings[s]), sum(spellings[s].values())))
        found.append(
            NameVariants(
                canonical, {s: dict(sorted(c.items())) for s, c in sorted(spellings.items())}
            )
        )
    return sorted(found, key=lambda v: v.canonical)
