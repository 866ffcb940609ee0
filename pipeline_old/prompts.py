"""Prompt templates from `prompts/`, and the version that names their cassettes.

The version hashes everything that shapes a request body: the prompt texts and the JSON schemas
the model must fill. Change either and the requests change, so old cassettes no longer replay;
the new version then names a new cassette folder instead of silently mismatching.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from pipeline.drafts import RESPONSE_MODELS
from schemas import RecordType

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@cache
def system_prompt(record_type: RecordType, prompts_dir: Path = PROMPTS_DIR) -> str:
    common = (prompts_dir / "common.md").read_text(encoding="utf-8").strip()
    task = (prompts_dir / f"{record_type.value}.md").read_text(encoding="utf-8").strip()
    return f"{common}\n\n{task}"


def user_prompt(chunk: str) -> str:
    return f"Paragraph:\n{chunk}"


@cache
def prompt_version(prompts_dir: Path = PROMPTS_DIR) -> str:
    digest = hashlib.sha256()
    for record_type in RecordType:
        digest.update(system_prompt(record_type, prompts_dir).encode("utf-8"))
        schema = RESPONSE_MODELS[record_type].model_json_schema()
        digest.update(json.dumps(schema, sort_keys=True).encode("utf-8"))
    digest.update(user_prompt("").encode("utf-8"))
    return "p" + digest.hexdigest()[:10]
