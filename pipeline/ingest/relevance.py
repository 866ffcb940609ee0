"""Is an article about armed conflict or violence at all? A transparent, deterministic score.

An aggregator page can carry an off-topic article (a budget review, a match report), and
asking a small model to classify it proved unreliable (it said "war events" for every
article). So the score is one a person can check by hand: cue words of armed conflict (the
`relevance` list of schemas/vocab/cues/<language>.yaml, English where a language has no
file yet) per 1,000 characters. Off-topic documents are stored but not sent to the model: no
cost, and no chance of invented incidents.
"""

from __future__ import annotations

from pipeline.text import cues_of

# Cue words per 1,000 characters at or above which an article is relevant. Measured with the
# English list: paragraphs written for the tests (tests/unit/test_ingest_relevance.py) score,
# for war reports (a shelling, drone strikes, ceasefire talks, a displacement, a hostage
# rescue) 16.1 to 26.2, and for other news a football report 5.9 ("striker", "strike",
# "attacking"), a defence-budget review 4.0 ("military", "weapons"), a city budget and a
# stock-market report 0.0. The seed pages' eight war reports score 9.8 to 13.5, their
# defence-budget article 4.2. 7.5 lies between the highest off-topic score (5.9, 0.79 of it)
# and the lowest war report (9.8, 1.30 times it), near their geometric mean.
THRESHOLD = 7.5


def score(text: str, language: str) -> float:
    """Relevance cue words of `language` per 1,000 characters of `text` (0 for no text)."""
    if not text:
        return 0.0
    return 1000 * cues_of(language, "relevance").count(text) / len(text)


def is_relevant(text: str, language: str) -> bool:
    return score(text, language) >= THRESHOLD
