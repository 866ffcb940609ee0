"""The document's language (ISO 639-1): what its metadata declares, else detected offline.

The language picks the cue words, number words and date words every later stage reads the
article with, so it must be right on a headline-length text too, and must be found without
the network. Detection uses py3langid (a naive-Bayes model of byte n-grams, shipped in its
wheel), restricted to the languages below. It was compared with lingua-language-detector on
110 texts written for the comparison (50 of 2-4 words, 40 of one sentence, 20 paragraphs,
in en, fr, es, pt, de, it, ru, uk, ar, el), both restricted to these 15 languages:

    detector (15 languages)  2-4 words  sentence  paragraph  load     per text  memory
    py3langid                49/50      40/40     20/20      0.6-1 s  0.06 ms   ~80 MB
    lingua, high accuracy    50/50      40/40     20/20      2.0 s    0.2 ms    ~410 MB
    lingua, low accuracy     46/50      39/40     20/20      lazy     0.4 ms    ~47 MB

(py3langid over all its 142 languages: 47/50 on the 2-4 word texts.) Both are exact on
sentences and paragraphs, which is what articles are; py3langid's one miss was a two-word
headline ("Nove morti", Italian, read as English). Lingua's accurate mode needs five times the
memory, in every worker process, and a 96 MB install against 4.5 MB; its small mode misses
more. So py3langid.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# The languages a document can be detected in. Keep it small: every extra language is another
# way to misread a short text. A language declared by metadata is taken even when not listed.
SUPPORTED: tuple[str, ...] = (
    "en", "fr", "es", "pt", "de", "it", "ru", "uk", "ar", "el",
    "nl", "pl", "tr", "fa", "he",
)  # fmt: skip

DEFAULT = "en"  # what a text too short or too odd to detect is taken to be

# The detector's probability (normalised over SUPPORTED, so 1/15 = 0.067 means no idea) below
# which a detection is not trusted. Measured: strings that are no language ("12345 678", a URL,
# a single name) got 0.07-0.19; the least sure correct answer on the texts above, a two-word
# headline, 0.31.
MIN_PROBABILITY = 0.25

# Enough text to be sure, and a bound on the cost of a very long article.
SAMPLE_CHARS = 10_000

_CODE = re.compile(r"^\s*(?P<code>[A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*\s*$")


def code_of(value: str) -> str | None:
    """The ISO 639-1 code of a declared language ("en", "EN", "en-US", "pt_BR"), or None."""
    found = _CODE.match(value)
    return found["code"].lower() if found else None


@cache
def _identifier() -> Any:
    """py3langid's model, loaded once per process and restricted to SUPPORTED."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED))
    return identifier


def detect(text: str) -> tuple[str, float] | None:
    """(language, probability) of `text`, or None when it is not sure enough to say."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    language, probability = _identifier().classify(sample)
    if probability < MIN_PROBABILITY or language not in SUPPORTED:
        return None
    return str(language), float(probability)


def language_of(text: str, declared: str | None) -> tuple[str, str]:
    """(language, how it is known): the metadata's language overrides detection."""
    if declared:
        return declared, "metadata"
    found = detect(text)
    if found is None:
        return DEFAULT, "default"
    return found[0], "detected"
