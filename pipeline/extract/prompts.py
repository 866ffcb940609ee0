"""Prompts laid out for the KV cache, and the version that names their cassettes.

Every request is [system: the same instructions and examples, always] [user: the chunk's
sentences and choices, then the task]. Requests for one chunk share everything up to the task
line, and llama.cpp reuses the common prefix of the previous request, so a chunk is read once
whatever the number of record types asked.

The prompt version hashes all that shapes a request body: the prompt files, the record
declarations and vocabularies (`schemas.vocab.version`), the code that builds the listing and
the schema (sentences, choices, number readings, place names: `REQUEST_CODE`) and the embedded
server's decoding (its grammar and sampler, which decide its answers), the gazetteer's
version and the request layout. Change any and cassettes get a new folder instead of silently
mismatching.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import resources

from pipeline.extract.candidates import ChunkChoices
from schemas import RecordSpec, record_specs, vocab

# Bump when the response schema's shape or the listing format changes in code.
LAYOUT_VERSION = "4"


def _prompt_file(name: str) -> str:
    return (resources.files("prompts") / f"{name}.md").read_text(encoding="utf-8").strip()


@cache
def system_prompt() -> str:
    """The instructions and one example per record type; identical for every request."""
    parts = [_prompt_file("common")]
    parts += [_prompt_file(spec.name) for spec in record_specs()]
    return "\n\n".join(parts)


def _quoted(values: Sequence[str]) -> str:
    return " | ".join(f'"{v}"' for v in values) if values else "none"


def chunk_listing(choices: ChunkChoices) -> str:
    """The chunk as the model sees it: numbered sentences, then what it may choose."""
    lines = ["Sentences:"]
    lines += [f"[{s.index}] {s.text}" for s in choices.sentences]
    numbered = [s for s in choices.sentences if s.numbers]
    lines.append("Numbers:" + ("" if numbered else " none"))
    lines += [f"[{s.index}] {_quoted(choices.number_texts(s.index))}" for s in numbered]
    places = choices.place_texts()
    lines.append(f"Places: {_quoted(places)}")
    # A name field may take a place too (a side named by its country): the places are not
    # listed twice.
    lines.append(f"Names: {_quoted([n for n in choices.name_texts() if n not in places])}")
    return "\n".join(lines)


def task_line(specs: Sequence[RecordSpec]) -> str:
    if len(specs) == 1:
        return f"Task {specs[0].name}."
    return f"Tasks {', '.join(s.name for s in specs)}: one answer object per task."


def messages(choices: ChunkChoices, specs: Sequence[RecordSpec]) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": system_prompt()},
        {"role": "user", "content": f"{chunk_listing(choices)}\n\n{task_line(specs)}"},
    ]


# The modules whose behaviour decides what a request holds (relative to the pipeline package),
# and how the embedded server decodes its answer (its grammar, its sampler).
REQUEST_CODE = (
    "extract/sentences.py", "extract/candidates.py", "extract/schema.py", "extract/prompts.py",
    "interpret/measures.py", "interpret/names.py", "interpret/numbers", "text.py",
    "model/json_grammar.py", "model/grammar_sampling.py",
)  # fmt: skip


def _code_digest() -> bytes:
    root = resources.files("pipeline")
    digest = hashlib.sha256()
    for name in REQUEST_CODE:
        entry = root / name
        files = sorted(entry.iterdir(), key=lambda e: e.name) if entry.is_dir() else [entry]
        for file in files:
            if file.name.endswith(".py"):
                digest.update(file.read_bytes())
    return digest.digest()


@cache
def prompt_version(layout: str = "per_type") -> str:
    from pipeline.interpret.gazetteer.store import version as gazetteer_version

    digest = hashlib.sha256()
    digest.update(system_prompt().encode("utf-8"))
    digest.update(vocab.version().encode())
    digest.update(f"{LAYOUT_VERSION}:{layout}".encode())
    digest.update(_code_digest())
    digest.update(gazetteer_version().encode())
    return "p" + digest.hexdigest()[:10]
