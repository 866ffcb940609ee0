"""The committed cassettes, replayed, scored against the gold of each corpus.

Thresholds are a little under what the cassettes score today (the closing notes give the
exact figures): a change that makes extraction, interpretation or comparison worse fails here.
The seeds are in-sample (the first rules were written looking at them); the development
corpora were written to test the mechanisms, and since 2026-12-03 both are in-sample too (the
vocabularies and rules were corrected looking at their errors); the held-out check is the
real-world sets, run live outside the repository.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.replay.conftest import Replayed

pytestmark = pytest.mark.replay

# (numeric precision, numeric recall, clustering F1, verdict accuracy), floors. Measured on
# the cassettes of prompt version p200f823375 (2026-12-03: clause openers, a number's own event
# word, counts of attacks, sub-counts take their parent's event, "rose to" is no "up to", a
# city's quarters, estimated anchors, recalled events, numbers a marked sentence counts, how
# badly the wounded are): seeds .742 .845 .328 .636 (7 of 11), dev .939 .939 .936 .882 (15 of
# 17), multilingual .991 .973 .958 .750 (15 of 20).
FLOORS = {
    "seeds": (0.72, 0.82, 0.31, 0.60),
    "dev": (0.92, 0.92, 0.92, 0.85),
    "multilingual": (0.95, 0.95, 0.93, 0.70),
}


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_scores_hold(replayed: dict[str, Replayed], corpus: str) -> None:
    result = replayed[corpus]
    report = result.report
    precision, recall, cluster_f1, verdicts = FLOORS[corpus]
    assert not result.summary.failed, [d.error for d in result.summary.failed]
    assert report.grounding_rate == 1.0
    assert (report.numeric.precision or 0) >= precision
    assert (report.numeric.recall or 0) >= recall
    assert (report.clustering.f1 or 0) >= cluster_f1
    assert (report.verdict_accuracy or 0) >= verdicts


def test_the_seeds_injured_disagreement_is_a_conflict(replayed: dict[str, Replayed]) -> None:
    """The seeds' best-known disagreement (69 injured vs "more than 104"), now found by the
    general mechanism: one incident, a conflict on its injured."""
    verdicts = {(v["incident"], v["measure"]): v for v in replayed["seeds"].report.verdicts}
    assert verdicts[("SE3", "injured")]["found"] == "conflict"


def test_every_language_is_scored(replayed: dict[str, Replayed]) -> None:
    languages = replayed["multilingual"].report.by_language
    assert {"uk", "ru", "el", "de", "ar", "fr", "es", "pt", "it"} <= set(languages)


def test_each_language_holds(replayed: dict[str, Replayed]) -> None:
    """Per language, a little under today's worst (uk .941 precision, es .875 recall)."""
    for language, score in replayed["multilingual"].report.by_language.items():
        assert (score.precision or 0) >= 0.90, language
        assert (score.recall or 0) >= 0.85, language
