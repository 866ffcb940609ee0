"""The Ray engine stores what the local engine stores: `claimdiff run --engine ray` joining a
local Ray instance (2 CPUs) and a local run, both against the fake server answering real
records, give the same tables; the key, the concurrency limit and the retry count survive the
trip to the workers. Skipped when Ray is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import claimdiff, differences, last_run, live_env, rows, snapshot
from fakeserver import RATE_LIMITED, SERVER_ERROR, FakeServer, Faults, first_choices

ray = pytest.importorskip("ray", exc_type=ImportError)  # missing, or broken

CONCURRENCY = 4
KEY = "sk-ray-test"

# Written for this test: two outlets on each of two incidents, one more report, one off-topic.
ARTICLES = {
    "fasher_wire.txt": (
        "Outlet: Sahel Wire\nPublished: 2025-05-06\n\n"
        "Shells hit a crowded market in El Fasher on Tuesday, killing at least 17 people and "
        "wounding 45, a doctor at the city's hospital said.\n"
        "About 900 families fled the town overnight, aid workers said.\n"
    ),
    "fasher_radio.txt": (
        "Outlet: Radio Dabanga Desk\nPublished: 2025-05-07\n\n"
        "The death toll from Tuesday's shelling of the market in El Fasher rose to 24, medics "
        "said. Another 60 people were wounded, and rescuers were still searching the rubble.\n"
    ),
    "gao_post.txt": (
        "Outlet: Niger Bend Post\nPublished: 2025-05-03\n\n"
        "Gunmen attacked an army post outside Gao before dawn on Saturday, killing eight "
        "soldiers and wounding 12, a military spokesman said. The army said it had launched "
        "three drones to track the attackers.\n"
    ),
    "gao_herald.txt": (
        "Outlet: Timbuktu Herald\nPublished: 2025-05-04\n\n"
        "Eleven soldiers were killed and 14 wounded when militants stormed an army post near "
        "Gao on Saturday, a local official said.\n"
    ),
    "taiz_daily.txt": (
        "Outlet: Red Sea Daily\nPublished: 2025-05-05\n\n"
        "A drone strike on a checkpoint in Taiz killed five fighters and injured nine "
        "civilians on Monday, the city's health office said.\n"
    ),
    "lashio_council.txt": (  # off-topic: stored, never sent to the model
        "Published: 2025-05-02\n\n"
        "The council of Lashio approved a new bus station and a larger library budget, and said "
        "the swimming pool would reopen after repairs to its roof.\n"
    ),
}
# Requests numbered in arrival order get a 429 and a 500: each engine retries both once.
FAULTS = Faults({2: RATE_LIMITED, 5: SERVER_ERROR}, latency=0.05)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A local Ray instance with 2 CPUs; its address, for `--address`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            yield str(ray.get_runtime_context().gcs_address)
        finally:
            ray.shutdown()


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ray") / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(articles: Path, db: Path, *args: str) -> FakeServer:
    with FakeServer(responder=first_choices, faults=FAULTS) as server:
        env = live_env(
            server.base_url,
            CLAIMDIFF_API_KEY=KEY,
            CLAIMDIFF_CONCURRENCY=str(CONCURRENCY),
            RAY_USAGE_STATS_ENABLED="0",
        )
        done = claimdiff("run", articles, "--db", db, *args, cwd=db.parent, env=env)
    assert done.returncode == 0, done.stderr
    assert server.misses == 0
    return server


def answered(server: FakeServer) -> list[bytes]:
    return sorted(r.raw for r in server.chats if r.outcome == "responder")


def test_a_ray_run_stores_what_a_local_run_stores(
    cluster: str, articles: Path, tmp_path: Path
) -> None:
    local_db, ray_db = tmp_path / "local.duckdb", tmp_path / "ray.duckdb"
    local = run(articles, local_db)
    on_ray = run(articles, ray_db, "--engine", "ray", "--address", cluster)

    ran: dict[str, Any] = last_run(ray_db)
    assert (ran["engine"], last_run(local_db)["engine"]) == ("ray", "local")
    # The same requests answered (which ones a fault hit depends on arrival order), the key
    # with every one of them, never more in flight than allowed.
    assert answered(on_ray) == answered(local)
    assert {r.headers.get("authorization") for r in on_ray.chats} == {f"Bearer {KEY}"}
    assert 1 <= on_ray.max_in_flight <= CONCURRENCY
    assert sum(on_ray.faults_served.values()) == 2
    for key in ("requests", "http_retries", "documents", "off_topic", "records", "facts"):
        assert ran[key] == last_run(local_db)[key], key
    assert ran["http_retries"] == 2

    tables = snapshot(ray_db)
    assert differences(tables, snapshot(local_db)) == []
    # Real rows, not an empty run that trivially matches.
    assert len(tables["documents"]) == len(ARTICLES)
    assert len(tables["facts"]) > 0
    assert len(tables["casualties"]) > 0 and len(tables["attacks"]) > 0
    assert rows(ray_db, "SELECT count(*) FROM documents WHERE status = 'ok'") == [
        (len(ARTICLES) - 1,)
    ]
