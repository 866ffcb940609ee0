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

# (numeric precision, numeric recall, clustering F1, verdict accuracy), floors. Measured on the
# cassettes of prompt version p30785f23ae (2026-12-06: forced text evaluated in one batch under a
# grammar of one JSON spelling, places not repeated in the Names line; before it, p9fdc1f68ee of
# 2026-12-04): seeds .857 .931 .240 .636 (7 of 11), dev .938 .927 .925 1.000 (17 of 17),
# multilingual 1.000 .982 .958 .950 (19 of 20). Seeds clustering is low: the overnight barrage's
# pairs are split by place (not fixed); it fell from .306 as the model's places for the long
# talks articles moved.
FLOORS = {
    "seeds": (0.83, 0.91, 0.22, 0.60),
    "dev": (0.92, 0.91, 0.90, 1.0),
    "multilingual": (0.97, 0.97, 0.94, 0.95),
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
    """Per language, the issue's bar (precision .95, recall .85; today every language 1.000
    precision, es .875 the lowest recall)."""
    for language, score in replayed["multilingual"].report.by_language.items():
        assert (score.precision or 0) >= 0.95, language
        assert (score.recall or 0) >= 0.85, language
