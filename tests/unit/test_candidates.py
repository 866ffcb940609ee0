"""Candidate pairs leave out only vetoed pairs, so sparse clustering equals clustering every
pair: checked on random profiles of places and dates written for the test."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import combinations

import pytest

from pipeline.compare.candidates import candidate_pairs
from pipeline.compare.incidents import JOIN, _cluster
from pipeline.compare.scoring import score
from schemas import DatePrecision, Place, PlacePrecision, RecordRef

COUNTRY = Place("iso:XX", "Xland", "XX", None, None, None, None, PlacePrecision.COUNTRY)


def _places(rng: random.Random) -> list[Place]:
    places = [COUNTRY]
    for n in range(12):  # settlements from a few km to a few hundred km apart, four regions
        lat, lon = 50 + rng.uniform(-1.5, 1.5), 30 + rng.uniform(-2.5, 2.5)
        admin1 = None if n == 11 else f"XX.{n % 4}"
        places.append(Place(f"gn:{n}", f"Town{n}", "XX", admin1, None, lat, lon,
                            PlacePrecision.SETTLEMENT))  # fmt: skip
    places += [Place(f"r:{n}", f"Region{n}", "XX", f"XX.{n}", None, None, None,
                     PlacePrecision.REGION) for n in range(4)]  # fmt: skip
    places.append(Place("r:x", "Unlinked", "XX", None, None, None, None, PlacePrecision.REGION))
    return places


def _profiles(seed: int, n: int) -> list[RecordRef]:
    rng = random.Random(seed)
    places = _places(rng)
    profiles = []
    for i in range(n):
        precision = rng.choice([DatePrecision.DAY, DatePrecision.DAY, DatePrecision.WEEK,
                                DatePrecision.MONTH, DatePrecision.YEAR, None])  # fmt: skip
        when = None if precision is None else date(2024, 1, 1) + timedelta(rng.randint(0, 400))
        profiles.append(RecordRef(
            f"d{i}:1", f"d{i}", "casualty", 0, rng.choice(["air_drone_strike", "armed_clash"]),
            when, precision, when is not None and rng.random() < 0.7, rng.choice(places),
            tuple(rng.sample(["the army", "militants", "police"], rng.randint(0, 1))),
        ))  # fmt: skip
    return profiles


def _every_pair_clustering(profiles: list[RecordRef]) -> list[list[int]]:
    """The reference: average linkage scoring every pair (what `_cluster` did before)."""
    pairs = {
        (i, j): score(profiles[i], profiles[j]) for i, j in combinations(range(len(profiles)), 2)
    }
    clusters = [[i] for i in range(len(profiles))]
    while len(clusters) > 1:
        best = None
        for x, y in combinations(range(len(clusters)), 2):
            cross = [pairs[(min(i, j), max(i, j))] for i in clusters[x] for j in clusters[y]]
            if any(p.veto for p in cross):
                continue
            average = sum(p.score for p in cross) / len(cross)
            if average >= JOIN - 1e-9 and (best is None or average > best[0] + 1e-12):
                best = (average, x, y)
        if best is None:
            break
        _, x, y = best
        clusters[x] = sorted(clusters[x] + clusters[y])
        del clusters[y]
    return sorted(clusters)


@pytest.mark.parametrize("seed", range(6))
def test_every_pair_left_out_is_vetoed(seed: int) -> None:
    profiles = _profiles(seed, 150)
    candidates = candidate_pairs(profiles)
    assert len(candidates) < 150 * 149 / 2  # it does leave pairs out
    for i, j in combinations(range(len(profiles)), 2):
        if (i, j) not in candidates:
            assert score(profiles[i], profiles[j]).veto, (profiles[i], profiles[j])


@pytest.mark.parametrize("seed", range(6))
def test_sparse_clustering_equals_scoring_every_pair(seed: int) -> None:
    profiles = _profiles(100 + seed, 60)
    found = _cluster(profiles)
    assert found == _every_pair_clustering(profiles)
    assert any(len(c) > 1 for c in found)  # something joined
